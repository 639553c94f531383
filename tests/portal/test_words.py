"""What the demo's pages say, in the client's words: rendered, then read as Markdown.

Each test names a defect a client's CEO met on the demo, and fails if it comes back.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from portico.content.load import load_portal_inputs
from portico.content.model import ViewSpec
from portico.portal.audience import engagement_for_view
from portico.portal.render import render_portal

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def harborline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each page render writes for Harborline, by docs path."""
    out = tmp_path_factory.mktemp("render")
    practice = load_portal_inputs(REPO, "harborline")
    render_portal(practice.clients[0], practice, out, today=TODAY, commit="abc1234567")
    return {p.relative_to(out / "docs").as_posix(): p.read_text(encoding="utf-8")
            for p in (out / "docs").rglob("*") if p.suffix in {".md", ".css"}}


def _entry(page: str, heading: str) -> str:
    """One register entry: from its heading to the next entry."""
    start = page.index(heading)
    end = page.find('<div class="pt-entry', start)
    return page[start:end if end > 0 else None]


def test_a_vendor_with_no_signed_contract_reads_so_not_contract_colon_dot(harborline):
    quayside = _entry(harborline["vendors/index.md"], "### Quayside TMS")
    assert "**Contract:** not signed yet." in quayside
    assert not re.search(r"Contract:\*\*\s*\.", harborline["vendors/index.md"])


def test_a_mitigation_written_as_a_list_stays_a_list_under_its_label(harborline):
    entry = _entry(harborline["risks/index.md"], "RISK-001 · ")
    assert re.search(r"\*\*Mitigate:\*\*\n\n- Upgrade in place", entry), entry


def test_a_meta_line_never_runs_into_the_description(harborline):
    opportunities = harborline["opportunities/index.md"]
    for meta in re.findall(r"^.* · owner: .*$", opportunities, re.MULTILINE):
        following = opportunities.split(meta, 1)[1]
        assert following.startswith("\n\n") or following.startswith("\n<") or \
            following.startswith("\n\n"), f"runs on after {meta!r}"


def test_vendor_kpi_opportunity_and_roadmap_ids_stay_the_ctos(harborline):
    visible = "\n".join(text for path, text in harborline.items() if path.endswith(".md"))
    visible = re.sub(r"\{#[^}]*\}|\]\([^)]*\)|#[a-z0-9-]+\)|<[^>]+>", "", visible)
    for bookkeeping in ("V-AWS", "V-QUAYSIDE", "AI-4", "R7 ", "R7 ·"):
        assert bookkeeping not in visible, bookkeeping
    assert "RISK-004" in visible and "0006" in visible  # the client cites these


def test_statuses_and_kinds_read_as_words(harborline):
    roadmap = harborline["roadmap/index.md"]
    assert ">In progress</span>" in roadmap and ">in-progress</span>" not in roadmap
    notes = harborline["notes/index.md"]
    assert ">Vendor review</span>" in notes and "vendor-review</span>" not in notes


def test_dates_follow_the_locale_and_months_read_as_words(harborline):
    assert "Jun\u00a026,\u00a02026" in harborline["roadmap/index.md"]  # en-US, from mkdocs.yml
    assert not re.search(r"\| 20\d\d-\d\d-\d\d \|", harborline["roadmap/index.md"])


def test_spend_is_split_into_committed_and_proposed(harborline):
    summary = harborline["vendors/index.md"].split("## Register")[0]
    assert "committed spend" in summary and "proposed, for vendors still being evaluated" in summary


def test_a_proposed_decision_is_to_be_decided_by_its_board(harborline):
    page = next(text for path, text in harborline.items() if path.startswith("decisions/0006"))
    assert "To be decided by" in page and "| Decided by |" not in page
    pack = harborline["board/2026-12-10.md"]
    assert "to be decided by Harborline's board" in pack and "Board of" not in pack


def test_zero_counts_are_neutral_and_on_track_counts_started_work_only(harborline):
    pack = harborline["board/2026-12-10.md"]
    counts = dict(re.findall(r'pt-rag-([a-z-]+)">([A-Za-z ]+ \d+)<', pack))
    # The Roadmap page's own words: planned work is "Planned", started work "In progress".
    assert any(label.startswith("Planned") for label in counts.values()), counts
    assert not any(label.startswith(("Not started", "On track")) for label in counts.values())
    for css, label in counts.items():
        assert (css == "none") == label.endswith(" 0"), (css, label)


