"""The ``auditor`` command line.

One module per command (or group of related commands), named after it
(``checks`` → ``checks_cmd``, ``backup-test`` → ``backup_cmd``); each
registers itself on ``main`` when imported.  Only the module of the command
being run is imported (``LazyRoot``): a command's start-up does not pay for
every other command's libraries (dnspython, jinja2, the analysis); help and
completion import them all.  Errors are mapped to exit codes in one place
(``run_command``) so every command behaves the same.
"""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence, TypeVar

import click

from auditor import __version__
from auditor.errors import ExitCode, InputError, ScanFailed
from auditor.i18n import N_, _, current_language, language_from_environment, route_click, set_language
from auditor.yamlfile import YamlFileError

T = TypeVar("T")

route_click()


@contextmanager
def _translated_help(command: click.Command) -> Iterator[None]:
    """The command's and its options' help texts in the command's language while click formats them.

    Help texts are plain English strings marked with ``N_`` (they are created
    at import, before the language is known) and translated only here.
    """
    saved = [(item, item.help) for item in (command, *command.params) if getattr(item, "help", None)]
    for item, text in saved:
        item.help = _(text)  # type: ignore[union-attr,arg-type]
    try:
        yield
    finally:
        for item, text in saved:
            item.help = text  # type: ignore[union-attr]


#: The usage line's placeholders click writes in English ("Usage: auditor [OPTIONS] COMMAND [ARGS]...").
USAGE_WORDS = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))


class TranslatedCommand(click.Command):
    """A command whose help is shown in the language of the run (see ``auditor.i18n``)."""

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [_(piece) if piece in USAGE_WORDS else piece for piece in super().collect_usage_pieces(ctx)]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated_help(self):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated_help(self):
            return super().get_short_help_str(limit)


def language_in(args: Sequence[str]) -> str | None:
    """The value of ``--lang X`` / ``--lang=X`` on a command line, if any.

    Read before click parses, because click's parse errors ("No such
    option") are messages too and come before any option is processed.
    """
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
    return None


class TranslatedGroup(TranslatedCommand, click.Group):
    """The root group: picks the language before parsing; its commands and sub-groups translate their help."""

    command_class = TranslatedCommand
    group_class = type

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        """Runs one command in its language, which stays set for what the caller prints after (``guarded``)."""
        words = list(sys.argv[1:] if args is None else args)
        set_language(language_in(words) or language_from_environment())
        return super().main(words, *rest, **kwargs)


class LazyRoot(TranslatedGroup):
    """The root group: a command's module is imported when the command is asked for, all of them for help."""

    group_class = TranslatedGroup

    def get_command(self, ctx: click.Context | None, cmd_name: str) -> click.Command | None:  # type: ignore[override]
        if cmd_name not in self.commands:
            _import_command(cmd_name)
        return super().get_command(ctx, cmd_name)  # type: ignore[arg-type]

    def list_commands(self, ctx: click.Context) -> list[str]:
        _register_commands()
        return super().list_commands(ctx)


def lang_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--lang pl|en`` (any case); without it the environment's language (``auditor.i18n``)."""

    def chosen(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
        return set_language(value) if value else current_language()

    return click.option("--lang", type=click.Choice(["pl", "en"], case_sensitive=False), default=None,
                        callback=chosen, is_eager=True,
                        help=N_("Language of the output, pl or en; default: AUDITOR_LANG, else the locale "
                                "(LANGUAGE, LC_ALL, LC_MESSAGES, LANG): Polish for a Polish locale, "
                                "English otherwise."))(command)


@click.group(cls=LazyRoot, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             help=N_("Cybersecurity and KRI / NIS2 compliance audit scanner for Polish local government."))
@click.version_option(__version__, prog_name="auditor", help=N_("Show the version and exit."))
@click.option("-v", "--verbose", count=True, help=N_("More log output on stderr (-vv for debug)."))
def main(verbose: int) -> None:
    """The root of every command: sets the log level."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def run_command(action: Callable[[], T]) -> T:
    """Runs a command body, turning known failures into the DESIGN.md exit codes."""
    from auditor.plugin import PluginError  # pydantic: loaded by every command that can raise it

    try:
        return action()
    except (YamlFileError, InputError, PluginError) as exc:
        click.echo(_("error: {problem}").format(problem=exc), err=True)
        raise SystemExit(ExitCode.BAD_INPUT) from None
    except ScanFailed as exc:
        click.echo(_("error: the scan could not run: {problem}").format(problem=exc), err=True)
        raise SystemExit(ExitCode.SCAN_FAILED) from None


def _register_commands() -> None:
    """Imports every ``auditor.cli.*`` module; each adds its command(s) to ``main``."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def _import_command(name: str) -> None:
    """Imports the module of command ``name`` (``<first word>_cmd``); every module when it is not there."""
    import importlib

    module = f"{__name__}.{name.split('-')[0]}_cmd"
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
    if name not in main.commands:
        _register_commands()


def entry() -> None:
    """The ``auditor`` console script: ``main`` behind the last-line-of-defence guard."""
    from auditor.crash import guarded

    guarded(main)
