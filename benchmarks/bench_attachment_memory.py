"""Peak memory of building and verifying a portal with one very large attachment (issue 22,
item 4: at most 400 MB for a 1 GB attachment, built and verified).

Run: `python benchmarks/bench_attachment_memory.py` (1 GB, about a minute; `--mb 200`,
`--rev main` to measure a committed generator instead of the working tree, `--work DIR`
`--keep` to keep the practice and the portal).

It writes a practice whose one client, `bigfile`, has one page linking one attachment of
`--mb` MiB of seeded pseudo-random bytes (incompressible, as most large attachments are),
then runs, each as a process of its own (PDFs off, as without Chromium):

1. `portico build bigfile`: render (copies the file into the docs tree), MkDocs (copies
   it into the site), protect (seals it), verify (decrypts it, scans for leaks), swap;
2. `portico verify site/bigfile --passphrase-stdin`: a reader's decrypt of every file;
3. `portico verify site/bigfile`: the leak scan of every published file, blobs included;

and prints, for each, the wall time, the largest single process's peak resident size
(`wait4`'s ru_maxrss, the figure the goal is about) and the process tree's peak RSS and
PSS, sampled every 0.1 s (bench_build.run).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import shutil
import sys
import tempfile
from collections.abc import Collection
from pathlib import Path

from bench_build import ENV, REPO, Run, run, snapshot_code

SLUG = "bigfile"
PASSPHRASE = "quartz-meadow-signal-cedar-ember-drift"
MIB = 1024 * 1024
GOAL_MB = 400
STEPS = ("build", "decrypt", "scan")


def write_practice(root: Path, mb: int) -> str:
    """The practice with one client and one attachment of `mb` MiB; the attachment's SHA-256."""
    from portico.protection.readers import add_reader  # the measured generator's

    for name in ("content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    client = root / "clients" / SLUG
    (client / "pages").mkdir(parents=True)
    (client / "files").mkdir()
    (client / "client.yml").write_text(
        "name: Bigfile Holdings\nengagement:\n  start: 2026-01-05\n  phase: execution\n"
        "  summary: One very large attachment.\n", "utf-8")
    add_reader(client / "readers.yml", "demo", "Demo reader", PASSPHRASE)
    (client / "pages" / "exports.md").write_text(
        "# Exports\n\nThe [quarterly export](../files/export.bin).\n", "utf-8")
    rng = random.Random(22)
    digest = hashlib.sha256()
    with (client / "files" / "export.bin").open("wb") as handle:
        for _ in range(mb):
            block = rng.randbytes(MIB)
            digest.update(block)
            handle.write(block)
    return digest.hexdigest()


def measure(root: Path, mb: int, wanted: Collection[str] = STEPS) -> list[tuple[str, Run]]:
    """Write the practice into `root` with an attachment of `mb` MiB, then run each wanted
    step (of STEPS) as a process of its own; raises SystemExit if one fails.

    PDFs are off during the steps (as without Chromium) and back as they were after.
    """
    write_practice(root, mb)
    before = ENV.get("PORTICO_CHROMIUM")
    ENV["PORTICO_CHROMIUM"] = str(root.parent / "no-chromium")  # PDFs off
    try:
        portico = [sys.executable, "-m", "portico", "--root", str(root)]
        site = root / "site" / SLUG
        steps: list[tuple[str, Run]] = [("build", run([*portico, "build", SLUG], cwd=root))]
        verify = [*portico, "verify", str(site), "--passphrase-stdin"]
        if "decrypt" in wanted:
            with tempfile.TemporaryFile() as stdin:
                stdin.write(f"{PASSPHRASE}\n".encode())
                stdin.seek(0)
                steps.append(("verify (decrypt)", run(verify, cwd=root, stdin=stdin)))
        if "scan" in wanted:
            steps.append(("verify (leak scan)", run([*portico, "verify", str(site)], cwd=root)))
    finally:
        if before is None:
            ENV.pop("PORTICO_CHROMIUM", None)
        else:
            ENV["PORTICO_CHROMIUM"] = before
    for name, done in steps:
        if done.returncode:
            raise SystemExit(f"{name} failed:\n{done.stdout}\n{done.stderr}")
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=1024, help="attachment size in MiB")
    parser.add_argument("--rev", help="measure this git revision's generator")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    parser.add_argument("--steps", default="build,decrypt,scan",
                        help="which of build, decrypt, scan to run (comma-separated; decrypt "
                             "and scan need build); the generator before issue 22 needs "
                             "about 22 times the attachment for the scan")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="portico-attachment-"))
    if work.exists() and args.work:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    try:
        code = snapshot_code(work / "code", args.rev)
        steps = measure(work / "practice", args.mb, set(args.steps.split(",")))
        print(f"## One {args.mb} MiB attachment, {code['measured']} (HEAD {code['head']}, "
              f"uncommitted: {code['uncommitted']})\n")
        print(f"{platform.platform()}, Python {platform.python_version()}, "
              f"{os.cpu_count()} CPUs, {_memory_gb():.0f} GB RAM\n")
        print("| Step | Wall s | Largest process MB (ru_maxrss) | Tree RSS MB | Tree PSS MB |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, done in steps:
            print(f"| {name} | {done.seconds:.1f} | {done.max_rss_mb:.0f} | {done.peak_tree_rss_mb:.0f} "
                  f"| {done.peak_tree_pss_mb:.0f} |")
        worst = max(done.max_rss_mb for _, done in steps)
        verdict = "met" if worst <= GOAL_MB else "not met"
        print(f"\nGoal: at most {GOAL_MB} MB for the largest process of any step: {worst:.0f} MB, "
              f"{verdict}.")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _memory_gb() -> float:
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        return int(meminfo.readline().split()[1]) / 1024 / 1024


if __name__ == "__main__":
    main()
