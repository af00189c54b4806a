"""A real BIND 9 (`named`) on 127.0.0.1 and a high port, serving zone files the caller writes.

named binds only to addresses configured on an interface, so on loopback that is 127.0.0.1
(other 127/8 addresses are routed, not configured); its control channel is switched off so
several can run at once; NOTIFY is off (it would send packets to every NS of a zone).

``sign_zone`` signs a zone the way an operator does — ``dnssec-keygen`` and
``dnssec-signzone`` — and gives the DS record for the parent and the DNSKEY
a validating resolver takes as its trust anchor.  Signing with a validity
window in the past gives a zone a validator must reject as bogus.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from auditor.demo.daemon import Daemon, DaemonError, binary

ALGORITHM = "ECDSAP256SHA256"
"""Fast to generate and to validate (algorithm 13, the one most .pl zones use)."""

EXPIRED_WINDOW = ("20240101000000", "20240201000000")
"""Inception and expiration of the signatures of a zone signed ``expired=True``."""


@dataclass(frozen=True)
class SignedZone:
    name: str
    text: str
    """The signed zone file (DNSKEY, RRSIG and NSEC records added)."""
    ds: str
    """The DS record to publish in the parent zone (SHA-256 digest)."""
    dnskey: str
    """The zone's DNSKEY record, as a resolver's ``trust-anchor`` line takes it."""


def _tool(argv: list[str], cwd: Path) -> str:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise DaemonError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-400:]}")
    return done.stdout.strip()


def sign_zone(folder: Path, name: str, text: str, *, expired: bool = False) -> SignedZone:
    """Signs ``text`` (zone ``name``) with one new key; ``expired`` puts the signatures' validity in the past."""
    folder.mkdir(parents=True, exist_ok=True)
    keygen = binary("dnssec-keygen", "bind9-utils")
    key = _tool([keygen, "-q", "-a", ALGORITHM, "-f", "KSK", "-K", str(folder), name], folder)
    public = (folder / f"{key}.key").read_text().splitlines()
    dnskey = next(line for line in public if not line.startswith(";"))
    unsigned = folder / f"{name}.unsigned"
    unsigned.write_text(text.rstrip("\n") + "\n" + dnskey + "\n", encoding="utf-8")
    window = ["-s", EXPIRED_WINDOW[0], "-e", EXPIRED_WINDOW[1]] if expired else []
    signed = folder / f"{name}.signed"
    # -z: the one key signs every RRset (no separate zone-signing key); -P: no check that signatures are
    # current, which an expired zone must be allowed to fail.
    _tool([binary("dnssec-signzone", "bind9-utils"), "-q", "-z", "-P", "-o", name, "-K", str(folder), "-f", str(signed),
           *window, str(unsigned), f"{key}.private"], folder)
    ds = _tool([binary("dnssec-dsfromkey", "bind9-utils"), "-2", str(folder / f"{key}.key")], folder)
    return SignedZone(name, signed.read_text(encoding="utf-8"), ds, dnskey)


class Bind9(Daemon):
    """One authoritative ``named`` serving ``zones`` (name → zone file text), recursion off."""

    def __init__(self, folder: Path, address: str, port: int, zones: dict[str, str],
                 allow_transfer: str = "any") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.address, self.port = address, port
        blocks = []
        for name, text in zones.items():
            (folder / f"{name}.zone").write_text(text)
            blocks.append(f'zone "{name}" {{ type primary; file "{folder}/{name}.zone"; '
                          f"allow-transfer {{ {allow_transfer}; }}; }};")
        conf = folder / "named.conf"
        conf.write_text(
            f'options {{ directory "{folder}"; pid-file "{folder}/named.pid"; session-keyfile "{folder}/s.key";\n'
            f"  listen-on port {port} {{ {address}; }}; listen-on-v6 {{ none; }}; recursion no; notify no;\n"
            "  dnssec-validation no; allow-query { any; }; };\ncontrols { };\n"
            + "\n".join(blocks) + "\n")
        super().__init__("named", [binary("named", "bind9"), "-g", "-c", str(conf), "-n", "1"], [(address, port)],
                         log=folder / "named.log", timeout=30)

    @property
    def resolver_setting(self) -> str:
        return f"{self.address}:{self.port}"
