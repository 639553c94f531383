"""The practice portal through the stages: load every client → status and benchmarks →
render → build → protect for the practice's readers → verify against every client's
markers → swap into `site/_practice/`.

`delivery.pipeline` runs `build_practice_portal` in a freshly forked worker, as it runs a
client's build: the engine's process-wide state never meets a client portal's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from portico.content.errors import ContentError, PorticoError, Problem

if TYPE_CHECKING:
    from portico.content.model import Practice
    from portico.delivery.cache import BuildCache
    from portico.delivery.pipeline import ClientBuild
    from portico.protection.readers import Reader

__all__ = ["PORTAL", "READERS", "build_in_fork", "build_practice_portal", "key_clashes",
           "practice_build", "practice_key", "practice_readers", "practice_unit"]

PORTAL = "_practice"
"""The portal's folder under the site root; no client slug starts with `_`."""
READERS = Path("practice") / "readers.yml"
"""The practice's readers, relative to the practice root; same format as a client's."""
LABEL = "Practice portal"
"""What the sign-in page says this portal is (no client is named there)."""


def practice_readers(root: Path) -> list[Reader]:
    """The readers of `practice/readers.yml` ([] when there is none); raises ContentError
    for a file that does not load or holds anything but public material."""
    if not (root / READERS).exists():
        return []  # without loading the readers' models: every build of every client asks
    from portico.protection.reader_hygiene import check_readers_file
    from portico.protection.readers import load_readers

    problems = check_readers_file(root / READERS, READERS.as_posix())
    if problems:
        raise ContentError(problems)
    return load_readers(root / READERS)


def key_clashes(root: Path, readers: Sequence[Reader]) -> list[Problem]:
    """A practice reader whose public key is also a client reader's (the same passphrase
    and salt, or an entry copied across): that client reader could open the practice
    portal. Each is an error at practice/readers.yml."""
    from portico.protection.readers import load_readers

    ours = {(r.x, r.y): r.id for r in readers}
    found = []
    for path in sorted((root / "clients").glob("*/readers.yml")):
        for other in load_readers(path):
            if (other.x, other.y) in ours:
                found.append(Problem(READERS.as_posix(), 0, f"reader {ours[other.x, other.y]} "
                                     f"has the key of reader {other.id} of "
                                     f"{path.relative_to(root).as_posix()}: a client's reader "
                                     "must never open the practice portal; remove it and add "
                                     "it again with `portico reader add --practice ID`"))
    return found


def practice_key(root: Path, shared: str, client_keys: Mapping[str, str]) -> str:
    """The practice portal's inputs: every client's inputs key (its folder, its history,
    the shared inputs and the date) and practice/readers.yml."""
    digest = hashlib.sha256(f"portico-practice {shared}".encode())
    for slug, key in sorted(client_keys.items()):
        digest.update(f"\0{slug} {key}".encode())
    readers = root / READERS
    digest.update(b"\0readers\0" + (readers.read_bytes() if readers.is_file() else b""))
    return digest.hexdigest()


def build_practice_portal(root: Path, site_root: Path, *, today: dt.date,
                          engine: str = "mkdocs") -> int:
    """Build, protect, verify and swap in `site_root/_practice`; returns its page count.

    Raises ContentError or PorticoError (nothing is swapped in then: the previous portal
    stays as it was). The caller checks first that the practice has readers."""
    from portico.content.load import load_practice
    from portico.delivery.workdir import plain_folder

    readers = practice_readers(root)
    clashes = key_clashes(root, readers)
    if clashes:
        raise ContentError(clashes)
    practice = load_practice(root)
    with plain_folder(root, PORTAL) as plain:
        return _build_in(practice, readers, site_root, plain, today, engine)