def test_the_vendor_card_says_what_it_counts(harborline):
    home = harborline["index.md"]
    assert "vendors missed an SLA in the latest month reported" in home or \
        "vendor missed an SLA in the latest month reported" in home
    assert "missing an SLA" not in home


def test_the_source_is_one_line_at_a_packs_end_without_a_commit_hash(harborline):
    """A commit hash is the CTO's shorthand: the reader (and the PDF) sees the day only."""
    pack = harborline["board/2026-12-10.md"]
    assert pack.rstrip().endswith("</p>") and "pt-source" in pack.splitlines()[-1]
    assert "abc1234567" not in pack and "reference" not in pack.splitlines()[-1]
    assert "abc1234567" not in harborline["assets/portico/print.css"]
    assert "current files" not in pack


def test_print_uses_the_locales_paper(harborline):
    assert "size: Letter;" in harborline["assets/portico/print.css"]  # en-US


def test_the_footer_names_the_client(tmp_path: Path) -> None:
    """The base copyright's "the client named in this portal" becomes the client's name."""
    import yaml

    practice = load_portal_inputs(REPO, "harborline")
    rendered = render_portal(practice.clients[0], practice, tmp_path / "out", today=TODAY)
    config = yaml.safe_load(rendered.config_file.read_text(encoding="utf-8"))
    assert config["copyright"].endswith("Confidential, prepared for Harborline Logistics")
    assert "named in this portal" not in config["copyright"]


def test_the_evaluation_names_its_options_as_the_decision_does(harborline):
    """Decision 0006's options were headed Build, Subscribe and Buy (their kinds), so
    "Buy" read as the recommendation while it meant replacing Manifest."""
    page = next(text for path, text in harborline.items() if path.startswith("decisions/0006"))
    pack = harborline["board/2026-12-10.md"]
    for text in (page, pack):
        header = next(line for line in text.splitlines() if line.startswith("| Criterion |"))
        assert "| Build into Manifest |" in header and "| Replace Manifest entirely |" in header
        assert "Buy a TMS for rates, quoting and bookings ✓" in header
        assert "Subscribe" not in text
    assert "### Replace Manifest entirely" in page and "### Build into Manifest" in page


def test_short_distinct_option_names_are_their_own_labels() -> None:
    from portico.sections.decisions.evaluation import Evaluation

    def evaluation(*names: str) -> Evaluation:
        return Evaluation.model_validate({
            "criteria": [{"id": "a", "name": "A", "weight": 1}, {"id": "b", "name": "B",
                                                                  "weight": 1}],
            "options": [{"name": n, "kind": k, "scores": {"a": 1, "b": 2}}
                        for n, k in zip(names, ("build", "buy"), strict=False)]})

    assert evaluation("Build into Manifest", "Replace Manifest").labels() == [
        "Build into Manifest", "Replace Manifest"]
    assert evaluation("Build rate management, quoting and online booking into Manifest",
                      "Replace it").labels() == ["Build", "Buy"]


def test_the_home_cards_say_what_they_count_in_plain_words(harborline):
    home = harborline["index.md"]
    assert "79.3 days used of 87.6 agreed, to the end of Dec\u00a02026." in home
    assert "1 ask on our side" in home and "we owe you" not in home
    # One denominator: "3 of 10 done" beside a bar of the same 10 (the dropped item apart).
    assert "**Roadmap: 3 of 10 done**" in home and "10 in total" in home
    assert "Not counting 1 dropped item." in home and "% done" not in home
    assert "**Open risks: 6 (3 being monitored)**" in home
    # One form for a notice's distance, on every card: "(in 24 days)".
    assert not re.search(r"\(\d+ days\)", home) and "(in 24\u00a0days)" not in home
    assert "(in 24 days)" in home and "(in 25 days)" in home


