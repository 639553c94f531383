"""Finding links costs what the text's length costs, whatever the text (issue 20).

    PYTHONPATH=generator python benchmarks/bench_links.py [--size 1000000] [--rounds 3]

Times `find_links` (what `check` and render scan every Markdown body with) over SIZE
bytes of prose with a link per line, then over SIZE bytes of each pathological shape
(unclosed `[a](` repeated and its relatives, which once made `check` backtrack for
minutes: 0.45 s at 8 kB, 39 s at 64 kB); then `portico check` in-process on a practice
whose one note is SIZE bytes of prose, then of `[a](`. Prints each best-of-ROUNDS time and
its ratio to prose's, in one run; the numbers go into RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROSE_LINE = ("The carrier contract renews in April; see [the vendor review](2026-01-01-a.md) "
              "before the board meets.\n")
SHAPES = {  # a unit repeated to the size
    "unclosed [a](": "[a](",
    "open [": "[",
    "[ [a] never closed": "[ [a] ",
    "[a](x never closed": "[a](x ",
    '[a](x " never closed': '[a](x "',
    "[a + newline (labels)": "[a\n",
    "<a never closed": "<a ",
}


def _text(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _best(rounds: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def _check_seconds(body: str, rounds: int) -> float:
    from portico.content.check import check_practice
    from portico.content.load import load_practice

    with tempfile.TemporaryDirectory(prefix="bench-links-") as folder:
        root = Path(folder)
        (root / "clients/acme/notes").mkdir(parents=True)
        (root / "mkdocs.yml").write_text("site_name: Bench\n", encoding="utf-8")
        (root / "clients/acme/client.yml").write_text(
            "name: Acme\nengagement:\n  start: 2026-01-01\n", encoding="utf-8")
        (root / "clients/acme/notes/2026-01-01-a.md").write_text("# A\n\n" + body,
                                                                 encoding="utf-8")
        today = dt.date(2026, 6, 1)
        return _best(rounds, lambda: check_practice(load_practice(root), today=today))


def main() -> int:
    from portico.content.links import find_links

    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000, help="bytes of each text")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    size, rounds = args.size, args.rounds
    prose = _text(PROSE_LINE, size)
    base = _best(rounds, lambda: find_links(prose))
    print(f"find_links over {size:,} bytes, best of {rounds}:")
    print(f"  {'prose (a link a line)':<26} {base:7.3f} s   1.0 ×")
    for name, unit in SHAPES.items():
        text = _text(unit, size)
        seconds = _best(rounds, lambda text=text: find_links(text))  # type: ignore[misc]
        print(f"  {name:<26} {seconds:7.3f} s  {seconds / base:4.1f} ×")
    checked = _check_seconds(prose, rounds)
    patho = _check_seconds(_text("[a](", size), rounds)
    print(f"portico check of one {size:,}-byte note, best of {rounds}:")
    print(f"  {'prose (a link a line)':<26} {checked:7.3f} s   1.0 ×")
    print(f"  {'unclosed [a](':<26} {patho:7.3f} s  {patho / checked:4.1f} ×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
