"""What a `portico build` costs when nothing changed (issue 22, item 3): the no-op.

Run: `python benchmarks/bench_noop.py` (about a minute on 2 cores; `--help` for options).

It writes the synthetic practice (synthetic.py, 51 clients by default) into a fresh git
repository (one commit, so every client has a history to look up), builds it once in
full, then times `python -m portico --root P build` `--runs` times with nothing changed
(each must report every portal unchanged), and `python -m portico --version` as the floor
(Python's start-up and the command's imports, paid by every run). Wall seconds are what a
user waits; CPU seconds (user + system of the process tree) move less when the machine is
shared. Like bench_build.py it measures a copy of the generator (`--rev REV`, or the working
tree's) taken at start: an edit to generator/ would change every client's inputs key.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import machine, run, snapshot_code  # noqa: E402

GOAL_SECONDS = 0.5


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def write_practice(practice: Path, clients: int, seed: int,
                   add: Callable[[Path], object] | None = None) -> None:
    """The synthetic practice as a git repository of one commit (site/ ignored); `add`, if
    given, writes more into the practice before the commit (bench_scale's large client)."""
    from synthetic import generate_practice

    generate_practice(practice, clients, seed=seed)
    if add is not None:
        add(practice)
    (practice / ".gitignore").write_text("site/\n", encoding="utf-8")
    _git(practice, "init", "-q")
    _git(practice, "add", "-A")
    _git(practice, "commit", "-q", "-m", "The synthetic practice")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=51)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="no-op builds timed (default 5)")
    parser.add_argument("--work", type=Path, default=None,
                        help="working folder (default: a new temporary folder); a practice "
                             "already built there is reused")
    parser.add_argument("--rev", default=None,
                        help="measure the generator of this git revision (default: a copy of "
                             "the working tree's generator/portico taken at start)")
    args = parser.parse_args(argv)

    work = (args.work or Path(tempfile.mkdtemp(prefix="portico-bench-noop-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    practice = work / "practice"
    code = snapshot_code(work / "code", args.rev)
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    say(f"code: {code}\nworking folder: {work}")
    if not (practice / ".git").is_dir():
        write_practice(practice, args.clients, args.seed)
    portico = [sys.executable, "-m", "portico", "--root", str(practice)]
    full = run([*portico, "build"])
    if full.returncode != 0:
        raise SystemExit(f"the first build failed:\n{full.stdout}\n{full.stderr}")
    say(f"first build: {full.seconds:.1f} s ({full.stdout.strip().splitlines()[-2]})")

    noops, floors = [], []
    for _ in range(args.runs):
        noop = run([*portico, "build"])
        if noop.returncode != 0 or "\n0 built, " not in noop.stdout:
            raise SystemExit(f"the no-op build rebuilt something:\n{noop.stdout}")
        noops.append(noop)
        floors.append(run([sys.executable, "-m", "portico", "--version"]))
    wall = statistics.median(r.seconds for r in noops)
    cpu = statistics.median(r.cpu_seconds for r in noops)
    floor = statistics.median(r.seconds for r in floors)
    each = ", ".join(f"{r.seconds:.2f}" for r in noops)
    facts = machine()
    print(f"Machine: {facts['cpu']}, {facts['cores']} cores, Python {facts['python']}; "
          f"load average {os.getloadavg()[0]:.1f} at the end.\n"
          f"Code: {code['measured']} (HEAD {code['head']}).\n\n"
          f"| {args.clients} clients, nothing changed | median of {args.runs} | each run |\n"
          f"| --- | ---: | --- |\n"
          f"| `portico build`, wall seconds (goal ≤ {GOAL_SECONDS}) | **{wall:.2f}** | {each} |\n"
          f"| `portico build`, CPU seconds | {cpu:.2f} | "
          f"{', '.join(f'{r.cpu_seconds:.2f}' for r in noops)} |\n"
          f"| `portico --version` (start-up and imports), wall seconds | {floor:.2f} | "
          f"{', '.join(f'{r.seconds:.2f}' for r in floors)} |")


if __name__ == "__main__":
    main()