def test_roadmap_and_vendor_facts_read_as_sentences_not_shorthand(harborline):
    roadmap, vendors = harborline["roadmap/index.md"], harborline["vendors/index.md"]
    for raw in ("under way since", "milestone ·", " · owner: ", " · depends on "):
        assert raw not in roadmap, raw
    assert "Milestone · " in roadmap and " · Owner: " in roadmap
    assert "renews by itself" not in vendors and "renews automatically" in vendors
    assert "recommendation: **" not in vendors and "Recommendation: **Renegotiate**" in vendors
    pack = harborline["board/2026-12-10.md"]
    assert "Renews automatically" in pack and "renews by itself" not in pack


@pytest.fixture(scope="module")
def lumen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("render-lumen")
    practice = load_portal_inputs(REPO, "lumen-health")
    render_portal(practice.clients[0], practice, out, today=TODAY)
    return {p.relative_to(out / "docs").as_posix(): p.read_text(encoding="utf-8")
            for p in (out / "docs").rglob("*.md")}


def _facts(home: str) -> str:
    return home.split('<div class="pt-facts" markdown>\n', 1)[1].split("</div>", 1)[0]


def test_the_home_facts_say_each_thing_once_and_never_wrap_before_a_dot(harborline, lumen):
    facts = _facts(lumen["index.md"])
    assert facts.count("Assessment") == 1, facts  # phase and kind of engagement, both
    for text in (facts, _facts(harborline["index.md"])):
        assert " ·" not in text and " –" not in text, text  # a no-break space before each
        assert "\u00a0·" in text or "\u00a0–" in text


def test_lumen_deliverables_match_the_roadmap(lumen):
    page = lumen["engagement/index.md"]
    rows = {m[0]: m[1] for m in re.findall(r"\| <span id=\"[^\"]+\"></span>(.+?) \|.*?"
                                           r"pt-status-([a-z-]+)", page)}
    assert rows["Draft answers to the pilot hospital's security questionnaire"] == "in-progress"
    assert rows["Findings report and 90-day plan"] == "planned"


def _render_view(out: Path, slug: str, view: str, spec: ViewSpec | None = None) -> dict[str, str]:
    """Each page render writes for one view of a demo client, by docs path."""
    practice = load_portal_inputs(REPO, slug)
    shown = engagement_for_view(practice.clients[0], view, spec)
    render_portal(shown, practice, out, today=TODAY, commit="abc1234567")
    return {p.relative_to(out / "docs").as_posix(): p.read_text(encoding="utf-8")
            for p in (out / "docs").rglob("*.md")}


