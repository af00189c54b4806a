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

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any, Callable, Iterable, Mapping

from auditor.checks.patching.knowledge import Cycle, DistroFix, Knowledge, Product, Vuln
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
    return _with_host_platform(_prefer_versioned(dedupe(found)))


def _with_host_platform(items: list[Observed]) -> list[Observed]:
    """Fills what one sighting does not tell from the others on the same host: platform, distribution release.

    ``X-Powered-By: PHP/7.3.5`` says nothing of the OS, but ``Server:
    Microsoft-IIS/10.0`` next to it does; ``Apache/2.2.22 (Debian)`` next to
    ``PHP/5.4.45-0+deb7u14`` is Debian 7's Apache.  Only an unambiguous host
    gives these away: a host showing two platforms or two releases does not.
    """
    platforms = {o.platform for o in items if o.platform}
    releases = {(o.distro, o.distro_release) for o in items if o.distro and o.distro_release}
    filled = []
    for item in items:
        if len(platforms) == 1 and not item.platform:
            item = replace(item, platform=next(iter(platforms)))
        if len(releases) == 1 and item.distro and not item.distro_release:
            distro, release = next(iter(releases))
            item = replace(item, distro_release=release) if item.distro == distro else item
        filled.append(item)
    return filled


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
    distro_release: str | None = None

    def ended(self, today: date) -> bool:
        return self.cycle.eol_reached or (self.effective_eol is not None and self.effective_eol <= today)


def eol_fact(knowledge: Knowledge, product_key: str, version: str | None, subject: str,
             distro_hint: str | None = None, distro_release: str | None = None) -> EolFact | None:
    product = knowledge.products.get(product_key)
    if product is None or not version:
        return None
    name = cycle_of(version, [c.cycle for c in product.cycles])
    cycle = product.cycle(name) if name else None
    return _fact(product, cycle, subject, distro_hint, distro_release) if cycle else None


def _fact(product: Product, cycle: Cycle, subject: str, distro_hint: str | None = None,
          distro_release: str | None = None) -> EolFact:
    free_extended = product.extended_free and cycle.extended is not None
    effective = cycle.extended if free_extended else cycle.eol
    paid = cycle.extended if cycle.extended and not free_extended else None
    return EolFact(product, cycle, subject, effective, paid, distro_hint, distro_release)


@dataclass(frozen=True)
class DistroLife:
    """Whether the distribution behind a banner can still be shipping backported fixes."""

    name: str
    ended: bool
    eol: date | None


def distro_life(knowledge: Knowledge, distro: str, release: str | None, today: date) -> DistroLife | None:
    """The support state of the distribution release a banner names (``None``: not known).

    With the release known (``+deb9u7`` → Debian 9) its own end counts; with
    only the name (``(CentOS)``) the answer is known only when every release
    has ended — then no backport can be coming, whatever the release is.
    """
    product = knowledge.products.get(distro)
    if product is None or not product.cycles:
        return None
    if release:
        cycle = product.cycle(release)
        if cycle is None:
            return None
        fact = _fact(product, cycle, f"{product.name} {release}")
        ended = fact.ended(today) and not (fact.paid_until and fact.paid_until > today)
        return DistroLife(f"{product.name} {release}", ended, fact.effective_eol)
    facts = [_fact(product, c, product.name) for c in product.cycles]
    if all(f.ended(today) and not (f.paid_until and f.paid_until > today) for f in facts):
        last = max((f.effective_eol for f in facts if f.effective_eol), default=None)
        return DistroLife(product.name, True, last)
    return None


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
    """The version is in range but the evidence cannot settle it: a ``manual`` item, never a warning."""


@dataclass(frozen=True)
class VulnFact:
    vuln: Vuln
    outcome: Outcome
    subject: str
    installed: str
    fixed: str
    reason_pl: str = ""
    reason_en: str = ""
    advisory: str = ""
    """The advisory that fixed it for this host: the distribution's (``DSA-5724-1``) or the CVE itself."""


def _upstream_affected(vuln: Vuln, version: str) -> bool:
    return any(in_range(version, r.introduced, r.fixed, r.last_affected, compare_upstream) for r in vuln.ranges)


def _without_epoch(version: str) -> str:
    return version.split(":", 1)[1] if ":" in version else version


def _upstream_of(package_version: str) -> str:
    return split_evr(package_version)[1]


def platform_applies(vuln: Vuln, platform: str | None) -> bool | None:
    """Whether the flaw can exist on this platform: yes, no, or ``None`` (platform unknown and it matters)."""
    if not vuln.platforms:
        return True
    if platform is None:
        return True if vuln.platform_unknown == "applies" else None
    return platform in vuln.platforms


def _release_by_upstream(fix: DistroFix, package_version: str) -> str | None:
    """The one release whose fixed package carries the same upstream version as the installed one.

    A distribution release ships one upstream version of a package and
    backports fixes into it (Debian 12 stays on OpenSSH 9.2p1), so a banner
    ``OpenSSH_8.9p1 Ubuntu-3ubuntu0.10`` belongs to the release whose fix is
    ``1:8.9p1-3ubuntu0.10``.  Two releases with the same upstream: undecided.
    """
    upstream = _upstream_of(package_version)
    candidates = [r for r, fixed in fix.fixed.items() if _upstream_of(fixed) == upstream]
    candidates += [r for r in fix.unfixed if r not in candidates]
    return candidates[0] if len(candidates) == 1 else None


