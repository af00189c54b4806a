"""Reading evidence bundles: one JSON document per host, as the collectors write it.

The full layout is described by ``bundle.schema.json`` (shipped next to
this module and documented in docs/config.md); here only the header every
bundle must have is enforced, because the sections are optional by design —
a collector run without root still gives a useful, partial bundle.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from auditor.checks.config.facts_linux import linux_facts
from auditor.checks.config.facts_windows import windows_facts

BUNDLE_FORMAT = "auditor-config-bundle"
#: A bundle bigger than this is not something a collector wrote.
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
SCHEMA_PATH = Path(__file__).with_name("bundle.schema.json")
_FACT_BUILDERS = {"linux": linux_facts, "windows": windows_facts}


class BundleError(ValueError):
    """A file is not a readable evidence bundle."""


class BundleHeader(BaseModel):
    model_config = ConfigDict(extra="allow")
    format: Literal["auditor-config-bundle"]
    format_version: Literal[1]
    platform: Literal["linux", "windows"]
    host: str = Field(min_length=1, max_length=253)
    collected_at: AwareDatetime


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM, as Windows PowerShell may write it."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig", errors="replace")


def read_bundle(path: Path) -> dict[str, Any]:
    """The parsed bundle; raises ``BundleError`` naming what is wrong."""
    try:
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise BundleError(f"{path.name}: larger than {MAX_BUNDLE_BYTES} bytes")
        data = json.loads(decode(path.read_bytes()))
    except OSError as exc:
        raise BundleError(f"{path.name}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BundleError(f"{path.name}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise BundleError(f"{path.name}: a bundle is a JSON object")
    try:
        BundleHeader.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'bundle'}: {e['msg']}" for e in exc.errors())
        raise BundleError(f"{path.name}: not an auditor bundle ({problems})") from None
    return data


def subject_of(path: Path, bundle: dict[str, Any], now: datetime) -> dict[str, Any]:
    """What the evidence keeps of one bundle: who, when, from which file, and its facts.

    ``bundle.age_days`` (relative to ``now``, the scan time) is a fact too, so
    a rule can flag evidence too old to describe the host any more.
    """
    collector = bundle.get("collector") or {}
    taken = datetime.fromisoformat(str(bundle["collected_at"]).replace("Z", "+00:00"))
    facts = _FACT_BUILDERS[bundle["platform"]](bundle)
    facts["bundle"] = {"age_days": round((now - taken).total_seconds() / 86400, 1)}
    if bundle["platform"] == "linux":
        facts["bundle"]["collected_as_root"] = collector.get("uid") in (0, "0")
    return {
        "subject": bundle["host"],
        "platform": bundle["platform"],
        "file": path.name,
        "collected_at": bundle["collected_at"],
        "collector_version": collector.get("collector_version"),
        "facts": facts,
    }


def collected_at(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(entry["collected_at"]).replace("Z", "+00:00"))
