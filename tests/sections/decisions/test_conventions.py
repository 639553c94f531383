"""Bring your decisions as they are: every common ADR convention reads right, unchanged.

The fixtures under tests/fixtures/adr/ are real decision logs (see SOURCES there)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from portico.content.check import check_practice
from portico.content.errors import ContentError
from portico.content.load import load_practice
from portico.engine.build import build_site, engine_problems
from portico.portal.markdown import github_alerts
from portico.portal.render import render_portal
from portico.sections.decisions import decisions_of
from portico.sections.decisions.load import plain_title

REPO = Path(__file__).resolve().parents[3]
ADR = REPO / "tests/fixtures/adr"
Write = Callable[..., Path]
TODAY = dt.date(2026, 9, 1)


def _client_with(practice: Write, fixture_set: str) -> Path:
    root = practice({"mkdocs.yml": (REPO / "mkdocs.yml").read_text(encoding="utf-8")})
    shutil.copytree(ADR / fixture_set / "decisions", root / "clients/acme/decisions")
    return root


def _messages(root: Path) -> list[str]:
    practice = load_practice(root, keep_going=True)
    return [str(p) for p in check_practice(practice, today=TODAY)]


def _status_as_written(path: Path) -> str:
    """The status a real file states, read the plain way a person would."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        words = line.replace("*", "").replace("-", " ", 1).strip()
        if words.lower().startswith("status:"):
            return words.split(":", 1)[1].strip().rstrip(".")
        if line.strip().lower() == "## status":
            return next(t.strip() for t in lines[i + 1:] if t.strip()).rstrip(".")
    return "proposed"


FIXTURE_SETS = {"govuk-aws": 38, "log4brains": 9, "arachne": 17, "simpler-grants-gov": 30}


def test_fixtures_hold_forty_real_decisions_from_three_repositories_with_licences() -> None:
    sources = (ADR / "SOURCES").read_text(encoding="utf-8")
    for name in FIXTURE_SETS:
        assert any((ADR / name).glob("LICEN[CS]E*")), name
        assert f"set: {name}/decisions/" in sources
    assert sources.count("commit: ") == len(FIXTURE_SETS)
    assert sum(FIXTURE_SETS.values()) >= 40


@pytest.mark.parametrize("fixture_set", sorted(FIXTURE_SETS))
def test_each_real_set_checks_builds_and_shows_every_status_it_states(
        practice: Write, fixture_set: str) -> None:
    root = _client_with(practice, fixture_set)
    problems = _messages(root)
    assert not [p for p in problems if ": warning: " not in p], problems
    loaded = load_practice(root)
    decisions = decisions_of(loaded.clients[0])
    assert len(decisions) == FIXTURE_SETS[fixture_set]  # none skipped, none renamed
    for d in decisions:
        written = _status_as_written(d.doc.path).lower()
        assert written.startswith(d.status.lower()) or (
            d.status == "superseded" and "superseded" in written), (d.doc.source, d.status)
    out = Path(tempfile.mkdtemp()) / "portal"
    rendered = render_portal(loaded.clients[0], loaded, out, today=TODAY)
    index = (rendered.docs_dir / "decisions/index.md").read_text(encoding="utf-8")
    assert index.count("pt-badge pt-status") == len(decisions)
    build_site(rendered.config_file, origins=rendered.origins, sources=rendered.sources)
    shutil.rmtree(out.parent)


def test_every_naming_convention_is_a_decision_numbered_as_written_or_by_date(
        practice: Write) -> None:
    body = "# T\n\n## Status\n\nAccepted\n"
    root = practice({f"clients/acme/decisions/{name}": body for name in (
        "0001-a.md", "adr-002-b.md", "ADR-003-c.md", "004-d.md",
        "20201016-e.md", "2023-07-05-f.md", "20200924-g.md",
        "index.md", "README.md", "template.md", "adr-014-project-templates.md")})
    decisions = {d.doc.path.name: d for d in decisions_of(load_practice(root).clients[0])}
    assert {name: d.number for name, d in decisions.items()} == {
        "0001-a.md": "0001", "adr-002-b.md": "0002", "ADR-003-c.md": "0003", "004-d.md": "0004",
        # dated names: after the highest written number, in date order
        "20200924-g.md": "0015", "20201016-e.md": "0016", "2023-07-05-f.md": "0017",
        "adr-014-project-templates.md": "0014"}  # "template" in a name excludes nothing
    assert decisions["2023-07-05-f.md"].date == dt.date(2023, 7, 5)
    assert decisions["0001-a.md"].date is None


