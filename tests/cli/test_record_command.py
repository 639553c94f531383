"""`portico record` as the CTO runs it: what it prints, its exit status, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "record", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


def test_record_prints_the_file_and_each_change_then_nothing_to_change(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    code, out, err = run(root, "harborline", "0006", "approved", "--by", "Margaret Okafor",
                         "--on", "2026-12-10")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "recorded in clients/harborline/decisions/0006-buy-a-tms-for-quoting-and-bookings.md: "
        "decision 0006 Buy a TMS for quoting and bookings",
        "  status: proposed → accepted", "  date: 2026-11-18 → 2026-12-10",
        "  decided by: Harborline's board → Margaret Okafor"]
    code, out, _ = run(root, "harborline", "6", "approved", "--by", "Margaret Okafor", "--on",
                       "2026-12-10")
    assert code == 0 and out.startswith("nothing to change: clients/harborline/decisions/0006")


@pytest.mark.parametrize(("args", "message"), [
    (["nobody", "0006", "approved"], "error: no such client: clients/nobody/client.yml not found"),
    (["harborline", "0009", "approved"],
     "error: clients/harborline: no decision 0009 (decisions: 0001, 0002, 0003, 0004, 0005, "
     "0006)"),
    (["harborline", "A-0004", "done"],
     "error: clients/harborline/actions.yml: no ask 'A-0004' (did you mean A-004?); give its "
     "id or its title"),
    (["harborline", "0006", "approved", "--on", "2026-02-30"],
     "error: --on must be a real date: 2026-02-30 does not exist (February 2026 has 28 days)"),
    (["harborline", "0006", "acknowledged"],
     "error: a decision is approved or declined (or: accepted, rejected), got 'acknowledged'"),
    (["harborline", "2026-12-10", "approved"],
     "error: a board pack is acknowledged, got 'approved'"),
    (["harborline", "0006", "approved", "--by", " "],
     "error: --by must name who answered, e.g. --by \"Margaret Okafor\""),
    (["harborline", "0002", "approved"],
     "clients/harborline/decisions/0002-self-host-postgresql-on-ec2.md:10: decision 0002 is "
     "superseded: only a decision awaiting an answer, or one already answered, takes one\n"
     "1 error"),
])
def test_each_mistake_is_one_message_and_exit_status_1(
        copy_demo: Callable[[Path], Path], tmp_path: Path, args: list[str],
        message: str) -> None:
    root = copy_demo(tmp_path / "repo")
    if "--by" not in args:
        args = [*args, "--by", "Margaret Okafor"]
    code, out, err = run(root, *args)
    assert (code, out, err.strip()) == (1, "", message)


def test_a_real_run_of_a_mistake_prints_no_traceback(
        copy_demo: Callable[[Path], Path], tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "repo")
    done = subprocess.run([sys.executable, "-m", "portico", "--root", str(root), "record",
                           "harborline", "A-001", "done", "--by", "David Lindqvist", "--on",
                           "2026-13-01"], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr == ("error: --on must be a real date: 2026-13-01 does not exist "
                           "(there is no month 13)\n")


def test_record_help_names_every_kind_of_item_and_answer() -> None:
    result = CliRunner().invoke(main, ["record", "--help"])
    assert result.exit_code == 0
    for words in ("approved or declined", "done", "acknowledged", "--by NAME",
                  "--on YYYY-MM-DD", "2026-12-10", "A-003"):
        assert words in result.output
