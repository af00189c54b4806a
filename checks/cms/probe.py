"""The ``cms`` probe: which CMS each declared web site runs, its components' versions, its installers.

Passive first: the home page's asset paths name the CMS and its components;
then one small file per component (a WordPress plugin's ``readme.txt``) and
one request per known installer path.  Every request goes through
``auditor.http.fetch`` — pinned to the host's checked address, scope-checked
on every redirect, body-capped, inside one time budget per host.  Nothing
is posted, nothing is logged in to.  The registrable domains of scripts the
home page loads from elsewhere are looked up in RDAP (``auditor.rdap``: a
declared external source that receives only the domain name), so the
hygiene family can tell a script domain anyone may register.
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from importlib.resources import files
from typing import Any

from auditor.checks.cms.family import FAMILY
from auditor.checks.cms.fingerprint import MAX_COMPONENTS, cms_of, components_of, readme_version, script_sources
from auditor.checks.web.probe import web_sites
from auditor.http import FetchError, fetch, new_session
from auditor.model import Evidence, Target
from auditor.plugin import Probe, ProbeContext, ProbeUnreachable
from auditor.rdap import foreign_script_domains, load_bootstrap, lookup_all
from auditor.scope import OutOfScope
from auditor.yamlfile import load_shipped

PAGE_MAX_BYTES = 256 * 1024
FILE_MAX_BYTES = 32 * 1024
PER_REQUEST_S = 10.0
#: At most this many foreign script domains per host are looked up in RDAP (all are listed).
MAX_SCRIPT_DOMAINS = 10


@lru_cache(maxsize=1)
def installers() -> list[dict[str, Any]]:
    """The installer rules of ``installers.yaml``, with their patterns compiled."""
    data = load_shipped(files("auditor.checks.cms").joinpath("installers.yaml").read_text(encoding="utf-8"))
    return [{**rule, "exposed_re": re.compile(rule["exposed"], re.I),
             "installed_re": re.compile(rule["installed"], re.I) if rule["installed"] else None}
            for rule in data["installers"]]


@FAMILY.probe
class CmsProbe(Probe):
    name = "cms"
    target_kinds = frozenset({"host"})

    def applies(self, target: Target) -> bool:
        return super().applies(target) and bool(web_sites(target))

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        address = target.addresses[0] if target.addresses else None
        deadline = time.monotonic() + max(5.0, ctx.timeout * 0.85)
        sites = [_SiteReader(site.origin(target.name), address, ctx, deadline).read() for site in web_sites(target)]
        if all(site["error"] for site in sites):
            raise ProbeUnreachable("; ".join(site["error"] for site in sites)[:400])
        foreign = list(dict.fromkeys(d for site in sites for d in site["foreign_script_domains"]))
        return {"host": target.name, "sites": sites, "script_domains_named": len(foreign),
                "script_domains": _registrations(foreign[:MAX_SCRIPT_DOMAINS], ctx, deadline)}


def _registrations(domains: list[str], ctx: ProbeContext, deadline: float) -> list[dict[str, Any]]:
    """Whether each domain the pages load scripts from is registered (RDAP: the name only leaves the scanner)."""
    if ctx.offline:
        return [{"domain": domain, "outcome": "offline"} for domain in domains]
    bootstrap = load_bootstrap(ctx.settings.get("rdap_bootstrap"))
    return lookup_all(domains, bootstrap, deadline)


class _SiteReader:
    def __init__(self, origin: str, address: str | None, ctx: ProbeContext, deadline: float) -> None:
        self.origin, self.address, self.ctx, self.deadline = origin, address, ctx, deadline
        self.session = new_session()

    def get(self, path: str, max_bytes: int, follow: bool = True):
        timeout = min(PER_REQUEST_S, self.deadline - time.monotonic())
        if timeout < 0.5:
            raise FetchError("time budget used up")
        return fetch(self.origin + path, self.ctx.scope, timeout=timeout, max_bytes=max_bytes,
                     connect_to=self.address, session=self.session, follow_redirects=follow)

    def read(self) -> dict[str, Any]:
        facts: dict[str, Any] = {"origin": self.origin, "error": None, "cms": None, "components": [],
                                 "components_named": 0, "installers": [], "scripts": [], "foreign_script_domains": []}
        with self.session:
            try:
                page = self.get("/", PAGE_MAX_BYTES)
            except (FetchError, OutOfScope) as exc:
                facts["error"] = str(exc)[:300]
                return facts
            html = page.text(PAGE_MAX_BYTES)
            facts["scripts"] = script_sources(html)
            facts["foreign_script_domains"] = foreign_script_domains(self.origin, facts["scripts"],
                                                                     self.ctx.scope.domains)
            cms = cms_of(html)
            facts["cms"] = cms
            if cms is None:
                return facts
            slugs = components_of(cms, html)
            facts["components_named"] = len(slugs)
            facts["components"] = [self._component(cms, slug) for slug in slugs[:MAX_COMPONENTS]]
            facts["installers"] = [self._installer(rule) for rule in installers() if rule["cms"] == cms]
        return facts

    def _component(self, cms: str, slug: str) -> dict[str, Any]:
        item: dict[str, Any] = {"slug": slug, "version": None, "name": None, "evidence": None}
        if cms != "wordpress":
            return item  # Joomla and Drupal components publish no per-component version file
        path = f"/wp-content/plugins/{slug}/readme.txt"
        try:
            response = self.get(path, FILE_MAX_BYTES, follow=False)
        except (FetchError, OutOfScope) as exc:
            item["evidence"] = f"{path}: {str(exc)[:120]}"
            return item
        if response.status == 200:
            item["version"], item["name"] = readme_version(response.text(FILE_MAX_BYTES))
        item["evidence"] = f"{path} ({response.status})"
        return item

    def _installer(self, rule: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {"path": rule["path"], "url": self.origin + rule["path"], "status": None,
                                  "exposed": False, "error": None}
        try:
            response = self.get(rule["path"], FILE_MAX_BYTES, follow=False)
        except (FetchError, OutOfScope) as exc:
            result["error"] = str(exc)[:200]
            return result
        text = response.text(FILE_MAX_BYTES)
        result["status"] = response.status
        installed = rule["installed_re"] is not None and rule["installed_re"].search(text)
        result["exposed"] = response.status == 200 and bool(rule["exposed_re"].search(text)) and not installed
        return result
