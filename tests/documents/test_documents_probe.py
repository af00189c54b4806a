"""The documents probe on real DOCX, ODT and PDF files written by the tests."""

from __future__ import annotations

import multiprocessing
import os
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from auditor.checks.documents.extract import ExtractionError, Limits, check_zip
from auditor.checks.documents.worker import IsolatedWorker, WorkerFailed, WorkerTimeout
from auditor.demo.doccorpus import Labelled, pbi
from auditor.demo.docwriter import Doc, title, write
from auditor.plugin import ProbeInputError

from docs_helpers import by_path, isolated_len_in, probe_folder

pytestmark = pytest.mark.probe


def test_every_corpus_document_is_classified_as_labelled(corpus_evidence, labelled: list[Labelled]) -> None:
    files = by_path(corpus_evidence)
    wrong = {
        item.doc.filename: (files[item.doc.filename]["classification"]["types"], item.types)
        for item in labelled
        if set(files[item.doc.filename]["classification"]["types"]) != set(item.types)
    }
    assert wrong == {}


def test_file_facts(corpus_evidence, today: date) -> None:
    files = by_path(corpus_evidence)
    policy = files["Polityka_bezpieczenstwa_informacji.docx"]
    assert len(policy["sha256"]) == 64 and policy["size"] > 0 and policy["text_extracted"]
    assert policy["title"] == "Polityka bezpieczeństwa informacji"
    assert policy["dates"]["approval"]["number"] == f"12/{policy['dates']['approval']['date'][:4]}"
    assert policy["dates"]["last_review"] == policy["dates"]["approval"]["date"]
    risk = files["Analiza_ryzyka_2019.pdf"]
    assert risk["format"] == "pdf" and risk["pages"] == 1
    assert risk["dates"]["approval"]["date"] == "2019-05-20" and risk["dates"]["document"] == "2019-05-15"
    odt = files["Zasady_stosowania_kryptografii.odt"]
    assert odt["dates"]["approval"] == {**odt["dates"]["approval"], "number": "55/2019", "date": "2019-09-02"}
    draft = files["Projekt_polityki_kopii.docx"]
    assert "=projekt" in draft["draft_markers"] and draft["dates"]["approval"] is None
    incomplete = files["Procedura_incydenty_stara.odt"]["sections"]["incident_procedure"]
    assert incomplete["missing_required"] == ["early_warning_24h", "notification_72h"]  # names the CSIRT, no deadlines


def test_scanned_pdf_is_recorded_as_needing_manual_review(corpus_evidence) -> None:
    scan = by_path(corpus_evidence)["Skan_PBI_podpisany.pdf"]
    assert scan["text_extracted"] is False and scan["pages"] == 1
    assert scan["error"]["reason"] == "no_text_layer"
    assert scan["hint_types"] == ["pbi"]


def _bomb_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (4 * 1024 * 1024))


