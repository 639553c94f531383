"""Client views: each audience's portal holds the sections it names and the items meant for
it, and `check` says when a view, an audience or a reader names nothing real."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from portico.content.check import check_practice
from portico.content.errors import ContentError
from portico.content.load import load_engagement, load_practice
from portico.portal.audience import (
    client_views,
    engagement_for_view,
    excluded_items,
    portal_name,
)
from portico.portal.render import render_portal
from portico.portal.view import portal_view
from portico.protection.markers import view_markers
from portico.protection.readers import add_reader, load_readers, readers_for_view

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 6)
Write = Callable[..., Path]

VIEWS = """\
name: Acme Logistics
engagement:
  start: 2026-03-02
views:
  leadership: {}
  engineering:
    sections: [roadmap, risks, decisions, notes]
    exclude_tags: [people]
"""

RISKS = """\
risks:
  - id: RISK-001
    title: Carrier feeds depend on one engineer
    likelihood: 3
    impact: 4
    status: open
    owner: Priya
  - id: RISK-002
    title: Closing the Savannah depot and laying off thirty staff
    likelihood: 3
    impact: 5
    status: open
    owner: Dana
    audience: [leadership]
  - id: RISK-003
    title: Retention of the warehouse supervisors
    likelihood: 2
    impact: 3
    status: open
    owner: Dana
    tags: [people]
"""

NOTE_LEADERSHIP = """\
---
title: Board dinner, restructuring options
date: 2026-11-02
audience: [leadership]
---
# Board dinner, restructuring options

The restructuring of the Savannah depot is for the leadership alone.
"""

NOTE_EVERYONE = """\
---
title: Weekly status, week 45
date: 2026-11-06
---
# Weekly status, week 45

