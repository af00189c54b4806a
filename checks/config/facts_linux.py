"""Normalised facts from a Linux evidence bundle (``collectors/linux.sh``).

The collector stores raw file contents and command outputs; this module
turns them into the fact tree the rules read (documented in
docs/config.md).  A fact is set only when the bundle proves it: when the
inputs for it are absent the key is left out, so the rule reports
``manual``/``not_applicable`` instead of a false ``fail``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Mapping

from auditor.checks.config.textconf import LAPTOP_CHASSIS, build_facts, as_int, content_lines, key_values, pam_modules, time_span_days

_ADMIN_GROUPS = ("sudo", "wheel", "admin")
_MFA_MODULES = ("pam_google_authenticator.so", "pam_u2f.so", "pam_oath.so", "pam_duo.so", "pam_yubico.so")
_PERIOD_DAYS = {"daily": 1, "weekly": 7, "monthly": 30, "yearly": 365}
_SSH_LISTS = {"ciphers": "ciphers", "kexalgorithms": "kex_algorithms", "macs": "macs",
              "hostkeyalgorithms": "host_key_algorithms"}
_SSH_SCALARS = {"permitrootlogin": "permit_root_login", "passwordauthentication": "password_authentication",
                "kbdinteractiveauthentication": "kbd_interactive_authentication"}
#: OpenSSH's compiled-in defaults, used when only sshd_config (not ``sshd -T``) is available.
_SSH_DEFAULTS = {"permitrootlogin": "prohibit-password", "passwordauthentication": "yes",
                 "kbdinteractiveauthentication": "yes"}


class LinuxBundle:
    """Accessors over one bundle's raw sections."""

    def __init__(self, bundle: Mapping[str, Any]) -> None:
        self.files: Mapping[str, str] = bundle.get("files") or {}
        self.commands: Mapping[str, Any] = bundle.get("commands") or {}
        self.mtimes: Mapping[str, Any] = bundle.get("file_mtimes") or {}
        self.packages_text: str | None = (bundle.get("packages") or {}).get("output")
        self.collected_at: datetime = datetime.fromisoformat(str(bundle["collected_at"]).replace("Z", "+00:00"))

    def file(self, path: str) -> str | None:
        return self.files.get(path)

    def files_under(self, *paths: str) -> list[str]:
        """Contents of the named files and of ``<path>.d/*.conf`` drop-ins, in reading order."""
        found = []
        for path in paths:
            if path in self.files:
                found.append(self.files[path])
            prefix = path + ".d/"
            found += [text for name, text in sorted(self.files.items()) if name.startswith(prefix)]
        return found

    def output(self, name: str) -> str | None:
        """A command's output when it succeeded."""
        entry = self.commands.get(name)
        if isinstance(entry, Mapping) and entry.get("rc") == 0:
            return str(entry.get("output", ""))
        return None

    def active_units(self) -> set[str] | None:
        text = self.output("systemctl_is_active")
        if text is None:
            return None
        return {parts[0] for parts in (line.split() for line in text.splitlines()) if parts[1:] == ["active"]}

    def packages(self) -> set[str] | None:
        if self.packages_text is None:
            return None
        return {line.split("\t")[0].split(":")[0] for line in self.packages_text.splitlines() if line.strip()}

    def pam(self, *names: str) -> list[tuple[str, str, dict[str, str]]] | None:
        texts = [self.files[f"/etc/pam.d/{n}"] for n in names if f"/etc/pam.d/{n}" in self.files]
        return [entry for text in texts for entry in pam_modules(text)] if texts else None


def linux_facts(bundle: Mapping[str, Any]) -> dict[str, Any]:
    return build_facts(_BUILDERS, LinuxBundle(bundle))


def _os(b: LinuxBundle) -> dict[str, Any]:
    release = key_values(b.file("/etc/os-release") or "")
    facts = {"name": release.get("PRETTY_NAME"), "id": release.get("ID"), "version": release.get("VERSION_ID")}
    return {k: v for k, v in facts.items() if v}


