"""Attachments that stream (issue 22, item 4): a large file is sealed in chunks, built and
verified a chunk at a time, and downloaded by the reader's browser as its service worker
decrypts it, chunk by chunk; a damaged or missing chunk fails the download.

The large attachment is generated here (seeded pseudo-random bytes, written a MiB at a
time) and never committed. 200 MB by default (the test takes about 10 s on the 2-core CI
machine); `PORTICO_BIG_ATTACHMENT_MB=1024` makes it 1 GB (about 30 s; benchmarks/RESULTS.md,
issue 22).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_support import PASSPHRASES, REPO, Portal, Server, unlock
from playwright.sync_api import Browser, Page, expect

from portico.protection.chunked import (
    CHUNK_AD,
    CHUNK_BYTES,
    INDEX_BYTES,
    SEALED_CHUNK_BYTES,
    chunk_ad,
    seal_stream,
)
from portico.protection.envelope import NONCE_BYTES, TAG_BYTES, new_content_key
from portico.protection.readers import Reader, add_reader
from portico.protection.verify import verify_roundtrip

BIG_MB = int(os.environ.get("PORTICO_BIG_ATTACHMENT_MB", "200"))
MEMORY_CEILING = 400 * 2**20
"""Issue 22's goal: a 1 GB attachment built and verified in at most 400 MB."""
SLUG = "bigfile"
PASSPHRASE = "quartz-meadow-signal-cedar-ember-drift"
NAME = "quarterly-export.bin"
BIG_PAGE = "risks/r-002/index.html"


def write_attachment(path: Path, size: int, seed: int = 22) -> str:
    """`size` seeded pseudo-random bytes at `path`, written a MiB at a time; their SHA-256."""
    rng = random.Random(seed)
    digest = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        for start in range(0, size, CHUNK_BYTES):
            block = rng.randbytes(min(CHUNK_BYTES, size - start))
            digest.update(block)
            handle.write(block)
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _practice(root: Path, size: int) -> str:
    """A practice whose one client links one attachment of `size` bytes; its SHA-256."""
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    client = root / "clients" / SLUG
    (client / "pages").mkdir(parents=True)
    (client / "client.yml").write_text(
        "name: Bigfile Holdings\nengagement:\n  start: 2026-01-05\n  phase: execution\n"
        "  summary: One very large attachment.\n", "utf-8")
    add_reader(client / "readers.yml", "demo", "Demo reader", PASSPHRASE)
    (client / "pages" / "exports.md").write_text(
        f"# Exports\n\nThe [quarterly export](../files/{NAME}).\n", "utf-8")
    return write_attachment(client / "files" / NAME, size)


def _download(page: Page, link: str, timeout: float = 30_000) -> tuple[Path | None, str | None]:
    """Click the link named `link` and wait for the download to end: (its file, failure)."""
    with page.expect_download(timeout=timeout) as started:
        page.get_by_role("link", name=link).click()
    download = started.value
    failure = download.failure()  # waits for the download to finish or fail
    return (None if failure else Path(download.path())), failure


