"""What a cipher suite's name says about it: key exchange, cipher, AEAD, forward secrecy.

sslyze reports suites by their IANA (RFC) names, e.g.
``TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256``; the parts of that name are the
facts the checks and the grade need.  TLS 1.3 suites (``TLS_AES_128_GCM_SHA256``)
name only the AEAD cipher: their key exchange is always ephemeral.
"""

from __future__ import annotations

from typing import Any

_AEAD_MARKERS = ("GCM", "CCM", "CHACHA20_POLY1305")
_SMALL_BLOCK = ("3DES", "DES", "IDEA", "RC2")


def classify(name: str, key_size: int, anonymous: bool) -> dict[str, Any]:
    """Plain facts about one suite; ``weak`` lists why it is weak (empty when it is not)."""
    if name.startswith("SSL_CK_"):  # SSL 2.0: RSA key transport, no ephemeral keys
        key_exchange, cipher = "RSA", name[len("SSL_CK_"):].split("_WITH_")[0]
    elif "_WITH_" in name:
        key_exchange, cipher = name[len("TLS_"):].split("_WITH_", 1)
    else:  # TLS 1.3
        key_exchange, cipher = "ECDHE", name[len("TLS_"):]
    kx_parts = key_exchange.split("_")
    anonymous = anonymous or "anon" in kx_parts
    export = "EXPORT" in name
    null = cipher.startswith("NULL") or key_size == 0
    rc4 = "RC4" in cipher
    small_block = any(part in _SMALL_BLOCK for part in cipher.replace("DES40", "DES").split("_"))
    weak = [
        reason
        for reason, present in (
            ("null", null), ("export", export), ("anonymous", anonymous), ("rc4", rc4),
            ("des_3des", "DES" in cipher), ("64bit_block", small_block and "DES" not in cipher),
            ("under_112_bits", 0 < key_size < 112),
        )
        if present
    ]
    return {
        "name": name,
        "key_exchange": key_exchange.split("_")[0] if not anonymous else key_exchange,
        "cipher": cipher,
        "bits": key_size,
        "aead": any(marker in cipher for marker in _AEAD_MARKERS),
        "forward_secrecy": any(part in ("DHE", "ECDHE") for part in kx_parts) and not anonymous,
        "anonymous": anonymous,
        "export": export,
        "rc4": rc4,
        "small_block": small_block,
        "weak": weak,
    }
