"""What the docs count and list is what the code has: commands, schemas, warnings.

Each list in docs/commands.md (and README.md's table of commands) is compared with the
thing it describes: the click group, `content.schema.schemas()`, and the warning kinds
the checks declare (`content.check.warning_kinds()`), which every warning the code gives
must name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click

from portico.cli import main
from portico.content.check import warning_kinds
from portico.content.schema import schemas, write_schemas

REPO = Path(__file__).resolve().parent.parent
COMMANDS_MD = (REPO / "docs/commands.md").read_text(encoding="utf-8")
CONTENT_MODEL_MD = (REPO / "docs/content-model.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")
PACKAGE = REPO / "generator/portico"


def leaf_commands(group: click.Group = main, prefix: str = "") -> dict[str, click.Command]:
    """`new client`, `reader add`, `build` ...: every command a user runs, by its words."""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        words = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found |= leaf_commands(command, f"{words} ")
        else:
            found[words] = command
    return found


def section(text: str, heading: str) -> str:
    """The body of the Markdown section under `heading`, to the next heading of any level."""
    start = text.index(f"{heading}\n") + len(heading) + 1
    following = re.search(r"^#{1,6} ", text[start:], re.MULTILINE)
    return text[start:start + following.start()] if following else text[start:]


def table_rows(text: str) -> list[list[str]]:
    """The cells of every row of the first Markdown table in `text`, header and rule left out."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows[2:]]


# --- Commands ----------------------------------------------------------------------------

def test_the_overview_lists_every_command_with_its_short_help() -> None:
    rows = table_rows(section(COMMANDS_MD, "## Overview"))
    listed = {}
    for cell, summary in rows:
        words = re.fullmatch(r"\[`portico ([a-z -]+)`\]\(#portico-[a-z-]+\)", cell)
        assert words, cell
        listed[words.group(1)] = summary
    commands = leaf_commands()
    assert set(listed) == set(commands)
    for words, command in commands.items():
        assert listed[words] == command.short_help, words


def test_every_command_has_its_section() -> None:
    headings = set(re.findall(r"^#{2,3} portico ([a-z ]+)$", COMMANDS_MD, re.MULTILINE))
    missing = sorted(set(leaf_commands()) - headings)
    assert missing == []


def test_the_readme_table_names_every_command() -> None:
    rows = table_rows(section(README, "## Commands"))
    named: set[str] = set()
    for cell, _ in rows:
        tokens = cell.strip("`").split()
        assert tokens[0] == "portico", cell
        words: list[list[str]] = []
        for token in tokens[1:]:
            if not re.fullmatch(r"[a-z]+(\\?\|[a-z]+)*", token):
                break
            words.append(token.replace("\\|", "|").split("|"))
        expanded = [""]
        for options in words:
            expanded = [f"{done} {word}".strip() for done in expanded for word in options]
        named.update(expanded)
    assert named == set(leaf_commands())


# --- Schemas -----------------------------------------------------------------------------

def test_schema_docs_list_every_schema_the_command_writes(tmp_path: Path) -> None:
    written = [p.name for p in write_schemas(tmp_path)]
    body = section(COMMANDS_MD, "## portico schema")
    assert re.findall(r"^wrote schemas/(\S+)$", body, re.MULTILINE) == written
    yaml_files = [f"`{name}.yml`" for name in schemas() if name != "time"]
    assert all(name in body for name in [*yaml_files, "`time.csv`"])
    autocomplete = section(CONTENT_MODEL_MD, "### Editor autocomplete: the schema line")
    assert set(re.findall(r"`(\w+\.schema\.json)`", autocomplete.split("```")[0])) == \
        set(written)


def test_schema_help_promises_no_fixed_list() -> None:
    help_text = main.commands["schema"].help or ""
    assert "(roadmap, risks" not in help_text  # the old hand-kept list, three short


# --- Warnings ----------------------------------------------------------------------------

def _constant(node: ast.expr | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def warning_sites() -> list[tuple[str, int, object]]:
    """(file, line, kind) of every call in the package that gives a warning: a `Problem(...)`
    or `loader.add(...)` with the severity "warning" written out."""
    sites = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            severities = [_constant(a) for a in node.args] + [_constant(keywords.get("severity"))]
            if "warning" in severities:
                sites.append((path.relative_to(PACKAGE).as_posix(), node.lineno,
                              _constant(keywords.get("kind"))))
    return sites


def test_every_warning_the_code_gives_names_a_declared_kind() -> None:
    kinds = warning_kinds()
    sites = warning_sites()
    assert len(sites) >= len(kinds)
    undeclared = [(path, line, kind) for path, line, kind in sites if kind not in kinds]
    assert undeclared == []
    unused = set(kinds) - {kind for _, _, kind in sites}
    assert unused == set()


def test_the_warnings_table_lists_every_kind_and_counts_them() -> None:
    body = section(COMMANDS_MD, "### Warnings")
    documented = [row[0] for row in table_rows(body)]
    kinds = warning_kinds()
    assert sorted(documented) == sorted(kinds.values())
    count = re.search(r"There are (\d+) kinds", body)
    assert count and int(count.group(1)) == len(kinds)
    assert "seven" not in body


def test_strict_check_output_is_documented_as_printed() -> None:
    body = section(COMMANDS_MD, "## portico check")
    assert "1 warning, failing because of --strict" in body
    assert "\n1 error\n" not in body
