"""A new section plugs in with one registration line: nothing else in the package changes.

The OKR section here lives in this file (its templates in a temporary folder) and is added
to the registry by the test alone; load, check, render, the home page, the navigation,
the leak-scan markers, the JSON Schemas and the YAML-source rules all pick it up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import Field

import portico.sections
from portico.content.check import check_practice
from portico.content.errors import Problem
from portico.content.load import load_practice
from portico.content.model import Engagement, InputModel
from portico.content.schema import write_schemas
from portico.portal.render import render_portal
from portico.protection.markers import client_markers
from portico.sections import SECTIONS, Markers, Section, source_files

TODAY = dt.date(2026, 6, 15)
Write = Callable[..., Path]


class Okr(InputModel):
    """One measure."""

    name: str = Field(description="What is measured.")
    target: float | None = Field(None, description="Where it should be.")
    internal: bool = Field(False, description="Kept in git, never in the portal.")


class OkrFile(InputModel):
    """clients/<slug>/okrs.yml."""

    okrs: list[Okr] = Field(default_factory=list, description="The measures.")


class OkrsSection(Section):
    """A toy section: okrs.yml → one page, a home card, a warning for a OKR without target."""

    name = "okrs"
    title = "OKRs"
    sources = ("okrs.yml",)
    home_rank = 70
    folder: Path = Path()

    @property
    def templates(self) -> Path:
        return self.folder

    def load(self, folder: Path, loader: Any) -> list[Okr]:
        if not (folder / "okrs.yml").is_file():
            return []
        found = loader.yaml(folder / "okrs.yml", OkrFile, empty={})
        return list(found.okrs) if found else []

    def check(self, e: Engagement, part: list[Okr], today: dt.date) -> Iterator[Problem]:
        for i, kpi in enumerate(part):
            if kpi.target is None:
                yield Problem(f"{e.source}/okrs.yml", e.line("okrs.yml", ("okrs", i)),
                              f"{kpi.name}: no target", "warning")

    def markers(self, part: list[Okr]) -> Markers:
        return Markers(strings=[k.name for k in part])

    def schema(self) -> dict[str, Any]:
        return {"okrs": OkrFile}

    def view(self, e: Engagement, part: list[Okr], today: dt.date) -> list[Okr]:
        return [k for k in part if not k.internal]

    def pages(self, view: list[Okr], writer: Any) -> None:
        if view:
            writer.write("okrs/index.md", "okrs/page.md.j2", "OKRs", okrs=view)

    def nav(self, view: list[Okr], pages: dict[Path, str]) -> list[Any]:
        return [{"OKRs": "okrs/index.md"}] if view else []

    def home_card(self, view: list[Okr], writer: Any) -> str:
        return str(writer.render_template("okrs/home_card.md.j2", okrs=view))


OKRS = """\
okrs:
  - name: Deploys per week
    target: 10
  - name: Lead time in days
  - name: Churned seats at Calder
    internal: true
"""


@pytest.fixture
def with_okrs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> OkrsSection:
    folder = tmp_path / "kpi-templates"
    folder.mkdir()
    (folder / "page.md.j2").write_text(
        "# OKRs\n\n{% for k in okrs %}\n- {{ k.name }}: {{ k.target or '–' }}\n{% endfor %}\n")
    (folder / "home_card.md.j2").write_text(
        "-   **OKRs: {{ okrs|length }}**\n\n    ---\n\n    Measured monthly.\n")
    section = OkrsSection()
    section.folder = folder
    monkeypatch.setattr(portico.sections, "SECTIONS", (*SECTIONS, section))  # the one line
    return section


def test_a_registered_section_is_loaded_checked_rendered_and_scanned(
        practice: Write, with_okrs: OkrsSection, tmp_path: Path) -> None:
    root = practice({"clients/acme/okrs.yml": OKRS})
    loaded = load_practice(root)
    acme = loaded.clients[0]
    assert [k.name for k in acme.parts["okrs"]][:2] == ["Deploys per week", "Lead time in days"]

    problems = check_practice(loaded, today=TODAY)
    assert Problem("clients/acme/okrs.yml", 4, "Lead time in days: no target", "warning") \
        in problems

    out = tmp_path / "out"
    render_portal(acme, loaded, out, today=TODAY)
    page = (out / "docs/okrs/index.md").read_text()
    assert "Deploys per week: 10" in page and "Calder" not in page
    assert "**OKRs: 2**" in (out / "docs/index.md").read_text()
    config = yaml.safe_load((out / "mkdocs.yml").read_text())
    assert {"OKRs": "okrs/index.md"} in config["nav"]

    assert "Churned seats at Calder" in client_markers(acme)  # internal ones too
    assert "okrs.yml" in source_files()
    (tmp_path / "schemas-root").mkdir()
    written = [p.name for p in write_schemas(tmp_path / "schemas-root")]
    assert "okrs.schema.json" in written


def test_a_link_to_the_new_sections_yaml_follows_the_section_link_rules(
        practice: Write, with_okrs: OkrsSection) -> None:
    root = practice({"clients/acme/okrs.yml": OKRS,
                     "clients/acme/pages/notes.md": "# Notes\n\nSee [the OKRs](../okrs.yml).\n"})
    problems = check_practice(load_practice(root), today=TODAY)
    # The toy section names no page for links to land on (no `page` hook): refused, by name.
    assert any(p.path == "clients/acme/pages/notes.md" and "../okrs.yml" in p.message
               and "has no" in p.message for p in problems), problems
