"""Lab hosts for the patching family (127.0.10.50-59).

127.0.10.50  the old BIP site: ``Server: Apache/2.2.15 (CentOS)``-era banner without
             distribution, PHP 5.6 and a WordPress 4.9.8 generator tag, with Contact Form 7 5.3.1
             (its readme.txt says so: CVE-2020-35489 for the cms family)
127.0.10.51  a Debian 11 server: SSH banner ``OpenSSH_8.4p1 Debian-5+deb11u1``
             and an Exim 4.89 SMTP greeting
plus a ``packages`` source: that server's package inventory (a dpkg-query and
an ``apt list --upgradable`` export, written into the lab folder).
"""

from __future__ import annotations

from pathlib import Path

from auditor.demo.lab import LAB_DOMAIN, LabPart
from auditor.demo.services import banner_service, http_service

_WORDPRESS_PAGE = (b'<!DOCTYPE html><html lang="pl-PL"><head><meta charset="UTF-8">'
                   b'<meta name="generator" content="WordPress 4.9.8" />'
                   b'<link rel="stylesheet" href="/wp-content/themes/bip/style.css?ver=4.9.8">'
                   b'<link rel="stylesheet" href="/wp-content/plugins/contact-form-7/includes/css/styles.css?ver=5.3.1">'
                   b'</head>'
                   b'<body><h1>Biuletyn Informacji Publicznej</h1></body></html>')
_CF7_README = (b"=== Contact Form 7 ===\nContributors: takayukister\nRequires at least: 5.4\n"
               b"Tested up to: 5.6\nStable tag: 5.3.1\nLicense: GPLv2 or later\n")
_DPKG = "".join(f"{name}\t{version}\n" for name, version in (
    ("base-files", "11.1+deb11u5"), ("exim4-daemon-light", "4.94.2-7"), ("openssh-server", "1:8.4p1-5+deb11u1"),
    ("policykit-1", "0.105-31"), ("sudo", "1.9.5p2-3"), ("apache2", "2.4.56-1~deb11u2"),
))
_UPGRADABLE = ("Listing...\n"
               "policykit-1/oldoldstable-security 0.105-31+deb11u1 amd64 [upgradable from: 0.105-31]\n"
               "base-files/oldoldstable 11.1+deb11u11 amd64 [upgradable from: 11.1+deb11u5]\n")
_FILES = (("dpkg-query.txt", "dpkg-query", _DPKG), ("apt-upgradable.txt", "apt-upgradable", _UPGRADABLE))


def _smtp_reply(data: bytes) -> bytes | None:
    return None if data.strip().upper().startswith(b"QUIT") else b"250 OK\r\n"


def start(workdir: Path) -> LabPart:
    """An outdated BIP web server, an old Debian server, and that server's package inventory."""
    bip = http_service("old-bip", "127.0.10.50", 8080,
                       headers={"Server": "Apache/2.2.15", "X-Powered-By": "PHP/5.6.40"}, body=_WORDPRESS_PAGE,
                       routes={"/wp-content/plugins/contact-form-7/readme.txt": (200, {"Content-Type": "text/plain"},
                                                                                   _CF7_README)})
    ssh = banner_service("old-ssh", "127.0.10.51", 2222, b"SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1\r\n")
    smtp = banner_service("old-smtp", "127.0.10.51", 2525, b"220 poczta.przykladowo.test ESMTP Exim 4.89 Debian\r\n",
                          _smtp_reply)
    folder = workdir / "packages" / "serwer-poczty"
    folder.mkdir(parents=True, exist_ok=True)
    for name, _, text in _FILES:
        (folder / name).write_text(text, encoding="utf-8")
    return LabPart(
        services=[bip, ssh, smtp],
        hosts=[
            {"name": f"bip-stary.{LAB_DOMAIN}", "addresses": ["127.0.10.50"],
             "ports": [{"port": 8080, "service": "http"}], "roles": ["bip"]},
            {"name": f"poczta.{LAB_DOMAIN}", "addresses": ["127.0.10.51"],
             "ports": [{"port": 2222, "service": "ssh"}, {"port": 2525, "service": "smtp"}], "roles": ["mail"]},
        ],
        sources=[{"type": "packages", "name": "serwer-poczty", "host": f"poczta.{LAB_DOMAIN}",
                  "files": [{"path": str(folder / name), "format": fmt} for name, fmt, _ in _FILES]}],
    )

