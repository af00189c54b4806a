"""Recognising exposed sensitive files by their content, not their status code.

The curated list lives in ``exposed_paths.yaml``.  A site that answers
200 with its home page for every path (a "soft 404") must not raise a
false alarm, so a path counts only when its answer matches the content
signature of that kind of file *and* differs from the site's answer to a
random path.  What is kept as evidence is bounded and never a secret: the
matched text, the variable names of an ``.env`` (not their values), or a size.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping


from auditor.checks.web.parsing import looks_like_html
from auditor.yamlfile import load_shipped

_TABLE = Path(__file__).with_name("exposed_paths.yaml")


@dataclass(frozen=True)
class PathRule:
    kind: str
    path: str
    body: re.Pattern[str] | None
    magic: bytes | None
    header: re.Pattern[str] | None
    statuses: tuple[int, ...]
    not_html: bool
    detail: str


@lru_cache(maxsize=1)
def path_rules() -> tuple[PathRule, ...]:
    data = load_shipped(_TABLE.read_text(encoding="utf-8"))
    return tuple(
        PathRule(
            kind=kind,
            path=entry["path"],
            body=re.compile(entry["body"], re.MULTILINE) if "body" in entry else None,
            magic=bytes.fromhex(entry["magic"]) if "magic" in entry else None,
            header=re.compile(entry["header"], re.IGNORECASE) if "header" in entry else None,
            statuses=tuple(entry.get("statuses", [200])),
            not_html=bool(entry.get("not_html", False)),
            detail=entry.get("detail", "match"),
        )
        for kind, spec in data["kinds"].items()
        for entry in spec["paths"]
    )


def kinds() -> list[str]:
    return list(dict.fromkeys(rule.kind for rule in path_rules()))


def body_digest(body: bytes, path: str) -> str:
    """Digest of a body with the requested path taken out (soft-404 pages often echo it)."""
    return hashlib.sha256(body.replace(path.encode(), b"")).hexdigest()


def inspect(rule: PathRule, status: int, headers: Mapping[str, str], body: bytes, baseline: str | None) -> dict[str, Any] | None:
    """The exposure this answer proves, or ``None`` when it proves nothing."""
    if status not in rule.statuses or (baseline is not None and body_digest(body, rule.path) == baseline):
        return None
    text = body.decode("utf-8", errors="replace")
    match: str | None = None
    if rule.header is not None:
        for key, value in headers.items():
            found = rule.header.search(f"{key}: {value}")
            if found:
                match = found.group(0)
    if match is None and rule.magic is not None and body.startswith(rule.magic):
        match = rule.magic.hex()
    if match is None and rule.body is not None and not (rule.not_html and looks_like_html(text)):
        found = rule.body.search(text)
        match = found.group(0) if found else None
    if match is None:
        return None
    return {"kind": rule.kind, "path": rule.path, "status": status, "detail": _detail(rule, text, body, match)}


def _detail(rule: PathRule, text: str, body: bytes, match: str) -> str:
    if rule.detail == "names":
        names = re.findall(r"^(?:export\s+)?([A-Z][A-Z0-9_]{2,})=", text, re.MULTILINE)
        return "variables: " + ", ".join(dict.fromkeys(names[:15]))
    if rule.detail == "size":
        return f"{len(body)} bytes read"
    return " ".join(match.split())[:80]
