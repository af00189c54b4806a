"""``auditor data refresh``: newer knowledge from public sources, cached locally.

Four sources, each fetched with ``requests`` into the cache directory as
the JSON they return (so what was used can be inspected later):

* endoflife.date API — ``{base}/{product}.json`` per product in ``eol.yaml``;
* CISA KEV catalog JSON — marks which table entries are known exploited;
* the Debian security tracker's JSON (``/tracker/data/json``: source package
  → CVE → release codename → status and fixed version), Debian's own
  statement of what is fixed where — cached trimmed to the table's CVEs;
* OSV — the distributions' own records ``DEBIAN-{CVE}`` and ``UBUNTU-{CVE}``
  (``{base}/{id}``), whose ``Debian:12`` / ``Ubuntu:24.04:LTS`` ranges give
  the fixed package per release; a CVE a distribution has no record for
  answers 404, which is not a failure.

For Debian the tracker wins over OSV (OSV's Debian records are derived
from it), and both win over the shipped table.

Scans never fetch: they read the cache when it exists (``knowledge.py``
lays it over the shipped data) and the shipped data otherwise.  Base URLs
are parameters so tests serve fixture files from a local HTTP server.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import requests

from auditor.checks.patching.knowledge import (
    DATA_DIR, DistroFix, Product, Vuln, _read_yaml, cycle_from_endoflife, read_json,
)
from auditor.model import utcnow

ENDOFLIFE_API = "https://endoflife.date/api"
KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
OSV_API = "https://api.osv.dev/v1/vulns"
DEBIAN_TRACKER = "https://security-tracker.debian.org/tracker/data/json"
MAX_BYTES = 64 * 1024 * 1024
#: The tracker's JSON holds every package and CVE Debian ever tracked (about 75 MB in 2025).
TRACKER_MAX_BYTES = 512 * 1024 * 1024
OSV_PREFIXES = ("DEBIAN", "UBUNTU")
#: Debian release codenames as the tracker names them → the release numbers the table uses.
DEBIAN_CODENAMES = {"wheezy": "7", "jessie": "8", "stretch": "9", "buster": "10", "bullseye": "11",
                    "bookworm": "12", "trixie": "13", "forky": "14", "duke": "15"}


class RefreshError(Exception):
    """A source could not be fetched or was not the JSON expected."""


@dataclass
class RefreshResult:
    directory: Path
    endoflife: list[str] = field(default_factory=list)
    kev_catalog: str | None = None
    osv: list[str] = field(default_factory=list)
    debian_tracker: int | None = None
    """How many of the table's CVEs the tracker had data for (``None``: not fetched)."""
    failures: list[str] = field(default_factory=list)


class NotFound(RefreshError):
    """HTTP 404: the source has no such record (OSV for a CVE a distribution never tracked)."""


