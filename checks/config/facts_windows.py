"""Normalised facts from a Windows evidence bundle (``collectors/windows.ps1``).

A urząd runs Polish Windows, whose command output is translated, so facts
come from stable identifiers first: password and lockout policy from the
``secedit`` export ([System Access] keys), the audit policy from
``auditpol /backup`` (subcategory GUIDs and the numeric "Setting Value"),
everything else from the cmdlet objects the collector serialises (property
names and enum values are not translated).  Text output (``auditpol /r``,
``net accounts``, ``w32tm``) is only a fallback, read by column position
and by the known English and Polish strings; a string we do not know is
left unknown, never guessed.  As on Linux, a fact is set only when the
bundle proves it.
"""

from __future__ import annotations

import csv
from datetime import datetime
from typing import Any, Mapping

from auditor.checks.config.textconf import LAPTOP_CHASSIS, build_facts, as_int, ini_section, key_values

_NEVER = 99999  # "password never expires", as Linux's PASS_MAX_DAYS writes it
_SYNCING_TYPES = {"NTP", "NT5DS", "ALLSYNC"}
_AUDIT_SUBCATEGORIES = {
    "{0CCE9215-69AE-11D9-BED3-505054503030}": "logon",
    "{0CCE9235-69AE-11D9-BED3-505054503030}": "user_account_management",
    "{0CCE9237-69AE-11D9-BED3-505054503030}": "security_group_management",
    "{0CCE922F-69AE-11D9-BED3-505054503030}": "audit_policy_change",
}
#: ``auditpol /r`` "Inclusion Setting" values, English and Polish (Windows pl-PL: Zasady inspekcji).
_AUDIT_SETTINGS = {
    "no auditing": "none", "success": "success", "failure": "failure", "success and failure": "success_and_failure",
    "brak inspekcji": "none", "sukces": "success", "niepowodzenie": "failure",
    "sukces i niepowodzenie": "success_and_failure",
}
#: ``auditpol /backup`` "Setting Value": a bit mask (1 success, 2 failure), the same in every language.
_AUDIT_VALUES = {0: "none", 1: "success", 2: "failure", 3: "success_and_failure"}
#: ``net accounts`` labels, English and Polish, by the secedit key they stand for.
_NET_ACCOUNTS = {
    "Minimum password length": "MinimumPasswordLength", "Minimalna długość hasła": "MinimumPasswordLength",
    "Maximum password age (days)": "MaximumPasswordAge", "Maksymalny okres ważności hasła (dni)": "MaximumPasswordAge",
    "Lockout threshold": "LockoutBadCount", "Próg blokady": "LockoutBadCount",
}
_W32TM_SOURCE = ("Source", "Źródło")
_UNSYNCED_SOURCES = ("Local CMOS Clock", "Free-running System Clock", "Lokalny zegar CMOS")


def _true(value: Any) -> bool | None:
    """Booleans as PowerShell serialises them: true, "True", 1, "1"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == 1
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "false", "0"):
        return value.strip().lower() in ("true", "1")
    return None


def _date(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


class WindowsBundle:
    def __init__(self, bundle: Mapping[str, Any]) -> None:
        self.commands: Mapping[str, Any] = bundle.get("commands") or {}
        self.objects: Mapping[str, Any] = bundle.get("objects") or {}
        self.collected_at = _date(bundle["collected_at"])

    def output(self, name: str) -> str | None:
        entry = self.commands.get(name)
        if isinstance(entry, Mapping) and entry.get("rc") == 0 and entry.get("output"):
            return str(entry["output"])
        return None

    def obj(self, name: str) -> Any:
        return self.objects.get(name)


def windows_facts(bundle: Mapping[str, Any]) -> dict[str, Any]:
    return build_facts(_BUILDERS, WindowsBundle(bundle))


def _os(b: WindowsBundle) -> dict[str, Any]:
    os_info = b.obj("os") or {}
    facts = {"name": os_info.get("caption"), "version": os_info.get("version"), "build": os_info.get("build")}
    return {k: v for k, v in facts.items() if v}


def _policy(b: WindowsBundle) -> dict[str, int]:
    """Password/lockout policy in secedit's keys, from secedit or else from ``net accounts``."""
    secedit = ini_section(b.output("secedit") or "", "System Access")
    if secedit:
        return {k: v for k, v in ((k, as_int(secedit.get(k))) for k in
                                  ("MinimumPasswordLength", "MaximumPasswordAge", "LockoutBadCount")) if v is not None}
    net = key_values(b.output("net_accounts") or "", ":")
    policy = {}
    for label, key in _NET_ACCOUNTS.items():
        raw = net.get(label)
        if raw is not None:
            policy[key] = as_int(raw) if as_int(raw) is not None else (-1 if key == "MaximumPasswordAge" else 0)
    return policy


