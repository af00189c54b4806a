"""The ``tls`` probe: every TLS endpoint of a host scanned at once, on sslyze's plugins.

Endpoints are the host's declared ports speaking TLS from the first byte or
via STARTTLS (the inventory infers both from well-known ports), on every
declared address.  sslyze connects to the declared address and sends the
host's name as SNI, so the certificate is judged for the name users type.
Each endpoint is run by ``checks.tls.runner``: one connectivity test, sslyze's
own plugins for certificates and vulnerabilities, and cipher suites
enumerated by elimination (``checks.tls.elimination``: accepted + 1
handshakes per protocol instead of one per candidate suite).  Only the scan
commands the checks read are run (no session resumption, early data, EMS or
elliptic-curve tests: the last was one handshake per curve, a fifth of a
scan's CPU, for a fact no check read; ``tests/tls/test_scan_commands.py``
keeps an unread command from coming back).  The facts are turned into plain JSON by ``checks.tls.facts``;
``cipher_suite_order`` adds the server's picks per protocol, in order.
"""

from __future__ import annotations

import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from auditor.checks.tls.family import FAMILY
from auditor.model import Evidence, PortSpec, Target, TlsMode
from auditor.plugin import Probe, ProbeContext, ProbeInputError, ProbeUnreachable

# sslyze (and nassl, OpenSSL) load only when a scan runs: ``checks.tls.runner``
# is imported by ``collect``, so listing checks or planning a scan stays fast.

#: Inventory service name → sslyze's STARTTLS dialect (``ProtocolWithOpportunisticTlsEnum`` values).
STARTTLS_PROTOCOLS: dict[str, str] = {
    "smtp": "SMTP",
    "submission": "SMTP",
    "imap": "IMAP",
    "pop3": "POP3",
    "ftp": "FTP",
    "ldap": "LDAP",
    "xmpp": "XMPP",
    "postgres": "POSTGRES",
    "postgresql": "POSTGRES",
    "rdp": "RDP",
}

#: sslyze's dialect for a port when the service is not named (its ``from_default_port`` table).
STARTTLS_DEFAULT_PORTS: dict[int, str] = {
    25: "SMTP", 587: "SMTP", 5222: "XMPP", 5269: "XMPP_SERVER", 109: "POP3", 110: "POP3", 143: "IMAP",
    220: "IMAP", 21: "FTP", 389: "LDAP", 3268: "LDAP", 3389: "RDP", 5432: "POSTGRES",
}

#: What every endpoint is scanned for (sslyze ``ScanCommand`` values); ``http_headers`` is added for HTTPS only.
SCAN_COMMANDS = frozenset({
    "certificate_info",
    "ssl_2_0_cipher_suites",
    "ssl_3_0_cipher_suites",
    "tls_1_0_cipher_suites",
    "tls_1_1_cipher_suites",
    "tls_1_2_cipher_suites",
    "tls_1_3_cipher_suites",
    "tls_compression",
    "tls_fallback_scsv",
    "heartbleed",
    "openssl_ccs_injection",
    "robot",
    "session_renegotiation",
})

DEFAULT_CONNECTIONS_PER_ENDPOINT = 5
"""sslyze's own default; ``tls_connections_per_endpoint`` in settings changes it."""


