"""A real Postfix MX (``master -d``) on loopback addresses (demo lab and tests).

Postfix runs with its own ``config_directory``, ``queue_directory`` and
``data_directory`` under the caller's folder, its log in a file there, and
one ``smtpd`` listener per ``SmtpListener`` in master.cf, each on a
loopback address and unprivileged port with its own TLS settings: a good
certificate, an expired one, STARTTLS required (a submission port), or no
STARTTLS at all.  Postfix needs root (the master drops to the ``postfix``
user), as on a real server; the Debian package creates that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from auditor.demo.certs import CertFiles
from auditor.demo.daemon import Daemon, DaemonError, binary

#: Postfix's internal services (the Debian master.cf without the network listeners).
_INTERNAL = """\
pickup    unix  n - n 60   1 pickup
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
proxymap  unix  - - n -    - proxymap
smtp      unix  - - n -    - smtp
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
tlsmgr    unix  - - n 1000? 1 tlsmgr
"""


@dataclass(frozen=True)
class SmtpListener:
    """One smtpd: ``cert`` ``None`` means no STARTTLS offered; ``require_tls`` is a submission port's ``encrypt``."""

    address: str
    port: int
    cert: CertFiles | None
    require_tls: bool = False


def _listener(listener: SmtpListener) -> str:
    if listener.cert is None:
        options = ["smtpd_tls_security_level=none"]
    else:
        options = [f"smtpd_tls_security_level={'encrypt' if listener.require_tls else 'may'}",
                   f"smtpd_tls_cert_file={listener.cert.cert}", f"smtpd_tls_key_file={listener.cert.key}"]
    return f"{listener.address}:{listener.port} inet n - n - - smtpd " + " ".join(f"-o {o}" for o in options) + "\n"


def main_cf(folder: Path, hostname: str) -> str:
    # inet_interfaces = all: Postfix accepts only addresses of real interfaces there, and a loopback
    # alias is none; each master.cf listener names its own address, so nothing else is bound.
    return f"""compatibility_level = 3.6
queue_directory = {folder}/queue
data_directory = {folder}/data
mail_owner = postfix
myhostname = {hostname}
inet_interfaces = all
inet_protocols = ipv4
mydestination =
relayhost =
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
maillog_file = {folder}/maillog
maillog_file_prefixes = {folder}
"""


def postfix_unavailable() -> str | None:
    """Why a test Postfix cannot run here, or ``None``."""
    try:
        binary("postfix", "postfix")
        pwd.getpwnam("postfix")
    except (DaemonError, KeyError):
        return "postfix is not installed (apt-get install postfix)"
    return None if os.geteuid() == 0 else "Postfix's master must start as root"


class PostfixDaemon(Daemon):
    """The master process; ``stop()`` also removes its runtime folder."""

    runtime: Path

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.runtime, ignore_errors=True)


def start_postfix(hostname: str, listeners: list[SmtpListener]) -> PostfixDaemon:
    """Writes main.cf/master.cf, creates the queue (``postfix check``) and runs ``master -d``.

    Postfix's daemons run as the ``postfix`` user and must reach the queue,
    so everything lives in a fresh world-traversable folder under the system
    temp dir (a test's or the user's own folder is often private to root).
    """
    reason = postfix_unavailable()
    if reason:
        raise DaemonError(reason)
    folder = Path(tempfile.mkdtemp(prefix="auditor-postfix-"))
    folder.chmod(0o755)
    config = folder / "conf"
    config.mkdir(parents=True, exist_ok=True)
    for name in ("queue", "data"):
        (folder / name).mkdir(exist_ok=True)
    os.chown(folder / "data", pwd.getpwnam("postfix").pw_uid, -1)
    (config / "main.cf").write_text(main_cf(folder, hostname), encoding="utf-8")
    (config / "master.cf").write_text("".join(_listener(item) for item in listeners) + _INTERNAL, encoding="utf-8")
    check = subprocess.run([binary("postfix", "postfix"), "-c", str(config), "check"], capture_output=True,
                           timeout=60, stdin=subprocess.DEVNULL)
    if check.returncode != 0:
        raise DaemonError(f"postfix check failed: {(folder / 'maillog').read_text(errors='replace')[-400:]}"
                          if (folder / "maillog").exists() else "postfix check failed")
    try:
        daemon = PostfixDaemon("postfix", [binary("master", "postfix"), "-c", str(config), "-d"],
                               [(item.address, item.port) for item in listeners], log=folder / "master.log")
    except DaemonError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    daemon.runtime = folder
    return daemon
