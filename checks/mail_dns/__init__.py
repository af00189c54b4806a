"""Mail and DNS hygiene of a domain: SPF, DMARC, DKIM, MX, MTA-STS, TLS-RPT, DNSSEC, CAA."""

from auditor.checks.mail_dns.family import FAMILY
from auditor.checks.mail_dns import checks as _checks, probe as _probe  # noqa: F401 - registration

__all__ = ["FAMILY"]
