"""Remote facts from recorded nmap NSE output (SMB and RDP; SSH runs for real in test_ssh_real)."""

from __future__ import annotations

from auditor.checks.config.remote import RdpSecurityProbe, SmbProtocolsProbe, script_sections
from auditor.model import PortSpec, Target

# Output format of nmap 7.9x smb-protocols and rdp-enum-encryption (the text python-nmap returns).
SMB_WITH_V1 = "\n  dialects: \n    NT LM 0.12 (SMBv1) [dangerous, but default]\n    2:0:2\n    2:1:0\n    3:0:0\n    3:0:2\n    3:1:1"
SMB_MODERN = "\n  dialects: \n    2:1:0\n    3:0:0\n    3:0:2\n    3:1:1"
RDP_OPEN = ("\n  Security layer\n    CredSSP (NLA): SUCCESS\n    CredSSP with Early User Auth: SUCCESS\n"
            "    Native RDP: SUCCESS\n    RDSTLS: SUCCESS\n    SSL: SUCCESS\n  RDP Encryption level: Client Compatible\n"
            "    40-bit RC4: SUCCESS\n    56-bit RC4: SUCCESS\n    128-bit RC4: SUCCESS\n    FIPS 140-1: SUCCESS\n"
            "  RDP Protocol Version:  RDP 5.x, 5.1, 5.2, 6.x, 7.x or 8.0 server")
RDP_NLA = ("\n  Security layer\n    CredSSP (NLA): SUCCESS\n    CredSSP with Early User Auth: SUCCESS\n"
           "    RDSTLS: SUCCESS\n  RDP Protocol Version:  RDP 10.6 server")


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


def test_rdp_nla_required_only_when_legacy_layers_are_refused() -> None:
    assert RdpSecurityProbe().facts({"rdp-enum-encryption": RDP_OPEN})["rdp"]["nla_required"] is False
    assert RdpSecurityProbe().facts({"rdp-enum-encryption": RDP_NLA})["rdp"]["nla_required"] is True


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
