"""Golden tests of the render stage: the demo clients' docs tree and MkDocs config, file by file.

The expected output is checked in under tests/golden/<slug>/ and reviewed like code. After a
deliberate change to what render writes, regenerate it with `pytest --update-golden` (or
PORTICO_UPDATE_GOLDEN=1) and read the diff before committing (tests/golden/README.md).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from portico.content.load import load_portal_inputs
from portico.portal.audience import engagement_for_view
from portico.portal.render import render_portal

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden"
TODAY = dt.date(2026, 6, 15)  # fixed, so overdue flags and "today" lines never drift
DEMO_CLIENTS = ("harborline", "lumen-health")
# Each portal of the demo: a client, or one of its views (`<slug>--<view>`; the default
# view is the client's own folder), as `portico build` names them.
DEMO_PORTALS = ("harborline", "harborline--board", "harborline--engineering", "lumen-health")


def _render(portal: str, out: Path) -> dict[str, bytes]:
    """Every file render writes for `portal`, by path; machine paths replaced by
    placeholders."""
    slug, _, view = portal.partition("--")
    practice = load_portal_inputs(REPO, slug)
    engagement = practice.clients[0]
    shown = engagement_for_view(engagement, view or engagement.client.default_view)
    render_portal(shown, practice, out, today=TODAY)
    files: dict[str, bytes] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "mkdocs.yml":
            text = data.decode("utf-8")
            text = text.replace(str(out.resolve()), "<build>").replace(str(out), "<build>")
            text = text.replace(str(REPO.resolve()), "<repo>").replace(str(REPO), "<repo>")
            data = text.encode("utf-8")
        files[path.relative_to(out).as_posix()] = data
    return files


@pytest.mark.parametrize("slug", DEMO_PORTALS)
def test_render_matches_golden(slug: str, tmp_path: Path, update_golden: bool) -> None:
    actual = _render(slug, tmp_path / "out")
    expected_dir = GOLDEN / slug
    if update_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, data in actual.items():
            target = expected_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return
    assert expected_dir.is_dir(), f"no golden output for {slug}: run pytest --update-golden"
    expected = {p.relative_to(expected_dir).as_posix(): p.read_bytes()
                for p in sorted(expected_dir.rglob("*")) if p.is_file()}
    assert sorted(actual) == sorted(expected), "render wrote a different set of files"
    for name, data in expected.items():
        assert actual[name].decode("utf-8", "replace") == data.decode("utf-8", "replace"), name


def test_render_is_deterministic(tmp_path: Path) -> None:
    """Two renders of the same inputs into different folders write the same bytes."""
    for slug in DEMO_CLIENTS:
        assert _render(slug, tmp_path / f"{slug}-a") == _render(slug, tmp_path / f"{slug}-b")



def test_compiled_page_templates_kept_between_builds_render_the_same_pages(
        tmp_path: Path) -> None:
    """The pipeline keeps the page templates' compiled code in the cache folder (each portal
    is built in a fresh process): renders that write and then read it back write the same
    bytes as a render without it."""
    practice = load_portal_inputs(REPO, "lumen-health")
    cache = tmp_path / "page-templates"
    outputs = []
    for run, kept in (("plain", None), ("writes", cache), ("reads", cache)):
        out = tmp_path / run
        render_portal(practice.clients[0], practice, out, today=TODAY, template_cache=kept)
        outputs.append({p.relative_to(out): p.read_bytes().replace(str(out).encode(), b"")
                        for p in sorted(out.rglob("*")) if p.is_file()})
    assert any(cache.iterdir())
    assert outputs[0] == outputs[1] == outputs[2]


_RENDER_WITH_CHARTS = """
import datetime as dt, hashlib, sys
from pathlib import Path
from portico.content.load import load_portal_inputs
from portico.portal.charts import compile_charts
from portico.portal.render import render_portal
cache = sys.argv[2]
if cache:
    compile_charts(Path(cache))
practice = load_portal_inputs(Path(sys.argv[1]), "harborline")
out = Path(sys.argv[3])
render_portal(practice.clients[0], practice, out, today=dt.date(2026, 6, 15))
digest = hashlib.sha256()
for path in sorted(out.rglob("*")):
    if path.is_file():
        digest.update(str(path.relative_to(out)).encode())
        digest.update(path.read_bytes().replace(str(out).encode(), b""))
print(digest.hexdigest())
"""


def test_compiled_chart_templates_kept_between_builds_draw_the_same_charts(
        tmp_path: Path) -> None:
    """A build's parent keeps the chart templates' compiled code in the cache folder
    (workers.py): a process that writes it and one that reads it back render the same
    bytes as one without it (each in a process of its own: the chart templates are
    compiled once per process)."""
    import subprocess
    import sys

    cache = tmp_path / "chart-templates"
    digests = []
    for run, kept in (("plain", ""), ("writes", str(cache)), ("reads", str(cache))):
        done = subprocess.run([sys.executable, "-c", _RENDER_WITH_CHARTS, str(REPO), kept,
                               str(tmp_path / run)], capture_output=True, text=True,
                              check=True)
        digests.append(done.stdout.strip())
        if run == "writes":
            assert any(cache.iterdir())
    assert digests[0] == digests[1] == digests[2]
