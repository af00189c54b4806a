"""The web probe against a real nginx: a CMS-style catch-all (soft 404), a forgotten .git and autoindex."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

from auditor.checks.web.probe import WebProbe
from auditor.demo.services import free_port
from auditor.model import PortSpec, Target
from auditor.plugin import ProbeContext
from auditor.scope import ScopeGuard
from web_support import judged, statuses

pytestmark = [pytest.mark.probe, pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
                                                    reason="nginx is not installed (Makefile APT_PACKAGES installs it)")]
ADDRESS, NAME = "127.0.31.6", "www.nginx.testowa.test"

CONFIG = """
{user}
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
    server {{
        listen {address}:{port};
        server_name {name};
        root {root}/html;
        location /pliki/ {{ autoindex on; }}
        location / {{ try_files $uri $uri/ /index.html; }}
    }}
}}
"""


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    root = tmp_path_factory.mktemp("nginx")
    (root / "tmp").mkdir()
    html = root / "html"
    (html / ".git").mkdir(parents=True)
    (html / "pliki").mkdir()
    (html / "index.html").write_text("<html><head><title>Gmina</title></head><body>Start</body></html>")
    (html / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (html / "pliki" / "uchwala.pdf").write_bytes(b"%PDF-1.4\n")
    port = free_port(ADDRESS)
    config = root / "nginx.conf"
    # as root, workers would drop to "nobody" and could not read the private pytest folder
    user = "user root;" if os.geteuid() == 0 else ""
    config.write_text(CONFIG.format(user=user, root=root, address=ADDRESS, port=port, name=NAME))
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([binary, "-c", str(config), "-p", str(root), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(50):
        if (root / "nginx.pid").exists():
            break
        time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=10)


def test_real_nginx_catch_all_site(nginx: int) -> None:
    target = Target(id=f"host:{NAME}", kind="host", name=NAME, addresses=(ADDRESS,),
                    ports=(PortSpec(nginx, service="http"),), roles=("www",))
    ctx = ProbeContext(scope=ScopeGuard.from_lists(["127.0.0.0/8"], ["testowa.test"]), timeout=30)
    evidence = WebProbe().collect(target, ctx)
    assert evidence["sites"][0]["not_found"]["status"] == 200  # try_files … /index.html: a soft 404
    findings = judged(evidence, target)
    result = statuses(findings)
    assert result["web.exposed.git"] == ["fail"] and result["web.exposed.directory_listing"] == ["fail"]
    assert [f.subject.rsplit("/", 2)[-2:] for f in findings["web.exposed.directory_listing"]] == [["pliki", ""]]
    others = {k: v for k, v in result.items() if k.startswith("web.exposed.") and k not in (
        "web.exposed.git", "web.exposed.directory_listing")}
    assert all(v == ["pass"] for v in others.values()), others
    assert result["web.server_disclosure"] == ["warn"]  # nginx's default server_tokens on
    assert findings["web.server_disclosure"][0].facts["disclosed"][0].startswith("Server: nginx/")
