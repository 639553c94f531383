"""A decision judged by its own success test: verdicts, checks, and the words on its page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from portico.content.check import check_practice
from portico.content.load import load_practice
from portico.portal.render import render_portal
from portico.sections.decisions.success import SuccessCriterion, judge

Write = Callable[..., Path]
DECIDED = dt.date(2026, 6, 10)
BY = dt.date(2026, 9, 30)
QUOTE = {"2026-05": 30.0, "2026-06": 25.0, "2026-07": 12.0, "2026-08": 9.0}


def below(value: float, by: dt.date = BY) -> SuccessCriterion:
    return SuccessCriterion(kpi="K-QUOTE", below=value, by=by)


def above(value: float, by: dt.date = BY) -> SuccessCriterion:
    return SuccessCriterion(kpi="K-MFA", above=value, by=by)


def test_met_as_soon_as_the_latest_value_satisfies_it_before_its_date() -> None:
    assert judge(below(10), QUOTE, DECIDED, dt.date(2026, 9, 1)) == ("met", ("2026-08", 9.0))
    assert judge(above(40), {"2026-07": 35, "2026-08": 41}, DECIDED, dt.date(2026, 8, 20)) \
        == ("met", ("2026-08", 41))


def test_the_bound_is_inclusive_like_a_kpi_target() -> None:
    assert judge(below(9), QUOTE, DECIDED, dt.date(2026, 9, 1))[0] == "met"
    assert judge(above(100), {"2026-08": 100}, DECIDED, dt.date(2026, 9, 1))[0] == "met"


def test_on_the_way_until_its_date_then_missed() -> None:
    assert judge(below(5), QUOTE, DECIDED, dt.date(2026, 9, 1)) == \
        ("on the way", ("2026-08", 9.0))
    assert judge(below(5), QUOTE, DECIDED, BY)[0] == "on the way"  # `by` itself: not passed
    assert judge(below(5), QUOTE, DECIDED, BY + dt.timedelta(days=1)) == \
        ("missed", ("2026-08", 9.0))
    assert judge(above(90), {"2026-07": 40}, DECIDED, dt.date(2026, 10, 1))[0] == "missed"


def test_after_its_date_the_value_measured_by_then_is_judged_not_later_ones() -> None:
    late = {**QUOTE, "2026-10": 4.0}  # met a month too late
    assert judge(below(5), late, DECIDED, dt.date(2026, 11, 1)) == ("missed", ("2026-08", 9.0))
    slipped = {**QUOTE, "2026-09": 4.0, "2026-10": 8.0}  # met by its date, slipped after
    assert judge(below(5), slipped, DECIDED, dt.date(2026, 11, 1)) == \
        ("met", ("2026-09", 4.0))
    regressed = {"2026-07": 4.0, "2026-08": 8.0}  # met, then slipped back before its date
    assert judge(below(5), regressed, DECIDED, dt.date(2026, 9, 1))[0] == "on the way"


def test_not_yet_measurable_without_a_value_since_the_decision() -> None:
    before = {"2026-04": 30.0, "2026-05": 3.0}  # met before the decision: not its doing
    assert judge(below(5), before, DECIDED, dt.date(2026, 7, 1)) == ("not yet measurable", None)
    assert judge(below(5), before, DECIDED, BY + dt.timedelta(days=1)) == ("missed", None)
    assert judge(below(5), before, None, dt.date(2026, 7, 1))[0] == "met"  # undated: all months


def test_a_criterion_needs_one_bound_and_a_date() -> None:
    with pytest.raises(ValidationError, match="needs `below:` or `above:`"):
        SuccessCriterion.model_validate({"kpi": "K", "by": "2027-03-31"})
    with pytest.raises(ValidationError, match="keep one"):
        SuccessCriterion.model_validate({"kpi": "K", "below": 1, "above": 2, "by": "2027-03-31"})
    with pytest.raises(ValidationError):
        SuccessCriterion.model_validate({"kpi": "K", "below": 1, "by": "end of March"})


KPIS = """\
kpis:
  - id: K-QUOTE
    name: Time to produce an LCL quote
    unit: min
    better: lower
    values: {2026-09: 25, 2026-10: 25, 2026-11: 12}
  - id: K-UPTIME
    name: Manifest availability
    unit: "%"
    values: {2026-10: 99.7, 2026-11: 99.97}
