"""Version ordering: Debian's against the real dpkg, RPM's against rpm's own test vectors."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from auditor.checks.patching.versions import compare_debian, compare_rpm, compare_upstream, cycle_of, in_range

DPKG_PAIRS = [
    ("1.0", "1.0"), ("1.0", "1.0-0"), ("1.0-1", "1.0-2"), ("1:1.0", "2.0"), ("0:1.0", "1.0"),
    ("1.0~rc1", "1.0"), ("1.0~rc1", "1.0~rc2"), ("1.0~~", "1.0~"), ("1.0~", "1.0"), ("1.0", "1.0+b1"),
    ("1.0a", "1.0"), ("1.0", "1.0."), ("1.0.1", "1.0a"), ("2.4.48-3.1+deb11u1", "2.4.51-1~deb11u1"),
    ("1:8.4p1-5+deb11u1", "1:8.4p1-5+deb11u2"), ("1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u2"),
    ("8.4p1-5+deb11u1", "1:8.4p1-5+deb11u1"), ("0.105-31", "0.105-31+deb11u1"),
    ("2.15.0-1~deb11u1", "2.15.0-1"), ("7.4.33-1+deb11u1", "7.4.33-1+deb11u10"), ("1.18.0-6.1", "1.18.0-6.1+deb11u3"),
    ("10", "9"), ("1.01", "1.1"), ("1.001-1", "1.1-01"), ("a", "b"), ("1+dfsg", "1"), ("1.2.3-1ubuntu0.1", "1.2.3-1"),
    ("9.8", "9.8p1"), ("2:1.0", "1:9.9"), ("1.0-1~bpo11+1", "1.0-1"),
]


def _dpkg(a: str, b: str) -> int:
    for op, value in (("lt", -1), ("eq", 0), ("gt", 1)):
        if subprocess.run(["dpkg", "--compare-versions", a, op, b]).returncode == 0:
            return value
    raise AssertionError(f"dpkg gave no answer for {a} {b}")


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg not installed")
@pytest.mark.parametrize(("a", "b"), DPKG_PAIRS)
def test_debian_order_matches_dpkg(a: str, b: str) -> None:
    expected = _dpkg(a, b)
    assert compare_debian(a, b) == expected
    assert compare_debian(b, a) == -expected


# From rpm's own test suite (tests/rpmvercmp.at).
RPM_VECTORS = [
    ("1.0", "1.0", 0), ("1.0", "2.0", -1), ("2.0.1", "2.0", 1), ("2.0.1a", "2.0.1", 1), ("5.5p1", "5.5p2", -1),
    ("5.5p10", "5.5p1", 1), ("10xyz", "10.1xyz", -1), ("xyz10", "xyz10.1", -1), ("xyz.4", "8", -1),
    ("1b.fc17", "1.fc17", -1), ("2a", "2.0", -1), ("1.0010", "1.9", 1), ("1.05", "1.5", 0), ("2_0", "2_0", 0),
    ("2.0", "2_0", 0), ("a+", "a_", 0), ("+a", "_a", 0), ("1.0~rc1", "1.0", -1), ("1.0~rc1", "1.0~rc2", -1),
    ("1.0~rc1~git123", "1.0~rc1", -1), ("1.0^", "1.0", 1), ("1.0^git1", "1.0", 1), ("1.0^git1", "1.01", -1),
    ("1.0^20160101", "1.0.1", -1), ("1.0~rc1^git1", "1.0~rc1", 1), ("1.0^git1~pre", "1.0^git1", -1),
]


@pytest.mark.parametrize(("a", "b", "expected"), RPM_VECTORS)
def test_rpm_order_matches_rpmvercmp(a: str, b: str, expected: int) -> None:
    assert compare_rpm(a, b) == expected
    assert compare_rpm(b, a) == -expected


def test_rpm_epoch_and_release() -> None:
    assert compare_rpm("1.8.29-8.el8", "1.8.29-6.el8_3.1") == 1
    assert compare_rpm("1.8.23-10.el7", "1.8.23-10.el7_9.1") == -1
    assert compare_rpm("1:0.9-1.el8", "2.0-1.el8") == 1


def test_upstream_ranges_and_cycles() -> None:
    assert compare_upstream("1.0.1f", "1.0.1g") == -1
    assert in_range("2.4.49", "2.4.49", "2.4.51")
    assert not in_range("2.4.51", "2.4.49", "2.4.51")
    assert in_range("6.0", "6.0", None, "6.0") and not in_range("7.0", "6.0", None, "6.0")
    assert in_range("8.4p1", "0", "9.3p2") and not in_range("8.4p1", "8.5p1", "9.8p1")
    assert cycle_of("2.2.15", ["2.4", "2.2", "2.0"]) == "2.2"
    assert cycle_of("10.6.15", ["10", "10.6", "11.3"]) == "10.6"
    assert cycle_of("3.0", ["3.0.1"]) is None
