"""One client through the whole pipeline: load → render → build → protect → verify → swap.

`delivery.run.build_portals` decides which portals to build and runs them in parallel, each
through `build_portal` in a freshly forked worker (workers.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from portico.content.errors import ContentError, PorticoError, Problem, os_problem
from portico.content.practice import practice_name, source_commit
from portico.delivery.cache import CACHE_DIR
from portico.delivery.swap import replace_directory
from portico.delivery.workdir import plain_folder

if TYPE_CHECKING:
    from portico.content.model import Practice
    from portico.engine.aside import EngineAside


@dataclass
class ClientBuild:
    """How one client's build went: pages, seconds, and every problem when it failed."""

    slug: str
    ok: bool
    pages: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    message: str = ""
    plain_bytes: int = 0
    protected_bytes: int = 0
    skipped: bool = False  # inputs unchanged since the portal on disk was built
    warnings: list[str] = field(default_factory=list)  # built, but something was left out
    docs_key: str = ""  # what the view's rendered docs hashed to (cache.docs_key)
    stamp: str = ""  # the portal's stat stamp once published (stamps.portal_stamp)


Events = Callable[[str, str], None]  # (slug, stage) as a build progresses


def build_portal(root: Path, slug: str, site_root: Path, *, today: dt.date | None = None,
                 on_event: Events | None = None, engine: str = "mkdocs",
                 view: str | None = None, previous: str = "", portal: str = "",
                 shared: str = "", engine_aside: bool = False) -> ClientBuild:
    """Build, protect and verify one client (one of its views) into `site_root/slug` (or
    `site_root/<slug>--<view>`, portal.audience), atomically.

    `portal`: the portal's folder name, for the report (default: `slug`). `shared`: the
    shared inputs' key (cache.shared_key), part of the docs key. `engine_aside`: warm the
    engine in a forked child while the content is loaded and rendered (engine.aside), for a
    process that has not warmed it (a build of one portal).
    `previous`: the docs key (cache.docs_key) of the view's portal on disk, when that
    portal is as it was built; a render that hashes to it skips the engine (`skipped`).
    On any failure the previous portal stays exactly as it was and the result says why.
    """
    started = time.perf_counter()
    name = portal or slug
    try:
        result = _build(root, slug, site_root, today or dt.date.today(),
                        on_event or (lambda _slug, _stage: None), engine, view, previous,
                        name, shared, engine_aside)
    except ContentError as exc:
        return ClientBuild(name, False, problems=exc.problems,
                           seconds=time.perf_counter() - started)
    except PorticoError as exc:
        return ClientBuild(name, False, message=str(exc), seconds=time.perf_counter() - started)
    except OSError as exc:  # the machine, not Portico: a full disk, a read-only folder
        return ClientBuild(name, False, message=f"{os_problem(exc, site_root)}; nothing of "
                           f"{name} was published", seconds=time.perf_counter() - started)
    except Exception:  # a bug: report it with its traceback, let the other clients build
        return ClientBuild(name, False, message="internal error (a bug in Portico, please "
                           "report it):\n" + traceback.format_exc(),
                           seconds=time.perf_counter() - started)
    result.seconds = time.perf_counter() - started
    return result


def _build(root: Path, slug: str, site_root: Path, today: dt.date, event: Events,
           engine: str = "mkdocs", view: str | None = None, previous: str = "",
           portal: str = "", shared: str = "", engine_aside: bool = False) -> ClientBuild:
    if engine_aside and engine != "zensical":
        from portico.engine.aside import EngineAside

        # Started first: its child warms the engine while this process loads and renders.
        with contextlib.closing(EngineAside(root / "mkdocs.yml", engine)) as aside:
            return _load_and_build(root, slug, site_root, today, event, engine, view,
                                   previous, portal, shared, aside)
    return _load_and_build(root, slug, site_root, today, event, engine, view, previous,
                           portal, shared, None)


def _load_and_build(root: Path, slug: str, site_root: Path, today: dt.date, event: Events,
                    engine: str, view: str | None, previous: str, portal: str, shared: str,
                    aside: EngineAside | None) -> ClientBuild:
    from portico.content.load import load_portal_inputs

    event(portal or slug, "loading")
    # The shared key vouches for the generator and pydantic: a large file unchanged since
    # a build under the same key is not parsed again (content.parsed).
    practice = load_portal_inputs(root, slug, version=shared)
    client = practice.clients[0].client
    if view is not None and view not in client.views:
        raise PorticoError(f"{slug}: no view {view!r} in client.yml (views: "
                           f"{', '.join(client.views) or 'none'})")
    site_root.mkdir(parents=True, exist_ok=True)
    # Plain text (past commits' files, docs tree, plain site) lives in the practice's
    # private cache folder (workdir.py), never the system temp folder nor under site/: a
    # build killed half-way leaves nothing readable under site/, and the next build sweeps
    # it. Only the protected portal is assembled beside its target, for the atomic swap.
    with plain_folder(root, slug) as plain:
        return _build_in(root, slug, site_root, today, event, engine, practice, plain, view,
                         previous, shared, aside)


