"""The certificate an MX presents through SMTP STARTTLS, as a sending server would meet it.

(Also the MTA-STS policy host's: ``policy_certificate`` — a sender takes a
policy only from a host whose certificate is valid for ``mta-sts.<domain>``,
RFC 8461 §3.3.)

Used only where a published policy makes that certificate part of the
verdict: MTA-STS (the certificate must be valid for the MX name, RFC 8461
§4.1) and DANE (it must match the TLSA record, RFC 7672).  The connection
goes to the address the resolver gave and the scope guard checked; the MX
name is sent as SNI and checked against the certificate.  One verifying
handshake (trust store: the system's, or ``tls_ca_file``); only when it
fails, a second one without verification to read the certificate for DANE
(DANE-EE does not depend on a CA).
"""

from __future__ import annotations

import hashlib
import smtplib
import socket
import ssl
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from auditor.scope import ScopeGuard

EHLO_NAME = "auditor.invalid"
"""What the probe calls itself in EHLO (RFC 6761: a name that is nobody's)."""


class _PinnedSmtp(smtplib.SMTP):
    """SMTP to a checked address while ``_host`` — the SNI and the name verified — stays the MX name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        self._address = address
        super().__init__(host, port, local_hostname=EHLO_NAME, timeout=timeout)  # connects through _get_socket

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return socket.create_connection((self._address, port), timeout)


def certificate_facts(der: bytes) -> dict[str, Any]:
    """What DANE and the reader need of a certificate: its and its key's digests (TLSA matching types 1, 2), names."""
    cert = x509.load_der_x509_certificate(der)
    spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
            x509.DNSName)
    except x509.ExtensionNotFound:
        names = []
    return {"cert_sha256": hashlib.sha256(der).hexdigest(), "spki_sha256": hashlib.sha256(spki).hexdigest(),
            "cert_sha512": hashlib.sha512(der).hexdigest(), "spki_sha512": hashlib.sha512(spki).hexdigest(),
            "names": names[:20], "not_after": cert.not_valid_after_utc.isoformat()}


def _handshake(host: str, address: str, port: int, timeout: float, context: ssl.SSLContext) -> bytes:
    """EHLO, STARTTLS, TLS handshake; the leaf certificate (DER).  ``_NoStartTls`` when it is not offered."""
    with _PinnedSmtp(host, address, port, timeout) as smtp:
        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            raise _NoStartTls()
        smtp.starttls(context=context)
        der = smtp.sock.getpeercert(binary_form=True) if isinstance(smtp.sock, ssl.SSLSocket) else None
        if not der:
            raise ssl.SSLError("the server sent no certificate")
        return der


class _NoStartTls(Exception):
    pass


def mx_certificate(host: str, address: str, port: int, scope: ScopeGuard, timeout: float,
                   ca_file: str | None) -> dict[str, Any]:
    """Facts about the MX's STARTTLS: ``starttls`` (``None``: no answer), ``pkix_valid`` and the certificate."""
    scope.require_address(address)
    facts: dict[str, Any] = {"host": host, "address": address, "port": port, "starttls": None, "error": None,
                             "pkix_valid": None, "pkix_error": None, "certificate": None}
    verifying = ssl.create_default_context(cafile=ca_file)
    try:
        der = _handshake(host, address, port, timeout, verifying)
        facts.update(starttls=True, pkix_valid=True)
    except _NoStartTls:
        facts.update(starttls=False, error="the server does not offer STARTTLS (EHLO)")
        return facts
    except ssl.SSLCertVerificationError as exc:
        facts.update(starttls=True, pkix_valid=False, pkix_error=(exc.verify_message or str(exc))[:300])
        unverified = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        unverified.check_hostname, unverified.verify_mode = False, ssl.CERT_NONE
        try:
            der = _handshake(host, address, port, timeout, unverified)
        except (OSError, smtplib.SMTPException, _NoStartTls) as again:
            facts["error"] = f"{type(again).__name__}: {str(again)[:200]}"
            return facts
    except (OSError, smtplib.SMTPException) as exc:
        facts["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        return facts
    facts["certificate"] = certificate_facts(der)
    return facts


def policy_certificate(host: str, address: str, port: int, scope: ScopeGuard, timeout: float,
                       ca_file: str | None) -> dict[str, Any]:
    """Whether the HTTPS host ``host`` at ``address`` presents a certificate a sender accepts (``valid``: ``None``
    when the handshake itself failed)."""
    scope.require_address(address)
    context = ssl.create_default_context(cafile=ca_file)
    try:
        with socket.create_connection((address, port), timeout) as raw, context.wrap_socket(raw, server_hostname=host):
            return {"valid": True, "error": None}
    except ssl.SSLCertVerificationError as exc:
        return {"valid": False, "error": (exc.verify_message or str(exc))[:300]}
    except OSError as exc:
        return {"valid": None, "error": f"{type(exc).__name__}: {str(exc)[:200]}"}
