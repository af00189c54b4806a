"""Security documentation: find, classify and date the office's policy documents (PDF, DOCX, ODT, text)."""

from auditor.checks.documents.family import FAMILY
from auditor.checks.documents import checks as _checks, probe as _probe  # noqa: F401 - registration

__all__ = ["FAMILY"]
