from auditor.checks.patching.knowledge import knowledge_for
from auditor.checks.patching.source import PackagesSource
from pydantic import Field

from auditor.plugin import Family
from auditor.settings import SettingsModel


class PatchingSettings(SettingsModel):
    patching_data_dir: str | None = Field(default=None, min_length=1)
    patch_eol_soon_days: int | None = Field(default=None, ge=0, le=3650)
    patch_hotfix_max_age_days: int | None = Field(default=None, ge=1, le=3650)


FAMILY = Family(
    "patching",
    __file__,
    source_types={"packages": PackagesSource},
    data_versions=lambda settings: dict(knowledge_for(settings).versions),
    settings=PatchingSettings,
)
