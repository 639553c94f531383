"""What reading a client's git history costs (issue 12): a 2-year, 500-commit repository.

Run: `python benchmarks/bench_history.py` (about a minute; `--commits N`, `--work DIR`).

It writes Harborline (the demo client) into a fresh repository as N dated commits, one
every ~1.5 days over two years: risk scores move, roadmap items change status, a note is
added every tenth commit. Then, in one run on this machine, it times

1. `git log` of the client folder (`read_history`): paid on every build;
2. the traces of every commit with an empty cache (a first build, or a CI run without
   its cache): one load of the client per commit;
3. the same with the cache filled (every later build), and after one new commit (only
   that commit is read);
4. `portico build` of the client after a one-line change, with that history and its cache,
   against the same change in a copy with no git at all: what history adds to an
   incremental build.

and prints a Markdown report. Target: item 4's difference well under a second. Item 4
includes the pages the history makes (What's new lists up to 200 changes, the sparklines);
the in-process row "views" is the reading alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "generator"))

from portico.content.history import read_history  # noqa: E402
from portico.portal.changes import timeline  # noqa: E402

SLUG = "harborline"
ROUNDS = 3


def _git(root: Path, *args: str, when: dt.datetime | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}
    if when is not None:
        stamp = when.isoformat()
        env |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def write_repo(root: Path, commits: int) -> None:
    for name in ("content", "theme", "mkdocs.yml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / name)
    client = root / "clients" / SLUG
    shutil.copytree(REPO / "clients" / SLUG, client)
    _git(root, "init", "-q", "-b", "main")
    start = dt.datetime(2024, 12, 1, 17, 0, tzinfo=dt.UTC)
    risks = client / "risks.yml"
    roadmap = client / "roadmap.yml"
    base_risks, base_roadmap = risks.read_text(), roadmap.read_text()
    statuses = ("planned", "in-progress", "at-risk", "in-progress", "done")
    for n in range(commits):
        when = start + dt.timedelta(hours=36 * n)
        # A risk's likelihood moves 1..5 and back; one roadmap item changes status.
        likelihood = 1 + abs((n % 8) - 4)
        risks.write_text(base_risks.replace("    likelihood: 3\n    impact: 5\n",
                                            f"    likelihood: {likelihood}\n    impact: 5\n", 1))
        roadmap.write_text(base_roadmap.replace("status: in-progress",
                                                f"status: {statuses[n % 5]}", 1))
        if n % 10 == 0:
            (client / "notes" / f"{when.date().isoformat()}-bench-{n}.md").write_text(
                f"# Weekly status {n}\n\nNothing to report this week, number {n}.\n")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"week {n}", when=when)


def _time(action, rounds: int = ROUNDS) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _build_once(root: Path, note: Path, n: int) -> float:
    note.write_text(note.read_text() + f"\nEdit {n}.\n")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "portico", "--root", str(root), "build"],
                   check=True, capture_output=True,
                   env={**os.environ, "PORTICO_CHROMIUM": "/nonexistent"})  # no PDFs: not timed here
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="portico-bench-history-"))
    root = work / "practice"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    started = time.perf_counter()
    write_repo(root, args.commits)
    print(f"wrote {args.commits} commits in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    today = dt.date(2026, 12, 1)
    cache = work / "history.json"

    log = _time(lambda: read_history(root, SLUG, today, cache_file=cache))
    revisions = len(read_history(root, SLUG, today).revisions)

    def cold() -> None:
        cache.unlink(missing_ok=True)
        timeline(read_history(root, SLUG, today, cache_file=cache))

    cold_s = _time(cold, 1)
    warm_s = _time(lambda: timeline(read_history(root, SLUG, today, cache_file=cache)))
    risks = root / "clients" / SLUG / "risks.yml"
    risks.write_text(risks.read_text().replace("impact: 5", "impact: 4", 1))
    _git(root, "commit", "-q", "-am", "one more", when=dt.datetime(2026, 11, 30, 17, 0,
                                                                   tzinfo=dt.UTC))
    one_new = _time(lambda: timeline(read_history(root, SLUG, today, cache_file=cache)), 1)

    # In-process: what the history adds to the views (reading it, board pack states).
    from portico.content.load import load_engagement
    from portico.portal.view import portal_view

    def view(history: bool) -> None:
        engagement = load_engagement(root, SLUG)
        if history:
            engagement.history = read_history(root, SLUG, today, cache_file=cache)
        portal_view(engagement, today)

    views = _time(lambda: view(True)) - _time(lambda: view(False))

    # Incremental builds: the same one-line change, with the history and without git.
    plain = work / "plain"
    shutil.rmtree(plain, ignore_errors=True)
    shutil.copytree(root, plain, ignore=shutil.ignore_patterns(".git", ".portico-cache", "site"))
    note = sorted((root / "clients" / SLUG / "notes").glob("*.md"))[-1]
    plain_note = plain / note.relative_to(root)
    for practice, which in ((root, note), (plain, plain_note)):
        _build_once(practice, which, 0)  # fills every cache
    with_history = statistics.median(_build_once(root, note, n) for n in range(1, ROUNDS + 1))
    without = statistics.median(_build_once(plain, plain_note, n) for n in range(1, ROUNDS + 1))

    print(f"""## History (issue 12), {dt.date.today().isoformat()}, {os.cpu_count()} cores

{args.commits} commits over two years; the client folder's history: {revisions} revisions.

| What | Seconds |
| --- | --- |
| `git log` of the client folder (every build) | {log:.3f} |
| traces of every commit, empty cache (first build) | {cold_s:.2f} |
| traces of every commit, cache filled (every later build) | {warm_s:.3f} |
| after one new commit (reads that commit only) | {one_new:.3f} |
| the portal's views with the history (cache filled) minus without | {views:.3f} |
| `portico build`, one line changed, with history | {with_history:.2f} |
| the same without git | {without:.2f} |
| **what history adds to an incremental build** | **{with_history - without:+.2f}** |
""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
