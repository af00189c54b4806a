"""SARIF plain-text messages that carry target text as text, never as a link.

SARIF 2.1.0 §3.11.6 gives plain-text messages embedded links,
``[text](target)``, which viewers (GitHub code scanning, VS Code) render as
clickable links; a literal ``[`` or ``]`` must be escaped with a backslash.
A banner or page title saying ``[pobierz poprawkę](http://…/fix.exe)``
would otherwise become a link in the auditor's own report.  A backslash
itself is escaped too, so text ending in ``\\`` cannot un-escape the bracket
after it.
"""

from __future__ import annotations


def sarif_text(value: str) -> str:
    """``value`` with ``\\``, ``[`` and ``]`` backslash-escaped (§3.11.6), for a message's ``text``."""
    return value.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
