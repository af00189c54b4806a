"""Held-out RDAP cases (lead, written 2026-12-02 01:37 from docs/hygiene.md, before the hygiene tests were read).

A local registry serving RDAP answers shaped like NASK's for six Polish office domains through the real
CLI (`auditor scan --only hygiene`), with the bootstrap file pointing at it.  The registry logs every
path it was asked: a registry must receive the registrable domain only (``com.pl`` is a public suffix).
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from auditor.cli import main

TODAY = dt.datetime.now(dt.timezone.utc)


def _answer(name: str, expires_in_days: int, status: list[str]) -> dict:
    expiry = (TODAY + dt.timedelta(days=expires_in_days)).replace(microsecond=0)
    return {
        "rdapConformance": ["rdap_level_0", "icann_rdap_response_profile_0"],
        "objectClassName": "domain",
        "handle": name.upper().replace(".", "_") + "-NASK",
        "ldhName": name,
        "status": status,
        "events": [
            {"eventAction": "registration", "eventDate": "2003-04-11T09:12:44+02:00"},
            {"eventAction": "last changed", "eventDate": "2026-03-02T11:00:00+01:00"},
            {"eventAction": "expiration", "eventDate": expiry.astimezone(
                dt.timezone(dt.timedelta(hours=1))).isoformat()},
        ],
        "entities": [{"objectClassName": "entity", "roles": ["registrar"],
                      "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                                               ["fn", {}, "text", "home.pl S.A."]]]}],
        "nameservers": [{"objectClassName": "nameserver", "ldhName": "ns1.home.pl"}],
    }


ANSWERS = {
    "ug-zielonka.pl": (200, _answer("ug-zielonka.pl", 40, ["active"])),            # warn: ≤ 60 days
    "gminakobylka.pl": (200, _answer("gminakobylka.pl", -20, ["redemption period"])),  # fail critical
    "umradzymin.pl": (200, _answer("umradzymin.pl", 400, ["active", "client transfer prohibited"])),  # pass
    "bip-tluszcz.com.pl": (200, _answer("bip-tluszcz.com.pl", 10, ["active"])),     # fail high (≤ 14 days)
    "starostwo-wolomin.pl": (404, {"errorCode": 404, "title": "Not Found"}),       # not registered
    "marki.pl": (503, {"errorCode": 503, "title": "Service Unavailable"}),         # manual, never pass
}
EXPECTED = {"ug-zielonka.pl": "warn", "gminakobylka.pl": "fail", "umradzymin.pl": "pass",
            "bip-tluszcz.com.pl": "fail", "starostwo-wolomin.pl": "fail", "marki.pl": "manual"}


@pytest.fixture(scope="module")
def registry():
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — http.server's name
            asked.append(self.path)
            name = self.path.rstrip("/").rsplit("/", 1)[-1].lower()
            status, body = ANSWERS.get(name, (404, {"errorCode": 404}))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/rdap+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rdap/", asked
    server.shutdown()


def test_each_office_domain_is_judged_from_its_registry_answer(registry, tmp_path: Path):
    base, asked = registry
    bootstrap = tmp_path / "dns.json"
    bootstrap.write_text(json.dumps({"version": "1.0", "publication": "2026-12-01T00:00:00Z",
                                     "services": [[["pl"], [base]]]}))
    domains = sorted(ANSWERS) + ["www.umradzymin.pl"]
    inventory = {
        "organisation": {"name": "Starostwo Powiatowe w Wołominie", "kind": "powiat", "teryt": "1434000",
                         "entity_class": "important"},
        "scope": {"cidrs": ["127.0.0.1/32"], "domains": sorted(ANSWERS)},
        "settings": {"rdap_bootstrap": str(bootstrap), "timeout": 20},
        "hosts": [],
        "domains": [{"name": d, "mail": False} for d in domains],
    }
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump(inventory, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "run.json"
    result = CliRunner().invoke(main, ["scan", str(path), "--only", "hygiene", "-o", str(out), "-q", "--fail-on", "none"])
    assert out.exists(), result.output
    run = json.loads(out.read_text(encoding="utf-8"))
    findings = [f for f in run["findings"] if f["check_id"] == "hygiene.domain.expiry"]
    got: dict[str, set[str]] = {}
    for f in findings:
        text = json.dumps(f, ensure_ascii=False)
        for name in ANSWERS:
            if f'"{name}' in text or f":{name}" in text or f" {name}" in text:
                got.setdefault(name, set()).add(f["status"])
    assert {n: got.get(n) for n in EXPECTED} == {n: {s} for n, s in EXPECTED.items()}, json.dumps(
        [(f["target_id"], f["status"], f["severity"], f["message"]["pl"]) for f in findings], ensure_ascii=False, indent=1)
    severities = {f["target_id"]: f["severity"] for f in findings if f["status"] == "fail"}
    assert any("gminakobylka" in t and s == "critical" for t, s in severities.items()), severities
    assert any("starostwo-wolomin" in t and s == "critical" for t, s in severities.items()), severities
    # the registry was asked for registrable domains only: never for the public suffix, never for www.
    names = {p.rstrip("/").rsplit("/", 1)[-1].lower() for p in asked}
    assert "com.pl" not in names and "www.umradzymin.pl" not in names, names
    assert names <= set(ANSWERS), names
