from auditor.checks.patching.knowledge import knowledge_for
from auditor.checks.patching.source import PackagesSource
from auditor.plugin import Family

FAMILY = Family(
    "patching",
    __file__,
    source_types={"packages": PackagesSource},
    data_versions=lambda settings: dict(knowledge_for(settings).versions),
)
