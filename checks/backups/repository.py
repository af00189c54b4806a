"""What restic and borg repositories share: one collection routine over a tool adapter.

A ``RepositoryTool`` knows one program's commands and error texts; the
collection routine here turns them into the family's evidence shape:
where the repository is, its snapshots, whether its own consistency check
passed and, when asked, a restore test of each snapshot group's newest
snapshot.
"""

from __future__ import annotations

import socket
import time
from abc import ABC, abstractmethod
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, ContextManager, Mapping, Sequence

from auditor.checks.backups.location import describe, local_facts, same_filesystem
from auditor.checks.backups.restore import MAX_GROUPS, pick_sample, restore_record, restore_test, verify_files
from auditor.checks.backups.snapshots import latest_per_group, snapshot_facts
from auditor.checks.backups.tools import ToolResult, one_line, require_tool, resolve_password, run_tool
from auditor.model import Evidence, Target, utcnow
from auditor.plugin import ProbeContext, ProbeInputError, ProbeUnreachable

_UNREACHABLE_HINTS = ("connection refused", "no route to host", "no such host", "connection timed out",
                      "connection closed by remote host", "could not resolve", "network is unreachable")


class RepositoryTool(ABC):
    """One backup program run against one repository with its password in the environment."""

    name: ClassVar[str]
    package: ClassVar[str]
    wrong_password_hints: ClassVar[tuple[str, ...]]
    not_found_hints: ClassVar[tuple[str, ...]]

    def __init__(self, target: Target, ctx: ProbeContext) -> None:
        self.binary = require_tool(self.name, self.package)
        self.target = target
        self.ctx = ctx
        self.deadline = time.monotonic() + ctx.timeout
        """All calls of one repository share the probe's time budget."""
        self.repository: str = target.attrs["repository"]
        self.location = describe(self.repository, self.name)
        self.address: str | None = None
        """The checked address of a remote repository: the only one its tool may connect to."""
        if self.location["host"] and not self.location["local"]:
            # a remote repository is contacted: it must lie in the authorised scope like any host
            self.address = ctx.scope.require_host(self.location["host"])[0]
        self.password = resolve_password(target, ctx)

    def connection(self) -> ContextManager[None]:
        """Held around all calls of one collection; a tool that must be confined sets that up here."""
        return nullcontext()

    @property
    @abstractmethod
    def secret_env(self) -> Mapping[str, str]:
        """Environment variables carrying the password to the child process."""

    extra_env: Mapping[str, str] = {}
    """Environment the tool needs besides the secret (not secret itself)."""

    @property
    def ssh_base(self) -> str:
        """The ssh command line restic/borg start (``backup_ssh_command``, default ``ssh``), before pinning."""
        return str(self.ctx.settings.get("backup_ssh_command") or "ssh")

    def run(self, args: Sequence[str], *, cwd: str | None = None, allow_failure: bool = False) -> ToolResult:
        """Runs the tool; a failure is classified (wrong password, no repository, unreachable) unless allowed."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"{self.name}: no time left of the {self.ctx.timeout:.0f} s allowed for this repository")
        result = run_tool([self.binary, *args], secret_env=self.secret_env, secret=self.password,
                          timeout=remaining, cwd=cwd, extra_env=self.extra_env)
        if result.ok or allow_failure:
            return result
        raise self.classify(args[0], result.stderr)

    def classify(self, command: str, stderr: str) -> Exception:
        lowered = stderr.lower()
        where = self.location["location"]
        if any(hint in lowered for hint in self.wrong_password_hints):
            return ProbeInputError(f"{self.name}: wrong password for repository {where} "
                                   "(check password / password_env / password_file)")
        if any(hint in lowered for hint in self.not_found_hints):
            return ProbeInputError(f"{self.name}: no repository at {where}")
        if any(hint in lowered for hint in _UNREACHABLE_HINTS):
            return ProbeUnreachable(f"{self.name}: repository {where} cannot be reached: {one_line(stderr)}")
        return ProbeInputError(f"{self.name} {command} failed on {where}: {one_line(stderr)}")

    @abstractmethod
    def version(self) -> str: ...

    @abstractmethod
    def snapshots(self) -> list[dict[str, Any]]:
        """Normalised snapshots: ``{id, time (UTC ISO), hostname, tags, paths, name}``."""

    @abstractmethod
    def encryption(self) -> dict[str, Any]:
        """``{encrypted: bool | None, mode: str}``."""

    @abstractmethod
    def check(self) -> dict[str, Any]:
        """The tool's own consistency check: ``{ran, ok, command, errors}``."""

    def consistency(self, args: Sequence[str], shown: str, noise: Sequence[str] = ()) -> dict[str, Any]:
        """Runs a check command; its failure is evidence, but a wrong password is still an error."""
        result = self.run(args, allow_failure=True)
        if not result.ok and any(h in result.stderr.lower() for h in self.wrong_password_hints + self.not_found_hints):
            raise self.classify(args[0], result.stderr)
        lines = [line for line in result.stderr.splitlines()
                 if line.strip() and not any(line.lower().startswith(n) for n in noise)]
        return {"ran": True, "ok": result.ok, "command": shown, "returncode": result.returncode,
                "errors": [] if result.ok else lines[:20]}

    @abstractmethod
    def group_key(self, snapshot: dict[str, Any]) -> Any:
        """Snapshots with the same key back up the same thing (restore-tested once per group)."""

    restore_method: ClassVar[str]
    """How restored files are verified, in words, for the evidence."""

    @abstractmethod
    def list_files(self, snapshot: dict[str, Any]) -> list[dict[str, Any]]:
        """Regular files of ``snapshot``: ``{path, size}``."""

    def recorded_hashes(self, snapshot: dict[str, Any], sample: list[dict[str, Any]]) -> dict[str, str]:
        """SHA-256 of the sampled files as the tool recorded them (path → hex), if it can tell."""
        return {}

    @abstractmethod
    def extract(self, snapshot: dict[str, Any], sample: list[dict[str, Any]], scratch: Path) -> list[str]:
        """Restores ``sample`` into ``scratch``; returns problems the tool reported."""

    def restore_sample(self, snapshot: dict[str, Any], scratch: Path, count: int, tested_at: datetime) -> dict[str, Any]:
        """Restores up to ``count`` files of ``snapshot`` into ``scratch`` and verifies them."""
        try:
            sample = pick_sample(self.list_files(snapshot), count)
            hashes = self.recorded_hashes(snapshot, sample) if sample else {}
            sample = [{**entry, "sha256": hashes.get(entry["path"])} for entry in sample]
        except ProbeInputError as exc:  # an unreadable snapshot is a failed restore, not a failed probe
            sample, problems = [], [f"listing the snapshot failed: {exc}"]
        else:
            problems = self.extract(snapshot, sample, scratch) if sample else []
        files, mismatches = verify_files(scratch, sample)
        return restore_record(snapshot, tested_at, self.restore_method, files, problems + mismatches, scratch)


