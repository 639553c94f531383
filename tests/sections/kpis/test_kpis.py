"""KPIs: each measure against its target on its latest month, and the home page's list of
the ones off target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from portico.content.load import load_engagement, load_practice
from portico.portal.render import render_portal
from portico.sections.kpis.model import Kpi

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(("better", "latest", "met"), [
    ("higher", 5, True), ("higher", 4.9, False), ("lower", 3, True), ("lower", 3.1, False),
])
def test_a_kpi_is_on_target_on_its_latest_month(better: str, latest: float, met: bool) -> None:
    kpi = Kpi(id="K", name="x", target=5 if better == "higher" else 3, better=better,
              values={"2026-12": latest, "2026-01": 0})
    assert kpi.latest == ("2026-12", latest)
    assert kpi.status(TODAY) == ("met" if met else "missed") and kpi.off_target(TODAY) is not met
    assert Kpi(id="K", name="x", values={"2026-01": 1}).status(TODAY) is None
    # A KPI with no month yet (`check` refuses it) is not judged, and `status` does not crash.
    assert Kpi(id="K", name="x", target=1, values={}).status(TODAY) is None


def test_a_target_not_yet_due_is_not_missed() -> None:
    kpi = Kpi(id="K", name="x", target=100, target_by=dt.date(2027, 3, 31),
              values={"2026-11": 81})
    assert kpi.status(TODAY) == "not yet due" and not kpi.off_target(TODAY)
    assert kpi.status(dt.date(2027, 4, 1)) == "missed" and kpi.off_target(dt.date(2027, 4, 1))
    done = kpi.model_copy(update={"values": {"2026-11": 100}})
    assert done.status(TODAY) == "met"


def test_check_refuses_a_target_by_without_a_target(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    from portico.content.check import check_engagement

    root = copy_demo(tmp_path / "repo")
    kpis = root / "clients/harborline/kpis.yml"
    kpis.write_text(kpis.read_text("utf-8") + """
  - id: K-NEW
    name: Something new
    target_by: 2027-06-30
    values: {2026-11: 2}
""", "utf-8")
    line = kpis.read_text("utf-8").splitlines().index("    target_by: 2027-06-30") + 1
    problems = [str(p) for p in check_engagement(load_engagement(root, "harborline"), root,
                                                 today=TODAY)]
    assert any(p.endswith(f"kpis.yml:{line}: K-NEW: target_by needs a target (the value due "
                          "by then)") for p in problems), problems


def test_the_kpi_page_and_the_home_card(copy_demo: Callable[[Path], Path], tmp_path: Path
                                        ) -> None:
    root = copy_demo(tmp_path / "repo")
    kpis = root / "clients/harborline/kpis.yml"
    kpis.write_text(kpis.read_text("utf-8") + """
  - id: K-HEADCOUNT
    name: Engineers leaving this quarter
    values: {2026-11: 2}
    internal: true
""", "utf-8")
    practice = load_practice(root)
    e = next(c for c in practice.clients if c.slug == "harborline")
    render_portal(e, practice, tmp_path / "out", today=dt.date(2026, 12, 1))
    docs = tmp_path / "out/docs"
    page = (docs / "kpis/index.md").read_text("utf-8")
    # The direction is measured from its last two months; lower is better, so falling is.
    assert ("| [Change lead time](#k-lead) | 4 days (Nov\u00a02026) | :material-trending-down:"
            '{ title="Falling" } Falling: 6 days → 4 days since Oct\u00a02026 (better) | '
            "3 days (lower is better) |") in page
    assert "(was 6 days in Oct\u00a02026)" in page
    assert "target 100% by Mar\u00a02027, higher is better" in page  # K-SOC2: not yet due
    assert '<span class="pt-badge pt-sla-not-yet-due">Not yet due</span>' in page
    assert "Engineers leaving" not in "".join(p.read_text("utf-8") for p in docs.rglob("*.md"))
    home = (docs / "index.md").read_text("utf-8")
    # (the colon is written as &#58;: names are escaped as Markdown text)
    # The quote time and the SOC 2 controls have targets due in 2027: not off target yet.
    assert "2 off target&#58; Manifest deployments per week, Change lead time" in home
    assert load_engagement(root, "harborline").parts["kpis"][0].id == "K-DEPLOYS"


def test_a_kpis_direction_comes_from_its_last_two_months() -> None:
    from portico.sections.kpis.model import Kpi

    def kpi(values: dict[str, float], better: str = "higher") -> Kpi:
        return Kpi.model_validate({"id": "K", "name": "Deploys", "better": better,
                                   "values": values})

    rising = kpi({"2026-09": 3, "2026-10": 9, "2026-11": 12}).direction()
    assert rising is not None and (rising.word, rising.story, rising.since) == (
        "rising", "9 → 12", dt.date(2026, 10, 1))
    assert kpi({"2026-10": 9, "2026-11": 12}).improving() is True
    assert kpi({"2026-10": 9, "2026-11": 12}, "lower").improving() is False
    steady = kpi({"2026-09": 20, "2026-10": 12, "2026-11": 12}).direction()
    assert steady is not None and steady.word == "steady"  # the last two months decide
    assert kpi({"2026-11": 12}).direction() is None  # one month: no direction