def _ssh(b: LinuxBundle) -> dict[str, Any]:
    effective = b.output("sshd_t")
    if effective:
        settings = {k.lower(): v for k, v in key_values(effective, None).items()}
        facts: dict[str, Any] = {"present": True, "source": "sshd -T"}
    elif b.file("/etc/ssh/sshd_config") is not None:
        settings = _sshd_config_files(b)
        facts = {"present": True, "source": "sshd_config"}
    else:
        return {"present": False} if b.packages() is not None and "openssh-server" not in b.packages() else {}
    if "kbdinteractiveauthentication" not in settings and "challengeresponseauthentication" in settings:
        settings["kbdinteractiveauthentication"] = settings["challengeresponseauthentication"]  # OpenSSH < 8.7
    if facts["source"] == "sshd_config":
        settings = {**_SSH_DEFAULTS, **settings}
    for key, name in _SSH_SCALARS.items():
        if key in settings:
            facts[name] = settings[key]
    for key, name in _SSH_LISTS.items():
        value = settings.get(key, "")
        if value and value[0] not in "-^":  # "+x" adds to unknown defaults: the additions are still facts
            facts[name] = [item for item in value.lstrip("+").split(",") if item]
    return facts


def _sshd_config_files(b: LinuxBundle) -> dict[str, str]:
    """First value wins, drop-ins included where ``Include`` stands; ``Match`` blocks are ignored."""
    settings: dict[str, str] = {}
    dropins = [text for name, text in sorted(b.files.items()) if name.startswith("/etc/ssh/sshd_config.d/")]

    def read(text: str) -> bool:
        for line in content_lines(text, "#"):
            key, _, value = line.partition(" ")
            key = key.lower()
            if key == "match":
                return False
            if key == "include":
                for included in dropins:
                    if not read(included):
                        return False
                continue
            settings.setdefault(key, value.strip())
        return True

    read(b.file("/etc/ssh/sshd_config") or "")
    return settings


def _password(b: LinuxBundle) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    stack = b.pam("common-password", "system-auth", "password-auth")
    if stack is not None:
        modules = {module: args for kind, module, args in stack if kind == "password"}
        quality = modules.get("pam_pwquality.so", modules.get("pam_cracklib.so"))
        if quality is not None:
            conf = {}
            for text in b.files_under("/etc/security/pwquality.conf"):
                conf.update(key_values(text, lower_keys=True))
            facts["min_length"] = as_int(quality.get("minlen")) or as_int(conf.get("minlen")) or 8
            facts["min_length_source"] = "pam_pwquality"
        elif "pam_unix.so" in modules:
            facts["min_length"] = as_int(modules["pam_unix.so"].get("minlen")) or 6
            facts["min_length_source"] = "pam_unix"
    defs = b.file("/etc/login.defs")
    if defs is not None:
        facts["max_days"] = as_int(key_values(defs, None).get("PASS_MAX_DAYS")) or 99999
    return facts


def _auth(b: LinuxBundle) -> dict[str, Any]:
    stack = b.pam("common-auth", "system-auth", "sshd")
    if stack is None:
        return {}
    return {"mfa": any(module in _MFA_MODULES for _, module, _ in stack)}


def _lockout(b: LinuxBundle) -> dict[str, Any]:
    stack = b.pam("common-auth", "system-auth")
    if stack is None:
        return {}
    auth = {module: args for kind, module, args in stack if kind == "auth"}
    if "pam_faillock.so" in auth:
        conf = key_values(b.file("/etc/security/faillock.conf") or "", lower_keys=True)
        deny = as_int(auth["pam_faillock.so"].get("deny")) or as_int(conf.get("deny"))
        threshold = 3 if deny is None else deny
    elif "pam_tally2.so" in auth:
        threshold = as_int(auth["pam_tally2.so"].get("deny")) or 0
    else:
        threshold = 0
    return {"enabled": threshold > 0, "threshold": threshold}


def _admins(b: LinuxBundle) -> dict[str, Any]:
    group_text, passwd_text = b.file("/etc/group"), b.file("/etc/passwd")
    if group_text is None or passwd_text is None:
        return {}
    admin_gids, names = set(), set()
    for line in group_text.splitlines():
        parts = line.split(":")
        if len(parts) >= 3 and parts[0] in _ADMIN_GROUPS:
            admin_gids.add(parts[1])
            names.update(m for m in parts[2].split(",") if m)
    for line in passwd_text.splitlines():
        parts = line.split(":")  # name:uid:gid:shell
        if len(parts) >= 3 and parts[0] != "root" and (parts[1] == "0" or parts[2] in admin_gids):
            names.add(parts[0])
    names |= _sudoers_users(b)
    accounts = sorted(names)
    return {"accounts": accounts, "count": len(accounts)}


