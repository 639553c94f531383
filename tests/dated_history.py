"""A practice repository with a real, dated history: Harborline over four commits."""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEMO_INPUTS = ("clients", "content", "theme", "mkdocs.yml")

INTERNAL_NOTE_TITLE = "Reorganising the Baltimore operations desk"
SUCCESS_TESTS = ("success:\n  - {kpi: K-MFA, above: 100, by: 2026-09-30}\n"
                 "  - {kpi: K-LEAD, below: 3, by: 2026-10-31}\n")
R5_END = "    start: 2027-01-11\n    end: 2027-06-25\n"  # Carrier integration service
A005_DUE = "    owner: Priya Raman\n    due: 2026-12-18\n"  # SOC 2 fieldwork dates
A003_DONE = "    status: done\n    done: 2026-11-26\n    from: notes/2026-11-12-tms-vendor-demos.md\n"


def git(root: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Alex Mercer", "GIT_AUTHOR_EMAIL": "cto@example.com",
           "GIT_COMMITTER_NAME": "Alex Mercer", "GIT_COMMITTER_EMAIL": "cto@example.com"}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_history_repo(root: Path) -> Path:
    """Harborline as a git repository of four dated commits, today's demo files at the end:

    - 2026-08-03: RISK-004 scores 2 × 5 = 10; R5 is planned, to end 2027-04-16; the ask
      A-005 is due 2026-12-04 and the ask A-003 (Quayside's API) is open; KPI values up to
      2026-07; decision 0005 gets two success tests: MFA at 100 % by 2026-09-30 (met once
      the August value is in) and lead time at most 3 days by 2026-10-31 (6 in October:
      missed once that day has passed).
    - 2026-09-14: the Q3 board pack (meeting 2026-09-15) is added.
    - 2026-10-15: RISK-004 rises to 3 × 5 = 15, R5 turns at-risk and its end moves to
      2027-05-21 (+5 weeks); A-005 falls due 2026-12-18 (+2 weeks); A-003 is done (the Q4
      pack carries it forward: open then, done now); the internal RISK-008 changes and
      an internal note is added (neither may show anywhere); the KPI values up
      to 2026-11 are in; Security is re-scored from 1 to 2.
    - 2026-11-27: the Q4 pack (meeting 2026-11-30) and a Q1 2027 pack are added; R5's end
      moves again, to 2027-06-25 (+5 weeks: moved twice, +10 weeks in all).
    """
    root.mkdir(parents=True, exist_ok=True)
    for name in DEMO_INPUTS:
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / name)
    shutil.rmtree(root / "clients" / "lumen-health")
    client = root / "clients" / "harborline"
    board = {p.name: p.read_text(encoding="utf-8") for p in (client / "board").iterdir()}
    risks, roadmap, kpis, asks = (client / n for n in ("risks.yml", "roadmap.yml", "kpis.yml",
                                                      "actions.yml"))
    final = {p: p.read_text(encoding="utf-8") for p in (risks, roadmap, kpis, asks)}
    shutil.rmtree(client / "board")
    _edit(risks, "    likelihood: 3\n    impact: 5\n", "    likelihood: 2\n    impact: 5\n")
    _edit(roadmap, "status: at-risk", "status: planned")
    _edit(roadmap, R5_END, R5_END.replace("2027-06-25", "2027-04-16"))
    _edit(asks, A005_DUE, A005_DUE.replace("2026-12-18", "2026-12-04"))
    _edit(asks, A003_DONE, A003_DONE.replace("    status: done\n    done: 2026-11-26\n", ""))
    data = yaml.safe_load(final[kpis])
    for kpi in data["kpis"]:
        kpi["values"] = {m: v for m, v in kpi["values"].items() if m < "2026-08"} or {
            "2026-07": next(iter(kpi["values"].values()))}
    kpis.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    _edit(client / "decisions" / "0005-use-amazon-rds-for-postgresql.md", "\n---\n",
          f"\n{SUCCESS_TESTS}---\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Harborline: the engagement so far",
         when="2026-08-03T16:00:00+00:00")

    (client / "board").mkdir()
    (client / "board" / "2026-09-15-q3-board.md").write_text(board["2026-09-15-q3-board.md"])
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Q3 board pack", when="2026-09-14T16:00:00+00:00")

    for path, text in final.items():
        path.write_text(text, encoding="utf-8")
    _edit(risks, "    likelihood: 3\n    impact: 3\n", "    likelihood: 4\n    impact: 3\n")
    _edit(client / "assessment" / "index.md", "area: Security\n    score: 1\n",
          "area: Security\n    score: 2\n")
    _edit(roadmap, R5_END, R5_END.replace("2027-06-25", "2027-05-21"))
    (client / "notes" / "2026-10-15-desk-reorganisation.md").write_text(
        f"---\ninternal: true\n---\n# {INTERNAL_NOTE_TITLE}\n\nNot for the client.\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "SOC 2 risk up; carrier work at risk",
         when="2026-10-15T16:00:00+00:00")

    (client / "board" / "2026-11-30-q4-board.md").write_text(board["2026-12-10-q4-board.md"])
    roadmap.write_text(final[roadmap], encoding="utf-8")
    (client / "board" / "2027-03-11-q1-board.md").write_text(
        "---\ntitle: Q1 board pack\nperiod: 2027-Q1\n---\n\nTo be written.\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Q4 board pack", when="2026-11-27T16:00:00+00:00")
    return root




def render_with_history(root: Path, out: Path, today: dt.date, *, history: bool = True) -> Path:
    """The Harborline portal's docs folder rendered from `root` with its git history, as a
    build does (or without it: `history=False`)."""
    from portico.content.history import read_history
    from portico.content.load import load_practice
    from portico.portal.changes import attach
    from portico.portal.render import render_portal

    practice = load_practice(root)
    engagement = next(c for c in practice.clients if c.slug == "harborline")
    if history:
        attach(engagement, read_history(root, "harborline", today))
    return render_portal(engagement, practice, out, today=today).docs_dir


def pages_the_history_changes(root: Path, scratch: Path, today: dt.date) -> frozenset[str]:
    """The Harborline pages (their URLs in the portal: `risks/`, and `` for the home page)
    whose Markdown the git history changes, found by rendering with it and without it. The
    browser checks read these on the history portal: its other pages are the demo's."""
    from portico.engine.partial import page_url

    def pages(docs: Path) -> dict[str, bytes]:
        return {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*.md")}

    with_it = pages(render_with_history(root, scratch / "with", today))
    without = pages(render_with_history(root, scratch / "without", today, history=False))
    return frozenset(page_url(path) for path, text in with_it.items()
                     if without.get(path) != text)


def page_text(docs: Path, page: str) -> str:
    """A rendered page's Markdown, non-breaking spaces read as spaces and character
    references (`&#58;`, written so a colon never starts an emoji code) as characters."""
    return html.unescape((docs / page).read_text(encoding="utf-8")).replace("\xa0", " ")
