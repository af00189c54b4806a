"""Default credentials on exposed services and admin panels (intrusive: only where the authorisation allows it)."""

from auditor.checks.credentials.family import FAMILY
from auditor.checks.credentials import checks as _checks, probe as _probe  # noqa: F401 - registration

__all__ = ["FAMILY"]
