"""An SSL Labs-style grade computed from one endpoint's evidence (pure).

Follows the SSL Labs Server Rating Guide (2009 rules as refined up to
2009q, the version testssl.sh's ``run_rating`` implements), see
shared/REFERENCE.md:

- score = 30 % protocol + 30 % key exchange + 40 % cipher strength, where
  the protocol and cipher categories are the average of the best and the
  worst item offered; a category at 0 makes the score 0;
- letter from the score: A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E ≥ 20, else F;
- caps lower the letter (F, C, B) for known weaknesses; warnings turn A
  into A-; A+ needs HSTS max-age ≥ 180 days and TLS_FALLBACK_SCSV;
- M replaces the letter when the certificate does not name the host, T
  when it is untrusted (self-signed and not in a trust store given),
  expired or SHA-1 signed.  M goes first: every client sees a wrong name,
  while trust depends on the client's store.  The letter the server would
  get otherwise is kept as ``grade_if_trusted``.

Trust is ``checks.tls.trust``'s verdict (OpenSSL's verifier, dates apart),
so an expired certificate is one issue, ``expired``, not also ``untrusted``.

Revocation, DROWN (needs other servers' keys) and Ticketbleed are not
tested by sslyze and so not graded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

LETTERS = ("A+", "A", "A-", "B", "C", "D", "E", "F")
PROTOCOL_SCORES = {"SSLv2": 0, "SSLv3": 80, "TLSv1.0": 90, "TLSv1.1": 95, "TLSv1.2": 100, "TLSv1.3": 100}
HSTS_A_PLUS_SECONDS = 180 * 86400


def worse(a: str, b: str) -> str:
    return a if LETTERS.index(a) >= LETTERS.index(b) else b


def rsa_equivalent(key_type: str | None, bits: int | None) -> int | None:
    """Elliptic-curve sizes expressed as RSA sizes of equal strength (NIST SP 800-57)."""
    if bits is None:
        return None
    if key_type in ("EC", "ECDH", "Ed25519", "Ed448", "X25519", "X448"):
        for ec_bits, rsa_bits in ((500, 15360), (384, 7680), (250, 3072), (224, 2048), (160, 1024)):
            if bits >= ec_bits:
                return rsa_bits
        return 512
    return bits


def signed_certificates(chain: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The leaf and intermediates: a root's own signature carries no trust, so its hash does not matter."""
    return [cert for index, cert in enumerate(chain) if index == 0 or not cert["self_signed"]]


def _strength_score(bits: int) -> int:
    for limit, score in ((512, 20), (1024, 40), (2048, 80), (4096, 90)):
        if bits < limit:
            return score
    return 100


def _cipher_score(bits: int) -> int:
    return 0 if bits == 0 else 20 if bits < 128 else 80 if bits < 256 else 100


def letter_for_score(score: float) -> str:
    for threshold, letter in ((80, "A"), (65, "B"), (50, "C"), (35, "D"), (20, "E")):
        if score >= threshold:
            return letter
    return "F"


def _suites(endpoint: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(proto, suite) for proto, suites in endpoint.get("cipher_suites", {}).items() for suite in suites]


def _leaf_key_strength(endpoint: dict[str, Any]) -> int | None:
    cert = endpoint.get("certificate")
    if not cert or not cert.get("chain"):
        return None
    leaf = cert["chain"][0]
    return rsa_equivalent(leaf["key_type"], leaf["key_bits"])


def category_scores(endpoint: dict[str, Any]) -> dict[str, int]:
    offered = [p for p, on in endpoint["protocols"].items() if on]
    protocol = (max(PROTOCOL_SCORES[p] for p in offered) + min(PROTOCOL_SCORES[p] for p in offered)) / 2
    suites = [s for _, s in _suites(endpoint)]
    if any(s["anonymous"] for s in suites):
        key_exchange = 0
    else:
        strengths = [rsa_equivalent(s["ephemeral_key"]["type"], s["ephemeral_key"]["bits"])
                     for s in suites if s.get("ephemeral_key")]
        strengths.append(_leaf_key_strength(endpoint))
        known = [b for b in strengths if b is not None]
        key_exchange = _strength_score(min(known)) if known else 0
    cipher_scores = [_cipher_score(s["bits"]) for s in suites]
    cipher = (max(cipher_scores) + min(cipher_scores)) / 2
    return {"protocol": round(protocol), "key_exchange": key_exchange, "cipher": round(cipher)}


