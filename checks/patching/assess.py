"""Judging versions against the knowledge data (pure): end of life and vulnerable ranges.

The rules that keep distribution backports from raising false alarms live
here, in one place:

* a host banner with only an upstream number is judged by upstream ranges;
* a banner naming a distribution (``Apache/2.4.49 (Debian)``) may run a
  patched package under the old number: it is judged by the distribution's
  fixed version when the banner gives the package revision and release
  (``OpenSSH_8.4p1 Debian-5+deb11u1``) and the table knows that release,
  and is otherwise *undecidable* — a warning with the reason, never a fail;
* an installed package is judged by its distribution's fixed version for
  the host's release, with the package manager's own ordering.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Iterable, Mapping

from auditor.checks.patching.knowledge import Cycle, Knowledge, Product, Vuln
from auditor.checks.patching.normalise import (
    Observed, dedupe, debian_release, from_nmap, from_windows_program, parse_generator, parse_greeting, parse_header, parse_ssh_banner,
)
from auditor.checks.patching.versions import compare_debian, compare_rpm, compare_upstream, cycle_of, in_range, split_evr

#: Products whose generator/version tells the CMS (for ``patch.outdated_cms``).
CMS_PRODUCTS = frozenset({"wordpress", "joomla", "drupal", "typo3"})
#: Rebuilds of RHEL share its package versions and therefore its fixed versions.
RHEL_REBUILDS = frozenset({"centos", "almalinux", "rocky"})
OS_PRODUCTS = frozenset({"debian", "ubuntu", "rhel", "centos", "almalinux", "rocky", "windows", "windows_server"})


# --------------------------------------------------------------------------- host observations


def host_observations(network: Mapping[str, Any] | None, software: Mapping[str, Any] | None) -> list[Observed]:
    """Every product a host showed: nmap service detection, HTTP headers, generator tags, greetings."""
    found: list[Observed] = []
    for host in (network or {}).get("hosts", {}).values():
        for port in host.get("ports", []):
            if port.get("state") == "open" and (observed := from_nmap(port)):
                found.append(observed)
    for page in (software or {}).get("http", []):
        port = page.get("port")
        for header, value in page.get("headers", {}).items():
            found.extend(parse_header(header, value, port=port))
        for content in page.get("generators", []):
            if observed := parse_generator(content, port=port):
                found.append(observed)
        cms = page.get("cms") or {}
        if cms.get("version"):
            found.append(Observed(product=cms["product"], version=cms["version"], raw=f"{cms.get('file')}",
                                  source="http:cms-file", port=port))
    for banner in (software or {}).get("banners", []):
        text, port = banner.get("banner", ""), banner.get("port")
        observed = parse_ssh_banner(text, port=port) if text.startswith("SSH-") else parse_greeting(
            text, source=f"{banner.get('service')}:banner", port=port)
        found.extend([observed] if observed else [])
    return _prefer_versioned(dedupe(found))


def program_observations(programs: Iterable[Mapping[str, Any]] | None) -> list[Observed]:
    """Known products among a Windows host's installed programs (no backports on Windows: upstream rules)."""
    return dedupe(o for o in (from_windows_program(dict(p)) for p in programs or []) if o)


def _prefer_versioned(items: list[Observed]) -> list[Observed]:
    """Drops a version-less sighting of a product that another source saw with its version."""
    versioned = {o.product for o in items if o.version}
    return [o for o in items if o.version or o.product not in versioned]


# --------------------------------------------------------------------------- end of life


@dataclass(frozen=True)
class EolFact:
    product: Product
    cycle: Cycle
    subject: str
    effective_eol: date | None
    """The date support ends for this office: security end, or the free extended end (Debian LTS)."""
    paid_until: date | None
    """A later end of support that must be bought (Windows ESU, Ubuntu Pro), if any."""
    distro_hint: str | None = None


def eol_fact(knowledge: Knowledge, product_key: str, version: str | None, subject: str,
             distro_hint: str | None = None) -> EolFact | None:
    product = knowledge.products.get(product_key)
    if product is None or not version:
        return None
    name = cycle_of(version, [c.cycle for c in product.cycles])
    cycle = product.cycle(name) if name else None
    return _fact(product, cycle, subject, distro_hint) if cycle else None


