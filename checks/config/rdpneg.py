"""RDP security-layer negotiation (MS-RDPBCGR 2.2.1.1 / 2.2.1.2), read from the server's own answer.

nmap's ``rdp-enum-encryption`` counts any negotiation *response* as
success, without reading which protocol the server selected: xrdp, which
has no CredSSP at all, answers a CredSSP offer by selecting TLS and is
printed as "CredSSP (NLA): SUCCESS"; with ``security_layer=tls`` the script
fails outright.  Here each offer is one X.224 Connection Request carrying
an RDP_NEG_REQ, and the fact is what the server selected (or the failure
code it sent), so the layers are the ones the server really accepts.
"""

from __future__ import annotations

import socket
import struct

PROTOCOLS = {0: "Native RDP", 1: "SSL", 2: "CredSSP (NLA)", 4: "RDSTLS", 8: "CredSSP with Early User Auth"}
FAILURES = {1: "SSL_REQUIRED_BY_SERVER", 2: "SSL_NOT_ALLOWED_BY_SERVER", 3: "SSL_CERT_NOT_ON_SERVER",
            4: "INCONSISTENT_FLAGS", 5: "HYBRID_REQUIRED_BY_SERVER", 6: "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER"}
#: What a client offers (requestedProtocols flags), as mstsc does: each offer adds to the previous one.
OFFERS = {"Native RDP": 0, "SSL": 1, "CredSSP (NLA)": 1 | 2, "CredSSP with Early User Auth": 1 | 2 | 8}
MAX_REPLY = 64


def connection_request(requested: int) -> bytes:
    """TPKT + X.224 CR + RDP_NEG_REQ asking for ``requested`` protocols."""
    negotiation = struct.pack("<BBHI", 0x01, 0, 8, requested)
    x224 = bytes([6 + len(negotiation), 0xE0, 0, 0, 0, 0, 0]) + negotiation
    return struct.pack(">BBH", 3, 0, 4 + len(x224)) + x224


def parse_confirm(reply: bytes) -> str:
    """The server's answer as a protocol name, ``"refused: <code>"``, or ``"no answer"``.

    An X.224 Connection Confirm without negotiation data is a pre-2003 server
    that speaks only Standard RDP Security.
    """
    if len(reply) < 11 or reply[0] != 3 or reply[5] & 0xF0 != 0xD0:
        return "no answer"
    if len(reply) < 19:
        return PROTOCOLS[0]
    kind, _, _, value = struct.unpack("<BBHI", reply[11:19])
    if kind == 0x02:
        return PROTOCOLS.get(value, f"protocol {value}")
    if kind == 0x03:
        return f"refused: {FAILURES.get(value, value)}"
    return "no answer"


def negotiate(address: str, port: int, requested: int, timeout: float) -> str:
    """One Connection Request / Confirm exchange."""
    with socket.create_connection((address, port), timeout=timeout) as sock:
        sock.sendall(connection_request(requested))
        reply = b""
        while len(reply) < 4 or len(reply) < struct.unpack(">H", reply[2:4])[0]:
            chunk = sock.recv(MAX_REPLY - len(reply))
            if not chunk or len(reply) >= MAX_REPLY:
                break
            reply += chunk
    return parse_confirm(reply)


def layer_facts(answers: dict[str, str]) -> dict[str, object]:
    """``{offer: answer}`` → the accepted layers and whether NLA is required.

    NLA is required when an offer without CredSSP is refused (Standard RDP
    and TLS alike) and a CredSSP offer selects CredSSP.
    """
    accepted = sorted({answer for answer in answers.values() if answer in PROTOCOLS.values()})
    legacy = [name for name in ("Native RDP", "SSL") if answers.get(name) == name]
    return {"offers": answers, "security_layers": accepted,
            "nla_required": not legacy and any(a.startswith("CredSSP") for a in accepted)}
