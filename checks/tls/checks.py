"""Judging TLS endpoints: one verdict per endpoint ("address:port") for every check.

Every check reads the ``tls`` probe's evidence.  An endpoint that did not
answer gives ``error``; a fact sslyze could not collect gives
``not_applicable`` with the reason (message ``not_tested``), never a
pass or a fail.  A STARTTLS port whose server answers but offers no
STARTTLS is one failure (``tls.starttls.missing``) and ``not_applicable``
(message ``no_starttls``) for every other check.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit


from auditor.checks.tls.conformance import chain_defects, described
from auditor.checks.tls.family import FAMILY
from auditor.checks.tls.grade import grade, signed_certificates
from auditor.model import Evidence, Status, Target
from auditor.plugin import JudgeContext, Verdict, failed, not_applicable, passed, warned
from auditor.yamlfile import load_shipped

Endpoint = dict[str, Any]
Judge = Callable[[Endpoint, JudgeContext], Verdict]
HostJudge = Callable[[Endpoint, Target, JudgeContext], Verdict]

DEFAULT_EXPIRY_WARNING_DAYS = 30
MAX_LIFETIME_DAYS = 398
"""CA/Browser Forum limit since 2020: browsers reject longer-lived certificates."""
MOZILLA_LIFETIME_DAYS = 366
HSTS_MIN_SECONDS = 180 * 86400
WEAK_HASHES = ("sha1", "md5")
GOOD_GRADES = ("A+", "A", "A-")
WARN_GRADES = ("B",)


def host_endpoint_check(check_id: str) -> Callable[[HostJudge], HostJudge]:
    """Registers ``judge(endpoint, target, ctx) -> Verdict`` as a check applied to every endpoint of the host."""

    def register(judge: HostJudge) -> HostJudge:
        def evaluate(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
            for endpoint in evidence.get("endpoints", []):
                subject = endpoint["subject"]
                if endpoint.get("starttls_offered") is False:  # one failure, tls.starttls.missing; nothing to judge here
                    yield Verdict(Status.NOT_APPLICABLE, {"endpoint": subject, "reason": endpoint.get("error")},
                                  subject, "no_starttls")
                    continue
                if not endpoint.get("reachable"):
                    yield Verdict(Status.ERROR, {"endpoint": subject, "error": endpoint.get("error")}, subject, "error")
                    continue
                verdict = judge(endpoint, target, ctx)
                yield replace(verdict, subject=subject, facts={"endpoint": subject, **verdict.facts})

        FAMILY.check(check_id)(evaluate)
        return judge

    return register


def endpoint_check(check_id: str) -> Callable[[Judge], Judge]:
    """Registers ``judge(endpoint, ctx) -> Verdict`` as a check applied to every endpoint."""

    def register(judge: Judge) -> Judge:
        host_endpoint_check(check_id)(lambda endpoint, target, ctx: judge(endpoint, ctx))
        return judge

    return register


def not_tested(endpoint: Endpoint, *commands: str) -> Verdict:
    errors = endpoint.get("scan_errors", {})
    reason = "; ".join(errors[c] for c in commands if c in errors) or "not collected"
    return not_applicable(message="not_tested", reason=reason)


# --------------------------------------------------------------------------- STARTTLS


@FAMILY.check("tls.starttls.missing")
def starttls_missing(evidence: Evidence, target: Target, ctx: JudgeContext) -> Iterable[Verdict]:
    """One verdict per STARTTLS port (implicit-TLS ports are not its business)."""
    for endpoint in evidence.get("endpoints", []):
        if not endpoint.get("starttls"):
            continue
        subject = endpoint["subject"]
        facts = {"endpoint": subject, "protocol": endpoint["starttls"].upper()}
        if endpoint.get("starttls_offered") is False:
            yield failed(subject=subject, reason=endpoint.get("error"), **facts)
        elif endpoint.get("reachable"):
            yield passed(subject=subject, **facts)
        else:
            yield Verdict(Status.ERROR, {**facts, "error": endpoint.get("error")}, subject, "error")


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
    """Trust as OpenSSL decides it, dates apart (``checks.tls.trust``): an expired chain is tls.cert.expired's."""
    trusted_by = [t["store"] for t in cert["trust"] if t["trusted"]]
    weak = [c["signature_hash"].upper() for c in signed_certificates(cert["chain"]) if c["signature_hash"] in WEAK_HASHES]
    if trusted_by and weak:
        # OpenSSL outside a TLS handshake ignores the signature hash; browsers refuse SHA-1 and MD5
        return not_applicable(message="weak_signature", stores=trusted_by, hashes=sorted(set(weak)))
    if trusted_by:
        return passed(stores=trusted_by)
    errors = sorted({t["error"] for t in cert["trust"] if t["error"]})
    leaf = cert["chain"][0]
    return failed(message="self_signed" if leaf["self_signed"] else None, issuer=leaf["issuer"], errors=errors)


