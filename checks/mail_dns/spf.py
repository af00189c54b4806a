"""SPF (RFC 7208): parsing a record and counting its DNS lookups.

Parsing is pure.  Counting needs the TXT records of included domains, so
``count_lookups`` takes a lookup function: the probe passes its resolver,
tests pass a dictionary.  The walk is bounded (depth, number of queries)
and cycle-safe, because an SPF tree is data an attacker-controlled include
may shape.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any, Callable

#: RFC 7208 §4.6.4: at most 10 mechanisms/modifiers that cause DNS lookups.
MAX_LOOKUPS = 10
#: RFC 7208 §4.6.4: at most 2 lookups returning no records.
MAX_VOID_LOOKUPS = 2
#: Hard bound on queries the walk itself makes, whatever the record says.
MAX_QUERIES = 25
MAX_DEPTH = 10

MECHANISMS = ("all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists")
LOOKUP_TERMS = ("include", "a", "mx", "ptr", "exists", "redirect")
_QUALIFIERS = "+-~?"
_DOMAIN_SPEC = re.compile(r"^[A-Za-z0-9_.%{}\-+=/,]+$")

TxtLookup = Callable[[str], "list[str] | None"]
"""Returns the TXT strings of a name, ``[]`` when it has none, ``None`` when the query failed."""


@dataclass(frozen=True)
class Term:
    qualifier: str
    name: str
    value: str
    modifier: bool = False

    def __str__(self) -> str:
        if self.modifier:
            return f"{self.name}={self.value}"
        qualifier = "" if self.qualifier == "+" else self.qualifier
        separator = "" if self.value.startswith("/") else ":"  # a/24 has a prefix length, not a domain
        return f"{qualifier}{self.name}" + (f"{separator}{self.value}" if self.value else "")


def spf_records(txt: list[str]) -> list[str]:
    """The TXT strings that are SPF records (``v=spf1`` followed by a space or the end)."""
    return [t for t in txt if t.lower() == "v=spf1" or t.lower().startswith("v=spf1 ")]


def parse(record: str) -> tuple[list[Term], list[str]]:
    """Terms of an SPF record and the syntax errors found (empty when valid)."""
    terms: list[Term] = []
    errors: list[str] = []
    for token in record.split()[1:]:
        modifier = re.match(r"^([A-Za-z][A-Za-z0-9_.\-]*)=(.*)$", token)
        if modifier:
            name, value = modifier.group(1).lower(), modifier.group(2)
            if name in ("redirect", "exp") and not value:
                errors.append(f"{name}= without a domain")
            terms.append(Term("+", name, value, modifier=True))
            continue
        qualifier = token[0] if token[0] in _QUALIFIERS else "+"
        body = token[1:] if token[0] in _QUALIFIERS else token
        name, _, value = body.partition(":")
        if "/" in name and name.split("/")[0].lower() in ("a", "mx"):
            name, value = name.split("/")[0], "/" + name.split("/", 1)[1]
        name = name.lower()
        if name not in MECHANISMS:
            errors.append(f"unknown mechanism {token!r}")
            continue
        error = _term_error(name, value)
        if error:
            errors.append(f"{token!r}: {error}")
        terms.append(Term(qualifier, name, value))
    names = [t.name for t in terms if t.modifier]
    for once in ("redirect", "exp"):
        if names.count(once) > 1:
            errors.append(f"{once}= appears more than once")
    return terms, errors


def _term_error(name: str, value: str) -> str | None:
    if name in ("ip4", "ip6"):
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            return f"{value!r} is not an IP network"
        if network.version != int(name[-1]):
            return f"{value!r} is not an IPv{name[-1]} network"
        return None
    if name in ("include", "exists") and not value:
        return f"{name} needs a domain"
    if name == "all" and value:
        return "all takes no argument"
    domain = value.split("/")[0]
    if domain and not _DOMAIN_SPEC.match(domain):
        return f"{domain!r} is not a domain"
    return None


def all_qualifier(terms: list[Term]) -> str | None:
    """The qualifier of the ``all`` mechanism, or ``None`` when there is none."""
    for term in terms:
        if not term.modifier and term.name == "all":
            return term.qualifier
    return None


def redirect_target(terms: list[Term]) -> str | None:
    for term in terms:
        if term.modifier and term.name == "redirect":
            return term.value
    return None


def count_lookups(domain: str, record: str, lookup: TxtLookup) -> dict[str, Any]:
    """Walks includes and redirects from ``record`` and counts DNS-querying terms.

    Returns plain facts: ``lookups``, ``void_lookups``, ``chain`` (each SPF
    record reached, with how), ``errors`` (permanent errors such as an
    include with no SPF record) and ``incomplete`` (queries that failed or
    bounds that were hit, so the count is a lower bound).
    """
    state: dict[str, Any] = {"lookups": 0, "void_lookups": 0, "queries": 0, "chain": [], "errors": [], "incomplete": []}
    _walk(domain, record, "top", 0, lookup, state, {domain.lower()})
    state.pop("queries")
    return state


def _walk(domain: str, record: str, via: str, depth: int, lookup: TxtLookup, state: dict[str, Any], seen: set[str]) -> None:
    state["chain"].append({"domain": domain, "record": record, "via": via})
    terms, errors = parse(record)
    state["errors"].extend(f"{domain}: {e}" for e in errors)
    for term in terms:
        if term.name not in LOOKUP_TERMS:
            continue
        state["lookups"] += 1
        if term.name not in ("include", "redirect"):
            continue
        target = term.value.lower().rstrip(".")
        if "%" in target:
            state["incomplete"].append(f"{domain}: {term} uses a macro; not expanded")
            continue
        if target in seen:
            state["errors"].append(f"{domain}: {term} loops back to {target}")
            continue
        if depth + 1 > MAX_DEPTH or state["queries"] >= MAX_QUERIES:
            state["incomplete"].append(f"{domain}: stopped at {term} (walk bounded)")
            continue
        state["queries"] += 1
        txt = lookup(target)
        if txt is None:
            state["incomplete"].append(f"{target}: query failed")
            continue
        found = spf_records(txt)
        if not found:
            state["void_lookups"] += 1
            state["errors"].append(f"{domain}: {term} — {target} has no SPF record")
            continue
        if len(found) > 1:
            state["errors"].append(f"{target}: {len(found)} SPF records")
        _walk(target, found[0], term.name, depth + 1, lookup, state, seen | {target})
