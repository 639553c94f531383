"""Whatever a CTO writes in any section file, `portico check` ends with exit 0 or 1 and
never a traceback; and a client `check` accepts renders without one.

Each example is drawn from the file's own JSON Schema (hypothesis-jsonschema: the shapes
a CTO would write, so the checks past the schema are reached), then some of its values
are swapped for hostile ones: NaN and infinity, numbers of 400 digits, the calendar's
first and last days, invisible characters, wrong types. Front matter files (decisions,
notes, board packs, assessment, pages) get the same, between `---` lines.

CI runs `PORTICO_FUZZ_EXAMPLES` examples per test (default 12 each: under a minute in
all); a nightly run sets it to 715 or more (over 10,000 cases across the 14 tests). On
2026-12-06, 715 each (10,010 cases) passed in 15 min 54 s at `-n 2` on a 2-core machine
that was doing other work; the run before found a link whose name no file system holds
(tests/content/bad_inputs/link_name_too_long).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from pydantic import BaseModel

from portico.cli import main
from portico.content.errors import ContentError
from portico.content.load import load_practice
from portico.content.schema import schemas
from portico.portal.render import render_portal

EXAMPLES = int(os.environ.get("PORTICO_FUZZ_EXAMPLES", "12"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=list(HealthCheck))

HOSTILE = st.sampled_from([
    float("nan"), float("inf"), -float("inf"), 10**400, -(10**400), 1e308, -1, 0,
    "9999-12-31", "0001-01-01", "2026-02-30", "2026-Q5", "9999-Q4", "\u200b", "R\u200b1",
    "\u202egnp.exe", "a" * 2000, "", None, True, [], {}, "<script>alert(1)</script>",
    dt.date(9999, 12, 31), dt.date(1, 1, 1),
])

CLIENT = {"name": "Acme", "engagement": {"start": "2026-01-01"}}
FRONT_MATTER = {  # file (in the client folder) → its front matter's model
    "decisions/0001-x.md": "DecisionMeta",
    "notes/2026-01-01-x.md": "NoteMeta",
    "board/2026-06-30.md": "BoardMeta",
    "assessment.md": "AssessmentMeta",
    "pages/x.md": "PageMeta",
}


def _front_matter_models() -> dict[str, type[BaseModel]]:
    from portico.content.model import PageMeta
    from portico.sections.assessment.model import AssessmentMeta
    from portico.sections.board.model import BoardMeta
    from portico.sections.decisions.model import DecisionMeta
    from portico.sections.notes.model import NoteMeta

    models = {"DecisionMeta": DecisionMeta, "NoteMeta": NoteMeta, "BoardMeta": BoardMeta,
              "AssessmentMeta": AssessmentMeta, "PageMeta": PageMeta}
    return {path: models[name] for path, name in FRONT_MATTER.items()}


def _spoil(data: st.DataObject, value: Any, depth: int = 0) -> Any:
    """`value` with some leaves (about one in four) swapped for hostile ones."""
    if isinstance(value, dict):
        return {k: _spoil(data, v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_spoil(data, v, depth + 1) for v in value]
    if data.draw(st.integers(0, 3), label="spoil?") == 0:
        return data.draw(HOSTILE, label="hostile")
    return value


def _yaml(value: Any) -> str:
    try:
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)
    except (OverflowError, ValueError):
        return yaml.safe_dump(repr(value))


def _csv(rows: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "hours", "days", "activity", "note", "internal"])
    for row in rows if isinstance(rows, list) else [rows]:
        if isinstance(row, dict):
            writer.writerow([row.get(k, "") for k in
                             ("date", "hours", "days", "activity", "note", "internal")])
    return out.getvalue()


def _check(root: Path) -> None:
    """`portico check` ends in 0 or 1 with our message, never a traceback; what it accepts
    renders."""
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{result.output}")
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        try:
            practice = load_practice(root)
        except ContentError:
            return
        out = root / "_render"
        shutil.rmtree(out, ignore_errors=True)
        render_portal(practice.clients[0], practice, out, today=dt.date(2026, 12, 6))


def _practice(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "practice"
    shutil.rmtree(root, ignore_errors=True)
    client = root / "clients" / "acme"
    client.mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Practice\n")
    files = {"client.yml": _yaml(CLIENT)} | files
    for name, text in files.items():
        path = client / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


YAML_FILES = {name: model for name, model in schemas().items()}


@pytest.mark.parametrize("stem", sorted(YAML_FILES))
def test_any_section_file_checks_with_exit_0_or_1_and_no_traceback(tmp_path: Path,
                                                                  stem: str) -> None:
    schema = YAML_FILES[stem].model_json_schema()

    @FUZZ
    @given(value=from_schema(schema), data=st.data())
    def run(value: Any, data: st.DataObject) -> None:
        value = _spoil(data, value)
        if stem == "time":
            files = {"time.csv": _csv(data.draw(st.lists(st.just(value), max_size=3)))}
        elif stem == "client":
            files = {"client.yml": _yaml(value)}
        else:
            files = {f"{stem}.yml": _yaml(value)}
        _check(_practice(tmp_path, files))

    run()


@pytest.mark.parametrize("path", sorted(FRONT_MATTER))
def test_any_front_matter_checks_with_exit_0_or_1_and_no_traceback(tmp_path: Path,
                                                                  path: str) -> None:
    schema = _front_matter_models()[path].model_json_schema()

    @FUZZ
    @given(value=from_schema(schema), data=st.data())
    def run(value: Any, data: st.DataObject) -> None:
        value = _spoil(data, value)
        text = f"---\n{_yaml(value)}---\n\n# A title\n\nA line of text.\n"
        _check(_practice(tmp_path, {path: text}))

    run()