def _sudoers_users(b: LinuxBundle) -> set[str]:
    """User names granted ``ALL`` commands directly in sudoers (groups are counted above)."""
    users = set()
    for text in b.files_under("/etc/sudoers"):
        for line in content_lines(text, "#"):
            match = re.match(r"^([a-z_][a-z0-9_.-]*)\s+\S+\s*=.*\bALL\s*$", line)
            if match and match.group(1) not in ("root", "Defaults"):
                users.add(match.group(1))
    return users


def _firewall(b: LinuxBundle) -> dict[str, Any]:
    signals: list[str] = []
    readings = 0
    nft = b.output("nft_ruleset")
    if nft is not None:
        readings += 1
        if _nft_input_denies(nft):
            signals.append("nftables")
    iptables = b.output("iptables_rules")
    if iptables is not None:
        readings += 1
        if _iptables_input_denies(iptables):
            signals.append("iptables")
    ufw = b.output("ufw_status")
    if ufw is not None and "Status: active" in ufw:
        signals.append("ufw")
    if (b.output("firewalld_state") or "").strip() == "running":
        signals.append("firewalld")
    units = b.active_units() or set()
    signals += sorted(units & {"nftables", "ufw", "firewalld", "netfilter-persistent", "iptables"})
    if re.search(r"^\s*ENABLED\s*=\s*yes", b.file("/etc/ufw/ufw.conf") or "", re.M):
        signals.append("ufw.conf")
    if signals:
        return {"enabled": True, "mechanisms": sorted(set(signals))}
    return {"enabled": False} if readings else {}


def _nft_input_denies(ruleset: str) -> bool:
    """An input-hook chain that drops by default (policy drop, or a final drop/reject rule).

    Only input chains count: Docker's or libvirt's forward rules drop packets
    too but do not protect the host.
    """
    chain: list[str] | None = None
    for line in ruleset.splitlines():
        text = line.strip()
        if text.startswith("chain ") and text.endswith("{"):
            chain = []
        elif chain is not None and text == "}":
            header = " ".join(chain[:1])
            if "hook input" in header and ("policy drop" in header or re.search(r"\b(drop|reject)\b", chain[-1])):
                return True
            chain = None
        elif chain is not None and text:
            chain.append(text)
    return False


def _iptables_input_denies(rules: str) -> bool:
    """``iptables -S``: INPUT policy DROP, or an INPUT chain ending in an unconditional DROP/REJECT."""
    if re.search(r"^-P INPUT DROP", rules, re.M):
        return True
    inputs = [line for line in rules.splitlines() if line.startswith("-A INPUT ")]
    return bool(inputs) and re.fullmatch(r"-A INPUT -j (DROP|REJECT)( --reject-with \S+)?", inputs[-1].strip()) is not None


def _logs(b: LinuxBundle) -> dict[str, Any]:
    sources: dict[str, float | None] = {}
    journald_texts = b.files_under("/etc/systemd/journald.conf")
    if journald_texts:
        conf: dict[str, str] = {}
        for text in journald_texts:
            conf.update(key_values(text))
        if conf.get("Storage", "auto") in ("volatile", "none"):
            sources["journald"] = 0.0
        elif "MaxRetentionSec" in conf and conf["MaxRetentionSec"] not in ("0", ""):
            sources["journald"] = time_span_days(conf["MaxRetentionSec"])
        else:
            sources["journald"] = None  # bounded by disk space, not by time
    rotate = _logrotate_days(b)
    if rotate is not None:
        sources["rsyslog"] = rotate
    facts: dict[str, Any] = {}
    if sources:
        facts["retention_sources"] = {k: v for k, v in sources.items()}
        known = [v for v in sources.values() if v is not None]
        if known and (max(known) >= 730 or None not in sources.values()):
            facts["retention_days"] = max(known)
    forwarding = _forwarding(b)
    if forwarding is not None:
        facts["forwarding"] = forwarding
    return facts


def _logrotate_days(b: LinuxBundle) -> float | None:
    """How long logrotate keeps rsyslog's files: rotations × period (+ the current file)."""
    rules = b.file("/etc/logrotate.d/rsyslog")
    if rules is None or b.file("/etc/rsyslog.conf") is None:
        return None
    defaults = b.file("/etc/logrotate.conf") or ""
    period, count = 7, 4
    for text in (defaults, rules):
        for line in content_lines(text):
            word = line.split()
            if word[0] in _PERIOD_DAYS:
                period = _PERIOD_DAYS[word[0]]
            elif word[0] == "rotate" and len(word) > 1 and as_int(word[1]) is not None:
                count = as_int(word[1]) or 0
    return float(period * (count + 1))


