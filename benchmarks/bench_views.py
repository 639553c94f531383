"""What views cost: one synthetic client built as one portal, then as three views (issue 19).

Run: `python benchmarks/bench_views.py` (a minute or two; `--work DIR` keeps the files).

It writes one synthetic client (benchmarks/synthetic.py) and, one run each, times
`portico build --force` of

1. the client as it is (no `views:`, one portal),
2. the same client with three views (leadership: everything; board: board packs,
   decisions, risks, actions, KPIs; engineering: roadmap, decisions, risks, KPIs,
   assessment, notes, with items tagged `people` left out) and a reader for each,
3. then an edit to one leadership-only risk, built incrementally (no --force): every view
   is re-rendered, only leadership is rebuilt,

and prints a Markdown table (each build is its own process; PDFs off, as in
bench_engines.py, so the engine and the pipeline are what is timed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "generator"))

from synthetic import generate_practice  # noqa: E402

from portico.protection.readers import add_reader  # noqa: E402

VIEWS = """
views:
  leadership: {}
  board:
    sections: [board, decisions, risks, actions, kpis]
    exclude_tags: [people]
  engineering:
    sections: [roadmap, decisions, risks, kpis, assessment, notes]
    exclude_tags: [people]
"""


def _build(root: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "portico", "--root", str(root), "build",
                           *args], check=True, capture_output=True, text=True,
                          env={**os.environ, "PORTICO_CHROMIUM": "/nonexistent",
                               "NO_MKDOCS_2_WARNING": "1",
                               "PYTHONPATH": str(REPO / "generator")})
    return time.perf_counter() - started, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="portico-bench-views-"))
    root = work / "practice"
    (slug,) = generate_practice(root, 1)
    client = root / "clients" / slug
    one, _ = _build(root, "--force")
    pages_one = sum(1 for _ in (root / "site" / slug).rglob("*") if _.is_file())

    (client / "client.yml").write_text((client / "client.yml").read_text("utf-8") + VIEWS,
                                       "utf-8")
    risks = client / "risks.yml"
    text = risks.read_text("utf-8")
    # RISK-001 becomes leadership-only, RISK-002 a `people` item: each view differs.
    text = text.replace("- id: RISK-001\n", "- id: RISK-001\n  audience: [leadership]\n", 1)
    text = text.replace("- id: RISK-002\n", "- id: RISK-002\n  tags: [people]\n", 1)
    risks.write_text(text, "utf-8")
    for view in ("board", "engineering"):
        add_reader(client / "readers.yml", f"bench-{view}", f"Benchmark {view}",
                   f"benchmark-{view}-reader-passphrase", views=[view])
    three, out = _build(root, "--force")
    assert len(re.findall(r" ok ", out)) == 3, out

    risks.write_text(risks.read_text("utf-8").replace("audience: [leadership]",
                                                      "audience: [leadership]\n  tags: [x]",
                                                      1), "utf-8")
    risk = [line for line in risks.read_text("utf-8").splitlines() if "title:" in line][0]
    risks.write_text(risks.read_text("utf-8").replace(risk, risk + " (revised)", 1), "utf-8")
    edit, out = _build(root)
    rebuilt = len(re.findall(r" ok ", out))
    kept = len(re.findall(r" unchanged, kept", out))

    print(f"## Views (issue 19), {dt.date.today().isoformat()}, {os.cpu_count()} cores\n")
    print("One synthetic client, `portico build --force`, one run each (PDFs off); then an "
          "edit to a leadership-only risk, built incrementally.\n")
    print("| Build | Time | Ratio to one portal |")
    print("| --- | ---: | ---: |")
    print(f"| one portal (no views), {pages_one} files | {one:.1f} s | 1.00 × |")
    print(f"| three views | {three:.1f} s | {three / one:.2f} × |")
    print(f"| edit to a leadership-only item ({rebuilt} rebuilt, {kept} unchanged) "
          f"| {edit:.1f} s | {edit / one:.2f} × |")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
