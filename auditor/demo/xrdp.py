"""A real xrdp (the Linux RDP server) on a loopback address (tests).

``xrdp --nodaemon --config`` with its own xrdp.ini, log and certificate;
``security_layer`` is xrdp's one knob for what the audit judges:
``negotiate`` (Standard RDP Security and TLS), ``tls`` or ``rdp``.  xrdp
has no CredSSP/NLA server side at all, so no setting makes it NLA-only.
"""

from __future__ import annotations

from pathlib import Path

from auditor.demo.certs import CertFiles
from auditor.demo.daemon import Daemon, binary


def xrdp_ini(folder: Path, address: str, port: int, security_layer: str, cert: CertFiles) -> str:
    return f"""[Globals]
ini_version=1
fork=false
port=tcp://{address}:{port}
security_layer={security_layer}
crypt_level=high
certificate={cert.cert}
key_file={cert.key}
ssl_protocols=TLSv1.2, TLSv1.3
[Logging]
LogFile={folder}/xrdp.log
LogLevel=INFO
EnableSyslog=false
[Xorg]
name=Xorg
lib=libxup.so
username=ask
password=ask
ip=127.0.0.1
port=-1
code=20
"""


def start_xrdp(folder: Path, address: str, port: int, cert: CertFiles, security_layer: str = "negotiate") -> Daemon:
    xrdp = binary("xrdp", "xrdp")
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "xrdp.ini"
    config.write_text(xrdp_ini(folder, address, port, security_layer, cert), encoding="utf-8")
    return Daemon("xrdp", [xrdp, "--nodaemon", "--config", str(config)], [(address, port)], log=folder / "stdout.log")
