"""Parsers for package inventories exported from hosts (pure: text in, records out).

Each format is what an administrator can produce with one standard command
(see docs/patching.md and ``examples/packages/``), so the office needs no
agent.  Functions take the file's text and return plain dicts; they raise
``ValueError`` with the line number on input they cannot read, which the
probe reports as a malformed source.  The ``--local`` collector can feed the
same functions with the output of the same commands.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from typing import Any, Callable

Record = dict[str, Any]

# --------------------------------------------------------------------------- Debian / Ubuntu


def parse_dpkg_query(text: str) -> list[Record]:
    """``dpkg-query -W`` (``name<TAB>version``), optionally with a third column ``${source:Package}``.

    Recommended: ``dpkg-query -W -f='${binary:Package}\\t${Version}\\t${source:Package}\\t${db:Status-Abbrev}\\n'``;
    rows whose status is not installed (``rc``: removed, config files left) are skipped.
    """
    packages: list[Record] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 2:
            raise ValueError(f"line {number}: expected 'name<TAB>version', got {line[:80]!r}")
        name, version = fields[0].strip(), fields[1].strip()
        status = fields[3].strip() if len(fields) > 3 else "ii"
        if not version or not status.startswith("i"):
            continue  # listed but not installed (dpkg-query -W shows removed packages with an empty version)
        name, _, arch = name.partition(":")
        record: Record = {"name": name, "version": version}
        if arch:
            record["arch"] = arch
        if len(fields) > 2 and fields[2].strip() and fields[2].strip() != name:
            record["source"] = fields[2].strip().split(" ")[0]
        packages.append(record)
    return packages


def parse_dpkg_status(text: str) -> list[Record]:
    """``/var/lib/dpkg/status``: RFC 822-style stanzas; only ``install ok installed`` packages."""
    packages: list[Record] = []
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t") or ":" not in line:
                continue  # continuation lines (descriptions, conffiles)
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
        if not fields.get("package"):
            continue
        if "version" not in fields or not fields.get("status", "").endswith(" installed"):
            continue
        record: Record = {"name": fields["package"], "version": fields["version"]}
        if fields.get("architecture"):
            record["arch"] = fields["architecture"]
        if fields.get("source"):
            source = fields["source"].split(" ")[0]
            if source != fields["package"]:
                record["source"] = source
        packages.append(record)
    if text.strip() and not packages and "Package:" not in text:
        raise ValueError("no 'Package:' stanzas: not a dpkg status file")
    return packages


_APT_LINE = re.compile(
    r"^(?P<name>[^/\s]+)/(?P<suites>\S+)\s+(?P<version>\S+)\s+(?P<arch>\S+)\s+\[upgradable from: (?P<current>[^\]]+)\]"
)


def parse_apt_upgradable(text: str) -> list[Record]:
    """``apt list --upgradable``: ``name/suite[,suite] new arch [upgradable from: old]``.

    A suite ending in ``-security`` (``bookworm-security``, ``jammy-security``)
    marks a security update.
    """
    updates: list[Record] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith(("Listing", "WARNING", "#")):
            continue
        match = _APT_LINE.match(line)
        if not match:
            raise ValueError(f"line {number}: not an 'apt list --upgradable' line: {line[:80]!r}")
        suites = match.group("suites").split(",")
        updates.append({
            "name": match.group("name"),
            "version": match.group("version"),
            "current": match.group("current"),
            "suites": suites,
            "security": any(s.endswith("-security") for s in suites),
        })
    return updates


# --------------------------------------------------------------------------- RPM

_RPM_ARCHES = {"x86_64", "i686", "i386", "noarch", "aarch64", "ppc64le", "s390x", "armv7hl", "src"}


def parse_rpm_qa(text: str) -> list[Record]:
    """``rpm -qa`` (``name-version-release.arch``) or ``rpm -qa --qf '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\n'``."""
    packages: list[Record] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("gpg-pubkey"):
            continue
        if "\t" in line:
            fields = line.split("\t")
            record: Record = {"name": fields[0], "version": fields[1]}
            if len(fields) > 2:
                record["arch"] = fields[2]
            if record["version"].startswith("0:"):
                record["version"] = record["version"][2:]
            packages.append(record)
            continue
        arch = ""
        stem = line
        head, dot, tail = line.rpartition(".")
        if dot and tail in _RPM_ARCHES:
            stem, arch = head, tail
        parts = stem.rsplit("-", 2)
        if len(parts) != 3:
            raise ValueError(f"line {number}: expected 'name-version-release.arch', got {line[:80]!r}")
        record = {"name": parts[0], "version": f"{parts[1]}-{parts[2]}"}
        if arch:
            record["arch"] = arch
        packages.append(record)
    return packages


# --------------------------------------------------------------------------- Windows


def _csv_rows(text: str) -> list[dict[str, str]]:
    """PowerShell ``Export-Csv`` output, with or without the ``#TYPE`` line and BOM."""
    lines = text.lstrip("\ufeff").splitlines()
    if lines and lines[0].startswith("#TYPE"):
        lines = lines[1:]
    if not lines:
        return []
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


