"""Remote facts from recorded nmap NSE output (SMB) and RDP negotiation bytes (SSH, SMB and RDP also run for real)."""

from __future__ import annotations

import struct

from auditor.checks.config.rdpneg import connection_request, layer_facts, parse_confirm
from auditor.checks.config.remote import RdpSecurityProbe, SmbProtocolsProbe, script_sections
from auditor.model import PortSpec, Target

# Output format of nmap 7.9x smb-protocols and rdp-enum-encryption (the text python-nmap returns).
SMB_WITH_V1 = "\n  dialects: \n    NT LM 0.12 (SMBv1) [dangerous, but default]\n    2:0:2\n    2:1:0\n    3:0:0\n    3:0:2\n    3:1:1"
SMB_MODERN = "\n  dialects: \n    2:1:0\n    3:0:0\n    3:0:2\n    3:1:1"
RDP_OPEN = ("\n  Security layer\n    CredSSP (NLA): SUCCESS\n    CredSSP with Early User Auth: SUCCESS\n"
            "    Native RDP: SUCCESS\n    RDSTLS: SUCCESS\n    SSL: SUCCESS\n  RDP Encryption level: Client Compatible\n"
            "    40-bit RC4: SUCCESS\n    56-bit RC4: SUCCESS\n    128-bit RC4: SUCCESS\n    FIPS 140-1: SUCCESS\n"
            "  RDP Protocol Version:  RDP 5.x, 5.1, 5.2, 6.x, 7.x or 8.0 server")

def test_script_sections_split_headings_and_items() -> None:
    sections = script_sections(RDP_OPEN)
    assert sections["Security layer"][2] == "Native RDP: SUCCESS"
    assert sections["RDP Encryption level"][0] == "Client Compatible"
    assert sections["RDP Protocol Version"] == ["RDP 5.x, 5.1, 5.2, 6.x, 7.x or 8.0 server"]


def test_smb_dialects() -> None:
    assert SmbProtocolsProbe().facts({"smb-protocols": SMB_WITH_V1})["smb"]["smb1"] is True
    modern = SmbProtocolsProbe().facts({"smb-protocols": SMB_MODERN})["smb"]
    assert modern == {"dialects": ["2:1:0", "3:0:0", "3:0:2", "3:1:1"], "smb1": False}
    assert SmbProtocolsProbe().facts({}) == {}


def _confirm(kind: int, value: int) -> bytes:
    """An X.224 Connection Confirm with RDP_NEG_RSP (kind 2) or RDP_NEG_FAILURE (kind 3), as a server sends it."""
    return bytes([3, 0, 0, 19, 14, 0xD0, 0, 0, 0x12, 0x34, 0]) + struct.pack("<BBHI", kind, 0, 8, value)


def test_rdp_negotiation_answers() -> None:
    assert connection_request(3) == bytes.fromhex("030000130ee000000000000100080003000000")
    assert parse_confirm(_confirm(2, 1)) == "SSL"
    assert parse_confirm(_confirm(3, 5)) == "refused: HYBRID_REQUIRED_BY_SERVER"
    assert parse_confirm(bytes([3, 0, 0, 11, 6, 0xD0, 0, 0, 0, 0, 0])) == "Native RDP"  # Windows XP: no neg data
    assert parse_confirm(b"garbage") == "no answer"


def test_rdp_nla_required_only_when_legacy_layers_are_refused() -> None:
    windows_nla = {"Native RDP": "refused: HYBRID_REQUIRED_BY_SERVER", "SSL": "refused: HYBRID_REQUIRED_BY_SERVER",
                   "CredSSP (NLA)": "CredSSP (NLA)", "CredSSP with Early User Auth": "CredSSP with Early User Auth"}
    assert layer_facts(windows_nla)["nla_required"] is True
    # xrdp: selects TLS when offered CredSSP, which nmap's script reported as "CredSSP (NLA): SUCCESS"
    xrdp = {"Native RDP": "Native RDP", "SSL": "SSL", "CredSSP (NLA)": "SSL", "CredSSP with Early User Auth": "SSL"}
    assert layer_facts(xrdp) == {"offers": xrdp, "security_layers": ["Native RDP", "SSL"], "nla_required": False}
    windows_open = dict(windows_nla, **{"Native RDP": "Native RDP", "SSL": "SSL"})
    assert layer_facts(windows_open)["nla_required"] is False


def test_probes_apply_to_declared_ports_of_their_service() -> None:
    host = Target("host:fs", "host", "fs", addresses=("127.0.0.1",),
                  ports=(PortSpec(445), PortSpec(3390, service="rdp"), PortSpec(80, service="http")))
    assert SmbProtocolsProbe().ports(host) == [445]
    assert RdpSecurityProbe().ports(host) == [3390]


# Recorded from Samba 4.17 (nmap 7.93): smb-protocols lists "NT LM 0.12" for SMBv1, then 202 ... 311.
SAMBA_SIGNING_OPTIONAL = "\n  311: \n    Message signing enabled but not required"
SAMBA_SIGNING_REQUIRED = "\n  311: \n    Message signing enabled and required"


def test_smb_signing_from_smb2_security_mode() -> None:
    probe = SmbProtocolsProbe()
    assert probe.facts({"smb2-security-mode": SAMBA_SIGNING_REQUIRED})["smb"]["signing_required"] is True
    optional = probe.facts({"smb-protocols": SMB_MODERN, "smb2-security-mode": SAMBA_SIGNING_OPTIONAL})["smb"]
    assert optional["signing_required"] is False and optional["smb1"] is False
    assert probe.facts({}) == {}
