"""Secrets are resolved once, where the scan is started, and travel only to the job that needs them.

An inventory names where a repository password lives (``password_env``,
``password_file``) instead of holding it.  Reading those on a Dask worker
would read the *worker's* environment and files, which is wrong twice: the
variable is not set there, and the secret would have to be copied onto every
worker.  So the scanner reads them here, before any job is planned, into the
probe-only secret map of the run; the engine then hands each job only its
own target's entry.  A secret that cannot be read becomes a per-target
error message (the probe reports it as bad input), never a stopped scan.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Mapping

from auditor.model import Target

#: A password file is a line of text; anything larger is not one.
MAX_PASSWORD_FILE_BYTES = 64 * 1024
#: Where a probe finds why its target's secret could not be read.
ERROR_KEY = "password_error"


class SecretUnavailable(Exception):
    """A named secret (environment variable or file) cannot be read; the message names it, never its content."""


def read_named_password(attrs: Mapping[str, object], environ: Mapping[str, str] | None = None) -> str | None:
    """The password named by ``password_env`` or ``password_file`` in a target's attributes, if any."""
    env_name = attrs.get("password_env")
    if isinstance(env_name, str) and env_name:
        value = (os.environ if environ is None else environ).get(env_name)
        if value is None:
            raise SecretUnavailable(f"environment variable {env_name} (password_env) is not set "
                                    "where the scan was started")
        return value
    path = attrs.get("password_file")
    if isinstance(path, str) and path:
        return _first_line_of(Path(path))
    return None


def _first_line_of(path: Path) -> str:
    """The first line of a regular file, read without blocking on a FIFO or a device."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SecretUnavailable(f"password_file {path} cannot be read: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SecretUnavailable(f"password_file {path} is not a regular file")
        data = os.read(fd, MAX_PASSWORD_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_PASSWORD_FILE_BYTES:
        raise SecretUnavailable(f"password_file {path} is larger than {MAX_PASSWORD_FILE_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SecretUnavailable(f"password_file {path} is not UTF-8 text") from None
    return text.splitlines()[0] if text else ""


def resolve_secrets(targets: Iterable[Target], secrets: Mapping[str, Mapping[str, str]],
                    environ: Mapping[str, str] | None = None) -> dict[str, dict[str, str]]:
    """The run's secret map with every named password read (or its error recorded) per target."""
    resolved = {target_id: dict(values) for target_id, values in secrets.items()}
    for target in targets:
        if "password" in resolved.get(target.id, {}):
            continue
        try:
            value = read_named_password(target.attrs, environ)
        except SecretUnavailable as exc:
            resolved.setdefault(target.id, {})[ERROR_KEY] = str(exc)
            continue
        if value is not None:
            resolved.setdefault(target.id, {})["password"] = value
    return resolved
