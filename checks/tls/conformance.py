"""RFC 5280 profile defects of a trusted chain (pure, on the certificate facts of ``certfacts``).

A chain OpenSSL accepts may still break the rules strict verifiers enforce:
Python ≥ 3.13 (``VERIFY_X509_STRICT`` by default), ``cryptography`` and
therefore sslyze, Go's and rustls' webpki.  Typical for an office's own CA
made with ``openssl req -x509``: a root without keyUsage, leaves without an
Authority Key Identifier.  These are not trust failures — every browser and
curl connects — but a conformance warning with the fix, judged by
``tls.cert.chain_conformance`` alone.

Each defect is a code (the message text lives in ``tls.yaml``) and the
subject of the certificate it was found on.
"""

from __future__ import annotations

from typing import Any

#: defect code → the RFC 5280 rule it breaks (shown in the finding's facts).
RULES = {
    "v1_certificate": "RFC 5280 4.1.2.1 (extensions need version 3)",
    "serial_not_positive": "RFC 5280 4.1.2.2",
    "ca_no_basic_constraints": "RFC 5280 4.2.1.9",
    "ca_basic_constraints_not_critical": "RFC 5280 4.2.1.9",
    "ca_no_key_usage": "RFC 5280 4.2.1.3",
    "ca_key_usage_without_cert_sign": "RFC 5280 4.2.1.3",
    "ca_no_subject_key_id": "RFC 5280 4.2.1.2",
    "no_authority_key_id": "RFC 5280 4.2.1.1",
    "leaf_no_subject_alt_name": "RFC 6125 6.4.4 / CA/B BR 7.1.2.7",
    "leaf_is_ca": "RFC 5280 4.2.1.9 / CA/B BR 7.1.2.7",
}


#: defect code → what it means, in the report's languages.
TEXTS = {
    "v1_certificate": ("certyfikat w wersji 1 (bez żadnych rozszerzeń)", "version 1 certificate (no extensions at all)"),
    "serial_not_positive": ("numer seryjny nie jest dodatni", "the serial number is not positive"),
    "ca_no_basic_constraints": ("urząd bez rozszerzenia basicConstraints (CA:TRUE)",
                                "CA without a basicConstraints extension (CA:TRUE)"),
    "ca_basic_constraints_not_critical": ("basicConstraints urzędu nie jest oznaczone jako krytyczne",
                                          "the CA's basicConstraints is not marked critical"),
    "ca_no_key_usage": ("urząd bez rozszerzenia keyUsage (keyCertSign, cRLSign)",
                        "CA without a keyUsage extension (keyCertSign, cRLSign)"),
    "ca_key_usage_without_cert_sign": ("keyUsage urzędu nie pozwala podpisywać certyfikatów (brak keyCertSign)",
                                       "the CA's keyUsage does not allow signing certificates (no keyCertSign)"),
    "ca_no_subject_key_id": ("urząd bez rozszerzenia subjectKeyIdentifier", "CA without a subjectKeyIdentifier"),
    "no_authority_key_id": ("brak rozszerzenia authorityKeyIdentifier (wskazania klucza wystawcy)",
                            "no authorityKeyIdentifier extension (pointer to the issuer's key)"),
    "leaf_no_subject_alt_name": ("certyfikat serwera bez subjectAltName (nazwa tylko w CN)",
                                 "server certificate without subjectAltName (name only in the CN)"),
    "leaf_is_ca": ("certyfikat serwera oznaczony jako urząd (CA:TRUE)", "server certificate marked as a CA (CA:TRUE)"),
}


def described(defects: list[dict[str, str]], lang: str) -> list[str]:
    """``"<certificate>: <what is wrong>"`` for each defect, in ``lang`` (``pl`` or ``en``)."""
    index = 0 if lang == "pl" else 1
    return [f"{d['certificate']}: {TEXTS[d['code']][index]}" for d in defects]


def _certificate_defects(cert: dict[str, Any], *, is_leaf: bool) -> list[str]:
    if cert["x509_version"] != "v3":
        return ["v1_certificate"]  # no extensions at all: the rest would only repeat it
    defects = [] if cert["serial_positive"] else ["serial_not_positive"]
    constraints = cert["basic_constraints"]
    if not cert["self_signed"] and not cert["authority_key_id"]:
        defects.append("no_authority_key_id")
    if is_leaf:
        if not (cert["san_dns"] or cert["san_ip"]):
            defects.append("leaf_no_subject_alt_name")
        if constraints and constraints["ca"]:
            defects.append("leaf_is_ca")
        return defects
    if constraints is None:
        defects.append("ca_no_basic_constraints")
    elif not constraints["critical"]:
        defects.append("ca_basic_constraints_not_critical")
    if cert["key_usage"] is None:
        defects.append("ca_no_key_usage")
    elif "key_cert_sign" not in cert["key_usage"]:
        defects.append("ca_key_usage_without_cert_sign")
    if not cert["subject_key_id"]:
        defects.append("ca_no_subject_key_id")
    return defects


def chain_defects(chain: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Defects of a verified chain (leaf first, anchor last), in chain order."""
    return [{"code": code, "certificate": cert["subject"], "rule": RULES[code]}
            for index, cert in enumerate(chain) for code in _certificate_defects(cert, is_leaf=index == 0)]
