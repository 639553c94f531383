"""Every bad input gets one clear `path:line: message` from `portico check`, never a traceback.

Each folder under tests/content/bad_inputs/ is one case: files laid out as in a repository
(`clients/acme/risks.yml` ...) and `expected.txt`. The case is copied over a minimal
practice (an mkdocs.yml and a valid clients/acme/client.yml, unless the case brings its
own) and `portico check` runs on it as a subprocess.

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
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("name", _cases())
def test_bad_input(name: str, tmp_path: Path) -> None:
    case = CASES / name
    _practice(case, tmp_path)
    expected = case.joinpath("expected.txt").read_text("utf-8").splitlines()
    accepted = bool(expected) and expected[0] == "ok"
    wanted = sorted(line for line in expected[accepted:] if line.strip())
    env = {**os.environ, "GITHUB_ACTIONS": "", "PYTHONUTF8": "1"}
    run = subprocess.run([sys.executable, "-m", "portico", "check"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output
    # Problems go to stderr, except warnings of a passing check, which go to stdout.
    printed = sorted(line for line in output.splitlines()
                     if line.startswith(("clients/", "content/", "mkdocs.yml:")))
    assert printed == wanted, output
    if accepted:
        assert run.returncode == 0, output
        assert run.stdout.splitlines()[-1].startswith("ok: "), output
    else:
        assert run.returncode == 1, output
        errors = [line for line in printed if ": warning: " not in line]
        assert run.stderr.rstrip().endswith(f"{len(errors)} error{'s' * (len(errors) != 1)}")
