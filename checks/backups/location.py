"""Where a repository lives, described without credentials.

The separation check needs the host a repository sits on and whether it is
on this machine's file system; the evidence must never carry a URL's
password.  Both restic backends (``sftp:``, ``rest:``, ``s3:`` ...) and
borg locations (``ssh://``, ``user@host:path``) are understood.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

_RESTIC_BACKENDS = ("local", "sftp", "rest", "s3", "b2", "azure", "gs", "swift", "rclone")
#: Backends that are someone's cloud: no host of ours, always outside the building.
_CLOUD_BACKENDS = ("s3", "b2", "azure", "gs", "swift", "rclone")


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.hostname or ""
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def _scp_host(spec: str) -> str | None:
    """``user@host:/path`` → ``host`` (the scp-like form of sftp and borg)."""
    if ":" not in spec:
        return None
    host = spec.split(":", 1)[0].rsplit("@", 1)[-1]
    return host or None


def describe(repository: str, tool: str) -> dict[str, Any]:
    """``{location, backend, host, local}`` for a restic or borg repository string."""
    backend, rest = "local", repository
    if tool == "restic" and ":" in repository and repository.split(":", 1)[0] in _RESTIC_BACKENDS:
        backend, rest = repository.split(":", 1)
    elif tool == "borg" and repository.startswith("ssh://"):
        backend = "ssh"
    elif tool == "borg" and _scp_host(repository) and not repository.startswith("/"):
        backend = "ssh"
    host: str | None = None
    if backend == "local":
        return {"location": str(Path(rest).resolve()), "backend": "local", "host": socket.gethostname(), "local": True}
    if "://" in rest:
        host = urlsplit(rest).hostname
    elif backend in ("sftp", "ssh"):
        host = _scp_host(rest)
    elif backend == "s3":
        host = rest.split("/", 1)[0] or None
    clean = _without_password(rest) if "://" in rest else rest
    location = clean if tool == "borg" else f"{backend}:{clean}"
    return {"location": location, "backend": backend, "host": host, "local": False,
            "cloud": backend in _CLOUD_BACKENDS}


def local_facts(location: dict[str, Any]) -> dict[str, Any]:
    """File-system identity of a local repository (to compare with the backed-up paths)."""
    if not location.get("local"):
        return {}
    try:
        return {"device": os.stat(location["location"]).st_dev}
    except OSError:
        return {}


def same_filesystem(repository_device: int | None, paths: list[str]) -> bool | None:
    """Whether any backed-up path that exists here shares the repository's file system."""
    if repository_device is None:
        return None
    devices = []
    for path in paths:
        try:
            devices.append(os.stat(path).st_dev)
        except OSError:
            continue
    if not devices:
        return None
    return repository_device in devices
