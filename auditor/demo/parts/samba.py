"""Lab part: the office NAS ``nas.przykladowo.test`` (127.0.10.70), a real Samba left on old settings.

``server min protocol = NT1`` (SMBv1 on, as many old NAS boxes and copied
smb.conf files still have) and ``server signing = auto`` (signing not
required): the remote config checks ``config.remote.smb1`` and
``config.remote.smb_signing`` fail on it.  Without smbd the host is left out.
"""

from __future__ import annotations

import logging
from pathlib import Path

from auditor.demo.daemon import DaemonError
from auditor.demo.lab import LAB_DOMAIN, LabPart
from auditor.demo.samba import SambaSettings, start_samba

log = logging.getLogger(__name__)

ADDRESS = "127.0.10.70"
PORT = 4450
HOST = f"nas.{LAB_DOMAIN}"
SETTINGS = SambaSettings(min_protocol="NT1", signing="auto", workgroup="PRZYKLADOWO")


def start(workdir: Path) -> LabPart:
    try:
        server = start_samba(workdir / "samba", ADDRESS, PORT, SETTINGS)
    except DaemonError as exc:
        log.warning("samba lab part: no file server (%s)", exc)
        return LabPart()
    return LabPart(services=[server], hosts=[{"name": HOST, "addresses": [ADDRESS],
                                              "ports": [{"port": PORT, "service": "smb"}], "roles": ["files"]}])
