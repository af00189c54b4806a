"""TLS: protocols, cipher suites, certificates, known vulnerabilities and an SSL Labs-style grade (sslyze)."""

from auditor.checks.tls.family import FAMILY
from auditor.checks.tls import checks as _checks, probe as _probe  # noqa: F401 - registration

__all__ = ["FAMILY"]