def _forwarding(b: LinuxBundle) -> bool | None:
    rsyslog = b.files_under("/etc/rsyslog.conf")
    syslog_ng = b.file("/etc/syslog-ng/syslog-ng.conf")
    upload = b.file("/etc/systemd/journal-upload.conf")
    if not rsyslog and syslog_ng is None and upload is None:
        return None
    for text in rsyslog:
        if any(re.search(r"(^|\s)@@?[\w\[]|omfwd|omrelp", line) for line in content_lines(text)):
            return True
    if syslog_ng and re.search(r"^\s*destination[^#\n]*\b(network|tcp|udp|syslog)\s*\(", syslog_ng, re.M):
        return True
    if upload and "URL" in key_values(upload):
        return True
    return False


def _time_sync(b: LinuxBundle) -> dict[str, Any]:
    show = b.output("timedatectl")
    units = b.active_units() or set()
    running = sorted(units & {"systemd-timesyncd", "chrony", "chronyd", "ntp", "ntpsec"})
    if show is not None:
        values = key_values(show)
        enabled = values.get("NTP") == "yes" or bool(running)
        return {"enabled": enabled, "synchronized": values.get("NTPSynchronized") == "yes", "services": running}
    if running:
        return {"enabled": True, "services": running}
    for path in ("/etc/chrony/chrony.conf", "/etc/chrony.conf", "/etc/ntp.conf", "/etc/ntpsec/ntp.conf"):
        if re.search(r"^\s*(server|pool)\s+\S+", b.file(path) or "", re.M):
            return {"enabled": True, "services": [path]}
    return {}


def _antimalware(b: LinuxBundle) -> dict[str, Any]:
    packages = b.packages()
    units = b.active_units() or set()
    stamps = [v for v in b.mtimes.values() if isinstance(v, (int, float))]
    present = (bool(units & {"clamav-daemon", "clamav-freshclam"}) or bool(stamps)
               or b.file("/etc/clamav/freshclam.conf") is not None)
    if packages is not None:
        present = present or bool(packages & {"clamav", "clamav-daemon", "clamav-freshclam"})
    elif not present:
        return {}
    facts: dict[str, Any] = {"present": present, "product": "ClamAV" if present else None}
    if stamps:
        facts["signature_age_days"] = round((b.collected_at.timestamp() - max(stamps)) / 86400, 1)
    return {k: v for k, v in facts.items() if v is not None}


def _auto_updates(b: LinuxBundle) -> dict[str, Any]:
    packages = b.packages()
    apt = "\n".join(filter(None, (b.file("/etc/apt/apt.conf.d/20auto-upgrades"), b.file("/etc/apt/apt.conf.d/10periodic"))))
    if re.search(r'APT::Periodic::Unattended-Upgrade\s+"[1-9]', apt) and (packages is None or "unattended-upgrades" in packages):
        return {"enabled": True, "mechanism": "unattended-upgrades"}
    dnf = b.file("/etc/dnf/automatic.conf")
    if dnf is not None:
        return {"enabled": key_values(dnf, lower_keys=True).get("apply_updates") in ("yes", "true", "1"),
                "mechanism": "dnf-automatic"}
    if packages is not None or apt:
        return {"enabled": False}
    return {}


def _hardware(b: LinuxBundle) -> dict[str, Any]:
    chassis = as_int(b.file("/sys/class/dmi/id/chassis_type"))
    return {} if chassis is None else {"chassis_type": chassis, "portable": chassis in LAPTOP_CHASSIS}


def _disk_encryption(b: LinuxBundle) -> dict[str, Any]:
    lsblk = b.output("lsblk")
    crypttab = [line for line in content_lines(b.file("/etc/crypttab") or "")]
    if lsblk is not None and re.search(r"\bcrypt\b|crypto_LUKS", lsblk):
        return {"enabled": True, "evidence": "lsblk"}
    if crypttab:
        return {"enabled": True, "evidence": "crypttab"}
    if lsblk is not None:
        return {"enabled": False, "evidence": "lsblk"}
    return {}


def _packages(b: LinuxBundle) -> dict[str, Any]:
    packages = b.packages()
    return {} if packages is None else {"count": len(packages)}


_BUILDERS = {
    "os": _os, "ssh": _ssh, "password": _password, "auth": _auth, "lockout": _lockout, "admins": _admins,
    "firewall": _firewall, "logs": _logs, "time_sync": _time_sync, "antimalware": _antimalware,
    "auto_updates": _auto_updates, "hardware": _hardware, "disk_encryption": _disk_encryption,
    "packages": _packages,
}
