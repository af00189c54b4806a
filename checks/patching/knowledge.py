"""The knowledge the patching checks judge with: end-of-life dates and vulnerable versions.

Shipped as data under ``baselines/data/`` (``eol.yaml``, ``vulns.yaml``),
each saying its source and date, so a scan works with no network at all.
``auditor data refresh`` stores newer copies of the public sources in a
local cache (see ``refresh.py``); when the cache holds them they are laid
over the shipped data.  Whatever was used is named, with its date, in
``RunMeta.data_versions``, so a report says which data judged it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

import auditor.baselines

DATA_DIR = Path(auditor.baselines.__file__).parent / "data"
ENV_CACHE = "AUDITOR_DATA_DIR"
SETTING_CACHE = "patching_data_dir"


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Cycle:
    """One release line of a product (``2.2``, ``8.1``, Debian ``11``, Windows ``10-22h2-w``)."""

    cycle: str
    eol: date | None
    """Last day of (free) security support; ``None`` when not announced."""
    eol_reached: bool = False
    """The source says the line is EOL but gives no date (``eol: true``)."""
    extended: date | None = None
    """Paid or extended support end (Windows ESU, Ubuntu Pro, Debian LTS is already in ``eol``)."""
    latest: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Product:
    key: str
    name: str
    source: str
    cycles: tuple[Cycle, ...]
    slug: str | None = None
    """The endoflife.date product id, when the refresh can update it."""
    extended_free: bool = False
    """The extended support is free and automatic (Debian LTS), so it counts as support."""

    def cycle(self, name: str) -> Cycle | None:
        return next((c for c in self.cycles if c.cycle == name), None)


@dataclass(frozen=True)
class Range:
    introduced: str | None = None
    fixed: str | None = None
    last_affected: str | None = None


@dataclass(frozen=True)
class DistroFix:
    """How one distribution fixed a vulnerability: its binary packages and fixed version per release."""

    packages: tuple[str, ...]
    fixed: Mapping[str, str] = field(default_factory=dict)
    not_affected: tuple[str, ...] = ()
    source: str | None = None
    """The source package (``openssh`` for ``openssh-server``): how OSV and security trackers name it."""
    advisories: Mapping[str, str] = field(default_factory=dict)
    """The distribution's advisory per release (``DSA-5724-1``, ``DLA-3532-1``, ``USN-6859-1``), when known."""
    unfixed: tuple[str, ...] = ()
    """Releases the distribution lists as affected with no fix yet (the tracker's ``open``)."""

    def names(self) -> set[str]:
        return set(self.packages) | ({self.source} if self.source else set())


@dataclass(frozen=True)
class Vuln:
    cve: str
    product: str
    title: str
    kev: bool
    ranges: tuple[Range, ...]
    distros: Mapping[str, DistroFix] = field(default_factory=dict)
    kev_added: str | None = None
    severity: str = "high"
    verified: str = ""
    platforms: tuple[str, ...] = ()
    """Where the affected component can exist (``windows``, ``unix``); empty: anywhere.

    PHP-CGI's CVE-2024-4577 lives only on Windows, PHP-FPM's CVE-2019-11043
    only where FPM runs (not Windows): a host whose platform is known
    elsewhere is not affected at all.
    """
    platform_unknown: str = "manual"
    """What an unknown host platform gives: ``manual`` (ask) or ``applies`` (the usual platform for the product)."""
    component: str = ""
    """The part of the product the flaw is in (``php-fpm``, ``mod_copy``), shown in the finding."""
    exploited: str = ""
    """Known exploited although not (or not yet) in KEV: ``backdoor`` for a trojaned release (vsftpd 2.3.4)."""
    upstream_only: bool = False
    """Only the vendor's own build is affected (a trojaned tarball): distribution packages are not."""

    @property
    def fixed_upstream(self) -> list[str]:
        return [r.fixed for r in self.ranges if r.fixed]

    @property
    def known_exploited(self) -> bool:
        """In CISA KEV, or exploited by construction (a backdoored release)."""
        return self.kev or bool(self.exploited)


@dataclass(frozen=True)
class Knowledge:
    products: Mapping[str, Product]
    vulns: tuple[Vuln, ...]
    versions: Mapping[str, str]

    def vulns_of(self, product: str) -> list[Vuln]:
        return [v for v in self.vulns if v.product == product]

    def vulns_of_package(self, distro: str, package: str) -> list[Vuln]:
        return [v for v in self.vulns if distro in v.distros and package in v.distros[distro].packages]


