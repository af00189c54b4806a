"""The command line's gettext catalogue: complete, compiled, and the language chosen as gettext would.

A message added to the code without a Polish translation fails
``test_every_message_in_the_code_is_in_the_catalogue`` (run ``make i18n`` and
translate the new empty entries); a translation that lost or renamed a
``{placeholder}`` would raise at run time and fails ``test_placeholders_match``.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from auditor.i18n import LOCALE_DIR, language_from_environment, normalise, translation

REPO = Path(__file__).resolve().parents[2]
PO = LOCALE_DIR / "pl" / "LC_MESSAGES" / "auditor.po"
MO = PO.with_suffix(".mo")


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="pl")


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _extracted(folder: Path) -> dict[str, str]:
    """msgid → where, for every marked message under ``folder`` (as ``make i18n`` extracts them)."""
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(str(folder), [("**.py", "python")]):
        found[_key(message)] = f"{folder.name}/{filename}:{lineno}"
    return found


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    catalogue = _catalogue()
    entries = [m for m in catalogue if m.id]
    assert len(entries) > 300
    untranslated = [m.id for m in entries
                    if not (all(m.string) if isinstance(m.string, (tuple, list)) else m.string)]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert untranslated == [] and fuzzy == []
    assert catalogue.num_plurals == 3  # Polish: one, few, many


def test_every_message_in_the_code_is_in_the_catalogue() -> None:
    """auditor's own messages and click's ("Usage:", its errors), which the CLI routes through the catalogue."""
    ids = {_key(m.id) for m in _catalogue() if m.id}
    code = {**_extracted(REPO / "auditor"), **_extracted(Path(click.__file__).parent)}
    missing = {where: message for message, where in code.items() if message not in ids}
    assert missing == {}


PERCENT = re.compile(r"%\((\w+)\)")


def _fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_placeholders_match() -> None:
    """A translation keeps the message's ``{placeholders}`` (and ``%(name)s``), or ``.format`` would fail."""
    wrong = []
    for m in _catalogue():
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        expected = set().union(*(_fields(i) for i in ids))
        for text in strings:
            if not _fields(text) <= expected or (isinstance(m.id, str) and _fields(text) != expected):
                wrong.append((m.id, text))
            if set(PERCENT.findall(text)) != set(PERCENT.findall(ids[0])):
                wrong.append((m.id, text))
    assert wrong == []


def test_the_shipped_mo_is_the_compiled_po() -> None:
    """The committed ``.mo`` (what the CLI reads) holds exactly the ``.po``'s translations (`make i18n`)."""
    with MO.open("rb") as handle:
        compiled = {_key(m.id): m.string for m in read_mo(handle) if m.id}
    source = {_key(m.id): m.string for m in _catalogue() if m.id}
    assert {k: tuple(v) if isinstance(v, list) else v for k, v in compiled.items()} == \
        {k: tuple(v) if isinstance(v, list) else v for k, v in source.items()}


def test_polish_plural_forms_from_the_catalogue() -> None:
    words = [translation("pl").ngettext("{n} host", "{n} hosts", n).format(n=n) for n in (1, 2, 5, 12, 22, 25)]
    assert words == ["1 host", "2 hosty", "5 hostów", "12 hostów", "22 hosty", "25 hostów"]
    assert translation("en").ngettext("{n} host", "{n} hosts", 2).format(n=2) == "2 hosts"


@pytest.mark.parametrize("environ, lang", [
    ({"LANG": "pl_PL.UTF-8"}, "pl"),
    ({"LANG": "C"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
    ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "pl_PL"}, "pl"),
    ({"LANG": "pl_PL.UTF-8", "LC_ALL": "C"}, "en"),          # LC_ALL wins over LANG, as in gettext
    ({"LANG": "pl_PL.UTF-8", "LC_ALL": ""}, "pl"),           # an empty variable does not count
    ({"LANGUAGE": "de:pl", "LANG": "C"}, "pl"),              # LANGUAGE: the first language we have
    ({"LANGUAGE": "en:pl", "LANG": "pl_PL.UTF-8"}, "en"),
    ({"LANGUAGE": "de:fr", "LANG": "pl_PL.UTF-8"}, "pl"),    # nothing usable in LANGUAGE: the next variable
    ({"AUDITOR_LANG": "PL", "LANG": "C"}, "pl"),
    ({"AUDITOR_LANG": "en", "LANG": "pl_PL.UTF-8"}, "en"),
])
def test_language_from_the_environment(environ: dict[str, str], lang: str) -> None:
    assert language_from_environment(environ) == lang


def test_language_names_in_any_case() -> None:
    assert [normalise(n) for n in ("PL", "pl", "pl-PL", "pl_PL.UTF-8", "EN", "de", "C")] == \
        ["pl", "pl", "pl", "pl", "en", "en", "en"]



def _commands(command: click.Command, path: str = "auditor"):
    """Every command under ``command``, loading lazily registered ones as ``auditor <name>`` would."""
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            yield from _commands(command.get_command(ctx, name), f"{path} {name}")


def test_every_help_text_of_every_command_and_option_is_in_the_catalogue() -> None:
    """A plain ``help="..."`` (not marked with ``N_``) would stay English in Polish help: it fails here."""
    from auditor.cli import main

    ids = {_key(m.id) for m in _catalogue() if m.id}
    helps = {f"{path} {getattr(item, 'name', '')}": item.help
             for path, command in _commands(main) for item in (command, *command.params)
             if getattr(item, "help", None)}
    assert len(helps) > 100
    assert {where: text for where, text in helps.items() if text not in ids} == {}
