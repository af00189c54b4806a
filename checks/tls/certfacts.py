"""Certificate facts parsed with ``cryptography``: names, validity, key, signature, issuer.

Kept apart from the probe because the facts are what the report shows and
the checks read: they must not depend on sslyze's object model.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa

from auditor.checks.tls.trust import oid_name


def _key_facts(cert: x509.Certificate) -> tuple[str, int | None, str | None]:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size, None
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size, key.curve.name
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size, None
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256, None
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456, None
    return type(key).__name__, None, None


def _san(cert: x509.Certificate) -> tuple[list[str], list[str]]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return [], []
    return ext.get_values_for_type(x509.DNSName), [str(ip) for ip in ext.get_values_for_type(x509.IPAddress)]


def _signed_by_own_key(cert: x509.Certificate) -> bool:
    """A certificate whose issuer is itself and whose signature its own key verifies."""
    if cert.issuer != cert.subject:
        return False
    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), cert.signature_hash_algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
        else:
            return True  # the issuer equals the subject; other key types are not worth a verifier here
    except (InvalidSignature, TypeError, ValueError):
        return False
    return True


_KEY_USAGES = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
               "key_agreement", "key_cert_sign", "crl_sign")


def _extension(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> x509.Extension[Any] | None:
    try:
        return cert.extensions.get_extension_for_class(kind)
    except x509.ExtensionNotFound:
        return None


def _key_usage(cert: x509.Certificate) -> list[str] | None:
    ext = _extension(cert, x509.KeyUsage)
    if ext is None:
        return None
    return [name for name in _KEY_USAGES if getattr(ext.value, name)]


def _extended_key_usage(cert: x509.Certificate) -> list[str] | None:
    """Purposes by name (``serverAuth``); an unregistered OID is kept, labelled, by ``oid_name``."""
    ext = _extension(cert, x509.ExtendedKeyUsage)
    if ext is None:
        return None
    return [oid_name(oid.dotted_string) for oid in ext.value]


def extension_facts(cert: x509.Certificate) -> dict[str, Any]:
    """The RFC 5280 profile facts ``tls.cert.chain_conformance`` reads (a v1 certificate has none)."""
    constraints = _extension(cert, x509.BasicConstraints)
    return {
        "x509_version": cert.version.name,
        "serial_positive": cert.serial_number > 0,
        "basic_constraints": None if constraints is None else {
            "ca": constraints.value.ca, "critical": constraints.critical, "path_length": constraints.value.path_length},
        "key_usage": _key_usage(cert),
        "extended_key_usage": _extended_key_usage(cert),
        "subject_key_id": _extension(cert, x509.SubjectKeyIdentifier) is not None,
        "authority_key_id": _extension(cert, x509.AuthorityKeyIdentifier) is not None,
    }


def certificate_facts(cert: x509.Certificate) -> dict[str, Any]:
    key_type, key_bits, curve = _key_facts(cert)
    dns, ips = _san(cert)
    digest = cert.signature_hash_algorithm
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "serial": format(cert.serial_number, "x"),
        "san_dns": dns,
        "san_ip": ips,
        "san_dns_malformed": [name for name in dns if not is_dns_name(name)],
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "key_type": key_type,
        "key_bits": key_bits,
        "key_curve": curve,
        "signature_hash": digest.name if digest is not None else None,
        "self_signed": _signed_by_own_key(cert),
        **extension_facts(cert),
    }


def _dns_match(pattern: str, hostname: str) -> bool:
    """RFC 6125: a wildcard stands for exactly one whole left-most label."""
    pattern, hostname = pattern.lower().rstrip("."), hostname.lower().rstrip(".")
    if not pattern.startswith("*."):
        return pattern == hostname
    head, _, rest = hostname.partition(".")
    return bool(head) and rest == pattern[2:]


def hostname_matches(facts: dict[str, Any], hostname: str) -> bool:
    """Whether the leaf's SANs cover ``hostname`` (the common name is ignored, as browsers do)."""
    try:
        address = ipaddress.ip_address(hostname)
    except ValueError:
        return any(_dns_match(pattern, hostname) for pattern in facts["san_dns"])
    return any(ipaddress.ip_address(ip) == address for ip in facts["san_ip"])


_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def is_dns_name(name: str) -> bool:
    """A host name in preferred syntax (RFC 1035 §2.3.1, RFC 5280 §4.2.1.6), an optional leading ``*.``.

    Certificates carry whatever their maker typed (``srv_app.x``, a trailing
    dot, a 64-character label, a space); such a name is a fact about the
    certificate, reported, never handed to a verifier that refuses it.
    """
    body = name[2:] if name.startswith("*.") else name
    return 0 < len(body) <= 253 and all(_LABEL.match(label) for label in body.lower().split("."))


def odd_san_names(facts: dict[str, Any]) -> list[str]:
    """The certificate's DNS names that are not well-formed host names."""
    return [name for name in facts["san_dns"] if not is_dns_name(name)]


def validation_subject(facts: dict[str, Any]) -> x509.DNSName | x509.IPAddress | None:
    """A well-formed name the certificate claims, to validate the chain apart from the name check."""
    for name in facts["san_dns"]:
        if is_dns_name(name):
            return x509.DNSName(name.replace("*.", "wildcard.", 1))
    for ip in facts["san_ip"]:
        return x509.IPAddress(ipaddress.ip_address(ip))
    return None
