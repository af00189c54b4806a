"""What the workflow's inputs share: strict models, a person with a role, files named in ``extensions``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """Unknown keys are errors: a misspelt key in a signed-off record must not vanish silently."""

    model_config = ConfigDict(extra="forbid")


class Person(StrictModel):
    """Someone who signs: the head of the office approving a risk, the authority authorising a scan."""

    name: str = Field(min_length=1, max_length=200)
    role: str = Field(min_length=1, max_length=200)


def extension_file(inventory_path: Path, extensions: dict[str, Any], key: str) -> Path | None:
    """The file ``extensions[key]`` names, resolved against the inventory's folder (``None`` when absent)."""
    value = extensions.get(key)
    if not value:
        return None
    return (inventory_path.parent / str(value)).resolve()
