"""Runs one endpoint's scan commands on sslyze's plugins, with cipher suites enumerated by elimination.

sslyze's ``Scanner`` would test every candidate suite with a handshake of its
own (533 per endpoint).  This runner does what the ``Scanner`` does for one
endpoint — one connectivity test, then every scan command's jobs on a pool of
``connections`` threads, the results folded by each plugin's own
``result_for_completed_scan_jobs`` into sslyze's ``AllScanCommandsAttempts``,
errors read as the ``Scanner`` reads them — except that the six cipher-suite
commands are answered by ``checks.tls.elimination`` (accepted + 1 handshakes
per protocol).  ``checks.tls.facts`` reads the attempts unchanged.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path
from traceback import TracebackException
from typing import Any

from nassl.ssl_client import ClientCertificateRequested
from sslyze import (
    AllScanCommandsAttempts,
    CertificateInfoExtraArgument,
    ProtocolWithOpportunisticTlsEnum,
    ScanCommand,
    ScanCommandAttemptStatusEnum,
    ScanCommandErrorReasonEnum,
    ScanCommandsExtraArguments,
    ServerNetworkConfiguration,
    ServerNetworkLocation,
)
from sslyze.errors import ConnectionToServerFailed, ConnectionToServerTimedOut, \
    ServerRejectedOpportunisticTlsNegotiation, ServerRejectedTlsHandshake, TlsHandshakeTimedOut
from sslyze.plugins.plugin_base import ScanCommandWrongUsageError, ScanJobResult
from sslyze.plugins.scan_commands import ScanCommandsRepository
from sslyze.scanner.models import get_scan_command_attempt_cls
from sslyze.scanner.scan_command_attempt import ScanCommandAttempt
from sslyze.__version__ import __version__ as SSLYZE_VERSION
from sslyze.server_connectivity import ServerConnectivityInfo, TlsVersionEnum, check_connectivity_to_server

from auditor.checks.tls.elimination import Enumeration, enumerate_cipher_suites
from auditor.checks.tls.facts import PROTOCOLS, endpoint_facts, trace_text

__all__ = ["SSLYZE_VERSION", "EndpointRequest", "endpoint_scan_facts", "extra_arguments", "scan_endpoint"]

#: The cipher-suite scan commands the elimination answers, and their protocol.
SUITE_COMMANDS: dict[ScanCommand, TlsVersionEnum] = {
    ScanCommand.SSL_2_0_CIPHER_SUITES: TlsVersionEnum.SSL_2_0,
    ScanCommand.SSL_3_0_CIPHER_SUITES: TlsVersionEnum.SSL_3_0,
    ScanCommand.TLS_1_0_CIPHER_SUITES: TlsVersionEnum.TLS_1_0,
    ScanCommand.TLS_1_1_CIPHER_SUITES: TlsVersionEnum.TLS_1_1,
    ScanCommand.TLS_1_2_CIPHER_SUITES: TlsVersionEnum.TLS_1_2,
    ScanCommand.TLS_1_3_CIPHER_SUITES: TlsVersionEnum.TLS_1_3,
}

_CONNECTIVITY_ERRORS = (ConnectionToServerTimedOut, TlsHandshakeTimedOut, ServerRejectedTlsHandshake)

#: sslyze's words (``opportunistic_tls_helpers``) when a server speaks its protocol but offers or accepts no
#: STARTTLS: SMTP's EHLO without it or a refused STARTTLS command, XMPP, and the generic "... TLS was rejected".
STARTTLS_NOT_OFFERED = ("does not support STARTTLS", "STARTTLS rejected", "STARTTLS not supported", "TLS was rejected")


@dataclass
class EndpointScan:
    """What one endpoint's scan gave: sslyze's attempts, or why the endpoint could not be reached."""

    attempts: AllScanCommandsAttempts | None = None
    connectivity_error: TracebackException | None = None
    preference: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The server's picks per cipher-suite command (``tls_1_2_cipher_suites`` …), in order; see ``Enumeration``."""
    handshakes: int = 0
    """Handshakes the cipher-suite enumeration made (the other commands make sslyze's own)."""
    starttls_refused: str | None = None
    """The server answered its protocol but would not start TLS (sslyze's reason); it was reached, not scanned."""


@dataclass(frozen=True)
class EndpointRequest:
    """One endpoint to scan, in plain values (the probe module does not import sslyze)."""

    hostname: str
    """Sent as SNI and judged against the certificate."""
    address: str
    port: int
    starttls: str | None
    """A ``ProtocolWithOpportunisticTlsEnum`` value, or ``None`` for TLS from the first byte."""
    commands: frozenset[str]
    """``ScanCommand`` values."""
    network_timeout: int
    retries: int
    connections: int
    eliminate: bool = True
    """``False``: the cipher-suite commands run as sslyze's own plugin (one handshake per candidate suite)."""


def extra_arguments(ca_file: str | None) -> ScanCommandsExtraArguments:
    """The certificate check's extra trust store; ``ValueError`` when the file is not usable."""
    if not ca_file:
        return ScanCommandsExtraArguments()
    return ScanCommandsExtraArguments(certificate_info=CertificateInfoExtraArgument(custom_ca_file=Path(ca_file)))