def test_a_skipped_file_is_always_a_warning_naming_the_rule(practice: Write) -> None:
    # Failed before: `notes-on-x.md` was skipped with a vague warning and
    # `adr-014-project-templates.md` silently; a flagged file could not be skipped at all.
    root = practice({
        "clients/acme/decisions/notes-on-x.md": "# Notes\n",
        "clients/acme/decisions/0002-draft.md": "---\ndecision: false\n---\n# Draft\n",
        "clients/acme/decisions/0003-real.md": "---\nstatus: accepted\n---\n# Real\n",
    })
    assert _messages(root) == [
        "clients/acme/decisions/0002-draft.md:2: warning: skipped: its front matter says "
        "`decision: false`",
        "clients/acme/decisions/notes-on-x.md: warning: not a decision: its name follows "
        "none of the conventions (0003-words.md, adr-003-words.md, 20260315-words.md, "
        "2026-03-15-words.md); skipped",
    ]


def test_madr2_bullets_read_like_front_matter_in_both_label_forms(practice: Write) -> None:
    root = practice({
        "clients/acme/decisions/0001-old.md": "# Old\n\n* Status: accepted\n* Date: 2020-01-02\n",
        "clients/acme/decisions/0002-new.md": """\
            # Use `uv` for *Python*

            - **Status:** Accepted
            - **Deciders:** Ana, Bo
            - **Date:** 2022-10-05 (Updated 2023-07-12)
            - **Technical Story:** [#12](https://example.com/12)

            ## Context

            ## Links

            - Supersedes [Old](0001-old.md)
            """,
    })
    old, new = decisions_of(load_practice(root).clients[0])
    assert (new.format, new.status, new.date) == ("madr2", "accepted", dt.date(2022, 10, 5))
    assert new.decision_makers == ("Ana", "Bo")
    assert new.technical_story == "[#12](https://example.com/12)"
    assert new.title == "Use uv for Python"  # titles render without Markdown markup
    assert (old.status, old.superseded_by, new.supersedes) == ("superseded", ("0002",), ("0001",))


def test_log4brains_supersession_by_file_name_both_ways(practice: Write) -> None:
    root = _client_with(practice, "log4brains")
    by_name = {d.doc.path.name: d for d in decisions_of(load_practice(root).clients[0])}
    old = by_name["20200926-use-the-adr-number-as-its-unique-id.md"]
    new = by_name["20201016-use-the-adr-slug-as-its-unique-id.md"]
    assert old.status == "superseded" and old.superseded_by == (new.number,)
    assert new.supersedes == (old.number,)


def test_a_missing_status_is_a_warning_never_a_silent_proposed(practice: Write) -> None:
    # Failed before: MADR 2 bullets were not read and a file without status was "proposed"
    # with no word said.
    root = practice({
        "clients/acme/decisions/0001-bullets.md": "# A\n\n- Status: superseded by [B](0002-b.md)\n",
        "clients/acme/decisions/0002-b.md": "# B\n\nNo status anywhere.\n",
    })
    assert _messages(root) == [
        "clients/acme/decisions/0002-b.md:1: warning: no status found; shown as proposed"]
    first, second = decisions_of(load_practice(root).clients[0])
    assert (first.status, second.status) == ("superseded", "proposed")


def test_check_reports_every_problem_of_every_file_in_one_run(practice: Write) -> None:
    # Failed before: the broken front matter alone was reported; the dead link, the unknown
    # decision of a risk and the other client's problem waited for the next run.
    root = practice({
        "clients/acme/decisions/0001-broken.md": "---\nstatus: [accepted\n---\n# Broken\n",
        "clients/acme/decisions/0002-ok.md": "# Ok\n\n## Status\n\nAccepted\n\nSee [x](nowhere.md).\n",
        "clients/acme/risks.yml": """\
            risks:
              - id: RISK-001
                title: One engineer
                likelihood: 3
                impact: 3
                owner: CTO
                status: open
                decisions: ["0009"]
            """,
        "clients/beta/client.yml": "name: Beta\nengagement:\n  start: 2026-03-02\n",
        "clients/beta/decisions/0001-x.md": "# X\n\n## Status\n\nAccepted\n\n[y](#nowhere)\n",
    })
    problems = [p for p in _messages(root) if ": warning: " not in p]
    assert [p.split(":")[0] for p in problems] == [
        "clients/acme/decisions/0001-broken.md", "clients/acme/decisions/0002-ok.md",
        "clients/acme/risks.yml", "clients/beta/decisions/0001-x.md"]


