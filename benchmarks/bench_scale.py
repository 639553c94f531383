"""How a long engagement feels (issue 22): every row of its table in one run.

Run: `python benchmarks/bench_scale.py` (the full size: 50 synthetic clients and `bigco`,
2,000 risks, 300 decisions, 500 notes, 200 roadmap items; a 1 GiB attachment; 12 portals
against plain MkDocs, mkdocs-encryptcontent-plugin and StatiCrypt). `--help` for the
options; `--clients 3 --risks 60 --decisions 10 --notes 10 --roadmap 10 --attachment-mb 8
--plain-clients 2` checks that it all runs in a few minutes. Every timed step is a process
of its own (bench_build.run: wall, CPU of the process tree, peak memory):

1. the practice (synthetic.py's clients and large_client.py's bigco) in a git repository of
   one commit (bench_noop.write_practice), built once in full;
2. the no-op: `portico build` again, nothing changed, `--noop-runs` times;
3. bigco in headless Chromium (scale_steps.time_portal): unlock, then the risk register
   from its nav link to its rows shown, then a search for a word only one risk has;
4. the decrypted weight of bigco's largest page, its register and its search index;
5. `portico build bigco` after appending a sentence to one of its notes, `--rounds` times;
6. a `--attachment-mb` attachment built and verified (bench_attachment_memory.measure);
7. `--plain-clients` synthetic portals: plain `mkdocs build` of the docs Portico renders,
   the same with mkdocs-encryptcontent-plugin, StatiCrypt (npm, installed into WORK) over
   the plain sites, and `portico build --force` (bench_build's render_all, mkdocs_batch).

The Markdown report goes to stdout and WORK/report.md, the raw numbers to WORK/results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import (  # noqa: E402
    BENCH_PASSPHRASE,
    client_seconds,
    encrypted_configs,
    machine,
    mkdocs_batch,
    render_all,
    run,
    snapshot_code,
)

GOALS = {"register_s": 1.0, "page_kB": 500.0, "search_s": 0.5, "rebuild_s": 4.0,
         "noop_s": 0.5, "attachment_MB": 400.0, "full_vs_plain": 0.6, "cpu_vs_plain": 1.2}
NOTE_LINE = "\nAdded by bench_scale, edit {n}: one more sentence in one note.\n"


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _portico(practice: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "portico", "--root", str(practice), *args]


def _checked(command: list[str], what: str) -> Any:
    done = run(command)
    if done.returncode:
        raise SystemExit(f"{what} failed:\n{done.stdout}\n{done.stderr}")
    return done


def large_practice(args: argparse.Namespace, practice: Path) -> dict[str, Any]:
    """Steps 1–5 on the practice of `args.clients` synthetic clients and bigco."""
    from bench_noop import write_practice
    from large_client import PASSPHRASE, SLUG, LargeClient, write_large_client
    from scale_steps import decrypted_weights, time_portal

    out: dict[str, Any] = {}
    big: list[LargeClient] = []
    started = time.perf_counter()
    write_practice(practice, args.clients, args.seed, add=lambda root: big.append(
        write_large_client(root, risks=args.risks, decisions=args.decisions, notes=args.notes,
                           roadmap=args.roadmap)))
    out["write_s"] = time.perf_counter() - started
    _say(f"wrote {args.clients} clients and {SLUG} in {out['write_s']:.0f} s")
    full = _checked(_portico(practice, "build"), "the first build")
    out["first_build"] = {"wall": full.seconds, "cpu": full.cpu_seconds,
                          "bigco_s": client_seconds(full.stdout + full.stderr).get(SLUG)}
    _say(f"first build: {full.seconds:.1f} s")

    noops = []
    for _ in range(args.noop_runs):
        noop = _checked(_portico(practice, "build"), "the no-op build")
        if "\n0 built, " not in noop.stdout:
            raise SystemExit(f"the no-op build rebuilt something:\n{noop.stdout}")
        noops.append(noop)
    out["noop"] = {"wall": [r.seconds for r in noops], "cpu": [r.cpu_seconds for r in noops]}
    _say(f"no-op: {statistics.median(out['noop']['wall']):.2f} s")

    portal = practice / "site" / SLUG
    out["weights"] = decrypted_weights(portal, PASSPHRASE)
    if not args.skip_browser:
        times = time_portal(practice / "site", SLUG, PASSPHRASE, "zeppelin",
                            big[0].needle_risk, rounds=args.rounds)
        out["browser"] = asdict(times) | {"medians": times.medians()}
        _say(f"browser: {times.medians()} {times.error}")

    _checked(_portico(practice, "build", SLUG), f"portico build {SLUG}")
    notes = sorted((big[0].folder / "notes").glob("*.md"))
    note = notes[len(notes) // 2]
    rebuilds = []
    for n in range(1, args.rounds + 1):
        with note.open("a", encoding="utf-8") as handle:
            handle.write(NOTE_LINE.format(n=n))
        done = _checked(_portico(practice, "build", SLUG), "the rebuild after an edit")
        rebuilds.append({"wall": done.seconds, "cpu": done.cpu_seconds,
                         "client_s": client_seconds(done.stdout + done.stderr).get(SLUG)})
    out["rebuild"] = {"note": note.name, "runs": rebuilds}
    _say(f"rebuild after an edit: {[round(r['wall'], 2) for r in rebuilds]} s")
    return out


def attachment(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Step 6: bench_attachment_memory's build and both verifies of one large attachment."""
    from bench_attachment_memory import measure

    shutil.rmtree(work / "attachment", ignore_errors=True)
    steps = measure(work / "attachment" / "practice", args.attachment_mb)
    shutil.rmtree(work / "attachment", ignore_errors=True)  # a GiB or two of disk
    return {name: {"wall": r.seconds, "max_rss_mb": r.max_rss_mb,
                   "tree_rss_mb": r.peak_tree_rss_mb, "tree_pss_mb": r.peak_tree_pss_mb}
            for name, r in steps}


