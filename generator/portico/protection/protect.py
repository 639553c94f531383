"""Site folder → protected site folder. Knows nothing of the engine that made the site.

On-disk scheme of a protected portal (`out/`):

- `<page>.html` for every HTML file of the plain site, at the same path: the login
  shell (protection/shell.html), identical for every page but for its relative root,
  so a deep link asks for the passphrase and then shows that page.
- The theme's own assets (`public_globs`, default Material's `assets/javascripts/`,
  `assets/stylesheets/`, `assets/fonts/`) copied unchanged: they carry no client data.
- `_portico/b/<32 random hex>`: one sealed blob per protected file (every HTML page,
  the search index, sitemaps, images, attachments, client CSS/JS, everything not
  public). Blob names are random per build, so no protected file's name or folder
  appears in the output; only HTML paths show, as shells, and those the plain site's
  URLs already are.
- `_portico/manifest.bin`: a sealed JSON object: `files`, logical path → {blob, type,
  attachment, and for a chunked file `chunked`: {chunk_bytes, chunks, size}}, and
  `scripts`, the CSP hash sources of the engine's own inline scripts (the only inline
  scripts a decrypted page may run; never taken from a page's body), and
  `script_folders`, the public folders its script files may come from.
- `_portico/envelope.json`: public; the content key wrapped for each reader (envelope.py).
- `_portico/*.js|css`: the browser side (assets/), and `portico-sw.js` at the root, the
  service worker, which must sit at the portal root for its scope to cover the portal.

Everything outside `_portico/` (the shells, the public assets, the service worker) is the
same for every build of the same pages: `ProtectionResult.outer` digests it, and a build
whose outer digest is the one of the portal on disk writes only `_portico/`
(`protect_site`'s `outer_on_disk`), which the build then swaps in alone.

A file of up to CHUNKED_THRESHOLD (4 MiB) is one blob, `nonce || AES-256-GCM(pad(gzip(
file)))` with the file's logical path as associated data, so a blob served for another path
fails its integrity check (envelope.seal_file), padded to a size bucket. A larger file is
sealed in chunks as it is read from disk, never whole in memory, and not gzipped
(chunked.seal_stream): the blob is `n = ceil(size / CHUNK_BYTES)` sealed chunks, each
`nonce_i (12 random bytes) || AES-256-GCM(content_key, nonce_i, plain_i, ad_i)` with
`plain_i` CHUNK_BYTES (1 MiB) of the file (the last zero-padded to that) and
`ad_i = "portico/v1 chunk" || 0x00 || i (4 bytes, big-endian) || final (1 byte, 1 for the
last chunk) || path (UTF-8)`, so chunks cannot be reordered, dropped, swapped between files
or cut off the end. The manifest's `chunked` says how many chunks there are and how many
bytes of their plaintext are the file; the service worker streams it to the reader a chunk
at a time (assets/sw.js).
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import mimetypes
import secrets
import shutil
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

from portico.content.errors import BuildError
from portico.content.walk import walk
from portico.protection.chunked import CHUNK_BYTES
from portico.protection.envelope import (
    dumps,
    make_envelope,
    new_content_key,
    seal_file,
)
from portico.protection.gzip_pack import GzipPack
from portico.protection.readers import Reader
from portico.protection.sealing import SealJob, seal_files
from portico.protection.spare import SpareFiles

__all__ = ["ProtectedFile", "ProtectionResult", "THEME_ASSET_GLOBS", "login_shell",
           "protect_site"]

THEME_ASSET_GLOBS: tuple[str, ...] = (
    "assets/javascripts/*",
    "assets/stylesheets/*",
    "assets/fonts/*",
)
"""The engine's own static assets, public by default; `build` may pass its own list.
A glob's `*` crosses folders. HTML never stays public, whatever the globs say."""

