"""The vendor register, AI opportunities and build-vs-buy evaluations, as a CTO uses them:
the numbers the portal computes, what it flags, and what never reaches it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from portico.content.load import load_engagement, load_practice
from portico.portal.render import render_portal
from portico.sections.opportunities.model import Opportunity
from portico.sections.vendors.model import Contract, Sla, Vendor

TODAY = dt.date(2026, 12, 1)


def vendor(**contract: object) -> Vendor:
    return Vendor(id="V-1", name="FleetTrack", status="active",
                  contract=Contract(**contract))  # type: ignore[arg-type]


@pytest.mark.parametrize(("contract", "flag"), [
    ({"end": dt.date(2027, 1, 29), "notice_days": 0}, "due"),  # 59 days away
    ({"end": dt.date(2027, 3, 1), "notice_days": 30}, "due"),  # deadline 2027-01-30: 60 days
    ({"end": dt.date(2027, 3, 2), "notice_days": 30}, None),  # 61 days
    ({"end": dt.date(2026, 12, 31), "notice_days": 90, "auto_renew": True}, "passed"),
    ({"end": dt.date(2026, 12, 31), "notice_days": 90, "auto_renew": False}, None),
    ({"notice_days": 90}, None),  # no end date: nothing to count from
])
def test_the_notice_deadline_is_flagged_within_60_days_or_when_passed_on_auto_renewal(
    contract: dict[str, object], flag: str | None
) -> None:
    assert vendor(**contract).notice_flag(TODAY) == flag


def test_an_exited_vendor_is_never_flagged() -> None:
    gone = Vendor(id="V-1", name="Old", status="exited",
                  contract=Contract(end=dt.date(2026, 12, 20), notice_days=0))
    assert gone.notice_flag(TODAY) is None


def test_an_sla_is_met_or_missed_on_its_latest_month_whichever_way_is_better() -> None:
    uptime = Sla(metric="Uptime", target=99.9, values={"2026-11": 99.95, "2026-10": 98.0})
    outages = Sla(metric="Outage minutes", target=60, better="lower",
                  values={"2026-10": 20, "2026-11": 210})
    assert uptime.latest == ("2026-11", 99.95) and uptime.latest_met is True
    assert outages.latest == ("2026-11", 210) and outages.latest_met is False
    assert Sla(metric="New", target=1).latest_met is None


@pytest.mark.parametrize(("value", "effort", "quadrant"), [
    (3, 3, "quick win"), (5, 1, "quick win"), (3, 4, "strategic bet"),
    (2, 3, "fill-in"), (2, 4, "deprioritise"), (1, 5, "deprioritise"),
])
def test_each_opportunity_falls_in_the_quadrant_the_content_model_defines(
    value: int, effort: int, quadrant: str
) -> None:
    o = Opportunity(id="AI-1", title="x", value=value, effort=effort, status="idea")
    assert o.quadrant == quadrant


def test_the_demo_vendor_scores_and_notices(copy_demo: Callable[[Path], Path],
                                            tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    e = load_engagement(root, "harborline")
    register = e.parts["vendors"]
    by_id = {v.id: v for v in register.vendors}
    # (5×30 + 4×20 + 3×25 + 5×25) / 100
    assert by_id["V-AWS"].weighted_score(list(register.criteria)) == pytest.approx(4.30)
    flagged = {v.id: v.notice_flag(TODAY) for v in register.vendors if v.notice_flag(TODAY)}
    assert flagged == {"V-NETSUITE": "due", "V-M365": "due"}


def test_the_demo_evaluation_weighs_the_options(copy_demo: Callable[[Path], Path],
                                                tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    e = load_engagement(root, "harborline")
    decision = next(d for d in e.parts["decisions"] if d.number == "0006")
    evaluation = decision.evaluation
    assert evaluation is not None
    totals = {o.kind: round(evaluation.total(o), 2) for o in evaluation.options}
    assert totals == {"build": 2.65, "subscribe": 4.25, "buy": 2.40}
    tco = {o.kind: o.tco.total for o in evaluation.options if o.tco}
    assert tco == {"build": 895_000, "subscribe": 675_000, "buy": 1_700_000}


def _render(root: Path, out: Path) -> str:
    practice = load_practice(root)
    engagement = next(c for c in practice.clients if c.slug == "harborline")
    render_portal(engagement, practice, out, today=TODAY)
    return "\n".join(p.read_text("utf-8") for p in sorted((out / "docs").rglob("*.md")))


def test_pages_show_the_register_the_matrix_and_the_weighing(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    docs = _render(copy_demo(tmp_path / "repo"), tmp_path / "out")
    vendors = (tmp_path / "out/docs/vendors/index.md").read_text("utf-8")
    assert "NetSuite: give notice by Dec\u00a030,\u00a02026 (in 29 days)" in vendors
    assert "2 of 2 missed" in vendors  # CargoLink's latest month missed both SLAs
    assert "Scorecard 4.30 / 5" in vendors  # AWS's scorecard chart, not the demo score
    assert "| Scorecard |" in vendors
    opportunities = (tmp_path / "out/docs/opportunities/index.md").read_text("utf-8")
    assert "Quick wins" in opportunities and ">5<" in opportunities  # dots by priority number
    assert "AI-5" not in opportunities.replace("#ai-5", "").replace("{#ai-5}", "")
    assert "Delivered by:" in opportunities and "[TMS for rates" in opportunities
    decision = (tmp_path / "out/docs/decisions/0006.md").read_text("utf-8")
    assert "| **Weighted total** | 100% | **2.65** | **4.25** | **2.40** |" in decision
    assert "$675,000" in decision
    assert "evaluated" in (tmp_path / "out/docs/decisions/index.md").read_text("utf-8")
    home = (tmp_path / "out/docs/index.md").read_text("utf-8")
    assert "## Vendor notices" in home and "Vendors: 5" in home
    assert "AI opportunities: 5" in docs


def test_internal_vendors_and_opportunities_never_reach_the_docs_tree(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    root = copy_demo(tmp_path / "repo")
    vendors = root / "clients/harborline/vendors.yml"
    vendors.write_text(vendors.read_text("utf-8") + """
  - id: V-SECRET
    name: Quietwater Staffing
    status: evaluating
    internal: true