_DATE_FORMATS = (
    "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y",
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y", "%Y%m%d",
)


def parse_windows_date(value: str) -> date | None:
    """Dates as Windows exports them: ``3/14/2024 12:00:00 AM`` (en-US), ``14.03.2024 00:00:00`` (pl-PL), ISO."""
    value = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_windows_hotfix(text: str) -> list[Record]:
    """``Get-HotFix | Select-Object HotFixID,Description,InstalledOn | Export-Csv -NoTypeInformation``."""
    rows = _csv_rows(text)
    if rows and "HotFixID" not in rows[0]:
        raise ValueError("no 'HotFixID' column: not a Get-HotFix export")
    hotfixes: list[Record] = []
    for row in rows:
        installed = parse_windows_date(row.get("InstalledOn", ""))
        hotfixes.append({
            "id": row["HotFixID"],
            "description": row.get("Description", ""),
            "installed_on": installed.isoformat() if installed else None,
        })
    return hotfixes


def parse_windows_programs(text: str) -> list[Record]:
    """Installed programs from the Uninstall registry keys (``DisplayName,DisplayVersion,Publisher,InstallDate``)."""
    rows = _csv_rows(text)
    if rows and "DisplayName" not in rows[0]:
        raise ValueError("no 'DisplayName' column: not an installed-programs export")
    return [
        {"name": row["DisplayName"], "version": row.get("DisplayVersion", ""), "publisher": row.get("Publisher", "")}
        for row in rows if row.get("DisplayName")
    ]


def parse_windows_os(text: str) -> Record:
    """``Get-CimInstance Win32_OperatingSystem | Select-Object Caption,Version,BuildNumber | Export-Csv``."""
    rows = _csv_rows(text)
    if not rows or "Version" not in rows[0]:
        raise ValueError("no 'Version' column: not a Win32_OperatingSystem export")
    row = rows[0]
    return {"name": "windows", "caption": row.get("Caption", ""), "version": row["Version"],
            "build": row.get("BuildNumber", "") or row["Version"].split(".")[-1]}


# --------------------------------------------------------------------------- operating system from packages

_UBUNTU_BASE_FILES = (("13ubuntu", "24.04"), ("12ubuntu", "22.04"), ("11ubuntu", "20.04"), ("10.1ubuntu", "18.04"),
                      ("9.4ubuntu", "16.04"))
_RPM_RELEASE_PACKAGES = {"redhat-release": "rhel", "redhat-release-server": "rhel", "centos-release": "centos",
                         "almalinux-release": "almalinux", "rocky-release": "rocky"}


def os_from_packages(packages: list[Record]) -> Record | None:
    """The distribution release, from ``base-files`` (Debian/Ubuntu) or the ``*-release`` package (RPM)."""
    by_name = {p["name"]: p["version"] for p in packages}
    base_files = by_name.get("base-files")
    if base_files:
        if "ubuntu" in base_files:
            for prefix, release in _UBUNTU_BASE_FILES:
                if base_files.startswith(prefix):
                    return {"name": "ubuntu", "version": release, "evidence": f"base-files {base_files}"}
            return None
        match = re.match(r"^(\d+)", base_files)
        if match:
            return {"name": "debian", "version": match.group(1), "evidence": f"base-files {base_files}"}
    for package, distro in _RPM_RELEASE_PACKAGES.items():
        if package in by_name:
            major = re.match(r"^(?:\d+:)?(\d+)", by_name[package])
            if major:
                return {"name": distro, "version": major.group(1), "evidence": f"{package} {by_name[package]}"}
    return None


def parse_auditor_bundle(text: str) -> dict[str, Any]:
    """The ``packages`` section of a configuration bundle (``auditor collector`` output).

    Lets one collected bundle feed both the config and the patching family,
    so ``scan --local`` and bundle folders get package findings too.  Returns
    ``{"manager": "dpkg"|"rpm", "packages": [...]}``.
    """
    import json

    try:
        section = json.loads(text).get("packages") or {}
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"not a configuration bundle: {exc}") from None
    kind, output = section.get("format"), section.get("output") or ""
    if kind == "dpkg-query":
        return {"manager": "dpkg", "packages": parse_dpkg_query(output)}
    if kind == "rpm":  # the collector writes ``name<TAB>version-release``
        return {"manager": "rpm", "packages": [
            {"name": name, "version": version}
            for name, _, version in (line.partition("\t") for line in output.splitlines() if "\t" in line)]}
    raise ValueError(f"bundle package format {kind!r} carries no Linux package list")


PARSERS: dict[str, Callable[[str], Any]] = {
    "auditor-bundle": parse_auditor_bundle,
    "dpkg-query": parse_dpkg_query,
    "dpkg-status": parse_dpkg_status,
    "rpm-qa": parse_rpm_qa,
    "apt-upgradable": parse_apt_upgradable,
    "windows-hotfix": parse_windows_hotfix,
    "windows-programs": parse_windows_programs,
    "windows-os": parse_windows_os,
}
"""Inventory file formats by name, as written in the inventory's ``format:``."""
