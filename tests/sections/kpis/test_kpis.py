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


@pytest.mark.parametrize(("better", "latest", "met"), [
    ("higher", 5, True), ("higher", 4.9, False), ("lower", 3, True), ("lower", 3.1, False),
])
def test_a_kpi_is_on_target_on_its_latest_month(better: str, latest: float, met: bool) -> None:
    kpi = Kpi(id="K", name="x", target=5 if better == "higher" else 3, better=better,
              values={"2026-12": latest, "2026-01": 0})
    assert kpi.latest == ("2026-12", latest) and kpi.on_target is met
    assert Kpi(id="K", name="x", values={"2026-01": 1}).on_target is None
    # A KPI with no month yet (`check` refuses it) is not judged, and `status` does not crash.
    assert Kpi(id="K", name="x", target=1, values={}).on_target is None


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
    assert "| [Change lead time](#k-lead) | 4 days (2026-11) | 3 days (lower is better) |" in page
    assert "(was 6 days in 2026-10)" in page
    assert "Engineers leaving" not in "".join(p.read_text("utf-8") for p in docs.rglob("*.md"))
    home = (docs / "index.md").read_text("utf-8")
    # (the colon is written as &#58;: names are escaped as Markdown text)
    assert ("4 off target&#58; Manifest deployments per week, Change lead time, Time to "
            "produce an LCL quote, SOC 2 controls in place") in home
    assert load_engagement(root, "harborline").parts["kpis"][0].id == "K-DEPLOYS"
