"""Promises on the portal and in `portico check`: the Engagement health card shows the
cadences marked shown, in the client's words and locale; mistakes are errors at their line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from portico.cli import main
from portico.content.load import load_portal_inputs
from portico.portal.render import render_portal

TODAY = dt.date(2026, 12, 1)  # the week-49 note (4 December) is not written yet


def _home(root: Path, out: Path) -> str:
    practice = load_portal_inputs(root, "harborline")
    render_portal(practice.clients[0], practice, out, today=TODAY)
    return (out / "docs" / "index.md").read_text(encoding="utf-8")


def _set_cadences(root: Path, text: str) -> None:
    client = root / "clients/harborline/client.yml"
    body = client.read_text("utf-8")
    start = body.index("\ncadences:\n")
    end = body.index("\ncontacts:", start)
    client.write_text(body[:start] + "\n" + text + body[end:], "utf-8")


def test_home_shows_a_late_weekly_status_note_and_not_an_internal_cadence(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    root = copy_demo(tmp_path / "repo")
    _set_cadences(root, "cadences:\n  - {what: status-note, every: week, shown: true}\n"
                  "  - {what: risk-review, every: month}\n")
    home = _home(root, tmp_path / "out")
    card = home[home.index("**Engagement health**"):]
    card = card[:card.index("\n-   ")]
    # Last note 20 November, due the 27th: late, in en-US dates.
    assert 'Weekly status note: <span class="pt-overdue">late</span> since ' \
           '<span class="pt-date">Nov\xa027,\xa02026</span>.' in card
    assert "risk review" not in card.lower()  # late too, but internal: the CTO's alone
    assert "status-note" not in card  # no internal ids


def test_no_card_when_no_cadence_is_shown(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    root = copy_demo(tmp_path / "repo")
    _set_cadences(root, "cadences: {status-note: week, board-pack: quarter}\n")
    assert "Engagement health" not in _home(root, tmp_path / "out")


def test_check_names_the_line_of_an_unknown_what_or_every(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    root = copy_demo(tmp_path / "repo")
    _set_cadences(root, "cadences:\n  - {what: status-nte, every: week}\n"
                  "  - what: board-pack\n    every: fortnight\n")
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert result.exit_code == 1
    client = (root / "clients/harborline/client.yml").read_text("utf-8").splitlines()
    what = client.index("  - {what: status-nte, every: week}") + 1
    every = client.index("    every: fortnight") + 1
    assert (f"clients/harborline/client.yml:{what}: item 1 of cadences: what must be one of "
            "status-note, risk-review, board-pack, vendor-review; got 'status-nte' (did you "
            "mean 'status-note'?)") in result.output
    assert (f"clients/harborline/client.yml:{every}: item 2 of cadences: every must be one of "
            "week, 2 weeks, month, quarter; got 'fortnight'") in result.output
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("      risk-review: month\n",
                                                        "      risk-review: yearly\n"), "utf-8")
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert result.exit_code == 1
    line = mkdocs.read_text("utf-8").splitlines().index("      risk-review: yearly") + 1
    assert (f"mkdocs.yml:{line}: extra.practice.cadences.risk-review: every must be one of "
            "week, 2 weeks, month, quarter; got 'yearly'") in result.output
