"""borg: ``list --json``, ``info --json``, ``check`` and ``extract`` with ``--bypass-lock``.

``--bypass-lock`` keeps the calls read-only (nothing written into the
repository).  Archive listings with ``--format '{sha256}'`` give the content
hash borg recorded, which the restore test compares with the extracted file.
borg prints times in local time without an offset; they are turned into UTC.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Mapping

from auditor.checks.backups.repository import RepositoryTool
from auditor.checks.backups.sshpin import borg_rsh
from auditor.checks.backups.tools import one_line
from auditor.checks.backups.snapshots import utc_iso

_UNENCRYPTED_MODES = ("none", "authenticated", "authenticated-blake2")
#: The varying tail of an archive name (``ewidencja-2026-11-27T22:00``, ``srv-12``): same job without it.
_VARYING_SUFFIX = re.compile(r"[-_.]*[0-9][0-9:T._+-]*$")


class Borg(RepositoryTool):
    name = "borg"
    package = "borgbackup"
    wrong_password_hints = ("passphrase supplied", "is incorrect", "passphrase is incorrect")
    not_found_hints = ("does not exist", "is not a valid repository")
    _answers = {
        # Non-interactive answers: never prompt, never show the passphrase.
        "BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK": "yes",
        "BORG_RELOCATED_REPO_ACCESS_IS_OK": "yes",
        "BORG_DISPLAY_PASSPHRASE": "no",
    }

    @property
    def ssh_base(self) -> str:
        """A ``BORG_RSH`` already set (e.g. ``ssh -i key``) is the base when ``backup_ssh_command`` is not."""
        return str(self.ctx.settings.get("backup_ssh_command") or os.environ.get("BORG_RSH") or "ssh")

    @property
    def extra_env(self) -> Mapping[str, str]:  # type: ignore[override]
        """The answers, and over ssh a ``BORG_RSH`` pinned to the checked address (``sshpin``)."""
        if self.location["backend"] != "ssh" or not self.address:
            return self._answers
        return {**self._answers, "BORG_RSH": borg_rsh(self.ssh_base, self.repository, self.address)}

    @property
    def secret_env(self) -> Mapping[str, str]:
        return {"BORG_PASSPHRASE": self.password or ""}

    def version(self) -> str:
        return self.run(["--version"]).stdout.strip()

    def snapshots(self) -> list[dict[str, Any]]:
        raw = json.loads(self.run(["list", "--json", "--bypass-lock", "--format", "{hostname}{comment}",
                                   self.repository]).stdout)
        return [
            {
                "id": item["id"][:8],
                "name": item["name"],
                "time": utc_iso(item.get("start") or item["time"]),
                "hostname": item.get("hostname", ""),
                "tags": [],
                "paths": [],
            }
            for item in raw.get("archives", [])
        ]

    def encryption(self) -> dict[str, Any]:
        info = json.loads(self.run(["info", "--json", "--bypass-lock", self.repository]).stdout)
        mode = info.get("encryption", {}).get("mode", "")
        return {"encrypted": mode not in _UNENCRYPTED_MODES if mode else None, "encryption_mode": mode}

    def check(self) -> dict[str, Any]:
        args = ["check", "--bypass-lock"]
        attrs = self.target.attrs
        max_duration = attrs.get("check_max_duration")
        if attrs.get("check_repository_only") or max_duration:
            args.append("--repository-only")
        if max_duration:
            args += ["--max-duration", str(int(max_duration))]
        elif attrs.get("check_verify_data") and not attrs.get("check_repository_only"):
            args.append("--verify-data")
        result = self.consistency([*args, self.repository], " ".join(["borg", *args]))
        if max_duration:
            data_read = {"scope": "sample", "subset": f"{int(max_duration)} s of segments (resumes next run)"}
        elif "--verify-data" in args:
            data_read = {"scope": "all", "subset": "every chunk decrypted and verified (--verify-data)"}
        else:
            data_read = {"scope": "all", "subset": "every segment read, CRC32 verified"}
        return {**result, "data_read": data_read}

    def group_key(self, snapshot: dict[str, Any]) -> Any:
        return snapshot.get("hostname"), _VARYING_SUFFIX.sub("", snapshot.get("name", ""))

    restore_method = "borg extract + sha256 and size from borg list"

    def _archive(self, snapshot: dict[str, Any]) -> str:
        return f"{self.repository}::{snapshot['name']}"

    def _listing(self, snapshot: dict[str, Any], fields: str, paths: list[str] = ()) -> list[dict[str, Any]]:
        out = self.run(["list", "--json-lines", "--bypass-lock", "--format", fields, self._archive(snapshot),
                        *paths]).stdout
        return [e for e in (json.loads(line) for line in out.splitlines() if line.strip()) if e.get("type") == "-"]

    def list_files(self, snapshot: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"path": e["path"], "size": e.get("size", 0)} for e in self._listing(snapshot, "{type}{path}{size}")]

    def recorded_hashes(self, snapshot: dict[str, Any], sample: list[dict[str, Any]]) -> dict[str, str]:
        # borg hashes the archived content on request: only for the sample, not the whole archive
        listed = self._listing(snapshot, "{type}{path}{sha256}", [e["path"] for e in sample])
        return {e["path"]: e["sha256"] for e in listed if e.get("sha256")}

    def extract(self, snapshot: dict[str, Any], sample: list[dict[str, Any]], scratch: Path) -> list[str]:
        # borg extracts relative to the working directory: the scratch folder, never the original place.
        result = self.run(["extract", "--bypass-lock", self._archive(snapshot), *[e["path"] for e in sample]],
                          cwd=str(scratch), allow_failure=True)
        return [] if result.ok else [f"borg extract failed: {one_line(result.stderr)}"]
