"""Domain hygiene: the office's domain registrations, the domains its pages load scripts from, weak SSH host keys."""

from auditor.checks.hygiene.family import FAMILY
from auditor.checks.hygiene import checks as _checks, probe as _probe  # noqa: F401 - registration

__all__ = ["FAMILY"]