PORTICO_DIR = "_portico"
BLOB_DIR = f"{PORTICO_DIR}/b"
MANIFEST_PATH = f"{PORTICO_DIR}/manifest.bin"
ENVELOPE_PATH = f"{PORTICO_DIR}/envelope.json"
SERVICE_WORKER_PATH = "portico-sw.js"
BROWSER_ASSETS = ("crypto.js", "session.js", "unlock.js", "portal.js", "shell.css", "portal.css")
SHELL_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'none'"
)
"""The shell's Content-Security-Policy: nothing but the portal's own origin."""

_HTML_SUFFIXES = {".html", ".htm"}
_INLINE_TYPES = ("text/", "image/", "font/", "audio/", "video/")
_INLINE_APPLICATION = {
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "application/wasm",
}
_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",  # the Meetings page's calendar file
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
    ".zip": "application/zip",
    # What common hosts (Apache, nginx, S3 and the static hosts) send where Python's table
    # has nothing or something else: the type a browser would act on.
    ".shtml": "text/html; charset=utf-8",
    ".shtm": "text/html; charset=utf-8",
    ".xht": "application/xhtml+xml",
    ".xhtml": "application/xhtml+xml",
    ".svgz": "image/svg+xml",
    ".xsl": "application/xslt+xml",
    ".xslt": "application/xslt+xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".mht": "multipart/related",
    ".mhtml": "multipart/related",
}
_ACTIVE_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "text/xsl",
    "application/xslt+xml",
    "multipart/related",
    "message/rfc822",
    "application/octet-stream",
}
"""Types a browser may render as a document that runs script, moves the reader or restyles
itself (HTML, XHTML, XML with an XSLT stylesheet, MHTML), and the unknown: downloads.
Decided by the media type a host would send, never by a list of suffixes: `.shtml` is
text/html like `.html`. SVG (image/svg+xml, `.svg` and `.svgz`) stays viewable, as an
image should, and the worker serves it sandboxed with `default-src 'none'` (FILE_CSP in
sw.js; tests/browser/test_attacks.py opens one): no script in it runs."""

_ASSETS = Path(__file__).parent / "assets"
_TEMPLATES = Path(__file__).parent


@dataclass(frozen=True)
class ProtectedFile:
    """One protected file: where its ciphertext lives and how to serve it once decrypted."""

    path: str
    """POSIX path in the portal (the associated data), e.g. `risks/index.html`."""
    blob: str
    """POSIX path of the sealed blob in the output, e.g. `_portico/b/3f…`."""
    media_type: str
    attachment: bool
    """Served with `Content-Disposition: attachment` under its real file name."""
    sha256: str
    """Hex digest of the plaintext, for `verify_roundtrip` once the plain site is gone."""
    size: int = 0
    """Bytes of plaintext."""
    chunks: int = 0
    """How many chunks the blob holds (chunked.py), or 0 for a blob sealed whole."""

    def manifest_entry(self) -> dict[str, Any]:
        """What the sealed manifest says of this file: everything a reader needs to open it."""
        entry: dict[str, Any] = {"blob": self.blob, "type": self.media_type,
                                 "attachment": self.attachment}
        if self.chunks:
            entry["chunked"] = {"chunk_bytes": CHUNK_BYTES, "chunks": self.chunks,
                                "size": self.size}
        return entry


@dataclass(frozen=True)
class ProtectionResult:
    """What `protect_site` made. Holds the build's content key, in memory only, for verify."""

    out: Path
    content_key: bytes = field(repr=False)
    files: tuple[ProtectedFile, ...]
    public: tuple[str, ...]
    """Paths copied unchanged (theme assets)."""
    shells: tuple[str, ...]
    """Paths where the login shell stands in for a page."""
    plain_bytes: int
    protected_bytes: int
    outer: str = ""
    """Digest of every file this build puts outside `_portico/`: names and bytes."""
    outer_kept: bool = False
    """Only `_portico/` was written: the portal on disk holds the rest, byte for byte."""


