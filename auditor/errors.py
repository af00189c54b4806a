"""Exit codes (DESIGN.md) and the one exception per layer the CLI maps onto them."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    """Done, and within the thresholds asked for."""
    THRESHOLD = 1
    """Done, but ``--fail-on`` / ``--fail-under`` / ``--fail-on-regression`` not met."""
    BAD_INPUT = 2
    """Bad invocation or a bad input file (inventory, baseline, attestations ...)."""
    SCAN_FAILED = 3
    """The scan itself could not run, could not complete, or checked nothing (``auditor.unchecked``)."""


class InputError(Exception):
    """A user-supplied input is wrong in a way that is not a YAML syntax error."""


class ScanFailed(Exception):
    """The scan could not run at all (as opposed to a target failing)."""
