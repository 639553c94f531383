"""Views in the pipeline: one portal per view, each its own unit of build and cache, and
nothing of an item outside a view in that view's files, plain or under its readers' key."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from decrypted_portal import decrypted

from portico.cli import main
from portico.protection.readers import add_reader

CLIENT = """\
name: Acme Logistics
engagement:
  start: 2026-03-02
views:
  leadership: {}
  engineering:
    sections: [risks, notes]
    exclude_tags: [people]
"""

RISKS = """\
risks:
  - id: RISK-001
    title: Carrier feeds depend on one engineer
    likelihood: 3
    impact: 4
    status: open
    owner: Priya
    mitigation: Pair a second engineer on the carrier feeds.
  - id: RISK-002
    title: Closing the Savannah depot and laying off thirty staff
    likelihood: 3
    impact: 4
    status: open
    owner: Dana
    mitigation: Consult the works council before January.
    audience: [leadership]
"""

SECRET = "Quillfeather restructuring memorandum"  # leadership-only, planted below
RATE_CARD = b"%PDF-1.4\nQuillfeather rate card, leadership only\n"  # files/, kept to leadership
CEO = "mortal-sketch-velvet-anchor-torch-glide"
ENGINEER = "harbor-candle-pivot-oyster-lunar-fable"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, copy_demo: Callable[[Path], Path]) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("views"))
    for client in (root / "clients").iterdir():
        shutil.rmtree(client)
    acme = root / "clients/acme"
    (acme / "notes").mkdir(parents=True)
    (acme / "client.yml").write_text(CLIENT, "utf-8")
    (acme / "risks.yml").write_text(RISKS, "utf-8")
    (acme / "notes/2026-11-02-dinner.md").write_text(
        f"---\ntitle: Board dinner\naudience: [leadership]\n---\n# Board dinner\n\n"
        f"The {SECRET} goes to the board in January.\n", "utf-8")
    (acme / "notes/2026-11-06-weekly.md").write_text(
        "---\ntitle: Weekly status, week 45\n---\n# Weekly status, week 45\n\nCarrier feed "
        "work goes on; see the [dinner notes](2026-11-02-dinner.md).\n\nThe [rate card]"
        "(../files/rate-card.pdf) is for the leadership.\n", "utf-8")
    (acme / "files").mkdir()
    (acme / "files/rate-card.pdf").write_bytes(RATE_CARD)
    (acme / "files/audience.yml").write_text("rate-card.pdf:\n  audience: [leadership]\n",
                                             "utf-8")
    add_reader(acme / "readers.yml", "ceo", "Dana, CEO", CEO)
    add_reader(acme / "readers.yml", "priya", "Priya, engineering", ENGINEER,
               views=["engineering"])
    return root


def build(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "build", "acme", *args])
    return result.exit_code, result.output


def test_each_view_is_its_own_portal_with_its_own_readers(repo: Path) -> None:
    code, out = build(repo, "--force")
    assert code == 0, out
    assert re.search(r"acme +ok", out) and re.search(r"acme--engineering +ok", out), out
    leadership, engineering = repo / "site/acme", repo / "site/acme--engineering"
    assert decrypted(leadership, CEO) and decrypted(engineering, ENGINEER)
    with pytest.raises(Exception, match="wrong passphrase|no reader"):
        decrypted(leadership, ENGINEER)  # the engineer's key is not in leadership's envelope
    with pytest.raises(Exception, match="wrong passphrase|no reader"):
        decrypted(engineering, CEO)


def test_the_engineering_portal_holds_no_leadership_only_phrase(repo: Path) -> None:
    portal = repo / "site/acme--engineering"
    if not portal.is_dir():
        build(repo, "--force")
    phrases = [SECRET, "Closing the Savannah depot", "Board dinner", "works council"]
    for path in portal.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for phrase in phrases:
                for form in (phrase, html.escape(phrase), json.dumps(phrase)[1:-1]):
                    assert form.encode() not in data, (path, phrase)
    plain = b"\n".join(decrypted(portal, ENGINEER).values()).decode("utf-8", "replace")
    for phrase in phrases:
        assert phrase.lower() not in plain.lower(), phrase
    assert "Carrier feeds depend on one engineer" in plain
    assert "see the dinner notes" in plain  # the link to the outside page is plain text
    leadership = b"\n".join(decrypted(repo / "site/acme", CEO).values()).decode("utf-8", "replace")
    assert SECRET in leadership and "Closing the Savannah depot" in leadership


def test_a_file_kept_to_leadership_is_absent_from_the_engineering_portal(repo: Path) -> None:
    portal = repo / "site/acme--engineering"
    if not portal.is_dir():
        build(repo, "--force")
    for path in portal.rglob("*"):
        if path.is_file():
            assert b"Quillfeather rate card" not in path.read_bytes(), path
    engineering = decrypted(portal, ENGINEER)
    assert RATE_CARD not in engineering.values()
    weekly = next(v for k, v in engineering.items() if k.startswith("notes/2026-11-06"))
    assert b"The rate card is for the leadership." in weekly and b"rate-card.pdf" not in weekly
    assert RATE_CARD in decrypted(repo / "site/acme", CEO).values()


def test_an_edit_rebuilds_only_the_views_that_show_the_item(repo: Path) -> None:
    build(repo, "--force")
    code, out = build(repo)
    assert code == 0 and "0 built, 2 unchanged" in out, out
    risks = repo / "clients/acme/risks.yml"
    risks.write_text(risks.read_text("utf-8").replace("works council", "staff council"),
                     "utf-8")
    code, out = build(repo)
    assert code == 0, out
    assert re.search(r"acme +ok", out) and re.search(r"acme--engineering +unchanged", out), out
    risks.write_text(risks.read_text("utf-8").replace("Pair a second", "Pair a third"),
                     "utf-8")
    code, out = build(repo)
    assert "2 built, 0 unchanged" in out, out
