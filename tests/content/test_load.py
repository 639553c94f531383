"""Loading: every file kind of the content model, and every mistake as `path:line: message`."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from portico.content.errors import ContentError
from portico.content.load import load_practice
from portico.sections.assessment import assessment_of
from portico.sections.decisions import decisions_of
from portico.sections.notes import notes_of
from portico.sections.pages import pages_of
from portico.sections.risks import risks_of
from portico.sections.roadmap import roadmap_of

REPO = Path(__file__).resolve().parents[2]
Write = Callable[..., Path]


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_practice(root)
    return [str(p) for p in caught.value.problems]


def test_demo_loads_with_every_file_kind() -> None:
    practice = load_practice(REPO)
    harbor = next(c for c in practice.clients if c.slug == "harborline")
    assert harbor.client.name == "Harborline Logistics"
    assert (assessment := assessment_of(harbor)) and len(assessment.pages) >= 2 and assessment.scores
    assert (roadmap := roadmap_of(harbor)) and roadmap.milestones
    assert {d.format for d in decisions_of(harbor)} == {"madr", "nygard"}
    assert any(d.superseded_by for d in decisions_of(harbor))
    assert any(r.status == "closed" for r in risks_of(harbor))
    assert len(notes_of(harbor)) >= 3 and pages_of(harbor)
    assert [n.date for n in notes_of(harbor)] == sorted((n.date for n in notes_of(harbor)), reverse=True)
    assert any(c.slug == "lumen-health" for c in practice.clients)
    assert len(practice.shared_pages) >= 2


def test_real_madr_decisions_load_unchanged(practice: Write) -> None:
    root = practice()
    shutil.copytree(REPO / "tests/fixtures/madr", root / "clients/acme/decisions")
    decisions = {d.number: d for d in decisions_of(load_practice(root).clients[0])}
    assert len(decisions) == 19  # 0000..0018; index.md and adr-template.md are not decisions
    assert decisions["0000"].title == "Use Markdown Architectural Decision Records"
    assert decisions["0001"].title == "Dual License the Work"
    assert decisions["0003"].status == "on hold"  # MADR allows words beyond its list
    assert decisions["0013"].title == "Use YAML front matter for metadata"
    assert decisions["0008"].status == "proposed"  # no status: counts as proposed


def test_nygard_decision_with_supersession_both_ways(practice: Write) -> None:
    root = practice({
        "clients/acme/decisions/0001-use-mysql.md": """\
            # 1. Use MySQL

            Date: 2026-04-01

            ## Status

            Superseded by [2. Use Postgres](0002-use-postgres.md)

            ## Context

            We need a database.
            """,
        "clients/acme/decisions/0002-use-postgres.md": """\
            ---
            status: accepted
            date: 2026-05-01
            deciders: CTO, CEO
            ---
            # Use Postgres
            """,
    })
    first, second = decisions_of(load_practice(root).clients[0])
    assert (first.title, first.status, first.date) == ("Use MySQL", "superseded", dt.date(2026, 4, 1))
    assert first.superseded_by == ("0002",) and second.supersedes == ("0001",)
    assert second.decision_makers == ("CTO", "CEO")


def test_unknown_key_suggests_the_field(practice: Write) -> None:
    root = practice({"clients/acme/client.yml": """\
        name: Acme
        engagment:
          start: 2026-03-02
        """})
    assert "clients/acme/client.yml:2: engagment: unknown key, did you mean engagement?" in errors_of(root)


def test_score_out_of_range_names_file_and_line(practice: Write) -> None:
    root = practice({"clients/acme/risks.yml": """\
        risks:
          - id: RISK-001
            title: Billing depends on one engineer
            likelihood: 7
            impact: 5
            owner: CTO
            status: open
        """})
    assert errors_of(root) == ["clients/acme/risks.yml:4: likelihood must be 1..5, got 7"]


def test_unknown_status_word_lists_the_choices(practice: Write) -> None:
    root = practice({"clients/acme/roadmap.yml": """\
        items:
          - id: R1
            title: Move billing
            status: wip
        """})
    [error] = errors_of(root)
    assert error.startswith("clients/acme/roadmap.yml:4: status must be one of planned, in-progress")
    assert "got 'wip'" in error


@pytest.mark.parametrize(("value", "message"), [
    ("2026-13-01", "start must be a real date: 2026-13-01 does not exist (there is no month 13)"),
    ("2028-02-30", "start must be a real date: 2028-02-30 does not exist "
                   "(February 2028 has 29 days)"),
    ("2 March 2026", "start must be a date (YYYY-MM-DD) or a quarter (YYYY-Qn), "
                     "got '2 March 2026'"),
    ("2026-Q5", "start must be a date (YYYY-MM-DD) or a quarter (YYYY-Qn), got '2026-Q5'"),
])
def test_bad_dates_and_quarters(practice: Write, value: str, message: str) -> None:
    root = practice({"clients/acme/roadmap.yml": f"""\
        items:
          - id: R1
            title: Move billing
            status: planned
            start: {value}
        """})
    assert errors_of(root) == [f"clients/acme/roadmap.yml:5: {message}"]


def test_missing_required_field_points_at_the_item(practice: Write) -> None:
    root = practice({"clients/acme/risks.yml": """\
        risks:
          - id: RISK-001
            likelihood: 2
            impact: 2
            owner: CTO
            status: open
        """})
    assert errors_of(root) == [
        "clients/acme/risks.yml:2: item 1 of risks: missing required field `title`"]


def test_bad_colour_and_maturity_score(practice: Write) -> None:
    root = practice({
        "clients/acme/client.yml": """\
            name: Acme
            engagement:
              start: 2026-03-02
            branding:
              primary_color: blue
            """,
        "clients/acme/assessment.md": """\
            ---
            title: Assessment
            scores:
              - area: Architecture
                score: 6
            ---
            # Assessment
            """,
    })
    assert errors_of(root) == [
        "clients/acme/assessment.md:5: score must be 0..5, got 6",
        "clients/acme/client.yml:5: primary_color must be a CSS hex colour such as \"#0b5fff\", "
        "got 'blue'",
    ]


def test_yaml_syntax_errors_have_lines(practice: Write) -> None:
    root = practice({
        "clients/acme/risks.yml": "risks:\n  - id: [RISK-1\n    title: x\n",
        "clients/acme/roadmap.yml": "items:\n\t- id: R1\n",
    })
    found = errors_of(root)
    assert any(e.startswith("clients/acme/risks.yml:3: YAML syntax error") for e in found), found
    assert "clients/acme/roadmap.yml:2: YAML syntax error: a tab character; YAML indents with " \
           "spaces only" in found


def test_duplicate_yaml_key(practice: Write) -> None:
    root = practice({"clients/acme/client.yml": "name: A\nname: B\nengagement:\n  start: 2026-01-01\n"})
    assert errors_of(root) == ["clients/acme/client.yml:2: duplicate key `name` (first on line 1)"]


def test_front_matter_errors_have_file_lines(practice: Write) -> None:
    root = practice({
        "clients/acme/notes/2026-05-01-board.md": "---\ntitle: Board\nkind: party\n---\n# Board\n",
        "clients/acme/decisions/0001-x.md": "---\n- a list\n---\n# X\n",
    })
    found = errors_of(root)
    assert "clients/acme/decisions/0001-x.md:2: front matter must be a mapping of keys to " \
           "values, got a list" in found
    assert any(e.startswith("clients/acme/notes/2026-05-01-board.md:3: kind must be one of") for e in found)


def test_all_errors_of_a_run_are_reported_together(practice: Write) -> None:
    root = practice({
        "clients/acme/risks.yml": "risks:\n  - id: A\n    title: t\n    likelihood: 0\n"
                                  "    impact: 9\n    status: open\n    owner: x\n",
        "clients/beta/client.yml": "name: Beta\n",
    })
    found = errors_of(root)
    assert "clients/acme/risks.yml:4: likelihood must be 1..5, got 0" in found
    assert "clients/acme/risks.yml:5: impact must be 1..5, got 9" in found
    assert "clients/beta/client.yml:1: missing required field `engagement`" in found


def test_bom_and_crlf_are_accepted(practice: Write) -> None:
    root = practice({"clients/acme/client.yml": b"\xef\xbb\xbfname: Acme\r\nengagement:\r\n"
                                                b"  start: 2026-03-02\r\n"})
    assert load_practice(root).clients[0].client.name == "Acme"


def test_non_utf8_file(practice: Write) -> None:
    root = practice({"clients/acme/notes/2026-01-02-x.md": b"# Note\n\ncaf\xe9\n"})
    assert errors_of(root) == [
        "clients/acme/notes/2026-01-02-x.md:3: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"]


def test_bad_slug_and_drafts(practice: Write) -> None:
    root = practice({
        "clients/Bad_Name/client.yml": "name: X\nengagement:\n  start: 2026-01-01\n",
        "clients/_draft/client.yml": "nonsense: [",
    })
    [error] = errors_of(root)
    assert error.startswith("clients/Bad_Name: folder name must be a slug")


def test_decision_without_title_is_titled_from_its_file_name(practice: Write) -> None:
    root = practice({"clients/acme/decisions/0004-adopt-x.md":
                     "---\nstatus: accepted\n---\n\n## Context\n\nNo `# ` heading.\n"})
    practice_ = load_practice(root)
    [decision] = decisions_of(practice_.clients[0])
    assert decision.title == "Adopt x"
    assert [str(w) for w in practice_.warnings] == [
        "clients/acme/decisions/0004-adopt-x.md:5: warning: no `# ` heading: titled "
        "'Adopt x' from its file name"]
