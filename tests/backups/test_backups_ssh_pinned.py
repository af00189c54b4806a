"""restic ``sftp:`` and borg over ssh connect to the checked address, whatever ssh's own config says.

Real sshd on 127.0.26.10, real restic and borg repositories behind it, and
a client ssh config (``backup_ssh_command: ssh -F …``) whose ``Host`` block
for the repository sends ssh to a decoy outside the scope — by ``HostName``
or by ``ProxyJump``.  ssh resolves and routes names itself; before the pin,
these configs reached the decoy.  Now the decoy counts 0 connections and
the repository is read through the real server.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from auditor.checks.backups.sshpin import borg_rsh, restic_sftp_command, ssh_parts
from auditor.inventory import load_inventory
from auditor.model import Status
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan
from backup_helpers import only
from sshd_lab import Sshd, misleading_config

sys.path.insert(0, str(Path(__file__).parents[1] / "hostile"))
from scope_lab import DECOY, Decoy  # noqa: E402

pytestmark = [pytest.mark.probe]

SSHD_ADDRESS = "127.0.26.10"
SYSTEMS = [{"name": "ewidencja"}, {"name": "kadry"}]
REDIRECTS = {"hostname": "HostName {decoy}", "proxyjump": "ProxyJump {decoy}:{port}"}


@pytest.fixture
def sshd(tmp_path, server_missing):
    try:
        server = Sshd(tmp_path / "sshd", SSHD_ADDRESS)
    except OSError as exc:
        server_missing(f"sshd cannot run here: {exc}")
    yield server
    server.stop()


def _scan(write_inventory, source: dict, ssh_config: Path):
    path = write_inventory(scope={"cidrs": ["127.0.26.0/24"], "domains": ["testowa.test"]}, systems=SYSTEMS,
                           sources=[source], settings={"timeout": 60, "backup_ssh_command": f"ssh -F {ssh_config}"})
    return run_scan(load_inventory(path), default_registry(), ScanOptions(families={"backups"}))


def _read_through_the_checked_address(run, source_id: str, decoy: Decoy, sshd: Sshd) -> None:
    [attempt] = [a for a in run.attempts if a.target_id == source_id]
    assert attempt.status.value == "completed", attempt.error
    assert decoy.connections == 0
    assert sshd.logins() >= 1


@pytest.mark.parametrize("redirect", sorted(REDIRECTS))
def test_restic_sftp_goes_to_the_checked_address_only(redirect, sshd, restic_repo, write_inventory, tmp_path):
    decoy = Decoy(DECOY, sshd.port)
    try:
        config = misleading_config(tmp_path, sshd, SSHD_ADDRESS, REDIRECTS[redirect].format(decoy=DECOY,
                                                                                          port=sshd.port))
        run = _scan(write_inventory, {"type": "restic", "name": "kopie", "systems": ["ewidencja", "kadry"],
                                      "repository": f"sftp:{SSHD_ADDRESS}:{restic_repo.path}",
                                      "password_file": str(restic_repo.password_file)}, config)
    finally:
        decoy.close()
    _read_through_the_checked_address(run, "restic:kopie", decoy, sshd)
    assert only(run, "backup.stale", "system:ewidencja").status is Status.FAIL  # three days old
    assert only(run, "backup.stale", "system:kadry").status is Status.PASS


def test_borg_over_ssh_goes_to_the_checked_address_only(sshd, borg_repo, write_inventory, tmp_path):
    decoy = Decoy(DECOY, sshd.port)
    try:
        config = misleading_config(tmp_path, sshd, SSHD_ADDRESS, f"HostName {DECOY}")
        run = _scan(write_inventory, {"type": "borg", "name": "kopie-borg", "systems": ["kadry"],
                                      "repository": f"ssh://{SSHD_ADDRESS}{borg_repo.path}",
                                      "password_file": str(borg_repo.password_file)}, config)
    finally:
        decoy.close()
    _read_through_the_checked_address(run, "borg:kopie-borg", decoy, sshd)
    assert only(run, "backup.stale", "system:kadry").status is Status.PASS


def test_the_pinned_commands():
    """What restic and borg are given: the checked address as HostName, the name kept for host keys, the
    user's own options after the pin (ssh keeps the first value of an option)."""
    assert ssh_parts("backup@nas.gmina.test:/srv/restic") == ("backup", "nas.gmina.test", None)
    assert ssh_parts("//backup@nas.gmina.test:2222//srv/restic") == ("backup", "nas.gmina.test", 2222)
    command = restic_sftp_command("ssh -i '/etc/auditor/klucz kopii'", "//backup@nas.gmina.test:2222//srv/r",
                                  "10.0.0.5")
    assert command == ("ssh -o HostName=10.0.0.5 -o HostKeyAlias=nas.gmina.test -o ProxyJump=none "
                       "-o ProxyCommand=none -o ControlMaster=no -o ControlPath=none -i '/etc/auditor/klucz kopii' "
                       "-p 2222 -l backup nas.gmina.test -s sftp")
    assert borg_rsh("ssh", "ssh://borg@nas.gmina.test:2222/./repo", "10.0.0.5").startswith(
        "ssh -o HostName=10.0.0.5 -o HostKeyAlias=nas.gmina.test -o ProxyJump=none")
