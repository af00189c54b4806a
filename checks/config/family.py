"""The ``config`` family object, its inventory source type and its rule set.

Checks and their texts are generated from the rule files under
``baselines/config/`` (see ``rules``), so the family has no YAML sidecar of
its own: ``texts=`` hands the rule-derived texts to the strict join in
``auditor.plugin.Family``.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from auditor.inventory import SourceBase
from auditor.plugin import Family
from auditor.checks.config.rules import shipped_rules


class ConfigBundlesSource(SourceBase):
    """A folder of evidence bundles (``*.json``) written by ``auditor collector``.

    One inventory source is one target however many hosts it holds; each
    bundle's host becomes the ``subject`` of its findings.
    """

    type: Literal["config_bundles"]
    path: str = Field(min_length=1)
    """The folder, relative to the inventory file."""
    findings_per_subject: ClassVar[bool] = True
    """Each subject is a host: the report groups and counts findings per host, not per folder."""


FAMILY = Family(
    "config",
    __file__,
    source_types={"config_bundles": ConfigBundlesSource},
    texts=lambda: shipped_rules().texts(),
)