def _fact(product: Product, cycle: Cycle, subject: str, distro_hint: str | None = None) -> EolFact:
    free_extended = product.extended_free and cycle.extended is not None
    effective = cycle.extended if free_extended else cycle.eol
    paid = cycle.extended if cycle.extended and not free_extended else None
    return EolFact(product, cycle, subject, effective, paid, distro_hint)


def os_eol_fact(knowledge: Knowledge, os: Mapping[str, Any] | None) -> EolFact | None:
    """The release cycle of an inventory's operating system (Debian 11, Ubuntu 22.04, Windows builds)."""
    if not os:
        return None
    name, version = str(os.get("name", "")).lower(), str(os.get("version", ""))
    if name == "windows":
        return _windows_fact(knowledge, os)
    subject = f"{name} {version}"
    return eol_fact(knowledge, name, version, subject)


def _windows_fact(knowledge: Knowledge, os: Mapping[str, Any]) -> EolFact | None:
    """Windows releases are told apart by build number and, for clients, edition (E/W) — as endoflife.date does."""
    caption = str(os.get("caption", ""))
    version = str(os.get("version", ""))
    build = ".".join(version.split(".")[:3])
    server = "server" in caption.lower()
    product = knowledge.products.get("windows_server" if server else "windows")
    if product is None:
        return None
    candidates = [c for c in product.cycles if c.latest and ".".join(c.latest.split(".")[:3]) == build]
    if server:
        year = next((c for c in candidates if c.cycle.split("-")[0] in caption and "sac" not in c.cycle), None)
        chosen = year or next((c for c in candidates if "sac" not in c.cycle), None)
    else:
        enterprise = any(word in caption for word in ("Enterprise", "Education"))
        ltsc = "LTSC" in caption or "LTSB" in caption
        iot = "IoT" in caption
        chosen = next((c for c in candidates if _edition_fits(c.cycle, enterprise, ltsc, iot)), None)
    if chosen is None:
        return None
    return _fact(product, chosen, caption or f"Windows {version}")


def _edition_fits(cycle: str, enterprise: bool, ltsc: bool, iot: bool) -> bool:
    """Whether a Windows client cycle id (``10-22h2``, ``11-23h2-e``, ``10-21h2-iot-lts``) fits the edition."""
    parts = cycle.split("-")
    is_lts = parts[-1] == "lts"
    parts = parts[:-1] if is_lts else parts
    if is_lts != ltsc or (parts[-1] == "iot") != iot:
        return False
    return parts[-1] not in ("e", "w") or (parts[-1] == "e") == enterprise


# --------------------------------------------------------------------------- vulnerabilities


class Outcome(StrEnum):
    VULNERABLE = "vulnerable"
    FIXED = "fixed"
    UNDECIDABLE = "undecidable"


@dataclass(frozen=True)
class VulnFact:
    vuln: Vuln
    outcome: Outcome
    subject: str
    installed: str
    fixed: str
    reason_pl: str = ""
    reason_en: str = ""


def _upstream_affected(vuln: Vuln, version: str) -> bool:
    return any(in_range(version, r.introduced, r.fixed, r.last_affected, compare_upstream) for r in vuln.ranges)


def _without_epoch(version: str) -> str:
    return version.split(":", 1)[1] if ":" in version else version


