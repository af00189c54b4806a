"""``auditor data refresh``: newer knowledge from public sources, cached locally.

Three sources, each fetched with ``requests`` into the cache directory as
the raw JSON they return (so what was used can be inspected later):

* endoflife.date API — ``{base}/{product}.json`` per product in ``eol.yaml``;
* CISA KEV catalog JSON — marks which table entries are known exploited;
* OSV — ``{base}/{CVE}`` per table entry, for distributions' fixed versions.

Scans never fetch: they read the cache when it exists (``knowledge.py``
lays it over the shipped data) and the shipped data otherwise.  Base URLs
are parameters so tests serve fixture files from a local HTTP server.
"""

from __future__ import annotations

import json
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
MAX_BYTES = 64 * 1024 * 1024


class RefreshError(Exception):
    """A source could not be fetched or was not the JSON expected."""


@dataclass
class RefreshResult:
    directory: Path
    endoflife: list[str] = field(default_factory=list)
    kev_catalog: str | None = None
    osv: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _get_json(session: requests.Session, url: str, timeout: float) -> Any:
    try:
        response = session.get(url, timeout=timeout, stream=True)
    except requests.RequestException as exc:
        raise RefreshError(f"{url}: {type(exc).__name__}: {str(exc)[:200]}") from None
    with response:
        if response.status_code != 200:
            raise RefreshError(f"{url}: HTTP {response.status_code}")
        body = response.raw.read(MAX_BYTES + 1, decode_content=True)
    if len(body) > MAX_BYTES:
        raise RefreshError(f"{url}: answer larger than {MAX_BYTES} bytes")
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
            osv_base: str = OSV_API, timeout: float = 30.0) -> RefreshResult:
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
        for entry in vuln_doc["vulnerabilities"]:
            try:
                _write(directory / "osv" / f"{entry['cve']}.json",
                       _get_json(session, f"{osv_base.rstrip('/')}/{entry['cve']}", timeout))
                result.osv.append(entry["cve"])
            except RefreshError as exc:
                result.failures.append(str(exc))
    _write(directory / "meta.json", {
        "refreshed": utcnow().isoformat(timespec="seconds"),
        "endoflife": result.endoflife, "kev_catalog": result.kev_catalog, "osv": result.osv,
    })
    return result


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
    for index, vuln in enumerate(vulns):
        path = directory / "osv" / f"{vuln.cve}.json"
        if path.is_file():
            vulns[index] = replace(vuln, distros=_osv_distros(read_json(path), vuln.distros))
            osv_count += 1
    if osv_count:
        versions["patching.vulns"] = versions["patching.vulns"].replace("(shipped)", f"+ OSV {day} ({osv_count} CVEs)")
    return products, vulns, versions


def _osv_distros(record: Mapping[str, Any], distros: Mapping[str, DistroFix]) -> dict[str, DistroFix]:
    """Adds OSV's fixed versions (``Debian:11``, ``Ubuntu:22.04:LTS``) for packages the table lists."""
    fixed_by_distro = {name: dict(fix.fixed) for name, fix in distros.items()}
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
    return {name: replace(fix, fixed=fixed_by_distro[name]) for name, fix in distros.items()}
