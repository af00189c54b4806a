"""The same scan on a Dask LocalCluster gives the same findings as on threads; several offices at once."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from auditor.cli import main
from auditor.demo.services import banner_service, ftp_reply, http_service
from auditor.model import scan_run_from_json

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def offices(tmp_path_factory):
    folder = tmp_path_factory.mktemp("offices")
    services = []
    for n, name in enumerate(("gmina-a", "gmina-b")):
        address = f"127.0.24.{n + 1}"
        ftp = banner_service("ftp", address, 0, b"220 (vsFTPd 3.0.3)\r\n", ftp_reply)
        www = http_service("www", address, 0, headers={"Server": "nginx"})
        services += [ftp, www]
        (folder / f"{name}.yaml").write_text(yaml.safe_dump({
            "organisation": {"name": name, "kind": "gmina"},
            "scope": {"cidrs": [f"{address}/32"]},
            "settings": {"timeout": 60, "network_scan_risky_ports": False, "network_extra_ports": [ftp.port]},
            "hosts": [{"name": f"srv.{name}", "addresses": [address], "ports": [www.port]}],
        }))
    (folder / "attestations.yaml").write_text("answers: []\n")  # kept beside the inventories, not one of them
    yield folder
    for service in services:
        service.stop()


def verdicts(path):
    run = scan_run_from_json(path.read_text())
    return sorted((f.check_id, f.target_id, f.subject, f.status.value, f.severity.value, f.message["en"])
                  for f in run.findings)


def test_dask_local_cluster_finds_exactly_what_threads_find(offices, tmp_path) -> None:
    threads = CliRunner().invoke(main, ["scan", str(offices), "-q", "--out", str(tmp_path / "threads")])
    dask = CliRunner().invoke(main, ["scan", str(offices), "-q", "--executor", "dask", "--out", str(tmp_path / "dask")])
    assert threads.exit_code == dask.exit_code == 1, (threads.output, dask.output)
    for office in ("gmina-a", "gmina-b"):
        on_threads = verdicts(tmp_path / "threads" / f"{office}.json")
        assert on_threads == verdicts(tmp_path / "dask" / f"{office}.json")
        assert ("network.risky_service", f"host:srv.{office}") in {(v[0], v[1]) for v in on_threads if v[3] == "fail"}


def test_bad_executor_is_a_usage_error(offices) -> None:
    assert CliRunner().invoke(main, ["scan", str(offices), "--executor", "spark"]).exit_code == 2