def _get_json(session: requests.Session, url: str, timeout: float, limit: int = MAX_BYTES) -> Any:
    try:
        response = session.get(url, timeout=timeout, stream=True)
    except requests.RequestException as exc:
        raise RefreshError(f"{url}: {type(exc).__name__}: {str(exc)[:200]}") from None
    with response:
        if response.status_code == 404:
            raise NotFound(f"{url}: HTTP 404")
        if response.status_code != 200:
            raise RefreshError(f"{url}: HTTP {response.status_code}")
        body = response.raw.read(limit + 1, decode_content=True)
    if len(body) > limit:
        raise RefreshError(f"{url}: answer larger than {limit} bytes")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise RefreshError(f"{url}: not JSON ({exc})") from None


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def refresh(directory: Path, *, endoflife_base: str = ENDOFLIFE_API, kev_url: str = KEV_URL,
            osv_base: str = OSV_API, debian_tracker_url: str = DEBIAN_TRACKER, timeout: float = 30.0) -> RefreshResult:
    """Fetches every source into ``directory``; a failing item is reported, the others still stored."""
    result = RefreshResult(directory)
    eol_doc = _read_yaml(DATA_DIR / "eol.yaml")
    vuln_doc = _read_yaml(DATA_DIR / "vulns.yaml")
    with requests.Session() as session:
        session.headers["User-Agent"] = "auditor data refresh"
        for entry in eol_doc["products"].values():
            slug = entry.get("slug")
            if not slug:
                continue
            try:
                data = _get_json(session, f"{endoflife_base.rstrip('/')}/{slug}.json", timeout)
                if not isinstance(data, list):
                    raise RefreshError(f"endoflife.date {slug}: expected a list of cycles")
                _write(directory / "endoflife" / f"{slug}.json", data)
                result.endoflife.append(slug)
            except RefreshError as exc:
                result.failures.append(str(exc))
        try:
            kev = _get_json(session, kev_url, timeout)
            if not isinstance(kev, dict) or "vulnerabilities" not in kev:
                raise RefreshError(f"{kev_url}: not a KEV catalog")
            _write(directory / "kev.json", kev)
            result.kev_catalog = str(kev.get("catalogVersion", "?"))
        except RefreshError as exc:
            result.failures.append(str(exc))
        try:
            tracker = _get_json(session, debian_tracker_url, timeout, TRACKER_MAX_BYTES)
            extract = tracker_extract(tracker, vuln_doc["vulnerabilities"])
            _write(directory / "debian-tracker.json", extract)
            result.debian_tracker = len(extract)
        except RefreshError as exc:
            result.failures.append(str(exc))
        for entry in vuln_doc["vulnerabilities"]:
            for prefix in OSV_PREFIXES:
                record_id = f"{prefix}-{entry['cve']}"
                try:
                    _write(directory / "osv" / f"{record_id}.json",
                           _get_json(session, f"{osv_base.rstrip('/')}/{record_id}", timeout))
                    result.osv.append(record_id)
                except NotFound:
                    continue  # the distribution has no record of this CVE
                except RefreshError as exc:
                    result.failures.append(str(exc))
    _write(directory / "meta.json", {
        "refreshed": utcnow().isoformat(timespec="seconds"),
        "endoflife": result.endoflife, "kev_catalog": result.kev_catalog, "osv": result.osv,
        "debian_tracker": {"url": debian_tracker_url, "cves": result.debian_tracker},
    })
    return result


