"""The command line's words in Polish or English, from a gettext catalogue.

Messages are written in English in the code, marked with ``_()`` (translated
when called) or ``N_()`` (only marked: click help texts, which exist before
the language is known), and translated by the standard catalogue
``auditor/locale/pl/LC_MESSAGES/auditor.po`` (compiled to ``auditor.mo``,
both committed and shipped; ``make i18n`` re-extracts and recompiles with
Babel, and tests/core/test_i18n_catalogue.py fails when a message has no
translation or the ``.mo`` is older than the ``.po``).  English is the source
language, so it needs no catalogue.

The language is chosen once per command: ``--lang`` (any case), else
``AUDITOR_LANG``, else the locale variables in gettext's order (LANGUAGE,
LC_ALL, LC_MESSAGES, LANG) — Polish when they name Polish, English otherwise
(``LANG=C`` included).  Only the variables are read, so this works on a
machine where the ``pl_PL`` libc locale was never generated.

Click's own words ("Usage:", "Options", its error messages) go through
``gettext.gettext`` of the process-wide default domain, which reads only the
environment; ``route_click`` points click's modules at this catalogue so
they follow ``--lang`` too (their msgids are in the same ``.po``).
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path
from typing import Mapping

DOMAIN = "auditor"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("pl", "en")
#: Environment variables gettext reads, in its order; the first one set decides.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
#: The project's own override (a cron job on a server with ``LANG=C`` that should still speak Polish).
LANG_ENV = "AUDITOR_LANG"

_active = {"lang": "en"}


def _code(name: str) -> str:
    """``PL`` / ``pl_PL.UTF-8`` / ``pl-PL`` / ``pl@euro`` → ``pl``."""
    return name.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()


def normalise(lang: str) -> str:
    """A language name as one of ``LANGUAGES``: Polish in any spelling → ``pl``, anything else → ``en``."""
    code = _code(lang)
    return code if code in LANGUAGES else "en"


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: ``AUDITOR_LANG``, then gettext's variables.

    ``LANGUAGE`` is a colon-separated list (``de:pl``): its first entry we
    have a catalogue for wins, English counting as one.
    """
    env = os.environ if environ is None else environ
    if env.get(LANG_ENV):
        return normalise(env[LANG_ENV])
    for name in LOCALE_VARIABLES:
        value = env.get(name, "")
        if not value:
            continue
        for entry in value.split(":"):
            if _code(entry) in LANGUAGES:
                return _code(entry)
        if name != "LANGUAGE":  # a set LC_ALL/LC_MESSAGES/LANG decides even when it is "C"
            return "en"
    return "en"


@lru_cache(maxsize=None)
def translation(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English: the messages as written)."""
    code = normalise(lang)
    if code == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])


def set_language(lang: str) -> str:
    """Makes ``lang`` the language of every later ``_()``; returns the normalised code."""
    _active["lang"] = normalise(lang)
    return _active["lang"]


def current_language() -> str:
    return _active["lang"]


def _(message: str) -> str:
    """``message`` in the command's language."""
    return translation(_active["lang"]).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n`` in the command's language (Polish has three)."""
    return translation(_active["lang"]).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it yet (translated when shown)."""
    return message


def route_click() -> None:
    """Click's own messages from this catalogue in the command's language (see the module docstring)."""
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils",
                 "shell_completion"):
        module = importlib.import_module(f"click.{name}")
        if getattr(module, "_", None) is gettext.gettext:
            setattr(module, "_", _)
        if getattr(module, "ngettext", None) is gettext.ngettext:
            setattr(module, "ngettext", ngettext)
