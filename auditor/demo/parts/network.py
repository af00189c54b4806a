"""Lab hosts for the network family (127.0.10.1 www, 127.0.10.2 file server)."""

from __future__ import annotations

from pathlib import Path

from auditor.demo.lab import LAB_DOMAIN, LabPart
from auditor.demo.services import banner_service, ftp_reply, http_service


def start(workdir: Path) -> LabPart:
    """A municipal website and a file server with a forgotten FTP service."""
    www = http_service("www", "127.0.10.1", 8080, headers={"Server": "nginx"})
    ftp = banner_service("ftp", "127.0.10.2", 2121, b"220 (vsFTPd 3.0.3)\r\n", ftp_reply)
    return LabPart(
        services=[www, ftp],
        hosts=[
            {"name": f"www.{LAB_DOMAIN}", "addresses": ["127.0.10.1"], "ports": [8080], "roles": ["www", "bip"]},
            {"name": f"pliki.{LAB_DOMAIN}", "addresses": ["127.0.10.2"], "ports": [], "roles": ["file-server"]},
        ],
        # The risky service listens on a high port (no root needed), so it is named explicitly.
        settings={"network_extra_ports": [2121]},
    )
