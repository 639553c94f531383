"""`portico status`: every client's days used against days agreed, and renewals within 60
days (the demo: Harborline renews on 2027-03-01, notice by 2026-12-31)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from portico.cli import main
from portico.content.load import load_practice
from portico.delivery.status import practice_status


def test_status_shows_days_used_and_renewals(copy_demo: Callable[[Path], Path],
                                             tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    lines = {s.slug: s for s in practice_status(load_practice(root), root / "site",
                                                dt.date(2026, 12, 6))}
    harbor, lumen = lines["harborline"], lines["lumen-health"]
    assert (harbor.days_used, harbor.days_agreed) == (79.3, 87.6)
    assert harbor.renewal == "2027-03-01" and harbor.overdue
    assert (lumen.days_used, lumen.days_agreed, lumen.renewal) == (3.8, 5.0, None)
    assert not lumen.overdue
    # In September neither the renewal nor its notice date is within 60 days.
    early = practice_status(load_practice(root), root / "site", dt.date(2026, 9, 1))
    assert {s.slug: s for s in early}["harborline"].renewal is None


def test_the_table_and_json_carry_them(copy_demo: Callable[[Path], Path],
                                       tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    table = CliRunner().invoke(main, ["--root", str(root), "status"])
    assert "Days used / agreed" in table.output and "Renewal" in table.output
    assert "2027-03-01" in table.output  # the demo is dated 2026-12-06: today, in CI too
    data = json.loads(CliRunner().invoke(main, ["--root", str(root), "status", "--json"]).output)
    assert {line["slug"]: line["days_agreed"] for line in data}["lumen-health"] == 5.0
