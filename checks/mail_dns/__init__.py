"""Mail and DNS hygiene of a domain: SPF, DMARC, DKIM, MX, MTA-STS, TLS-RPT, DANE, DNSSEC, CAA."""

from auditor.checks.mail_dns.family import FAMILY
from auditor.checks.mail_dns import checks as _checks, mx_checks as _mx_checks, probe as _probe  # noqa: F401 - registration

__all__ = ["FAMILY"]