def _encrypted_pdf(path: Path, source: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt("tajne-haslo")
    writer.write(str(path))


def test_hostile_and_broken_files_become_per_file_errors(tmp_path: Path, today: date) -> None:
    folder = tmp_path / "dokumenty"
    good = write(pbi(today, "Polityka.pdf"), folder)
    (folder / "uszkodzony.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    (folder / "uszkodzony.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "pusty.odt").write_bytes(b"")
    (folder / "stary.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    _bomb_docx(folder / "bomba.docx")
    _encrypted_pdf(folder / "zaszyfrowany.pdf", good)
    write(Doc("krotki.docx", (title("Rejestr ryzyk 2025"),)), folder)  # short, but real text
    write(Doc("bez_tekstu.docx", ()), folder)
    files = by_path(probe_folder(folder))
    reasons = {path: (facts["error"] or {}).get("reason") for path, facts in files.items()}
    assert reasons == {
        "Polityka.pdf": None,
        "uszkodzony.pdf": "malformed",
        "uszkodzony.docx": "malformed",
        "pusty.odt": "malformed",
        "stary.doc": "unsupported_format",
        "bomba.docx": "zip_bomb",
        "zaszyfrowany.pdf": "encrypted",
        "krotki.docx": None,
        "bez_tekstu.docx": "empty",
    }
    assert files["Polityka.pdf"]["classification"]["types"] == ["pbi"]
    assert files["krotki.docx"]["classification"]["types"] == ["risk_analysis"]


def test_walk_is_safe_and_bounded(tmp_path: Path, today: date) -> None:
    folder = tmp_path / "dokumenty"
    (folder / "archiwum").mkdir(parents=True)
    write(pbi(today, "a.txt"), folder)
    write(pbi(today, "b.md"), folder / "archiwum")
    (folder / "archiwum" / "petla").symlink_to(folder, target_is_directory=True)
    outside = tmp_path / "poza.txt"
    outside.write_text("Polityka bezpieczeństwa informacji", encoding="utf-8")
    (folder / "link_poza.txt").symlink_to(outside)
    (folder / "~$a.docx").write_bytes(b"lock")
    (folder / "logo.png").write_bytes(b"\x89PNG")
    evidence = probe_folder(folder)
    assert sorted(f["path"] for f in evidence["files"]) == ["a.txt", "archiwum/b.md"]
    assert {s["reason"] for s in evidence["skipped"]} == {
        "symlinked folder not followed",
        "symlink pointing outside the documents folder",
    }
    assert evidence["ignored_files"] == 1 and evidence["truncated"] is False
    capped = probe_folder(folder, max_files=1, max_file_mb=0.000001)
    assert len(capped["files"]) == 1 and capped["truncated"] is True
    assert capped["files"][0]["error"]["reason"] == "too_large"


def test_missing_folder_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(ProbeInputError):
        probe_folder(tmp_path / "nie-ma")


def test_zip_check_refuses_declared_oversize(tmp_path: Path) -> None:
    path = tmp_path / "duzy.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", os.urandom(64 * 1024))
    check_zip(path, Limits())
    with pytest.raises(ExtractionError) as info:
        check_zip(path, Limits(max_unzipped=32 * 1024))
    assert info.value.reason == "zip_bomb"


def test_worker_deadline_kills_and_recovers() -> None:
    with IsolatedWorker() as worker:
        with pytest.raises(WorkerTimeout):
            worker.call(time.sleep, (30,), 0.5)
        assert worker.call(len, ("abc",), 30) == 3
        with pytest.raises(WorkerFailed) as crash:
            worker.call(os._exit, (3,), 30)  # the parser process dies mid-file
        assert crash.value.reason == "crashed"
        assert worker.call(len, ("ab",), 30) == 2


def test_worker_memory_cap_turns_a_bomb_into_an_error() -> None:
    with IsolatedWorker(memory_bytes=512 * 1024 * 1024) as worker:
        with pytest.raises(WorkerFailed) as info:
            worker.call(bytearray, (1024 * 1024 * 1024,), 30)
        assert info.value.kind == "MemoryError"
        assert worker.call(len, ("ok",), 30) == 2


def test_worker_starts_inside_a_daemonic_process() -> None:
    """Dask runs probes in daemonic processes, which may not have multiprocessing children."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=isolated_len_in, args=(queue, "abcd"), daemon=True)
    process.start()
    try:
        assert queue.get(timeout=60) == 4
    finally:
        process.join(10)


def test_several_folders_keep_same_named_files_apart(tmp_path: Path, today: date) -> None:
    write(pbi(today, "PBI.txt"), tmp_path / "sekretariat")
    write(pbi(today, "PBI.txt"), tmp_path / "informatyk")
    evidence = probe_folder(tmp_path / "sekretariat", paths=[str(tmp_path / "informatyk"), str(tmp_path / "brak")])
    assert sorted(f["path"] for f in evidence["files"]) == ["informatyk/PBI.txt", "sekretariat/PBI.txt"]
    assert evidence["missing_roots"] == [str(tmp_path / "brak")]


def test_no_time_left_leaves_files_unread_and_says_so(tmp_path: Path, today: date) -> None:
    write(pbi(today, "PBI.txt"), tmp_path)
    evidence = probe_folder(tmp_path, timeout=0)
    assert evidence["truncated"] is True
    assert [f["error"]["reason"] for f in evidence["files"]] == ["time_budget"]


def test_fifo_and_devices_are_skipped_and_the_good_documents_kept(tmp_path: Path, today: date) -> None:
    """Issue 19 / 26 item 8: a FIFO or a character device must not block the probe or cost the other files."""
    import os
    import time

    folder = tmp_path / "dokumenty"
    folder.mkdir()
    write(pbi(today, "Polityka.docx"), folder)
    os.mkfifo(folder / "polityka_kopii.pdf")
    (folder / "zero.txt").symlink_to("/dev/zero")
    device = folder / "urzadzenie.odt"
    try:
        os.mknod(device, 0o600 | __import__("stat").S_IFCHR, os.makedev(1, 5))  # /dev/zero's numbers
    except PermissionError:
        device = None  # not root: the FIFO and the symlink still prove the point
    started = time.monotonic()
    evidence = probe_folder(folder, timeout=30)
    assert time.monotonic() - started < 15
    files = by_path(evidence)
    assert list(files) == ["Polityka.docx"] and files["Polityka.docx"]["classification"]["types"] == ["pbi"]
    skipped = {Path(s["path"]).name: s for s in evidence["skipped"]}
    assert skipped["polityka_kopii.pdf"]["code"] == "not_regular_file" and "FIFO" in skipped["polityka_kopii.pdf"]["reason"]
    assert "zero.txt" in skipped
    if device is not None:
        assert "character device" in skipped["urzadzenie.odt"]["reason"]
