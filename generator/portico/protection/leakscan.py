"""The leak scan of a protected portal (ARCHITECTURE.md §5), as `build` runs it and
`portico verify` repeats it: the client's phrases and words, against what may be public.

The baseline, text that carries no client data and whose words are therefore no markers,
is Portico's own: the login shell as Portico renders it for this client (never as found in
the portal, where a leak may sit), Portico's browser assets, the engine's packaged assets,
and the folder names every portal has.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from portico.content import model as m
from portico.protection.forms import WORD
from portico.protection.markers import (
    ClientText,
    client_markers,
    client_text,
    client_words,
    forgotten_markers,
)
from portico.protection.protect import (
    ENVELOPE_PATH,
    MANIFEST_PATH,
    PORTICO_DIR,
    SERVICE_WORKER_PATH,
    login_shell,
    walk_files,
)
from portico.protection.verify import Leak, scan_for_leaks, words_in

__all__ = ["public_words", "scan_portal", "scan_practice_portal", "trusted_digests"]

_OWN_ASSETS = Path(__file__).parent / "assets"
_PUBLIC_WORDS_FORMAT = "portico-public-words 1"


def scan_portal(portal: Path, engagement: m.Engagement, practice_name: str, *,
                shells: Sequence[str] | None = None, sealed: Collection[str] = (),
                kept: Mapping[str, Path] | None = None,
                read: dict[str, str] | None = None,
                text: ClientText | None = None) -> list[Leak]:
    """Every leak of `engagement`'s text in the protected `portal`, phrases and single words.

    `shells` are the paths where the login shell stands (every HTML file, if not given);
    `sealed` the blobs proven to be ciphertext, whose bytes are not read; `kept`, the files
    the portal keeps from its last build (path in the portal → file on disk), scanned too.
    `read` gets the SHA-256 of each file read (verify.scan_for_leaks). `text`:
    `markers.client_text(engagement)`, if the caller took it already.
    """
    text = text or client_text(engagement)
    client = engagement.client
    shell = login_shell(practice_name, client.name if client.portal.show_name_on_login else None)
    if shells is None:
        shells = [rel for rel in walk_files(portal) if rel.endswith((".html", ".htm"))]
    public = public_words() | words_in(shell) | _section_words(shells)
    # What the client forgets (client.yml `forget:`) must not be in a public file either;
    # the decrypted files are searched for it by the round trip (verify.forgotten_in).
    forgotten = [f for f in forgotten_markers(engagement) if f.casefold() not in public
                 and f.casefold() not in shell.casefold()]
    return scan_for_leaks(portal, [*client_markers(engagement, baseline=[shell], text=text),
                                   *(f for f in forgotten if " " in f)],
                          words=[*client_words(engagement, public=public, text=text),
                                 *(f for f in forgotten if " " not in f)],
                          trusted=trusted_digests(), sealed=sealed, kept=kept, read=read)


def scan_practice_portal(portal: Path, engagements: Sequence[m.Engagement], practice_name: str,
                         *, label: str, shells: Sequence[str],
                         sealed: Collection[str] = ()) -> list[Leak]:
    """Every leak of any client's text in the protected practice portal (site/_practice/).

    That portal holds every client's content, internal items included, so none of it may
    be readable outside the ciphertext: every client's phrases and distinctive words are
    searched in every public file and path, as for the client's own portal. `label` is
    what its sign-in page calls it (protect's `client_label`)."""
    shell = login_shell(practice_name, None, label)
    public = public_words() | words_in(shell) | _section_words(shells)
    markers: list[str] = []
    words: list[str] = []
    for engagement in engagements:
        text = client_text(engagement)
        markers += client_markers(engagement, baseline=[shell], text=text)
        words += client_words(engagement, public=public, text=text)
    return scan_for_leaks(portal, markers, words=words, trusted=trusted_digests(),
                          sealed=sealed)


@functools.lru_cache(maxsize=1)
def trusted_digests() -> frozenset[str]:
    """Files that hold no client data: the engine's packaged assets and Portico's own."""
    from portico.engine.build import engine_asset_digests

    return engine_asset_digests() | frozenset(
        hashlib.sha256(p.read_bytes()).hexdigest() for p in _OWN_ASSETS.rglob("*") if p.is_file())


_public: frozenset[str] | None = None


def public_words(keep_in: Path | None = None) -> frozenset[str]:
    """Words of the public files that are the same whatever the client: the engine's packaged
    assets and Portico's own, their text and their paths, and Portico's file names.

    Read once per process. `keep_in`, a folder of the practice's private cache, keeps them
    between runs (reading and splitting 40,000 words of scripts costs 0.3 s a build), under
    the names, sizes and modification times of the files they come from."""
    global _public
    if _public is None:
        _public = (_kept_public_words(keep_in) if keep_in is not None
                   else _public_words(_public_files()))
    return _public


def _public_files() -> list[tuple[Path, str]]:
    """(file, its path as published) of every file whose words are public."""
    from portico.engine.build import engine_asset_folders

    folders = [*((folder, "assets") for folder in engine_asset_folders()),
               (_OWN_ASSETS, PORTICO_DIR)]
    return [(path, f"{prefix}/{path.relative_to(folder).as_posix()}")
            for folder, prefix in folders for path in sorted(folder.rglob("*")) if path.is_file()]


def _public_words(files: list[tuple[Path, str]]) -> frozenset[str]:
    words = words_in(f"{ENVELOPE_PATH} {MANIFEST_PATH} {SERVICE_WORKER_PATH}")
    for path, published in files:
        words |= words_in(path.read_bytes().decode("utf-8", "replace"))
        words |= words_in(published)
    return frozenset(words)


def _kept_public_words(folder: Path) -> frozenset[str]:
    """`_public_words`, from `folder` when the files they come from are as they were."""
    files = _public_files()
    sources = hashlib.sha256(f"{_PUBLIC_WORDS_FORMAT} {WORD.pattern} {ENVELOPE_PATH} "
                             f"{MANIFEST_PATH} {SERVICE_WORKER_PATH}\0".encode())
    for path, _ in files:
        stat = path.stat()
        sources.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    key = sources.hexdigest()
    kept = folder / "public-words.json"
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        found = json.loads(kept.read_bytes())
        if found["sources"] == key:
            return frozenset(str(word) for word in found["words"])
    words = _public_words(files)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f".public-words.{os.getpid()}.part"
        part.write_text(json.dumps({"sources": key, "words": sorted(words)}), "utf-8")
        os.replace(part, kept)
    return words


def _section_words(shells: Sequence[str]) -> set[str]:
    """Words of the paths render gives every portal: its section folders (roadmap/, risks/ ...)
    and the practice's shared pages (practice/how-we-work/). The rest of a page's path is ids,
    dates and numbers (§5, vector 7), and stays scanned."""
    fixed = {rel if rel.startswith("practice/") else rel.split("/", 1)[0] for rel in shells}
    return words_in("\n".join(sorted(fixed)))
