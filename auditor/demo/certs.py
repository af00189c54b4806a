"""Test and demo certificates made with ``cryptography``: a private CA and the leaves it signs.

TLS checks need certificates that are wrong in one precise way (expired,
self-signed, 1024-bit, SHA-1, wrong name) — ``trustme`` only makes good ones,
so this builds them directly.  Keys and certificates are written as PEM files
into a folder the caller owns (the lab folder or a pytest tmp dir).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class CertFiles:
    """A certificate chain (leaf first) and its key, as PEM files."""

    cert: Path
    key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _new_key(key: str) -> PrivateKey:
    """``rsa2048``, ``rsa1024``, ``ec256`` ... — the key types the tests need."""
    if key.startswith("rsa"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(key[3:]))
    curves = {"ec256": ec.SECP256R1(), "ec384": ec.SECP384R1()}
    return ec.generate_private_key(curves[key])


def _san(names: list[str]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def _write_key(path: Path, key: PrivateKey) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


class CertificateAuthority:
    """A private root CA that signs leaf certificates with chosen flaws."""

    def __init__(self, folder: Path, name: str = "Auditor Test Root CA") -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.key = _new_key("ec256")
        now = dt.datetime.now(dt.timezone.utc)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        self.cert_path = folder / "ca.pem"
        self.cert_path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, label: str, names: list[str], *, key: str = "rsa2048", digest: str = "sha256",
              valid_from_days: int = -1, valid_days: int = 90, self_signed: bool = False) -> CertFiles:
        """Writes ``<label>.pem`` (leaf + CA unless self-signed) and ``<label>.key``.

        ``valid_from_days`` is relative to now (negative: in the past), so an
        expired certificate is ``valid_from_days=-100, valid_days=30``.
        """
        leaf_key = _new_key(key)
        now = dt.datetime.now(dt.timezone.utc)
        start = now + dt.timedelta(days=valid_from_days)
        # a hash cryptography refuses (SHA-1) is signed by the openssl CLI, which re-signs self-signed input only
        resign = digest != "sha256" and not self_signed
        signed_by_self = self_signed or resign
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(names[0]))
            .issuer_name(_name(names[0]) if signed_by_self else self.cert.subject)
            .public_key(leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=valid_days))
            .add_extension(_san(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        )
        if not self_signed:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
        leaf = builder.sign(leaf_key if signed_by_self else self.key, hashes.SHA256())
        cert_path, key_path = self.folder / f"{label}.pem", self.folder / f"{label}.key"
        if resign:
            leaf = self._resign(label, leaf, digest)
        chain = [leaf] if self_signed else [leaf, self.cert]
        cert_path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain))
        _write_key(key_path, leaf_key)
        return CertFiles(cert_path, key_path)

    def _resign(self, label: str, leaf: x509.Certificate, digest: str) -> x509.Certificate:
        """Signs ``leaf`` again with a hash ``cryptography`` refuses (SHA-1), through the openssl CLI."""
        ca_key = self.folder / "ca.key"
        _write_key(ca_key, self.key)
        unsigned = self.folder / f"{label}.{digest}.in.pem"
        unsigned.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
        signed = self.folder / f"{label}.{digest}.pem"
        subprocess.run(
            ["openssl", "x509", "-in", str(unsigned), "-CA", str(self.cert_path), "-CAkey", str(ca_key),
             f"-{digest}", "-preserve_dates", "-out", str(signed)],
            check=True, capture_output=True, timeout=30,
        )
        return x509.load_pem_x509_certificate(signed.read_bytes())
