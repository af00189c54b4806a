"""Where the workflow's input files live: named in the inventory's ``extensions``, relative to it."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def extension_file(inventory_path: Path, extensions: dict[str, Any], key: str) -> Path | None:
    """The file ``extensions[key]`` names, resolved against the inventory's folder (``None`` when absent)."""
    value = extensions.get(key)
    if not value:
        return None
    return (inventory_path.parent / str(value)).resolve()
