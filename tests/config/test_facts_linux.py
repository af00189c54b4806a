"""Linux fact derivations on recorded command output (formats of nft 1.0, iptables 1.8)."""

from __future__ import annotations

from typing import Any

from auditor.checks.config.facts_linux import linux_facts

NFT_DEFAULT_DENY = """table inet filter {
\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\tct state established,related accept
\t\tiif "lo" accept
\t\ttcp dport { 22, 443 } accept
\t}
\tchain forward {
\t\ttype filter hook forward priority filter; policy accept;
\t}
}"""
NFT_DOCKER_ONLY = """table ip filter {
\tchain DOCKER-ISOLATION-STAGE-2 {
\t\toifname "docker0" counter packets 0 bytes 0 drop
\t\tcounter packets 0 bytes 0 return
\t}
\tchain FORWARD {
\t\ttype filter hook forward priority filter; policy drop;
\t}
}"""
NFT_FIREWALLD = """table inet firewalld {
\tchain filter_INPUT {
\t\ttype filter hook input priority filter + 10; policy accept;
\t\tct state established,related accept
\t\tjump filter_INPUT_ZONES
\t\treject with icmpx admin-prohibited
\t}
}"""
IPTABLES_OPEN = "-P INPUT ACCEPT\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n-N DOCKER\n-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP"
IPTABLES_RHEL = ("-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n"
                 "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -j REJECT --reject-with icmp-host-prohibited")


def firewall(**outputs: str) -> dict[str, Any]:
    bundle = {"collected_at": "2026-11-27T10:00:00Z",
              "commands": {name: {"rc": 0, "output": text} for name, text in outputs.items()}}
    return linux_facts(bundle).get("firewall", {})


def test_input_chains_decide_not_docker_or_forward_rules() -> None:
    assert firewall(nft_ruleset=NFT_DEFAULT_DENY) == {"enabled": True, "mechanisms": ["nftables"]}
    assert firewall(nft_ruleset=NFT_FIREWALLD)["enabled"] is True
    assert firewall(nft_ruleset=NFT_DOCKER_ONLY, iptables_rules=IPTABLES_OPEN) == {"enabled": False}
    assert firewall(iptables_rules=IPTABLES_RHEL)["mechanisms"] == ["iptables"]
    assert firewall(nft_ruleset="") == {"enabled": False}


def test_unreadable_rules_and_no_service_signal_is_unknown() -> None:
    assert firewall() == {}
    assert firewall(ufw_status="Status: active\n\nTo Action From")["mechanisms"] == ["ufw"]