@pytest.fixture(scope="module")
def harborline_board(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _render_view(tmp_path_factory.mktemp("render-board"), "harborline", "board")


def test_a_pack_in_a_view_without_vendors_claims_no_vendor_notice(harborline, harborline_board):
    # NetSuite's notice falls on Dec 30, 2026: the full pack lists it; the board's view shows
    # no vendors, so its pack leaves the part out instead of saying there is none.
    assert "NetSuite" in harborline["board/2026-12-10.md"].split("## Vendor notices", 1)[1]
    for day in ("2026-09-15", "2026-12-10"):
        pack = harborline_board[f"board/{day}.md"]
        assert "Vendor notice" not in pack and "vendor notice" not in pack, day
        assert "## Top risks" in pack and "## KPIs" in pack and "## Roadmap" in pack


def test_a_pack_leaves_out_every_part_its_view_lacks(tmp_path: Path) -> None:
    pages = _render_view(tmp_path, "harborline", "board", ViewSpec(sections=["board"]))
    pack = pages["board/2026-12-10.md"]
    for part in ("## Decisions for the board", "## KPIs", "## Roadmap", "## Top risks",
                 "## Vendor notices", "No open risk", "KPIs this pack names", "names no KPI",
                 "Nothing on the roadmap", "No decision is asked"):
        assert part not in pack, part


def test_a_packs_status_line_reads_pill_then_date_without_a_repeated_word(harborline):
    def lines(day: str) -> list[str]:
        page = harborline[f"board/{day}.md"]
        return [line for line in page.splitlines() if line.startswith("Status:")]

    def text(line: str) -> str:
        return re.sub(r"<[^>]+>", "", line).replace("\u00a0", " ")

    [q4] = lines("2026-12-10")
    assert text(q4) == "Status: Proposed Nov 18, 2026 · to be decided by Harborline's board"
    [q3] = lines("2026-09-15")
    assert text(q3).startswith("Status: Accepted Jul 8, 2026 · decided by ")
    for line in (q4, q3):
        # The stylesheet spaces a date that follows a pill (.pt-badge + .pt-date), text
        # between them or not: anything there read as a double space.
        assert re.search(r'pt-badge[^>]*>[^<]*</span> <span class="pt-date">', line), line
        assert "  " not in text(line)


def test_only_the_newest_pack_asks_for_an_acknowledgement(harborline, harborline_board):
    # Q3 (Sep 15) was never acknowledged, but the Q4 pack has superseded it: months later a
    # button to acknowledge its receipt would only be noise.
    for pages in (harborline, harborline_board):
        assert "Acknowledge receipt" in pages["board/2026-12-10.md"]
        assert "Acknowledge receipt" not in pages["board/2026-09-15.md"]


def test_a_link_to_a_decision_reads_as_its_number_and_title_not_a_list_number(harborline):
    # adr-tools labels a link "3. Rewrite Manifest as microservices"; in a sentence the
    # "3." read as a list number. The portal names a decision "0003 Title" everywhere else.
    q = harborline["decisions/0006.md"]
    assert "[0003 Rewrite Manifest as microservices](0003.md)" in q
    assert "[2. " not in harborline["decisions/0001.md"]
    assert "[0002 Self-host PostgreSQL on EC2](0002.md)" in harborline["decisions/0001.md"]
    text = "\n".join(t for p, t in harborline.items() if p.endswith(".md"))
    assert not re.search(r"\[\d+\. [A-Z]", text)
    # The demo no longer names the rejected rewrite as the work under way.
    assert "Manifest is being upgraded in place; a rewrite was rejected" in q
    assert "is under way" not in q


def test_a_numbered_label_is_left_alone_unless_it_is_that_decisions_number(tmp_path: Path
                                                                          ) -> None:
    from portico.content.links import find_links
    from portico.portal.tree import _decision_label

    text = "[3. Rewrite](0003-x.md) [4. Wrong](0003-x.md) [3. Risks](../risks.yml)"
    links = [link for link in find_links(text) if link.inline]
    assert _decision_label(links[0], "decisions/0003.md") == [(1, 11, "0003 Rewrite")]
    assert _decision_label(links[1], "decisions/0003.md") == []
    assert _decision_label(links[2], "risks/index.md") == []


def test_a_view_with_answers_false_offers_no_button_on_a_decision_it_does_not_take(
        harborline, tmp_path: Path) -> None:
    # Decision 0006 is to be decided by Harborline's board; the engineering managers read
    # it, and their view (client.yml `answers: false`) no longer offers Approve / Decline.
    assert "Approve" in harborline["decisions/0006.md"]
    engineering = _render_view(tmp_path, "harborline", "engineering")
    page = engineering["decisions/0006.md"]
    assert "to be decided by" in page.lower() or "To be decided by" in page
    for button in ("Approve", "Decline", "Ask a question"):
        assert button not in page, button
    assert not [path for path, text in engineering.items()
                if 'class="pt-answer"' in text or "mailto:cto@" in text]


def _table(page: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table starting at `header`, each a list of cells."""
    lines = page[page.index(header):].split("\n\n", 1)[0].splitlines()
    return [[cell.strip().replace("\u00a0", " ") for cell in line.strip("|").split("|")]
            for line in lines if not line.startswith("|---")]


def test_every_time_used_cell_has_a_header_and_the_month_in_progress_says_so_far(
        harborline, lumen):
    # On a phone each row is a card of "header: value" lines; a header-less "So far" under
    # "Used 1.6 days" stood alone.
    rows = _table(lumen["engagement/index.md"], "| Month |")
    assert rows[0] == ["Month", "Agreed", "Used"]
    assert rows[-1] == ["Dec 2026", "2.8 days", "1.6 days so far"], rows[-1]
    rows = _table(harborline["engagement/index.md"], "| Month |")
    assert rows[0] == ["Month", "Agreed", "Used", "Over by"]
    assert all(cell for row in rows for cell in row)
    assert any("pt-overdue" in row[3] for row in rows[1:])
