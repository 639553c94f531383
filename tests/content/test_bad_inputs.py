"""Every bad input gets one clear `path:line: message` from `portico check`, never a traceback.

Each folder under tests/content/bad_inputs/ is one case: files laid out as in a repository
(`clients/acme/risks.yml` ...) and `expected.txt`. The case is copied over a minimal
practice (an mkdocs.yml and a valid clients/acme/client.yml, unless the case brings its
own) and `portico check` runs on it (in this process; three cases also as a process of their
own, as a user runs it).

expected.txt holds the exact lines `check` prints for the case's problems, in any order.
A first line `ok` means the input is accepted (exit status 0); any further lines are the
warnings it must print. Otherwise the exit status must be 1 and the lines are exactly the
errors and warnings printed.

A file named `NAME.fill` stands for a large file: its first line is the size in bytes, the
rest is the start of NAME, padded with `x` lines up to that size (20 MB is not kept in git).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main

CASES = Path(__file__).parent / "bad_inputs"
BASE = {
    "mkdocs.yml": "site_name: Test practice\n",
    "clients/acme/client.yml": "name: Acme Logistics\nengagement:\n  start: 2026-03-02\n",
}


def _cases() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "expected.txt").is_file())


def _practice(case: Path, root: Path) -> None:
    for rel, text in BASE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for source in sorted(case.rglob("*")):
        rel = source.relative_to(case)
        if source.is_dir() or rel.as_posix() == "expected.txt":
            continue
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".fill":
            size, start = source.read_bytes().split(b"\n", 1)
            padding = int(size) - len(start)
            line = b"x" * 99 + b"\n"
            target.with_suffix("").write_bytes(start + line * (padding // 100) +
                                               b"x" * (padding % 100))
        else:
            shutil.copyfile(source, target)


def _check(root: Path, *, process: bool, monkeypatch: pytest.MonkeyPatch
           ) -> tuple[int, str, str]:
    """`portico check` in `root`: (exit status, stdout, stderr), in a process of its own as
    a user runs it, or in this one (the same command and output, without a Python start-up
    and every import per case: CI time)."""
    env = {"GITHUB_ACTIONS": "", "PYTHONUTF8": "1"}
    if process:
        run = subprocess.run([sys.executable, "-m", "portico", "check"], cwd=root,
                             env={**os.environ, **env}, capture_output=True, text=True,
                             timeout=120)
        return run.returncode, run.stdout, run.stderr
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check"])
    # An exception other than the exit is what a user would see as a traceback.
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        "".join(traceback.format_exception(result.exception)))
    return result.exit_code, result.stdout, result.stderr


def _assert_checked(case: Path, code: int, stdout: str, stderr: str) -> None:
    expected = case.joinpath("expected.txt").read_text("utf-8").splitlines()
    accepted = bool(expected) and expected[0] == "ok"
    wanted = sorted(line for line in expected[accepted:] if line.strip())
    output = stdout + stderr
    assert "Traceback" not in output, output
    # Problems go to stderr, except warnings of a passing check, which go to stdout.
    printed = sorted(line for line in output.splitlines()
                     if line.startswith(("clients/", "content/", "mkdocs.yml:")))
    assert printed == wanted, output
    if accepted:
        assert code == 0, output
        assert stdout.splitlines()[-1].startswith("ok: "), output
    else:
        assert code == 1, output
        errors = [line for line in printed if ": warning: " not in line]
        assert stderr.rstrip().endswith(f"{len(errors)} error{'s' * (len(errors) != 1)}")


@pytest.mark.parametrize("name", _cases())
def test_bad_input(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES / name
    _practice(case, tmp_path)
    _assert_checked(case, *_check(tmp_path, process=False, monkeypatch=monkeypatch))


# A refused file, an accepted one with warnings, and an oversized one, as a user runs `check`.
IN_A_PROCESS = ["wrong-types-risks", "rough-edges-warnings", "yaml-over-5-mb"]


@pytest.mark.parametrize("name", IN_A_PROCESS)
def test_bad_input_in_a_process_of_its_own(name: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES / name
    _practice(case, tmp_path)
    _assert_checked(case, *_check(tmp_path, process=True, monkeypatch=monkeypatch))
