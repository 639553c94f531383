"""MkDocs, ProperDocs and Zensical side by side on the same clients (issue 13).

Run: `python benchmarks/bench_engines.py` (a few minutes; `--clients N`, `--work DIR`).

It writes the synthetic practice (benchmarks/synthetic.py, 8 clients by default) and, in
one run on this machine, times for each engine:

1. a cold `portico build --force` (no .portico-cache: the engine's first build), and
2. a warm `portico build --force` (the cache filled by the cold one),

then one client's engine stage alone (render once, then `build_site` three times), and
prints a Markdown table. Every build runs the whole pipeline (protect and verify too), so
the difference between engines is the engine's. Each build is its own process.
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
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic import generate_practice  # noqa: E402

ENGINES = ("mkdocs", "properdocs", "zensical")
STAGE_SCRIPT = """
import sys, time, statistics, datetime as dt
from pathlib import Path
engine, root, slug, out = sys.argv[1], Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
from portico.content.load import load_portal_inputs
from portico.portal.render import render_portal
from portico.engine.build import build_site
practice = load_portal_inputs(root, slug)
rendered = render_portal(practice.clients[0], practice, out, today=dt.date(2026, 12, 1))
times = []
for _ in range(3):
    started = time.perf_counter()
    build_site(rendered.config_file, engine=engine)
    times.append(time.perf_counter() - started)
print(statistics.median(times))
"""


def _build(root: Path, engine: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "portico", "--root", str(root), "build", "--force",
                    "--engine", engine], check=True, capture_output=True,
                   env={**os.environ, "PORTICO_CHROMIUM": "/nonexistent"})  # PDFs not timed
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="portico-bench-engines-"))
    rows = []
    for engine in ENGINES:
        root = work / engine
        shutil.rmtree(root, ignore_errors=True)
        generate_practice(root, args.clients)
        cold = _build(root, engine)
        warm = statistics.median(_build(root, engine) for _ in range(2))
        slug = sorted(p.name for p in (root / "clients").iterdir())[0]
        out = work / f"stage-{engine}"
        shutil.rmtree(out, ignore_errors=True)
        stage = float(subprocess.run([sys.executable, "-c", STAGE_SCRIPT, engine, str(root),
                                      slug, str(out)], check=True, capture_output=True,
                                     text=True).stdout.strip())
        pages = sum(1 for _ in (out / "site").rglob("index.html"))
        rows.append((engine, cold, warm, stage, pages))
        print(f"{engine}: cold {cold:.1f} s, warm {warm:.1f} s, stage {stage:.2f} s",
              file=sys.stderr)
    print(f"## Engines (issue 13), {dt.date.today().isoformat()}, {os.cpu_count()} cores\n")
    print(f"{args.clients} synthetic clients, `portico build --force` (the whole pipeline, "
          "PDFs off), median of 2 warm runs; the engine stage alone: one client, median "
          "of 3.\n")
    print("| Engine | Cold build | Warm build | One client's engine stage | Its pages |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for engine, cold, warm, stage, pages in rows:
        print(f"| {engine} | {cold:.1f} s | {warm:.1f} s | {stage:.2f} s | {pages} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
