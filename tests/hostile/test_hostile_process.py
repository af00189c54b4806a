"""Hostile input files and a hostile end of the process (issue 26, items 13, 14, 16).

YAML bombs, deep nesting, ``/dev/zero`` and a FIFO as the inventory or as
the attestations file: exit 2 naming the file and the reason, in bounded
time and memory (peak RSS measured).  SIGTERM and SIGHUP stop a running
scan like Ctrl-C (results so far written, exit 3).  An unexpected exception
exits 3 with one line and the traceback in a private log, never exit 1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from importlib.metadata import entry_points
from pathlib import Path

import click
import pytest
import yaml

import hostile_servers as hs
from auditor.crash import guarded
from auditor.model import ErrorReason, scan_run_from_json
from hostile_cli import AUDITOR, OFFICE, auditor_measured
from scope_lab import SCOPE

HEAD = {"organisation": OFFICE, "scope": {"cidrs": [SCOPE]}, "settings": {"timeout": 5}}


def _laughs(levels: int = 9) -> str:
    lines = ["  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _inputs(folder: Path) -> dict[str, Path]:
    head = yaml.safe_dump(HEAD, sort_keys=False)
    made = {
        "billion laughs in settings": head.replace("settings:\n  timeout: 5\n", "settings:\n" + _laughs()),
        "billion laughs in extensions": head + "extensions:\n" + _laughs(),
        "20 000-deep nesting": head + "extensions: {x: " + "[" * 20000 + "]" * 20000 + "}\n",
    }
    paths = {}
    for name, text in made.items():
        path = folder / f"{len(paths)}.yaml"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    fifo = folder / "fifo.yaml"
    os.mkfifo(fifo)
    paths["FIFO"] = fifo
    paths["/dev/zero"] = Path("/dev/zero")
    return paths


@pytest.mark.parametrize("role", ["inventory", "attestations"])
def test_bombs_and_special_files_exit_2_in_bounded_time_and_memory(tmp_path: Path, record_case, role: str) -> None:
    for name, path in _inputs(tmp_path).items():
        if role == "inventory":
            target = path
        else:
            target = tmp_path / "inventory.yaml"
            target.write_text(yaml.safe_dump({**HEAD, "extensions": {"attestations": str(path)}}), encoding="utf-8")
        with record_case(f"{role}: {name}") as outcome:
            start = time.monotonic()
            done, peak = auditor_measured("scan", str(target), "--out", str(tmp_path / "run.json"), cwd=tmp_path,
                                          timeout=60)
            seconds = time.monotonic() - start
            outcome.append(f"exit {done.returncode}, {peak:.0f} MB peak: {done.stderr.strip()[-70:]}")
        assert done.returncode == 2, (name, done.stderr[-500:])
        assert str(path.name) in done.stderr and "Traceback" not in done.stderr
        assert seconds < 30 and peak < 400, (name, seconds, peak)


@pytest.fixture
def tarpit():
    server = hs.HostileServer("tarpit", "127.123.30.40", hs.tarpit)
    yield server
    server.stop()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_stop_like_ctrl_c(tmp_path: Path, tarpit, record_case, signum) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(yaml.safe_dump({**HEAD, "settings": {"timeout": 120}, "hosts": [
        {"name": "smola.gmina.test", "addresses": [tarpit.address], "roles": ["www"],
         "ports": [{"port": tarpit.port, "service": "http"}]}]}), encoding="utf-8")
    proc = subprocess.Popen([str(AUDITOR), "scan", str(inventory), "--only", "web", "--out", "run.json", "-q"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while tarpit.connections == 0 and time.monotonic() < deadline:  # the probe is running: it reached the tarpit
        time.sleep(0.1)
    with record_case(f"{signal.Signals(signum).name} during a scan") as outcome:
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=60)
        outcome.append(f"exit {proc.returncode}; run.json written: {(tmp_path / 'run.json').exists()}")
    assert proc.returncode == 3, stderr
    run = scan_run_from_json((tmp_path / "run.json").read_text())
    assert run.meta.interrupted
    assert {a.error_reason for a in run.attempts} == {ErrorReason.INTERRUPTED}


def test_an_unexpected_error_exits_3_with_one_line_and_a_log(tmp_path: Path, monkeypatch, capsys, record_case) -> None:
    @click.command()
    def broken() -> None:
        {}["missing"]  # a bug nobody anticipated

    monkeypatch.setenv("AUDITOR_LOG_DIR", str(tmp_path))
    with record_case("unexpected exception in a command") as outcome:
        with pytest.raises(SystemExit) as stopped:
            guarded(broken, [])
        err = capsys.readouterr().err
        outcome.append(f"exit {stopped.value.code}: {err.strip()[:70]}")
    assert stopped.value.code == 3
    assert err.count("\n") == 1 and "internal error (KeyError" in err and "Traceback" not in err
    log = next(tmp_path.glob("auditor-crash-*.log"))
    assert "Traceback" in log.read_text() and oct(log.stat().st_mode & 0o777) == "0o600"
    assert str(log) in err
    # the installed console script is the guarded one
    script = next(e for e in entry_points(group="console_scripts") if e.name == "auditor")
    assert script.value == "auditor.cli:entry"


def test_out_onto_a_device_is_refused_not_replaced(tmp_path: Path) -> None:
    """``--out /dev/null`` must not rename a regular file over the device node (as root it would)."""
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(yaml.safe_dump(HEAD), encoding="utf-8")
    done = subprocess.run([str(AUDITOR), "scan", str(inventory), "--out", "/dev/null", "-q"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "nie jest zwykłym plikiem" in done.stderr
    assert Path("/dev/null").is_char_device()


def test_the_store_lock_holds_whatever_the_path_spelling(tmp_path: Path, record_case) -> None:
    """A scan holding the lock through a symlinked folder blocks a scan naming the real folder (item 17)."""
    import filelock

    from auditor.store.jobs import lock_path

    real = tmp_path / "kopie"
    real.mkdir()
    (tmp_path / "skrot").symlink_to(real, target_is_directory=True)
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(yaml.safe_dump(HEAD), encoding="utf-8")
    with filelock.FileLock(str(lock_path(tmp_path / "skrot" / "audit.sqlite"))):
        with record_case("store lock through a symlink") as outcome:
            done = subprocess.run([str(AUDITOR), "scan", str(inventory), "--store", str(real / "audit.sqlite"),
                                   "--lock-timeout", "0.5", "-q"], cwd=tmp_path, capture_output=True, text=True,
                                  timeout=120)
            outcome.append(f"exit {done.returncode}: {done.stderr.strip()[-60:]}")
    assert done.returncode == 3 and "inny skan trzyma" in done.stderr
    assert not (real / "audit.sqlite").exists()
