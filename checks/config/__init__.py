"""Host configuration: evidence bundles from collectors, remote facts via nmap, rules as data."""

from auditor.checks.config.family import FAMILY
from auditor.checks.config import checks as _checks, probe as _probe, remote as _remote  # noqa: F401 - registration

__all__ = ["FAMILY"]
