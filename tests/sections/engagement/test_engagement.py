"""The engagement's terms and hours: days agreed per month, time.csv in days, internal
entries' notes and the rate basis kept out of the portal, `portico log`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from portico.cli import main
from portico.content.load import Loader, load_practice
from portico.content.model import Commitment, EngagementInfo
from portico.portal.render import render_portal
from portico.sections.engagement.model import TimeEntry, TimeLog, read_time
from portico.sections.engagement.view import agreed_in, engagement_view

TODAY = dt.date(2026, 12, 6)
INTERNAL_NOTE = "Off the record: Priya is weighing the Calder offer"
RATE = "USD 1,850 a day, invoiced monthly in arrears"


def _info(**terms: object) -> EngagementInfo:
    return EngagementInfo.model_validate({"start": "2026-03-02", **terms})


def test_days_agreed_follow_the_working_days_inside_the_engagement() -> None:
    weekly = _info(commitment={"days_per_week": 2}, end="2026-04-15")
    assert agreed_in(weekly, "2026-03") == 8.8  # 22 working days from Mar 2 → 2 × 22 / 5
    assert agreed_in(weekly, "2026-04") == 4.4  # Apr 1..15: 11 working days
    monthly = _info(commitment={"days_per_month": 8})
    assert agreed_in(monthly, "2026-05") == 8.0
    assert agreed_in(_info(start="2026-06-15", commitment={"days_per_month": 8}),
                     "2026-06") == 4.4  # 12 of June's 22 working days


def test_time_in_hours_counts_in_days_and_internal_notes_go() -> None:
    info = _info(commitment={"days_per_week": 1, "hours_per_day": 8})
    log = TimeLog(True, [])
    from portico.sections.engagement.model import Logged

    log.entries = [
        Logged(2, TimeEntry(date=dt.date(2026, 3, 3), hours=8, activity="coaching", note="a")),
        Logged(3, TimeEntry(date=dt.date(2026, 3, 4), days=0.5, activity="assessment")),
        Logged(4, TimeEntry(date=dt.date(2026, 3, 5), hours=4, activity="coaching",
                            note="secret", internal=True)),
    ]
    view = engagement_view(info, log, dt.date(2026, 3, 31))
    assert view.used == 2.0 and [m.month for m in view.months] == ["2026-03"]
    assert view.activities == [("coaching", 1.5), ("assessment", 0.5)]
    assert [e.note for e in view.entries] == [None, None, "a"]  # the internal one's time counts


def test_the_activities_add_up_to_the_days_used_shown() -> None:
    """Lumen's hours: 30.5 h is 3.8 days used, but each activity rounded alone (1.25 → 1.2,
    0.25 → 0.2, ...) added to 3.7. The split is apportioned to the total instead."""
    from portico.sections.engagement.model import Logged

    info = _info(commitment={"days_per_week": 1, "hours_per_day": 8}, start="2026-11-16")
    rows = [("2026-11-17", 8, "assessment"), ("2026-11-24", 6, "architecture-review"),
            ("2026-11-24", 2, "vendor-meeting"), ("2026-11-25", 2, "leadership-meeting"),
            ("2026-12-01", 4, "assessment"), ("2026-12-02", 4, "architecture-review"),
            ("2026-12-02", 1.5, "other"), ("2026-12-04", 3, "roadmap-review")]
    log = TimeLog(True, [Logged(n, TimeEntry(date=dt.date.fromisoformat(d), hours=h,
                                              activity=a)) for n, (d, h, a) in enumerate(rows)])
    view = engagement_view(info, log, TODAY)
    assert view.used == 3.8
    assert round(sum(days for _, days in view.activities), 1) == view.used
    assert dict(view.activities)["assessment"] == 1.5


def test_a_commitment_names_days_a_week_or_a_month() -> None:
    for bad in ({}, {"days_per_week": 2, "days_per_month": 8}):
        try:
            Commitment.model_validate(bad)
        except ValueError as exc:
            assert "days_per_week or days_per_month" in str(exc)
        else:
            raise AssertionError(bad)


def test_the_notice_date_is_flagged_within_60_days() -> None:
    info = _info(renewal="2027-03-01", notice_days=60)
    assert info.notice_date == dt.date(2026, 12, 31)
    view = engagement_view(info, TimeLog(), TODAY)
    assert view.notice == "due" and view.days_to_notice == 25
    assert engagement_view(info, TimeLog(), dt.date(2026, 10, 1)).notice is None
    assert engagement_view(info, TimeLog(), dt.date(2027, 1, 5)).notice == "passed"
    assert engagement_view(info, TimeLog(), dt.date(2027, 3, 2)).notice is None


def test_every_bad_row_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "time.csv").write_text(
        "date,hours,activity,note,internal\n"
        "2026-03-03,4,coaching,ok,\n"
        '2026-03-04,2,coaching,"a note\nover two lines",\n'
        "2026-02-30,x,coachng,,maybe\n"
        "\n"
        "2026-03-05,,coaching,,\n", "utf-8")
    loader = Loader(tmp_path)
    log = read_time(tmp_path / "time.csv", loader)
    assert [entry.line for entry in log.entries] == [2, 3]
    found = [(p.line, p.message) for p in loader.problems]
    assert [line for line, _ in found] == [5, 5, 5, 5, 7]
    assert "did you mean 'coaching'" in found[2][1] and "needs hours or days" in found[4][1]


def test_the_portal_shows_used_against_agreed_and_nothing_internal(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    practice = load_practice(root)
    harbor = next(e for e in practice.clients if e.slug == "harborline")
    out = render_portal(harbor, practice, tmp_path / "out", today=TODAY)
    page = (out.docs_dir / "engagement/index.md").read_text("utf-8")
    assert "**79.3 days used of 87.6 days agreed**, to the end of Dec\u00a02026" in page
    assert "Time by activity" in page and 'data-mark="activity-1"' in page
    assert "Current-state assessment" in page and "Fee review" not in page  # internal one
    home = (out.docs_dir / "index.md").read_text("utf-8")
    assert "**Engagement**" in home and "Notice due" in home
    for path in out.docs_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert INTERNAL_NOTE.encode() not in data and RATE.encode() not in data, path
            assert b"time.csv" not in data, path


def test_portico_log_appends_a_row_check_accepts(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    runner = CliRunner()
    result = runner.invoke(main, ["--root", str(root), "log", "lumen-health", "--hours", "2.5",
                                  "--activity", "coaching", "--on", "2026-12-03",
                                  "--note", "Coaching, with a comma", "--internal"])
    assert result.exit_code == 0, result.output
    text = (root / "clients/lumen-health/time.csv").read_text("utf-8")
    assert text.endswith('2026-12-03,2.5,coaching,"Coaching, with a comma",true\n')
    refused = runner.invoke(main, ["--root", str(root), "log", "lumen-health", "--days", "1",
                                   "--activity", "coaching"])
    assert refused.exit_code == 1 and "no days column" in refused.output
    assert len(load_practice(root).clients) == 2  # still loads: the row is valid
