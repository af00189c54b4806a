"""Judging TLS endpoints: one verdict per endpoint ("address:port") for every check.

Every check reads the ``tls`` probe's evidence.  An endpoint that did not
answer gives ``error``; a fact sslyze could not collect gives
``not_applicable`` with the reason (message ``not_tested``), never a
pass or a fail.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable


from auditor.checks.tls.family import FAMILY
from auditor.checks.tls.grade import grade, signed_certificates
from auditor.model import Evidence, Status, Target
from auditor.plugin import JudgeContext, Verdict, failed, not_applicable, passed, warned
from auditor.yamlfile import load_shipped

Endpoint = dict[str, Any]
Judge = Callable[[Endpoint, JudgeContext], Verdict]

DEFAULT_EXPIRY_WARNING_DAYS = 30
MAX_LIFETIME_DAYS = 398
"""CA/Browser Forum limit since 2020: browsers reject longer-lived certificates."""
MOZILLA_LIFETIME_DAYS = 366
HSTS_MIN_SECONDS = 180 * 86400
GOOD_GRADES = ("A+", "A", "A-")
WARN_GRADES = ("B",)


def endpoint_check(check_id: str) -> Callable[[Judge], Judge]:
    """Registers ``judge(endpoint, ctx) -> Verdict`` as a check applied to every endpoint."""

    def register(judge: Judge) -> Judge:
        def evaluate(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
            for endpoint in evidence.get("endpoints", []):
                subject = endpoint["subject"]
                if not endpoint.get("reachable"):
                    yield Verdict(Status.ERROR, {"endpoint": subject, "error": endpoint.get("error")}, subject, "error")
                    continue
                verdict = judge(endpoint, ctx)
                yield replace(verdict, subject=subject, facts={"endpoint": subject, **verdict.facts})

        FAMILY.check(check_id)(evaluate)
        return judge

    return register


def not_tested(endpoint: Endpoint, *commands: str) -> Verdict:
    errors = endpoint.get("scan_errors", {})
    reason = "; ".join(errors[c] for c in commands if c in errors) or "not collected"
    return not_applicable(message="not_tested", reason=reason)


# --------------------------------------------------------------------------- protocols

PROTOCOL_COMMANDS = {
    "SSLv2": "ssl_2_0_cipher_suites",
    "SSLv3": "ssl_3_0_cipher_suites",
    "TLSv1.0": "tls_1_0_cipher_suites",
    "TLSv1.1": "tls_1_1_cipher_suites",
    "TLSv1.2": "tls_1_2_cipher_suites",
    "TLSv1.3": "tls_1_3_cipher_suites",
}


def _legacy_protocol(label: str) -> Judge:
    def judge(endpoint: Endpoint, ctx: JudgeContext) -> Verdict:
        offered = endpoint["protocols"].get(label)
        if offered is None:
            return not_tested(endpoint, PROTOCOL_COMMANDS[label])
        return failed(protocol=label) if offered else passed(protocol=label)

    return judge


for _label, _check_id in (("SSLv2", "tls.protocol.sslv2"), ("SSLv3", "tls.protocol.sslv3"),
                          ("TLSv1.0", "tls.protocol.tls10"), ("TLSv1.1", "tls.protocol.tls11")):
    endpoint_check(_check_id)(_legacy_protocol(_label))


def offered_protocols(endpoint: Endpoint) -> list[str]:
    return [label for label in PROTOCOL_COMMANDS if endpoint["protocols"].get(label)]


@endpoint_check("tls.protocol.tls12_missing")
def tls12_missing(endpoint: Endpoint, ctx: JudgeContext) -> Verdict:
    protocols = endpoint["protocols"]
    offered = offered_protocols(endpoint)
    if protocols.get("TLSv1.2"):
        return passed(offered=offered)
    if protocols.get("TLSv1.2") is None:
        return not_tested(endpoint, "tls_1_2_cipher_suites")
    if protocols.get("TLSv1.3"):
        return warned(message="tls13_only", offered=offered)
    return failed(offered=offered or ["-"])


# --------------------------------------------------------------------------- cipher suites


def _suites(endpoint: Endpoint) -> list[tuple[str, dict[str, Any]]]:
    return [(proto, s) for proto, suites in endpoint.get("cipher_suites", {}).items() for s in suites]


def _suite_judge(judge: Callable[[Endpoint, list[tuple[str, dict[str, Any]]]], Verdict]) -> Judge:
    """Suite checks need at least one protocol tested; otherwise they say so."""

    def wrapped(endpoint: Endpoint, ctx: JudgeContext) -> Verdict:
        if all(v is None for v in endpoint["protocols"].values()):
            return not_tested(endpoint, *PROTOCOL_COMMANDS.values())
        return judge(endpoint, _suites(endpoint))

    return wrapped


def _names(suites: list[tuple[str, dict[str, Any]]], detail: Callable[[dict[str, Any]], str] | None = None) -> list[str]:
    return [f"{proto} {s['name']}" + (f" ({detail(s)})" if detail else "") for proto, s in suites]


@endpoint_check("tls.cipher.weak")
@_suite_judge
def cipher_weak(endpoint: Endpoint, suites: list[tuple[str, dict[str, Any]]]) -> Verdict:
    weak = [(proto, s) for proto, s in suites if s["weak"]]
    if weak:
        return failed(suites=_names(weak, lambda s: ", ".join(s["weak"])), count=len(weak))
    return passed(count=len(suites))


@endpoint_check("tls.cipher.no_forward_secrecy")
@_suite_judge
def no_forward_secrecy(endpoint: Endpoint, suites: list[tuple[str, dict[str, Any]]]) -> Verdict:
    without = [(proto, s) for proto, s in suites if not s["forward_secrecy"]]
    if suites and len(without) == len(suites):
        return failed(suites=_names(without))
    if without:
        return warned(suites=_names(without), count=len(without))
    return passed(count=len(suites))


@endpoint_check("tls.cipher.no_aead")
@_suite_judge
def no_aead(endpoint: Endpoint, suites: list[tuple[str, dict[str, Any]]]) -> Verdict:
    if suites and not any(s["aead"] for _, s in suites):
        return failed(suites=_names(suites))
    return passed(aead=_names([(p, s) for p, s in suites if s["aead"]]))


# --------------------------------------------------------------------------- certificate


def _certificate_judge(judge: Callable[[Endpoint, dict[str, Any], JudgeContext], Verdict]) -> Judge:
    def wrapped(endpoint: Endpoint, ctx: JudgeContext) -> Verdict:
        cert = endpoint.get("certificate")
        if not cert or not cert.get("chain"):
            return not_tested(endpoint, "certificate_info")
        return judge(endpoint, cert, ctx)

    return wrapped


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _days(delta_seconds: float) -> int:
    return int(delta_seconds // 86400)


@endpoint_check("tls.cert.expired")
@_certificate_judge
def cert_expired(endpoint: Endpoint, cert: dict[str, Any], ctx: JudgeContext) -> Verdict:
    leaf = cert["chain"][0]
    not_before, not_after = _time(leaf["not_before"]), _time(leaf["not_after"])
    if not_after < ctx.now:
        return failed(not_after=leaf["not_after"], days=_days((ctx.now - not_after).total_seconds()))
    if not_before > ctx.now:
        return failed(message="not_yet_valid", not_before=leaf["not_before"])
    return passed(not_after=leaf["not_after"])


@endpoint_check("tls.cert.expires_soon")
@_certificate_judge
def cert_expires_soon(endpoint: Endpoint, cert: dict[str, Any], ctx: JudgeContext) -> Verdict:
    not_after = _time(cert["chain"][0]["not_after"])
    days_left = _days((not_after - ctx.now).total_seconds())
    threshold = int(ctx.setting("tls_expiry_warning_days", DEFAULT_EXPIRY_WARNING_DAYS))
    if not_after < ctx.now:
        return not_applicable(message="expired", not_after=cert["chain"][0]["not_after"])
    if days_left < threshold:
        return warned(days=days_left, threshold=threshold, not_after=cert["chain"][0]["not_after"])
    return passed(days=days_left, threshold=threshold)


@endpoint_check("tls.cert.untrusted")
@_certificate_judge
def cert_untrusted(endpoint: Endpoint, cert: dict[str, Any], ctx: JudgeContext) -> Verdict:
    trusted_by = [t["store"] for t in cert["trust"] if t["trusted"]]
    if trusted_by:
        return passed(stores=trusted_by)
    errors = sorted({t["error"] for t in cert["trust"] if t["error"]})
    leaf = cert["chain"][0]
    return failed(message="self_signed" if leaf["self_signed"] else None, issuer=leaf["issuer"], errors=errors)


@endpoint_check("tls.cert.hostname_mismatch")
@_certificate_judge
def cert_hostname_mismatch(endpoint: Endpoint, cert: dict[str, Any], ctx: JudgeContext) -> Verdict:
    leaf = cert["chain"][0]
    names = leaf["san_dns"] + leaf["san_ip"]
    if cert["hostname_match"]:
        return passed(hostname=cert["hostname"], names=names)
    return failed(hostname=cert["hostname"], names=names or ["-"])


def _weak_key(cert: dict[str, Any]) -> bool:
    if cert["key_type"] in ("RSA", "DSA"):
        return (cert["key_bits"] or 0) < 2048
    if cert["key_type"] == "EC":
        return (cert["key_bits"] or 0) < 256
    return False


@endpoint_check("tls.cert.weak_key")
@_certificate_judge
def cert_weak_key(endpoint: Endpoint, cert: dict[str, Any], ctx: JudgeContext) -> Verdict:
    weak = [c for c in signed_certificates(cert["chain"]) if _weak_key(c)]
    leaf = cert["chain"][0]
    if weak:
        return failed(keys=[f"{c['subject']}: {c['key_type']} {c['key_bits']}" for c in weak])
    return passed(key_type=leaf["key_type"], key_bits=leaf["key_bits"])


@endpoint_check("tls.cert.weak_signature")
@_certificate_judge
def cert_weak_signature(endpoint: Endpoint, cert: dict[str, Any], ctx: JudgeContext) -> Verdict:
    weak = [c for c in signed_certificates(cert["chain"]) if c["signature_hash"] in ("sha1", "md5")]
    if weak:
        return failed(certificates=[f"{c['subject']}: {c['signature_hash'].upper()}" for c in weak])
    return passed(signature_hash=cert["chain"][0]["signature_hash"])


@endpoint_check("tls.cert.lifetime")
@_certificate_judge
def cert_lifetime(endpoint: Endpoint, cert: dict[str, Any], ctx: JudgeContext) -> Verdict:
    leaf = cert["chain"][0]
    days = _days((_time(leaf["not_after"]) - _time(leaf["not_before"])).total_seconds())
    if days > MAX_LIFETIME_DAYS:
        return failed(days=days, limit=MAX_LIFETIME_DAYS)
    if days > MOZILLA_LIFETIME_DAYS:
        return warned(days=days, limit=MOZILLA_LIFETIME_DAYS)
    return passed(days=days)


# --------------------------------------------------------------------------- vulnerabilities


def _vulnerability(fact: str, command: str, bad: bool = True, *, warn: bool = False) -> Judge:
    """A check on one boolean fact: ``bad`` is the value that means trouble."""

    def judge(endpoint: Endpoint, ctx: JudgeContext) -> Verdict:
        value = endpoint["vulnerabilities"].get(fact)
        if value is None:
            return not_tested(endpoint, command)
        if value is not bad:
            return passed()
        return warned() if warn else failed()

    return judge


endpoint_check("tls.vuln.heartbleed")(_vulnerability("heartbleed", "heartbleed"))
endpoint_check("tls.vuln.ccs_injection")(_vulnerability("ccs_injection", "openssl_ccs_injection"))
endpoint_check("tls.vuln.insecure_renegotiation")(
    _vulnerability("secure_renegotiation", "session_renegotiation", bad=False))
endpoint_check("tls.vuln.client_renegotiation")(
    _vulnerability("client_renegotiation", "session_renegotiation", warn=True))
endpoint_check("tls.vuln.compression")(_vulnerability("compression", "tls_compression"))


@endpoint_check("tls.vuln.robot")
def vuln_robot(endpoint: Endpoint, ctx: JudgeContext) -> Verdict:
    result = endpoint["vulnerabilities"].get("robot")
    if result is None:
        return not_tested(endpoint, "robot")
    if endpoint["vulnerabilities"].get("robot_vulnerable"):
        return failed(result=result)
    if result == "UNKNOWN_INCONSISTENT_RESULTS":
        return not_applicable(message="not_tested", reason=result)
    return passed(result=result)


@endpoint_check("tls.vuln.fallback_scsv")
def vuln_fallback_scsv(endpoint: Endpoint, ctx: JudgeContext) -> Verdict:
    below_13 = [p for p in offered_protocols(endpoint) if p != "TLSv1.3"]
    if len(below_13) < 2:
        return not_applicable(message="single_protocol", offered=offered_protocols(endpoint))
    return _vulnerability("fallback_scsv", "tls_fallback_scsv", bad=False)(endpoint, ctx)


# --------------------------------------------------------------------------- HSTS


def _hsts_judge(judge: Callable[[dict[str, Any]], Verdict]) -> Judge:
    def wrapped(endpoint: Endpoint, ctx: JudgeContext) -> Verdict:
        hsts = endpoint.get("hsts")
        if hsts is None:
            return not_applicable(message="not_https", service=endpoint.get("service") or "?")
        if not hsts.get("checked"):
            return not_applicable(message="not_tested", reason=hsts.get("error") or "no HTTP response")
        return judge(hsts)

    return wrapped


@endpoint_check("tls.hsts.missing")
@_hsts_judge
def hsts_missing(hsts: dict[str, Any]) -> Verdict:
    return passed(max_age=hsts["max_age"]) if hsts["present"] else failed()


@endpoint_check("tls.hsts.short")
@_hsts_judge
def hsts_short(hsts: dict[str, Any]) -> Verdict:
    if not hsts["present"] or hsts["max_age"] is None:
        return not_applicable(message="no_header")
    days = hsts["max_age"] // 86400
    if hsts["max_age"] < HSTS_MIN_SECONDS:
        return failed(max_age=hsts["max_age"], days=days, minimum_days=HSTS_MIN_SECONDS // 86400)
    return passed(max_age=hsts["max_age"], days=days)


# --------------------------------------------------------------------------- Mozilla profile


@lru_cache(maxsize=1)
def mozilla_intermediate() -> dict[str, Any]:
    return load_shipped(Path(__file__).with_name("mozilla_intermediate.yaml").read_text(encoding="utf-8"))


def profile_deviations(endpoint: Endpoint, profile: dict[str, Any]) -> list[str]:
    """What keeps an endpoint from Mozilla's intermediate configuration (empty when it conforms)."""
    deviations = [f"protocol {p}" for p in offered_protocols(endpoint) if p not in profile["protocols"]]
    for proto, suite in _suites(endpoint):
        if proto in profile["cipher_suites"] and suite["name"] not in profile["cipher_suites"][proto]:
            deviations.append(f"{proto} suite {suite['name']}")
    cert = endpoint.get("certificate") or {}
    if cert.get("chain"):
        leaf = cert["chain"][0]
        key = f"{leaf['key_type']} {leaf['key_curve'] or leaf['key_bits']}"
        allowed_rsa = leaf["key_type"] == "RSA" and (leaf["key_bits"] or 0) >= profile["rsa_min_bits"]
        if not allowed_rsa and not (leaf["key_type"] == "EC" and leaf["key_curve"] in profile["ec_curves"]):
            deviations.append(f"certificate key {key}")
        lifetime = _days((_time(leaf["not_after"]) - _time(leaf["not_before"])).total_seconds())
        if lifetime > profile["max_certificate_lifetime_days"]:
            deviations.append(f"certificate lifetime {lifetime} days")
    hsts = endpoint.get("hsts")
    if hsts and hsts.get("checked") and not hsts.get("present"):
        deviations.append("no HSTS header")
    elif hsts and hsts.get("checked") and (hsts.get("max_age") or 0) < profile["hsts_max_age"]:
        deviations.append(f"HSTS max-age {hsts.get('max_age') or 0} < {profile['hsts_max_age']}")
    return deviations


