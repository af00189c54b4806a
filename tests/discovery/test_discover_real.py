"""``auditor discover`` against a real BIND 9 (zone transfer allowed, reverse zone) and a local crt.sh.

Nothing discovered may be contacted: decoy listeners on the out-of-scope
addresses (a name server and a host named in CT) count what reaches them.
"""

from __future__ import annotations

import json
import os
import random

import pytest
import yaml
from click.testing import CliRunner

from auditor.cli import main
from auditor.demo.bind9 import Bind9
from auditor.demo.services import free_port, http_service

from hostile.scope_lab import Decoy

pytestmark = pytest.mark.probe
#: Decoy addresses differ per run, so two test runs on one machine never fight over port 53.
_RUN = random.Random().randint(2, 250)
NS1, WWW, DECOY_NS, DECOY_HOST = "127.0.0.1", "127.127.40.10", f"127.127.41.{_RUN}", f"127.127.42.{_RUN}"
DOMAIN = "gmina-wolka.test"

ZONE = f"""$TTL 300
@ IN SOA ns1.{DOMAIN}. hostmaster.{DOMAIN}. 2026120101 3600 600 86400 300
@ IN NS ns1.{DOMAIN}.
@ IN NS ns2.{DOMAIN}.
@ IN MX 10 poczta.{DOMAIN}.
ns1 IN A {NS1}
ns2 IN A {DECOY_NS}
www IN A {WWW}
bip IN A 127.127.40.11
poczta IN A 127.127.40.12
esesja IN A 127.127.40.13
sklep IN A {DECOY_HOST}
stary IN CNAME gmina-wolka-old.azurewebsites.net.
_autodiscover._tcp IN SRV 0 0 443 poczta.{DOMAIN}.
"""
REVERSE = f"""$TTL 300
@ IN SOA ns1.{DOMAIN}. hostmaster.{DOMAIN}. 1 3600 600 86400 300
@ IN NS ns1.{DOMAIN}.
1 IN PTR ns1.{DOMAIN}.
20 IN PTR kamera-rynek.{DOMAIN}.
"""
CLOUD = """$TTL 300
@ IN SOA ns.azurewebsites.net. h.azurewebsites.net. 1 3600 600 86400 300
@ IN NS ns.azurewebsites.net.
ns IN A 127.0.0.1
"""
CRT_SH = [  # the shape crt.sh returns for ?q=%25.<domain>&output=json
    {"issuer_ca_id": 183267, "issuer_name": "C=US, O=Let's Encrypt, CN=R3", "common_name": f"bip.{DOMAIN}",
     "name_value": f"bip.{DOMAIN}\nwww.bip.{DOMAIN}", "id": 9012345678, "entry_timestamp": "2026-10-02T08:11:12.345",
     "not_before": "2026-10-02T07:11:12", "not_after": "2026-12-31T07:11:11", "serial_number": "04a1b2", "result_count": 3},
    {"issuer_ca_id": 183267, "issuer_name": "C=US, O=Let's Encrypt, CN=R3", "common_name": f"sklep.{DOMAIN}",
     "name_value": f"sklep.{DOMAIN}", "id": 9012345679, "entry_timestamp": "2026-09-02T08:11:12.345",
     "not_before": "2026-09-02T07:11:12", "not_after": "2026-12-01T07:11:11", "serial_number": "04a1b3", "result_count": 3},
    {"issuer_ca_id": 1397, "issuer_name": "C=PL, O=Certum", "common_name": f"*.{DOMAIN}",
     "name_value": f"*.{DOMAIN}\nrekrutacja.{DOMAIN}", "id": 9012345680, "entry_timestamp": "2025-01-05T10:00:00.000",
     "not_before": "2025-01-05T10:00:00", "not_after": "2026-01-05T10:00:00", "serial_number": "7f01", "result_count": 3},
]


