"""The law is written in one place: the baselines map checks to paragraphs; check texts cite none.

Two places for one legal reference drift apart (the TLS sidecar once cited
KRI §20 where the baseline said §19), so a family's texts — titles,
descriptions, remediation, messages, shipped or from rule files — must not
name a paragraph, article or annex item of KRI, NIS2 or the KSC act, and a
sidecar cannot even carry a ``references:`` list.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.plugin import load_check_texts
from auditor.registry import default_registry
from auditor.yamlfile import YamlFileError

#: A legal citation: a paragraph sign, or KRI/NIS2/KSC followed by an article, annex, point or item.
CITATION = re.compile(r"§\s*\d|\b(?:KRI|NIS2|KSC)\b[^.;:\n]{0,15}?(?:art\.|Art\.|zał\.|annex|ust\.|pkt|item|\(\d)")


def _texts(spec):
    text = spec.text
    yield "title", text.title
    if text.description is not None:
        yield "description", text.description
    yield "remediation", text.remediation
    for key, message in text.messages.items():
        yield f"messages.{key}", message


def test_no_check_text_carries_a_legal_reference():
    found = [f"{check_id} {field} [{lang}]: …{getattr(value, lang)[max(0, m.start() - 20):m.end() + 20]}…"
             for check_id, spec in sorted(default_registry().checks.items())
             for field, value in _texts(spec) for lang in ("pl", "en")
             for m in CITATION.finditer(getattr(value, lang))]
    assert found == []


@pytest.mark.parametrize("text", ["Zaktualizuj inwentarz usług (KRI §20 ust. 2 pkt 2).",
                                  "Update the service inventory (KRI §20(2)(2)).",
                                  "KSC (annex 4 item 9) requires SPF", "NIS2 art. 21 ust. 2 lit. h",
                                  "(KSC zał. 4 pkt 15)"])
def test_the_detector_sees_the_citations_we_removed(text):
    assert CITATION.search(text)


@pytest.mark.parametrize("text", ["KRI wymaga rejestrowania zdarzeń", "RFC 9116", "ISO/IEC 27005",
                                  "RODO art. 33: zgłoszenie do PUODO w 72 h", "port 443/tcp"])
def test_the_detector_leaves_plain_text_alone(text):
    assert not CITATION.search(text)


def test_a_sidecar_with_references_is_refused_with_its_line(tmp_path: Path):
    sidecar = tmp_path / "family.yaml"
    sidecar.write_text("checks:\n  x.check:\n    severity: low\n    title: {pl: T, en: T}\n"
                       "    remediation: {pl: R, en: R}\n    references:\n      - \"KRI §20 ust. 2 pkt 2\"\n",
                       encoding="utf-8")
    with pytest.raises(YamlFileError) as err:
        load_check_texts(sidecar)
    assert err.value.line == 6 and "references" in str(err.value)
