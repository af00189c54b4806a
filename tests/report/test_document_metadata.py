"""DOCX and ODT look like an office's document: A4, the reader's language, the audit's author and dates."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from docx import Document
from docx.oxml.ns import qn

from auditor.analysis import analyse
from auditor.report import DocumentFormat, render_document
from auditor.report.synthetic import synthetic_run

FINISHED = datetime(2026, 11, 27, 8, 42, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def run():
    base = synthetic_run(findings=40, targets=4)
    return replace(base, meta=replace(base.meta, operator="jkowalski", finished=FINISHED),
                   organisation={**base.organisation, "name": "Gmina Wólka"})


@pytest.mark.parametrize("lang, tag", [("pl", "pl-PL"), ("en", "en-GB")])
def test_docx_is_a4_in_the_readers_language_with_the_audits_author_and_date(run, lang, tag) -> None:
    document = Document(io.BytesIO(render_document(analyse(run, lang=lang), DocumentFormat.DOCX)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # stored in twips
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == tag
    properties = document.core_properties
    assert properties.language == tag and properties.author == "jkowalski" and properties.subject == "Gmina Wólka"
    assert properties.created == FINISHED and properties.modified == FINISHED
    assert "python-docx" not in (properties.author + properties.last_modified_by + properties.comments)


@pytest.mark.parametrize("lang, language, country", [("pl", "pl", "PL"), ("en", "en", "GB")])
def test_odt_is_a4_in_the_readers_language_with_the_audits_author_and_date(run, lang, language, country) -> None:
    with zipfile.ZipFile(io.BytesIO(render_document(analyse(run, lang=lang), DocumentFormat.ODT))) as odt:
        meta, styles = odt.read("meta.xml").decode(), odt.read("styles.xml").decode()
    assert f"<dc:language>{language}-{country}</dc:language>" in meta
    assert "<meta:initial-creator>jkowalski</meta:initial-creator>" in meta
    assert "<meta:creation-date>2026-11-27T08:42:00</meta:creation-date>" in meta
    assert re.search(r'fo:page-width="21cm"[^>]*fo:page-height="29.7cm"|fo:page-height="29.7cm"[^>]*fo:page-width="21cm"',
                     styles)
    assert re.search(rf'<style:default-style style:family="paragraph">.*?fo:language="{language}"[^>]*'
                     rf'fo:country="{country}"|fo:country="{country}"[^>]*fo:language="{language}"', styles, re.S)
