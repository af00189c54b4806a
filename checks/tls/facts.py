"""sslyze results → the plain JSON facts stored as evidence.

Each scan command that failed leaves its fact as ``None`` and its reason in
``scan_errors``, so a check can tell "not vulnerable" from "not tested".
"""

from __future__ import annotations

from traceback import TracebackException
from typing import Any

from sslyze import (
    AllScanCommandsAttempts,
    CertificateDeploymentAnalysisResult,
    CipherSuitesScanResult,
    PathValidationResult,
    RobotScanResultEnum,
    ScanCommandAttempt,
    ScanCommandAttemptStatusEnum,
)

from auditor.checks.tls.certfacts import certificate_facts, hostname_matches, validation_subject
from auditor.checks.tls.suites import classify
from auditor.checks.tls.trust import Verification, anchors_from_file, readable, verify

#: Protocol labels used in evidence, checks and the grade, oldest first.
PROTOCOLS = {
    "ssl_2_0_cipher_suites": "SSLv2",
    "ssl_3_0_cipher_suites": "SSLv3",
    "tls_1_0_cipher_suites": "TLSv1.0",
    "tls_1_1_cipher_suites": "TLSv1.1",
    "tls_1_2_cipher_suites": "TLSv1.2",
    "tls_1_3_cipher_suites": "TLSv1.3",
}

_ROBOT_VULNERABLE = (RobotScanResultEnum.VULNERABLE_STRONG_ORACLE, RobotScanResultEnum.VULNERABLE_WEAK_ORACLE)


def trace_text(trace: TracebackException | None) -> str:
    if trace is None:
        return "unknown error"
    return "".join(trace.format_exception_only()).strip()[:300]


def _result(attempt: ScanCommandAttempt | None, name: str, errors: dict[str, str]) -> Any:
    """The attempt's result, or ``None`` with the reason noted when the command failed."""
    if attempt is None or attempt.status is ScanCommandAttemptStatusEnum.NOT_SCHEDULED:
        return None
    if attempt.status is ScanCommandAttemptStatusEnum.ERROR:
        errors[name] = f"{attempt.error_reason.value if attempt.error_reason else 'ERROR'}: {trace_text(attempt.error_trace)}"
        return None
    return attempt.result


def _suite_facts(result: CipherSuitesScanResult) -> list[dict[str, Any]]:
    suites = []
    for accepted in result.accepted_cipher_suites:
        suite = accepted.cipher_suite
        facts = classify(suite.name, suite.key_size, suite.is_anonymous)
        key = accepted.ephemeral_key
        facts["ephemeral_key"] = (
            {"type": key.type_name, "bits": key.size, "curve": getattr(key, "curve_name", None)} if key else None
        )
        suites.append(facts)
    return suites


def _trust_entry(strict: PathValidationResult, verdict: Verification) -> dict[str, Any]:
    """One trust store: OpenSSL's verdict (what clients do) and the strict RFC 5280 profile's, side by side."""
    store = strict.trust_store
    return {"store": store.name, "version": store.version, "trusted": verdict.trusted, "error": verdict.error,
            "strict_trusted": strict.was_validation_successful, "strict_error": readable(strict.validation_error)}


def _verify_for(result: PathValidationResult, pem: list[str], subject: Any) -> PathValidationResult:
    """The chain validated for ``subject``; a verifier refusing the certificate's content is a failed validation."""
    try:
        return result.trust_store.verify_certificate_chain(pem, subject)
    except ValueError as exc:
        return PathValidationResult(trust_store=result.trust_store, verified_certificate_chain=None,
                                    validation_error=f"certificate not verifiable: {exc}")


