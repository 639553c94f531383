"""`portico new risk|roadmap|kpi|area`: an entry added in place, with the next id, every
comment and line of the CTO's file kept, and a file that passes `check` afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from portico.authoring.append import insert_entry
from portico.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def practice(tmp_path: Path) -> Path:
    for name in ("clients", "content", "theme", "mkdocs.yml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, tmp_path / name)
    return tmp_path


def run(root: Path, *args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args], input=input)
    return result.exit_code, result.output


def test_each_new_entry_lands_in_its_list_and_leaves_every_other_line_as_it_was(
        practice: Path) -> None:
    roadmap = practice / "clients/harborline/roadmap.yml"
    before = roadmap.read_text()
    assert "milestones:" in before.split("items:")[1]  # the items are not the file's end
    code, out = run(practice, "new", "roadmap", "harborline", "Quote API for customers",
                    "--workstream", "Platform", "--start", "2027-Q2", "--end", "2027-Q3")
    assert code == 0, out
    after = roadmap.read_text()
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added[:2] == ["  - id: R13", "    title: Quote API for customers"]
    # Every line of the old file is still there, in order, comments included.
    old = iter(after.splitlines())
    assert all(any(line == kept for kept in old) for line in before.splitlines())
    items = yaml.safe_load(after)["items"]
    assert items[-1]["id"] == "R13" and items[-1]["start"] == "2027-Q2"
    assert len(yaml.safe_load(after)["milestones"]) == len(yaml.safe_load(before)["milestones"])

    assert run(practice, "new", "risk", "harborline", "Key engineer leaves before go-live",
               "--likelihood", "2", "--impact", "4", "--owner", "Priya Raman")[0] == 0
    risks = yaml.safe_load((practice / "clients/harborline/risks.yml").read_text())["risks"]
    assert risks[-1]["id"] == "RISK-009" and risks[-1]["status"] == "open"
    assert run(practice, "new", "kpi", "harborline", "Quotes per day", "--value", "42",
               "--month", "2026-11", "--target", "60")[0] == 0
    kpis = yaml.safe_load((practice / "clients/harborline/kpis.yml").read_text())["kpis"]
    assert kpis[-1]["id"] == "K-QUOTES" and kpis[-1]["values"] == {"2026-11": 42}
    assert run(practice, "new", "area", "lumen-health", "Observability", "--score", "2",
               "--target", "3")[0] == 0
    front = (practice / "clients/lumen-health/assessment.md").read_text().split("---")[1]
    assert yaml.safe_load(front)["scores"][-1] == {"area": "Observability", "score": 2,
                                                   "target": 3}
    code, out = run(practice, "check")
    assert code == 0 and " 0 errors" not in out, out


def test_insertion_keeps_the_list_indentation_and_the_comment_on_what_follows() -> None:
    text = ("items:\n    - id: R1  # first\n      title: x\n\n    - id: R2\n"
            "      description: |\n        one\n\n        two\n"
            "# the milestones below are the board's\nmilestones: []\n")
    out = insert_entry(text, "items", "  - id: R3\n    title: z\n")
    assert out == text.replace("        two\n", "        two\n    - id: R3\n      title: z\n")


def test_a_missing_value_is_an_error_naming_the_option_in_a_script(practice: Path) -> None:
    code, out = run(practice, "new", "risk", "harborline", "A risk", "--impact", "2",
                    "--owner", "Priya Raman")
    assert code == 2 and "Missing option '--likelihood'" in out


def test_on_a_terminal_a_missing_value_is_asked_for(practice: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("portico.cli.app._terminal", lambda: True)
    code, out = run(practice, "new", "risk", "harborline", "A risk", "--owner", "Priya Raman",
                    input="3\n4\n")
    assert code == 0, out
    assert "How likely, 1 (rare) to 5 (almost certain):" in out
    risk = yaml.safe_load((practice / "clients/harborline/risks.yml").read_text())["risks"][-1]
    assert (risk["likelihood"], risk["impact"]) == (3, 4)


@pytest.mark.parametrize(("args", "message"), [
    (["roadmap", "harborline", "X", "--start", "2027-Q5"], "--start"),
    (["roadmap", "harborline", "X", "--start", "2027-05-01", "--end", "2027-01-01"],
     "--start/--end"),
    (["kpi", "harborline", "X", "--value", "nan"], "--month/--value"),
    (["risk", "harborline", "X", "--likelihood", "2", "--impact", "2", "--owner", "A",
      "--id", "RISK-001"], "already has an entry RISK-001"),
    (["area", "lumen-health", "Security and HIPAA", "--score", "2"], "already scores"),
    (["risk", "harborline", "  ", "--likelihood", "2", "--impact", "2", "--owner", "A"],
     "needs a title"),
])
def test_a_bad_value_is_refused_in_one_line_and_nothing_is_written(
        practice: Path, args: list[str], message: str) -> None:
    before = {p: p.read_bytes() for p in (practice / "clients").rglob("*") if p.is_file()}
    code, out = run(practice, "new", *args)
    assert code == 1 and message in out and len(out.splitlines()) == 1, out
    assert {p: p.read_bytes() for p in (practice / "clients").rglob("*") if p.is_file()} == before


def test_every_new_command_asks_on_a_terminal_for_what_it_needs(
        practice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The older entry commands too: an opportunity's value and effort, an ask's owner, a
    meeting's day and time."""
    monkeypatch.setattr("portico.cli.app._terminal", lambda: True)
    code, out = run(practice, "new", "opportunity", "harborline", "Summarise carrier emails",
                    input="4\n2\n")
    assert code == 0 and "Business value, 1 (low) to 5 (high):" in out, out
    code, out = run(practice, "new", "action", "harborline", "Send the Q1 budget",
                    input="David Lindqvist\n")
    assert code == 0 and "Who owes it" in out, out
    code, out = run(practice, "new", "meeting", "harborline", "Budget review",
                    input="2027-01-12\n10:00\n")
    assert code == 0 and "The day it is on:" in out, out