def _build_in(practice: Practice, readers: Sequence[Reader], site_root: Path, plain: Path,
              today: dt.date, engine: str) -> int:
    from portico.content.practice import practice_name
    from portico.delivery.cache import CACHE_DIR
    from portico.delivery.status import attach_histories, practice_status
    from portico.delivery.swap import replace_directory
    from portico.delivery.verify_record import record_verified
    from portico.engine.build import build_site
    from portico.practice_portal.benchmarks import benchmarks
    from portico.practice_portal.render import render_practice
    from portico.protection.leakscan import scan_practice_portal
    from portico.protection.markers import forgotten_markers
    from portico.protection.protect import MANIFEST_PATH, protect_site
    from portico.protection.verify import verify_roundtrip

    root = practice.root
    attach_histories(practice, today, plain / "history")
    lines = practice_status(practice, site_root, today)
    pages = render_practice(practice, lines, benchmarks(practice.clients, today),
                            plain / "render", today=today)
    built = build_site(pages.config_file, template_cache=root / CACHE_DIR / "templates",
                       engine=engine)
    name = practice_name(root)
    work = Path(tempfile.mkdtemp(prefix=f".{PORTAL}.", dir=site_root))
    try:
        protected = protect_site(built.site_dir, work / "portal", readers, practice_name=name,
                                 client_label=LABEL, page_paths=built.page_paths,
                                 engine_scripts=built.engine_scripts)
        shutil.rmtree(plain / "render")
        # What any client forgets (client.yml `forget:`) must not be in it, decrypted either.
        forgotten = [phrase for e in practice.clients for phrase in forgotten_markers(e)]
        verify_roundtrip(work / "portal", protected, forgotten=forgotten)
        leaks = scan_practice_portal(work / "portal", practice.clients, name,
                                     label=LABEL, shells=protected.shells,
                                     sealed={f.blob for f in protected.files} | {MANIFEST_PATH})
        if leaks:
            shown = "; ".join(str(leak) for leak in leaks[:5])
            raise PorticoError(f"{PORTAL}: client text found in the protected practice "
                               f"portal, nothing published: {shown}")
        replace_directory(work / "portal", site_root / PORTAL)
        record_verified(site_root, PORTAL, readers=[reader.id for reader in readers])
        return built.pages
    finally:
        shutil.rmtree(work, ignore_errors=True)


def practice_build(root: Path, site_root: Path, *, today: dt.date,
                   engine: str = "mkdocs") -> ClientBuild:
    """`build_practice_portal` as a build result: every failure reported, none raised (a
    bug with its traceback), like a client's (`pipeline.build_portal`)."""
    import time
    import traceback

    from portico.delivery.pipeline import ClientBuild

    started = time.perf_counter()
    try:
        pages = build_practice_portal(root, site_root, today=today, engine=engine)
    except ContentError as exc:
        return ClientBuild(PORTAL, False, problems=exc.problems,
                           seconds=time.perf_counter() - started)
    except (PorticoError, OSError) as exc:
        return ClientBuild(PORTAL, False, message=f"{exc}; the previous practice portal is "
                           "untouched", seconds=time.perf_counter() - started)
    except Exception:  # a bug: report it with its traceback
        return ClientBuild(PORTAL, False, message="internal error (a bug in Portico, please "
                           "report it):\n" + traceback.format_exc(),
                           seconds=time.perf_counter() - started)
    return ClientBuild(PORTAL, True, pages=pages, seconds=time.perf_counter() - started)


def build_in_fork(root: Path, site_root: Path, *, today: dt.date, engine: str) -> ClientBuild:
    """`practice_build` in a freshly forked process: nothing of the engine's state passes
    between this portal and any client's (ARCHITECTURE.md §3)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(1, maxtasksperchild=1) as pool:
        result: ClientBuild = pool.apply(practice_build, (root, site_root),
                                         {"today": today, "engine": engine})
        pool.close()
        pool.join()
    return result


def practice_unit(root: Path, site_root: Path, *, today: dt.date, engine: str, cache: BuildCache,
                  shared: str, keys: Mapping[str, str],
                  force: bool) -> tuple[ClientBuild | None, str]:
    """The practice portal as one more unit of a build of every client: built, kept as
    unchanged (cache: same `practice_key`, portal on disk as verified), or failed; or
    (None, why) when practice/readers.yml has no reader. `keys`: every client's inputs key.
    """
    from portico.delivery.pipeline import ClientBuild
    from portico.delivery.verify_record import is_verified

    try:
        readers = practice_readers(root)
    except ContentError as exc:
        return ClientBuild(PORTAL, False, problems=exc.problems), ""
    if not readers:
        return None, (f"no practice portal: {READERS.as_posix()} has no reader (add one with "
                      "`portico reader add --practice ID`)")
    key = practice_key(root, shared, keys)
    if not force and cache.fresh(PORTAL, key, site_root / PORTAL) \
            and is_verified(site_root, PORTAL):
        return ClientBuild(PORTAL, True, skipped=True), ""
    for stale in site_root.glob(f".{PORTAL}.*"):  # what a killed build left beside it
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
    result = build_in_fork(root, site_root, today=today, engine=engine)
    if result.ok:
        cache.record(PORTAL, key, site_root / PORTAL)
    else:
        cache.forget(PORTAL)
    return result, ""
