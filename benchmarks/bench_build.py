"""`portico build` against what a user does by hand today, in one run on this machine (issue 5).

Run: `python benchmarks/bench_build.py` (a few minutes; `--help` for options). It

1. writes a synthetic practice (benchmarks/synthetic.py: 20 clients, ~33 pages each),
2. renders each client with `portico.render.render_portal` (the same docs Portico builds)
   and times `mkdocs build` over them as separate processes: one after the other (the
   baseline), then two at a time,
3. times mkdocs-encryptcontent-plugin (a global password) over the same docs, same way,
4. times `portico build`: full (--force), no-op (again, nothing changed), one client
   changed (a line appended to one note), and that client's own build
   (`--force --only SLUG`),
5. records every measured process tree's peak memory, and one client's pipeline stages
   in-process (where the time goes), and counts PBKDF2 runs during a build (should be 0:
   readers.yml holds public keys only),

then prints a Markdown report (also written to WORK/report.md, raw numbers to
WORK/results.json). Targets: full ≤ 0.6 × the sequential plain processes; no-op ≤ 1 s;
one changed ≤ 1.2 × that client's own build; peak memory ≤ 600 MB.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
BENCH_PASSPHRASE = "benchmark-practice-passphrase"  # synthetic.BENCH_PASSPHRASE

TARGETS = {"full_vs_plain": 0.6, "noop_seconds": 1.0, "one_vs_own": 1.2, "peak_mb": 600.0}
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", CI="1")
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine: bytecode is cached
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# --- measuring a process tree ------------------------------------------------------------


@dataclass
class Run:
    """One measured process: wall time, exit status, output and its tree's peak memory."""

    command: list[str]
    seconds: float
    cpu_seconds: float  # user + system of the process and every descendant it waited for
    returncode: int
    stdout: str
    stderr: str
    max_rss_mb: float  # largest single process of the tree (wait4's ru_maxrss)
    peak_tree_rss_mb: float  # largest sampled sum of RSS over the tree (shared pages n times)
    peak_tree_pss_mb: float  # largest sum of PSS over the tree, sampled (shared pages split)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree_memory(pid: int) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) in bytes over `pid` and all its descendants."""
    tree = _children()
    todo, rss, pss = [pid], 0, 0
    while todo:
        current = todo.pop()
        todo += tree.get(current, [])
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except (OSError, ValueError):
            continue
    return rss, pss


def run(command: list[str], *, cwd: Path | None = None, sample: float = 0.1,
        stdin: Any = None) -> Run:
    """Run `command`, sampling its process tree's memory every `sample` seconds; `stdin`,
    a file to read its standard input from (bench_attachment_memory's passphrase)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdin=stdin, stdout=out,
                                   stderr=err)
        peaks = [0, 0]
        stop = threading.Event()

        def sampler() -> None:
            while not stop.wait(sample):
                rss, pss = _tree_memory(process.pid)
                peaks[0], peaks[1] = max(peaks[0], rss), max(peaks[1], pss)

        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        _, status, usage = os.wait4(process.pid, 0)  # rusage of the whole waited-for tree
        seconds = time.perf_counter() - started
        stop.set()
        thread.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        mb = 1024 * 1024
        return Run(command, seconds, usage.ru_utime + usage.ru_stime, process.returncode,
                   out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                   usage.ru_maxrss * 1024 / mb, peaks[0] / mb, peaks[1] / mb)


def snapshot_code(target: Path, rev: str | None) -> dict[str, str]:
    """Copy the generator (the working tree's, or git REV's) to `target/portico` and use it.

    The benchmark then measures one fixed version of Portico even if someone edits
    generator/ while it runs (an edit would also change every client's cache key, so the
    no-op run would rebuild everything). Subprocesses get it through PYTHONPATH.
    """
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    if rev:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "generator/portico"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target), "--strip-components=1"], input=archive,
                       check=True)
    else:
        shutil.copytree(REPO / "generator" / "portico", target / "portico",
                        ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(target)], check=True)
    sys.path.insert(0, str(target))
    ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target), ENV.get("PYTHONPATH")]))

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)
        return done.stdout.strip()

    dirty = git("status", "--short", "--", "generator/portico")
    return {"head": git("rev-parse", "--short", "HEAD"), "measured": rev or "working tree",
            "uncommitted": " ".join(line.split()[-1] for line in dirty.splitlines()) or "none"}


def _tool(name: str) -> list[str]:
    found = shutil.which(name)
    return [found] if found else [sys.executable, "-m", name]


# --- the machine ---------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        total = next(line for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal"))
        ram = f"{int(total.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "cpu": cpu,
        "cores": str(len(os.sched_getaffinity(0))),
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
        "pymdown-extensions": version("pymdown-extensions"),
        "mkdocs-encryptcontent-plugin": version("mkdocs-encryptcontent-plugin"),
        "portico": version("portico"),
    }


# --- the steps -----------------------------------------------------------------------------


def render_all(practice: Path, slugs: list[str], out: Path) -> tuple[dict[str, Path], float]:
    """Render every client's docs tree and MkDocs config, as `portico build` does."""
    from portico.content import model as m
    from portico.content.load import load_engagement, load_shared_pages
    from portico.portal.render import render_portal

    started = time.perf_counter()
    shared = load_shared_pages(practice)
    configs = {}
    for slug in slugs:
        engagement = load_engagement(practice, slug)
        view = m.Practice(root=practice, clients=[engagement], shared_pages=shared)
        configs[slug] = render_portal(engagement, view, out / slug).config_file
    return configs, time.perf_counter() - started


