"""Web exposure of HTTP(S) services: HTTPS redirect, security headers, cookies, security.txt, exposed files."""

from auditor.checks.web.family import FAMILY
from auditor.checks.web import checks as _checks, probe as _probe  # noqa: F401 - registration

__all__ = ["FAMILY"]
