"""Held-out DNSSEC cases (lead, written 2026-12-02 01:05 before the dnssec helper's work was seen).

A real signed parent zone ``gov.pl.`` served by named, five child zones of Polish gminy with
different DNSSEC states, and a real validating unbound whose only trust anchor is gov.pl's DS.
Verdicts of ``dns.dnssec`` through the real CLI (`auditor scan --only mail_dns`).
"""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from auditor.cli import main
from auditor.demo.daemon import Daemon, binary

ADDR = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((ADDR, 0))
        return s.getsockname()[1]


def _keygen(folder: Path, zone: str, *extra: str, algorithm: str = "ECDSAP256SHA256") -> str:
    out = subprocess.run(["dnssec-keygen", "-q", "-K", str(folder), "-a", algorithm, *extra, zone],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _ds(folder: Path, key: str) -> str:
    return subprocess.run(["dnssec-dsfromkey", "-2", str(folder / f"{key}.key")], capture_output=True, text=True,
                          check=True).stdout.strip()


def _zone(origin: str, body: str) -> str:
    return (f"$ORIGIN {origin}.\n$TTL 300\n@ SOA ns1.{origin}. hostmaster.{origin}. 2026120201 3600 600 86400 300\n"
            f"@ NS ns1.{origin}.\nns1 A {ADDR}\n" + body)


def _sign(folder: Path, origin: str, text: str, *extra: str) -> Path:
    path = folder / f"{origin}.zone"
    path.write_text(text)
    subprocess.run(["dnssec-signzone", "-q", "-S", "-K", str(folder), "-o", origin, "-f", str(path) + ".signed",
                    *extra, str(path)], check=True, capture_output=True, cwd=folder)
    return Path(str(path) + ".signed")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    for tool in ("named", "unbound", "dnssec-signzone", "dnssec-keygen"):
        binary(tool, "bind9 / bind9-utils / unbound")
    root = tmp_path_factory.mktemp("dnssec-heldout")
    keys = root / "keys"
    keys.mkdir()
    children = {
        "zielonka.gov.pl": "valid",
        "kobylka.gov.pl": "unsigned",
        "marki.gov.pl": "wrong_ds",
        "radzymin.gov.pl": "expired",
        "tluszcz.gov.pl": "nsec3_rsa",
    }
    files: dict[str, Path] = {}
    parent_body = ""
    for child, kind in children.items():
        label = child.split(".")[0]
        body = f"@ MX 10 poczta.{child}.\npoczta A {ADDR}\n@ TXT \"v=spf1 mx -all\"\n"
        parent_body += f"{label} NS ns1.{child}.\nns1.{label} A {ADDR}\n"
        if kind == "unsigned":
            path = root / f"{child}.zone"
            path.write_text(_zone(child, body))
            files[child] = path
            continue
        algorithm = "RSASHA256" if kind == "nsec3_rsa" else "ECDSAP256SHA256"
        size = ("-b", "2048") if kind == "nsec3_rsa" else ()
        # keys of the expired zone were published and active in 2019, so its 2020 signatures are genuine
        dated = ("-P", "20191201000000", "-A", "20191201000000") if kind == "expired" else ()
        ksk = _keygen(keys, child, "-f", "KSK", *size, *dated, algorithm=algorithm)
        _keygen(keys, child, *size, *dated, algorithm=algorithm)
        extra: tuple[str, ...] = ()
        if kind == "expired":
            extra = ("-P", "-s", "20200101000000", "-e", "20200201000000")  # -P: no verification at today's date
        if kind == "nsec3_rsa":
            extra = ("-3", "-", "-H", "0")
        files[child] = _sign(keys, child, _zone(child, body), *extra)
        ds = _ds(keys, ksk)
        if kind == "wrong_ds":   # the registrar published the DS of a key the zone never used
            ds = _ds(keys, _keygen(keys, child, "-f", "KSK"))
        parent_body += ds.replace(f"{child}.", f"{label}", 1) + "\n"
    parent_ksk = _keygen(keys, "gov.pl", "-f", "KSK")
    _keygen(keys, "gov.pl")
    files["gov.pl"] = _sign(keys, "gov.pl", _zone("gov.pl", parent_body))
    named_port, unbound_port = _free_port(), _free_port()
    zones = "\n".join(f'zone "{name}" {{ type primary; file "{path}"; }};' for name, path in files.items())
    conf = root / "named.conf"
    conf.write_text(
        f'options {{ directory "{root}"; pid-file "{root}/named.pid"; session-keyfile "{root}/s.key";\n'
        f"  listen-on port {named_port} {{ {ADDR}; }}; listen-on-v6 {{ none; }}; recursion no; notify no;\n"
        "  dnssec-validation no; allow-query { any; }; };\ncontrols { };\n" + zones + "\n")
    named = Daemon("named", [binary("named", "bind9"), "-g", "-c", str(conf), "-n", "1"], [(ADDR, named_port)],
                   log=root / "named.log", timeout=30)
    anchor = root / "ta.ds"
    anchor.write_text(_ds(keys, parent_ksk) + "\n")
    stubs = "".join(f'stub-zone:\n  name: "{z}"\n  stub-addr: {ADDR}@{named_port}\n' for z in files)
    uconf = root / "unbound.conf"
    uconf.write_text(
        "server:\n"
        f"  interface: {ADDR}\n  port: {unbound_port}\n  do-daemonize: no\n  username: \"\"\n  chroot: \"\"\n"
        f"  directory: \"{root}\"\n  pidfile: \"{root}/unbound.pid\"\n  use-syslog: no\n  logfile: \"\"\n"
        "  do-ip6: no\n  do-not-query-localhost: no\n  module-config: \"validator iterator\"\n"
        f"  trust-anchor-file: \"{anchor}\"\n  access-control: 127.0.0.0/8 allow\n  val-log-level: 2\n"
        "  qname-minimisation: no\n"
        "remote-control:\n  control-enable: no\n" + stubs)
    subprocess.run([binary("unbound-checkconf", "unbound"), str(uconf)], check=True, capture_output=True)
    unbound = Daemon("unbound", [binary("unbound", "unbound"), "-d", "-c", str(uconf)], [(ADDR, unbound_port)],
                     log=root / "unbound.log", timeout=30)
    yield {"root": root, "children": children, "resolver": f"{ADDR}:{unbound_port}", "dead": f"{ADDR}:{_free_port()}"}
    unbound.stop()
    named.stop()


def _scan(tmp: Path, domains: list[str], resolver: str) -> dict:
    inventory = {
        "organisation": {"name": "Związek Gmin Powiatu Wołomińskiego", "kind": "gmina", "teryt": "1434000",
                         "entity_class": "important"},
        "scope": {"cidrs": ["127.0.0.1/32"], "domains": domains},
        "settings": {"dns_resolver": resolver, "timeout": 20},
        "hosts": [],
        "domains": [{"name": d, "mail": True} for d in domains],
    }
    path = tmp / "inventory.yaml"
    path.write_text(yaml.safe_dump(inventory, allow_unicode=True), encoding="utf-8")
    out = tmp / "run.json"
    result = CliRunner().invoke(main, ["scan", str(path), "--only", "mail_dns", "-o", str(out), "-q",
                                       "--fail-on", "none"])
    assert out.exists(), result.output
    return {"exit": result.exit_code, "run": json.loads(out.read_text(encoding="utf-8"))}


def _dnssec_verdicts(run: dict) -> dict[str, set[str]]:
    verdicts: dict[str, set[str]] = {}
    for finding in run["findings"]:
        if finding["check_id"] == "dns.dnssec":
            verdicts.setdefault(finding["target_id"], set()).add(finding["status"])
    return verdicts


EXPECTED = {"zielonka.gov.pl": {"pass"}, "kobylka.gov.pl": {"fail"}, "marki.gov.pl": {"fail"},
            "radzymin.gov.pl": {"fail"}, "tluszcz.gov.pl": {"pass"}}


def test_each_gmina_zone_gets_the_verdict_its_signing_deserves(lab, tmp_path):
    result = _scan(tmp_path, sorted(lab["children"]), lab["resolver"])
    verdicts = _dnssec_verdicts(result["run"])
    got = {target.split(":")[-1] if ":" in target else target: v for target, v in verdicts.items()}
    assert {d: got.get(d) for d in EXPECTED} == EXPECTED, json.dumps(
        [f for f in result["run"]["findings"] if f["check_id"] == "dns.dnssec"], ensure_ascii=False, indent=1)


def test_a_bogus_zone_is_not_reported_as_merely_unsigned(lab, tmp_path):
    result = _scan(tmp_path, ["radzymin.gov.pl", "marki.gov.pl", "kobylka.gov.pl"], lab["resolver"])
    messages = {f["target_id"]: f["message"]["pl"] if isinstance(f["message"], dict) else f["message"]
                for f in result["run"]["findings"] if f["check_id"] == "dns.dnssec"}
    unsigned = next(m for t, m in messages.items() if "kobylka" in t)
    for target, message in messages.items():
        if "kobylka" not in target:
            assert message != unsigned.replace("kobylka", target.split(".")[0]), message


def test_an_unreachable_resolver_never_passes_and_the_scan_does_not_exit_0(lab, tmp_path):
    result = _scan(tmp_path, ["zielonka.gov.pl"], lab["dead"])
    statuses = {f["status"] for f in result["run"]["findings"] if f["check_id"].startswith(("dns.", "mail."))}
    assert "pass" not in statuses and statuses, statuses
    assert result["exit"] != 0
