"""auditor — cybersecurity and NIS2/KRI compliance audit scanner for Polish local government."""

__version__ = "0.1.0"
