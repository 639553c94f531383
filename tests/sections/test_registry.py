"""The section registry: what the shared machinery relies on when it iterates SECTIONS."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from portico.content.load import load_engagement
from portico.content.schema import schemas
from portico.portal.jinja import template_loader
from portico.sections import SECTIONS, source_files

REPO = Path(__file__).resolve().parents[2]


def test_each_section_is_one_folder_named_after_it() -> None:
    names = [s.name for s in SECTIONS]
    assert names == ["changes", "actions", "assessment", "roadmap", "decisions", "risks", "kpis",
                     "vendors", "opportunities", "board", "meetings", "engagement", "cadences",
                     "notes", "pages"]
    for section in SECTIONS:
        folder = Path(type(section).__module__.replace(".", "/")).parts
        assert folder[:3] == ("portico", "sections", section.name), type(section).__module__


def test_names_ranks_and_sources_do_not_collide() -> None:
    assert len({s.name for s in SECTIONS}) == len(SECTIONS)
    assert len({s.home_rank for s in SECTIONS}) == len(SECTIONS)
    owned = [name for s in SECTIONS for name in s.sources]
    assert len(owned) == len(set(owned))
    assert {"client.yml", "readers.yml", "roadmap.yml", "risks.yml", "vendors.yml",
            "opportunities.yml"} <= source_files()


def test_every_section_template_loads_through_the_portal_loader() -> None:
    env = jinja2.Environment(loader=template_loader())
    env.filters.update(url=str, md=str, css=str, labelled=str, label=str, day=str,  # render's
                       long_day=str, month=str, point=str, number=str,  # own, stubbed
                       clock=str)
    for section in SECTIONS:
        for path in sorted(section.templates.glob("*.j2")):
            env.get_template(f"{section.name}/{path.name}")  # parses; imports resolve lazily


def test_schemas_come_from_the_client_model_and_the_sections() -> None:
    assert list(schemas()) == ["client", "actions", "roadmap", "risks", "kpis", "vendors",
                             "opportunities", "meetings", "time"]


def test_every_section_part_is_loaded_and_viewed_for_the_demo() -> None:
    from portico.portal.view import portal_view

    e = load_engagement(REPO, "harborline")
    assert set(e.parts) == {s.name for s in SECTIONS}
    view = portal_view(e, dt.date(2026, 6, 15))
    assert all(view.parts[s.name] is not None for s in SECTIONS)
