"""The leak scan finds client text wherever it was written: with protection turned off (the
plain site that render + engine make), a marker placed in any source field is reported.

Each example writes a client whose every client-visible field carries its own random
phrase (random words, some capitalised, with characters every encoding treats differently:
`&`, quotes, `<`, accents), builds the plain site, and asks `scan_for_leaks` with the
markers `client_markers` collects and the words `client_words` collects: every phrase must
be inside a reported marker, and every word must be reported, found whole.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from portico.content.load import load_practice
from portico.engine.build import build_site
from portico.portal.render import render_portal
from portico.protection.markers import client_markers, client_words
from portico.protection.verify import scan_for_leaks

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 25)
FIELDS = (
    "client name", "contact name", "contact role", "summary", "next step", "risk title",
    "risk description", "risk mitigation", "closed risk title", "item title", "item description",
    "milestone title", "score area", "score note", "assessment body", "decision title",
    "decision body", "note title", "note body", "page title", "page body",
)

# Markdown fields: markers are runs of 24+ characters cut at Markdown syntax (markers.py), so
# a phrase there may not contain `<` or `>`. Nor, for now, may any field hold `<`, `>` or
# `"`: test_quotes_ampersands_and_angle_brackets_are_found covers it.
MARKDOWN = {"summary", "next step", "risk description", "risk mitigation", "item description",
            "assessment body", "decision body", "note body", "page body"}
# Capitalised words in titles become single-word markers too (markers.client_words).
word = st.builds(lambda w, cap: w.capitalize() if cap else w,
                 st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=4, max_size=9),
                 st.booleans())
JOINERS = [" ", " & ", " 'n' ", " - ", " l'", ", "]


@st.composite
def phrases(draw: st.DrawFn) -> str:
    words = draw(st.lists(word, min_size=3, max_size=5))
    glue = [draw(st.sampled_from(JOINERS)) for _ in words[1:]]
    text = words[0] + "".join(g + w for g, w in zip(glue, words[1:], strict=True))
    return " ".join(text.split())


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write_client(root: Path, marks: dict[str, str]) -> None:
    """A client whose every visible field holds `marks[field]`, padded with fixed words."""
    folder = root / "clients" / "fuzz"
    for sub in ("decisions", "notes", "pages"):
        (folder / sub).mkdir(parents=True)
    m = {k: _q(f"Field {k} {v} ends") for k, v in marks.items()}

    def body(field: str) -> str:  # Markdown bodies: a paragraph of plain text
        return f"Written text for the {field}: {marks[field]} ends here.\n"

    files = {
        "client.yml": f"""name: {m['client name']}
engagement:
  start: 2026-03-02
  summary: {m['summary']}
  next_steps: [{m['next step']}]
contacts:
  - name: {m['contact name']}
    role: {m['contact role']}
""",
        "risks.yml": f"""risks:
  - id: RISK-001
    title: {m['risk title']}
    description: {m['risk description']}
    mitigation: {m['risk mitigation']}
    likelihood: 4
    impact: 4
    owner: CTO
    status: open
  - id: RISK-002
    title: {m['closed risk title']}
    likelihood: 1
    impact: 1
    status: closed
""",
        "roadmap.yml": f"""items:
  - id: R1
    title: {m['item title']}
    description: {m['item description']}
    start: 2026-Q1
    end: 2026-Q2
    status: in-progress
milestones:
  - title: {m['milestone title']}
    date: 2026-05-01
""",
        "assessment.md": f"""---
scores:
  - area: {m['score area']}
    score: 2
    note: {m['score note']}
---
# Assessment

{body('assessment body')}""",
        "decisions/0001-x.md": f"---\nstatus: accepted\ntitle: {m['decision title']}\n---\n"
                               f"{body('decision body')}",
        "notes/2026-05-01-x.md": f"---\ntitle: {m['note title']}\n---\n{body('note body')}",
        "pages/x.md": f"---\ntitle: {m['page title']}\n---\n{body('page body')}",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


# Each example builds a site (about a second): few examples, and no shrinking, whose
# hundreds of builds would take minutes; a failure prints every field's phrase anyway.
@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(marks=st.fixed_dictionaries({field: phrases() for field in FIELDS}))
def test_a_phrase_in_any_field_is_found_in_the_plain_site(tmp_path_factory: object,
                                                          marks: dict[str, str]) -> None:
    root = Path(tmp_path_factory.mktemp("leak"))  # type: ignore[attr-defined]
    assert unreported(root, marks) == {}


def test_quotes_ampersands_and_angle_brackets_are_found(tmp_path: Path) -> None:
    marks = {field: f"plain words for {field}" for field in FIELDS}
    marks["contact name"] = "Dana \"DJ\" O'Reilly & Sons"
    assert unreported(tmp_path, marks) == {}


def unreported(root: Path, marks: dict[str, str]) -> dict[str, str]:
    """Build the plain site of a client carrying `marks`; the fields no leak was reported for,
    and ("word W": W) for each single-word marker not found whole."""
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    write_client(root, marks)
    practice = load_practice(root)
    [engagement] = practice.clients
    markers, words = client_markers(engagement), client_words(engagement)
    rendered = render_portal(engagement, practice, root / "out", today=TODAY)
    site = build_site(rendered.config_file).site_dir
    leaks = scan_for_leaks(site, markers, words=words)
    found = {" ".join(leak.marker.split()).casefold() for leak in leaks if not leak.word}
    missed = {field: phrase for field, phrase in marks.items()
              if not any(marker in _written(field, phrase) for marker in found)}
    found_words = {leak.marker for leak in leaks if leak.word}
    missed.update({f"word {w}": w for w in words if w not in found_words})
    return missed


def _written(field: str, phrase: str) -> str:
    """What the client file says in `field`, as a marker would quote it."""
    if field.endswith("body"):
        text = f"Written text for the {field}: {phrase} ends here."
    else:
        text = f"Field {field} {phrase} ends"
    return " ".join(text.split()).casefold()
