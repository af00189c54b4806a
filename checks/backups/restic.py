"""restic: ``snapshots --json``, ``check`` and ``restore --verify``, all with ``--no-lock``.

``--no-lock`` keeps every call read-only (no lock file written into the
repository, works on append-only and immutable storage); ``--no-cache``
leaves nothing in the auditor's home folder.  restic always encrypts, so a
restic repository is encrypted by construction.
"""

from __future__ import annotations

import json
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterator, Mapping

from auditor.checks.backups.relay import RestRelay
from auditor.checks.backups.repository import RepositoryTool
from auditor.checks.backups.sources import DEFAULT_READ_DATA_SUBSET
from auditor.checks.backups.sshpin import restic_sftp_command
from auditor.checks.backups.tools import one_line
from auditor.checks.backups.snapshots import utc_iso
from auditor.plugin import ProbeInputError


class Restic(RepositoryTool):
    name = "restic"
    package = "restic"
    wrong_password_hints = ("wrong password",)
    not_found_hints = ("unable to open config file", "is there a repository", "repository does not exist")

    @property
    def secret_env(self) -> Mapping[str, str]:
        if self.password is None:
            raise ProbeInputError(f"restic repository {self.location['location']} needs a password: "
                                  "set password, password_env or password_file in the inventory")
        # the repository in the environment, not argv: a REST URL may carry a user name and password
        return {"RESTIC_PASSWORD": self.password, "RESTIC_REPOSITORY": self._repository_for_restic}

    _repository_for_restic: str = ""

    @contextmanager
    def connection(self) -> Iterator[None]:
        """For a ``rest:`` repository restic reaches the server only through a ``RestRelay``; for ``sftp:``
        its ssh is pinned to the checked address (``sshpin``)."""
        if self.location["backend"] == "sftp" and self.address:
            self._pin = ["-o", "sftp.command=" + restic_sftp_command(self.ssh_base, self.repository.split(":", 1)[1],
                                                                     self.address)]
        if self.location["backend"] != "rest":
            self._repository_for_restic = self.repository
            yield
            return
        with RestRelay(self.repository.split(":", 1)[1], self.ctx.scope, self.ctx.timeout) as relay:
            self._repository_for_restic = relay.repository
            self.relay = relay
            yield

    _pin: list[str] = []

    def _base(self) -> list[str]:
        return ["--no-lock", "--no-cache", "--quiet", *self._pin]

    relay: RestRelay | None = None

    def classify(self, command: str, stderr: str) -> Exception:
        if self.relay is not None and self.relay.refused:
            return ProbeInputError(
                f"restic: repository {self.location['location']} answered with a redirect to "
                f"{self.relay.refused[0][:200]!r}; not followed (it may lead outside the authorised scope)")
        return super().classify(command, stderr)

    def version(self) -> str:
        return self.run(["version"]).stdout.strip()

    def snapshots(self) -> list[dict[str, Any]]:
        raw = json.loads(self.run(["snapshots", "--json", *self._base()]).stdout or "[]")
        return [
            {
                "id": item["short_id"],
                "time": utc_iso(item["time"]),
                "hostname": item.get("hostname", ""),
                "tags": item.get("tags") or [],
                "paths": item.get("paths") or [],
            }
            for item in raw
        ]

    def encryption(self) -> dict[str, Any]:
        return {"encrypted": True, "encryption_mode": "restic (AES-256-CTR + Poly1305)"}

    def check(self) -> dict[str, Any]:
        subset = str(self.target.attrs.get("check_read_data_subset") or DEFAULT_READ_DATA_SUBSET)
        flags = [] if subset == "none" else [f"--read-data-subset={subset}"]
        result = self.consistency(["check", *flags, *self._base()], " ".join(["restic", "check", *flags]),
                                  noise=("using temporary cache",))
        return {**result, "data_read": _data_read(subset)}

    def group_key(self, snapshot: dict[str, Any]) -> Any:
        return snapshot.get("hostname"), tuple(snapshot.get("paths", [])), tuple(snapshot.get("tags", []))

    restore_method = "restic restore --verify (content hashes) + sizes from restic ls"

    def list_files(self, snapshot: dict[str, Any]) -> list[dict[str, Any]]:
        out = self.run(["ls", "--json", *self._base(), snapshot["id"]]).stdout
        nodes = (json.loads(line) for line in out.splitlines() if line.strip())
        return [{"path": n["path"], "size": n.get("size", 0)} for n in nodes
                if n.get("struct_type") == "node" and n.get("type") == "file"]

    def extract(self, snapshot: dict[str, Any], sample: list[dict[str, Any]], scratch: Path) -> list[str]:
        includes = [arg for entry in sample for arg in ("--include", entry["path"])]
        result = self.run(["restore", snapshot["id"], "--target", str(scratch), "--verify", *includes, *self._base()],
                          allow_failure=True)
        return [] if result.ok else [f"restic restore failed: {one_line(result.stderr)}"]


def _data_read(subset: str) -> dict[str, Any]:
    """How much pack data ``restic check`` read, for the finding to say."""
    if subset == "none":
        return {"scope": "none", "subset": None}
    if subset.endswith("%") and float(subset[:-1]) >= 100:
        return {"scope": "all", "subset": subset}
    return {"scope": "sample", "subset": subset}