@dataclass(frozen=True)
class Endpoint:
    address: str
    port: int
    service: str | None
    mode: TlsMode
    starttls: str | None
    """sslyze's dialect name (``SMTP`` …) for a STARTTLS port."""

    @property
    def subject(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"{host}:{self.port}"

    @property
    def is_https(self) -> bool:
        return self.service == "https"


def tls_endpoints(target: Target) -> list[Endpoint]:
    """Every (address, TLS port) pair of a host; STARTTLS ports with an unknown dialect are kept, unscanned."""
    ports = [p for p in target.ports if p.protocol == "tcp" and p.tls in (TlsMode.IMPLICIT, TlsMode.STARTTLS)]
    return [Endpoint(address, p.port, p.service, p.tls, _starttls(p)) for address in target.addresses for p in ports]


def _starttls(port: PortSpec) -> str | None:
    if port.tls is not TlsMode.STARTTLS:
        return None
    return STARTTLS_PROTOCOLS.get(port.service or "") or STARTTLS_DEFAULT_PORTS.get(port.port)


def network_limits(timeout: float) -> tuple[int, int]:
    """Per-connection timeout and retries that fit inside the probe's time budget."""
    return max(2, min(10, int(timeout / 10))), 2 if timeout >= 30 else 1


@FAMILY.probe
class TlsProbe(Probe):
    name = "tls"
    target_kinds = frozenset({"host"})

    def applies(self, target: Target) -> bool:
        return super().applies(target) and bool(tls_endpoints(target))

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        for address in target.addresses:
            ctx.scope.require_address(address)
        from auditor.checks.tls import runner

        endpoints = tls_endpoints(target)
        results = _scan(target, endpoints, ctx)
        facts = [_describe(endpoint) | results[endpoint] for endpoint in endpoints]
        if facts and not any(f["reachable"] for f in facts):
            errors = "; ".join(f"{f['subject']}: {f['error']}" for f in facts)
            raise ProbeUnreachable(f"no TLS endpoint of {target.name} answered ({errors})")
        return {
            "scanner": "sslyze",
            "sslyze_version": runner.SSLYZE_VERSION,
            "cipher_suite_enumeration": ctx.settings.get("tls_suite_enumeration", "elimination"),
            "hostname": target.name,
            "custom_ca_file": bool(ctx.settings.get("tls_ca_file")),
            "endpoints": facts,
        }


def _scan(target: Target, endpoints: list[Endpoint], ctx: ProbeContext) -> dict[Endpoint, dict[str, Any]]:
    """Facts per endpoint, all endpoints of the host at once."""
    from auditor.checks.tls import runner

    try:
        extra = runner.extra_arguments(ctx.settings.get("tls_ca_file"))
    except ValueError as exc:
        raise ProbeInputError(f"settings.tls_ca_file: {exc}") from exc
    if len(endpoints) <= 1:
        return {endpoint: _scan_one(target, endpoint, ctx, extra) for endpoint in endpoints}
    with ThreadPoolExecutor(max_workers=len(endpoints), thread_name_prefix="tls-probe") as pool:
        futures = {endpoint: pool.submit(_scan_one, target, endpoint, ctx, extra) for endpoint in endpoints}
        return {endpoint: future.result() for endpoint, future in futures.items()}


def _scan_one(target: Target, endpoint: Endpoint, ctx: ProbeContext, extra: Any) -> dict[str, Any]:
    from auditor.checks.tls import runner

    if endpoint.mode is TlsMode.STARTTLS and endpoint.starttls is None:
        return {"reachable": False, "error": f"no STARTTLS dialect known for service {endpoint.service!r}"}
    network_timeout, retries = network_limits(ctx.timeout)
    silence = _silent(endpoint, network_timeout)
    if silence:
        return {"reachable": False, "error": silence}
    return runner.endpoint_scan_facts(runner.EndpointRequest(
        hostname=target.name, address=endpoint.address, port=endpoint.port, starttls=endpoint.starttls,
        commands=SCAN_COMMANDS | ({"http_headers"} if endpoint.is_https else set()),
        network_timeout=network_timeout, retries=retries,
        connections=int(ctx.settings.get("tls_connections_per_endpoint", DEFAULT_CONNECTIONS_PER_ENDPOINT)),
        eliminate=ctx.settings.get("tls_suite_enumeration", "elimination") == "elimination",
    ), extra)


def _silent(endpoint: Endpoint, timeout: float) -> str | None:
    """Why an implicit-TLS port never answers a ClientHello (a tarpit); ``None`` when it answers.

    To find a version the server speaks, sslyze tries about eleven handshakes
    one after another, each waiting its full network timeout, so a port that
    accepts connections and stays silent would hold the probe several times
    past its budget.  One handshake attempt tells such a port apart first;
    any answer, even garbage or a refusal, is left to sslyze to describe.
    """
    if endpoint.mode is not TlsMode.IMPLICIT:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((endpoint.address, endpoint.port), timeout=timeout) as raw:
            with context.wrap_socket(raw, do_handshake_on_connect=False) as tls:
                tls.do_handshake()
    except TimeoutError:
        return f"the port accepts connections but sent nothing within {timeout:.0f} s of a TLS ClientHello"
    except OSError:  # refused, reset, or a TLS alert / garbage: sslyze says which
        return None
    return None


def _describe(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "subject": endpoint.subject,
        "address": endpoint.address,
        "port": endpoint.port,
        "service": endpoint.service,
        "starttls": endpoint.starttls.lower() if endpoint.starttls else None,
        "https": endpoint.is_https,
    }