def _password(b: WindowsBundle) -> dict[str, Any]:
    policy = _policy(b)
    facts: dict[str, Any] = {}
    if "MinimumPasswordLength" in policy:
        facts["min_length"] = policy["MinimumPasswordLength"]
    if "MaximumPasswordAge" in policy:
        age = policy["MaximumPasswordAge"]
        facts["max_days"] = _NEVER if age in (-1, 0) or age > _NEVER else age
    return facts


def _lockout(b: WindowsBundle) -> dict[str, Any]:
    threshold = _policy(b).get("LockoutBadCount")
    return {} if threshold is None else {"enabled": threshold > 0, "threshold": threshold}


def _admins(b: WindowsBundle) -> dict[str, Any]:
    members = b.obj("admins")
    if not isinstance(members, list):
        return {}
    accounts = sorted(str(m.get("name")) for m in members if isinstance(m, Mapping) and m.get("name"))
    return {"accounts": accounts, "count": len(accounts)}


def _firewall(b: WindowsBundle) -> dict[str, Any]:
    profiles = b.obj("firewall_profiles")
    if not isinstance(profiles, list) or not profiles:
        return {}
    disabled = sorted(str(p.get("name")) for p in profiles if _true(p.get("enabled")) is not True)
    return {"enabled": not disabled, "profiles_disabled": disabled}


def _logs(b: WindowsBundle) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    logs = {str(log.get("name")): log for log in b.obj("event_logs") or [] if isinstance(log, Mapping)}
    security = logs.get("Security")
    if security is not None:
        days = _full_log_days(security, b.collected_at)
        facts["retention_sources"] = {"Security": days}
        facts["security_log_max_mb"] = round((security.get("max_size_bytes") or 0) / 1048576)
        if days is not None:
            facts["retention_days"] = days
    audit = _audit_policy(b)
    if audit:
        facts["audit"] = audit
    if "event_forwarding" in b.objects or "log_agents" in b.objects:
        facts["forwarding"] = bool(b.obj("event_forwarding")) or bool(b.obj("log_agents"))
    return facts


def _audit_policy(b: WindowsBundle) -> dict[str, str]:
    """Audit settings of key subcategories, matched by GUID.

    ``auditpol /backup`` gives each subcategory's numeric setting (the same
    in every language); ``auditpol /get /category:* /r`` is the fallback,
    read by column position (the header and the subcategory names are
    translated) with the known English and Polish setting names.
    """
    policy: dict[str, str] = {}
    for row in csv.reader((b.output("auditpol") or "").splitlines()):
        if len(row) >= 5 and row[3].strip().upper() in _AUDIT_SUBCATEGORIES:
            setting = _AUDIT_SETTINGS.get(row[4].strip().lower())
            if setting is not None:
                policy[_AUDIT_SUBCATEGORIES[row[3].strip().upper()]] = setting
    for row in csv.reader((b.output("auditpol_backup") or "").lstrip("\ufeff").splitlines()):
        if len(row) >= 7 and row[3].strip().upper() in _AUDIT_SUBCATEGORIES:
            value = as_int(row[6])
            if value in _AUDIT_VALUES:
                policy[_AUDIT_SUBCATEGORIES[row[3].strip().upper()]] = _AUDIT_VALUES[value]
    return policy


