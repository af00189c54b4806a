"""The ``auditor`` command line.

One module per command (or group of related commands); each registers
itself on ``main`` when imported below.  Errors are mapped to exit codes in
one place (``run_command``) so every command behaves the same.
"""

from __future__ import annotations

import logging
import sys
from typing import Callable, TypeVar

import click

from auditor import __version__
from auditor.errors import ExitCode, InputError, ScanFailed
from auditor.plugin import PluginError
from auditor.yamlfile import YamlFileError

T = TypeVar("T")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="auditor")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def main(verbose: int) -> None:
    """Audyt cyberbezpieczeństwa JST wg KRI i NIS2/KSC.

    Cybersecurity and KRI / NIS2 compliance audit scanner for Polish local government.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def run_command(action: Callable[[], T], lang: str = "pl") -> T:
    """Runs a command body, turning known failures into the DESIGN.md exit codes.

    ``lang``: the command's ``--lang``, for the errors that have a text per language.
    """
    try:
        return action()
    except YamlFileError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(ExitCode.BAD_INPUT) from None
    except InputError as exc:
        click.echo(f"error: {exc.text(lang)}", err=True)
        raise SystemExit(ExitCode.BAD_INPUT) from None
    except PluginError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(ExitCode.BAD_INPUT) from None
    except ScanFailed as exc:
        click.echo(f"error: the scan could not run: {exc}", err=True)
        raise SystemExit(ExitCode.SCAN_FAILED) from None


def _register_commands() -> None:
    """Imports every ``auditor.cli.*`` module; each adds its command(s) to ``main``."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


_register_commands()


def entry() -> None:
    """The ``auditor`` console script: ``main`` behind the last-line-of-defence guard."""
    from auditor.crash import guarded

    guarded(main)
