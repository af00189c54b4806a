"""The inventory: one office, its authorised scope, hosts, domains and evidence sources.

Validated strictly (unknown keys are errors, every address must lie in the
authorised scope) and reported with file and line.  Evidence sources are
validated by the model their family registered for the source ``type``, so
a family adds a source type without changing this file.  Secrets found in
sources (fields typed ``SecretStr``) are lifted out of the targets into a
separate map that only probes see; they never reach a ScanRun.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from auditor.i18n import _
from auditor.model import PortSpec, Target, TlsMode
from auditor.scope import ScopeGuard
from auditor.settings import require_resolver_in_scope, validate_settings
from auditor.yamlfile import YamlDocument, YamlFileError, load_yaml_with_lines


class OrganisationKind(StrEnum):
    GMINA = "gmina"
    MIASTO = "miasto"
    POWIAT = "powiat"
    WOJEWODZTWO = "województwo"
    ZWIAZEK = "związek"
    JEDNOSTKA = "jednostka"


class EntityClass(StrEnum):
    """KSC classification, *declared* by the office (never derived by the tool)."""

    KEY = "key"
    IMPORTANT = "important"
    NONE = "none"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Organisation(_Strict):
    name: str = Field(min_length=1)
    kind: OrganisationKind
    teryt: str | None = Field(default=None, pattern=r"^\d{7}$")
    staff: int | None = Field(default=None, ge=0)
    entity_class: EntityClass = EntityClass.NONE
    """Declared by the office; REFERENCE.md: no confirmed rule ties it to staff."""
    address: str | None = None
    contact: str | None = None


#: Scopes larger than this (per CIDR) are almost always a typo (``/8`` for ``/24``, ``0.0.0.0/0``).
LARGE_SCOPE_ADDRESSES = 65536


class Scope(_Strict):
    cidrs: list[str] = Field(min_length=1)
    domains: list[str] = Field(default_factory=list)
    confirm_large: bool = False
    """Set ``true`` to authorise a CIDR larger than a /16 (65 536 addresses) on purpose."""

    @field_validator("cidrs")
    @classmethod
    def _valid_cidrs(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                network = ipaddress.ip_network(value, strict=False)
            except ValueError as exc:
                raise ValueError(_("{value!r} is not a CIDR: {problem}").format(value=value, problem=exc)) from None
            if str(network) != value.strip() and network.prefixlen != network.max_prefixlen:
                raise ValueError(_("{value!r} has host bits set: did you mean {network}?").format(value=value,
                                                                                                  network=network))
        return values

    @model_validator(mode="after")
    def _not_too_large(self) -> "Scope":
        if self.confirm_large:
            return self
        for value in self.cidrs:
            network = ipaddress.ip_network(value, strict=False)
            # loopback reaches this machine only, however large: the test labs authorise 127.0.0.0/8
            if network.num_addresses > LARGE_SCOPE_ADDRESSES and not network.is_loopback:
                raise ValueError(_("{value} authorises {n:,} addresses; an authorised scope that large is almost "
                                   "always a mistake (set scope.confirm_large: true if it is meant)").format(
                    value=value, n=network.num_addresses))
        return self


class PortEntry(_Strict):
    port: int = Field(ge=1, le=65535)
    protocol: str = Field(default="tcp", pattern="^(tcp|udp)$")
    service: str | None = None
    tls: TlsMode | None = None


class Host(_Strict):
    name: str = Field(min_length=1)
    addresses: list[str] = Field(default_factory=list)
    ports: list[int | PortEntry] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    description: str | None = None

    @field_validator("addresses")
    @classmethod
    def _valid_addresses(cls, values: list[str]) -> list[str]:
        for value in values:
            ipaddress.ip_address(value)
        return values

    @field_validator("ports")
    @classmethod
    def _valid_ports(cls, values: list[int | PortEntry]) -> list[int | PortEntry]:
        for value in values:
            if isinstance(value, int) and not 1 <= value <= 65535:
                raise ValueError(_("port {port} is outside 1-65535").format(port=value))
        return values


class Domain(_Strict):
    name: str = Field(min_length=1)
    dkim_selectors: list[str] = Field(default_factory=list)
    mail: bool = True


class System(_Strict):
    """A protected information system (for backup RPO and restore-test rules)."""

    name: str = Field(min_length=1)
    description: str | None = None
    hosts: list[str] = Field(default_factory=list)
    rpo_hours: float = Field(default=24, gt=0)
    restore_test_months: int = Field(default=12, gt=0)
    retention_days: int | None = Field(default=None, gt=0)


class SourceBase(_Strict):
    """Fields every evidence source has; families subclass it per ``type``."""

    type: str
    name: str = Field(min_length=1)


class Inventory(_Strict):
    organisation: Organisation
    scope: Scope
    settings: dict[str, Any] = Field(default_factory=dict)
    hosts: list[Host] = Field(default_factory=list)
    domains: list[Domain] = Field(default_factory=list)
    systems: list[System] = Field(default_factory=list)
    sources: list[dict[str, Any]] = Field(default_factory=list)
    extensions: dict[str, Any] = Field(default_factory=dict)
    """Sections owned by later stages (authorisation, accepted risks, attestations)."""

    @model_validator(mode="after")
    def _unique_names(self) -> "Inventory":
        for label, names in (
            ("hosts", [h.name for h in self.hosts]),
            ("domains", [d.name for d in self.domains]),
            ("systems", [s.name for s in self.systems]),
            ("sources", [str(s.get("name")) for s in self.sources]),
        ):
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(_("duplicate {section} name(s): {names}").format(section=label, names=", ".join(dupes)))
        return self


@dataclass
class LoadedInventory:
    """A validated inventory turned into targets, plus what probes need beside them."""

    path: Path
    sha256: str
    model: Inventory
    targets: list[Target]
    scope: ScopeGuard
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    sources: dict[str, BaseModel] = field(default_factory=dict)

    @property
    def organisation(self) -> dict[str, Any]:
        return self.model.organisation.model_dump(mode="json")

    @property
    def settings(self) -> dict[str, Any]:
        return dict(self.model.settings)


# Well-known ports: which protocol they speak and whether TLS is implicit or STARTTLS.
WELL_KNOWN_PORTS: Mapping[int, tuple[str, TlsMode]] = {
    21: ("ftp", TlsMode.NONE),
    22: ("ssh", TlsMode.NONE),
    23: ("telnet", TlsMode.NONE),
    25: ("smtp", TlsMode.STARTTLS),
    80: ("http", TlsMode.NONE),
    110: ("pop3", TlsMode.STARTTLS),
    143: ("imap", TlsMode.STARTTLS),
    389: ("ldap", TlsMode.NONE),
    443: ("https", TlsMode.IMPLICIT),
    465: ("smtps", TlsMode.IMPLICIT),
    587: ("submission", TlsMode.STARTTLS),
    636: ("ldaps", TlsMode.IMPLICIT),
    993: ("imaps", TlsMode.IMPLICIT),
    995: ("pop3s", TlsMode.IMPLICIT),
    3389: ("rdp", TlsMode.NONE),
    8443: ("https", TlsMode.IMPLICIT),
}


def port_spec(entry: int | PortEntry) -> PortSpec:
    """Fills in service and TLS mode from the well-known port table."""
    if isinstance(entry, int):
        entry = PortEntry(port=entry)
    known_service, known_tls = WELL_KNOWN_PORTS.get(entry.port, (None, TlsMode.NONE))
    return PortSpec(
        port=entry.port,
        protocol=entry.protocol,
        service=entry.service or known_service,
        tls=entry.tls if entry.tls is not None else known_tls,
    )


def _source_models() -> dict[str, type[BaseModel]]:
    from auditor.registry import default_registry

    return default_registry().source_types


def _settings_models() -> list[type[BaseModel]]:
    from auditor.registry import default_registry

    return default_registry().settings_models


def load_inventory(path: Path | str, *, resolver: Any = None) -> LoadedInventory:
    """Reads, validates and expands an inventory; raises ``YamlFileError`` with the line."""
    path = Path(path)
    doc = load_yaml_with_lines(path)
    if not isinstance(doc.data, dict):
        raise YamlFileError(path, 1, _("an inventory is a mapping with 'organisation', 'scope', 'hosts' ..."))
    try:
        model = Inventory.model_validate(doc.data)
    except ValidationError as exc:
        raise doc.error_from_validation(exc) from None
    model.settings = validate_settings(doc, doc.data.get("settings"), _settings_models())
    scope_kwargs = {"resolver": resolver} if resolver else {}
    scope = ScopeGuard.from_lists(model.scope.cidrs, model.scope.domains, **scope_kwargs)
    _check_hosts_in_scope(doc, model, scope)
    require_resolver_in_scope(doc, model.settings, scope)
    model = model.model_copy(update={"settings": resolve_setting_paths(doc, model.settings, path.parent)})
    sources, secrets, source_targets = _load_sources(doc, model, path.parent)
    targets = _host_targets(model) + _domain_targets(model) + _system_targets(model) + source_targets
    return LoadedInventory(
        path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        model=model,
        targets=targets,
        scope=scope,
        secrets=secrets,
        sources=sources,
    )


#: Settings naming a file or a folder, and which of the two each must be.
PATH_SETTINGS: Mapping[str, str] = {"tls_ca_file": "file", "restore_test_dir": "folder", "rdap_bootstrap": "file",
                                    "ssh_blacklist_dir": "folder"}


def resolve_setting_paths(doc: YamlDocument, settings: dict[str, Any], base_dir: Path) -> dict[str, Any]:
    """``settings`` with every path made absolute against the inventory's folder, each checked to exist.

    A relative path that silently resolved against the shell's working
    directory made every TLS check an error when the scan ran from cron in
    another folder; a missing file is an input error (exit 2 with the line),
    found before any packet is sent.
    """
    resolved = dict(settings)
    for key, kind in PATH_SETTINGS.items():
        value = settings.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise doc.error(("settings", key), _("must be a path to a file") if kind == "file" else
                            _("must be a path to a folder"))
        target = (base_dir / Path(value).expanduser()).resolve()
        exists = target.is_file() if kind == "file" else target.is_dir()
        if not exists:
            missing = (_("no such file: {path}") if kind == "file" else _("no such folder: {path}")).format(path=target)
            raise doc.error(("settings", key), missing + ("" if Path(value).is_absolute() else " " + _(
                "(relative to the inventory's folder {folder})").format(folder=base_dir)))
        resolved[key] = str(target)
    return resolved


def _check_hosts_in_scope(doc: YamlDocument, model: Inventory, scope: ScopeGuard) -> None:
    for index, host in enumerate(model.hosts):
        for a_index, address in enumerate(host.addresses):
            if not scope.address_allowed(address):
                raise doc.error(
                    ("hosts", index, "addresses", a_index),
                    _("{address} is outside the authorised scope ({cidrs})").format(address=address,
                                                                                   cidrs=", ".join(model.scope.cidrs)),
                )
        if not host.addresses and not scope.name_allowed(host.name):
            raise doc.error(("hosts", index, "name"), _("{name} has no addresses and is outside the authorised domains").format(name=host.name))
    for index, domain in enumerate(model.domains):
        if not scope.name_allowed(domain.name):
            raise doc.error(("domains", index, "name"), _("{name} is outside the authorised domains").format(name=domain.name))


def _host_targets(model: Inventory) -> list[Target]:
    return [
        Target(
            id=f"host:{host.name}",
            kind="host",
            name=host.name,
            addresses=tuple(host.addresses),
            ports=tuple(port_spec(p) for p in host.ports),
            roles=tuple(host.roles),
        )
        for host in model.hosts
    ]


def _domain_targets(model: Inventory) -> list[Target]:
    return [
        Target(
            id=f"domain:{domain.name}",
            kind="domain",
            name=domain.name,
            attrs={"dkim_selectors": list(domain.dkim_selectors), "mail": domain.mail},
        )
        for domain in model.domains
    ]


def _system_targets(model: Inventory) -> list[Target]:
    """Protected systems are targets too, so findings such as "no backup" can name the system."""
    return [
        Target(id=f"system:{system.name}", kind="system", name=system.name,
               attrs=system.model_dump(mode="json", exclude={"name"}, exclude_none=True))
        for system in model.systems
    ]


def _load_sources(
    doc: YamlDocument, model: Inventory, base_dir: Path
) -> tuple[dict[str, BaseModel], dict[str, dict[str, str]], list[Target]]:
    known = _source_models()
    sources: dict[str, BaseModel] = {}
    secrets: dict[str, dict[str, str]] = {}
    targets: list[Target] = []
    for index, raw in enumerate(model.sources):
        source_type = raw.get("type")
        if source_type not in known:
            raise doc.error(
                ("sources", index, "type"),
                _("unknown source type {kind!r}; known: {known}").format(kind=source_type,
                                                                           known=", ".join(sorted(known)) or "-"),
            )
        try:
            source = known[source_type].model_validate(raw, context={"base_dir": base_dir})
        except ValidationError as exc:
            raise doc.error_from_validation(exc, prefix=("sources", index)) from None
        target_id = f"{source_type}:{raw['name']}"
        attrs: dict[str, Any] = {}
        for key, value in source.model_dump(mode="python").items():
            if isinstance(value, SecretStr):
                secrets.setdefault(target_id, {})[key] = value.get_secret_value()
            elif value is not None:
                attrs[key] = _resolve_path(key, value, base_dir)
        sources[target_id] = source
        targets.append(Target(id=target_id, kind=source_type, name=str(raw["name"]), attrs=attrs))
    return sources, secrets, targets


def _resolve_path(key: str, value: Any, base_dir: Path) -> Any:
    """Relative paths in sources are relative to the inventory file, as a user expects."""
    if key in ("path", "paths", "file", "files", "folder", "repository", "password_file") and isinstance(value, str):
        if "://" in value or ":" in value.split("/")[0]:
            return value
        return str((base_dir / value).resolve())
    if key in ("paths", "files", "folders") and isinstance(value, list):
        return [_resolve_path("path", item, base_dir) for item in value]
    return value