def encrypted_configs(configs: dict[str, Path]) -> dict[str, Path]:
    """A copy of each rendered config with encryptcontent and a global password."""
    out = {}
    for slug, config in configs.items():
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["plugins"] = ["search", {"encryptcontent": {"global_password": BENCH_PASSPHRASE}}]
        data["site_dir"] = str(config.parent / "site-encryptcontent")
        target = config.with_name("mkdocs-encryptcontent.yml")
        target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                          encoding="utf-8")
        out[slug] = target
    return out


@dataclass
class Batch:
    """N processes, sequential or a few at a time."""

    label: str
    wall: float
    per_process: list[float]
    cpu_seconds: float
    failures: list[str]
    max_rss_mb: float
    peak_tree_rss_mb: float
    peak_tree_pss_mb: float

    @property
    def total(self) -> float:
        return sum(self.per_process)


def mkdocs_batch(label: str, configs: dict[str, Path], parallel: int) -> Batch:
    """`mkdocs build -q -f CONFIG` for each config, `parallel` processes at a time."""
    commands = {slug: [*_tool("mkdocs"), "build", "-q", "-f", str(c)]
                for slug, c in configs.items()}
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        runs = dict(zip(commands, pool.map(run, commands.values()), strict=True))
    wall = time.perf_counter() - started
    failures = [f"{slug}: exit {r.returncode}: {r.stderr.strip()[-400:]}"
                for slug, r in runs.items() if r.returncode != 0]
    rs = list(runs.values())
    # with parallel > 1 the trees overlap in time; their peaks are added as an upper bound
    overlap = parallel if parallel > 1 else 1
    return Batch(label, wall, [r.seconds for r in rs], sum(r.cpu_seconds for r in rs), failures,
                 max(r.max_rss_mb for r in rs),
                 overlap * max(r.peak_tree_rss_mb for r in rs),
                 overlap * max(r.peak_tree_pss_mb for r in rs))


_CLIENT_LINE = re.compile(r"^\s+(\S+)\s+ok\s+(\d+) pages\s+([\d.]+) s", re.MULTILINE)


def client_seconds(output: str) -> dict[str, float]:
    """Per-client seconds from `portico build`'s plain (CI) progress lines."""
    return {m.group(1): float(m.group(3)) for m in _CLIENT_LINE.finditer(output)}


def portico_build(practice: Path, site: Path, *args: str) -> Run:
    result = run([*_tool("portico"), "--root", str(practice), "build", "--out", str(site), *args])
    if result.returncode != 0:
        raise SystemExit(f"portico build {' '.join(args)} failed:\n"
                         f"{result.stdout}\n{result.stderr}")
    return result


