"""A signed DNS tree, a validating resolver, the MX hosts and the MTA-STS sites, all real, on loopback.

- ``named`` (127.0.0.1) serves the parent ``jst.test`` — signed, its DNSKEY is
  the resolver's trust anchor — and three delegated zones:
  ``podpisana.jst.test`` signed with its DS in the parent; ``zepsuta.jst.test``
  signed the same way but with signatures that expired in 2024 (bogus);
  ``niepodpisana.jst.test`` not signed (an insecure delegation, no DS).
- ``unbound`` (127.0.22.2) forwards ``jst.test`` to named and validates.
- Postfix: ``poczta.podpisana`` (certificate for its name; TLSA 3 1 1 of its key),
  ``zapas.podpisana`` (certificate for another name; TLSA of poczta's key — a
  mismatch), ``poczta.niepodpisana`` (good certificate, matching TLSA in the
  unsigned zone).  One SMTP port on every MX address.
- nginx: ``mta-sts.podpisana`` (``mx: *.podpisana.jst.test``, covers both MX) and
  ``mta-sts.niepodpisana`` (``mx: *.jst.test``: one label only, so it does not
  cover ``poczta.niepodpisana.jst.test``).

Each pair that differs in one server setting is a flip: the signing window
(podpisana/zepsuta), the certificate file of a Postfix listener (poczta/zapas),
the policy's ``mx:`` line (the two nginx sites), the resolver's
``module-config`` (``validating_resolver``/``plain_resolver``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from auditor.demo.bind9 import Bind9, sign_zone
from auditor.demo.certs import CertificateAuthority, CertFiles
from auditor.demo.daemon import Daemon, DaemonError, binary
from auditor.demo.nginx import RunningNginx, TlsSite
from auditor.demo.postfix import SmtpListener, postfix_unavailable, start_postfix
from auditor.demo.services import free_port
from auditor.demo.unbound import Unbound

PARENT = "jst.test"
SIGNED, UNSIGNED, BOGUS = (f"{label}.{PARENT}" for label in ("podpisana", "niepodpisana", "zepsuta"))
NAMED = "127.0.0.1"  # named listens only on configured interface addresses
RESOLVER = "127.0.22.2"
MX_ADDRESSES = {f"poczta.{SIGNED}": "127.0.22.11", f"zapas.{SIGNED}": "127.0.22.12", f"poczta.{UNSIGNED}": "127.0.22.13"}
SCOPE = "127.0.22.0/24"
DECOY_MX = f"obcy.{UNSIGNED}"
"""A second MX of the unsigned zone, with a TLSA record, at an address outside the scope (a ``Decoy``)."""
DECOY_ADDRESS = "127.0.23.25"
POLICY_ADDRESSES = {SIGNED: "127.0.22.20", UNSIGNED: "127.0.22.21"}
POLICIES = {SIGNED: f"*.{SIGNED}", UNSIGNED: f"*.{PARENT}"}


def spki_sha256(files: CertFiles) -> str:
    """The TLSA ``3 1 1`` data of a certificate: SHA-256 of its SubjectPublicKeyInfo."""
    cert = x509.load_pem_x509_certificates(files.cert.read_bytes())[0]
    return hashlib.sha256(cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)).hexdigest()


def zone(origin: str, *lines: str) -> str:
    return (f"$ORIGIN {origin}.\n$TTL 300\n@ IN SOA ns.{PARENT}. hostmaster.{PARENT}. 2026120201 3600 600 86400 300\n"
            f"@ IN NS ns.{PARENT}.\n" + "\n".join(lines) + "\n")


def _mail_zone(domain: str, hosts: dict[str, str], policy_id: str) -> str:
    lines = ['@ IN TXT "v=spf1 mx -all"', f"mta-sts IN A {POLICY_ADDRESSES[domain]}",
             f'_mta-sts IN TXT "v=STSv1; id={policy_id}"']
    for preference, (label, tlsa) in enumerate(hosts.items(), start=1):
        address = MX_ADDRESSES.get(f"{label}.{domain}", DECOY_ADDRESS)
        lines += [f"@ IN MX {preference * 10} {label}", f"{label} IN A {address}", f"_25._tcp.{label} IN TLSA 3 1 1 {tlsa}"]
    return zone(domain, *lines)


def lab_unavailable() -> str | None:
    """Why the lab cannot run here (a server package missing), or ``None``."""
    try:
        for name, package in (("named", "bind9"), ("dnssec-signzone", "bind9-utils"), ("unbound", "unbound"),
                              ("nginx", "nginx")):
            binary(name, package)
    except DaemonError as exc:
        return str(exc)
    return postfix_unavailable()


@dataclass
class DnssecLab:
    folder: Path
    ca: CertificateAuthority
    smtp_port: int
    https_port: int
    trust_anchor: str
    resolver: Unbound
    certificates: dict[str, CertFiles]
    daemons: list[Daemon] = field(default_factory=list)
    named: Bind9 | None = None

    def settings(self, resolver: str | None = None) -> dict[str, Any]:
        return {"dns_resolver": resolver or self.resolver.resolver_setting, "mta_sts_port": self.https_port,
                "smtp_port": self.smtp_port, "tls_ca_file": str(self.ca.cert_path), "timeout": 30}

    def forward(self) -> dict[str, str]:
        """The resolver's forwarding to this lab's named (for a second resolver)."""
        assert self.named is not None
        return {f"{PARENT}.": f"{self.named.address}@{self.named.port}"}

    def stop(self) -> None:
        for daemon in reversed(self.daemons):
            daemon.stop()


def start_lab(folder: Path) -> DnssecLab:
    """Signs the zones, issues the certificates and starts named, unbound, Postfix and nginx."""
    ca = CertificateAuthority(folder / "pki")
    certs = {name: ca.issue(name.split(".")[0] + "-" + name.split(".")[1], [name], key="ec256")
             for name in (f"poczta.{SIGNED}", f"poczta.{UNSIGNED}")}
    certs[f"zapas.{SIGNED}"] = ca.issue("zapas", [f"inna.{PARENT}"], key="ec256")  # valid, but for another name
    good_key = spki_sha256(certs[f"poczta.{SIGNED}"])
    signed = sign_zone(folder / "keys", SIGNED, _mail_zone(SIGNED, {"poczta": good_key, "zapas": good_key},
                                                           "20261202000000"))
    bogus = sign_zone(folder / "keys", BOGUS, zone(BOGUS, '@ IN TXT "v=spf1 -all"'), expired=True)
    unsigned_key = spki_sha256(certs[f"poczta.{UNSIGNED}"])
    unsigned = _mail_zone(UNSIGNED, {"poczta": unsigned_key, DECOY_MX.split(".")[0]: unsigned_key}, "20261202000001")
    parent = sign_zone(folder / "keys", PARENT, zone(PARENT, f"ns IN A {NAMED}", *(
        f"{child.split('.')[0]} IN NS ns" for child in (SIGNED, UNSIGNED, BOGUS)), signed.ds, bogus.ds))
    daemons: list[Daemon] = []
    try:
        named = Bind9(folder / "named", NAMED, free_port(NAMED), {
            PARENT: parent.text, SIGNED: signed.text, BOGUS: bogus.text, UNSIGNED: unsigned})
        daemons.append(named)
        resolver = Unbound(folder / "unbound", RESOLVER, free_port(RESOLVER), {f"{PARENT}.": f"{NAMED}@{named.port}"},
                           [parent.dnskey])
        daemons.append(resolver)
        smtp_port = free_port(MX_ADDRESSES[f"poczta.{SIGNED}"])
        daemons.append(start_postfix(f"poczta.{SIGNED}", [
            SmtpListener(address, smtp_port, certs[name]) for name, address in MX_ADDRESSES.items()]))
        https_port = free_port(POLICY_ADDRESSES[SIGNED])
        sites = []
        for domain, address in POLICY_ADDRESSES.items():
            root = folder / "www" / domain
            (root / ".well-known").mkdir(parents=True)
            (root / ".well-known" / "mta-sts.txt").write_text(
                f"version: STSv1\nmode: enforce\nmx: {POLICIES[domain]}\nmax_age: 604800\n", encoding="utf-8")
            sites.append(TlsSite(address, https_port, ca.issue(f"mta-sts-{domain}", [f"mta-sts.{domain}"]), root=root))
        daemons.append(RunningNginx(folder / "nginx", sites))
    except BaseException:
        for daemon in reversed(daemons):
            daemon.stop()
        raise
    return DnssecLab(folder, ca, smtp_port, https_port, parent.dnskey, resolver, certs, daemons, named)
