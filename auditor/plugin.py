"""The interface a check family implements.

A family (``checks/<family>/`` or a third-party package) creates one
``Family`` object, registers its probe classes and its check functions on
it, and keeps the human text — titles, severities, messages and
remediation in Polish and English — in a YAML sidecar validated here.
Writers edit the sidecar without touching logic; a check without text, or
text without a check, is a load error.

Probing is separate from judging: a ``Probe`` does the slow I/O once per
target and returns plain facts; a check is a pure function of those facts
returning ``Verdict`` values, which the judge turns into ``Finding`` objects.
"""

from __future__ import annotations

import string
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from auditor.model import Authorisation, Evidence, ProbeAttempt, Severity, Status, Target, Text
from auditor.scope import ScopeGuard


class PluginError(Exception):
    """A family is inconsistent (missing text, duplicate id, bad sidecar)."""


# --------------------------------------------------------------------------- contexts


@dataclass
class ProbeContext:
    """What a probe may use besides its target.

    ``scope`` must be asked before connecting to anything the target itself
    points to (a redirect, an MX host).  ``secret`` returns a secret of the
    target (a repository password) that must never be put into evidence.
    """

    scope: ScopeGuard
    timeout: float
    settings: Mapping[str, Any] = field(default_factory=dict)
    offline: bool = False
    now: datetime | None = None
    secrets: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    """Run-time switches from the command line (e.g. ``restore_test``)."""
    authorisation: Authorisation | None = None
    """The scan's authorisation record: intrusive probes act only on what it explicitly allows."""

    def secret(self, target: Target, key: str) -> str | None:
        return self.secrets.get(target.id, {}).get(key)


@dataclass(frozen=True)
class JudgeContext:
    """What a check may use besides the evidence: the scan time and settings.

    ``now`` is the time the evidence was collected, so judging a stored run
    again gives the same verdict on time-dependent facts (certificate expiry).
    """

    now: datetime
    settings: Mapping[str, Any] = field(default_factory=dict)
    organisation: Mapping[str, Any] = field(default_factory=dict)
    attempts: Mapping[str, Mapping[str, ProbeAttempt]] = field(default_factory=dict)
    """Every attempt of the run by target id and probe name (filled by the judge), for the few
    checks that look across targets, e.g. a protected system and the repositories holding it."""
    targets: Mapping[str, Target] = field(default_factory=dict)
    """Every target of the run by id (filled by the judge), to read the attributes of the above."""

    def setting(self, key: str, default: Any) -> Any:
        return self.settings.get(key, default)


# --------------------------------------------------------------------------- probes


class Probe(ABC):
    """Collects facts about one target; may raise; never decides pass/fail.

    Subclasses set ``name`` (unique across families; checks refer to it),
    ``target_kinds`` and optionally ``timeout`` (seconds, default per run).
    Exceptions are classified by the engine: ``ProbeUnreachable`` becomes
    ``unreachable``, ``ProbeInputError`` ``bad_input``, ``ToolMissing``
    ``tool_missing``, anything else ``probe_bug``.
    """

    name: ClassVar[str]
    target_kinds: ClassVar[frozenset[str]]
    timeout: ClassVar[float | None] = None
    batch: ClassVar[int] = 1
    """How many targets one job may carry: above 1 the engine hands ``collect_many`` up to that
    many targets at once (a tool whose every start costs more than a target's scan, e.g. nmap)."""

    def applies(self, target: Target) -> bool:
        """Whether this probe has anything to look at on ``target``."""
        return target.kind in self.target_kinds

    @abstractmethod
    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        """Return JSON-serialisable facts about ``target``."""

    def collect_many(self, targets: Sequence[Target], ctx: ProbeContext) -> list[Evidence | Exception]:
        """Each target's facts, or the exception its ``collect`` would raise, in the order given.

        Only probes with ``batch`` above 1 are given more than one target;
        they override this to share one tool run between the targets.
        """
        results: list[Evidence | Exception] = []
        for target in targets:
            try:
                results.append(self.collect(target, ctx))
            except Exception as exc:  # noqa: BLE001 - classified per target by the engine
                results.append(exc)
        return results


class ProbeUnreachable(Exception):
    """The target did not answer (refused, reset, no route, DNS failure)."""


class ProbeInputError(Exception):
    """The evidence source is malformed or unreadable (a file, a repository)."""


