"""Cipher suite enumeration by elimination, on sslyze's own connections.

sslyze tests every candidate suite with a handshake of its own: 533
handshakes per endpoint over SSL 2.0 … TLS 1.3, nearly all of them refused.
Elimination offers every candidate at once, records the suite the server
picks, removes it and offers the rest again, until the server refuses:
(accepted + 1) handshakes per protocol, and the order of the picks is the
server's preference order (when it honours its own; a server that follows
the client's order still picks only suites it accepts, so the accepted set
comes out the same either way).

The connections are the ones sslyze's ``openssl_cipher_suites`` plugin
makes: ``ServerConnectivityInfo.get_preconfigured_tls_connection`` with the
same client (nassl's legacy OpenSSL for SSL 2.0 … TLS 1.1 and for the TLS 1.2
suites it knows, the modern one for the other TLS 1.2 suites and for TLS 1.3,
whose suites are set with ``set_ciphersuites``), the same candidate suites
and the same reading of errors (a DH key too small for the client, or a
client certificate request, still means the suite was accepted).  The result
is sslyze's own ``CipherSuitesScanResult``, so the facts and the checks read
it unchanged.  Whenever a pick cannot be attributed to one candidate (an
unknown error, a name the client does not know), the remaining candidates of
that client are tested one by one with sslyze's own
``connect_with_cipher_suite`` — never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from nassl.ssl_client import ClientCertificateRequested, SslClient
from sslyze.connection_helpers.tls_connection import NoCiphersAvailableBugInSSlyze
from sslyze.errors import ServerRejectedTlsHandshake, ServerTlsConfigurationNotSupported, TlsHandshakeTimedOut
from sslyze.plugins.openssl_cipher_suites._test_cipher_suite import (
    CipherSuiteAcceptedByServer,
    CipherSuiteRejectedByServer,
    connect_with_cipher_suite,
)
from sslyze.plugins.openssl_cipher_suites._tls12_workaround import WorkaroundForTls12ForCipherSuites
from sslyze.plugins.openssl_cipher_suites.cipher_suites import (
    _OPENSSL_TO_RFC_NAMES_MAPPING,
    CipherSuite,
    CipherSuitesRepository,
)
from sslyze.plugins.openssl_cipher_suites.implementation import CipherSuitesScanResult
from sslyze.server_connectivity import ServerConnectivityInfo, TlsVersionEnum

_REFUSED = (ServerRejectedTlsHandshake, TlsHandshakeTimedOut, NoCiphersAvailableBugInSSlyze)
"""How a handshake ends when the server accepts none of the offered suites (sslyze reads a timeout so too)."""


@dataclass(frozen=True)
class Enumeration:
    """One protocol's enumeration: sslyze's result, the server's picks in order, and what it cost."""

    result: CipherSuitesScanResult
    preference: tuple[str, ...]
    """IANA names in the order the server picked them; for TLS 1.2 the legacy client's picks come first."""
    handshakes: int


@dataclass
class _Picks:
    accepted: list[CipherSuiteAcceptedByServer]
    rejected: list[CipherSuiteRejectedByServer]
    handshakes: int = 0


def enumerate_cipher_suites(server_info: ServerConnectivityInfo, tls_version: TlsVersionEnum) -> Enumeration:
    """The suites the server accepts for ``tls_version``, found by elimination."""
    picks = _Picks([], [])
    for legacy, candidates in _candidate_groups(tls_version):
        _eliminate(server_info, tls_version, legacy, list(candidates), picks)
    preference = tuple(accepted.cipher_suite.name for accepted in picks.accepted)
    result = CipherSuitesScanResult(
        tls_version_used=tls_version,
        accepted_cipher_suites=sorted(picks.accepted, key=attrgetter("cipher_suite.name"), reverse=True),
        rejected_cipher_suites=sorted(picks.rejected, key=attrgetter("cipher_suite.name"), reverse=True),
    )
    return Enumeration(result, preference, picks.handshakes)


