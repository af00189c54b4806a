"""DKIM public key records (RFC 6376, RFC 8463): key type and size.

The key is parsed with ``cryptography`` rather than estimated from the
length of the base64 text, so a truncated or garbled key is reported as
invalid instead of as a short key.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from auditor.checks.mail_dns.tags import parse_tags

#: Selectors tried on every domain besides the configured ones: those of
#: common mail services and of the usual self-hosted defaults.
COMMON_SELECTORS = (
    "default", "dkim", "mail", "selector1", "selector2", "google", "k1", "k2", "s1", "s2",
    "key1", "smtp", "mx", "email",
)


def describe_key(record: str) -> dict[str, Any]:
    """Facts about one DKIM TXT record: ``key_type``, ``key_bits``, ``revoked`` or ``error``."""
    tags = parse_tags(record)
    key_type = tags.get("k", "rsa").lower()
    facts: dict[str, Any] = {"key_type": key_type, "key_bits": None, "revoked": False, "error": None}
    if "v" in tags and tags["v"] != "DKIM1":
        facts["error"] = f"v={tags['v']} is not DKIM1"
        return facts
    if "p" not in tags:
        facts["error"] = "no p= tag (public key)"
        return facts
    if tags["p"] == "":
        facts["revoked"] = True
        return facts
    try:
        raw = base64.b64decode(tags["p"], validate=True)
    except (binascii.Error, ValueError):
        facts["error"] = "p= is not valid base64"
        return facts
    try:
        facts["key_bits"] = _key_bits(key_type, raw)
    except ValueError as exc:
        facts["error"] = str(exc)
    return facts


def _key_bits(key_type: str, raw: bytes) -> int:
    if key_type == "ed25519":
        ed25519.Ed25519PublicKey.from_public_bytes(raw)
        return 256
    if key_type != "rsa":
        raise ValueError(f"unknown key type k={key_type}")
    try:
        key = load_der_public_key(raw)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"p= is not a DER public key: {str(exc)[:100]}") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError(f"k=rsa but the key is {type(key).__name__}")
    return key.key_size