def _full_log_days(log: Mapping[str, Any], now: datetime | None) -> float | None:
    """Days of history a circular log holds once it is full; ``None`` while it is still filling."""
    size, limit, oldest = log.get("file_size_bytes"), log.get("max_size_bytes"), _date(log.get("oldest"))
    if str(log.get("mode")) != "Circular" or not size or not limit or oldest is None or now is None:
        return None
    if size < 0.9 * limit:
        return None
    return round((now - oldest).total_seconds() / 86400, 1)


def _time_sync(b: WindowsBundle) -> dict[str, Any]:
    service = b.obj("time_service") or {}
    kind, status = str(service.get("type") or "").upper(), str(service.get("status") or "")
    if not kind and not status:
        return {}
    facts: dict[str, Any] = {"enabled": kind in _SYNCING_TYPES and status == "Running", "type": kind or None}
    status_lines = key_values(b.output("w32tm_status") or "", ":")
    source = next((status_lines[label] for label in _W32TM_SOURCE if label in status_lines), None)
    if source is not None:
        facts["source"] = source
        facts["synchronized"] = source.strip() not in _UNSYNCED_SOURCES
    return facts


def _antimalware(b: WindowsBundle) -> dict[str, Any]:
    defender = b.obj("defender") or {}
    listed = b.obj("av_products")  # None: Security Center unavailable (servers), so other products are unknown
    products = [p.get("name") for p in listed or [] if isinstance(p, Mapping) and p.get("name")]
    defender_on = _true(defender.get("antivirus_enabled")) and _true(defender.get("real_time_protection_enabled"))
    if not defender_on and not products and not isinstance(listed, list):
        return {}
    facts: dict[str, Any] = {"present": bool(defender_on or products), "products": products}
    if defender_on and as_int(defender.get("signature_age_days")) is not None:
        facts["signature_age_days"] = as_int(defender.get("signature_age_days"))
    return facts


def _auto_updates(b: WindowsBundle) -> dict[str, Any]:
    if "windows_update_policy" not in b.objects:
        return {}
    policy = b.obj("windows_update_policy") or {}
    if as_int(policy.get("NoAutoUpdate")) == 1:
        return {"enabled": False, "mechanism": "policy NoAutoUpdate=1"}
    option = as_int(policy.get("AUOptions"))
    if option is None:
        return {"enabled": True, "mechanism": "Windows Update default (no policy)"}
    return {"enabled": option in (4, 5), "mechanism": f"policy AUOptions={option}"}


def _hardware(b: WindowsBundle) -> dict[str, Any]:
    types = [t for t in (as_int(v) for v in b.obj("chassis_types") or []) if t is not None]
    return {"chassis_type": types[0], "portable": bool(set(types) & LAPTOP_CHASSIS)} if types else {}


def _disk_encryption(b: WindowsBundle) -> dict[str, Any]:
    volumes = b.obj("bitlocker")
    if not isinstance(volumes, list) or not volumes:
        return {}
    system = [v for v in volumes if str(v.get("volume_type")) == "OperatingSystem"] or volumes[:1]
    return {"enabled": all(str(v.get("protection_status")) in ("On", "1") for v in system), "evidence": "BitLocker"}


def _smb1(b: WindowsBundle) -> dict[str, Any]:
    enabled = _true((b.obj("smb_server") or {}).get("enable_smb1"))
    return {} if enabled is None else {"enabled": enabled}


def _rdp(b: WindowsBundle) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    deny = as_int((b.obj("rdp") or {}).get("fDenyTSConnections"))
    if deny is not None:
        facts["enabled"] = deny == 0
    nla = as_int((b.obj("rdp_tcp") or {}).get("UserAuthentication"))
    if nla is not None:
        facts["nla"] = nla == 1
    return facts


_BUILDERS = {
    "os": _os, "password": _password, "lockout": _lockout, "admins": _admins, "firewall": _firewall,
    "logs": _logs, "time_sync": _time_sync, "antimalware": _antimalware, "auto_updates": _auto_updates,
    "hardware": _hardware, "disk_encryption": _disk_encryption, "smb1": _smb1, "rdp": _rdp,
}
