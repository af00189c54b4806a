"""Parsers for the plain-text configuration formats found in bundles, and
the small helpers both fact builders share.

Shared by the Linux and Windows fact builders: ``key = value`` files
(login.defs, pwquality.conf, journald.conf, secedit exports), PAM stacks and
systemd time spans.  Each returns plain Python values and never raises on
odd input — an unparseable line is simply not a fact.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Mapping, TypeVar

T = TypeVar("T")

_SPAN_UNITS = {
    "us": 1e-6, "usec": 1e-6, "ms": 1e-3, "msec": 1e-3,
    "s": 1, "sec": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "week": 604800, "weeks": 604800,
    "M": 2629800, "month": 2629800, "months": 2629800,
    "y": 31557600, "year": 31557600, "years": 31557600,
}


def content_lines(text: str, comment: str = "#;") -> Iterable[str]:
    """Non-empty lines with comments removed."""
    for line in text.splitlines():
        line = line.strip()
        if line and line[0] not in comment:
            yield line


def key_values(text: str, separator: str | None = "=", *, lower_keys: bool = False) -> dict[str, str]:
    """``key=value`` (or whitespace-separated with ``separator=None``); the last setting wins."""
    values: dict[str, str] = {}
    for line in content_lines(text):
        if line.startswith("["):
            continue
        if separator is None:
            parts = line.split(None, 1)
        else:
            parts = line.split(separator, 1) if separator in line else []
        if len(parts) == 2:
            key = parts[0].strip()
            values[key.lower() if lower_keys else key] = parts[1].strip().strip('"')
    return values


def ini_section(text: str, section: str) -> dict[str, str]:
    """The ``key = value`` pairs of one ``[section]`` of an INI file (secedit exports)."""
    match = re.search(rf"^\[{re.escape(section)}\][^\n]*\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    return key_values(match.group(1)) if match else {}


def time_span_days(value: str) -> float | None:
    """A systemd time span (``1month``, ``2years``, ``730d``, ``3w 2d``) in days; ``None`` if unparseable."""
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value) / 86400  # bare numbers are seconds
    total = 0.0
    position = 0
    for match in re.finditer(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)", value):
        if match.start() != position or match.group(2) not in _SPAN_UNITS:
            return None
        total += float(match.group(1)) * _SPAN_UNITS[match.group(2)]
        position = match.end()
    return round(total / 86400, 1) if position == len(value) else None


def pam_modules(text: str, kinds: tuple[str, ...] = ("auth", "password", "account", "session")) -> list[tuple[str, str, dict[str, str]]]:
    """PAM lines of the given types as ``(type, module, {arg: value})`` in stack order."""
    stack = []
    for line in content_lines(text):
        parts = line.split()
        kind = parts[0].lstrip("-")
        if kind not in kinds or len(parts) < 3:
            continue
        if parts[1].startswith("["):  # [success=1 default=ignore] control may contain spaces
            end = next((i for i, p in enumerate(parts) if p.endswith("]")), len(parts) - 1)
            rest = parts[end + 1:]
        else:
            rest = parts[2:]
        if not rest:
            continue
        module = rest[0].rsplit("/", 1)[-1]
        args = {}
        for arg in rest[1:]:
            key, _, val = arg.partition("=")
            args[key] = val
        stack.append((kind, module, args))
    return stack


def as_int(value: str | int | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


#: SMBIOS chassis types of portable computers (laptop, notebook, tablet, convertible ...).
LAPTOP_CHASSIS = frozenset({8, 9, 10, 11, 12, 14, 18, 21, 30, 31, 32})


def build_facts(builders: Mapping[str, Callable[[T], dict[str, Any]]], bundle: T) -> dict[str, Any]:
    """Runs each top-level fact builder; empty results (nothing proven) are left out."""
    facts: dict[str, Any] = {}
    for name, builder in builders.items():
        value = builder(bundle)
        if value:
            facts[name] = value
    return facts