def stage_breakdown(practice: Path, slug: str, repeats: int = 3) -> dict[str, float]:
    """Median seconds of each pipeline stage of one client, in this process (imports warm)."""
    import material  # noqa: F401
    import mkdocs.commands.build  # noqa: F401

    from portico.delivery.pipeline import build_portal

    site = Path(tempfile.mkdtemp(prefix="portico-stages-"))
    samples: dict[str, list[float]] = {}
    try:
        build_portal(practice, slug, site)  # warm-up: first template compile, disk cache
        for _ in range(repeats):
            events: list[tuple[str, float]] = []

            def event(_slug: str, stage: str, events: list[tuple[str, float]] = events) -> None:
                events.append((stage, time.perf_counter()))

            started = time.perf_counter()
            result = build_portal(practice, slug, site, on_event=event)
            events.append(("end", time.perf_counter()))
            assert result.ok, result.message
            samples.setdefault("total", []).append(events[-1][1] - started)
            for (stage, begin), (_, end) in zip(events, events[1:], strict=False):
                samples.setdefault(stage, []).append(end - begin)
    finally:
        shutil.rmtree(site, ignore_errors=True)
    return {stage: statistics.median(values) for stage, values in samples.items()}


def verify_breakdown(practice: Path, slug: str) -> dict[str, float]:
    """Inside the verifying stage: markers, the leak scan and the round trip, and the sizes."""
    import material  # noqa: F401
    import mkdocs.commands.build  # noqa: F401

    from portico.content import model as m
    from portico.content.load import load_engagement, load_shared_pages
    from portico.engine.build import build_site
    from portico.portal.render import render_portal
    from portico.protection.leakscan import public_words, scan_portal, trusted_digests
    from portico.protection.markers import client_markers, client_words
    from portico.protection.protect import MANIFEST_PATH, login_shell, protect_site, walk_files
    from portico.protection.readers import load_readers
    from portico.protection.verify import marker_forms, verify_roundtrip

    work = Path(tempfile.mkdtemp(prefix="portico-verify-"))
    try:
        engagement = load_engagement(practice, slug)
        view = m.Practice(root=practice, clients=[engagement],
                          shared_pages=load_shared_pages(practice))
        built = build_site(render_portal(engagement, view, work / "render").config_file)
        portal = work / "portal"
        readers = load_readers(engagement.root / "readers.yml")
        protected = protect_site(built.site_dir, portal, readers,
                                 practice_name="Benchmark", client_name=None)
        trusted_digests(), public_words()  # paid once per build, in the parent process
        # The same steps as pipeline._build's verifying stage (leakscan.scan_portal).
        t0 = time.perf_counter()
        verify_roundtrip(portal, protected)
        t1 = time.perf_counter()
        baseline = [login_shell("Benchmark")]
        markers = client_markers(engagement, baseline=baseline)
        words = client_words(engagement, public=public_words())
        t2 = time.perf_counter()
        scan_portal(portal, engagement, "Benchmark", shells=protected.shells,
                    sealed={f.blob for f in protected.files} | {MANIFEST_PATH})
        t3 = time.perf_counter() - (t2 - t1)  # scan_portal collects the markers again
        files = walk_files(portal)
        public = set(protected.public)
        size = {rel: (portal / rel).stat().st_size for rel in files}
        return {
            "roundtrip_s": t1 - t0, "markers_s": t2 - t1, "leak_scan_s": t3 - t2,
            "markers": len(markers), "needles": sum(len(marker_forms(x)) for x in markers),
            "words": len(words),
            "files": len(files), "bytes": sum(size.values()),
            "public_files": len(public & set(files)),
            "public_bytes": sum(size[rel] for rel in files if rel in public),
            "baseline_bytes": sum(len(b) for b in baseline),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def profile_client(practice: Path, slug: str, top: int = 25) -> tuple[str, int]:
    """cProfile of one client's build_portal (warm): the top functions, and PBKDF2 calls seen."""
    import material  # noqa: F401
    import mkdocs.commands.build  # noqa: F401

    from portico.delivery.pipeline import build_portal

    site = Path(tempfile.mkdtemp(prefix="portico-profile-"))
    try:
        build_portal(practice, slug, site)
        profiler = cProfile.Profile()
        profiler.enable()
        result = build_portal(practice, slug, site)
        profiler.disable()
        assert result.ok, result.message
    finally:
        shutil.rmtree(site, ignore_errors=True)
    stats = pstats.Stats(profiler)
    pbkdf2 = sum(calls for (file, _line, name), (calls, *_rest) in stats.stats.items()  # type: ignore[attr-defined]
                 if "pbkdf2" in name.lower() or "pbkdf2" in file.lower())
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    tottime = io.StringIO()
    pstats.Stats(profiler, stream=tottime).sort_stats("tottime").print_stats(top)
    return text.getvalue() + "\n" + tottime.getvalue(), pbkdf2


def startup_costs() -> dict[str, float]:
    """What a separate `mkdocs build` process pays before building: interpreter and imports."""
    out = {}
    for label, command in (
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("import mkdocs build + material",
         [sys.executable, "-c", "import mkdocs.commands.build, material, pymdownx.superfences"]),
        ("mkdocs --version", [*_tool("mkdocs"), "--version"]),
        ("portico --version", [*_tool("portico"), "--version"]),
    ):
        out[label] = statistics.median(run(command).seconds for _ in range(3))
    return out


# --- the report ------------------------------------------------------------------------------


@dataclass
class Results:
    """Everything one benchmark run measured; `rounds` holds each repetition's raw numbers."""

    machine: dict[str, str]
    date: str
    clients: int
    code: dict[str, str] = field(default_factory=dict)
    pages_per_client: int = 0
    jobs: int = 0
    generate_s: float = 0.0
    render_s: float = 0.0
    changed_client: str = ""
    encryptcontent_error: str = ""
    rounds: list[dict[str, dict[str, object]]] = field(default_factory=list)
    loadavg: list[str] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    verify: dict[str, float] = field(default_factory=dict)
    startup: dict[str, float] = field(default_factory=dict)
    pbkdf2_calls_during_build: int = -1
    ratios: dict[str, float] = field(default_factory=dict)
    ratio_rounds: list[dict[str, float]] = field(default_factory=list)


def _run_summary(r: Run, **extra: object) -> dict[str, object]:
    return {"wall": r.seconds, "cpu": r.cpu_seconds, "max_rss_mb": r.max_rss_mb,
            "peak_tree_rss_mb": r.peak_tree_rss_mb, "peak_tree_pss_mb": r.peak_tree_pss_mb,
            **extra}


def _batch_summary(b: Batch) -> dict[str, object]:
    return {"wall": b.wall, "cpu": b.cpu_seconds, "per_client": b.per_process,
            "failures": b.failures, "max_rss_mb": b.max_rss_mb,
            "peak_tree_rss_mb": b.peak_tree_rss_mb, "peak_tree_pss_mb": b.peak_tree_pss_mb}


PORTICO_RUNS = ("full", "noop", "one_changed", "own")


def round_ratios(r: dict[str, dict[str, object]]) -> dict[str, float]:
    """The issue's ratios for one round (wall-clock seconds)."""
    def wall(key: str) -> float:
        return float(r[key]["wall"])  # type: ignore[arg-type]

    out = {
        "full_vs_plain": wall("full") / wall("plain"),
        "full_vs_plain_parallel": wall("full") / wall("plain_parallel"),
        "full_cpu_vs_plain_cpu": float(r["full"]["cpu"]) / float(r["plain"]["cpu"]),  # type: ignore[arg-type]
        "noop_seconds": wall("noop"),
        "one_vs_own": wall("one_changed") / wall("own"),
        "one_vs_own_client_line": wall("one_changed") / float(r["own"]["client_seconds"]),  # type: ignore[arg-type]
        "peak_pss_mb": max(float(r[k]["peak_tree_pss_mb"]) for k in PORTICO_RUNS),  # type: ignore[arg-type]
        "peak_rss_mb": max(float(r[k]["peak_tree_rss_mb"]) for k in PORTICO_RUNS),  # type: ignore[arg-type]
    }
    if "encryptcontent" in r:
        out["full_vs_encryptcontent"] = wall("full") / wall("encryptcontent")
    return out


def report(res: Results) -> str:
    """The Markdown report: machine, raw timings (medians of the rounds), ratios vs targets."""
    def verdict(value: float, target: float) -> str:
        return "met" if value <= target else "**missed**"

    def med(key: str, field_: str) -> float:
        return statistics.median(float(r[key][field_]) for r in res.rounds if key in r)  # type: ignore[arg-type]

    def every(key: str) -> str:
        return ", ".join(f"{float(r[key]['wall']):.2f}" for r in res.rounds if key in r)  # type: ignore[arg-type]

    def peak(key: str) -> str:
        return " / ".join(f"{max(float(r[key][f]) for r in res.rounds if key in r):.0f}"  # type: ignore[arg-type]
                          for f in ("max_rss_mb", "peak_tree_rss_mb", "peak_tree_pss_mb"))

    m, ratio = res.machine, res.ratios
    n = len(res.rounds)
    lines = [
        f"Run {res.date}: {res.clients} clients × {res.pages_per_client} pages, "
        f"`portico build --jobs {res.jobs}`, {n} round{'s' * (n != 1)} (each row: median, "
        "then every round).",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, {m['os']}; Python "
        f"{m['python']}, MkDocs {m['mkdocs']}, Material {m['mkdocs-material']}, "
        f"pymdown-extensions {m['pymdown-extensions']}, mkdocs-encryptcontent-plugin "
        f"{m['mkdocs-encryptcontent-plugin']}, Portico {m['portico']}. Load average "
        f"before each round: {'; '.join(res.loadavg)}.",
        "",
        f"Code measured: {res.code.get('measured')} at {res.code.get('head')} (uncommitted "
        f"generator files then: {res.code.get('uncommitted')}).",
        "",
        "| What | Wall s (median) | Wall s, each round | CPU s (median) "
        "| Per client s: median [min–max] | Peak MB: largest process / tree RSS / tree PSS |",
        "| --- | ---: | --- | ---: | --- | --- |",
    ]
    first = res.rounds[0]
    labels = {
        "plain": f"{res.clients} × `mkdocs build`, one after the other (**baseline**)",
        "plain_parallel": f"{res.clients} × `mkdocs build`, 2 at a time",
        "encryptcontent": f"{res.clients} × `mkdocs build` + encryptcontent, one after the other",
        "encryptcontent_parallel": f"{res.clients} × `mkdocs build` + encryptcontent, 2 at a time",
        "full": "`portico build --force` (full)",
        "full_jobs1": "`portico build --force --jobs 1` (full, one worker; first round only)",
        "noop": "`portico build`, nothing changed (no-op)",
        "one_changed": f"`portico build`, one note of {res.changed_client} changed",
        "own": f"`portico build --force --only {res.changed_client}` (that client's own build)",
    }
    for key, label in labels.items():
        if key not in first:
            continue
        per: list[float] = []
        for r in res.rounds:
            if key not in r:
                continue
            value = r[key].get("per_client")
            if isinstance(value, dict):
                per += list(value.values())
            elif isinstance(value, list):
                per += value
            elif "client_seconds" in r[key]:
                per.append(float(r[key]["client_seconds"]))  # type: ignore[arg-type]
        spread = (f"{statistics.median(per):.2f} [{min(per):.2f}–{max(per):.2f}]" if per else "")
        star = "*" if key.endswith("_parallel") else ""
        lines.append(f"| {label} | {med(key, 'wall'):.2f} | {every(key)} | {med(key, 'cpu'):.1f} "
                     f"| {spread} | {peak(key)}{star} |")
    if res.encryptcontent_error:
        lines.append(f"| encryptcontent | — | {res.encryptcontent_error} | | | |")
    lines += [
        "",
        "\\* two trees at a time: the peak of one tree is shown; the machine held about twice "
        "that.",
        "",
        "| Ratio (median of the rounds' ratios) | Value | Each round | Target | |",
        "| --- | ---: | --- | ---: | --- |",
    ]

    def ratio_row(label: str, key: str, target: float | None, fmt: str = ".2f") -> None:
        if key not in ratio:
            return
        each = ", ".join(format(r[key], fmt) for r in res.ratio_rounds)
        tail = f"≤ {target:g} | {verdict(ratio[key], target)}" if target is not None else " | "
        lines.append(f"| {label} | {format(ratio[key], fmt)} | {each} | {tail} |")

    ratio_row(f"full build / {res.clients} plain processes one after the other",
              "full_vs_plain", TARGETS["full_vs_plain"])
    ratio_row(f"full build / {res.clients} plain processes 2 at a time (information)",
              "full_vs_plain_parallel", None)
    ratio_row("full build CPU s / plain CPU s (information: work done, not waiting)",
              "full_cpu_vs_plain_cpu", None)
    ratio_row("full build / encryptcontent one after the other (information)",
              "full_vs_encryptcontent", None)
    ratio_row("no-op build, seconds", "noop_seconds", TARGETS["noop_seconds"])
    ratio_row("one client changed / its own build (`--force --only`, whole process)",
              "one_vs_own", TARGETS["one_vs_own"])
    ratio_row("one client changed / its own pipeline seconds (the per-client line; stricter)",
              "one_vs_own_client_line", None)
    ratio_row("peak memory of `portico build`, MB (process tree PSS)", "peak_pss_mb",
              TARGETS["peak_mb"], ".0f")
    ratio_row("peak memory of `portico build`, MB (tree RSS: shared pages counted per process)",
              "peak_rss_mb", TARGETS["peak_mb"], ".0f")
    lines += ["", "One client in-process (warm imports, median of 3), seconds per pipeline stage:",
              "", "| " + " | ".join(res.stages) + " |", "|" + " ---: |" * len(res.stages),
              "| " + " | ".join(f"{v:.2f}" for v in res.stages.values()) + " |"]
    v = res.verify
    if v:
        lines += [
            "",
            f"Inside `verifying` (one client): markers {v['markers_s']:.2f} s ({v['markers']:.0f} "
            f"markers, {v['needles']:.0f} needles with their encodings, and "
            f"{v.get('words', 0):.0f} single words; the baseline they are "
            f"checked against is {v['baseline_bytes'] / 1e6:.1f} MB of public files), leak scan "
            f"{v['leak_scan_s']:.2f} s over {v['files']:.0f} files, {v['bytes'] / 1e6:.2f} MB "
            f"(of which {v['public_files']:.0f} public files, {v['public_bytes'] / 1e6:.2f} MB, "
            f"the same bytes for every client), round trip {v['roundtrip_s']:.2f} s.",
        ]
    lines += ["", "Process start-up (median of 3): " + ", ".join(
        f"`{k}` {s:.2f} s" for k, s in res.startup.items()) + ".",
        "", f"PBKDF2 calls during one client's warm build (cProfile): "
        f"{res.pbkdf2_calls_during_build}. Rendering the {res.clients} docs trees for the "
        f"plain runs took {res.render_s:.1f} s (not counted in the plain times)."]
    return "\n".join(lines) + "\n"


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3,
                        help="repeat every measurement, interleaved, this many times (default 3)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="portico build --jobs (default: its own default, all cores)")
    parser.add_argument("--work", type=Path, default=None,
                        help="working folder (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    parser.add_argument("--skip-encryptcontent", action="store_true")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile of one client")
    parser.add_argument("--rev", default=None,
                        help="measure the generator of this git revision (default: a copy of "
                             "the working tree's generator/portico taken at start)")
    args = parser.parse_args(argv)

    work = (args.work or Path(tempfile.mkdtemp(prefix="portico-bench-build-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    practice, plain_root, site = work / "practice", work / "plain", work / "site"
    for folder in (plain_root, site):
        shutil.rmtree(folder, ignore_errors=True)
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    code = snapshot_code(work / "code", args.rev)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic import generate_practice

    import portico

    assert Path(portico.__file__).is_relative_to(work / "code"), portico.__file__
    res = Results(machine(), dt.datetime.now().strftime("%Y-%m-%d %H:%M UTC"), args.clients,
                  jobs=args.jobs or len(os.sched_getaffinity(0)), code=code)
    say(f"machine: {res.machine}\ncode: {code}\nworking folder: {work}")

    started = time.perf_counter()
    slugs = generate_practice(practice, args.clients, seed=args.seed)
    res.generate_s = time.perf_counter() - started
    check = run([*_tool("portico"), "--root", str(practice), "check"])
    if check.returncode != 0:
        raise SystemExit(f"the synthetic practice fails portico check:\n{check.stderr}")
    say(f"generated {len(slugs)} clients in {res.generate_s:.1f} s; {check.stdout.strip()}")

    configs, res.render_s = render_all(practice, slugs, plain_root)
    say(f"rendered {len(configs)} docs trees in {res.render_s:.1f} s")
    warm = run([*_tool("mkdocs"), "build", "-q", "-f", str(configs[slugs[0]])])  # disk cache
    if warm.returncode != 0:
        raise SystemExit(f"plain mkdocs build failed:\n{warm.stderr}")
    res.pages_per_client = sum(1 for _ in (configs[slugs[0]].parent / "site").rglob("index.html"))

    encrypted: dict[str, Path] = {}
    if not args.skip_encryptcontent:
        try:
            metadata.version("mkdocs-encryptcontent-plugin")
            encrypted = encrypted_configs(configs)
        except metadata.PackageNotFoundError:
            res.encryptcontent_error = "not installed (`pip install mkdocs-encryptcontent-plugin`)"

    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    slug = slugs[len(slugs) // 2]
    res.changed_client = slug
    note = sorted((practice / "clients" / slug / "notes").glob("*.md"))[-1]
    for number in range(1, args.rounds + 1):
        res.loadavg.append(_loadavg())
        r: dict[str, dict[str, object]] = {}
        r["plain"] = _batch_summary(mkdocs_batch("plain", configs, 1))
        r["plain_parallel"] = _batch_summary(mkdocs_batch("plain 2", configs, 2))
        say(f"round {number}: plain mkdocs {r['plain']['wall']:.1f} s one after the other, "
            f"{r['plain_parallel']['wall']:.1f} s 2 at a time")
        if encrypted:
            batch = mkdocs_batch("encryptcontent", encrypted, 1)
            if batch.failures:
                res.encryptcontent_error = "; ".join(batch.failures)[:600]
                encrypted = {}
            else:
                r["encryptcontent"] = _batch_summary(batch)
                r["encryptcontent_parallel"] = _batch_summary(
                    mkdocs_batch("encryptcontent 2", encrypted, 2))
                say(f"round {number}: encryptcontent {batch.wall:.1f} s, "
                    f"{r['encryptcontent_parallel']['wall']:.1f} s 2 at a time")

        shutil.rmtree(practice / ".portico-cache", ignore_errors=True)
        full = portico_build(practice, site, "--force", *jobs)
        r["full"] = _run_summary(full, per_client=client_seconds(full.stdout + full.stderr))
        noop = portico_build(practice, site, *jobs)
        if client_seconds(noop.stdout):
            raise SystemExit(f"the no-op build rebuilt clients:\n{noop.stdout}")
        r["noop"] = _run_summary(noop)
        with note.open("a", encoding="utf-8") as handle:
            handle.write(f"\nAdded by the benchmark, round {number}: one more line in one note.\n")
        one = portico_build(practice, site, *jobs)
        rebuilt = client_seconds(one.stdout + one.stderr)
        if list(rebuilt) != [slug]:
            raise SystemExit(f"expected only {slug} to rebuild, got {list(rebuilt)}:\n{one.stdout}")
        r["one_changed"] = _run_summary(one, client_seconds=rebuilt[slug])
        own = portico_build(practice, site, "--force", "--only", slug, *jobs)
        r["own"] = _run_summary(own, client_seconds=client_seconds(own.stdout)[slug])
        if number == 1 and res.jobs > 1 and not args.jobs:
            shutil.rmtree(practice / ".portico-cache", ignore_errors=True)
            serial = portico_build(practice, site, "--force", "--jobs", "1")
            r["full_jobs1"] = _run_summary(serial, per_client=client_seconds(serial.stdout))
            say(f"round {number}: portico full --jobs 1 {serial.seconds:.1f} s")
        res.rounds.append(r)
        res.ratio_rounds.append(round_ratios(r))
        say(f"round {number}: portico full {full.seconds:.1f} s, no-op {noop.seconds:.2f} s, "
            f"one changed {one.seconds:.2f} s, its own build {own.seconds:.2f} s")

    res.ratios = {key: statistics.median(x[key] for x in res.ratio_rounds)
                  for key in res.ratio_rounds[0]}
    say("profiling one client in-process")
    res.stages = stage_breakdown(practice, slug)
    res.verify = verify_breakdown(practice, slug)
    res.startup = startup_costs()
    if not args.no_profile:
        profile_text, res.pbkdf2_calls_during_build = profile_client(practice, slug)
        (work / "profile.txt").write_text(profile_text, encoding="utf-8")

    (work / "results.json").write_text(json.dumps(asdict(res), indent=1, default=str),
                                       encoding="utf-8")
    text = report(res)
    (work / "report.md").write_text(text, encoding="utf-8")
    print(text)
    say(f"raw numbers: {work / 'results.json'}; report: {work / 'report.md'}; "
        f"profile: {work / 'profile.txt'}")
    if not args.keep and args.work is None:
        shutil.rmtree(work, ignore_errors=True)
        say("(working folder removed; --keep or --work DIR to keep it)")


if __name__ == "__main__":
    main()
