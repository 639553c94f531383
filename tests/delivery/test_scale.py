"""Scale: one client with 500 risks, 300 decisions, 200 notes and 50 MB of attachments builds
with `portico build`, its whole process tree stays under 1 GB of memory, every file opens
with a reader's passphrase, and the portal unlocks and searches in Chromium.

One test (so that two xdist workers never build the client twice), marked `scale`; it runs
with the rest of the suite. The browser part runs where Chromium is installed
(tests/ensure_chromium.py). `PORTICO_SCALE_REPORT=path` writes the measured time and memory
there as JSON.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))  # the large client is the benchmark's too

from large_client import NEEDLE, PASSPHRASE, SLUG, write_large_client  # noqa: E402

RISKS, DECISIONS, NOTES = 500, 300, 200
ATTACHMENTS, ATTACHMENT_BYTES = 10, 5 * 1024 * 1024  # 50 MB of random bytes
MEMORY_LIMIT = 1024 ** 3


def _tree_memory(session: int) -> int:
    """Proportional set size (shared pages split) of every process in `session`, in bytes."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) != session:
                continue
            with open(f"/proc/{entry.name}/smaps_rollup", encoding="ascii") as rollup:
                total += next(int(line.split()[1]) * 1024 for line in rollup
                              if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            continue
    return total


@pytest.mark.scale
@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")
def test_a_very_large_client_builds_under_1_gb(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("content", "theme", "mkdocs.yml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copyfile(source, root / name)
    attachments = write_large_client(
        root, risks=RISKS, decisions=DECISIONS, notes=NOTES, roadmap=0,
        attachments=ATTACHMENTS, attachment_bytes=ATTACHMENT_BYTES).attachment_bytes
    started = time.monotonic()
    build = subprocess.Popen(
        [sys.executable, "-m", "portico", "--root", str(root), "build", SLUG],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True, env={**os.environ, "GITHUB_ACTIONS": ""})
    peak, pid = 0, 0
    try:
        while True:  # wait4 gives the rusage of the build and of every process it waited for
            pid, status, usage = os.wait4(build.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _tree_memory(build.pid))
            time.sleep(0.1)
    finally:
        if build.returncode is None and not pid:  # the test itself was stopped
            os.killpg(build.pid, signal.SIGKILL)
    build.returncode = os.waitstatus_to_exitcode(status)
    output = build.stdout.read() if build.stdout else ""
    seconds = time.monotonic() - started
    largest = usage.ru_maxrss * 1024  # the largest single process of the tree (Linux: kB)
    assert build.returncode == 0, output
    site = root / "site" / SLUG
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    report = {"seconds": round(seconds, 1), "peak_pss_mb": round(peak / 2**20),
              "largest_process_rss_mb": round(largest / 2**20),
              "portal_mb": round(size / 2**20, 1), "pages": output.split("pages")[0][-6:].strip()}
    print(f"scale build: {report}")
    if os.environ.get("PORTICO_SCALE_REPORT"):
        Path(os.environ["PORTICO_SCALE_REPORT"]).write_text(json.dumps(report), "utf-8")
    assert size > attachments, "every attachment is in the portal, sealed"
    assert peak < MEMORY_LIMIT, f"the build's process tree peaked at {peak / 2**20:.0f} MB"
    assert largest < MEMORY_LIMIT, f"one process peaked at {largest / 2**20:.0f} MB"
    verify = subprocess.run([sys.executable, "-m", "portico", "--root", str(root), "verify",
                             str(site), "--passphrase-stdin"], input=PASSPHRASE + "\n",
                            capture_output=True, text=True, timeout=600)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:  # in a process of its own: the browser tests' Playwright may run in this one
        script = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
                  "from pathlib import Path; from test_scale import _unlock_and_search; "
                  f"_unlock_and_search(Path({str(root / 'site')!r}), {chromium!r})")
        browse = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                timeout=600)
        assert browse.returncode == 0, browse.stdout + browse.stderr
    else:
        print("scale build: no chromium on PATH, browser part not run")


def _unlock_and_search(site_root: Path, chromium: str) -> None:
    """Unlock the big portal in Chromium, open the risk register and a risk's page from its
    table, then search for one risk's word and open the hit: the risk's own page."""
    from playwright.sync_api import expect, sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(Quiet, directory=str(site_root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.set_default_timeout(60000)  # a 500-page search index on a busy CI core
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{SLUG}/")
            expect(page.locator("#portico-open")).to_be_enabled()  # its script took the form
            field = page.get_by_label("Passphrase")
            field.fill(PASSPHRASE)
            field.press("Enter")
            expect(page.get_by_role("button", name="Log out")).to_be_visible(timeout=60000)
            expect(page.locator("article h1")).to_contain_text("Bigco Holdings", timeout=30000)
            # The register (500 risks: past REGISTER_LIMIT) opens from the nav; its ids open
            # each risk's own page.
            page.locator("nav.md-nav--primary a.md-nav__link[href$='risks/']").first.click()
            row = page.locator("article table a.pt-id").first
            expect(row).to_be_visible(timeout=30000)
            risk = row.inner_text()
            row.click()
            expect(page).to_have_url(re.compile(r"/risks/risk-\d+/$"), timeout=30000)
            expect(page.locator("article h1")).to_contain_text(risk, timeout=30000)
            search = page.get_by_role("textbox", name="Search")
            search.click()
            search.press_sequentially(NEEDLE, delay=30)
            result = page.locator(".md-search-result__item a[href*='risks/risk-432/']").first
            expect(result).to_be_visible(timeout=60000)
            result.click()
            expect(page).to_have_url(re.compile(r"/risks/risk-432/"), timeout=30000)
            expect(page.locator("article h1#risk-432")).to_contain_text(NEEDLE, timeout=30000)
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