def assess_observed(vuln: Vuln, observed: Observed) -> VulnFact | None:
    """A product seen from the outside against one vulnerability (``None``: not in its range)."""
    if not observed.version or not _upstream_affected(vuln, observed.version):
        return None
    subject = f"{vuln.cve} {observed.product} {observed.version}"
    upstream_fix = ", ".join(vuln.fixed_upstream) or "-"
    if vuln.platform and (observed.distro or observed.platform not in (None, vuln.platform)):
        return None
    if observed.distro:
        fix = vuln.distros.get(observed.distro)
        release = observed.distro_release
        if fix and release and release in fix.not_affected:
            return None
        if fix and release and release in fix.fixed and observed.package_version:
            fixed = _without_epoch(fix.fixed[release])
            outcome = Outcome.VULNERABLE if compare_debian(observed.package_version, fixed) < 0 else Outcome.FIXED
            return VulnFact(vuln, outcome, subject, observed.package_version, f"{fixed} ({observed.distro} {release})")
        return VulnFact(
            vuln, Outcome.UNDECIDABLE, subject, f"{observed.package_version or observed.version} ({observed.distro})",
            upstream_fix,
            reason_pl=f"baner wskazuje dystrybucję {observed.distro}, która mogła przenieść poprawkę (backport) "
                      f"bez zmiany numeru wersji; brak danych o wersji poprawionej dla tego wydania",
            reason_en=f"the banner names {observed.distro}, which may have backported the fix without changing "
                      f"the version number; no fixed version is known for this release",
        )
    if vuln.platform and observed.platform != vuln.platform:
        return VulnFact(
            vuln, Outcome.UNDECIDABLE, subject, observed.version, upstream_fix,
            reason_pl=f"podatność dotyczy tylko platformy {vuln.platform}, a platforma hosta nie jest znana",
            reason_en=f"the vulnerability affects {vuln.platform} only and the host's platform is not known",
        )
    return VulnFact(vuln, Outcome.VULNERABLE, subject, observed.version, upstream_fix)


def assess_package(vuln: Vuln, package: Mapping[str, Any], distro: str | None, release: str | None,
                   manager: str | None) -> VulnFact | None:
    """An installed package against one vulnerability, by its distribution's fixed version."""
    version = str(package["version"])
    subject = f"{vuln.cve} {package['name']} {version}"
    if manager == "dpkg" and distro in (None, "debian") and not release:
        release = debian_release(version)
        distro = distro or ("debian" if release else None)
    fix = vuln.distros.get(distro or "") or (vuln.distros.get("rhel") if distro in RHEL_REBUILDS else None)
    if fix is None or package["name"] not in fix.packages:
        return None
    if release and release in fix.not_affected:
        return None
    if release and release in fix.fixed:
        compare = compare_rpm if manager == "rpm" else compare_debian
        fixed = fix.fixed[release]
        outcome = Outcome.VULNERABLE if compare(version, fixed) < 0 else Outcome.FIXED
        return VulnFact(vuln, outcome, subject, version, f"{fixed} ({distro} {release})")
    upstream = split_evr(version)[1] if manager == "dpkg" else version.split("-")[0]
    if not _upstream_affected(vuln, upstream.split("+")[0].split("~")[0]):
        return None
    return VulnFact(
        vuln, Outcome.UNDECIDABLE, subject, version, ", ".join(vuln.fixed_upstream) or "-",
        reason_pl=f"wersja pakietu mieści się w zakresie podatnym, a wersja poprawiona dla {distro or '?'} "
                  f"{release or '?'} nie jest znana (dystrybucja mogła przenieść poprawkę)",
        reason_en=f"the package version is in the vulnerable upstream range and the fixed version for "
                  f"{distro or '?'} {release or '?'} is not known (the distribution may have backported the fix)",
    )


def package_vuln_facts(knowledge: Knowledge, evidence: Mapping[str, Any]) -> list[VulnFact]:
    os = evidence.get("os") or {}
    distro = str(os.get("name", "")).lower() or None
    release = _release_key(distro, str(os.get("version", ""))) if distro else None
    manager = evidence.get("package_manager")
    facts: dict[tuple[str, str, str], VulnFact] = {}
    for package in evidence.get("packages", []):
        for vuln in knowledge.vulns:
            fact = assess_package(vuln, package, distro, release, manager)
            key = (vuln.cve, str(package["version"]), str(package.get("source") or package["name"]))
            if fact and key not in facts:  # one finding per source package, not per binary (apache2, apache2-bin)
                facts[key] = fact
    return list(facts.values())


def _release_key(distro: str | None, version: str) -> str:
    """How the tables key releases: Debian/RHEL by major (``11``), Ubuntu by ``YY.MM``."""
    if distro == "ubuntu":
        return ".".join(version.split(".")[:2])
    return version.split(".")[0]


def host_vuln_facts(knowledge: Knowledge, observed: Iterable[Observed]) -> list[VulnFact]:
    facts: list[VulnFact] = []
    for item in observed:
        for vuln in knowledge.vulns_of(item.product):
            fact = assess_observed(vuln, item)
            if fact:
                facts.append(fact)
    return facts
