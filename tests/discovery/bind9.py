"""A real BIND 9 (`named`) on 127.0.0.1 and a high port, serving zone files the test writes.

named binds only to addresses configured on an interface, so on loopback that is 127.0.0.1
(other 127/8 addresses are routed, not configured); its control channel is switched off so
several can run at once; NOTIFY is off (it would send packets to every NS of a zone).
"""

from __future__ import annotations

from pathlib import Path

from auditor.demo.daemon import Daemon, binary


class Bind9(Daemon):
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
            f"  listen-on port {port} {{ {address}; }}; listen-on-v6 {{ none; }}; recursion no; notify no;\n"
            "  dnssec-validation no; allow-query { any; }; };\ncontrols { };\n"
            + "\n".join(blocks) + "\n")
        super().__init__("named", [binary("named", "bind9"), "-g", "-c", str(conf), "-n", "1"], [(address, port)],
                         log=folder / "named.log", timeout=30)

    @property
    def resolver_setting(self) -> str:
        return f"{self.address}:{self.port}"