def against_plain(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Step 7: the same portals by plain MkDocs, encryptcontent, StatiCrypt and Portico."""
    from scale_steps import install_staticrypt, staticrypt_sites
    from synthetic import generate_practice

    practice, plain = work / "plain-practice", work / "plain"
    shutil.rmtree(plain, ignore_errors=True)
    slugs = generate_practice(practice, args.plain_clients, seed=args.seed)
    configs, _ = render_all(practice, slugs, plain)
    _checked([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(configs[slugs[0]])],
             "plain mkdocs build")  # warms the disk cache, as the first of each row would
    sites = {slug: config.parent / "site" for slug, config in configs.items()}
    out: dict[str, Any] = {"clients": len(slugs),
                           "pages": sum(1 for _ in sites[slugs[0]].rglob("index.html"))}

    def batch(label: str, batch_configs: dict[str, Path]) -> dict[str, Any]:
        done = mkdocs_batch(label, batch_configs, 1)
        return {"wall": done.wall, "cpu": done.cpu_seconds, "failures": done.failures}

    out["plain"] = batch("plain", configs)
    _say(f"plain: {out['plain']['wall']:.1f} s")
    if args.skip_encryptcontent:
        out["encryptcontent"] = {"error": "skipped (--skip-encryptcontent)"}
    else:
        try:
            metadata.version("mkdocs-encryptcontent-plugin")
            out["encryptcontent"] = batch("encryptcontent", encrypted_configs(configs))
        except metadata.PackageNotFoundError:
            out["encryptcontent"] = {
                "error": "not installed (`pip install mkdocs-encryptcontent-plugin`)"}
    if args.skip_staticrypt:
        out["staticrypt"] = {"error": "skipped (--skip-staticrypt)"}
    else:
        binary = install_staticrypt(work / "npm")
        out["staticrypt"] = (
            {"error": binary} if isinstance(binary, str)
            else staticrypt_sites(binary, sites, work / "staticrypt", BENCH_PASSPHRASE))
    shutil.rmtree(practice / ".portico-cache", ignore_errors=True)
    full = _checked(_portico(practice, "build", "--force", "--out", str(work / "plain-portico")),
                    "portico build --force")
    out["portico"] = {"wall": full.seconds, "cpu": full.cpu_seconds}
    _say(f"portico full: {full.seconds:.1f} s")
    return out


def verdicts(r: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    """The issue's table: (what, goal, measured, met); met None when not measured."""
    rows: list[tuple[str, str, str, bool | None]] = []
    big, n = r["large"], r["args"]["risks"]
    medians = big.get("browser", {}).get("medians", {})
    if "register" in medians:
        rows.append(("opening the risk register after unlock (headless Chromium, median of "
                     f"{r['args']['rounds']})", "≤ 1.0 s at 2,000 risks",
                     f"{medians['register']:.2f} s at {n:,} risks",
                     medians["register"] <= GOALS["register_s"]))
    else:
        rows.append(("opening the risk register after unlock", "≤ 1.0 s at 2,000 risks",
                     big.get("browser", {}).get("error") or "not measured", None))
    w = big["weights"]
    search = medians.get("search_typed")
    rows.append(("decrypted weight of that page / of the search index",
                 "≤ 500 kB per page; search usable within 0.5 s (first hit for a word unique "
                 "to one item)",
                 f"largest page {w['largest_page_bytes'] / 1000:.0f} kB, register "
                 f"{w['register_bytes'] / 1000:.0f} kB, search index "
                 f"{w['search_index_bytes'] / 1000:.0f} kB; first hit "
                 + (f"{search:.2f} s after typing" if search is not None else "not measured"),
                 w["largest_page_bytes"] <= GOALS["page_kB"] * 1000
                 and (search is None or search <= GOALS["search_s"])))
    rebuild = statistics.median(x["wall"] for x in big["rebuild"]["runs"])
    rows.append(("rebuild after editing one note of the large client", "≤ 4 s",
                 f"{rebuild:.2f} s", rebuild <= GOALS["rebuild_s"]))
    noop = statistics.median(big["noop"]["wall"])
    rows.append((f"no-op build, {r['args']['clients'] + 1} clients", "≤ 0.5 s", f"{noop:.2f} s",
                 noop <= GOALS["noop_s"]))
    if "attachment" in r:
        worst = max(x["max_rss_mb"] for x in r["attachment"].values())
        rows.append(("peak memory against the largest attachment",
                     "≤ 400 MB for a 1 GB attachment, built and verified",
                     f"{worst:.0f} MB for {r['args']['attachment_mb']} MiB",
                     worst <= GOALS["attachment_MB"]))
    if "plain" in r:
        p = r["plain"]
        wall, cpu = (p["portico"][k] / p["plain"][k] for k in ("wall", "cpu"))
        rows.append((f"full build against plain `mkdocs build` ({p['clients']} portals of "
                     f"{p['pages']} pages, one run)", "≤ 0.6 × wall; CPU ≤ 1.2 × plain",
                     f"{wall:.2f} × wall; CPU {cpu:.2f} × plain",
                     wall <= GOALS["full_vs_plain"] and cpu <= GOALS["cpu_vs_plain"]))
    return rows


def report(r: dict[str, Any]) -> str:
    """The Markdown report: the issue's table, then each step's numbers."""
    m, a, big = r["machine"], r["args"], r["large"]
    mark = {True: "met", False: "**not met**", None: "—"}
    lines = [f"Run {r['date']}: {a['clients']} synthetic clients + bigco ({a['risks']:,} risks, "
             f"{a['decisions']} decisions, {a['notes']} notes, {a['roadmap']} roadmap items); "
             f"code: {r['code']['measured']} at {r['code']['head']}.", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM; Python {m['python']}, "
             f"MkDocs {m['mkdocs']}, Material {m['mkdocs-material']}; load average "
             f"{r['load_before']} before, {r['load_after']} after. Board-pack PDFs: "
             f"{r['pdfs']}.", "", "| what | goal | measured | |", "| --- | --- | --- | --- |"]
    lines += [f"| {what} | {goal} | {got} | {mark[ok]} |" for what, goal, got, ok in verdicts(r)]
    first, w = big["first_build"], big["weights"]
    lines += ["", "Details:", "",
              f"- First (full) build of the {a['clients'] + 1} clients: {first['wall']:.1f} s "
              f"wall, {first['cpu']:.1f} s CPU (bigco's own line: {first['bigco_s']} s).",
              f"- No-op, each run: {', '.join(f'{x:.2f}' for x in big['noop']['wall'])} s wall; "
              f"CPU {', '.join(f'{x:.2f}' for x in big['noop']['cpu'])} s.",
              f"- Rebuild after an edit to {big['rebuild']['note']}, each: " + ", ".join(
                  f"{x['wall']:.2f} s wall ({x['cpu']:.1f} s CPU, pipeline {x['client_s']} s)"
                  for x in big["rebuild"]["runs"]) + ".",
              f"- Decrypted: {w['pages']:,} pages; largest {w['largest_page']} "
              f"{w['largest_page_bytes']:,} B; register (risks/) {w['register_bytes']:,} B, "
              f"{w['register_pages']} register pages, largest {w['register_pages_max_bytes']:,} B; "
              f"{w['pages_over_500kB']} pages over 500 kB; search index "
              f"{w['search_index_bytes']:,} B."]
    browser = big.get("browser")
    if browser and not browser["error"]:
        def each(key: str) -> str:
            return ", ".join(f"{x:.2f}" for x in browser[key])
        lines += [f"- Chromium, per fresh context (s): unlock {each('unlock')}; register "
                  f"{each('register')}; search typed at load: load → hit "
                  f"{each('search_after_load')}, typing → hit {each('search_at_once')}; "
                  f"search typed on a page open 1 s: typing → hit {each('search_typed')} "
                  "(the goal is judged on this one)."]
    for name, x in r.get("attachment", {}).items():
        lines.append(f"- Attachment {a['attachment_mb']} MiB, {name}: {x['wall']:.1f} s, largest "
                     f"process {x['max_rss_mb']:.0f} MB, tree RSS {x['tree_rss_mb']:.0f} MB, "
                     f"tree PSS {x['tree_pss_mb']:.0f} MB.")
    p = r.get("plain")
    if p:
        lines += ["", f"{p['clients']} synthetic portals of {p['pages']} pages, one run each, "
                  "one process per portal, one after the other (Portico: one process):", "",
                  "| tool | wall s | CPU s | wall / plain | CPU / plain |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        plain = p["plain"]
        for key, label in (("plain", "plain `mkdocs build`"),
                           ("encryptcontent", "`mkdocs build` + encryptcontent"),
                           ("staticrypt", "StatiCrypt over the plain sites (after them)"),
                           ("portico", "`portico build --force`")):
            x = p[key]
            if "error" in x or x.get("failures"):
                lines.append(f"| {label} | — | — | {x.get('error') or x['failures'][0]} | |")
                continue
            extra = " (with the plain build: {:.2f})".format(
                (x["wall"] + plain["wall"]) / plain["wall"]) if key == "staticrypt" else ""
            lines.append(f"| {label} | {x['wall']:.1f} | {x['cpu']:.1f} | "
                         f"{x['wall'] / plain['wall']:.2f}{extra} | "
                         f"{x['cpu'] / plain['cpu']:.2f} |")
        if "version" in p["staticrypt"]:
            lines += ["", f"StatiCrypt {p['staticrypt']['version']} encrypted "
                      f"{p['staticrypt']['files']} HTML files; it leaves the search index and "
                      "every other file in clear."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    parser.add_argument("--clients", type=int, default=50, help="synthetic clients beside bigco")
    parser.add_argument("--risks", type=int, default=2000)
    parser.add_argument("--decisions", type=int, default=300)
    parser.add_argument("--notes", type=int, default=500)
    parser.add_argument("--roadmap", type=int, default=200, help="bigco's roadmap items")
    parser.add_argument("--attachment-mb", type=int, default=1024, help="0: skip that step")
    parser.add_argument("--plain-clients", type=int, default=12,
                        help="portals in the comparison with plain MkDocs (0: skip it)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="browser contexts and note edits, each (default 3)")
    parser.add_argument("--noop-runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rev", help="measure this git revision's generator")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-encryptcontent", action="store_true")
    parser.add_argument("--skip-staticrypt", action="store_true")
    args = parser.parse_args(argv)

    work = (args.work or Path(tempfile.mkdtemp(prefix="portico-bench-scale-"))).resolve()
    shutil.rmtree(work / "practice", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"args": vars(args) | {"work": str(work)},
                               "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
                               "load_before": _loadavg(), "machine": machine()}
    results["code"] = snapshot_code(work / "code", args.rev)
    from portico.engine.pdf import find_chromium

    chromium = find_chromium()
    results["pdfs"] = f"printed with {chromium}" if chromium else "off (no Chromium)"
    _say(f"working folder: {work}; code: {results['code']}")
    try:
        results["large"] = large_practice(args, work / "practice")
        if args.attachment_mb:
            results["attachment"] = attachment(args, work)
        if args.plain_clients:
            results["plain"] = against_plain(args, work)
        results["load_after"] = _loadavg()
        (work / "results.json").write_text(json.dumps(results, indent=1, default=str), "utf-8")
        text = report(results)
        (work / "report.md").write_text(text, "utf-8")
        print(text)
        _say(f"report: {work / 'report.md'}; raw numbers: {work / 'results.json'}")
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
