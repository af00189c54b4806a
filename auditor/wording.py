"""The reader's words for fixed report terms and evidence keys, in Polish or English.

One module below every layer: the reports and the analysis read it, and so do check families that
word a fact in a message at judging time (the config rules), so no field name reaches a reader.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml


@lru_cache(maxsize=1)
def report_labels() -> dict[str, dict[str, Any]]:
    """The fixed words of the reports (``report_templates/labels.yaml``): one source for every output."""
    return yaml.safe_load(files("auditor.report_templates").joinpath("labels.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def fact_labels() -> dict[str, list[str]]:
    """Evidence key → [Polish, English] reader label (``report_templates/fact_labels.yaml``)."""
    return yaml.safe_load(files("auditor.report_templates").joinpath("fact_labels.yaml").read_text(encoding="utf-8"))


#: Longest rendered fact value; evidence beyond this is cut (the JSON report has it all).
MAX_FACT_CHARS = 2000


def fact_label(key: str, lang: str) -> str:
    """An evidence key as the reader's words; a key without a label humanised (``ports_scanned`` → ``ports scanned``)."""
    entry = fact_labels().get(key)
    if entry:
        return str(entry[0 if lang == "pl" else 1])
    return key.replace(".", ": ").replace("_", " ")


def fact_value(value: Any, lang: str) -> str:
    """A fact value in words (``key: value; …`` for nested values, ``tak``/``nie``), never JSON."""
    if isinstance(value, bool):
        return str(report_labels()[lang]["word_yes" if value else "word_no"])
    if value is None:
        return "—"
    if isinstance(value, dict):
        return "; ".join(f"{fact_label(str(key), lang)}: {fact_value(item, lang)}"
                         for key, item in sorted(value.items(), key=lambda kv: str(kv[0])))
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(fact_value(item, lang) for item in value)
    return str(value)