def _caps(endpoint: dict[str, Any]) -> list[tuple[str, str]]:
    """(letter, reason) for every weakness that limits the grade."""
    protocols = endpoint["protocols"]
    offered = [p for p in PROTOCOL_SCORES if protocols.get(p)]
    suites = _suites(endpoint)
    vulns = endpoint.get("vulnerabilities") or {}
    chain = (endpoint.get("certificate") or {}).get("chain") or []
    key = _leaf_key_strength(endpoint)
    modern = ("TLSv1.1", "TLSv1.2", "TLSv1.3")
    rules = [
        ("F", "sslv2", bool(protocols.get("SSLv2"))),
        ("F", "sslv3_best_protocol", bool(offered) and offered[-1] in ("SSLv2", "SSLv3")),
        ("F", "export_suites", any(s["export"] for _, s in suites)),
        ("F", "anonymous_suites", any(s["anonymous"] for _, s in suites)),
        ("F", "cipher_under_112_bits", any(s["bits"] < 112 for _, s in suites)),
        ("F", "heartbleed", vulns.get("heartbleed") is True),
        ("F", "robot", vulns.get("robot_vulnerable") is True),
        ("F", "ccs_injection", vulns.get("ccs_injection") is True),
        ("F", "insecure_client_renegotiation",
         vulns.get("secure_renegotiation") is False and vulns.get("client_renegotiation") is True),
        ("F", "md5_signature", any(c["signature_hash"] == "md5" for c in signed_certificates(chain))),
        ("F", "key_under_1024_bits", key is not None and key < 1024),
        ("C", "no_tls12", not (protocols.get("TLSv1.2") or protocols.get("TLSv1.3"))),
        ("C", "sslv3_poodle", bool(protocols.get("SSLv3"))),
        ("C", "rc4_or_64bit_block_on_tls11_plus",
         any(p in modern and (s["rc4"] or s["small_block"]) for p, s in suites)),
        ("C", "compression_crime", vulns.get("compression") is True),
        ("B", "tls10_or_tls11", bool(protocols.get("TLSv1.0") or protocols.get("TLSv1.1"))),
        ("B", "rc4", any(s["rc4"] for _, s in suites)),
        ("B", "no_aead", bool(suites) and not any(s["aead"] for _, s in suites)),
        ("B", "no_forward_secrecy", bool(suites) and not any(s["forward_secrecy"] for _, s in suites)),
        ("B", "key_under_2048_bits", key is not None and key < 2048),
    ]
    return [(letter, reason) for letter, reason, applies in rules if applies]


def _warnings(endpoint: dict[str, Any]) -> list[str]:
    vulns = endpoint.get("vulnerabilities") or {}
    offered = [p for p, on in endpoint["protocols"].items() if on and p != "TLSv1.3"]
    warnings = []
    if vulns.get("fallback_scsv") is False and len(offered) > 1:
        warnings.append("no_fallback_scsv")
    if vulns.get("secure_renegotiation") is False:
        warnings.append("no_secure_renegotiation")
    return warnings


def trust_issues(endpoint: dict[str, Any], now: datetime) -> list[str]:
    cert = endpoint.get("certificate") or {}
    chain = cert.get("chain") or []
    if not chain:
        return []
    leaf = chain[0]
    issues = []
    if not cert.get("trusted"):
        issues.append("self_signed" if leaf["self_signed"] else "untrusted")
    if datetime.fromisoformat(leaf["not_after"]) < now or datetime.fromisoformat(leaf["not_before"]) > now:
        issues.append("expired")
    if any(c["signature_hash"] == "sha1" for c in signed_certificates(chain)):
        issues.append("sha1_signature")
    return issues


def grade(endpoint: dict[str, Any], now: datetime) -> dict[str, Any] | None:
    """The grade and everything behind it, or ``None`` when the evidence cannot carry one."""
    protocols = endpoint.get("protocols") or {}
    if not any(protocols.values()) or not _suites(endpoint):
        return None
    scores = category_scores(endpoint)
    total = 0 if 0 in scores.values() else round(
        0.3 * scores["protocol"] + 0.3 * scores["key_exchange"] + 0.4 * scores["cipher"])
    letter = letter_for_score(total)
    caps = _caps(endpoint)
    for cap, _ in caps:
        letter = worse(letter, cap)
    warnings = _warnings(endpoint)
    hsts = endpoint.get("hsts") or {}
    if letter == "A" and warnings:
        letter = "A-"
    elif letter == "A" and (hsts.get("max_age") or 0) >= HSTS_A_PLUS_SECONDS:
        letter = "A+"
    issues = trust_issues(endpoint, now)
    mismatch = (endpoint.get("certificate") or {}).get("hostname_match") is False
    final = "M" if mismatch else "T" if issues else letter
    return {
        "grade": final,
        "grade_if_trusted": letter,
        "score": total,
        "scores": scores,
        "caps": [{"grade": cap, "reason": reason} for cap, reason in caps],
        "warnings": warnings,
        "trust_issues": issues + (["hostname_mismatch"] if mismatch else []),
    }
