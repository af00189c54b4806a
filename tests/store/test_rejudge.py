"""Re-judging a stored snapshot applies today's checks to its stored evidence, with no network traffic."""

from __future__ import annotations

import dataclasses
import json
import socket

from click.testing import CliRunner

from auditor.cli import main
from auditor.model import AttemptStatus, ProbeAttempt, Target, scan_run_from_json
from auditor.store import Store

EVIDENCE = {  # what the network probe recorded: telnet open on the town hall's file server
    "scanner": "nmap", "ports_scanned": [22, 23], "declared_ports": [22],
    "hosts": {"127.0.0.9": {"state": "up", "ports": [
        {"port": 22, "protocol": "tcp", "state": "open", "service": "ssh"},
        {"port": 23, "protocol": "tcp", "state": "open", "service": "telnet"}]}},
}


def test_rejudge_offline(store_path, tmp_path, make_run, finding, monkeypatch):
    target = Target(id="pliki", kind="host", name="pliki", addresses=("127.0.0.9",))
    attempt = ProbeAttempt(probe="network", target_id="pliki", status=AttemptStatus.COMPLETED, evidence=EVIDENCE)
    # stored as an older, laxer check version judged it: everything passed
    run = make_run([finding("network.risky_service", "pliki", "pass")])
    run = dataclasses.replace(run, targets=(target,), attempts=(attempt,))
    with Store(store_path) as store:
        store.save(run)

    def no_network(*args, **kwargs):
        raise AssertionError("rejudge must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    out = tmp_path / "rejudged.json"
    result = CliRunner().invoke(main, ["rejudge", "--store", str(store_path), "--json", "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)
    assert [(c["key"], c["before"], c["after"]) for c in changes["new_failures"]] == [
        ("network.risky_service|pliki|127.0.0.9:23/tcp", None, "fail"),
        ("network.undeclared_port|pliki|127.0.0.9:23/tcp", None, "warn"),
    ]
    rejudged = scan_run_from_json(out.read_text())
    assert rejudged.meta.run_id == run.meta.run_id and rejudged.attempts == run.attempts
    assert {f.key for f in rejudged.findings if f.failing} == {c["key"] for c in changes["new_failures"]}
    # scored with the baselines of the entity class (stored run had none); KRI counts the telnet against it
    assert {s["baseline"] for s in changes["scores"]} >= {"kri"}
    kri = next(s for s in changes["scores"] if s["baseline"] == "kri")
    assert kri["before"] is None and kri["after"]["score"] < 100
    assert rejudged.scores["kri"].score == kri["after"]["score"]
    text = CliRunner().invoke(main, ["rejudge", "1", "--store", str(store_path), "--only", "network",
                                     "--baseline", "nis2"])
    assert "Nowe niezgodności (2)" in text.output and "NIS2" in text.output


def test_rejudge_scores_with_the_snapshots_baselines(store_path, make_run, finding, score):
    with Store(store_path) as store:
        store.save(make_run([finding("network.risky_service", "pliki", "pass")], scores={"nis2": score(80.0)}))
    result = CliRunner().invoke(main, ["rejudge", "--store", str(store_path), "--json"], catch_exceptions=False)
    assert [s["baseline"] for s in json.loads(result.output)["scores"]] == ["nis2"]
    unknown = CliRunner().invoke(main, ["rejudge", "--store", str(store_path), "--baseline", "iso99999"])
    assert unknown.exit_code == 2 and "nieznany wzorzec iso99999" in unknown.output