def endpoint_scan_facts(request: EndpointRequest, extra: ScanCommandsExtraArguments) -> dict[str, Any]:
    """The endpoint's evidence facts: ``checks.tls.facts`` plus ``cipher_suite_order``, or why it was unreachable."""
    location = ServerNetworkLocation(hostname=request.hostname, port=request.port, ip_address=request.address)
    network = ServerNetworkConfiguration(
        tls_server_name_indication=request.hostname,
        tls_opportunistic_encryption=ProtocolWithOpportunisticTlsEnum(request.starttls) if request.starttls else None,
        network_timeout=request.network_timeout,
        network_max_retries=request.retries,
    )
    scan = scan_endpoint(location, network, {ScanCommand(c) for c in request.commands}, extra, request.connections,
                         request.eliminate)
    if scan.starttls_refused is not None:
        return {"reachable": True, "starttls_offered": False, "error": scan.starttls_refused}
    if scan.attempts is None:
        return {"reachable": False, "error": trace_text(scan.connectivity_error)}
    facts = endpoint_facts(scan.attempts, request.hostname)
    facts["starttls_offered"] = True if request.starttls else None
    facts["cipher_suite_order"] = {PROTOCOLS[name]: list(order) for name, order in scan.preference.items() if order}
    return facts


def scan_endpoint(location: ServerNetworkLocation, network: ServerNetworkConfiguration,
                  commands: set[ScanCommand], extra: ScanCommandsExtraArguments, connections: int,
                  eliminate: bool = True) -> EndpointScan:
    """One connectivity test, then every command on ``connections`` concurrent connections."""
    try:
        probing = check_connectivity_to_server(server_location=location, network_configuration=network)
    except ConnectionToServerFailed as exc:
        refused = isinstance(exc, ServerRejectedOpportunisticTlsNegotiation) and any(
            words in exc.error_message for words in STARTTLS_NOT_OFFERED)
        return EndpointScan(connectivity_error=TracebackException.from_exception(exc),
                            starttls_refused=exc.error_message[:300] if refused else None)
    info = ServerConnectivityInfo(server_location=location, network_configuration=network, tls_probing_result=probing)
    scan = EndpointScan()
    attempts: dict[str, ScanCommandAttempt] = {}
    with ThreadPoolExecutor(max_workers=max(1, connections), thread_name_prefix="tls-endpoint") as pool:
        # the enumerations are sequential chains of handshakes: queued first, they overlap everything else
        enumerations = {command: pool.submit(enumerate_cipher_suites, info, version)
                        for command, version in SUITE_COMMANDS.items() if command in commands and eliminate}
        jobs: dict[ScanCommand, list[Future[Any]]] = {}
        for command in sorted(commands - set(enumerations), key=lambda c: c.value):
            implementation = ScanCommandsRepository.get_implementation_cls(command)
            try:
                planned = implementation.scan_jobs_for_scan_command(
                    server_info=info, extra_arguments=getattr(extra, command.value, None))
            except Exception as exc:  # noqa: BLE001 — the Scanner records it as the command's error
                attempts[command.value] = _error(command, exc, queuing=True)
                continue
            jobs[command] = [pool.submit(job.function_to_call, *job.function_arguments) for job in planned]
        for command, future in enumerations.items():
            attempts[command.value] = _enumeration_attempt(command, future, scan)
        for command, futures in jobs.items():
            attempts[command.value] = _folded(command, info, futures)
    scan.attempts = AllScanCommandsAttempts(**{
        f.name: attempts.get(f.name) or get_scan_command_attempt_cls(ScanCommand(f.name))(
            status=ScanCommandAttemptStatusEnum.NOT_SCHEDULED, error_reason=None, error_trace=None, result=None)
        for f in fields(AllScanCommandsAttempts)})
    return scan


def _enumeration_attempt(command: ScanCommand, future: Future[Enumeration], scan: EndpointScan) -> ScanCommandAttempt:
    try:
        enumeration = future.result()
    except Exception as exc:  # noqa: BLE001 — read as the Scanner reads a failed job
        return _error(command, exc)
    scan.preference[command.value] = enumeration.preference
    scan.handshakes += enumeration.handshakes
    return _completed(command, enumeration.result)


def _folded(command: ScanCommand, info: ServerConnectivityInfo, futures: list[Future[Any]]) -> ScanCommandAttempt:
    """The plugin's own result from its jobs' outcomes, as sslyze's mass scanner makes it."""
    outcomes = []
    for future in futures:
        exception = future.exception()
        outcomes.append(ScanJobResult(_return_value=None if exception else future.result(), _exception=exception))
    implementation = ScanCommandsRepository.get_implementation_cls(command)
    try:
        return _completed(command, implementation.result_for_completed_scan_jobs(
            server_info=info, scan_job_results=outcomes))
    except Exception as exc:  # noqa: BLE001 — read as the Scanner reads it
        return _error(command, exc)


def _completed(command: ScanCommand, result: Any) -> ScanCommandAttempt:
    return get_scan_command_attempt_cls(command)(
        status=ScanCommandAttemptStatusEnum.COMPLETED, error_reason=None, error_trace=None, result=result)


def _error(command: ScanCommand, exc: BaseException, queuing: bool = False) -> ScanCommandAttempt:
    """sslyze's reading of a failed command (``_mass_scanner``): wrong usage, client certificate, network, bug."""
    if queuing and isinstance(exc, ScanCommandWrongUsageError):
        reason = ScanCommandErrorReasonEnum.WRONG_USAGE
    elif isinstance(exc, ClientCertificateRequested):
        reason = ScanCommandErrorReasonEnum.CLIENT_CERTIFICATE_NEEDED
    elif isinstance(exc, _CONNECTIVITY_ERRORS) and not queuing:
        reason = ScanCommandErrorReasonEnum.CONNECTIVITY_ISSUE
    else:
        reason = ScanCommandErrorReasonEnum.BUG_IN_SSLYZE
    return get_scan_command_attempt_cls(command)(
        status=ScanCommandAttemptStatusEnum.ERROR, error_reason=reason,
        error_trace=TracebackException.from_exception(exc), result=None)
