"""A decision's front matter: a typo never passes silently, and every id it names is checked
and shown, while a MADR site's own keys (`parent`, `nav_order`) stay ignored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from portico.cli import main
from portico.content.check import check_practice
from portico.content.load import load_practice
from portico.portal.render import render_portal

Write = Callable[..., Path]
TODAY = dt.date(2026, 9, 1)
ROADMAP = """\
items:
  - id: R3
    title: Move billing to managed Postgres
    status: planned
  - id: R4
    title: Retire the old billing server
    status: planned
    internal: true
"""
KPIS = """\
kpis:
  - id: K-DEPLOYS
    name: Deployments per week
    values: {2026-07: 1, 2026-08: 2}
"""


def _messages(root: Path) -> list[str]:
    return [str(p) for p in check_practice(load_practice(root, keep_going=True), today=TODAY)]


def test_a_key_one_edit_from_a_known_one_warns_and_fails_strict(practice: Write) -> None:
    root = practice({"clients/acme/decisions/0001-use-postgres.md": """\
        ---
        stauts: accepted
        decison-makers: [Dana Reyes]
        supersede: "0002"
        parent: Decisions
        nav_order: 3
        status: proposed
        ---
        # Use Postgres
        """})
    assert _messages(root) == [
        "clients/acme/decisions/0001-use-postgres.md:2: warning: stauts: unknown key, did you "
        "mean status? (it is ignored as written)",
        "clients/acme/decisions/0001-use-postgres.md:3: warning: decison-makers: unknown key, "
        "did you mean decision-makers? (it is ignored as written)",
        "clients/acme/decisions/0001-use-postgres.md:4: warning: supersede: unknown key, did "
        "you mean supersedes? (it is ignored as written)",
    ]
    result = CliRunner().invoke(main, ["--root", str(root), "check", "--strict"])
    assert result.exit_code == 1 and "failing because of --strict" in result.output


def test_a_known_key_with_a_value_of_the_wrong_shape_is_an_error_at_its_line(
        practice: Write) -> None:
    root = practice({"clients/acme/decisions/0001-use-postgres.md":
                     "---\nstatus: [accepted]\nconsulted: {Dana: CEO}\n---\n# Use Postgres\n"})
    assert _messages(root) == [
        "clients/acme/decisions/0001-use-postgres.md:2: status must be text, got a list",
        "clients/acme/decisions/0001-use-postgres.md:3: consulted must be a list, got a mapping "
        "(unquoted text containing `: ` becomes one; put the text in quotes)",
    ]


def test_every_id_the_front_matter_names_is_checked_at_its_line(practice: Write) -> None:
    root = practice({
        "clients/acme/roadmap.yml": ROADMAP,
        "clients/acme/kpis.yml": KPIS,
        "clients/acme/decisions/0001-use-postgres.md": """\
            ---
            status: accepted
            roadmap: [R3, R9, R4]
            kpis: K-DEPLOY
            risks: [RISK-001]
            decisions: ["0007"]
            ---
            # Use Postgres
            """})
    assert _messages(root) == [
        "clients/acme/decisions/0001-use-postgres.md:3: roadmap item R4 is internal; a "
        "client-visible decision cannot refer to it",
        "clients/acme/decisions/0001-use-postgres.md:3: unknown roadmap item R9",
        "clients/acme/decisions/0001-use-postgres.md:4: unknown KPI K-DEPLOY (did you mean "
        "K-DEPLOYS?)",
        "clients/acme/decisions/0001-use-postgres.md:5: unknown risk RISK-001",
        "clients/acme/decisions/0001-use-postgres.md:6: unknown decision 0007",
    ]


def test_near_miss_ids_in_the_other_files_get_a_suggestion_too(practice: Write) -> None:
    root = practice({
        "clients/acme/roadmap.yml": ROADMAP,
        "clients/acme/opportunities.yml": "opportunities:\n  - id: AI-1\n    title: Drafts\n"
                                         "    value: 4\n    effort: 2\n    status: idea\n"
                                         "    roadmap: [r3]\n",
    })
    assert _messages(root) == ["clients/acme/opportunities.yml:7: AI-1: unknown roadmap item "
                               "r3 (did you mean R3?)"]


def test_the_items_a_decision_names_are_on_its_page(practice: Write, tmp_path: Path) -> None:
    root = practice({
        "clients/acme/roadmap.yml": ROADMAP,
        "clients/acme/kpis.yml": KPIS,
        "clients/acme/decisions/0001-use-postgres.md":
            "---\nstatus: accepted\nroadmap: [R3]\nkpis: [K-DEPLOYS]\n---\n# Use Postgres\n",
    })
    loaded = load_practice(root)
    rendered = render_portal(loaded.clients[0], loaded, tmp_path / "out", today=TODAY)
    page = (rendered.docs_dir / "decisions/0001.md").read_text(encoding="utf-8")
    assert "| Roadmap | [Move billing to managed Postgres](../roadmap/index.md#r3) |" in page
    assert "| KPIs | [Deployments per week](../kpis/index.md#k-deploys) |" in page