@lru_cache(maxsize=None)
def _candidate_groups(tls_version: TlsVersionEnum) -> tuple[tuple[bool, tuple[CipherSuite, ...]], ...]:
    """sslyze's candidates for the version, split by the nassl client (legacy or not) sslyze tests each with."""
    suites = sorted(CipherSuitesRepository.get_all_cipher_suites(tls_version), key=attrgetter("name"))
    if tls_version is TlsVersionEnum.TLS_1_3:
        return ((False, tuple(suites)),)
    if tls_version is not TlsVersionEnum.TLS_1_2:
        return ((True, tuple(suites)),)
    legacy = tuple(s for s in suites if WorkaroundForTls12ForCipherSuites.requires_legacy_openssl(s.openssl_name))
    modern = tuple(s for s in suites if s not in legacy)
    return tuple((is_legacy, group) for is_legacy, group in ((True, legacy), (False, modern)) if group)


def _eliminate(server_info: ServerConnectivityInfo, tls_version: TlsVersionEnum, legacy: bool,
               remaining: list[CipherSuite], picks: _Picks) -> None:
    """Offer ``remaining`` until refused, moving each pick to ``picks.accepted``; the rest end up rejected."""
    while remaining:
        connection = server_info.get_preconfigured_tls_connection(
            override_tls_version=tls_version, should_use_legacy_openssl=legacy)
        client = connection.ssl_client
        offer = ":".join(suite.openssl_name for suite in remaining)
        if isinstance(client, SslClient) and tls_version is TlsVersionEnum.TLS_1_3:
            client.set_ciphersuites(offer)
        else:
            client.set_cipher_list(offer)
        picks.handshakes += 1
        ephemeral_key = None
        try:
            try:
                connection.connect()
                ephemeral_key = client.get_ephemeral_key()
            except ServerTlsConfigurationNotSupported:  # our client refused the server's DH key: the suite was picked
                pass
            except ClientCertificateRequested:
                ephemeral_key = client.get_ephemeral_key()
            picked = _picked_suite(client, tls_version, remaining)
        except _REFUSED as refusal:
            message = getattr(refusal, "error_message", str(refusal))
            picks.rejected += [CipherSuiteRejectedByServer(cipher_suite=s, error_message=message) for s in remaining]
            return
        except Exception:  # noqa: BLE001 — sslyze's per-suite test reads (or raises) it suite by suite
            picked = None
        finally:
            connection.close()
        if picked is None:
            _one_by_one(server_info, tls_version, remaining, picks)
            return
        picks.accepted.append(CipherSuiteAcceptedByServer(cipher_suite=picked, ephemeral_key=ephemeral_key))
        remaining.remove(picked)


def _picked_suite(client: object, tls_version: TlsVersionEnum, offered: list[CipherSuite]) -> CipherSuite | None:
    """The offered suite the handshake settled on (OpenSSL may name it by an alias of sslyze's name)."""
    try:
        name = client.get_current_cipher_name()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 — no cipher on the session: not attributable
        return None
    rfc_name = name if tls_version is TlsVersionEnum.TLS_1_3 else _OPENSSL_TO_RFC_NAMES_MAPPING[tls_version].get(name)
    return next((s for s in offered if s.openssl_name == name or s.name == rfc_name), None)


def _one_by_one(server_info: ServerConnectivityInfo, tls_version: TlsVersionEnum,
                remaining: list[CipherSuite], picks: _Picks) -> None:
    """sslyze's own method for what elimination could not attribute: one handshake per suite."""
    for suite in remaining:
        picks.handshakes += 1
        try:
            outcome = connect_with_cipher_suite(server_info, tls_version, suite)
        except NoCiphersAvailableBugInSSlyze:  # a suite this client cannot offer at this version, as sslyze skips it
            continue
        if isinstance(outcome, CipherSuiteAcceptedByServer):
            picks.accepted.append(outcome)
        else:
            picks.rejected.append(outcome)
    remaining.clear()