@pytest.fixture(scope="module")
def discovered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("discover")
    port = free_port(NS1)
    privileged = os.geteuid() == 0  # an unprivileged run cannot listen on 53/80/443; the high port still counts
    decoys = [Decoy(DECOY_NS, port)] + [Decoy(address, low) for address, low in
                                        ((DECOY_NS, 53), (DECOY_HOST, 80), (DECOY_HOST, 443)) if privileged]
    started = []
    try:
        named = Bind9(folder / "named", NS1, port, {DOMAIN: ZONE, "40.127.127.in-addr.arpa": REVERSE,
                                                     "azurewebsites.net": CLOUD})
        started.append(named)
        ct = http_service("crt", "127.127.40.250", 0, headers={"Content-Type": "application/json"},
                          body=json.dumps(CRT_SH).encode())
        started.append(ct)
        inventory = folder / "gmina.yaml"
        inventory.write_text(yaml.safe_dump({
            "organisation": {"name": "Gmina Wólka", "kind": "gmina"},
            "scope": {"cidrs": ["127.127.40.0/24", "127.0.0.1/32"], "domains": [DOMAIN]},
            "settings": {"timeout": 20, "dns_resolver": named.resolver_setting},
            "hosts": [{"name": f"www.{DOMAIN}", "addresses": [WWW]}],
        }, allow_unicode=True))
        result = CliRunner().invoke(main, ["discover", str(inventory), "-o", str(folder / "odkryte.yaml"),
                                           "--ct-url", f"http://{ct.address}:{ct.port}/?q=%25.{{domain}}&output=json"])
    finally:
        for service in started:
            service.stop()
        hits = sum(d.total for d in decoys)
        for decoy in decoys:
            decoy.close()
    assert result.exit_code == 0, result.output
    text = (folder / "odkryte.yaml").read_text()
    return yaml.safe_load(text), text, result.output, hits


def names(entries) -> set[str]:
    return {e["name"] for e in entries}


def test_nothing_out_of_scope_is_contacted(discovered) -> None:
    assert discovered[3] == 0


def test_in_scope_names_from_dns_axfr_ptr_and_ct_are_proposed_and_known_ones_not(discovered) -> None:
    draft = discovered[0]
    proposed = names(draft["proposed"])
    assert {f"bip.{DOMAIN}", f"poczta.{DOMAIN}", f"esesja.{DOMAIN}", f"ns1.{DOMAIN}", f"kamera-rynek.{DOMAIN}"} <= proposed
    assert f"www.{DOMAIN}" in names(draft["known"]) and f"www.{DOMAIN}" not in proposed
    sources = {e["name"]: e["sources"] for e in draft["proposed"]}
    assert "ct" in sources[f"bip.{DOMAIN}"] and "mx" in sources[f"poczta.{DOMAIN}"]
    assert "axfr" in sources[f"esesja.{DOMAIN}"] and "ptr" in sources[f"kamera-rynek.{DOMAIN}"]


def test_out_of_scope_names_say_why(discovered) -> None:
    outside = {e["name"]: e for e in discovered[0]["out_of_scope"]}
    assert DECOY_HOST in outside[f"sklep.{DOMAIN}"]["why"]
    assert outside[f"rekrutacja.{DOMAIN}"]["why"] == "no address"  # only in CT: an old certificate


def test_an_open_zone_transfer_is_reported_and_the_out_of_scope_ns_is_not_asked(discovered) -> None:
    transfers = {z["ns"]: z for z in discovered[0]["zone_transfers"] if z["domain"] == DOMAIN}
    assert transfers[f"ns1.{DOMAIN}"]["open"] is True and transfers[f"ns1.{DOMAIN}"]["names"] >= 10
    assert transfers[f"ns2.{DOMAIN}"]["open"] is None and "out of scope" in transfers[f"ns2.{DOMAIN}"]["detail"]
    assert "OTWARTY TRANSFER STREFY" in discovered[2]


def test_a_cname_to_an_unclaimed_cloud_name_is_dangling(discovered) -> None:
    assert discovered[0]["dangling_cnames"] == [{"name": f"stary.{DOMAIN}",
                                                 "cname": "gmina-wolka-old.azurewebsites.net"}]
