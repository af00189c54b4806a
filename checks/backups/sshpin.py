"""ssh pinned to the checked address: restic's ``sftp:`` backend and borg over ssh never pick a host themselves.

restic and borg reach a remote repository by starting ``ssh``, which
decides where to connect on its own: through its config (``HostName``,
``ProxyJump``, ``ProxyCommand``), /etc/hosts or DNS — possibly another
address than the one the scope guard checked.  The command built here
gives ssh the checked address as ``HostName`` on the command line (which
beats any config file), turns off proxies and shared master connections,
and keeps the repository's name as ``HostKeyAlias``: known_hosts entries and
the user's ``Host`` blocks (key, user name, port) still apply to the name.

The base command is ``ssh``, or the ``backup_ssh_command`` setting (e.g.
``ssh -i /etc/auditor/backup_key``); the pinning options go right after the
program, ahead of the user's own, since ssh keeps the first value it is
given for an option.
"""

from __future__ import annotations

import shlex
from urllib.parse import urlsplit


def pinned_ssh(base: str, host: str, address: str) -> list[str]:
    """``base`` (an ssh command line) made to connect to ``address`` only, with ``host`` kept for host keys."""
    program, *own = shlex.split(base) or ["ssh"]
    return [program, "-o", f"HostName={address}", "-o", f"HostKeyAlias={host}", "-o", "ProxyJump=none",
            "-o", "ProxyCommand=none", "-o", "ControlMaster=no", "-o", "ControlPath=none", *own]


def ssh_parts(spec: str) -> tuple[str | None, str, int | None]:
    """(user, host, port) of ``user@host:path``, ``scheme://user@host:port/path`` or restic's
    ``//user@host:port//path`` (``sftp:`` already taken off)."""
    if "://" in spec or spec.startswith("//"):
        parts = urlsplit(spec if "://" in spec else f"sftp:{spec}")
        return parts.username, parts.hostname or "", parts.port
    login = spec.split(":", 1)[0]
    user, _, host = login.rpartition("@")
    return user or None, host, None


def restic_sftp_command(base: str, rest: str, address: str) -> str:
    """restic's ``-o sftp.command=…`` for the repository ``sftp:<rest>`` (restic then adds nothing itself)."""
    user, host, port = ssh_parts(rest)
    command = pinned_ssh(base, host, address)
    command += ["-p", str(port)] if port else []
    command += ["-l", user] if user else []
    return shlex.join([*command, host, "-s", "sftp"])


def borg_rsh(base: str, repository: str, address: str) -> str:
    """``BORG_RSH`` for a borg repository over ssh (borg appends ``-p port`` and ``user@host`` itself)."""
    return shlex.join(pinned_ssh(base, ssh_parts(repository)[1], address))
