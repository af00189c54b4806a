"""A real Samba file server (``smbd``) on a loopback address (demo lab and tests).

``smbd -F --no-process-group`` runs in the foreground with every database,
lock, pid and log under the caller's folder and one share open to guests;
``smb ports`` puts it on an unprivileged port.  The two settings the audit
judges are parameters: ``min_protocol`` (``NT1`` = SMBv1 accepted, as on an
old NAS; ``SMB2_02`` and above = SMB2+ only) and ``signing``
(``mandatory`` or ``auto``/``disabled``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor.demo.daemon import Daemon, binary

_DIRS = ("private", "lock", "state", "cache", "pid", "ncalrpc", "share", "log")


@dataclass(frozen=True)
class SambaSettings:
    min_protocol: str = "SMB2_10"
    signing: str = "mandatory"
    workgroup: str = "GMINA"


def smb_conf(folder: Path, address: str, port: int, settings: SambaSettings) -> str:
    # A loopback alias is no interface of its own: "address/8" makes smbd bind exactly that address.
    return f"""[global]
  workgroup = {settings.workgroup}
  netbios name = SERWER-PLIKOW
  server role = standalone server
  interfaces = {address}/8
  bind interfaces only = yes
  smb ports = {port}
  disable netbios = yes
  server min protocol = {settings.min_protocol}
  server signing = {settings.signing}
  private dir = {folder}/private
  lock directory = {folder}/lock
  state directory = {folder}/state
  cache directory = {folder}/cache
  pid directory = {folder}/pid
  ncalrpc dir = {folder}/ncalrpc
  log file = {folder}/log/smbd.log
  passdb backend = tdbsam:{folder}/private/passdb.tdb
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  map to guest = bad user
[dokumenty]
  path = {folder}/share
  guest ok = yes
  read only = yes
"""


def start_samba(folder: Path, address: str, port: int, settings: SambaSettings = SambaSettings()) -> Daemon:
    """Starts smbd and waits until ``address:port`` accepts connections."""
    smbd = binary("smbd", "samba")
    for name in _DIRS:
        (folder / name).mkdir(parents=True, exist_ok=True)
    config = folder / "smb.conf"
    config.write_text(smb_conf(folder, address, port, settings), encoding="utf-8")
    return Daemon("smbd", [smbd, "-F", "--no-process-group", "--debug-stdout", "-d", "1", "-s", str(config)],
                  [(address, port)], log=folder / "log" / "stdout.log")
