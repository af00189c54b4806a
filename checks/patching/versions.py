"""Version ordering as the package managers define it (pure functions).

A version is only "below the fixed version" under the rules of whoever
numbered it: Debian's (``dpkg --compare-versions``: epochs, ``~`` sorting
before everything, the revision after the last ``-``; python-debian's
implementation, the one Debian's own tools use), RPM's (``rpmvercmp``:
alphanumeric segments, ``~`` and ``^``), or plain upstream numbering
(``2.4.49``, ``8.4p1``), which Debian's upstream rule orders correctly.
Getting this wrong in either direction is a false alarm or a missed hole,
so the tests run these functions against the real ``dpkg``.
"""

from __future__ import annotations

import string
from functools import cmp_to_key
from typing import Callable

from debian.debian_support import NativeVersion, version_compare

Comparator = Callable[[str, str], int]

_DIGITS = frozenset(string.digits)
_ALNUM = frozenset(string.ascii_letters + string.digits)


# --------------------------------------------------------------------------- Debian


def split_evr(version: str) -> tuple[int, str, str]:
    """``[epoch:]upstream[-revision]`` → (epoch, upstream, revision); RPM's ``E:V-R`` has the same shape."""
    version = version.strip()
    epoch = 0
    if ":" in version:
        head, version = version.split(":", 1)
        epoch = int(head) if head.isdigit() else 0
    upstream, _, revision = version.rpartition("-") if "-" in version else (version, "", "")
    return epoch, upstream, revision


def compare_debian(a: str, b: str) -> int:
    """-1, 0 or 1 as ``dpkg --compare-versions a lt|eq|gt b`` would answer (python-debian's implementation)."""
    result = version_compare(a.strip(), b.strip())
    return (result > 0) - (result < 0)


def compare_upstream(a: str, b: str) -> int:
    """Upstream release numbers (``2.4.49`` < ``2.4.50``, ``9.8`` < ``9.8p1``, ``1.0~rc1`` < ``1.0``).

    dpkg's ordering of the upstream part, which orders these correctly; a
    hyphen is part of the number here, not a Debian revision separator.
    """
    # python-debian's dpkg algorithm for one version part (a classmethod it uses for upstream and revision)
    result = NativeVersion._version_cmp_part(a.strip(), b.strip())  # noqa: SLF001
    return (result > 0) - (result < 0)


# --------------------------------------------------------------------------- RPM


def _rpmvercmp(a: str, b: str) -> int:
    """rpm's ``rpmvercmp`` (lib/rpmvercmp.c), including ``~`` (pre-release) and ``^`` (post-release)."""
    if a == b:
        return 0
    i = j = 0
    while i < len(a) or j < len(b):
        while i < len(a) and a[i] not in _ALNUM and a[i] not in "~^":
            i += 1
        while j < len(b) and b[j] not in _ALNUM and b[j] not in "~^":
            j += 1
        if (i < len(a) and a[i] == "~") or (j < len(b) and b[j] == "~"):
            if i >= len(a) or a[i] != "~":
                return 1
            if j >= len(b) or b[j] != "~":
                return -1
            i += 1
            j += 1
            continue
        if (i < len(a) and a[i] == "^") or (j < len(b) and b[j] == "^"):
            if i >= len(a):
                return -1
            if j >= len(b):
                return 1
            if a[i] != "^":
                return 1
            if b[j] != "^":
                return -1
            i += 1
            j += 1
            continue
        if not (i < len(a) and j < len(b)):
            break
        numeric = a[i] in _DIGITS
        kind = _DIGITS if numeric else frozenset(string.ascii_letters)
        si = i
        while i < len(a) and a[i] in kind:
            i += 1
        sj = j
        while j < len(b) and b[j] in kind:
            j += 1
        one, two = a[si:i], b[sj:j]
        if not two:
            return 1 if numeric else -1
        if numeric:
            one, two = one.lstrip("0"), two.lstrip("0")
            if len(one) != len(two):
                return 1 if len(one) > len(two) else -1
        if one != two:
            return 1 if one > two else -1
    if i >= len(a) and j >= len(b):
        return 0
    return -1 if i >= len(a) else 1


def compare_rpm(a: str, b: str) -> int:
    """-1, 0 or 1 comparing two ``[epoch:]version-release`` strings as rpm does."""
    ea, va, ra = split_evr(a)
    eb, vb, rb = split_evr(b)
    if ea != eb:
        return -1 if ea < eb else 1
    result = _rpmvercmp(va, vb)
    if result or not (ra and rb):
        return result
    return _rpmvercmp(ra, rb)


# --------------------------------------------------------------------------- helpers

COMPARATORS: dict[str, Comparator] = {"dpkg": compare_debian, "rpm": compare_rpm, "upstream": compare_upstream}


def sort_key(scheme: str) -> Callable[[str], object]:
    """A ``sorted(key=...)`` for versions of one numbering scheme."""
    return cmp_to_key(COMPARATORS[scheme])


def in_range(version: str, introduced: str | None, fixed: str | None, last_affected: str | None = None,
             compare: Comparator = compare_upstream) -> bool:
    """Whether ``introduced <= version < fixed`` (or ``<= last_affected``); missing bounds are open."""
    if introduced not in (None, "", "0") and compare(version, introduced) < 0:
        return False
    if fixed:
        return compare(version, fixed) < 0
    if last_affected:
        return compare(version, last_affected) <= 0
    return True


def cycle_of(version: str, cycles: list[str]) -> str | None:
    """The longest release cycle (``2.2``, ``8.1``, ``11``) that ``version`` belongs to."""
    best: str | None = None
    for cycle in cycles:
        if version == cycle or version.startswith(cycle + ".") or version.startswith(cycle + "p"):
            if best is None or len(cycle) > len(best):
                best = cycle
    return best