def _distro_fix(vuln: Vuln, distro: str | None) -> DistroFix | None:
    fix = vuln.distros.get(distro or "")
    return fix or (vuln.distros.get("rhel") if distro in RHEL_REBUILDS else None)


def _judge_release(vuln: Vuln, fix: DistroFix, distro: str, release: str, installed: str, subject: str,
                   compare: Callable[[str, str], int]) -> VulnFact | None:
    """An installed package of a known release against its distribution's fix (``None``: not affected)."""
    advisory = fix.advisories.get(release) or vuln.cve
    if release in fix.not_affected:
        return None
    if release in fix.unfixed:
        return VulnFact(vuln, Outcome.VULNERABLE, subject, installed, f"brak poprawki / no fix yet ({distro} {release})",
                        advisory=advisory)
    fixed = fix.fixed[release]
    if ":" not in installed:
        fixed = _without_epoch(fixed)  # banners show the package version without its epoch
    outcome = Outcome.VULNERABLE if compare(installed, fixed) < 0 else Outcome.FIXED
    return VulnFact(vuln, outcome, subject, installed, f"{fixed} ({distro} {release}, {advisory})", advisory=advisory)


def assess_observed(vuln: Vuln, observed: Observed) -> VulnFact | None:
    """A product seen from the outside against one vulnerability (``None``: it does not apply)."""
    if not observed.version or not _upstream_affected(vuln, observed.version):
        return None
    if observed.distro and vuln.upstream_only:
        return None  # distributions built their packages from the clean source
    subject = f"{vuln.cve} {observed.product} {observed.version}"
    upstream_fix = ", ".join(vuln.fixed_upstream) or "-"
    applies = platform_applies(vuln, observed.platform)
    if applies is False:
        return None
    if applies is None:
        where = ", ".join(vuln.platforms)
        return VulnFact(
            vuln, Outcome.UNDECIDABLE, subject, observed.version, upstream_fix, advisory=vuln.cve,
            reason_pl=f"podatność dotyczy tylko platformy {where}, a platformy hosta nie widać z zewnątrz",
            reason_en=f"the vulnerability affects {where} only and the host's platform is not visible from outside",
        )
    if not observed.distro:
        return VulnFact(vuln, Outcome.VULNERABLE, subject, observed.version, upstream_fix, advisory=vuln.cve)
    fix = _distro_fix(vuln, observed.distro)
    package = observed.package_version
    release = observed.distro_release or (_release_by_upstream(fix, package) if fix and package else None)
    if fix and release and package and (release in fix.fixed or release in fix.unfixed or release in fix.not_affected):
        return _judge_release(vuln, fix, observed.distro, release, package, subject, compare_debian)
    missing_pl = ("baner nie podaje wersji pakietu" if not package else
                  f"brak danych dystrybucji o wydaniu {release or '(nieznane)'}")
    missing_en = ("the banner does not give the package version" if not package else
                  f"no distribution data for release {release or '(unknown)'}")
    return VulnFact(
        vuln, Outcome.UNDECIDABLE, subject, f"{package or observed.version} ({observed.distro})", upstream_fix,
        advisory=vuln.cve,
        reason_pl=f"baner wskazuje dystrybucję {observed.distro}, która przenosi poprawki (backport) bez zmiany "
                  f"numeru wersji; {missing_pl} — sprawdź `dpkg -l`/`rpm -q` na serwerze lub odśwież dane "
                  f"(`auditor data refresh`)",
        reason_en=f"the banner names {observed.distro}, which backports fixes without changing the version number; "
                  f"{missing_en} — check `dpkg -l`/`rpm -q` on the server or refresh the data (`auditor data refresh`)",
    )


def assess_package(vuln: Vuln, package: Mapping[str, Any], distro: str | None, release: str | None,
                   manager: str | None) -> VulnFact | None:
    """An installed package against one vulnerability, by its distribution's fixed version."""
    version = str(package["version"])
    subject = f"{vuln.cve} {package['name']} {version}"
    if manager == "dpkg" and distro in (None, "debian") and not release:
        release = debian_release(version)
        distro = distro or ("debian" if release else None)
    fix = _distro_fix(vuln, distro)
    if fix is None or package["name"] not in fix.packages:
        return None
    if release and (release in fix.fixed or release in fix.unfixed or release in fix.not_affected):
        compare = compare_rpm if manager == "rpm" else compare_debian
        return _judge_release(vuln, fix, distro or "?", release, version, subject, compare)
    upstream = split_evr(version)[1] if manager == "dpkg" else version.split("-")[0]
    if not _upstream_affected(vuln, upstream.split("+")[0].split("~")[0]):
        return None
    return VulnFact(
        vuln, Outcome.UNDECIDABLE, subject, version, ", ".join(vuln.fixed_upstream) or "-", advisory=vuln.cve,
        reason_pl=f"wersja pakietu mieści się w zakresie podatnym, a wersja poprawiona dla {distro or '?'} "
                  f"{release or '?'} nie jest znana (dystrybucja mogła przenieść poprawkę) — odśwież dane "
                  f"(`auditor data refresh`) lub sprawdź komunikat bezpieczeństwa dystrybucji",
        reason_en=f"the package version is in the vulnerable upstream range and the fixed version for "
                  f"{distro or '?'} {release or '?'} is not known (the distribution may have backported the fix) — "
                  f"refresh the data (`auditor data refresh`) or check the distribution's advisory",
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
