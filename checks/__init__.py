"""Built-in check families, one sub-package per family (installed as ``auditor.checks``).

Each sub-package exposes ``FAMILY`` (an ``auditor.plugin.Family``) and keeps
its texts in a YAML sidecar next to its code.
"""