def protect_site(
    plain: Path,
    out: Path,
    readers: Sequence[Reader],
    *,
    practice_name: str,
    client_name: str | None = None,
    client_label: str | None = None,
    public_globs: Sequence[str] = THEME_ASSET_GLOBS,
    page_paths: Collection[str] | None = None,
    engine_scripts: Collection[str] = (),
    gzip_pack: GzipPack | None = None,
    outer_on_disk: str = "",
    spare: SpareFiles | None = None,
) -> ProtectionResult:
    """Encrypt the finished static site `plain` into `out` for `readers`.

    `out` must not exist or be empty. The shell shows `practice_name`, and `client_name`
    only when given (the client opted in); otherwise `client_label` or "Client portal".
    `page_paths` are the HTML files the engine made (None: every HTML file); any other
    HTML is an attachment, downloaded, never shown as a page. `engine_scripts`, CSP hash
    sources, are the only inline scripts decrypted pages may run (the build stage knows
    them; see `build.describe_site`). `gzip_pack`: the last build's compressed files, to
    compress only what changed (gzip_pack.py). `outer_on_disk`: the `outer` digest of the
    portal this build replaces; when this build's is the same, only `_portico/` is written
    to `out` (`outer_kept`), and the caller swaps that folder in alone. `spare`: files to
    write the blobs over instead of making new ones (spare.py).
    Raises BuildError if the plain site uses Portico's reserved names or `out` is not
    empty, and PorticoError if there is no reader.
    """
    if out.exists() and any(out.iterdir()):
        raise BuildError(f"{out}: output folder is not empty")
    sources = sorted(walk_files(plain))
    for rel in sources:
        if rel == SERVICE_WORKER_PATH or rel.startswith(PORTICO_DIR + "/"):
            raise BuildError(f"{plain / rel}: the site uses a name Portico reserves")
    public = [rel for rel in sources if PurePosixPath(rel).suffix.lower() not in _HTML_SUFFIXES
              and _is_public(rel, public_globs)]
    shown = set(public)
    shells = [rel for rel in sources if PurePosixPath(rel).suffix.lower() in _HTML_SUFFIXES]
    shell_of = {rel: login_shell(practice_name, client_name, client_label,
                                 root="../" * rel.count("/") or "./") for rel in shells}
    outer = _outer_digest(plain, public, shell_of)
    kept = bool(outer_on_disk) and outer == outer_on_disk
    content_key = new_content_key()
    blobs = {rel: f"{BLOB_DIR}/{secrets.token_hex(16)}" for rel in sources if rel not in shown}
    (out / BLOB_DIR).mkdir(parents=True, exist_ok=True)
    sealed = seal_files(content_key, [SealJob(rel, plain / rel, out / blob)
                                      for rel, blob in blobs.items()],
                        pack=gzip_pack, spare=spare)
    files: list[ProtectedFile] = []
    made: set[Path] = set()
    for rel in sources:
        if rel in shown:
            if not kept:
                _copy(plain / rel, out / rel)
            continue
        media_type = _media_type(rel)
        is_page = rel in shell_of and (page_paths is None or rel in page_paths)
        files.append(
            ProtectedFile(
                path=rel,
                blob=blobs[rel],
                media_type=media_type,
                attachment=not is_page and _is_attachment(media_type),
                sha256=sealed[rel].sha256,
                size=sealed[rel].size,
                chunks=sealed[rel].chunks,
            )
        )
        if not kept and rel in shell_of:
            _write(out / rel, shell_of[rel].encode("utf-8"), made)
    sealed_bytes = sum(s.blob_bytes for s in sealed.values())
    manifest = {
        "version": 1,
        "files": {f.path: f.manifest_entry() for f in files},
        "scripts": sorted(engine_scripts),
        "script_folders": _script_folders(public),
    }
    sealed_manifest = seal_file(content_key, MANIFEST_PATH, dumps(manifest))
    envelope = dumps(make_envelope(content_key, readers, MANIFEST_PATH))
    _write(out / MANIFEST_PATH, sealed_manifest)
    _write(out / ENVELOPE_PATH, envelope)
    for name in BROWSER_ASSETS:
        _copy(_ASSETS / name, out / PORTICO_DIR / name)
    if not kept:
        _copy(_ASSETS / "sw.js", out / SERVICE_WORKER_PATH)
    public_bytes = sum((plain / rel).stat().st_size for rel in public)
    return ProtectionResult(
        out=out,
        content_key=content_key,
        files=tuple(files),
        public=tuple(public),
        shells=tuple(shells),
        plain_bytes=sum(f.size for f in files) + public_bytes,
        protected_bytes=(sealed_bytes + len(sealed_manifest) + len(envelope)
                         + sum((_ASSETS / name).stat().st_size for name in BROWSER_ASSETS)
                         + sum(len(shell_of[rel].encode("utf-8")) for rel in shells)
                         + public_bytes + (_ASSETS / "sw.js").stat().st_size),
        outer=outer,
        outer_kept=kept,
    )


