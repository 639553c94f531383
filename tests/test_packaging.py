"""pyproject.toml as a release needs it: extras bounded to what CI runs, the project's
addresses, and the docs shipped inside the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from setuptools import find_namespace_packages

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
_UPPER = {"<", "<=", "==", "~=", "==="}


def test_every_optional_dependency_has_an_upper_bound() -> None:
    """An extra installs only releases CI has run; lifting a bound is a tested commit."""
    unbounded = [spec for extra in PYPROJECT["project"]["optional-dependencies"].values()
                 for spec in extra
                 if not {s.operator for s in Requirement(spec).specifier} & _UPPER]
    assert unbounded == []


def test_the_zensical_extra_stays_below_0_1() -> None:
    (spec,) = PYPROJECT["project"]["optional-dependencies"]["zensical"]
    allowed = Requirement(spec).specifier
    assert "0.0.73" in allowed and "0.1.0" not in allowed


def test_the_project_names_its_documentation_and_source() -> None:
    urls = PYPROJECT["project"]["urls"]
    assert urls["Documentation"].startswith("https://")
    assert urls["Source"].startswith("https://github.com/")
    config = (REPO / "docs/_config/mkdocs.yml").read_text(encoding="utf-8")
    assert f"site_url: {urls['Documentation']}" in config  # one address, said once each
    assert f"repo_url: {urls['Source']}" in config


def test_docs_ship_as_package_data_mapped_not_copied() -> None:
    tool = PYPROJECT["tool"]["setuptools"]
    assert tool["package-dir"]["portico.docs"] == "docs"
    shipped = tool["package-data"]["portico.docs"]
    assert {"*.md", "_config/*.yml"} <= set(shipped)
    assert not (REPO / "generator/portico/docs").exists()  # no copy, no link
    setup = (REPO / "setup.py").read_text(encoding="utf-8")
    assert '"portico.docs"' in setup
    assert "portico.sections.risks" in find_namespace_packages(
        str(REPO / "generator"), include=["portico", "portico.*"])