def test_a_large_attachment_is_built_in_bounded_memory_and_downloads_whole(
        tmp_path: Path, server: Server, page: Page) -> None:
    started = time.monotonic()
    root = tmp_path / "practice"
    expected = _practice(root, BIG_MB * 2**20)
    written = time.monotonic()
    out = server.root / "big"
    build = subprocess.Popen(
        [sys.executable, "-m", "portico", "--root", str(root), "build", SLUG, "--out", str(out)],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PORTICO_CHROMIUM": str(root / "no-chromium"), "GITHUB_ACTIONS": ""})
    # wait4: the largest resident size of the build and of every process it waited for
    _pid, status, usage = os.wait4(build.pid, 0)
    output = build.stdout.read() if build.stdout else ""
    built = time.monotonic()
    assert os.waitstatus_to_exitcode(status) == 0, output
    peak = usage.ru_maxrss * 1024
    assert peak < MEMORY_CEILING, f"the build peaked at {peak / 2**20:.0f} MB"
    blobs = sorted((out / SLUG / "_portico/b").iterdir(), key=lambda p: p.stat().st_size)
    assert blobs[-1].stat().st_size == BIG_MB * SEALED_CHUNK_BYTES  # sealed in chunks

    unlock(page, f"{server.origin}/big/{SLUG}/", PASSPHRASE)
    page.goto(f"{server.origin}/big/{SLUG}/pages/1/")
    file, failure = _download(page, "quarterly export", timeout=600_000)
    assert failure is None and file is not None
    assert _file_sha256(file) == expected
    print(f"{BIG_MB} MB attachment: written {written - started:.1f} s, built and verified "
          f"{built - written:.1f} s in {peak / 2**20:.0f} MB, downloaded and hashed "
          f"{time.monotonic() - built:.1f} s")


# --- damage, on a small portal of a six-chunk file -----------------------------------------

@pytest.fixture
def chunked(server: Server, plain_site: Path, readers: list[Reader],
            tmp_path: Path) -> tuple[Portal, str]:
    """The sample portal with a six-chunk attachment linked from its home page, and a page
    (R-002's) over the threshold too; the attachment's digest."""
    plain = tmp_path / "plain"
    shutil.copytree(plain_site, plain)
    digest = write_attachment(plain / "files" / NAME, 6 * CHUNK_BYTES - 1000)
    for page, extra in [("index.html", f'<p><a href="files/{NAME}">Quarterly export</a></p>'),
                        (BIG_PAGE, f'<p hidden>{"Padding of a very long page. " * 180_000}</p>')]:
        html = (plain / page).read_text("utf-8")
        (plain / page).write_text(html.replace("</article>", f"{extra}</article>", 1), "utf-8")
    portal = server.publish(f"chunked-{tmp_path.name}", plain, readers)
    assert verify_roundtrip(portal.site, portal.result) == len(portal.result.files)
    chunks = {f.path: f.chunks for f in portal.result.files}
    assert chunks[f"files/{NAME}"] == 6 and chunks[BIG_PAGE] == 5
    return portal, digest


def _damage(portal: Portal, change: str) -> None:
    blob = portal.blob_of(f"files/{NAME}")
    data = bytearray(blob.read_bytes())
    if change == "flip":
        data[3 * SEALED_CHUNK_BYTES + 100] ^= 0x01  # inside chunk 3
    elif change == "cut":
        del data[-SEALED_CHUNK_BYTES:]  # the last chunk, sealed "final", is gone
    blob.write_bytes(bytes(data))


def test_a_chunked_attachment_downloads_with_the_protective_headers(
        page: Page, chunked: tuple[Portal, str]) -> None:
    portal, digest = chunked
    unlock(page, portal.url, PASSPHRASES["dana"])
    headers = page.evaluate("""async (url) => {
        const response = await fetch(url);
        const body = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
        return { ...Object.fromEntries(response.headers),
                 sha256: Array.from(new Uint8Array(body),
                                    (b) => b.toString(16).padStart(2, "0")).join("") }; }""",
                            f"{portal.url}files/{NAME}")
    assert headers["sha256"] == digest
    assert headers["content-disposition"].startswith(f'attachment; filename="{NAME}"')
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert "sandbox" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    file, failure = _download(page, "Quarterly export")
    assert failure is None and file is not None and _file_sha256(file) == digest


@pytest.mark.parametrize("change", ["flip", "cut"])
def test_a_damaged_or_cut_chunked_download_fails(page: Page, chunked: tuple[Portal, str],
                                                 change: str) -> None:
    portal, digest = chunked
    _damage(portal, change)
    unlock(page, portal.url, PASSPHRASES["dana"])
    file, failure = _download(page, "Quarterly export")
    assert failure is not None and file is None, "the browser must not keep a partial file"
    # Read directly, the stream errors after the good chunks: no byte of chunk 3 comes out.
    got = page.evaluate("""async (url) => {
        const reader = (await fetch(url)).body.getReader();
        let length = 0;
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return { length, error: null };
            length += value.length;
          }
        } catch (error) { return { length, error: String(error) }; } }""",
                        f"{portal.url}files/{NAME}")
    assert got["error"] is not None
    assert got["length"] <= (3 if change == "flip" else 5) * CHUNK_BYTES


@pytest.mark.parametrize("workers", ["allow", "block"])
def test_a_page_over_the_threshold_opens_as_a_page(browser: Browser, chunked: tuple[Portal, str],
                                                   workers: str) -> None:
    """Sealed in chunks like an attachment, a very long page still opens as a portal page,
    through the worker or, without one, in place."""
    portal, _digest = chunked
    context = browser.new_context(service_workers=workers)
    page = context.new_page()
    unlock(page, portal.url, PASSPHRASES["dana"])
    page.locator(".md-nav__link", has_text="Risk register").first.click()
    page.get_by_role("link", name="R-002 Single maintainer of billing").first.click()
    expect(page.locator("article h1")).to_have_text("R-002 Single maintainer of billing")
    expect(page.locator("article p[hidden]")).to_have_count(1)
    context.close()


def test_without_service_workers_a_chunked_attachment_still_downloads(
        browser: Browser, chunked: tuple[Portal, str]) -> None:
    portal, digest = chunked
    context = browser.new_context(service_workers="block", accept_downloads=True)
    page = context.new_page()
    unlock(page, portal.url, PASSPHRASES["dana"])
    file, failure = _download(page, "Quarterly export")
    assert failure is None and file is not None and _file_sha256(file) == digest
    context.close()



AGREE = """async ([module, key, blob, size]) => {
  const c = await import(module);
  const bytes = c.fromB64url(blob);
  const contentKey = await c.importContentKey(c.fromB64url(key));
  const chunked = { chunk_bytes: c.CHUNK_BYTES, chunks: 3, size };
  const open = async (sealed, path = "files/1.bin") => {
    try {
      const stream = await c.openChunkedStream(contentKey, path, chunked,
                                               new Blob([sealed]).stream());
      const plain = await (await c.streamToBlob(stream)).arrayBuffer();
      return c.b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", plain)));
    } catch (error) {
      return error instanceof c.IntegrityError ? "IntegrityError" : String(error);
    }
  };
  const n = c.SEALED_CHUNK_BYTES;
  const [a, b, last] = [bytes.slice(0, n), bytes.slice(n, 2 * n), bytes.slice(2 * n)];
  return {
    constants: [c.CHUNK_BYTES, c.SEALED_CHUNK_BYTES, c.NONCE_BYTES, c.TAG_BYTES,
                c.INDEX_BYTES, c.b64url(c.CHUNK_AD)],
    ads: [c.b64url(c.chunkAd("files/é 1.bin", 7, false)),
          c.b64url(c.chunkAd("files/é 1.bin", 258, true))],
    whole: await open(bytes),
    reordered: await open(new Blob([b, a, last])),
    cut: await open(new Blob([a, b])),
    moved: await open(bytes, "files/2.bin"),
  };
}"""


def test_webcrypto_agrees_with_python_on_a_chunked_file(page: Page,
                                                        chunked: tuple[Portal, str]) -> None:
    """Python seals, the browser's crypto.js opens: the same constants, the same associated
    data, and the same refusals (chunks reordered, cut off, or opened at another path)."""
    portal, _digest = chunked
    key = new_content_key()
    data = random.Random(5).randbytes(2 * CHUNK_BYTES + 4321)
    sink = io.BytesIO()
    seal_stream(key, "files/1.bin", io.BytesIO(data), sink)
    page.goto(portal.url + "_portico/envelope.json")  # any page of the origin will do
    b64 = lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("=")  # noqa: E731
    got = page.evaluate(AGREE, [portal.url + "_portico/crypto.js", b64(key),
                                b64(sink.getvalue()), len(data)])
    assert got["constants"] == [CHUNK_BYTES, SEALED_CHUNK_BYTES, NONCE_BYTES, TAG_BYTES,
                                INDEX_BYTES, b64(CHUNK_AD)]
    assert got["ads"] == [b64(chunk_ad("files/é 1.bin", 7, False)),
                          b64(chunk_ad("files/é 1.bin", 258, True))]
    assert got["whole"] == b64(hashlib.sha256(data).digest())
    assert got["reordered"] == got["cut"] == got["moved"] == "IntegrityError"