def test_github_heading_anchors_are_checked_with_the_engines_slugs(practice: Write) -> None:
    root = practice({
        "clients/acme/decisions/0001-tools.md": """\
            # Tools

            ## Status

            Accepted

            ## GitHub Issues + Zenhub

            See [below](#pros-and-cons), [GitHub's slug](#github-issues--zenhub) and
            [0002's](0002-other.md#why-not-jira) and [a missing one](0002-other.md#nope).

            ## Pros and Cons
            """,
        "clients/acme/decisions/0002-other.md": "# Other\n\n## Status\n\nAccepted\n\n## Why not Jira?\n",
    })
    assert _messages(root) == [
        "clients/acme/decisions/0001-tools.md:10: link 0002-other.md#nope: no heading or id "
        "#nope on that page (its anchors: other, status, why-not-jira)"]


def test_an_imported_set_warns_of_dead_links_and_shows_them_as_text(practice: Write) -> None:
    root = practice({
        "mkdocs.yml": (REPO / "mkdocs.yml").read_text(encoding="utf-8"),
        "clients/acme/decisions/decisions.yml": "links: warn\n",
        "clients/acme/decisions/0001-a.md": "# A\n\n## Status\n\nAccepted\n\n"
                                           "[gone](../../../terraform/main.tf) [b](0002-b.md#nope)\n",
        "clients/acme/decisions/0002-b.md": "# B\n\n## Status\n\nAccepted\n",
    })
    assert [p for p in _messages(root) if "warning: link" not in p] == []
    loaded = load_practice(root)
    out = root / "out"
    rendered = render_portal(loaded.clients[0], loaded, out, today=TODAY)
    page = (rendered.docs_dir / "decisions/0001.md").read_text(encoding="utf-8")
    assert "gone b" in page and "terraform" not in page
    build_site(rendered.config_file, origins=rendered.origins, sources=rendered.sources)


def test_an_engine_refusal_names_the_users_file_and_line() -> None:
    messages = ["Doc file 'decisions/0012.md' contains a link '0003.md#github-issues', but the "
                "doc 'decisions/0003.md' does not contain an anchor '#github-issues'."]
    origins = {("decisions/0012.md", "0003.md#github-issues"): ("clients/acme/decisions/0012-x.md", 14)}
    sources = {"decisions/0012.md": "clients/acme/decisions/0012-x.md",
               "decisions/0003.md": "clients/acme/decisions/0003-y.md"}
    [problem] = engine_problems(messages, origins, sources)
    assert str(problem) == (
        "clients/acme/decisions/0012-x.md:14: the site engine refused the link "
        "0003.md#github-issues: but the doc 'clients/acme/decisions/0003-y.md' does not contain "
        "an anchor '#github-issues'.")
    assert "decisions/0012.md" not in str(problem)


def test_an_engine_refusal_during_a_build_is_a_content_error_at_the_source(practice: Write) -> None:
    root = practice({"mkdocs.yml": (REPO / "mkdocs.yml").read_text(encoding="utf-8"),
                     "clients/acme/decisions/0001-a.md":
                     "# A\n\n## Status\n\nAccepted\n\nSee [b](0002-b.md#missing).\n",
                     "clients/acme/decisions/0002-b.md": "# B\n\n## Status\n\nAccepted\n"})
    loaded = load_practice(root)  # `check` would have said so; the engine is asked anyway
    rendered = render_portal(loaded.clients[0], loaded, root / "out", today=TODAY)
    with pytest.raises(ContentError) as caught:
        build_site(rendered.config_file, origins=rendered.origins, sources=rendered.sources)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("clients/acme/decisions/0001-a.md", 7)


def test_titles_lose_their_markup_and_github_alerts_become_admonitions() -> None:
    assert plain_title("Use `uv` for **[Python](https://python.org)**") == "Use uv for Python"
    assert github_alerts("> [!WARNING]\n> Mind the *gap*\n\ntext") == \
        '!!! warning "Warning"\n    Mind the *gap*\n\n\ntext'
