"""Patching: exposed software versions and package inventories against end-of-life and vulnerability data."""

from auditor.checks.patching.family import FAMILY
from auditor.checks.patching import checks as _checks, probe as _probe  # noqa: F401 - registration

__all__ = ["FAMILY"]