The carrier feed work goes on; see the [board dinner](2026-11-02-board-dinner.md)
and the [savannah risk](../risks.yml#RISK-002).
"""


@pytest.fixture
def acme(practice: Write) -> Path:
    return practice({
        "clients/acme/client.yml": VIEWS,
        "clients/acme/risks.yml": RISKS,
        "clients/acme/notes/2026-11-02-board-dinner.md": NOTE_LEADERSHIP,
        "clients/acme/notes/2026-11-06-weekly.md": NOTE_EVERYONE,
    })


def test_a_client_without_views_is_one_portal_and_unfiltered(practice: Write) -> None:
    e = load_engagement(practice(), "acme")
    assert client_views(e.client) == [None]
    assert engagement_for_view(e, None) is e
    assert portal_name("acme", None, e.client) == "acme"


def test_the_first_view_is_the_default_at_the_client_s_own_path(acme: Path) -> None:
    client = load_engagement(acme, "acme").client
    assert client_views(client) == ["leadership", "engineering"]
    assert portal_name("acme", "leadership", client) == "acme"
    assert portal_name("acme", "engineering", client) == "acme--engineering"


def test_a_view_drops_items_for_another_audience_and_items_with_excluded_tags(
        acme: Path) -> None:
    e = load_engagement(acme, "acme")
    engineering = engagement_for_view(e, "engineering")
    assert [r.id for r in engineering.parts["risks"]] == ["RISK-001"]
    assert [n.doc.title for n in engineering.parts["notes"]] == ["Weekly status, week 45"]
    leadership = engagement_for_view(e, "leadership")
    assert [r.id for r in leadership.parts["risks"]] == ["RISK-001", "RISK-002", "RISK-003"]
    assert len(leadership.parts["notes"]) == 2
    assert {getattr(i, "id", None) for i in excluded_items(e, "engineering")} >= {
        "RISK-002", "RISK-003"}
    assert e.parts["risks"][1].id == "RISK-002"  # the loaded model itself is untouched


def test_a_view_shows_only_the_sections_it_names(practice: Write) -> None:
    root = practice({"clients/acme/client.yml": VIEWS.replace(
        "[roadmap, risks, decisions, notes]", "[roadmap, decisions]"),
        "clients/acme/risks.yml": RISKS})
    e = load_engagement(root, "acme")
    view = portal_view(engagement_for_view(e, "engineering"), TODAY)
    assert view.parts["risks"] is None
    assert portal_view(engagement_for_view(e, "leadership"), TODAY).parts["risks"] is not None


def test_a_link_to_a_page_outside_the_view_is_plain_text(acme: Path, tmp_path: Path) -> None:
    practice_ = load_practice(acme)
    e = practice_.clients[0]
    render_portal(engagement_for_view(e, "engineering"), practice_, tmp_path / "out",
                  today=TODAY, commit=None, pdfs=False)
    docs = tmp_path / "out" / "docs"
    text = (docs / "notes/2026-11-06.md").read_text("utf-8")
    assert "see the board dinner" in text and "(2026-11-02" not in text
    assert "the savannah risk" in text and "RISK-002" not in text
    every = "\n".join(p.read_text("utf-8", "replace") for p in docs.rglob("*") if p.is_file())
    assert "Savannah depot" not in every and "restructuring" not in every.lower()
    assert not list(docs.glob("files/*.md"))  # no outside page copied in as a download


def test_view_markers_are_what_only_outside_items_write(acme: Path) -> None:
    e = load_engagement(acme, "acme")
    outside = view_markers(e, engagement_for_view(e, "engineering"))
    assert "Closing the Savannah depot and laying off thirty staff" in outside
    assert "Board dinner, restructuring options" in outside
    assert "Carrier feeds depend on one engineer" not in outside
    assert view_markers(e, e) == []


def test_readers_hold_views_and_one_passphrase_opens_each(acme: Path) -> None:
    path = acme / "clients/acme/readers.yml"
    add_reader(path, "ceo", "Dana", "mortal-sketch-velvet-anchor-torch-glide")
    add_reader(path, "priya", "Priya", "harbor-candle-pivot-oyster-lunar-fable",
               views=["engineering", "leadership"])
    readers = load_readers(path)
    assert [r.id for r in readers_for_view(readers, "leadership", "leadership")] == [
        "ceo", "priya"]
    assert [r.id for r in readers_for_view(readers, "engineering", "leadership")] == ["priya"]
    assert [r.id for r in readers_for_view(readers, None, None)] == ["ceo", "priya"]


def _check(root: Path) -> list[str]:
    return [str(p) for p in check_practice(load_practice(root), today=TODAY)]


def test_check_names_unknown_sections_views_and_readers_in_no_view(practice: Write) -> None:
    root = practice({
        "clients/acme/client.yml": VIEWS.replace("[roadmap, risks, decisions, notes]",
                                                 "[roadmap, riskss]"),
        "clients/acme/risks.yml": RISKS.replace("audience: [leadership]",
                                                "audience: [leadershp]"),
    })
    add_reader(root / "clients/acme/readers.yml", "lost", "Lost", "mortal-sketch-velvet-anchor-"
               "torch-glide", views=["board"])
    found = _check(root)
    assert "clients/acme/client.yml:7: views: engineering: no section 'riskss' (sections: " \
        in "\n".join(found)
    assert any(p.startswith("clients/acme/risks.yml:14: audience: no view 'leadershp'")
               for p in found), found
    assert any("reader lost: no view 'board'" in p for p in found)
    assert any("reader lost is in no view" in p for p in found)


def test_check_warns_of_links_out_of_a_view(acme: Path) -> None:
    found = _check(acme)
    assert any(p.startswith("clients/acme/notes/2026-11-06-weekly.md:7: warning: view "
                            "engineering: links to 2026-11-02-board-dinner.md") for p in found)


def test_the_demo_splits_harborline_into_three_views(tmp_path: Path) -> None:
    e = load_engagement(REPO, "harborline")
    assert client_views(e.client) == ["leadership", "board", "engineering"]
    numbers = {d.number for d in engagement_for_view(e, "leadership").parts["decisions"]}
    assert "0004" in numbers  # the CEO sees her own decision
    engineering = engagement_for_view(e, "engineering")
    assert "0004" not in {d.number for d in engineering.parts["decisions"]}
    assert not engineering.shows("vendors") and not engineering.shows("engagement")
    views = {r.id: r.views for r in load_readers(REPO / "clients/harborline/readers.yml")}
    assert views["engineering"] == ["engineering"] and views["board"] == ["board"]
    assert not [p for p in _check_demo(tmp_path) if " error" in p]


def _check_demo(tmp_path: Path) -> list[str]:
    for name in ("clients", "content", "theme"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copyfile(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return [str(p) for p in check_practice(load_practice(tmp_path), today=TODAY)
            if p.severity == "error"]


def test_a_decision_outside_the_view_is_its_number_without_a_link(
        practice: Write, tmp_path: Path) -> None:
    root = practice({
        "clients/acme/client.yml": VIEWS.replace("[roadmap, risks, decisions, notes]",
                                                 "[risks, decisions]"),
        "clients/acme/risks.yml": RISKS.replace("    owner: Priya\n",
                                                "    owner: Priya\n    decisions: [\"0001\"]\n",
                                                1),
        "clients/acme/decisions/0001-close-savannah.md": (
            "---\nstatus: accepted\ndate: 2026-11-06\naudience: [leadership]\n---\n"
            "# Close the Savannah depot\n\nBecause.\n"),
    })
    found = _check(root)
    assert any(p.startswith("clients/acme/risks.yml:8: warning: view engineering: decisions "
                            "0001 outside the view") for p in found), found
    practice_ = load_practice(root)
    render_portal(engagement_for_view(practice_.clients[0], "engineering"), practice_,
                  tmp_path / "out", today=TODAY, commit=None, pdfs=False)
    risks = (tmp_path / "out/docs/risks/index.md").read_text("utf-8")
    assert "decisions 0001" in risks and "../None" not in risks and "Savannah" not in risks


RATE_CARD = b"%PDF-1.4 Quillfeather rate card: $1,850 a day\n"


@pytest.fixture
def acme_files(practice: Write) -> Path:
    return practice({
        "clients/acme/client.yml": VIEWS,
        "clients/acme/risks.yml": RISKS,
        "clients/acme/files/rate-card.pdf": RATE_CARD,
        "clients/acme/files/carrier-map.pdf": b"%PDF-1.4 carrier map\n",
        "clients/acme/files/audience.yml": "rate-card.pdf:\n  audience: [leadership]\n",
        "clients/acme/notes/2026-11-02-board-dinner.md": NOTE_LEADERSHIP,
        "clients/acme/notes/2026-11-06-weekly.md": NOTE_EVERYONE.replace(
            "and the [savannah risk](../risks.yml#RISK-002).",
            "and the [rate card](../files/rate-card.pdf) beside the\n"
            "[carrier map](../files/carrier-map.pdf)."),
    })


def _copied(docs: Path) -> list[bytes]:
    return [p.read_bytes() for p in (docs / "files").glob("*") if p.is_file()]


def test_a_file_kept_to_leadership_is_not_in_the_engineering_portal(
        acme_files: Path, tmp_path: Path) -> None:
    practice_ = load_practice(acme_files)
    e = practice_.clients[0]
    for view in ("engineering", "leadership"):
        render_portal(engagement_for_view(e, view), practice_, tmp_path / view, today=TODAY,
                      commit=None, pdfs=False)
    engineering = tmp_path / "engineering/docs"
    assert RATE_CARD not in _copied(engineering)
    assert b"%PDF-1.4 carrier map\n" in _copied(engineering)  # an unlisted file still goes
    text = (engineering / "notes/2026-11-06.md").read_text("utf-8")
    assert "the rate card beside the" in text and "rate-card.pdf" not in text
    assert "download=carrier-map.pdf" in text
    every = b"\n".join(p.read_bytes() for p in engineering.rglob("*") if p.is_file())
    assert b"Quillfeather" not in every
    assert RATE_CARD in _copied(tmp_path / "leadership/docs")


def test_check_warns_of_a_link_to_a_file_outside_the_view(acme_files: Path) -> None:
    found = _check(acme_files)
    assert "clients/acme/notes/2026-11-06-weekly.md:8: warning: view engineering: links to " \
        "../files/rate-card.pdf, which is outside the view; its portal shows the link as " \
        "plain text" in found, found
    assert not any("carrier-map" in p for p in found)
    assert not any("view leadership" in p for p in found)


def test_check_names_files_audience_entries_that_lead_nowhere(practice: Write) -> None:
    root = practice({
        "clients/acme/client.yml": VIEWS,
        "clients/acme/files/rate-card.pdf": RATE_CARD,
        "clients/acme/files/audience.yml": ("rate-card.pdf:\n  audience: [leadershp]\n"
                                            "rate-crad.pdf:\n  tags: [commercial]\n"),
    })
    found = "\n".join(_check(root))
    assert "clients/acme/files/audience.yml:2: rate-card.pdf: audience: no view " \
        "'leadershp' (leadership, engineering)" in found
    assert "clients/acme/files/audience.yml:3: rate-crad.pdf: no such file in files/" in found


ROADMAP = """\
items:
  - id: R1
    title: Hire a platform lead
    status: planned
    audience: [leadership]
  - id: R2
    title: Carrier feed rewrite
    status: planned
    depends_on: [R1]
"""


def test_check_warns_of_a_dependency_outside_the_view(practice: Write) -> None:
    root = practice({"clients/acme/client.yml": VIEWS, "clients/acme/roadmap.yml": ROADMAP})
    found = _check(root)
    assert "clients/acme/roadmap.yml:9: warning: view engineering: R2 depends on R1, which " \
        "is outside the view; its portal leaves the dependency out" in found, found
    assert not any("view leadership" in p for p in found)


STEPS = VIEWS.replace("  start: 2026-03-02\n", """\
  start: 2026-03-02
  next_steps:
    - Pair a second engineer on the carrier feeds
    - text: Brief the works council on the Savannah depot
      audience: [leadership]
    - text: Agree the platform lead's package
      tags: [people]
""")


def test_a_next_step_for_leadership_is_on_the_leadership_home_only(
        practice: Write, tmp_path: Path) -> None:
    root = practice({"clients/acme/client.yml": STEPS})
    practice_ = load_practice(root)
    e = practice_.clients[0]
    homes = {}
    for view in ("engineering", "leadership"):
        render_portal(engagement_for_view(e, view), practice_, tmp_path / view, today=TODAY,
                      commit=None, pdfs=False)
        homes[view] = (tmp_path / view / "docs/index.md").read_text("utf-8")
    assert "Pair a second engineer on the carrier feeds" in homes["engineering"]
    assert "works council" not in homes["engineering"]
    assert "platform lead's package" not in homes["engineering"]  # tagged people, excluded
    assert "Brief the works council on the Savannah depot" in homes["leadership"]
    assert "Agree the platform lead" in homes["leadership"]
    outside = view_markers(e, engagement_for_view(e, "engineering"))
    assert "Brief the works council on the Savannah depot" in outside  # verify refuses it


def test_check_names_a_next_step_for_an_unknown_view(practice: Write) -> None:
    root = practice({"clients/acme/client.yml": STEPS.replace("audience: [leadership]",
                                                              "audience: [ceo]")})
    assert "clients/acme/client.yml:7: next_steps: audience: no view 'ceo' (leadership, " \
        "engineering)" in _check(root)


def test_a_views_answers_must_be_true_or_false(practice: Write) -> None:
    root = practice({"clients/acme/client.yml": VIEWS.replace(
        "    exclude_tags: [people]\n", "    exclude_tags: [people]\n    answers: maybe\n")})
    with pytest.raises(ContentError, match="client.yml:9: answers must be true or false"):
        _check(root)


def test_answers_false_in_one_view_leaves_the_others_buttons(
        practice: Write, tmp_path: Path) -> None:
    decision = ("---\nstatus: proposed\ndate: 2026-11-06\n---\n# Buy a TMS\n\nBecause.\n")
    root = practice({
        "mkdocs.yml": "site_name: Test practice\nextra:\n  practice:\n    name: Acme CTO\n"
                      "    reply_to: cto@acme-cto.example\n",
        "clients/acme/client.yml": VIEWS.replace(
            "    exclude_tags: [people]\n", "    exclude_tags: [people]\n    answers: false\n"),
        "clients/acme/decisions/0001-buy-a-tms.md": decision,
    })
    practice_ = load_practice(root)
    e = practice_.clients[0]
    pages = {}
    for view in ("leadership", "engineering"):
        out = tmp_path / view
        render_portal(engagement_for_view(e, view), practice_, out, today=TODAY)
        pages[view] = (out / "docs/decisions/0001.md").read_text("utf-8")
    assert "Approve" in pages["leadership"]
    assert "Approve" not in pages["engineering"] and "pt-answer" not in pages["engineering"]
