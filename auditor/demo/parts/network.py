"""Lab hosts for the network family (127.0.10.1 www, 127.0.10.2 file server).

The file server's FTP is a real FTP server (pyftpdlib, greeting like vsftpd)
whose ``admin`` account still has the factory password ``admin`` — the lab's
authorisation allows credential tests on FTP, so the demo shows
``credentials.service.default`` failing (the password itself is nowhere in
the results).
"""

from __future__ import annotations

from pathlib import Path

from auditor.demo.ftp import RunningFtp
from auditor.demo.lab import LAB_DOMAIN, LabPart
from auditor.demo.services import http_service

#: The scanner copier's account, left as shipped (one of the list's documented NAS/scanner defaults).
FTP_ACCOUNT = ("admin", "admin")


def start(workdir: Path) -> LabPart:
    """A municipal website and a file server with a forgotten FTP service."""
    www = http_service("www", "127.0.10.1", 8080, headers={"Server": "nginx"})
    ftp = RunningFtp("127.0.10.2", 2121, dict([FTP_ACCOUNT]), banner="(vsFTPd 3.0.3)")
    return LabPart(
        services=[www, ftp],
        hosts=[
            {"name": f"www.{LAB_DOMAIN}", "addresses": ["127.0.10.1"], "ports": [8080], "roles": ["www", "bip"]},
            {"name": f"pliki.{LAB_DOMAIN}", "addresses": ["127.0.10.2"], "ports": [{"port": 2121, "service": "ftp"}],
             "roles": ["file-server"]},
        ],
        # The risky service listens on a high port (no root needed), so it is named explicitly.
        settings={"network_extra_ports": [2121], "credential_delay_s": 1.0},
    )
