"""Files git cannot keep in tests/content/bad_inputs/ (folders where files belong, broken
symlinks, names that are not UTF-8 or hold invisible characters): each is a `path: message`
from `check`, printed so the name shows what is really written, and never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Write = Callable[..., Path]


def check(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_ACTIONS": "", "PYTHONUTF8": "1"}
    run = subprocess.run([sys.executable, "-m", "portico", "check"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=120)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    return run


def test_section_files_that_are_not_files_are_errors(practice: Write) -> None:
    root = practice()
    client = root / "clients/acme"
    (client / "risks.yml").mkdir()
    (client / "kpis.yml").symlink_to("no-such-file.yml")
    (client / "time.csv").symlink_to("gone.csv")
    (client / "notes").write_text("a file where a folder belongs\n")
    (client / "decisions").symlink_to("nowhere")
    run = check(root)
    assert run.returncode == 1
    assert run.stderr.splitlines()[:-1] == [
        "clients/acme/decisions: not a folder (a broken symlink); decisions/ must be a folder",
        "clients/acme/kpis.yml: not a regular file (a broken symlink); kpis.yml must be a file",
        "clients/acme/notes: not a folder (a file); notes/ must be a folder",
        "clients/acme/risks.yml: not a regular file (a folder); risks.yml must be a file",
        "clients/acme/time.csv: not a regular file (a broken symlink); time.csv must be a file",
    ]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse such names")
def test_a_file_name_that_is_not_utf8_is_refused_naming_its_folder(practice: Write) -> None:
    root = practice({"clients/acme/notes/2026-11-20-status.md": "# Status\n\nFine.\n"})
    notes = os.fsencode(root / "clients/acme/notes")
    with open(os.path.join(notes, b"2026-11-21-caf\xe9.md"), "wb") as handle:
        handle.write(b"# Caf\xc3\xa9\n\nText.\n")
    run = check(root)
    assert run.returncode == 1
    assert ("clients/acme/notes: file name not UTF-8 text: 2026-11-21-caf\\xe9.md (the escapes "
            "stand for the bytes that are not); rename it") in run.stderr.splitlines()


def test_a_zero_width_character_in_a_name_is_shown_escaped(practice: Write) -> None:
    root = practice({"clients/ac\u200bme/client.yml": "name: Acme\nengagement:\n  start: "
                     "2026-03-02\n"})
    run = check(root)
    assert run.returncode == 1
    assert run.stderr.splitlines()[0].startswith(
        "clients/ac\\u200bme: folder name must be a slug")


def test_visible_escapes_only_what_does_not_show() -> None:
    from portico.content.errors import Problem, visible

    assert visible("risks.yml:4: score × 2 → “high” … ok") == "risks.yml:4: score × 2 → “high” … ok"
    assert visible("ac\u200bme\u202eevil\u00a0x\tend") == "ac\\u200bme\\u202eevil\\u00a0x\\u0009end"
    assert visible("caf\udce9") == "caf\\xe9"
    assert str(Problem("clients/ac\u200bme", 0, "bad")) == "clients/ac\\u200bme: bad"