class ToolMissing(Exception):
    """An external program the probe needs (nmap, restic, borg) is not installed."""


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Verdict:
    """What a check function returns: a status plus the facts behind it.

    ``message`` picks a message template from the sidecar (defaults to the
    status name, e.g. ``fail``); templates are formatted with ``facts``.
    ``severity`` overrides the check's default (e.g. critical when past EOL).
    """

    status: Status
    facts: dict[str, Any] = field(default_factory=dict)
    subject: str = ""
    message: str | None = None
    severity: Severity | None = None


def passed(subject: str = "", message: str | None = None, **facts: Any) -> Verdict:
    return Verdict(Status.PASS, facts, subject, message)


def failed(subject: str = "", message: str | None = None, severity: Severity | None = None, **facts: Any) -> Verdict:
    return Verdict(Status.FAIL, facts, subject, message, severity)


def warned(subject: str = "", message: str | None = None, severity: Severity | None = None, **facts: Any) -> Verdict:
    return Verdict(Status.WARN, facts, subject, message, severity)


def not_applicable(subject: str = "", message: str | None = None, **facts: Any) -> Verdict:
    return Verdict(Status.NOT_APPLICABLE, facts, subject, message)


def manual(subject: str = "", message: str | None = None, severity: Severity | None = None, **facts: Any) -> Verdict:
    return Verdict(Status.MANUAL, facts, subject, message, severity)


CheckFunction = Callable[[Any, Target, JudgeContext], Iterable[Verdict]]


