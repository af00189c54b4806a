"""What the process does with the unexpected: one clear line, the detail in a log, exit 3.

Exit 1 means "thresholds not met" (DESIGN.md); a job that republishes the
last good report on exit 1 must never do so because of a bug.  So an
exception nobody handled becomes exit 3 with one line on stderr naming a
private log file that holds the traceback.  SIGTERM and SIGHUP (``systemctl
stop``, a cron timeout, a closed terminal) stop a scan the way Ctrl-C does:
the engine marks unstarted jobs ``interrupted``, what was collected is
written, and the scan exits 3.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import FrameType

import click

from auditor.errors import ExitCode
from auditor.i18n import _


def _stop_like_ctrl_c(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"stopped by {signal.Signals(signum).name}")


def install_stop_signals() -> None:
    """SIGTERM and SIGHUP raise ``KeyboardInterrupt`` in the main thread, like Ctrl-C."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop_like_ctrl_c)


def write_crash_log(exc: BaseException) -> Path:
    """The traceback in a file only this user can read (``AUDITOR_LOG_DIR`` or the temp folder)."""
    folder = Path(os.environ.get("AUDITOR_LOG_DIR") or tempfile.gettempdir())
    path = folder / f"auditor-crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as log:
        log.write(f"auditor {' '.join(sys.argv[1:])[:500]}\n")
        log.write("".join(traceback.format_exception(exc)))
    return path


def guarded(main: click.Command, args: list[str] | None = None) -> None:
    """Runs the CLI; anything unexpected exits 3 with one line instead of a traceback and exit 1.

    Click's own standalone mode would turn an interruption outside a scan
    into "Aborted!" and exit 1, so it is off and its exceptions are shown here.
    """
    install_stop_signals()
    try:
        code = main.main(args=args, standalone_mode=False)
        raise SystemExit(code if isinstance(code, int) else 0)
    except SystemExit:
        raise
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except (KeyboardInterrupt, click.exceptions.Abort):
        print(_("interrupted"), file=sys.stderr)
        raise SystemExit(ExitCode.SCAN_FAILED) from None
    except Exception as exc:  # noqa: BLE001 - this is the last line of defence by design
        try:
            where = _("; details in {path}").format(path=write_crash_log(exc))
        except OSError:
            where = ""
        print(_("error: internal error ({problem}){where}").format(problem=f"{type(exc).__name__}: {str(exc)[:200]}",
                                                                   where=where), file=sys.stderr)
        raise SystemExit(ExitCode.SCAN_FAILED) from None