""", "utf-8")
    opportunities = root / "clients/harborline/opportunities.yml"
    opportunities.write_text(opportunities.read_text("utf-8") + """
  - id: AI-9
    title: Replace the night shift with a voice bot
    value: 4
    effort: 2
    status: idea
    internal: true
""", "utf-8")
    docs = _render(root, tmp_path / "out")
    for text in ("Quietwater", "V-SECRET", "AI-9", "night shift"):
        assert text not in docs
    assert "Vendors: 5" in docs and "AI opportunities: 5" in docs


def test_a_visible_vendor_may_not_point_at_an_internal_risk(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    from portico.content.check import check_engagement

    root = copy_demo(tmp_path / "repo")
    risks = root / "clients/harborline/risks.yml"
    text = risks.read_text("utf-8").replace("  - id: RISK-007\n", "  - id: RISK-007\n    internal: true\n")
    risks.write_text(text, "utf-8")
    e = load_engagement(root, "harborline")
    problems = [str(p) for p in check_engagement(e, root, today=TODAY)]
    assert any("vendors.yml" in p and "links to internal risk RISK-007" in p for p in problems)


def test_portico_new_vendor_and_opportunity_write_entries_that_pass_check(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from portico.cli import main

    root = copy_demo(tmp_path / "repo")
    run = CliRunner().invoke
    args = ["--root", str(root), "new"]
    assert run(main, [*args, "vendor", "lumen-health", "Epic Systems", "--category", "EHR"]
               ).exit_code == 0
    assert run(main, [*args, "vendor", "lumen-health", "Twilio"]).exit_code == 0
    assert run(main, [*args, "opportunity", "lumen-health", "Summarise discharge letters",
                      "--value", "4", "--effort", "3"]).exit_code == 0
    taken = run(main, [*args, "vendor", "harborline", "Twilio", "--id", "V-AWS"])
    assert taken.exit_code == 1 and "already has an entry V-AWS" in taken.output
    e = load_engagement(root, "lumen-health")
    assert [v.id for v in e.parts["vendors"].vendors] == ["V-1", "V-2"]
    assert [o.id for o in e.parts["opportunities"]] == ["AI-1"]
    assert run(main, ["--root", str(root), "check"]).exit_code == 0


def test_the_leak_scan_looks_for_vendor_and_opportunity_text(
    copy_demo: Callable[[Path], Path], tmp_path: Path
) -> None:
    from portico.protection.markers import client_markers

    root = copy_demo(tmp_path / "repo")
    markers = client_markers(load_engagement(root, "harborline"))
    text = " ".join(str(m) for m in markers)
    for phrase in ("Quayside TMS", "CargoLink EDI", "Read carrier rate sheets into the TMS",
                   "Messages delivered within 15 minutes"):
        assert phrase in text, phrase
