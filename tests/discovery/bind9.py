"""A real BIND 9 (`named`) on 127.0.0.1 and a high port, serving zone files the test writes.

named binds only to addresses configured on an interface, so on loopback that is 127.0.0.1
(other 127/8 addresses are routed, not configured); its control channel is switched off so
several can run at once; NOTIFY is off (it would send packets to every NS of a zone).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

NAMED = shutil.which("named") or "/usr/sbin/named"


class Bind9:
    def __init__(self, folder: Path, address: str, port: int, zones: dict[str, str],
                 allow_transfer: str = "any") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.address, self.port = address, port
        blocks = []
        for name, text in zones.items():
            (folder / f"{name}.zone").write_text(text)
            blocks.append(f'zone "{name}" {{ type primary; file "{folder}/{name}.zone"; '
                          f"allow-transfer {{ {allow_transfer}; }}; }};")
        conf = folder / "named.conf"
        conf.write_text(
            f'options {{ directory "{folder}"; pid-file "{folder}/named.pid"; session-keyfile "{folder}/s.key";\n'
            f'  listen-on port {port} {{ {address}; }}; listen-on-v6 {{ none; }}; recursion no; notify no;\n'
            '  dnssec-validation no; allow-query { any; }; };\ncontrols { };\n'
            + "\n".join(blocks) + "\n")
        self.process = subprocess.Popen([NAMED, "-g", "-c", str(conf), "-n", "1"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"named exited: {self.process.stderr.read().decode()[-1500:]}")
            with socket.socket() as probe:
                if probe.connect_ex((address, port)) == 0:
                    return
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("named did not listen within 30 s")
            time.sleep(0.1)

    @property
    def resolver_setting(self) -> str:
        return f"{self.address}:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
