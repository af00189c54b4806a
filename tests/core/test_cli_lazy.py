"""``auditor <command>`` imports only that command's module; help still lists every command.

Start-up is what a user waits for on ``auditor checks``: the other commands'
libraries (dnspython for ``discover``, jinja2 for reports) must not load.
Each check runs in a fresh interpreter, as the console script does.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import click

import auditor.cli as cli


def _loaded_after(args: list[str]) -> set[str]:
    code = ("import sys; from auditor.cli import main\n"
            f"try: main({args!r})\n"
            "except SystemExit: pass\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    return set(done.stderr.split())


def test_checks_loads_neither_other_commands_nor_their_libraries() -> None:
    loaded = _loaded_after(["checks", "--json"])
    assert "auditor.cli.checks_cmd" in loaded
    assert not {"auditor.cli.discover_cmd", "auditor.cli.fleet_cmd", "auditor.discovery", "jinja2", "dns.zone",
                "paramiko", "pymysql", "pg8000", "requests"} & loaded


def test_help_lists_every_command_module() -> None:
    loaded = _loaded_after(["--help"])
    modules = {f"auditor.cli.{info.name}" for info in pkgutil.iter_modules(cli.__path__)}
    assert modules <= loaded


def test_every_command_is_found_by_its_name() -> None:
    context = click.Context(cli.main)
    for name in cli.main.list_commands(context):
        assert cli.main.get_command(context, name) is not None
    for module in (f"auditor.cli.{info.name}" for info in pkgutil.iter_modules(cli.__path__)):
        assert module in sys.modules
