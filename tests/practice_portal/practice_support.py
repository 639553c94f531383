"""A practice of three clients with a dated git history, for the practice portal's tests:
figures small enough to compute by hand (see test_benchmarks.py)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import textwrap
from pathlib import Path

CLIENTS = {"alpha": "Alpha Freight", "bravo": "Bravo Clinics", "charlie": "Charlie Mills"}
SCORES = {  # area → (score, target) per client
    "alpha": [("Architecture", 1, 4), ("Security", 3, None)],
    "bravo": [("Architecture", 2, 4), ("security ", 5, None)],
    "charlie": [("Architecture", 4, 5), ("Data", 2, None)],
}
STATUS_NOTE_AGE = {"alpha": 10, "bravo": 2}  # days since each client's last status note
SECRET = "Quillfeather warehouse closure memorandum"  # an internal risk of alpha's


def _risk(rid: str, title: str, likelihood: int, impact: int, status: str, raised: str,
          extra: str = "") -> str:
    owner = "" if status == "closed" else "    owner: CTO\n"
    return (f"  - id: {rid}\n    title: {title}\n    likelihood: {likelihood}\n"
            f"    impact: {impact}\n    status: {status}\n{owner}    raised: {raised}\n{extra}")


def risks(closed: set[str]) -> dict[str, str]:
    """Each client's risks.yml, the risks named in `closed` ("alpha/RISK-1") closed."""
    def state(key: str) -> str:
        return "closed" if key in closed else "open"

    return {
        "alpha": "risks:\n"
        + _risk("RISK-1", "Dispatch depends on one engineer", 4, 5, state("alpha/RISK-1"),
                "2026-01-01")
        + _risk("RISK-2", SECRET, 2, 2, "open", "2026-01-01", "    internal: true\n"
                "    review: 2026-02-01\n"),
        "bravo": "risks:\n"
        + _risk("RISK-1", "Patient records lack backups", 5, 4, state("bravo/RISK-1"),
                "2026-01-01")
        + _risk("RISK-2", "Clinic network is flat", 4, 4, state("bravo/RISK-2"), "2026-02-01"),
        "charlie": "risks:\n"
        + _risk("RISK-1", "Mill sensors run unpatched firmware", 4, 4, "open", "2026-01-01"),
    }


def _vendors(values: str, *, extra: str = "") -> str:
    return textwrap.dedent(f"""\
        vendors:
          - id: V-FLEET
            name: FleetTrack
            status: active
            sla:
              - metric: Uptime
                target: 99.9
                values: {values}
        """) + extra


VENDORS = {
    "alpha": _vendors("{2026-01: 99.95, 2026-02: 99.0}",
                      extra="  - {id: V-ONLY, name: Lonely Soft, status: active}\n"),
    "bravo": _vendors("{2026-01: 99.0, 2026-02: 99.95}"),
}


def _git(root: Path, *args: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "CTO", "GIT_AUTHOR_EMAIL": "cto@example.com",
           "GIT_COMMITTER_NAME": "CTO", "GIT_COMMITTER_EMAIL": "cto@example.com",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _commit(root: Path, files: dict[str, str], when: str) -> None:
    _write(root, files)
    _git(root, "add", "-A", when=when)
    _git(root, "commit", "-q", "-m", f"state of {when}", when=when)


def make_three_clients(root: Path) -> Path:
    """Three clients over three commits: alpha's critical risk closes on 2026-01-31 (30 days
    after it was raised), bravo's two on 2026-03-02 (60 and 29 days); charlie's stays open."""
    files = {"mkdocs.yml": "site_name: Test practice\nextra:\n  practice:\n"
                           "    name: Test Practice\n    cadences: {status-note: week}\n"}
    for slug, name in CLIENTS.items():
        files[f"clients/{slug}/client.yml"] = (f"name: {name}\nengagement:\n"
                                               "  start: 2026-01-01\n")
        rows = "".join(f"  - area: {area}\n    score: {score}\n"
                       + (f"    target: {target}\n" if target is not None else "")
                       for area, score, target in SCORES[slug])
        files[f"clients/{slug}/assessment.md"] = f"---\nscores:\n{rows}---\n\n# Assessment\n"
    for slug, text in VENDORS.items():
        files[f"clients/{slug}/vendors.yml"] = text
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    _commit(root, files | {f"clients/{s}/risks.yml": t for s, t in risks(set()).items()},
            "2026-01-01T12:00:00+00:00")
    _commit(root, {f"clients/{s}/risks.yml": t for s, t in risks({"alpha/RISK-1"}).items()},
            "2026-01-31T12:00:00+00:00")
    _commit(root, {f"clients/{s}/risks.yml": t for s, t in risks(
        {"alpha/RISK-1", "bravo/RISK-1", "bravo/RISK-2"}).items()}, "2026-03-02T12:00:00+00:00")
    # The weekly status notes, dated from today (builds measure promises against today):
    # alpha's last is 10 days old (late), bravo's 2 (on time); charlie has none (missed).
    today = dt.date.today()
    for slug, age in STATUS_NOTE_AGE.items():
        day = today - dt.timedelta(days=age)
        _write(root, {f"clients/{slug}/notes/{day.isoformat()}-weekly-status.md":
                      "---\nkind: status\n---\n\n# Weekly status\n\nOn track.\n"})
    return root
