"""``auditor fleet scan`` of a folder of offices on a real Dask cluster, then ``fleet report`` over the store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from auditor.demo.services import banner_service, ftp_reply, http_service
from auditor.store import Store

from cluster import DaskCluster

pytestmark = pytest.mark.e2e
AUDITOR = Path(sys.executable).parent / "auditor"
OFFICES = ("Gmina Jabłonka", "Gmina Lipnica", "Miasto Zielonka")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("powiat")
    services = []
    for n, name in enumerate(OFFICES):
        address = f"127.127.20.{n + 1}"
        www = http_service(f"www{n}", address, 0, headers={"Server": "nginx"})
        services.append(www)
        ports = [www.port]
        if n != 1:  # Lipnica closed its forgotten FTP server
            ftp = banner_service(f"ftp{n}", address, 0, b"220 (vsFTPd 3.0.3)\r\n", ftp_reply)
            services.append(ftp)
            ports.append(ftp.port)
        (folder / f"office-{n}.yaml").write_text(yaml.safe_dump({
            "organisation": {"name": name, "kind": "gmina", "teryt": f"02030{n}1", "entity_class": "important"},
            "scope": {"cidrs": [f"{address}/32"]},
            "settings": {"timeout": 60, "network_scan_risky_ports": False},
            "hosts": [{"name": f"bip.office{n}.test", "addresses": [address], "ports": ports}],
        }, allow_unicode=True))
    (folder / "attestations.yaml").write_text("answers: []\n")  # beside the inventories, not one of them
    yield folder
    for service in services:
        service.stop()


def test_a_folder_of_offices_on_a_real_cluster_into_one_store_and_one_report(folder, tmp_path) -> None:
    store = tmp_path / "powiat.db"
    cluster = DaskCluster(workers=2).start()
    try:
        result = subprocess.run([str(AUDITOR), "fleet", "scan", str(folder), "--store", str(store), "--only", "network",
                                 "--executor", f"dask={cluster.address}"], capture_output=True, text=True, timeout=300)
    finally:
        cluster.stop()
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert [line.split("] ")[0] + "]" for line in lines] == ["[1/3]", "[2/3]", "[3/3]"]
    assert all(any(name in line for line in lines) for name in OFFICES)
    assert "Zeskanowano jednostek: 3" in result.stdout
    with Store(store, create=False) as opened:
        assert len({s.series for s in opened.snapshots()}) == 3

    report = tmp_path / "zestawienie.html"
    rendered = subprocess.run([str(AUDITOR), "fleet", "report", "--store", str(store), "-o", str(report)],
                              capture_output=True, text=True, timeout=120)
    assert rendered.returncode == 0, rendered.stderr
    html = report.read_text()
    assert all(name in html for name in OFFICES)
    links = sorted(p.name for p in (tmp_path / "zestawienie_jednostki").iterdir())
    assert len(links) == 3 and all(f'href="zestawienie_jednostki/{name}"' in html for name in links)
    # the FTP server is a common non-conformity of two offices out of three
    assert "network.risky_service" in html
