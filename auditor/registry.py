"""Finds check families: the built-in ones under ``auditor.checks`` and
third-party ones through the entry-point group ``auditor.checks``.

Both are found the same way: a module exposing a module-level ``FAMILY``
(an ``auditor.plugin.Family``).  A built-in family wins an id clash and the
third-party one is reported, not silently merged.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import entry_points
from types import ModuleType

from pydantic import BaseModel

from auditor.plugin import CheckSpec, Family, PluginError, Probe

ENTRY_POINT_GROUP = "auditor.checks"
log = logging.getLogger(__name__)


@dataclass
class Registry:
    """Every known probe and check, indexed for the engine and the judge."""

    families: dict[str, Family] = field(default_factory=dict)
    probes: dict[str, type[Probe]] = field(default_factory=dict)
    checks: dict[str, CheckSpec] = field(default_factory=dict)
    source_types: dict[str, type[BaseModel]] = field(default_factory=dict)
    settings_models: list[type[BaseModel]] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add(self, family: Family, origin: str) -> None:
        if family.name in self.families:
            self.warnings.append(
                f"family {family.name!r} from {origin} ignored: already provided by {self.origins[family.name]}"
            )
            return
        specs = family.specs()
        clashes = [spec.id for spec in specs if spec.id in self.checks]
        clashes += [probe.name for probe in family.probes if probe.name in self.probes]
        if clashes:
            self.warnings.append(f"family {family.name!r} from {origin} ignored: ids already taken: {', '.join(clashes)}")
            return
        self.families[family.name] = family
        self.origins[family.name] = origin
        for probe in family.probes:
            self.probes[probe.name] = probe
        for spec in specs:
            self.checks[spec.id] = spec
        self.source_types.update(family.source_types)
        if family.settings is not None:
            self.settings_models.append(family.settings)

    def checks_of(self, families: set[str] | None = None) -> list[CheckSpec]:
        return [spec for spec in self.checks.values() if families is None or spec.family in families]

    def validate_reads(self) -> None:
        """Every probe a check reads must exist (a typo would silently never run)."""
        for spec in self.checks.values():
            unknown = [name for name in spec.reads if name not in self.probes]
            if unknown:
                raise PluginError(f"check {spec.id} reads unknown probe(s): {', '.join(unknown)}")


def _family_of(module: ModuleType, origin: str) -> Family:
    family = getattr(module, "FAMILY", None)
    if not isinstance(family, Family):
        raise PluginError(f"{origin}: module {module.__name__} has no FAMILY = Family(...)")
    return family


def builtin_modules() -> list[str]:
    import auditor.checks as package

    return [
        f"{package.__name__}.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]


def build_registry(*, include_plugins: bool = True) -> Registry:
    registry = Registry()
    for module_name in builtin_modules():
        registry.add(_family_of(importlib.import_module(module_name), "built-in"), "built-in")
    if include_plugins:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            origin = f"plugin {ep.name} ({ep.value})"
            try:
                loaded = ep.load()
            except Exception as exc:  # a broken plugin must not take the scanner down
                registry.warnings.append(f"{origin} failed to load: {exc}")
                continue
            family = loaded if isinstance(loaded, Family) else _family_of(loaded, origin)
            registry.add(family, origin)
    registry.validate_reads()
    for warning in registry.warnings:
        log.warning(warning)
    return registry


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The process-wide registry (built once; families are import-time constants)."""
    return build_registry()