def collect_repository(tool: RepositoryTool) -> Evidence:
    """Everything the checks need about one repository."""
    target, ctx = tool.target, tool.ctx
    now = ctx.now or utcnow()
    location = {**tool.location, **local_facts(tool.location)}
    snapshots = tool.snapshots()
    facts = snapshot_facts(snapshots)
    here = socket.gethostname().split(".")[0].lower()
    for snapshot in facts["snapshots"]:
        # the backed-up paths can only be compared when the snapshot was taken on this machine
        made_here = (snapshot.get("hostname") or "").split(".")[0].lower() == here
        snapshot["same_filesystem"] = same_filesystem(location.get("device"), snapshot["paths"]) if made_here else None
    if target.attrs.get("check", True):
        integrity = {**tool.check(), "checked_at": now.isoformat()}
    else:
        integrity = {"ran": False, "reason": "check: false in the inventory"}
    restore_tests = []
    if ctx.options.get("restore_test"):
        count = int(target.attrs.get("restore_sample", 5))
        for snapshot in latest_per_group(facts["snapshots"], tool.group_key, MAX_GROUPS):
            restore_tests.append(restore_test(
                ctx, snapshot.get("paths", []),
                lambda scratch, snap=snapshot: tool.restore_sample(snap, scratch, count, now)))
    offsite = target.attrs.get("offsite")
    return {
        "source_type": tool.name,
        "tool_version": tool.version(),
        "repository": location,
        "systems_declared": list(target.attrs.get("systems", [])),
        "copy": {
            "site": target.attrs.get("site"),
            "offsite": (not location["local"]) if offsite is None else bool(offsite),
            "offsite_declared": offsite is not None,
            "offline": bool(target.attrs.get("offline", False)),
            "immutable": bool(target.attrs.get("immutable", False)),
            **tool.encryption(),
        },
        **facts,
        "integrity": integrity,
        "restore_tests": restore_tests,
    }
