"""`--help` reads whole: every command's summary fits its line, and says it in words."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from portico.cli import main

GROUPS = [[], ["new"], ["reader"]]


def commands(group: click.Group = main) -> list[click.Command]:
    found: list[click.Command] = []
    for command in group.commands.values():
        found.append(command)
        if isinstance(command, click.Group):
            found += commands(command)
    return found


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("words", GROUPS, ids=lambda w: " ".join(w) or "portico")
def test_no_command_summary_is_cut(words: list[str], columns: int) -> None:
    """click cuts a summary it derives from the docstring with "..."; an explicit short
    help is never cut, however narrow the terminal."""
    done = CliRunner().invoke(main, [*words, "--help"], env={"COLUMNS": str(columns)})
    assert done.exit_code == 0, done.output
    listed = done.output.split("Commands:\n", 1)[1]
    assert "..." not in listed and "…" not in listed, listed


def test_every_command_has_a_short_help_of_one_line() -> None:
    for command in commands():
        summary = command.short_help
        assert summary, command.name
        assert len(summary) <= 65, (command.name, summary)  # one line at 80 columns
        assert not summary.endswith(("...", "…")), command.name


def test_help_texts_say_what_happens_not_the_pipeline_stages() -> None:
    for command in commands():
        text = " ".join((command.help or "").split())
        for jargon in ("pipeline", "after render", "re-renders"):
            assert jargon not in text, (command.name, jargon)