"""


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("\xa0", " ")  # dates keep together


def test_the_page_and_the_log_say_the_test_in_plain_words(practice: Write,
                                                            tmp_path: Path) -> None:
    root = practice({
        "clients/acme/kpis.yml": KPIS,
        "clients/acme/decisions/0001-move-to-aws.md":
            "---\nstatus: accepted\ndate: 2026-03-27\nsuccess:\n"
            "  - {kpi: K-UPTIME, above: 99.9, by: 2026-12-31}\n---\n# Move to AWS\n",
        "clients/acme/decisions/0002-buy-a-tms.md":
            "---\nstatus: proposed\ndate: 2026-11-18\nsuccess:\n"
            "  - {kpi: K-QUOTE, below: 5, by: 2027-03-31}\n---\n# Buy a TMS\n",
        "clients/acme/decisions/0004-build-quoting.md":
            "---\nstatus: rejected\ndate: 2026-11-18\nsuccess:\n"
            "  - {kpi: K-QUOTE, below: 5, by: 2027-03-31}\n---\n# Build quoting\n",
        "clients/acme/decisions/0003-nygard.md":
            "# 3. Keep Nygard\n\nDate: 2026-05-01\n\n## Status\n\nAccepted\n",
    })
    loaded = load_practice(root)
    assert check_practice(loaded, today=dt.date(2026, 12, 1)) == []
    rendered = render_portal(loaded.clients[0], loaded, tmp_path / "out",
                             today=dt.date(2026, 12, 1))
    page = _read(rendered.docs_dir / "decisions/0002.md")  # the locale: en-GB
    # Proposed: the test and the KPI's latest value as a baseline, no verdict yet.
    assert ("| Success test | Time to produce an LCL quote at most 5 min by 31 Mar 2027: "
            '<span class="pt-badge pt-verdict-judged-once-accepted">Judged once accepted'
            "</span> (12 min in Nov 2026) |") in page
    rejected = _read(rendered.docs_dir / "decisions/0004.md")
    assert "Success test" not in rejected
    first = _read(rendered.docs_dir / "decisions/0001.md")
    assert "Manifest availability at least 99.9% by 31 Dec 2026: " in first
    assert ">Met</span> (99.97% in Nov 2026)" in first
    log = _read(rendered.docs_dir / "decisions/index.md")
    assert "## Judged by their success tests" in log
    assert "[0001 Move to AWS](0001.md): Manifest availability at least 99.9%" in log
    assert "[0002 Buy a TMS](0002.md): Time to produce an LCL quote" in log
    assert "Keep Nygard](0003.md):" not in log
    assert "Success test" not in (rendered.docs_dir / "decisions/0003.md").read_text("utf-8")


@pytest.fixture(scope="module")
def history_docs(history_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dated_history import render_with_history

    return render_with_history(history_repo, tmp_path_factory.mktemp("judged") / "out",
                               dt.date(2026, 12, 1))


def test_with_git_a_kpi_that_crossed_by_its_date_is_met_one_that_did_not_is_missed(
        history_docs: Path) -> None:
    """Decision 0005 (tests/dated_history.py): MFA reached 100 % in August, before its
    Sep 30 date; lead time was 6 days in October, short of 3 by Oct 31."""
    from dated_history import page_text

    page = page_text(history_docs, "decisions/0005.md")
    assert ("| Success tests | Staff signing in with MFA at least 100% by Sep 30, 2026: "
            '<span class="pt-badge pt-verdict-met">Met</span> (100% in Sep 2026)<br>'
            "Change lead time at most 3 days by Oct 31, 2026: "
            '<span class="pt-badge pt-verdict-missed">Missed</span> (6 days in Oct 2026) |'
            ) in page
    news = page_text(history_docs, "whats-new.md")
    assert ("**Decision** 0005 [Use Amazon RDS for PostgreSQL for the Manifest database]"
            "(decisions/0005.md): "
            "success test on Staff signing in with MFA: On the way → Met") in news
    assert "success test on Change lead time: On the way → Missed" in news
    # 0006 is still proposed: its test waits for the decision, so nothing moved.
    assert "(decisions/0006.md): success test" not in news
