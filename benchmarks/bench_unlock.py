"""Protection's costs on the sample portal, against the budgets of issue 4.

Run: `python benchmarks/bench_unlock.py`. Prints the plain and protected sizes, the
build and protect times, the unlock time in headless Chromium (key derivation, service
worker start and the reload through it) and the decryption time of each page.
"""

from __future__ import annotations

import functools
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "browser"))

from browser_support import CHROMIUM_ARGS, PASSPHRASES, build_plain_site  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from portico.protect import protect_site  # noqa: E402
from portico.readers import add_reader, load_readers  # noqa: E402

DECRYPT_PAGES = """async ([module, root, paths]) => {
  const c = await import(module);
  const raw = JSON.parse(sessionStorage.getItem(`portico:key:${new URL(root).pathname}`)).key;
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


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="portico-bench-"))
    try:
        started = time.perf_counter()
        plain = build_plain_site(work / "plain")
        build_seconds = time.perf_counter() - started
        add_reader(work / "readers.yml", "dana", "Dana", PASSPHRASES["dana"])
        readers = load_readers(work / "readers.yml")
        started = time.perf_counter()
        result = protect_site(plain, work / "served" / "acme", readers, practice_name="Bench")
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
            unlocks = []
            for _ in range(3):
                page = browser.new_context().new_page()
                page.goto(url)
                field = page.get_by_label("Passphrase")
                field.fill(PASSPHRASES["dana"])
                started = time.perf_counter()
                field.press("Enter")
                page.locator(".portico-logout").wait_for()
                unlocks.append(time.perf_counter() - started)
            pages = [f.path for f in result.files if f.path.endswith(".html")]
            times = page.evaluate(DECRYPT_PAGES, [url + "_portico/crypto.js", url, pages])
            browser.close()
        httpd.shutdown()
        print(f"unlock to portal shown: median {statistics.median(unlocks):.2f} s (budget 1.5 s)")
        print(f"page decryption: max {max(times):.1f} ms over {len(times)} pages (budget 50 ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
