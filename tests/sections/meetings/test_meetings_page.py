"""Meetings (meetings.yml and the board packs' dates) in the demo portal: the next meetings
on home, the Meetings page with its agendas and their links, What's new seeing a meeting
added and cancelled, `portico new meeting` and `portico status`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main
from portico.content.load import load_engagement, load_portal_inputs, load_practice
from portico.delivery.status import practice_status
from portico.portal.render import render_portal
from portico.portal.view import portal_view

REPO = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 12, 6)


def _read(path: Path) -> str:
    """A page's text, no-break spaces (inside every date and time) read as spaces."""
    return path.read_text("utf-8").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Harborline's docs tree, rendered on the demo's day."""
    out = tmp_path_factory.mktemp("harborline")
    practice = load_portal_inputs(REPO, "harborline")
    render_portal(practice.clients[0], practice, out, today=TODAY)
    return out / "docs"


def test_home_shows_the_next_meetings_right_after_what_is_waiting_on_the_client(
        docs: Path) -> None:
    home = _read(docs / "index.md")
    cards = home[home.index('<div class="grid cards"'):].split("\n-   ")
    assert cards[1].startswith(":material-clipboard-account-outline: **Waiting on you")
    card = cards[2]
    assert card.startswith(":material-calendar-clock: **Next meetings**")
    items = re.findall(r"^    - (.+)$", card, re.MULTILINE)
    assert items == [
        '<span class="pt-date">Dec 8, 2026</span>, 9&#58;30 AM–10&#58;15 AM: '
        "[Weekly steering](meetings/index.md#steering)",
        '<span class="pt-date">Dec 8, 2026</span>, 11&#58;00 AM–11&#58;30 AM: '
        "[Board papers walk-through](meetings/index.md#m-002)",
        '<span class="pt-date">Dec 10, 2026</span>, all day: '
        "[Board meeting](board/2026-12-10.md)",
        '<span class="pt-date">Dec 15, 2026</span>, 1&#58;00 PM–2&#58;00 PM: '
        "[Quayside pilot scoping](meetings/index.md#m-004)",
        '<span class="pt-date">Dec 17, 2026</span>, 11&#58;00 AM–11&#58;45 AM: '
        "[NetSuite renewal call](meetings/index.md#m-005)",
    ]  # the cancelled demonstration on Dec 9 is not among them
    assert "Times are Eastern Time." in card
    assert "[:material-calendar-export: Add them to your calendar](meetings/calendar.ics)" \
        in card
    assert (docs / "meetings/calendar.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_the_meetings_page_gives_each_agenda_with_links_that_land(docs: Path) -> None:
    page = _read(docs / "meetings/index.md")
    sections = [h for h in re.findall(r"^## (.+)$", page, re.MULTILINE)]
    assert sections == ["Coming up", "Regular meetings", "Meetings ahead", "Past meetings"]
    assert "[Weekly steering](#steering), every Tuesday" in page
    assert "### Weekly steering {#steering}" in page and "### Quayside pilot scoping {#m-004}" \
        in page
    assert "**Not meeting on:** <span class=\"pt-date\">Dec 29, 2026</span>." in page
    assert "**With:** Margaret Okafor, Priya Raman, Northfield CTO Partners" in page
    assert "[Send the December board papers](../asks.md#a-007); [decision 0006 Buy a TMS " \
        "for quoting and bookings](../decisions/0006.md)" in page
    assert _read(docs / "asks.md").count('id="a-007"') == 1
    assert "Where: [meet.northfieldcto.example](https://meet.northfieldcto.example/" \
        "harborline-quayside)" in page
    assert re.search(r"Warehouse scanner demonstration.*\n\n.*Cancelled</span>", page)
    assert '<span id="m-001"></span><span class="pt-date">Nov 12, 2026</span>: TMS vendor ' \
        "demonstrations" in page
    decision = _read(docs / "decisions/0006.md")
    assert "| Meetings | [Board papers walk-through](../meetings/index.md#m-002)<br>" \
        "[Quayside pilot scoping](../meetings/index.md#m-004) |" in decision


def test_an_internal_meeting_is_nowhere_in_the_portal(docs: Path) -> None:
    for path in docs.rglob("*"):
        if path.is_file() and path.suffix in {".md", ".ics", ".yml"}:
            text = path.read_text("utf-8")
            assert "Fee review" not in text and "second year's fees" not in text, path


def test_a_cadence_that_ended_is_told_among_the_past_meetings(tmp_path: Path) -> None:
    practice = load_portal_inputs(REPO, "lumen-health")
    render_portal(practice.clients[0], practice, tmp_path, today=dt.date(2026, 12, 21))
    page = _read(tmp_path / "docs/meetings/index.md")
    assert "No meetings in the next eight weeks." in page and "## Regular meetings" not in page
    assert '<span id="check-in"></span>Founders\' weekly check-in: every Wednesday, until ' \
        '<span class="pt-date">Dec 16, 2026</span>' in page
    home = _read(tmp_path / "docs/index.md")
    assert "No meetings ahead." in home


def test_whats_new_follows_a_meeting_added_and_one_cancelled(tmp_path: Path) -> None:
    from dated_history import build_history_repo, git

    from portico.content.history import read_history
    from portico.portal.changes import attach

    root = build_history_repo(tmp_path / "practice")
    path = root / "clients/harborline/meetings.yml"
    text = path.read_text("utf-8").replace(
        "    duration: 45m\n    where: https://meet.northfieldcto.example/harborline-netsuite",
        "    duration: 45m\n    cancelled: true\n"
        "    where: https://meet.northfieldcto.example/harborline-netsuite")
    path.write_text(text + "  - id: M-009\n    title: Carrier integration kick-off\n"
                    "    date: 2027-01-11\n    time: \"10:00\"\n", "utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Meetings", when="2026-12-05T16:00:00+00:00")
    engagement = load_engagement(root, "harborline")
    attach(engagement, read_history(root, "harborline", TODAY))
    changes = portal_view(engagement, TODAY).parts["changes"]
    found = {(e.noun, e.title): e.change for e in changes.entries
             if e.change.after.section == "meetings"}
    assert found[("Meeting", "Carrier integration kick-off")].before is None  # added
    assert found[("Meeting", "NetSuite renewal call")].moves == ["Scheduled → Cancelled"]
    assert not any("Fee review" in title for _, title in found)


def test_portico_new_meeting_appends_a_meeting_that_check_accepts(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    run = CliRunner().invoke
    done = run(main, ["--root", str(root), "new", "meeting", "harborline",
                      "Carrier integration kick-off", "--on", "2027-01-11", "--at", "10:00",
                      "--duration", "1h30m", "--where", "Harbor room"])
    assert done.exit_code == 0, done.output
    assert done.output == "wrote clients/harborline/meetings.yml\n"
    text = _read(root / "clients/harborline/meetings.yml")
    assert text.startswith("# yaml-language-server")  # the demo's comments are kept
    assert text.endswith('  - id: "M-008"\n    title: "Carrier integration kick-off"\n'
                         '    date: 2027-01-11\n    time: "10:00"\n    duration: "1h30m"\n'
                         '    where: "Harbor room"\n    # attendees, agenda, links (the asks '
                         "and decisions it covers): see `portico docs content-model`\n")
    assert run(main, ["--root", str(root), "check"]).exit_code == 0
    late = run(main, ["--root", str(root), "new", "meeting", "harborline", "x", "--on",
                      "2027-01-11", "--at", "25:00"])
    assert late.exit_code == 1 and "--at must be a time of day HH:MM" in late.output
    (root / "clients/lumen-health/meetings.yml").unlink()
    new = ["--root", str(root), "new", "meeting", "lumen-health", "Follow-up", "--on",
           "2027-01-11", "--at", "10:00"]
    assert "give its --timezone" in run(main, new).output
    assert run(main, [*new, "--timezone", "America/Chicago"]).exit_code == 0
    assert "timezone: America/Chicago\n" in _read(root / "clients/lumen-health/meetings.yml"
                                             )
    assert run(main, ["--root", str(root), "check"]).exit_code == 0


def test_status_names_each_clients_next_meeting_internal_ones_included(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    lines = {s.slug: s for s in practice_status(load_practice(root), root / "site", TODAY)}
    assert lines["harborline"].next_meeting == "2026-12-08 09:30"
    assert lines["lumen-health"].next_meeting == "2026-12-09 16:00"
    later = practice_status(load_practice(root), root / "site", dt.date(2026, 12, 16))
    assert {s.slug: s for s in later}["harborline"].next_meeting == "2026-12-16 16:00"


def test_the_leak_scan_looks_for_the_meetings_words() -> None:
    from portico.protection.markers import client_markers, client_words

    e = load_engagement(REPO, "harborline")
    markers = client_markers(e)
    for phrase in ("Weekly steering", "Quayside pilot scoping", "Harbor room, Baltimore office",
                   "Our proposal for the second year's fees, before it goes in writing"):
        assert phrase in markers, phrase
    assert "Quayside" in client_words(e)
