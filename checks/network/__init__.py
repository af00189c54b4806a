"""Network exposure: open ports and the services behind them (nmap ``-sT -sV``)."""

from auditor.checks.network.family import FAMILY
from auditor.checks.network import checks as _checks, probe as _probe  # noqa: F401 - registration

__all__ = ["FAMILY"]