def _build_in(root: Path, slug: str, site_root: Path, today: dt.date, event: Events,
              engine: str, practice: Practice, plain: Path, view: str | None = None,
              previous: str = "", shared: str = "", aside: EngineAside | None = None
              ) -> ClientBuild:
    from portico.content.check import check_engagement
    from portico.content.history import read_history
    from portico.delivery.cache import docs_key
    from portico.delivery.forked import forked
    from portico.delivery.kept import (
        PACK,
        PRINTS,
        commit,
        discard,
        forget,
        frame_key,
        give_back,
        kept_pack,
        kept_prints,
        stage,
        take,
    )
    from portico.delivery.stamps import settled_clock
    from portico.delivery.verify_record import RECORD, record_verified
    from portico.engine.build import build_site
    from portico.engine.pdf import PrintJob, find_chromium, print_pages
    from portico.engine.reprint import Reprints
    from portico.portal.audience import engagement_for_view, portal_name
    from portico.portal.changes import attach
    from portico.portal.render import render_portal
    from portico.protection.gzip_pack import GzipPack
    from portico.protection.leakscan import scan_portal
    from portico.protection.markers import (
        ClientText,
        client_text,
        forgotten_markers,
        view_markers,
    )
    from portico.protection.protect import (
        BLOB_DIR,
        MANIFEST_PATH,
        PORTICO_DIR,
        SERVICE_WORKER_PATH,
        protect_site,
    )
    from portico.protection.readers import load_readers, readers_for_view
    from portico.protection.spare import SpareFiles, spare_folder
    from portico.protection.verify import Leak, verify_roundtrip

    full = practice.clients[0]
    name = portal_name(slug, view, full.client)
    # Checked before the history is attached: git history only ever gives warnings (a
    # written trend it contradicts), which `portico check` reports and a build does not.
    errors = [p for p in check_engagement(full, root, today=today) if p.severity == "error"]
    if errors:
        raise ContentError(errors)
    history = read_history(root, slug, today,
                           cache_file=root / CACHE_DIR / "history" / f"{name}.json",
                           scratch=plain / "history")
    attach(full, history)
    if view is not None:
        # Every past state is seen through the view too (What's new, old board packs).
        spec = full.client.views[view]
        history.view = lambda past: engagement_for_view(past, view, spec)
    engagement = engagement_for_view(full, view)
    notes = ["the repository is a shallow clone, so its history is cut short: What's new "
             "and the board packs miss older commits (in CI, check out with fetch-depth: 0)"
             ] if history.shallow else []
    readers_file = full.root / "readers.yml"
    readers = readers_for_view(load_readers(readers_file), view, full.client.default_view)
    if not readers:
        whom = f" of view {view}" if view is not None else ""
        flag = f" --view {view}" if view is not None else ""
        raise ContentError.at(f"clients/{slug}/readers.yml", 0,
                              f"no readers{whom}: nobody could open this portal; add one "
                              f"with `portico reader add {slug} READER_ID{flag} --label "
                              f"\"Name, role\"`")
    work = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=site_root))
    staging: Path | None = None
    try:
        event(name, "rendering")
        chromium = find_chromium()
        keeps = engine != "zensical"  # MkDocs and ProperDocs can build partly
        last = take(root, name, plain / "render" / "docs") if keeps else None
        rendered = render_portal(engagement, practice, plain / "render", today=today,
                                 commit=source_commit(root), pdfs=chromium is not None,
                                 template_cache=root / CACHE_DIR / "page-templates")
        # Docs that changed since the kept render of the portal on disk cannot hash to its
        # docs key: the engine, warmed aside, starts on them while the key is taken here.
        moved = bool(aside is not None and previous and last is not None
                     and last.docs_key == previous and rendered.changed)
        if not moved:
            key = docs_key(plain / "render", readers, view, full.client, shared)
            if previous and key == previous:
                # Its own inputs are unchanged (an edit elsewhere in the client, outside
                # this view): the portal on disk is what this build would make, bar the
                # fresh key.
                if last is not None and last.docs_key == key and not rendered.changed:
                    give_back(root, name, rendered.docs_dir, last)
                return ClientBuild(name, True, skipped=True, docs_key=key)
        event(name, "building")
        # The portal on disk is the one its kept build made (the docs key it recorded):
        # only the pages this edit touched are rendered again (delivery.kept).
        frame = frame_key(plain / "render", rendered.files,
                          f"{shared} pdfs={chromium is not None}", view)
        kept = last.usable(previous, frame, rendered.changed) if last is not None else None
        templates = root / CACHE_DIR / "templates"
        text: ClientText | None = None  # the leak scan's strings of the client's sources
        if aside is not None:
            aside.start(rendered.config_file, template_cache=templates,
                        origins=rendered.origins, sources=rendered.sources, kept=kept)
            # While the engine builds: what does not wait for its site.
            if moved:
                key = docs_key(plain / "render", readers, view, full.client, shared)
            text = client_text(full)
            built = aside.result()
        else:
            built = build_site(rendered.config_file, template_cache=templates, engine=engine,
                               origins=rendered.origins, sources=rendered.sources, kept=kept)
        if rendered.prints and chromium is not None:
            event(name, "printing")
        # A PDF whose page and files are as they were is taken from the last build, when
        # the portal on disk is that build's (`--force` prints every one afresh).
        reprints = Reprints(kept_prints(root, name) if last is not None and previous
                            and last.docs_key == previous else None,
                            plain / PRINTS) if keeps else None
        warnings = print_pages(built.site_dir, [
            PrintJob(f"{job.page.removesuffix('.md')}/index.html",
                     f"{job.page.removesuffix('.md')}/{job.pdf}", job.css)
            for job in rendered.prints], chromium=chromium, reprints=reprints) + notes
        event(name, "protecting")
        client = engagement.client
        shown_name = practice_name(root)
        packing = (GzipPack(kept_pack(root, name), plain / PACK) if keeps
                   else contextlib.nullcontext(None))
        spare = SpareFiles(spare_folder(site_root, name))
        with packing as pack:
            protected = protect_site(
                built.site_dir, work / "portal", readers,
                practice_name=shown_name,
                client_name=client.name if client.portal.show_name_on_login else None,
                page_paths=built.page_paths,
                engine_scripts=built.engine_scripts,
                gzip_pack=pack,
                outer_on_disk=last.outer_on_disk(previous) if last is not None else "",
                spare=spare,
            )
        forgotten = forgotten_markers(full)  # history is read by now; plain goes next
        outside = view_markers(full, engagement)  # what only items outside the view write
        staging = (stage(root, name, rendered.docs_dir, built.site_dir, frame, key,
                         plain / PACK, protected.outer, plain / PRINTS) if keeps else None)
        shutil.rmtree(plain)
        event(name, "verifying")
        # A build that keeps the portal's shells and public files (the same pages as the
        # portal on disk: protect's `outer`) made only `_portico/`, and swaps it in alone.
        live = site_root / name
        kept_files = {rel: live / rel for rel in [*protected.shells, *protected.public,
                                                   SERVICE_WORKER_PATH]
                      } if protected.outer_kept else None
        # The leak scan reads the published bytes in a child process while the round trip
        # decrypts: one each core. The round trip proves every blob is sealed (the scan
        # reads only their paths, so its result counts only once that passed), and that no
        # decrypted file holds what the client forgets (client.yml `forget:`) nor what only
        # items outside this view write, which only the plaintext can show.
        # Both note the digest of each file they read, which the verify record takes for
        # the files unchanged since `since` instead of reading the whole portal again.
        since = settled_clock(site_root / RECORD.parent)
        read: dict[str, str] = {}

        def scan() -> tuple[list[Leak], dict[str, str]]:
            scanned: dict[str, str] = {}
            return scan_portal(work / "portal", full, shown_name, shells=protected.shells,
                               sealed={f.blob for f in protected.files} | {MANIFEST_PATH},
                               kept=kept_files, read=scanned, text=text), scanned

        with forked(scan) as scanning:
            verify_roundtrip(work / "portal", protected, forgotten=forgotten, outside=outside,
                             shells_in=live if protected.outer_kept else None, read=read)
            leaks, scanned = scanning.result()
        read.update(scanned)
        if leaks:
            shown = "; ".join(str(leak) for leak in leaks[:5])
            raise PorticoError(f"{name}: client text found in the protected portal, nothing "
                               f"published: {shown}")
        # The replaced portal's blob files are written over by the next build (spare.py).
        if protected.outer_kept:
            replace_directory(work / "portal" / PORTICO_DIR, live / PORTICO_DIR,
                              lambda old: spare.keep(old / Path(BLOB_DIR).name))
        else:
            replace_directory(work / "portal", live, lambda old: spare.keep(old / BLOB_DIR))
        stamp = record_verified(site_root, name, readers=[reader.id for reader in readers],
                                read=read, since=since)
        if staging is not None:
            commit(root, name, staging)
            staging = None
        else:
            forget(root, name)
        return ClientBuild(name, True, pages=built.pages, plain_bytes=protected.plain_bytes,
                           protected_bytes=protected.protected_bytes, warnings=warnings,
                           docs_key=key, stamp=stamp)
    finally:
        discard(staging)
        shutil.rmtree(work, ignore_errors=True)
