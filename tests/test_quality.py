"""The code stays as STYLE.md asks: ruff-clean, and fully typed under mypy --strict."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_ruff_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "generator", "tests",
                           "benchmarks"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "generator/portico"], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_test_module_names_are_unique() -> None:
    """pytest imports test modules by basename (the folders have no __init__.py): two
    modules of one name make the whole run fail to collect."""
    seen: dict[str, Path] = {}
    clashes = []
    for path in sorted((REPO / "tests").rglob("test_*.py")):
        if path.name in seen:
            clashes.append(f"{seen[path.name].relative_to(REPO)} and {path.relative_to(REPO)}")
        seen.setdefault(path.name, path)
    assert not clashes, clashes


def test_no_test_imports_a_conftest() -> None:
    """Every test folder has a conftest.py, and `from conftest import` gets whichever was
    imported first: shared test code lives in a module of its own name (*_support.py)."""
    pattern = re.compile(r"^\s*(from conftest import|import conftest)", re.MULTILINE)
    importing = [str(path.relative_to(REPO)) for path in sorted((REPO / "tests").rglob("*.py"))
                 if pattern.search(path.read_text(encoding="utf-8"))]
    assert importing == []
