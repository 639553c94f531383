"""Protection's costs on the sample portal, in headless Chromium on this machine.

Run: `python benchmarks/bench_unlock.py`. Prints the plain and protected sizes, the build
and protect times, the unlock time (Enter pressed → portal shown: key derivation, handing
the key to the service worker, the reload through it), the same with Enter pressed the
moment the page appears (before the worker, registered at page load, has started), and
the decryption time of each page. Budgets: issue 4 (unlock < 1.5 s, page < 50 ms) and
issue 9 (Enter → portal < 0.6 s median once the reader has typed).
"""

from __future__ import annotations

import base64
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "browser"))

from browser_support import CHROMIUM_ARGS, PASSPHRASES, SAMPLE  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from portico.engine.build import describe_site  # noqa: E402
from portico.protection.protect import protect_site  # noqa: E402
from portico.protection.readers import add_reader, load_readers  # noqa: E402

ROUNDS = 10
TYPING_SECONDS = 1.0  # a reader takes longer than this to type eight words
DECRYPT_PAGES = """async ([module, root, raw, paths]) => {
  const c = await import(module);
  const key = await c.importContentKey(c.fromB64url(raw));
  const manifest = await c.loadManifest(key, root);
  const times = [];
  for (const path of paths) {
    const blob = await (await fetch(new URL(manifest.files[path].blob, root))).arrayBuffer();
    const start = performance.now();
    await c.openFile(key, path, blob);
    times.push(performance.now() - start);
  }
  return times;
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _unlock_seconds(page: Page, url: str, typing: float) -> float:
    page.goto(url)
    field = page.get_by_label("Passphrase")
    field.fill(PASSPHRASES["dana"])
    page.get_by_role("button", name="Open").wait_for(state="visible")
    page.wait_for_function("!document.getElementById('portico-open').disabled")
    page.wait_for_timeout(typing * 1000)
    started = time.perf_counter()
    field.press("Enter")
    page.locator(".portico-logout").wait_for()
    return time.perf_counter() - started


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="portico-bench-"))
    try:
        started = time.perf_counter()
        plain = work / "plain"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                        str(SAMPLE / "mkdocs.yml"), "-d", str(plain)],
                       check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        build_seconds = time.perf_counter() - started
        add_reader(work / "readers.yml", "dana", "Dana", PASSPHRASES["dana"])
        readers = load_readers(work / "readers.yml")
        started = time.perf_counter()
        pages, scripts = describe_site(SAMPLE / "docs", plain)
        result = protect_site(plain, work / "served" / "acme", readers, practice_name="Bench",
                              page_paths=pages, engine_scripts=scripts)
        protect_seconds = time.perf_counter() - started
        print(f"plain {result.plain_bytes:,} B, protected {result.protected_bytes:,} B")
        print(f"mkdocs build {build_seconds:.2f} s (subprocess), protect {protect_seconds:.3f} s")
        handler = functools.partial(_Quiet, directory=str(work / "served"))
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/acme/"
        with sync_playwright() as playwright:
            executable = shutil.which("chromium")
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            typed, hurried = [], []
            for _ in range(ROUNDS):
                for typing, into in ((TYPING_SECONDS, typed), (0.0, hurried)):
                    context = browser.new_context()
                    into.append(_unlock_seconds(context.new_page(), url, typing))
                    context.close()
            page = browser.new_context().new_page()
            page.goto(url)
            raw = base64.urlsafe_b64encode(result.content_key).decode().rstrip("=")
            html = [f.path for f in result.files if f.path.endswith(".html")]
            times = page.evaluate(DECRYPT_PAGES, [url + "_portico/crypto.js", url, raw, html])
            browser.close()
        httpd.shutdown()
        print(f"Enter → portal shown, reader typed for {TYPING_SECONDS:.0f} s: median "
              f"{statistics.median(typed):.3f} s, min {min(typed):.3f}, max {max(typed):.3f} "
              f"over {ROUNDS} fresh profiles (budget 0.6 s)")
        print(f"Enter → portal shown, Enter at once: median {statistics.median(hurried):.3f} s, "
              f"min {min(hurried):.3f}, max {max(hurried):.3f} (budget 1.5 s)")
        print(f"page decryption: max {max(times):.1f} ms over {len(times)} pages (budget 50 ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
