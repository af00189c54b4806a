"""The credentials family against real servers on loopback (127.0.27.x), through the real CLI.

One lab: OpenSSH sshd, a pyftpdlib FTP server, MariaDB and PostgreSQL each
with an account from the shipped default list, an nginx panel asking for
HTTP basic auth with admin/admin, a hardened host whose FTP and panel reject
every pair, an FTP server that locks out after two failures, a listener
that drops every connection, and an out-of-scope decoy the panel redirects
to.  The scan runs as ``auditor scan`` with ``-vv`` so the grep for the
password covers the debug log too.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from dataclasses import replace

from auditor.assess import prepare_assessment
from auditor.cli import main
from auditor.checks.credentials.probe import CredentialsProbe
from auditor.demo.daemon import DaemonError
from auditor.demo.ftp import RunningFtp
from auditor.demo.nginx import RunningNginx
from auditor.demo.services import free_port
from auditor.engine import plan, run_job
from auditor.inventory import load_inventory
from auditor.plugin import ProbeContext
from auditor.pipeline import scan_and_score
from auditor.registry import default_registry
from auditor.scan import ScanOptions
from credentials.servers import BasicAuthSite, MariaDb, Postgres, Sshd, htpasswd
from hostile.scope_lab import Decoy

pytestmark = pytest.mark.probe

AUDITOR = Path(sys.executable).with_name("auditor")
FTP, SSH, MYSQL, PG, PANEL, HARD, LOCK, BROKEN = (f"127.0.27.{n}" for n in range(1, 9))
DECOY = "127.0.27.200"
PASSWORD = "raspberry"
"""The accepted password of the FTP and SSH accounts: it must appear in no output at all."""
STRONG = "Zielona-Wieza-Ratusza-1410"


class LockoutFtp(RunningFtp):
    """A real FTP server with a per-address lockout: after two failed logins it answers USER with 421 and closes."""

    def __init__(self, address: str, port: int, users: dict[str, str]) -> None:
        super().__init__(address, port, users, failed_login_delay=0.3)
        failures = {"n": 0}
        handler = self._server.handler
        on_failed, user = handler.on_login_failed, handler.ftp_USER

        def count(self: Any, username: str, password: str) -> None:
            failures["n"] += 1
            on_failed(self, username, password)

        def refuse(self: Any, line: str) -> None:
            if failures["n"] < 2:
                return user(self, line)
            self.respond("421 Too many failed logins from your address, try again later.")
            self.close_when_done()

        handler.on_login_failed, handler.ftp_USER = count, refuse


def window(minutes_before: float, minutes_after: float) -> dict[str, str]:
    now = dt.datetime.now(dt.timezone.utc)
    return {"start": (now - dt.timedelta(minutes=minutes_before)).isoformat(),
            "end": (now + dt.timedelta(minutes=minutes_after)).isoformat()}


def authorisation(services: list[str] | None, when: dict[str, str]) -> dict[str, Any]:
    record: dict[str, Any] = {"by": {"name": "Jan Kowalski", "role": "Wójt Gminy Wólka"},
                              "document": "zarządzenie nr 27/2026 Wójta Gminy Wólka", "window": when}
    if services is not None:
        record["credential_tests"] = services
    return record


def inventory(path: Path, hosts: list[dict[str, Any]], record: dict[str, Any], **settings: Any) -> Path:
    path.write_text(yaml.safe_dump({
        "organisation": {"name": "Gmina Wólka", "kind": "gmina"},
        "scope": {"cidrs": ["127.0.27.0/25"], "domains": ["wolka.test"]},
        "settings": {"timeout": 60, "credential_delay_s": 0.5, **settings},
        "hosts": hosts,
        "extensions": {"authorisation": record},
    }, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def scan(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(AUDITOR), "-vv", "scan", str(path), "--only", "credentials", "--lang", "en", *args],
                          capture_output=True, text=True, timeout=240, cwd=path.parent)


@pytest.fixture(scope="module")
def lab(tmp_path_factory, server_missing):
    folder = tmp_path_factory.mktemp("creds")
    started: list[Any] = []
    try:
        ports = {name: free_port(address) for name, address in
                 (("ftp", FTP), ("ssh", SSH), ("mysql", MYSQL), ("pg", PG), ("panel", PANEL), ("hard", HARD),
                  ("lock", LOCK))}
        decoy = Decoy(DECOY)
        broken = Decoy(BROKEN)  # in scope: accepts and drops every connection
        started += [decoy, broken]
        ftp = RunningFtp(FTP, ports["ftp"], {"pi": PASSWORD})
        hard_ftp = RunningFtp(HARD, ports["hard"], {"pi": STRONG, "admin": STRONG}, failed_login_delay=0.3)
        lock = LockoutFtp(LOCK, ports["lock"], {"admin": STRONG})
        started += [ftp, hard_ftp, lock]
        try:
            started.append(Sshd(folder / "sshd", SSH, ports["ssh"], "pi", PASSWORD))
            started.append(MariaDb(folder / "mariadb", MYSQL, ports["mysql"]))
            started.append(Postgres(PG, ports["pg"], "postgres"))
            (folder / "www").mkdir()
            (folder / "www" / "index.html").write_text("<html><body>Router</body></html>")
            (folder / "www" / "admin").mkdir()
            (folder / "www" / "admin" / "index.html").write_text("<html><body>Panel</body></html>")
            weak = BasicAuthSite(PANEL, ports["panel"], folder / "www", htpasswd(folder / "weak.htpasswd", "admin", "admin"),
                                 "/admin/", redirect=f"http://{DECOY}:{decoy.port}/manager/html")
            strong = BasicAuthSite(HARD, ports["panel"], folder / "www", htpasswd(folder / "strong.htpasswd", "admin", STRONG),
                                   "/admin/")
            started.append(RunningNginx(folder / "nginx", [weak, strong]))
        except DaemonError as exc:
            server_missing(str(exc))
        yield {"folder": folder, "ports": ports, "decoy": decoy, "broken": broken, "ftp": ftp, "hard_ftp": hard_ftp,
               "lock": lock}
    finally:
        for server in reversed(started):
            (server.close if isinstance(server, Decoy) else server.stop)()


def hosts_of(lab: dict[str, Any]) -> list[dict[str, Any]]:
    p = lab["ports"]
    return [
        {"name": "nas.wolka.test", "addresses": [FTP], "ports": [{"port": p["ftp"], "service": "ftp"}]},
        {"name": "pi.wolka.test", "addresses": [SSH], "ports": [{"port": p["ssh"], "service": "ssh"}]},
        {"name": "db.wolka.test", "addresses": [MYSQL], "ports": [{"port": p["mysql"], "service": "mysql"}]},
        {"name": "pg.wolka.test", "addresses": [PG], "ports": [{"port": p["pg"], "service": "postgresql"}]},
        {"name": "router.wolka.test", "addresses": [PANEL], "ports": [{"port": p["panel"], "service": "http"}]},
        {"name": "secure.wolka.test", "addresses": [HARD],
         "ports": [{"port": p["hard"], "service": "ftp"}, {"port": p["panel"], "service": "http"}]},
        {"name": "locked.wolka.test", "addresses": [LOCK], "ports": [{"port": p["lock"], "service": "ftp"}]},
        {"name": "broken.wolka.test", "addresses": [BROKEN], "ports": [{"port": lab["broken"].port, "service": "ftp"}]},
    ]


ALL = ["ssh", "ftp", "mysql", "postgresql", "http_basic"]


@pytest.fixture(scope="module")
def authorised(lab):
    """One real scan with every service authorised; its run, its outputs and its terminal text."""
    folder = lab["folder"] / "authorised"
    folder.mkdir()
    path = inventory(folder / "gmina.yaml", hosts_of(lab), authorisation(ALL, window(60, 60)))
    before = {key: lab[key].connections for key in ("ftp", "hard_ftp", "lock", "broken")}
    done = scan(path, "--out", str(folder / "run.json"), "--store", str(folder / "store.db"), "--all")
    outputs = {"stdout": done.stdout, "stderr": done.stderr}
    for fmt in ("html", "csv", "sarif", "json", "text", "plan-csv", "pdf", "docx", "odt"):
        report = subprocess.run([str(AUDITOR), "report", str(folder / "run.json"), "--format", fmt,
                                 "-o", str(folder / f"report.{fmt}"), "--lang", "en"],
                                capture_output=True, text=True, timeout=120)
        assert report.returncode == 0, report.stderr
        outputs[f"report.{fmt}"] = report.stdout + report.stderr
    return {"done": done, "run": json.loads((folder / "run.json").read_text()), "folder": folder,
            "outputs": outputs, "before": before}


def by_host(run: dict[str, Any], check: str, host: str) -> list[dict[str, Any]]:
    return [f for f in run["findings"] if f["check_id"] == check and host in f["target_id"]]


def test_default_credentials_accepted_on_every_service(authorised) -> None:
    run = authorised["run"]
    for host, user in (("nas", "pi"), ("pi.", "pi"), ("db.", "root"), ("pg.", "postgres")):
        [finding] = by_host(run, "credentials.service.default", host)
        assert finding["status"] == "fail" and finding["severity"] == "critical", finding
        assert finding["facts"]["user"] == user
        assert f"default credential accepted for user {user}" in finding["message"]["en"]
    panel = [f for f in by_host(run, "credentials.panel.default", "router") if f["status"] == "fail"]
    assert [(f["subject"].rsplit("/", 2)[-2], f["facts"]["user"]) for f in panel] == [("admin", "admin")]
    assert authorised["done"].returncode == 1  # critical failures: --fail-on high


def test_stops_at_the_first_accepted_pair(authorised, lab) -> None:
    [ftp] = by_host(authorised["run"], "credentials.service.default", "nas")
    assert ftp["facts"]["attempts"] == 1
    assert lab["ftp"].connections - authorised["before"]["ftp"] == 1


def test_every_pair_rejected_passes(authorised, lab) -> None:
    run = authorised["run"]
    [ftp] = by_host(run, "credentials.service.default", "secure")
    assert ftp["status"] == "pass" and ftp["facts"]["attempts"] == ftp["facts"]["listed"] == 5
    assert lab["hard_ftp"].connections - authorised["before"]["hard_ftp"] == 5
    [panel] = [f for f in by_host(run, "credentials.panel.default", "secure")]
    assert panel["status"] == "pass" and panel["facts"]["attempts"] == 6


def test_lockout_answer_stops_the_service(authorised, lab) -> None:
    [locked] = by_host(authorised["run"], "credentials.service.default", "locked")
    assert locked["status"] == "manual" and "421" in locked["facts"]["detail"]
    assert locked["facts"]["attempts"] == 3  # two rejected, the third answered 421: nothing more was sent
    assert lab["lock"].connections - authorised["before"]["lock"] == 3


def test_repeated_errors_stop_the_service(authorised, lab) -> None:
    [broken] = by_host(authorised["run"], "credentials.service.default", "broken")
    assert broken["status"] == "manual" and broken["facts"]["attempts"] == 2  # credential_max_errors default 2
    assert lab["broken"].connections - authorised["before"]["broken"] == 2


def test_rate_limit_between_attempts(authorised) -> None:
    attempt = next(a for a in authorised["run"]["attempts"] if a["target_id"].endswith("secure.wolka.test"))
    # 5 FTP pairs + 4 plain panel GETs + 6 panel pairs = 11 login attempts at least 0.5 s apart
    assert attempt["evidence"]["attempts"] == 11 and attempt["duration_s"] >= 10 * 0.5
    assert attempt["evidence"]["delay_s"] == 0.5


def test_redirect_to_an_out_of_scope_address_is_not_followed(authorised, lab) -> None:
    assert lab["decoy"].total == 0


def test_the_password_appears_in_no_output(authorised) -> None:
    """run.json, the store, every report format, the terminal and the -vv log: no trace of the password."""
    folder = authorised["folder"]
    texts = dict(authorised["outputs"])
    for path in folder.iterdir():
        texts[path.name] = path.read_bytes().decode("latin-1")
    with sqlite3.connect(folder / "store.db") as db:
        for (table,) in db.execute("select name from sqlite_master where type='table'"):
            texts[f"store:{table}"] = repr(db.execute(f"select * from {table}").fetchall())  # noqa: S608
    assert {"run.json", "store.db", "report.html", "report.pdf", "report.sarif", "report.csv", "stdout",
            "stderr"} <= set(texts)
    assert "pi" in texts["report.html"]  # the user name is reported ...
    leaked = sorted(name for name, text in texts.items() if PASSWORD in text.lower())
    assert leaked == []  # ... the password nowhere
    assert "DEBUG" in texts["stderr"]  # the grep covered a debug log, not an empty one


def test_reports_say_the_credential_tests_ran(authorised) -> None:
    said = "Default-credential tests (intrusive): ran — login attempts: 21, hosts: 8, at least 0.5 s between attempts; default credentials accepted: 5"
    assert said in " ".join(authorised["done"].stdout.split())
    assert said in Path(authorised["folder"] / "report.html").read_text()
    assert said in " ".join((authorised["folder"] / "report.text").read_text().split())
    from pypdf import PdfReader

    pdf = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(authorised["folder"] / "report.pdf").pages)
    assert "Default-credential tests (intrusive)" in pdf


def test_not_authorised_sends_not_one_packet(lab, tmp_path) -> None:
    """An authorisation without credential_tests: every service is a counting listener, and none is touched."""
    listeners = [Decoy(address) for address in ("127.0.27.20", "127.0.27.21", "127.0.27.22", "127.0.27.23")]
    ftp = RunningFtp("127.0.27.24", 0, {"pi": PASSWORD})
    try:
        ssh, mysql, pg, web = listeners
        hosts = [{"name": "all.wolka.test", "addresses": [ssh.address], "ports": [{"port": ssh.port, "service": "ssh"}]},
                 {"name": "db.wolka.test", "addresses": [mysql.address], "ports": [{"port": mysql.port, "service": "mysql"}]},
                 {"name": "pg.wolka.test", "addresses": [pg.address], "ports": [{"port": pg.port, "service": "postgresql"}]},
                 {"name": "www.wolka.test", "addresses": [web.address], "ports": [{"port": web.port, "service": "http"}]},
                 {"name": "nas.wolka.test", "addresses": [ftp.address], "ports": [{"port": ftp.port, "service": "ftp"}]}]
        done = scan(inventory(tmp_path / "gmina.yaml", hosts, authorisation(None, window(60, 60))),
                    "--out", str(tmp_path / "run.json"))
        assert [listener.total for listener in listeners] == [0, 0, 0, 0] and ftp.connections == 0
    finally:
        ftp.stop()
        for listener in listeners:
            listener.close()
    run = json.loads((tmp_path / "run.json").read_text())
    assert {f["status"] for f in run["findings"]} == {"not_applicable"}
    tried = [f for f in run["findings"] if f["subject"]]  # the rest: "no web sites" / "no such services"
    assert len(tried) == 5 and all("not run — the scan's authorisation does not allow" in f["message"]["en"]
                                   for f in tried)
    said = " ".join(done.stdout.split())
    assert "Default-credential tests (intrusive): not run — the scan's authorisation does not allow them" in said
    assert done.returncode == 3  # only this family was asked for, and it (rightly) checked nothing


def test_window_closed_sends_not_one_packet(lab, tmp_path) -> None:
    """A window that ended an hour ago, scanned with --ignore-window: the override never covers login attempts."""
    hosts = [{"name": "nas.wolka.test", "addresses": [FTP], "ports": [{"port": lab["ports"]["ftp"], "service": "ftp"}]}]
    before = lab["ftp"].connections
    done = scan(inventory(tmp_path / "gmina.yaml", hosts, authorisation(ALL, window(120, -60))),
                "--out", str(tmp_path / "run.json"), "--ignore-window")
    assert lab["ftp"].connections == before
    [finding] = by_host(json.loads((tmp_path / "run.json").read_text()), "credentials.service.default", "nas")
    assert finding["status"] == "not_applicable" and "outside the authorisation's time window" in finding["message"]["en"]
    assert "not run — outside the authorisation's time window" in " ".join(done.stdout.split())


def test_window_closing_mid_list_stops_the_attempts(lab, tmp_path) -> None:
    """The window ends 3.8 s into a 5-pair list 1.5 s apart: three attempts, the rest is never sent.

    In-process (the same pipeline as ``auditor scan``), so the CLI's start-up time does not move the window.
    """
    hosts = [{"name": "secure.wolka.test", "addresses": [HARD], "ports": [{"port": lab["ports"]["hard"], "service": "ftp"}]}]
    path = inventory(tmp_path / "gmina.yaml", hosts, authorisation(["ftp"], window(60, 60)), credential_delay_s=1.5)
    loaded = load_inventory(path)
    assessment = prepare_assessment(loaded, default_registry())
    assert assessment.authorisation is not None
    end = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=3.8)
    closing = replace(assessment.authorisation, window_bounds=replace(assessment.authorisation.window_bounds,
                                                                      end=end.isoformat()))
    before = lab["hard_ftp"].connections
    run = scan_and_score(loaded, replace(assessment, authorisation=closing), default_registry(),
                         ScanOptions(families={"credentials"}))
    sent = lab["hard_ftp"].connections - before
    [finding] = [f for f in run.findings if f.check_id == "credentials.service.default"]
    assert finding.status.value == "manual" and "the authorisation window closed" in finding.message["en"]
    assert finding.facts["attempts"] == sent == 3


@pytest.mark.parametrize("settings, message", [
    ({"credential_delay_s": 0.1}, "credential_delay_s"),
    ({"credential_max_attempts": 50}, "credential_max_attempts"),
    ({"credential_max_errors": 0}, "credential_max_errors"),
])
def test_rate_limit_settings_are_bounded(tmp_path, settings, message) -> None:
    path = inventory(tmp_path / "gmina.yaml", [], authorisation(ALL, window(1, 1)), **settings)
    done = CliRunner().invoke(main, ["scan", str(path), "-q"])
    assert done.exit_code == 2 and message in done.output


@pytest.mark.parametrize("value, message", [
    (True, "list the services"), ([], "list the services"), (["telnet"], "unknown service(s) telnet"),
    (["ftp", "ftp"], "listed twice"),
])
def test_credential_tests_permission_is_validated(tmp_path, value, message) -> None:
    record = authorisation(None, window(1, 1))
    record["credential_tests"] = value
    done = CliRunner().invoke(main, ["scan", str(inventory(tmp_path / "gmina.yaml", [], record)), "-q"])
    assert done.exit_code == 2 and "credential_tests" in done.output and message in done.output


def test_checks_list_marks_the_family_intrusive() -> None:
    listed = json.loads(CliRunner().invoke(main, ["checks", "--json"]).output)
    intrusive = sorted(c["id"] for c in listed if c["intrusive"])
    assert intrusive == ["credentials.panel.default", "credentials.service.default"]
    table = CliRunner().invoke(main, ["checks", "--family", "credentials", "--lang", "pl"], env={"COLUMNS": "250"}).output
    assert table.count("TAK (inwazyjna: tylko za zgodą w upoważnieniu)") == 2


def test_on_a_dask_cluster_only_the_user_name_travels(lab, tmp_path) -> None:
    """The list is read on the worker: the job and its context go out, the attempt comes back, no password in either."""
    hosts = [{"name": "nas.wolka.test", "addresses": [FTP], "ports": [{"port": lab["ports"]["ftp"], "service": "ftp"}]}]
    path = inventory(tmp_path / "gmina.yaml", hosts, authorisation(["ftp"], window(60, 60)))
    done = scan(path, "--executor", "dask", "--out", str(tmp_path / "run.json"))
    run = (tmp_path / "run.json").read_text()
    [finding] = by_host(json.loads(run), "credentials.service.default", "nas")
    assert finding["status"] == "fail" and finding["facts"]["user"] == "pi", done.stdout[-2000:]
    assert PASSWORD not in run + done.stdout + done.stderr
    loaded = load_inventory(path)
    jobs, _ = plan([CredentialsProbe], loaded.targets, loaded.scope)
    ctx = ProbeContext(scope=loaded.scope, timeout=60, settings=loaded.settings,
                       authorisation=prepare_assessment(loaded, default_registry()).authorisation)
    attempt = run_job(jobs[0], ctx)
    assert attempt.evidence is not None and attempt.evidence["services"][0]["state"] == "accepted"
    wire = pickle.dumps((run_job, jobs[0], ctx)) + pickle.dumps(attempt)
    assert PASSWORD.encode() not in wire and b"pi" in wire


def test_validate_says_which_services_the_authorisation_allows(tmp_path) -> None:
    allowed = inventory(tmp_path / "a.yaml", [], authorisation(["ftp", "ssh"], window(60, 60)))
    assert "default-credential tests (intrusive) allowed on: ftp, ssh" in \
        CliRunner().invoke(main, ["validate", str(allowed), "--lang", "en"]).output
    refused = inventory(tmp_path / "b.yaml", [], authorisation(None, window(60, 60)))
    assert "testy domyślnych haseł (inwazyjne): niedozwolone" in \
        CliRunner().invoke(main, ["validate", str(refused), "--lang", "pl"]).output


def test_databases_with_a_changed_password_pass(authorised, lab, tmp_path) -> None:
    """After the scan above: the same MariaDB and PostgreSQL with their default passwords changed reject the list."""
    import pg8000.dbapi
    import pymysql

    with pymysql.connect(host=MYSQL, port=lab["ports"]["mysql"], user="root", password="") as db, db.cursor() as cur:
        cur.execute("ALTER USER root@localhost IDENTIFIED BY %s", (STRONG,))
    pg = pg8000.dbapi.connect(user="postgres", password="postgres", host=PG, port=lab["ports"]["pg"], database="postgres")
    pg.autocommit = True
    pg.cursor().execute(f"ALTER USER postgres PASSWORD '{STRONG}'")
    pg.close()
    hosts = [h for h in hosts_of(lab) if h["name"] in ("db.wolka.test", "pg.wolka.test")]
    path = inventory(tmp_path / "gmina.yaml", hosts, authorisation(ALL, window(60, 60)))
    loaded = load_inventory(path)
    run = scan_and_score(loaded, prepare_assessment(loaded, default_registry()), default_registry(),
                         ScanOptions(families={"credentials"}))
    verdicts = sorted((f.target_id, f.status.value, f.facts.get("attempts")) for f in run.findings
                      if f.check_id == "credentials.service.default")
    assert verdicts == [("host:db.wolka.test", "pass", 3), ("host:pg.wolka.test", "pass", 2)]
