"""The CMS a JST's BIP and website run (WordPress, Joomla, Drupal): components' versions and exposed installers."""

from auditor.checks.cms.family import FAMILY
from auditor.checks.cms import checks as _checks, probe as _probe  # noqa: F401 - registration

__all__ = ["FAMILY"]