@endpoint_check("tls.cert.chain_conformance")
@_certificate_judge
def cert_chain_conformance(endpoint: Endpoint, cert: dict[str, Any], ctx: JudgeContext) -> Verdict:
    """RFC 5280 defects of a chain clients trust; an untrusted chain is tls.cert.untrusted's alone."""
    if "verified_chain" not in cert:
        return not_applicable(message="not_tested", reason="evidence from a version without conformance facts")
    if not cert["trusted"]:
        return not_applicable(message="untrusted")
    defects = chain_defects(cert["verified_chain"])
    if not defects:
        return passed(certificates=len(cert["verified_chain"]))
    strict = sorted({t["strict_error"] for t in cert["trust"] if t["trusted"] and t.get("strict_error")})
    return warned(defects=[d["code"] for d in defects], defects_pl=described(defects, "pl"),
                  defects_en=described(defects, "en"), rules=sorted({d["rule"] for d in defects}),
                  strict_verifier=strict or ["-"])


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
    weak = [c for c in signed_certificates(cert["chain"]) if c["signature_hash"] in WEAK_HASHES]
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


def web_judges_hsts(endpoint: Endpoint, target: Target, ctx: JudgeContext) -> bool:
    """Whether the web family fetched this HTTPS site: then ``web.hsts`` owns the header's verdict.

    ``web.hsts`` reads the page a visitor ends on (after redirects) and
    parses the header fully, so it is the better judge; the TLS family's
    own look (sslyze's one request) decides only when the web family did
    not run, e.g. ``--only tls``.
    """
    attempt = ctx.attempts.get(target.id, {}).get("web")
    if attempt is None or not attempt.completed or not attempt.evidence:
        return False
    return any(site.get("scheme") == "https" and _origin_port(site.get("origin", "")) == endpoint["port"]
               and not site.get("error") for site in attempt.evidence.get("sites", []))


def _origin_port(origin: str) -> int | None:
    parsed = urlsplit(origin)
    try:
        return parsed.port or (443 if parsed.scheme == "https" else 80)
    except ValueError:
        return None


def _hsts_judge(judge: Callable[[dict[str, Any]], Verdict]) -> HostJudge:
    def wrapped(endpoint: Endpoint, target: Target, ctx: JudgeContext) -> Verdict:
        hsts = endpoint.get("hsts")
        if hsts is None:
            return not_applicable(message="not_https", service=endpoint.get("service") or "?")
        if web_judges_hsts(endpoint, target, ctx):
            return not_applicable(message="judged_by_web")
        if not hsts.get("checked"):
            return not_applicable(message="not_tested", reason=hsts.get("error") or "no HTTP response")
        return judge(hsts)

    return wrapped


@host_endpoint_check("tls.hsts.missing")
@_hsts_judge
def hsts_missing(hsts: dict[str, Any]) -> Verdict:
    return passed(max_age=hsts["max_age"]) if hsts["present"] else failed()


@host_endpoint_check("tls.hsts.short")
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


