"""The ``packages`` evidence source: package inventories exported from a host."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from auditor.checks.patching.inventories import PARSERS
from auditor.inventory import SourceBase


class InventoryFile(BaseModel):
    """One exported file and the command format it holds (see docs/patching.md)."""

    model_config = ConfigDict(extra="forbid")
    path: str = Field(min_length=1)
    format: str

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value not in PARSERS:
            raise ValueError(f"unknown format {value!r}; known: {', '.join(sorted(PARSERS))}")
        return value


class OperatingSystem(BaseModel):
    """Declared OS release, when the files do not tell it (``debian``/``11``, ``windows``/``10.0.19045``)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    caption: str = ""


class PackagesSource(SourceBase):
    """``type: packages`` — one host's package inventory, made of one or more exported files."""

    type: Literal["packages"]
    host: str | None = None
    """The inventory host these packages belong to (for the report)."""
    os: OperatingSystem | None = None
    files: list[InventoryFile] = Field(min_length=1)

    @field_validator("files")
    @classmethod
    def _resolve(cls, files: list[InventoryFile], info: ValidationInfo) -> list[InventoryFile]:
        """Relative paths are relative to the inventory file, as a user expects."""
        base = Path((info.context or {}).get("base_dir", "."))
        return [f.model_copy(update={"path": str((base / f.path).resolve())}) for f in files]
