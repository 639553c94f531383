"""`portico build` makes site/_practice/ for the practice's readers: the same numbers as
`portico status`, no client's text in its files, and no client reader's key opens it."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from practice_support import CLIENTS, SECRET

from portico.cli import main
from portico.protection.envelope import WrongPassphraseError, open_envelope, open_file
from portico.protection.readers import add_reader, load_readers

CTO = "gravel-orchid-tundra-pepper-lagoon-violet"
CLIENT_PASSPHRASES = {"alpha": "mortal-sketch-velvet-anchor-torch-glide",
                      "bravo": "harbor-candle-pivot-oyster-lunar-fable",
                      "charlie": "bison-quiver-tulip-saddle-ember-noodle"}
# Heading of the practice portal's Clients table → the key of `portico status --json`.
LISTS = {"Reviews overdue": "reviews_overdue", "Risks above threshold": "risks_above_threshold",
         "Stale proposals": "stale_proposals", "Notices due": "notices_due",
         "KPIs off target": "kpis_off_target", "Asks overdue": "asks_overdue",
         "Late cadences": "late_cadences", "Items moved": "items_moved"}
DAYS = {"Next meeting": "next_meeting", "Next board pack": "next_board_pack",
        "Renewal": "renewal"}


def run(root: Path, *args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(main, ["--root", str(root), *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def built(three_clients: Path) -> Path:
    root = three_clients
    for slug, passphrase in CLIENT_PASSPHRASES.items():
        add_reader(root / f"clients/{slug}/readers.yml", "ceo", "CEO", passphrase)
    run(root, "reader", "add", "--practice", "cto", "--passphrase-stdin", stdin=CTO + "\n")
    output = run(root, "build", "-j", "1")
    assert re.search(r"_practice +ok", output), output
    return root


def pages(portal: Path, passphrase: str) -> dict[str, str]:
    """Every decrypted HTML page of `portal`, by path."""
    envelope = json.loads((portal / "_portico/envelope.json").read_text("utf-8"))
    key = open_envelope(envelope, passphrase)
    manifest = json.loads(open_file(key, envelope["manifest"],
                                    (portal / envelope["manifest"]).read_bytes()))
    return {path: open_file(key, path, (portal / entry["blob"]).read_bytes()).decode()
            for path, entry in manifest["files"].items() if path.endswith(".html")}


def table(page: str) -> list[list[str]]:
    """The cells of the page's first table, header row first, as text."""
    body = page[page.index("<table"):page.index("</table>")]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)]


def test_the_practice_passphrase_opens_it_and_shows_each_client(built: Path) -> None:
    shown = pages(built / "site/_practice", CTO)
    assert {"index.html", "benchmarks/index.html"} <= set(shown)
    for name in CLIENTS.values():
        assert name in shown["index.html"]
    benchmark = shown["benchmarks/index.html"]
    assert "FleetTrack" in benchmark and "Renewal price rises" in benchmark
    for name in CLIENTS.values():  # anonymised: no client named on the benchmarks
        assert name not in benchmark


def test_status_and_the_practice_portal_show_the_same_numbers(built: Path) -> None:
    status = {line["name"]: line for line in json.loads(run(built, "status", "--json"))}
    rows = table(pages(built / "site/_practice", CTO)["index.html"])
    # A column per client: read it back as one row per client, keyed by the row headings.
    columns = [list(column) for column in zip(*rows, strict=True)]
    headings, cells = ["Client", *columns[0][1:]], columns[1:]
    assert sorted(row[0] for row in cells) == sorted(status)
    for row in cells:
        line = dict(zip(headings, row, strict=True))
        expected = status[line["Client"]]
        for heading, key in LISTS.items():
            assert line[heading] == (", ".join(expected[key]) or "–"), heading
        for heading, key in DAYS.items():
            assert line[heading] == (expected[key] or "–"), heading
        used, agreed = expected["days_used"], expected["days_agreed"]
        assert line["Days used / agreed"] == ("–" if used is None else
                                     f"{used:g} / {agreed:g}" if agreed is not None
                                     else f"{used:g}")
    late = {row[0]: dict(zip(headings, row, strict=True))["Late cadences"] for row in cells}
    # The weekly status note promised in mkdocs.yml: alpha's is late, bravo's on time,
    # charlie never wrote one.
    assert late["Alpha Freight"].startswith("status-note late since "), late
    assert late["Bravo Clinics"] == "–", late
    assert late["Charlie Mills"].startswith("status-note missed since "), late
    alpha = dict(zip(headings, next(r for r in cells if r[0] == "Alpha Freight"), strict=True))
    assert alpha["Reviews overdue"] == "RISK-2"  # internal, counted: the portal is the CTO's
    assert alpha["Risks above threshold"] == "–"  # RISK-1 is closed


def test_the_page_keeps_ids_whole_and_a_short_title(built: Path) -> None:
    page = pages(built / "site/_practice", CTO)["index.html"]
    # The cell's text is the id alone (the comparison above), in an element that never
    # breaks at its hyphen: "RISK-" / "2" reads as two things.
    assert '<span class="pt-nowrap">RISK-2</span>' in page
    # A title that fits a phone's header; the practice's name is in the footer.
    title = re.search(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', page, re.DOTALL)
    assert title is not None and title.group(1) == "Practice portal"
    assert "Test Practice · the practice" in html.unescape(page)


def test_no_client_reader_opens_it(built: Path) -> None:
    envelope = json.loads((built / "site/_practice/_portico/envelope.json").read_text("utf-8"))
    assert len(envelope["entries"]) == 1  # the practice reader alone
    for passphrase in CLIENT_PASSPHRASES.values():
        with pytest.raises(WrongPassphraseError):
            open_envelope(envelope, passphrase)
    # ... while each opens its own client's portal.
    assert pages(built / "site/alpha", CLIENT_PASSPHRASES["alpha"])


def test_its_files_hold_no_client_text_in_plain(built: Path) -> None:
    phrases = [*CLIENTS.values(), SECRET, "Dispatch depends on one engineer", "FleetTrack",
               "Patient records lack backups", "RISK-1"]
    portal = built / "site/_practice"
    files = [p for p in portal.rglob("*") if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        for phrase in phrases:
            assert phrase.encode() not in data, (path, phrase)
            assert phrase.lower() not in path.relative_to(portal).as_posix().lower()


def test_a_practice_reader_with_a_client_readers_key_is_refused(built: Path) -> None:
    from portico.practice_portal.build import key_clashes

    copied = load_readers(built / "clients/bravo/readers.yml")
    (problem,) = key_clashes(built, copied)
    assert "clients/bravo/readers.yml" in problem.message
    assert key_clashes(built, load_readers(built / "practice/readers.yml")) == []


def test_an_unchanged_practice_is_not_rebuilt(built: Path) -> None:
    output = run(built, "build", "-j", "1")
    assert re.search(r"_practice +unchanged", output), output


def test_without_readers_it_is_skipped_with_a_notice_and_removed(built: Path) -> None:
    run(built, "reader", "remove", "--practice", "cto")
    assert "0 readers" in run(built, "reader", "list", "--practice")
    output = run(built, "build", "-j", "1")
    assert "note: no practice portal: practice/readers.yml has no reader" in output
    assert not (built / "site/_practice").exists()  # revoked: the old portal is gone