def tracker_extract(tracker: Any, entries: list[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The tracker's ``{source package: {CVE: {releases: ...}}}`` cut down to the table's CVEs.

    Keyed ``{CVE: {source package: releases}}``; a package name the table
    lists for Debian (source or binary) that the tracker knows is looked up.
    """
    if not isinstance(tracker, dict):
        raise RefreshError("Debian tracker: expected an object of source packages")
    extract: dict[str, dict[str, Any]] = {}
    for entry in entries:
        debian = (entry.get("distros") or {}).get("debian") or {}
        names = set(debian.get("packages", ())) | ({debian["source"]} if debian.get("source") else set())
        for name in sorted(names):
            record = (tracker.get(name) or {}).get(entry["cve"]) if isinstance(tracker.get(name), dict) else None
            if isinstance(record, dict) and isinstance(record.get("releases"), dict):
                extract.setdefault(entry["cve"], {})[name] = record["releases"]
    return extract


# --------------------------------------------------------------------------- using the cache


def overlay(directory: Path, products: dict[str, Product], vulns: list[Vuln],
            versions: dict[str, str]) -> tuple[dict[str, Product], list[Vuln], dict[str, str]]:
    """Shipped knowledge with whatever the cache holds laid over it; versions say which came from where."""
    meta = read_json(directory / "meta.json")
    day = str(meta.get("refreshed", "?"))[:10]
    versions = dict(versions)
    products = dict(products)
    refreshed = [key for key, p in products.items() if p.slug and (directory / "endoflife" / f"{p.slug}.json").is_file()]
    for key in refreshed:
        product = products[key]
        cycles = read_json(directory / "endoflife" / f"{product.slug}.json")
        products[key] = replace(product, cycles=tuple(cycle_from_endoflife(c) for c in cycles),
                                source=f"https://endoflife.date/{product.slug}")
    if refreshed:
        versions["patching.eol"] = f"endoflife.date {day} (cache, {len(refreshed)} products)"
    if (directory / "kev.json").is_file():
        kev = read_json(directory / "kev.json")
        added = {v["cveID"]: v.get("dateAdded") for v in kev.get("vulnerabilities", [])}
        vulns = [replace(v, kev=v.cve in added, kev_added=added.get(v.cve) or None) for v in vulns]
        versions["patching.kev"] = f"CISA KEV {kev.get('catalogVersion', '?')} (cache, {day})"
    osv_count = 0
    tracker = read_json(directory / "debian-tracker.json") if (directory / "debian-tracker.json").is_file() else {}
    for index, vuln in enumerate(vulns):
        distros = dict(vuln.distros)
        for prefix in OSV_PREFIXES:
            path = directory / "osv" / f"{prefix}-{vuln.cve}.json"
            if path.is_file():
                distros = _osv_distros(read_json(path), distros)
                osv_count += 1
        if vuln.cve in tracker and "debian" in distros:
            distros["debian"] = _tracker_fix(tracker[vuln.cve], distros["debian"])
        vulns[index] = replace(vuln, distros=distros)
    if osv_count:
        versions["patching.vulns"] = versions["patching.vulns"].replace("(shipped)", f"+ OSV {day} ({osv_count} records)")
    if tracker:
        versions["patching.debian"] = f"Debian security tracker {day} (cache, {len(tracker)} CVEs)"
    return products, vulns, versions


def _tracker_fix(packages: Mapping[str, Mapping[str, Any]], fix: DistroFix) -> DistroFix:
    """Debian's own statement per release: resolved (fixed version; ``0`` = never affected) or open (no fix yet)."""
    fixed, not_affected, unfixed = dict(fix.fixed), set(fix.not_affected), set(fix.unfixed)
    for releases in packages.values():
        for codename, state in releases.items():
            release = DEBIAN_CODENAMES.get(codename)
            if release is None or not isinstance(state, Mapping):
                continue  # sid / experimental are not releases an office runs
            status, version = state.get("status"), state.get("fixed_version")
            if status not in ("resolved", "open") or (status == "resolved" and not version):
                continue  # "undetermined": Debian has not decided, the shipped data stays
            fixed.pop(release, None)
            not_affected.discard(release)
            unfixed.discard(release)
            if status == "open":
                unfixed.add(release)
            elif version == "0":
                not_affected.add(release)
            else:
                fixed[release] = str(version)
    return replace(fix, fixed=fixed, not_affected=tuple(sorted(not_affected)), unfixed=tuple(sorted(unfixed)))


_ADVISORY = re.compile(r"^(DSA|DLA|USN)-\d+-\d+$")


def _osv_distros(record: Mapping[str, Any], distros: Mapping[str, DistroFix]) -> dict[str, DistroFix]:
    """Adds OSV's fixed versions (``Debian:11``, ``Ubuntu:22.04:LTS``) for packages the table lists."""
    fixed_by_distro = {name: dict(fix.fixed) for name, fix in distros.items()}
    advisories = {name: dict(fix.advisories) for name, fix in distros.items()}
    named = [i for i in [*record.get("related", ()), *record.get("aliases", ())] if _ADVISORY.match(str(i))]
    for affected in record.get("affected", []):
        package = affected.get("package", {})
        ecosystem = str(package.get("ecosystem", ""))
        distro, _, rest = ecosystem.partition(":")
        distro = distro.lower()
        release = rest.split(":")[0]
        if distro not in distros or not release or package.get("name") not in distros[distro].names():
            continue
        fixed = [event["fixed"] for r in affected.get("ranges", []) if r.get("type") == "ECOSYSTEM"
                 for event in r.get("events", []) if "fixed" in event]
        if fixed:
            fixed_by_distro[distro][release] = fixed[-1]
            prefix = "USN" if distro == "ubuntu" else "D"
            advisory = next((i for i in named if i.startswith(prefix)), None)
            if advisory:
                advisories[distro].setdefault(release, advisory)
    return {name: replace(fix, fixed=fixed_by_distro[name], advisories=advisories[name])
            for name, fix in distros.items()}
