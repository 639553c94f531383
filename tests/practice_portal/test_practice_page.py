"""What a practice reader sees on the practice portal's pages, rendered from given lines
and benchmarks: the phase as a word, ids kept whole, benchmark sentences in good English."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from portico.content.load import load_practice
from portico.delivery.status import ClientStatus
from portico.practice_portal.benchmarks import Benchmarks, RiskClosing
from portico.practice_portal.render import render_practice, whole_words

TODAY = dt.date(2026, 3, 10)


def _line(slug: str, name: str) -> ClientStatus:
    return ClientStatus(slug=slug, name=name, phase="execution", last_build=None,
                        reviews_overdue=[], stale_proposals=[],
                        notices_due=["V-M365", "V-NETSUITE"], kpis_off_target=["K-DEPLOYS"],
                        next_board_pack=None, days_used=79.3, days_agreed=87.6)


def _render(three_clients: Path, tmp_path: Path, closings: RiskClosing) -> dict[str, str]:
    practice = load_practice(three_clients)
    lines = [_line(e.slug, e.client.name) for e in sorted(practice.clients, key=lambda e: e.slug)]
    marks = Benchmarks(clients=3, areas=[], areas_left_out=0, closings=closings, vendors=[],
                       vendors_shared=0)
    pages = render_practice(practice, lines, marks, tmp_path / "out", today=TODAY)
    return {"index": (pages.docs_dir / "index.md").read_text("utf-8"),
            "benchmarks": (pages.docs_dir / "benchmarks/index.md").read_text("utf-8"),
            "mkdocs": pages.config_file.read_text("utf-8")}


def test_the_phase_reads_as_a_word_and_ids_stay_whole(three_clients: Path,
                                                     tmp_path: Path) -> None:
    page = _render(three_clients, tmp_path, RiskClosing(0, 0, None, None, 0))["index"]
    rows = {cells[0]: cells[1:] for cells in (
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in page.splitlines() if line.startswith("| "))}
    assert rows["Phase"] == ["Execution"] * 3
    assert "execution" not in page
    assert rows["Notices due"] == ['<span class="pt-nowrap">V-M365</span>, '
                                   '<span class="pt-nowrap">V-NETSUITE</span>'] * 3
    assert rows["KPIs off target"] == ['<span class="pt-nowrap">K-DEPLOYS</span>'] * 3
    assert rows["Days used / agreed"] == ["79.3 / 87.6"] * 3


def test_whole_words_changes_no_text_only_where_lines_break() -> None:
    assert str(whole_words("risk-review late since 2026-11-30 (V-M365, V-NETSUITE)")) == (
        '<span class="pt-nowrap">risk-review</span> late since '
        '<span class="pt-nowrap">2026-11-30</span> (<span class="pt-nowrap">V-M365</span>, '
        '<span class="pt-nowrap">V-NETSUITE</span>)').replace("(", "&#40;").replace(")", "&#41;")
    assert str(whole_words("–")) == "–"


def test_the_header_names_the_portal_and_print_names_the_practice(three_clients: Path,
                                                                  tmp_path: Path) -> None:
    pages = _render(three_clients, tmp_path, RiskClosing(0, 0, None, None, 0))
    config = yaml.safe_load(pages["mkdocs"])
    assert config["site_name"] == "Practice portal"  # short: one line of a phone's header
    assert "Test Practice" in config["copyright"]
    assert "assets/portico/print.css" in config["extra_css"]
    css = (tmp_path / "out/docs/assets/portico/print.css").read_text("utf-8")
    assert '"Practice portal · Test Practice"' in css and "Confidential" in css


def test_one_closed_critical_risk_reads_in_the_singular(three_clients: Path,
                                                        tmp_path: Path) -> None:
    page = _render(three_clients, tmp_path, RiskClosing(1, 1, None, None, 2))["benchmarks"]
    assert "1 critical risk has been closed, at one client:" in page
    assert "all at one client" not in page
    assert "statistics.quantiles" not in page
    assert "middle half" in page


def test_several_closed_critical_risks_at_one_client_read_in_the_plural(
        three_clients: Path, tmp_path: Path) -> None:
    page = _render(three_clients, tmp_path, RiskClosing(3, 1, None, None, 0))["benchmarks"]
    assert "3 critical risks have been closed, all at one client:" in page