def _certificate(deployment: CertificateDeploymentAnalysisResult, hostname: str) -> dict[str, Any]:
    received = deployment.received_certificate_chain
    chain = [certificate_facts(cert) for cert in received]
    matches = hostname_matches(chain[0], hostname)
    results = deployment.path_validation_results
    subject = validation_subject(chain[0])
    if not matches and subject is not None:
        # sslyze validated for our hostname, which the certificate does not carry: judge the chain on its own
        pem = deployment.received_certificate_chain_as_pem
        results = [_verify_for(r, pem, subject) for r in results]
    verdicts = [verify(received, anchors_from_file(str(r.trust_store.path))) for r in results]
    trust = [_trust_entry(result, verdict) for result, verdict in zip(results, verdicts)]
    verified = next((v.verified_chain for v in verdicts if v.trusted), ())
    ocsp = deployment.ocsp_response
    return {
        "chain": chain,
        "verified_chain": [certificate_facts(cert) for cert in verified],
        "hostname": hostname,
        "hostname_match": matches,
        "trust": trust,
        "trusted": any(t["trusted"] for t in trust),
        "verifier": "openssl",
        "chain_order_valid": deployment.received_chain_has_valid_order,
        "ocsp_stapled": ocsp is not None,
        "ocsp_status": ocsp.response_status.name if ocsp is not None else None,
        "ocsp_trusted": deployment.ocsp_response_is_trusted,
        "ocsp_must_staple": deployment.leaf_certificate_has_must_staple_extension,
    }


def endpoint_facts(attempts: AllScanCommandsAttempts, hostname: str) -> dict[str, Any]:
    """Everything the checks read about one reachable endpoint."""
    errors: dict[str, str] = {}
    protocols: dict[str, bool | None] = {}
    suites: dict[str, list[dict[str, Any]]] = {}
    for field, label in PROTOCOLS.items():
        result = _result(getattr(attempts, field), field, errors)
        protocols[label] = None if result is None else result.is_tls_version_supported
        if result is not None and result.accepted_cipher_suites:
            suites[label] = _suite_facts(result)
    cert_info = _result(attempts.certificate_info, "certificate_info", errors)
    renegotiation = _result(attempts.session_renegotiation, "session_renegotiation", errors)
    heartbleed = _result(attempts.heartbleed, "heartbleed", errors)
    ccs = _result(attempts.openssl_ccs_injection, "openssl_ccs_injection", errors)
    robot = _result(attempts.robot, "robot", errors)
    compression = _result(attempts.tls_compression, "tls_compression", errors)
    fallback = _result(attempts.tls_fallback_scsv, "tls_fallback_scsv", errors)
    deployments = cert_info.certificate_deployments if cert_info else []
    return {
        "reachable": True,
        "error": None,
        "protocols": protocols,
        "cipher_suites": suites,
        "certificate": _certificate(deployments[0], hostname) if deployments else None,
        "vulnerabilities": {
            "heartbleed": heartbleed.is_vulnerable_to_heartbleed if heartbleed else None,
            "ccs_injection": ccs.is_vulnerable_to_ccs_injection if ccs else None,
            "robot": robot.robot_result.value if robot else None,
            "robot_vulnerable": robot.robot_result in _ROBOT_VULNERABLE if robot else None,
            "secure_renegotiation": renegotiation.supports_secure_renegotiation if renegotiation else None,
            "client_renegotiation": renegotiation.is_vulnerable_to_client_renegotiation_dos if renegotiation else None,
            "compression": compression.supports_compression if compression else None,
            "fallback_scsv": fallback.supports_fallback_scsv if fallback else None,
        },
        "hsts": _hsts(attempts),
        "scan_errors": errors,
    }


def _hsts(attempts: AllScanCommandsAttempts) -> dict[str, Any] | None:
    """``None`` for non-HTTPS endpoints; otherwise whether the header came back and what it says."""
    attempt = attempts.http_headers
    if attempt.status is ScanCommandAttemptStatusEnum.NOT_SCHEDULED:
        return None
    errors: dict[str, str] = {}
    result = _result(attempt, "http_headers", errors)
    if result is None or result.http_error_trace is not None:
        return {"checked": False, "error": errors.get("http_headers") or trace_text(result.http_error_trace)}
    header = result.strict_transport_security_header
    return {
        "checked": True,
        "present": header is not None,
        "max_age": header.max_age if header else None,
        "include_subdomains": header.include_subdomains if header else None,
        "preload": header.preload if header else None,
    }