# --------------------------------------------------------------------------- parsing


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def cycle_from_endoflife(entry: Mapping[str, Any]) -> Cycle:
    """One cycle in the endoflife.date API shape (``cycle``, ``eol``, ``extendedSupport``, ``latest``)."""
    eol = entry.get("eol")
    return Cycle(
        cycle=str(entry["cycle"]),
        eol=_date(eol),
        eol_reached=eol is True,
        extended=_date(entry.get("extendedSupport")),
        latest=str(entry["latest"]) if entry.get("latest") is not None else None,
        label=str(entry.get("releaseLabel") or entry.get("label") or ""),
    )


def _product(key: str, entry: Mapping[str, Any], default_source: str) -> Product:
    return Product(
        key=key,
        name=entry.get("name", key),
        source=entry.get("source", default_source),
        slug=entry.get("slug"),
        extended_free=bool(entry.get("extended_free", False)),
        cycles=tuple(cycle_from_endoflife(c) for c in entry.get("cycles", [])),
    )


def _vuln(entry: Mapping[str, Any]) -> Vuln:
    distros = {
        name: DistroFix(
            packages=tuple(d.get("packages", ())),
            fixed={str(k): str(v) for k, v in (d.get("fixed") or {}).items()},
            not_affected=tuple(str(r) for r in d.get("not_affected", ())),
            source=d.get("source"),
            advisories={str(k): str(v) for k, v in (d.get("advisories") or {}).items()},
            unfixed=tuple(str(r) for r in d.get("unfixed", ())),
        )
        for name, d in (entry.get("distros") or {}).items()
    }
    return Vuln(
        cve=entry["cve"],
        product=entry["product"],
        title=entry.get("title", ""),
        kev=bool(entry.get("kev", False)),
        kev_added=str(entry["kev_added"]) if entry.get("kev_added") else None,
        ranges=tuple(Range(r.get("introduced"), r.get("fixed"), r.get("last_affected"))
                     for r in entry.get("affected", [])),
        distros=distros,
        severity=entry.get("severity", "high"),
        verified=entry.get("verified", ""),
        platforms=tuple(entry.get("platforms", ())),
        platform_unknown=entry.get("platform_unknown", "manual"),
        component=entry.get("component", ""),
        exploited=entry.get("exploited", ""),
        upstream_only=bool(entry.get("upstream_only", False)),
    )


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the tables are large


def _read_yaml(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}  # noqa: S506 - a safe loader


# --------------------------------------------------------------------------- loading


def cache_dir(settings: Mapping[str, Any] | None = None) -> Path:
    """Where ``auditor data refresh`` writes and the checks read refreshed data."""
    configured = (settings or {}).get(SETTING_CACHE) or os.environ.get(ENV_CACHE)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "auditor" / "data"


def knowledge_for(settings: Mapping[str, Any] | None = None) -> Knowledge:
    """The knowledge for a run: shipped data with the refreshed cache laid over it."""
    directory = cache_dir(settings)
    stamp = (directory / "meta.json").stat().st_mtime if (directory / "meta.json").is_file() else 0.0
    return _load(str(directory), stamp)


@lru_cache(maxsize=4)
def _load(directory: str, stamp: float) -> Knowledge:
    eol_doc = _read_yaml(DATA_DIR / "eol.yaml")
    vuln_doc = _read_yaml(DATA_DIR / "vulns.yaml")
    products = {key: _product(key, entry, eol_doc["source"]) for key, entry in eol_doc["products"].items()}
    vulns = [_vuln(v) for v in vuln_doc["vulnerabilities"]]
    versions = {
        "patching.eol": f"{eol_doc['source_name']} {eol_doc['retrieved']} (shipped)",
        "patching.vulns": f"auditor table {vuln_doc['updated']} (shipped)",
        "patching.kev": f"CISA KEV {vuln_doc['kev_catalog']} (shipped)",
    }
    if stamp:
        from auditor.checks.patching.refresh import overlay

        products, vulns, versions = overlay(Path(directory), products, vulns, versions)
    return Knowledge(products=products, vulns=tuple(vulns), versions=versions)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
