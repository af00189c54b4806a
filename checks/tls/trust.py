"""Whether a received chain leads to a trust anchor, decided as real clients decide it.

sslyze validates with ``cryptography``'s verifier, which applies the strict
RFC 5280 / CA/Browser Forum profile: it rejects a root without keyUsage and
a leaf without an Authority Key Identifier — exactly what ``openssl req
-x509`` and many small offices' internal CAs produce — although curl,
browsers on Linux, nginx as a client and ``openssl verify`` all accept such
chains.  Calling them "untrusted" is a false alarm, so the trust verdict
here comes from OpenSSL's own ``X509_verify_cert`` (through pyOpenSSL, on
the OpenSSL ``cryptography`` ships) with the flags a TLS client uses:

- default, non-strict checks (no ``X509_STRICT``), as curl and ``openssl verify``;
- the SSL-server purpose, as ``SSL_CTX`` sets it for a client verifying a server;
- partial chains: an intermediate the office put in ``tls_ca_file`` is an
  anchor, as in curl's default (``CURLSSLOPT_NO_PARTIALCHAIN`` unset);
- no time check: the validity dates are judged once, by ``tls.cert.expired``.

The name is not checked here either (``tls.cert.hostname_mismatch`` owns it).
The strict profile's opinion is kept beside the verdict as evidence for
``tls.cert.chain_conformance``; :func:`readable` turns the OIDs in its
messages into names.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.bindings.openssl.binding import Binding
from cryptography.utils import CryptographyDeprecationWarning
from OpenSSL import crypto

# Every public trust store sslyze ships (and most systems' bundles) holds an old root with a
# non-positive serial; loading it makes cryptography warn on each TLS scan, on stderr, in the
# nightly log.  The fact matters only for a scanned server's own chain, and there it is
# recorded (``serial_positive``) and judged by tls.cert.chain_conformance, not printed.
warnings.filterwarnings("ignore", message="Parsed a serial number which wasn't positive",
                        category=CryptographyDeprecationWarning)

_LIB = Binding.lib
_NO_CHECK_TIME = 0x200000
"""``X509_V_FLAG_NO_CHECK_TIME`` (OpenSSL ≥ 1.1.0); pyOpenSSL's enum does not list it."""


@dataclass(frozen=True)
class Verification:
    """OpenSSL's verdict on one chain against one set of anchors."""

    trusted: bool
    error: str | None
    verified_chain: tuple[x509.Certificate, ...]
    """Leaf first, the anchor last; empty when not trusted."""


def anchors_from_file(path: str) -> tuple[crypto.X509, ...]:
    """Every certificate in a PEM bundle (a trust store file or ``tls_ca_file``), parsed once per version.

    Keyed by modification time too: a long-lived worker must see the office's renewed CA file.
    """
    stat = Path(path).stat()
    return _anchors(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _anchors(path: str, mtime_ns: int, size: int) -> tuple[crypto.X509, ...]:
    data = Path(path).read_bytes()
    return tuple(crypto.X509.from_cryptography(cert) for cert in x509.load_pem_x509_certificates(data))


def _store(anchors: tuple[crypto.X509, ...]) -> crypto.X509Store:
    store = crypto.X509Store()
    for anchor in anchors:
        store.add_cert(anchor)
    store.set_flags(crypto.X509StoreFlags.PARTIAL_CHAIN | _NO_CHECK_TIME)
    # pyOpenSSL exposes no purpose setter; this is the call SSL_CTX makes for a client
    _LIB.X509_STORE_set_purpose(store._store, _LIB.X509_PURPOSE_SSL_SERVER)  # noqa: SLF001
    return store


def verify(chain: list[x509.Certificate], anchors: tuple[crypto.X509, ...]) -> Verification:
    """Whether ``chain`` (leaf first, as the server sent it) leads to one of ``anchors``."""
    if not anchors:
        return Verification(False, "the trust store is empty", ())
    leaf, *untrusted = [crypto.X509.from_cryptography(cert) for cert in chain]
    context = crypto.X509StoreContext(_store(anchors), leaf, untrusted)
    try:
        verified = context.get_verified_chain()
    except crypto.X509StoreContextError as exc:
        _code, depth, text = exc.errors  # OpenSSL's error code, the depth it failed at, its text
        return Verification(False, f"{text} (depth {depth}: {'leaf' if depth == 0 else 'issuer'})", ())
    return Verification(True, None, tuple(cert.to_cryptography() for cert in verified))


#: OIDs of RFC 5280 extensions and key purposes, which strict verifiers print bare.
OID_NAMES = {
    "2.5.29.14": "subjectKeyIdentifier",
    "2.5.29.15": "keyUsage",
    "2.5.29.17": "subjectAltName",
    "2.5.29.19": "basicConstraints",
    "2.5.29.30": "nameConstraints",
    "2.5.29.31": "cRLDistributionPoints",
    "2.5.29.32": "certificatePolicies",
    "2.5.29.35": "authorityKeyIdentifier",
    "2.5.29.37": "extendedKeyUsage",
    "1.3.6.1.5.5.7.1.1": "authorityInfoAccess",
    "1.3.6.1.5.5.7.3.1": "serverAuth",
    "1.3.6.1.5.5.7.3.2": "clientAuth",
    "1.3.6.1.5.5.7.3.3": "codeSigning",
    "1.3.6.1.5.5.7.3.4": "emailProtection",
    "1.3.6.1.5.5.7.3.8": "timeStamping",
    "1.3.6.1.5.5.7.3.9": "OCSPSigning",
    "2.5.29.37.0": "anyExtendedKeyUsage",
}
_OID = re.compile(r"\b\d+(?:\.\d+){3,}\b")
_CERT_REPR = re.compile(r"<Certificate\(subject=<Name\((.*?)\)>, \.\.\.\)>")


def oid_name(dotted: str) -> str:
    """A readable name for an OID; an unknown one says what it is rather than standing bare."""
    return OID_NAMES.get(dotted) or f"unregistered identifier {dotted}"


def readable(message: str | None) -> str | None:
    """A verifier's message with every dotted OID replaced by its name."""
    if message is None:
        return None
    return _CERT_REPR.sub(r"\1", _OID.sub(lambda match: oid_name(match.group(0)), message))
