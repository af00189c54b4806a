"""JavaScript libraries a page loads, identified and judged with retire.js's data format.

``baselines/data/jslibs.json`` keeps retire.js's ``jsrepository.json`` shape
(extractors with a ``§§version§§`` placeholder; vulnerabilities with
``atOrAbove``/``below``), so a current copy of retire.js's file can replace
it without code changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any
from urllib.parse import unquote

from auditor.checks.patching.versions import compare_upstream

_VERSION = r"[0-9][0-9a-z.\-]*?[0-9a-z]"
"""Lazy, so ``jquery-3.4.1.min.js`` gives ``3.4.1``; extractors that end in a version anchor their end."""


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    url: str


@lru_cache(maxsize=1)
def repository() -> dict[str, Any]:
    return json.loads(files("auditor.baselines").joinpath("data/jslibs.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _extractors() -> list[tuple[str, re.Pattern[str]]]:
    compiled = []
    for name, entry in repository().items():
        if name.startswith("_"):
            continue
        for kind in ("uri", "filename"):
            for pattern in entry.get("extractors", {}).get(kind, []):
                compiled.append((name, re.compile(pattern.replace("§§version§§", _VERSION), re.I)))
    return compiled


def identify(url: str) -> Library | None:
    """The library and version a script URL names, if retire.js's extractors recognise it."""
    text = unquote(url)
    for name, pattern in _extractors():
        match = pattern.search(text)
        if match:
            version = next((g for g in match.groups() if g and re.fullmatch(_VERSION, g, re.I)), None)
            if version:
                return Library(name, version, url)
    return None


def vulnerabilities(library: Library) -> list[dict[str, Any]]:
    """retire.js vulnerability entries whose range holds the library's version."""
    found = []
    for entry in repository()[library.name].get("vulnerabilities", []):
        below, above = entry.get("below"), entry.get("atOrAbove")
        if below and compare_upstream(library.version, below) >= 0:
            continue
        if above and compare_upstream(library.version, above) < 0:
            continue
        found.append(entry)
    return found