def _outer_digest(plain: Path, public: Sequence[str], shell_of: dict[str, str]) -> str:
    """What `protect_site` writes outside `_portico/`: each shell's path and text, each
    public file's path and bytes, and the service worker's bytes."""
    digest = hashlib.sha256(b"portico-outer 1\0")
    digest.update(hashlib.sha256((_ASSETS / "sw.js").read_bytes()).digest())
    texts: dict[str, bytes] = {}
    for rel in sorted(shell_of):
        text = shell_of[rel]
        if text not in texts:  # a few depths, thousands of pages
            texts[text] = hashlib.sha256(text.encode("utf-8")).digest()
        digest.update(f"shell {rel}\0".encode() + texts[text])
    for rel in sorted(public):
        with open(plain / rel, "rb") as handle:
            digest.update(f"public {rel}\0".encode()
                          + hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


@functools.lru_cache(maxsize=64)  # one per folder depth: thousands of pages share a few
def login_shell(practice_name: str, client_name: str | None = None,
                client_label: str | None = None, *, root: str = "./") -> str:
    """The login shell that stands at a page's path; `root` is the relative way to the portal
    root ("../../" for `risks/r-001/index.html`). The leak scan takes its words as public."""
    return _shell_template().render(root=root, csp=SHELL_CSP, practice_name=practice_name,
                                    client_name=client_name, client_label=client_label)


def walk_files(root: Path) -> list[str]:
    """Every regular file under `root`, as POSIX paths relative to it (unsorted)."""
    return [rel for rel, entry in walk(root) if entry.is_file()]


def _script_folders(public: Sequence[str]) -> list[str]:
    """Folders a decrypted page may load scripts from: the theme's public script folders
    and Portico's own. Never a folder of protected files: those hold client content."""
    folders = {f"{PORTICO_DIR}/"}
    for rel in public:
        path = PurePosixPath(rel)
        if path.suffix.lower() in {".js", ".mjs"}:  # a file at the root: that file alone
            folders.add(rel if path.parent == PurePosixPath(".") else f"{path.parent}/")
    return sorted(folders)


def _is_public(rel: str, globs: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(rel, pattern) for pattern in globs)


def _media_type(rel: str) -> str:
    suffix = PurePosixPath(rel).suffix.lower()
    if suffix in _MEDIA_TYPES:
        return _MEDIA_TYPES[suffix]
    guessed, _encoding = mimetypes.guess_type(rel, strict=False)
    return guessed or "application/octet-stream"


def _is_attachment(media_type: str) -> bool:
    """Whether a file that is not one of the engine's pages is served as a download: every
    active type (`_ACTIVE_TYPES`, any `+xml`), and whatever is not plainly inline."""
    essence = media_type.split(";")[0].strip().lower()
    if essence in _ACTIVE_TYPES or (essence.endswith(("+xml", "/xml"))
                                    and essence != "image/svg+xml"):
        return True
    return not (essence.startswith(_INLINE_TYPES) or essence in _INLINE_APPLICATION)


@functools.lru_cache(maxsize=1)
def _shell_template() -> Template:
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )
    return env.get_template("shell.html")


def _write(path: Path, data: bytes, made: set[Path] | None = None) -> None:
    if made is None or path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        if made is not None:
            made.add(path.parent)
    path.write_bytes(data)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
