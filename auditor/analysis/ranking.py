"""The one ranking rule for remediation actions, written once and printed in every report's methodology.

[en]
Ranking of actions
    Every failing check (all its targets together, validly accepted risks
    left out) is one action. Actions are ordered by: 1. severity (critical,
    high, medium, low, info); 2. within a severity, known exploitation (a
    vulnerability in the CISA KEV catalogue) first, then exposure to the
    Internet (a public address, a mail domain, or a host whose role is
    www, bip, mail, vpn, dns ...) before internal systems; 3. then the
    number of affected targets, then the number of legal requirements the
    check gives evidence for (more first); 4. a failure before a warning,
    then the check id. The terminal, the HTML and the formal report list
    the same actions in this order with the same numbers.
[pl]
Kolejność działań
    Każda niezgodna kontrola (wszystkie jej cele razem, bez ryzyk ważnie
    zaakceptowanych) to jedno działanie. Kolejność: 1. ważność (krytyczna,
    wysoka, średnia, niska, informacyjna); 2. w obrębie ważności najpierw
    podatność aktywnie wykorzystywana (katalog CISA KEV), potem system
    wystawiony do Internetu (adres publiczny, domena pocztowa albo host w
    roli www, bip, mail, vpn, dns …) przed systemami wewnętrznymi; 3. dalej
    liczba celów, których dotyczy, potem liczba wymagań prawnych, dla
    których kontrola jest dowodem (więcej — wyżej); 4. niezgodność przed
    ostrzeżeniem, potem identyfikator kontroli. Terminal, raport HTML i
    raport formalny podają te same działania w tej kolejności, z tymi
    samymi numerami.
"""

from __future__ import annotations

import ipaddress
from typing import Iterable

from auditor.model import Finding, Severity, Status, Target

#: Printed in the report's methodology section and by ``auditor report --format text``, per language.
RANKING_RULES = {
    "en": (__doc__ or "").split("[en]\n", 1)[1].split("[pl]\n", 1)[0].rstrip(),
    "pl": (__doc__ or "").split("[pl]\n", 1)[1].rstrip(),
}

#: Host roles (inventory ``roles:``) that face the Internet by their nature.
INTERNET_ROLES = frozenset({"www", "bip", "mail", "mx", "smtp", "webmail", "vpn", "dns", "ns", "proxy",
                            "reverse-proxy", "edge", "firewall", "ftp", "public", "portal", "epuap"})

#: Checks whose failure is a known-exploited vulnerability by definition (the CISA KEV catalogue).
KEV_CHECKS = frozenset({"patch.known_exploited"})


def internet_facing(target: Target | None) -> bool:
    """A mail domain, a host with a public address, or a host in an Internet-facing role."""
    if target is None:
        return False
    if target.kind == "domain":
        return True
    if INTERNET_ROLES.intersection(role.lower() for role in target.roles):
        return True
    for address in target.addresses:
        try:
            if ipaddress.ip_address(address).is_global:
                return True
        except ValueError:
            continue
    return False


def known_exploited(findings: Iterable[Finding]) -> bool:
    """A finding of a KEV check, or one whose facts say the flaw is in the KEV catalogue."""
    for finding in findings:
        if finding.check_id in KEV_CHECKS:
            return True
        if finding.facts.get("kev") is True:
            return True
    return False


def rank_key(severity: Severity, kev: bool, internet: bool, targets: int, requirements: int,
             status: Status, check_id: str) -> tuple[int, int, int, int, int, int, str]:
    """Sort key (ascending = first) of an action under the rule above."""
    return (-severity.rank, -int(kev), -int(internet), -targets, -requirements,
            0 if status is Status.FAIL else 1, check_id)
