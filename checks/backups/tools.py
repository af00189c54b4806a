"""Running restic and borg: the password only in the child's environment.

Every call is bounded by a timeout, never reads stdin (so a missing
password cannot hang on a prompt), and everything it prints is scrubbed of
the password before it can reach evidence, a log or an exception message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from auditor.model import Target
from auditor.plugin import ProbeContext, ProbeInputError, ToolMissing
from auditor.secrets import ERROR_KEY, SecretUnavailable, read_named_password

#: Inherited variables that could carry another repository's secret into our call.
_DROPPED_ENV = ("RESTIC_PASSWORD", "RESTIC_PASSWORD_FILE", "RESTIC_PASSWORD_COMMAND", "RESTIC_REPOSITORY",
                "RESTIC_REPOSITORY_FILE", "BORG_PASSPHRASE", "BORG_PASSCOMMAND", "BORG_PASSPHRASE_FD", "BORG_REPO")
#: Tool output kept in evidence or errors, in characters.
MAX_OUTPUT_CHARS = 2000


@dataclass(frozen=True)
class ToolResult:
    returncode: int
    stdout: str
    stderr: str
    """Already scrubbed of the password."""

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def resolve_password(target: Target, ctx: ProbeContext) -> str | None:
    """The repository password: resolved where the scan started (``auditor.secrets``), or read now.

    Reading it now only happens when a probe is run outside a scan (tests, a
    single ``auditor backup`` call), where "here" is where the scan started.
    """
    secret = ctx.secret(target, "password")
    if secret is not None:
        return secret
    error = ctx.secret(target, ERROR_KEY)
    if error is not None:
        raise ProbeInputError(error)
    try:
        return read_named_password(target.attrs)
    except SecretUnavailable as exc:
        raise ProbeInputError(str(exc)) from None


def scrub(text: str, secret: str | None) -> str:
    """Removes the password (if any) and trims the text for storage."""
    if secret:
        text = text.replace(secret, "***")
    text = text.strip()
    return text if len(text) <= MAX_OUTPUT_CHARS else text[: MAX_OUTPUT_CHARS - 1] + "…"


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} is not installed (apt-get install {package})")
    return path


def run_tool(argv: Sequence[str], *, secret_env: Mapping[str, str], secret: str | None, timeout: float,
             cwd: str | None = None, extra_env: Mapping[str, str] | None = None) -> ToolResult:
    """Runs ``argv`` with the secret only in the environment; raises ``TimeoutError`` past ``timeout``."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env.update(extra_env or {})
    env.update(secret_env)
    try:
        done = subprocess.run(list(argv), env=env, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"{Path(argv[0]).name} {argv[1] if len(argv) > 1 else ''} did not finish within "
                           f"{timeout:.0f} s") from None
    stdout = done.stdout.decode("utf-8", "replace")
    if secret and secret in stdout:
        stdout = stdout.replace(secret, "***")
    return ToolResult(done.returncode, stdout, scrub(done.stderr.decode("utf-8", "replace"), secret))


def one_line(text: str, limit: int = 300) -> str:
    """Tool output folded into one line for a finding's message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
