"""Judging a site's CMS: components with known vulnerabilities, installers anyone can run.

Versions come from what the site published (see ``probe.py``); a component
whose version the site does not reveal is said so (``manual``), never
passed.  The vulnerable ranges live in ``baselines/data/cms_components.yaml``
with their source and date.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any, Iterable

from auditor.checks.cms.family import FAMILY
from auditor.checks.cms.jslibs import identify, repository, vulnerabilities
from auditor.checks.patching.versions import in_range
from auditor.model import Evidence, Severity, Target
from auditor.plugin import JudgeContext, Verdict, failed, manual, not_applicable, passed
from auditor.yamlfile import load_shipped


@lru_cache(maxsize=1)
def component_data() -> dict[str, Any]:
    return load_shipped(files("auditor.baselines").joinpath("data/cms_components.yaml").read_text(encoding="utf-8"))


def advisories(cms: str, slug: str, version: str) -> list[dict[str, Any]]:
    """The advisories whose affected range holds ``version`` of component ``slug``."""
    return [entry for entry in component_data()["components"]
            if entry["cms"] == cms and entry["slug"] == slug
            and any(in_range(version, r.get("introduced"), r.get("fixed"), r.get("last_affected"))
                    for r in entry["affected"])]


def _sites_with_cms(evidence: Evidence) -> list[dict[str, Any]]:
    return [site for site in evidence["sites"] if not site.get("error") and site.get("cms")]


@FAMILY.check("cms.component.vulnerable")
def vulnerable_component(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    sites = _sites_with_cms(evidence)
    if not sites:
        yield not_applicable(message="no_cms")
    for site in sites:
        known = [c for c in site["components"] if c["version"]]
        unknown = [c["slug"] for c in site["components"] if not c["version"]]
        found = False
        for component in known:
            for entry in advisories(site["cms"], component["slug"], component["version"]):
                found = True
                fixed = ", ".join(r["fixed"] for r in entry["affected"] if r.get("fixed")) or "—"
                yield failed(subject=f"{site['origin']} {component['slug']} {entry['cve']}",
                             severity=Severity(entry["severity"]), origin=site["origin"], cms=site["cms"],
                             slug=component["slug"], name=entry["name"], version=component["version"],
                             cve=entry["cve"], fixed=fixed, kev=entry["kev"], what_pl=entry["title"]["pl"],
                             what_en=entry["title"]["en"], source=entry["source"],
                             data_date=component_data()["updated"], evidence=component["evidence"])
        if found:
            continue
        if unknown:
            yield manual(subject=site["origin"], message="versions_unknown", origin=site["origin"], cms=site["cms"],
                         slugs=", ".join(unknown), checked=len(known))
        else:
            yield passed(subject=site["origin"], origin=site["origin"], cms=site["cms"], checked=len(known),
                         components=", ".join(f"{c['slug']} {c['version']}" for c in known) or "—",
                         data_date=component_data()["updated"])


@FAMILY.check("cms.installer.exposed")
def installer_exposed(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    sites = _sites_with_cms(evidence)
    if not sites:
        yield not_applicable(message="no_cms")
    for site in sites:
        exposed = [i for i in site["installers"] if i["exposed"]]
        for installer in exposed:
            yield failed(subject=installer["url"], url=installer["url"], cms=site["cms"])
        if not exposed:
            unchecked = [i["path"] for i in site["installers"] if i["error"]]
            if unchecked:
                yield manual(subject=site["origin"], message="unchecked", origin=site["origin"],
                             paths=", ".join(unchecked))
            else:
                yield passed(subject=site["origin"], origin=site["origin"], cms=site["cms"],
                             paths=", ".join(i["path"] for i in site["installers"]))


@FAMILY.check("cms.js_library.vulnerable")
def vulnerable_js_library(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    sites = [site for site in evidence["sites"] if not site.get("error")]
    if not sites:
        yield not_applicable(message="no_site")
    for site in sites:
        libraries = [lib for lib in (identify(url) for url in site.get("scripts", [])) if lib]
        failing = False
        for library in libraries:
            for entry in vulnerabilities(library):
                failing = True
                ids = ", ".join(entry.get("identifiers", {}).get("CVE", [])) or "—"
                yield failed(subject=f"{site['origin']} {library.name} {ids}", origin=site["origin"],
                             library=library.name, version=library.version, url=library.url, cve=ids,
                             summary=entry.get("identifiers", {}).get("summary", ""), below=entry.get("below", "—"),
                             data_date=repository()["_updated"])
        if not failing:
            yield passed(subject=site["origin"], origin=site["origin"],
                         libraries=", ".join(f"{lib.name} {lib.version}" for lib in libraries) or "—",
                         scripts=len(site.get("scripts", [])), data_date=repository()["_updated"])