class _Bilingual(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pl: str = Field(min_length=1)
    en: str = Field(min_length=1)


#: Public name of the bilingual text model, reused by other YAML schemas (baselines).
Bilingual = _Bilingual


class CheckText(BaseModel):
    """One check's entry in a family's YAML sidecar.

    No legal references here: which paragraph a check gives evidence for is
    the baselines' mapping alone (``baselines/*.yaml``), so the law is written
    in one place; a ``references:`` key is an unknown key, an error on load.
    """

    model_config = ConfigDict(extra="forbid")
    severity: Severity
    title: _Bilingual
    description: _Bilingual | None = None
    remediation: _Bilingual
    messages: dict[str, _Bilingual] = Field(default_factory=dict)

    @field_validator("title")
    @classmethod
    def _short_title(cls, value: _Bilingual) -> _Bilingual:
        if max(len(value.pl), len(value.en)) > 120:
            raise ValueError("title longer than 120 characters")
        return value


@dataclass(frozen=True)
class CheckSpec:
    """A registered check: its logic, the probes it reads and its text."""

    id: str
    family: str
    reads: tuple[str, ...]
    evaluate: CheckFunction
    text: CheckText
    any_of: bool = False
    """Run when at least one of ``reads`` ran on the target (instead of all of them)."""
    intrusive: bool = False
    """Its probe does more than look (it tries logins): off unless the authorisation allows it."""

    @property
    def severity(self) -> Severity:
        return self.text.severity

    def title(self, lang: str) -> str:
        return getattr(self.text.title, lang)

    def remediation(self, lang: str) -> str:
        return getattr(self.text.remediation, lang)

    def render_message(self, verdict: Verdict) -> Text:
        """Fill the verdict's message template with its facts, in every language."""
        key = verdict.message or verdict.status.value
        template = self.text.messages.get(key)
        if template is None:
            return {"pl": self.text.title.pl, "en": self.text.title.en}
        return {lang: _format(getattr(template, lang), verdict.facts) for lang in ("pl", "en")}


class _LenientFormatter(string.Formatter):
    """Formats templates so a missing fact shows as ``?`` instead of raising."""

    def get_value(self, key: Any, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str):
            return kwargs.get(key, "?")
        return super().get_value(key, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (list, tuple)) and not format_spec:
            return ", ".join(str(item) for item in value)
        try:
            return super().format_field(value, format_spec)
        except (ValueError, TypeError):
            return str(value)


_FORMATTER = _LenientFormatter()


def _format(template: str, facts: Mapping[str, Any]) -> str:
    return _FORMATTER.vformat(template, (), facts)


# --------------------------------------------------------------------------- family


class Family:
    """A set of probes and checks with one YAML sidecar of texts.

    ``Family("tls", __file__)`` reads ``tls.yaml`` next to the module that
    creates it (``metadata`` may name another file).  ``source_types`` maps
    an inventory source ``type`` to the pydantic model validating it, so a
    family can add evidence sources without touching the inventory loader.
    ``intrusive`` marks a family whose probes do more than look (they try
    logins): ``auditor checks`` lists it as such and the reports say whether it ran.
    ``texts`` supplies check texts from code instead of a sidecar, for a family
    whose checks are generated from data files that carry their own text
    (the sidecar is then optional; the same strict join applies).
    """

    def __init__(
        self,
        name: str,
        module_file: str,
        *,
        metadata: str | None = None,
        source_types: Mapping[str, type[BaseModel]] | None = None,
        data_versions: Callable[[Mapping[str, Any]], Mapping[str, str]] | None = None,
        texts: Callable[[], Mapping[str, CheckText]] | None = None,
        settings: type[BaseModel] | None = None,
        intrusive: bool = False,
    ) -> None:
        self.name = name
        here = Path(module_file).parent
        self.metadata_path = here / (metadata or f"{name}.yaml")
        self.probes: list[type[Probe]] = []
        self.source_types: dict[str, type[BaseModel]] = dict(source_types or {})
        self.data_versions = data_versions
        """Given the run's settings, the knowledge data the checks will use and its date (for ``RunMeta``)."""
        self._functions: dict[str, tuple[tuple[str, ...], CheckFunction, bool]] = {}
        self._texts = texts
        self.settings = settings
        """The inventory ``settings`` keys this family reads (a ``auditor.settings.SettingsModel``)."""
        self.intrusive = intrusive
        """Its probes act on the target (login attempts): listed as such, run only where the authorisation allows."""

    def probe(self, cls: type[Probe]) -> type[Probe]:
        """Class decorator registering a probe."""
        self.probes.append(cls)
        return cls

    def check(self, check_id: str, *, reads: str | Iterable[str] | None = None,
              any_of: bool = False) -> Callable[[CheckFunction], CheckFunction]:
        """Decorator registering ``fn(evidence, target, ctx) -> Iterable[Verdict]``.

        With one probe in ``reads`` (default: the family's name) the function
        receives that probe's evidence dict; with several, a mapping of probe
        name to evidence.  ``any_of=True`` is for checks that judge the same
        question from probes of different target kinds (a host's banners, a
        package inventory): the check runs when at least one of them ran on
        the target, and probes that did not run or failed map to ``None``.
        """
        if "." not in check_id:
            raise PluginError(f"check id {check_id!r} must be dotted, e.g. {self.name}.something")
        probe_names = (self.name,) if reads is None else ((reads,) if isinstance(reads, str) else tuple(reads))

        def register(fn: CheckFunction) -> CheckFunction:
            if check_id in self._functions:
                raise PluginError(f"check {check_id} registered twice in family {self.name}")
            self._functions[check_id] = (probe_names, fn, any_of)
            return fn

        return register

    def specs(self) -> list[CheckSpec]:
        """Joins the registered functions with their sidecar text, strictly."""
        texts = load_check_texts(self.metadata_path) if self._texts is None or self.metadata_path.exists() else {}
        if self._texts is not None:
            texts.update(self._texts())
        missing_text = sorted(set(self._functions) - set(texts))
        missing_code = sorted(set(texts) - set(self._functions))
        if missing_text:
            raise PluginError(f"{self.metadata_path}: no text for check(s) {', '.join(missing_text)}")
        if missing_code:
            raise PluginError(f"{self.metadata_path}: text for unknown check(s) {', '.join(missing_code)}")
        return [
            CheckSpec(id=check_id, family=self.name, reads=reads, evaluate=fn, text=texts[check_id], any_of=any_of,
                      intrusive=self.intrusive)
            for check_id, (reads, fn, any_of) in self._functions.items()
        ]


def load_check_texts(path: Path) -> dict[str, CheckText]:
    """Reads and validates a family sidecar: ``checks: {id: {severity, title, ...}}``."""
    from auditor.yamlfile import YamlFileError, load_yaml_with_lines

    document = load_yaml_with_lines(path)
    checks = document.data.get("checks") if isinstance(document.data, dict) else None
    if not isinstance(checks, dict):
        raise YamlFileError(path, 1, "expected a top-level mapping 'checks:'")
    texts: dict[str, CheckText] = {}
    for check_id, entry in checks.items():
        try:
            texts[check_id] = CheckText.model_validate(entry)
        except ValidationError as exc:
            raise document.error_from_validation(exc, prefix=("checks", check_id)) from None
    return texts