#: Legacy protocols with a check of their own.
PROTOCOL_CHECKS = {"SSLv2": "tls.protocol.sslv2", "SSLv3": "tls.protocol.sslv3",
                   "TLSv1.0": "tls.protocol.tls10", "TLSv1.1": "tls.protocol.tls11"}


def profile_deviations(endpoint: Endpoint, profile: dict[str, Any], *,
                       hsts_by_web: bool = False) -> list[tuple[str, str | None]]:
    """What keeps an endpoint from Mozilla's intermediate configuration, each with the check that owns it.

    The owner is the dedicated check that already judges that fact (a legacy
    protocol, a weak suite, a short key, a long lifetime, HSTS) or ``None``
    when only the profile notices it; empty when the endpoint conforms.
    ``hsts_by_web``: the web family judged this site's header (``web.hsts``).
    """
    deviations: list[tuple[str, str | None]] = [
        (f"protocol {p}", PROTOCOL_CHECKS.get(p)) for p in offered_protocols(endpoint) if p not in profile["protocols"]]
    for proto, suite in _suites(endpoint):
        if proto in profile["cipher_suites"] and suite["name"] not in profile["cipher_suites"][proto]:
            owner = "tls.cipher.weak" if suite["weak"] else None if suite["forward_secrecy"] else \
                "tls.cipher.no_forward_secrecy"
            deviations.append((f"{proto} suite {suite['name']}", owner))
    cert = endpoint.get("certificate") or {}
    if cert.get("chain"):
        leaf = cert["chain"][0]
        key = f"{leaf['key_type']} {leaf['key_curve'] or leaf['key_bits']}"
        allowed_rsa = leaf["key_type"] == "RSA" and (leaf["key_bits"] or 0) >= profile["rsa_min_bits"]
        if not allowed_rsa and not (leaf["key_type"] == "EC" and leaf["key_curve"] in profile["ec_curves"]):
            deviations.append((f"certificate key {key}", "tls.cert.weak_key" if _weak_key(leaf) else None))
        lifetime = _days((_time(leaf["not_after"]) - _time(leaf["not_before"])).total_seconds())
        if lifetime > profile["max_certificate_lifetime_days"]:
            owner = "tls.cert.lifetime" if lifetime > MOZILLA_LIFETIME_DAYS else None
            deviations.append((f"certificate lifetime {lifetime} days", owner))
    hsts = endpoint.get("hsts")
    if hsts and hsts.get("checked") and not hsts.get("present"):
        deviations.append(("no HSTS header", "web.hsts" if hsts_by_web else "tls.hsts.missing"))
    elif hsts and hsts.get("checked") and (hsts.get("max_age") or 0) < profile["hsts_max_age"]:
        short = (hsts.get("max_age") or 0) < HSTS_MIN_SECONDS
        owner = ("web.hsts" if hsts_by_web else "tls.hsts.short") if short else None
        deviations.append((f"HSTS max-age {hsts.get('max_age') or 0} < {profile['hsts_max_age']}", owner))
    return deviations


@host_endpoint_check("tls.profile.mozilla_intermediate")
def profile_mozilla_intermediate(endpoint: Endpoint, target: Target, ctx: JudgeContext) -> Verdict:
    """Fails on what only the profile notices; a deviation another check judges is named there, not again here."""
    if all(v is None for v in endpoint["protocols"].values()):
        return not_tested(endpoint, *PROTOCOL_COMMANDS.values())
    profile = mozilla_intermediate()
    deviations = profile_deviations(endpoint, profile, hsts_by_web=web_judges_hsts(endpoint, target, ctx))
    own = [text for text, owner in deviations if owner is None]
    see = [f"{text} (→ {owner})" for text, owner in deviations if owner is not None]
    if own:
        return failed(deviations=own, see=see or ["-"], profile_version=profile["version"])
    if see:
        return not_applicable(message="judged_elsewhere", see=see, profile_version=profile["version"])
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
