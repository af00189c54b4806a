"""Configuration rules as data (one YAML file per platform); read by ``auditor.checks.config.rules``."""