@endpoint_check("tls.profile.mozilla_intermediate")
@_suite_judge
def profile_mozilla_intermediate(endpoint: Endpoint, suites: list[tuple[str, dict[str, Any]]]) -> Verdict:
    profile = mozilla_intermediate()
    deviations = profile_deviations(endpoint, profile)
    if deviations:
        return failed(deviations=deviations, profile_version=profile["version"])
    return passed(profile_version=profile["version"])


# --------------------------------------------------------------------------- grade


@endpoint_check("tls.grade")
def tls_grade(endpoint: Endpoint, ctx: JudgeContext) -> Verdict:
    """Pass for A+/A/A-, warn for B, fail for C and below and for T/M (see docs/tls.md)."""
    result = grade(endpoint, ctx.now)
    if result is None:
        return not_tested(endpoint, *PROTOCOL_COMMANDS.values())
    facts = dict(result, reasons=[f"{c['grade']}: {c['reason']}" for c in result["caps"]]
                 + [f"A-: {w}" for w in result["warnings"]]
                 + [f"{'M' if i == 'hostname_mismatch' else 'T'}: {i}" for i in result["trust_issues"]] or ["-"])
    if result["grade"] in GOOD_GRADES:
        return passed(**facts)
    if result["grade"] in WARN_GRADES:
        return warned(**facts)
    return failed(**facts)
