"""Domain expiry and script domains against a local RDAP registry (fixture files) and a real nginx page.

The registry runs outside the authorised scope on purpose: it is a declared
external data source, not a target.  What it received is recorded and
checked — only registrable domain names, nothing of the office's hosts.
"""

from __future__ import annotations

import time

import pytest
import yaml

from auditor.demo.nginx import RunningNginx, StaticSite
from auditor.demo.services import free_port
from auditor.inventory import load_inventory
from auditor.rdap import Bootstrap, load_bootstrap, lookup
from auditor.registry import default_registry
from auditor.scan import ScanOptions, run_scan

from hostile.scope_lab import Decoy
from rdap_lab import RdapLab, fixture

pytestmark = pytest.mark.probe
WWW, REGISTRY, DECOY = "127.0.28.10", "127.0.28.200", "127.0.28.99"
SCOPE = "127.0.28.0/26"  # the registry at .200 and the decoy at .99 are outside it
DOMAINS = {  # registrable domain → days to expiry
    "gmina-wolka.pl": 400, "gmina-stara.pl": 30, "bip-wolka.pl": 5, "gmina-dawna.pl": -12, "ug-wolka.pl": 270,
    "cdn-gminy.com": 600, "old-widget.net": -60,
}
HOME = """<!DOCTYPE html><html lang="pl"><head><title>Urząd Gminy Wólka</title>
<script src="/js/app.js"></script>
<script src="https://www.gmina-wolka.pl/js/menu.js"></script>
<script src="https://static.gmina-wolka.pl/x.js"></script>
<script src="https://cdn.cdn-gminy.com/lib/jquery-3.7.1.min.js"></script>
<script src="//stats.licznik-odwiedzin.com/c.js" async></script>
<script src='https://widget.old-widget.net/w.js'></script>
<script src="https://maps.mapy-gminy.eu/m.js"></script>
<script src="http://{decoy}/evil.js"></script>
</head><body><h1>Gmina Wólka</h1></body></html>"""


def write_inventory(folder, port: int, bootstrap, **settings) -> object:
    names = ["gmina-wolka.pl", "poczta.gmina-wolka.pl", "gmina-stara.pl", "bip-wolka.pl", "gmina-dawna.pl",
             "ug-wolka.pl", "gmina-wolka-nowa.pl", "www.gmina-wolka.eu", "bip.gmina.waw.pl"]
    path = folder / "gmina.yaml"
    path.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Wólka", "kind": "gmina"},
        "scope": {"cidrs": [SCOPE], "domains": names},
        "settings": {"timeout": 20, "rdap_bootstrap": bootstrap.name, **settings},
        "hosts": [{"name": "www.gmina-wolka.pl", "addresses": [WWW], "roles": ["www"],
                   "ports": [{"port": port, "service": "http"}]}],
        "domains": [{"name": name, "mail": False} for name in names],
    }, allow_unicode=True))
    return path


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rdap")
    decoy = Decoy(DECOY)
    registry = RdapLab(REGISTRY, {name: fixture(name, days) for name, days in DOMAINS.items()},
                       redirect_to=f"http://{DECOY}:{decoy.port}")
    bootstrap = registry.bootstrap(folder / "dns.json", {"pl": "ok", "com": "ok", "net": "ok", "waw.pl": "broken"})
    (folder / "www").mkdir()
    (folder / "www" / "index.html").write_text(HOME.format(decoy=f"{DECOY}:{decoy.port}"), encoding="utf-8")
    port = free_port(WWW)
    nginx = RunningNginx(folder / "nginx", [StaticSite(WWW, port, folder / "www")])
    yield folder, registry, bootstrap, port, decoy
    nginx.stop()
    registry.stop()
    decoy.close()


@pytest.fixture(scope="module")
def scanned(lab):
    folder, registry, bootstrap, port, _ = lab
    inventory = write_inventory(folder, port, bootstrap)
    return run_scan(load_inventory(inventory), default_registry(), ScanOptions(families={"hygiene", "cms"}))


def statuses(run, check_id: str) -> dict[str, tuple[str, str]]:
    return {f.subject: (f.status.value, f.severity.value) for f in run.findings if f.check_id == check_id}


def test_each_registration_state_gets_its_verdict(scanned) -> None:
    found = statuses(scanned, "hygiene.domain.expiry")
    assert found == {
        "gmina-wolka.pl": ("pass", "high"),
        "gmina-stara.pl": ("warn", "medium"),
        "bip-wolka.pl": ("fail", "high"),
        "gmina-dawna.pl": ("fail", "critical"),  # redemption period + client hold
        "ug-wolka.pl": ("fail", "critical"),  # server hold, though not yet expired
        "gmina-wolka-nowa.pl": ("fail", "critical"),  # 404: not registered
        "gmina-wolka.eu": ("manual", "high"),  # no RDAP service for .eu in the bootstrap
        "gmina.waw.pl": ("manual", "high"),  # its registry answers 500
    }


