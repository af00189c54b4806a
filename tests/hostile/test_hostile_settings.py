"""``settings`` and ``scope`` are validated like the rest of the inventory (issue 26, items 4, 11, 12, 18).

Each broken inventory goes through the real CLI (``auditor scan``): exit 2,
``file:line: settings.<key>: reason``, no traceback, nothing contacted, and
no secret value echoed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.checks.mail_dns.probe import MailDnsProbe
from auditor.model import Target
from auditor.plugin import ProbeContext
from auditor.scope import OutOfScope, ScopeGuard
from hostile_cli import OFFICE, auditor
from scope_lab import DECOY, SCOPE, Decoy

SECRET = "Haslo-SMB-77!x"

BAD_SETTINGS = {  # case -> (settings, words the error must carry)
    "typo timout": ({"timout": 30}, ["settings.timout", "did you mean 'timeout'"]),
    "timeout: abc": ({"timeout": "abc"}, ["settings.timeout", "must be a number"]),
    "timeout: -5": ({"timeout": -5}, ["settings.timeout", "greater than 0"]),
    "per_host_concurrency: dwa": ({"per_host_concurrency": "dwa"}, ["settings.per_host_concurrency", "must be a whole number"]),
    "max_workers: 0": ({"max_workers": 0}, ["settings.max_workers", "must be at least 1"]),
    "network_extra_ports: ['1-65535']": ({"network_extra_ports": ["1-65535"]}, ["settings.network_extra_ports[0]"]),
    "network_extra_ports: [70000]": ({"network_extra_ports": [70000]}, ["settings.network_extra_ports[0]", "65535"]),
    "dns_resolver: not-an-ip": ({"dns_resolver": "not-an-ip"}, ["settings.dns_resolver", "not an IP address"]),
    "secret under unknown key": ({"haslo_smb": SECRET}, ["settings.haslo_smb", "unknown setting"]),
    "settings: a list": (["timeout", 5], ["settings", "must be a mapping"]),
}


def _write(path: Path, settings=None, scope=None, **extra) -> Path:
    document = {"organisation": OFFICE, "scope": scope or {"cidrs": [SCOPE]},
                "settings": settings if settings is not None else {"timeout": 5},
                "hosts": [{"name": "www.gmina.test", "addresses": ["127.123.30.14"], "ports": [1]}], **extra}
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.mark.parametrize("case", BAD_SETTINGS)
def test_bad_settings_exit_2_with_file_and_line(tmp_path: Path, record_case, case: str) -> None:
    settings, words = BAD_SETTINGS[case]
    path = _write(tmp_path / "inventory.yaml", settings=settings)
    with record_case(f"settings: {case}") as outcome:
        done = auditor("scan", str(path), "--out", str(tmp_path / "run.json"), cwd=tmp_path)
        outcome.append(f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1][:90]}")
    key = next(iter(settings)) if isinstance(settings, dict) else "settings"
    value = settings[key] if isinstance(settings, dict) else None
    # the line of the offending item: a list's first item sits on the line after its key
    line = _line_of(path, str(key)) + (1 if isinstance(value, list) else 0)
    assert done.returncode == 2, done.stderr
    assert f"inventory.yaml:{line}: settings" in done.stderr
    for word in words:
        assert word in done.stderr
    assert "Traceback" not in done.stderr and SECRET not in done.stderr + done.stdout
    assert not (tmp_path / "run.json").exists()


def test_good_settings_are_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path / "inventory.yaml", settings={
        "timeout": 30, "max_workers": 4, "per_host_concurrency": 1, "network_scan_risky_ports": False,
        "network_extra_ports": [8080, 8443], "tls_expiry_warning_days": 30, "mta_sts_port": 443,
        "dns_resolver": "127.123.30.53:53"})
    done = auditor("validate", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_a_resolver_outside_the_scope_gets_no_packet(tmp_path: Path, record_case) -> None:
    """The loader refuses it (exit 2), and the probe refuses it too should anything bypass the loader."""
    decoy = Decoy()
    try:
        path = _write(tmp_path / "inventory.yaml", settings={"timeout": 5, "dns_resolver": f"{DECOY}:{decoy.port}"},
                      domains=[{"name": "gmina.test"}], scope={"cidrs": [SCOPE], "domains": ["gmina.test"]})
        with record_case("dns_resolver outside the scope") as outcome:
            done = auditor("scan", str(path), "--only", "mail_dns", "--out", str(tmp_path / "run.json"), cwd=tmp_path)
            ctx = ProbeContext(scope=ScopeGuard.from_lists([SCOPE], ["gmina.test"]), timeout=5,
                               settings={"dns_resolver": f"{DECOY}:{decoy.port}"})
            with pytest.raises(OutOfScope):
                MailDnsProbe().collect(Target(id="domain:gmina.test", kind="domain", name="gmina.test"), ctx)
            outcome.append(f"exit {done.returncode}; probe refused; decoy datagrams {decoy.datagrams}")
        assert done.returncode == 2 and "settings.dns_resolver" in done.stderr and "outside the authorised scope" in done.stderr
        assert decoy.total == 0
    finally:
        decoy.close()


@pytest.mark.parametrize(("cidr", "accepted_when_confirmed", "words"), [
    ("0.0.0.0/0", True, "4,294,967,296 addresses"),
    ("10.0.0.0/8", True, "scope.confirm_large"),
    ("127.123.30.14/24", False, "did you mean 127.123.30.0/24"),
])
def test_oversized_or_host_bit_scopes_are_refused(tmp_path: Path, record_case, cidr, accepted_when_confirmed, words) -> None:
    path = _write(tmp_path / "inventory.yaml", scope={"cidrs": [cidr]}, hosts=[])
    with record_case(f"scope {cidr}") as outcome:
        done = auditor("validate", str(path), cwd=tmp_path)
        outcome.append(f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1][-80:]}")
    assert done.returncode == 2 and words in done.stderr and "inventory.yaml:" in done.stderr
    confirmed = _write(tmp_path / "confirmed.yaml", scope={"cidrs": [cidr], "confirm_large": True}, hosts=[])
    assert (auditor("validate", str(confirmed), cwd=tmp_path).returncode == 0) is accepted_when_confirmed


def test_a_credential_in_an_rclone_remote_is_refused_not_stored(tmp_path: Path, record_case) -> None:
    path = _write(tmp_path / "inventory.yaml", sources=[{
        "type": "restic", "name": "chmura", "password_env": "NIEUSTAWIONA",
        "repository": f"rclone::webdav,url=https://dav.example.test/kopie,user=gmina,pass={SECRET}:gmina"}])
    with record_case("rclone on-the-fly remote with pass=") as outcome:
        done = auditor("scan", str(path), "--only", "backups", "--out", str(tmp_path / "run.json"), cwd=tmp_path)
        outcome.append(f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1][-70:]}")
    assert done.returncode == 2 and "credential option" in done.stderr
    assert f"inventory.yaml:{_line_of(path, 'repository:')}" in done.stderr
    assert SECRET not in done.stderr + done.stdout and not (tmp_path / "run.json").exists()


def test_a_register_pointing_at_a_shadow_like_file_does_not_echo_it(tmp_path: Path, record_case) -> None:
    hashed = "$6$Qx9Lm2$Zk3hG7yTqW8vN1pR5sD0fJ4cB6aE2uI9oP7lK3mX1nV8bC5zA0sD4fG6hJ2kL9qW3eR7tY1uI5oP8aS2dF4gH6"
    shadow = tmp_path / "shadow.csv"
    shadow.write_text(f"root:{hashed}:19700:0:99999:7:::\nkadry:!:19700:0:99999:7:::\n", encoding="utf-8")
    path = _write(tmp_path / "inventory.yaml", sources=[{"type": "backup_register", "name": "rejestr",
                                                          "file": str(shadow)}])
    with record_case("backup register pointing at a shadow-like file") as outcome:
        done = auditor("-vv", "scan", str(path), "--only", "backups", "--out", str(tmp_path / "run.json"), cwd=tmp_path)
        outcome.append(f"exit {done.returncode}; hash echoed: {hashed[:12] in done.stderr + done.stdout}")
    stored = (tmp_path / "run.json").read_text() if (tmp_path / "run.json").exists() else ""
    assert "not shown" in done.stderr + done.stdout + stored
    for place in (done.stderr, done.stdout, stored):
        assert hashed[:12] not in place and "root:" not in place
