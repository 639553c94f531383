"""Shared fixtures: throwaway practice repositories written from a dict of files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from dated_history import build_history_repo

REPO = Path(__file__).resolve().parent.parent

CLIENT_YML = """\
name: Acme Logistics
engagement:
  start: 2026-03-02
"""

Write = Callable[..., Path]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current render output "
                          "(same as PORTICO_UPDATE_GOLDEN=1); review the diff before committing")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden tests rewrite their expected output instead of comparing with it."""
    return bool(request.config.getoption("--update-golden")) or \
        os.environ.get("PORTICO_UPDATE_GOLDEN") == "1"


@pytest.fixture
def practice(tmp_path: Path) -> Write:
    """`practice({"clients/acme/risks.yml": "..."})` writes a minimal repo and returns its root.

    A client.yml for `acme` and an empty mkdocs.yml are added unless given.
    """

    def write(files: dict[str, str | bytes] | None = None, *, client: bool = True) -> Path:
        files = dict(files or {})
        if client:
            files.setdefault("clients/acme/client.yml", CLIENT_YML)
        files.setdefault("mkdocs.yml", "site_name: Test practice\n")
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return tmp_path

    return write


@pytest.fixture(autouse=True)
def _no_pdfs_outside_the_browser_tests(request: pytest.FixtureRequest,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds outside tests/browser print no board-pack PDFs (PORTICO_CHROMIUM names no
    browser, as on a machine without Chromium): a fifth of those tests' time went to
    printing PDFs that no test of theirs reads. Printing is tested in tests/engine/
    test_pdf.py and in the browser tests' builds; a PORTICO_CHROMIUM of the user's stays."""
    if ("browser" in request.node.path.parts or request.node.path.name == "test_pdf.py"
            or "PORTICO_CHROMIUM" in os.environ):
        return
    monkeypatch.setenv("PORTICO_CHROMIUM", str(Path("/nonexistent") / "no-chromium"))


DEMO_INPUTS = ("clients", "content", "theme", "mkdocs.yml")


def _copy_demo(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in DEMO_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copyfile(source, dest / name)
    return dest


@pytest.fixture(scope="session")
def copy_demo() -> Callable[[Path], Path]:
    """`copy_demo(folder)` copies the demo practice (clients, content, theme, mkdocs.yml)."""
    return _copy_demo


SAMPLE_PORTAL = REPO / "tests" / "fixtures" / "sample_portal"


@pytest.fixture(scope="session")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample MkDocs Material portal (tests/fixtures/sample_portal), built once per session
    in a subprocess (fresh plugins), unprotected: what `protect` takes as input."""
    dest = tmp_path_factory.mktemp("plain") / "site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                    str(SAMPLE_PORTAL / "mkdocs.yml"), "-d", str(dest)],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return dest


@pytest.fixture(scope="session")
def history_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dated Harborline repository of `build_history_repo`, built once per session
    (tests that change it must copy it first)."""
    return build_history_repo(tmp_path_factory.mktemp("history") / "practice")