def test_the_texts_name_the_date_the_state_and_the_failing_registry(scanned) -> None:
    by_subject = {f.subject: f for f in scanned.findings if f.check_id == "hygiene.domain.expiry"}
    assert "za 5 dni" in by_subject["bip-wolka.pl"].message["pl"] or "za 4 dni" in by_subject["bip-wolka.pl"].message["pl"]
    assert "redemption period" in by_subject["gmina-dawna.pl"].message["pl"]
    assert "nie jest zarejestrowana" in by_subject["gmina-wolka-nowa.pl"].message["pl"]
    assert "HTTP 500" in by_subject["gmina.waw.pl"].message["pl"] and ".eu" in by_subject["gmina-wolka.eu"].message["pl"]


def test_script_domains_anyone_can_register_are_critical(scanned) -> None:
    found = statuses(scanned, "hygiene.script_domain.unregistered")
    assert found == {
        "cdn-gminy.com": ("pass", "critical"),
        "licznik-odwiedzin.com": ("fail", "critical"),  # 404 at the registry
        "old-widget.net": ("fail", "high"),  # in redemption
        "mapy-gminy.eu": ("manual", "critical"),
    }
    unregistered = next(f for f in scanned.findings if f.subject == "licznik-odwiedzin.com")
    assert unregistered.facts["page"].startswith("http://www.gmina-wolka.pl")


def test_the_registry_received_only_registrable_domain_names(scanned, lab) -> None:
    _, registry, _, _, decoy = lab
    paths = sorted(r["path"] for r in registry.requests)
    expected = sorted([f"/ok/domain/{name}" for name in (
        "gmina-wolka.pl", "gmina-stara.pl", "bip-wolka.pl", "gmina-dawna.pl", "ug-wolka.pl", "gmina-wolka-nowa.pl",
        "cdn-gminy.com", "licznik-odwiedzin.com", "old-widget.net")] + ["/broken/domain/gmina.waw.pl"])
    assert paths == expected  # poczta.gmina-wolka.pl is asked as gmina-wolka.pl, once (cached)
    for request in registry.requests:
        sent = " ".join(f"{k}: {v}" for k, v in request["headers"].items()).lower()
        assert "cookie" not in sent and "referer" not in sent and WWW not in sent and "www.gmina-wolka.pl" not in sent
    assert decoy.total == 0  # a script on an out-of-scope address is read as text, never fetched


def test_the_page_was_read_once_by_the_cms_probe_and_reused(scanned) -> None:
    cms = next(a for a in scanned.attempts if a.probe == "cms")
    assert cms.evidence["script_domains_named"] == 4
    assert [a.probe for a in scanned.attempts if a.target_id == "host:www.gmina-wolka.pl"].count("cms") == 1


def test_offline_asks_no_registry_and_passes_nothing(lab, tmp_path) -> None:
    folder, registry, bootstrap, port, _ = lab
    before = len(registry.requests)
    inventory = write_inventory(folder, port, bootstrap)
    run = run_scan(load_inventory(inventory), default_registry(), ScanOptions(families={"hygiene", "cms"}, offline=True))
    assert len(registry.requests) == before
    judged = [f for f in run.findings if f.check_id.startswith("hygiene.domain") or "script_domain" in f.check_id]
    assert judged and {f.status.value for f in judged} == {"manual"}


def test_a_hostile_registry_is_cut_off_in_time_and_size(lab) -> None:
    folder, registry, _, _, decoy = lab
    bootstrap = load_bootstrap(str(registry.bootstrap(folder / "hostile.json", {"slow": "slow", "huge": "huge",
                                                                                "redir": "redirect"})))
    started = time.monotonic()
    slow = lookup("gmina.slow", bootstrap, timeout=2.0)
    slow_s = time.monotonic() - started
    started = time.monotonic()
    huge = lookup("gmina.huge", bootstrap, timeout=5.0)
    huge_s = time.monotonic() - started
    assert slow["outcome"] == "error" and "deadline" in slow["error"] and slow_s < 3.0
    assert huge["outcome"] == "error" and "larger than" in huge["error"] and huge_s < 3.0
    bounced = lookup("gmina.redir", bootstrap, timeout=3.0)
    assert bounced["outcome"] == "error" and bounced["error"] == "HTTP 302" and decoy.total == 0


def test_the_bootstrap_picks_the_longest_label_match_and_prefers_https() -> None:
    bootstrap = Bootstrap.parse({"services": [[["pl"], ["http://a.example/", "https://b.example/rdap"]],
                                              [["waw.pl"], ["https://c.example/"]]]}, "test")
    assert bootstrap.server_for("gmina.pl") == "https://b.example/rdap/"
    assert bootstrap.server_for("um.waw.pl") == "https://c.example/"
    assert bootstrap.server_for("gmina.eu") is None
