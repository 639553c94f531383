"""A build of many portals: which to build, in parallel, under one lock on the site root;
then pruning what no client has any more.

Each portal goes through `pipeline.build_portal` in a freshly forked worker (workers.py):
the engine's imports are paid once in the parent, and no state can pass from one portal
to the next.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from portico.content.errors import PorticoError, os_problem
from portico.delivery.pipeline import ClientBuild, Events
from portico.delivery.workdir import sweep_plain

if TYPE_CHECKING:
    from portico.delivery.cache import BuildCache

__all__ = ["BuildReport", "PortalUnit", "build_portals", "portal_units", "prepare_site_root"]


@dataclass
class BuildReport:
    """A whole run: each client's result, portals removed, and why the cache was not used."""

    results: list[ClientBuild]
    removed: list[str] = field(default_factory=list)
    cache_note: str = ""
    practice_note: str = ""  # why the practice portal (site/_practice/) was not built

    @property
    def failed(self) -> list[ClientBuild]:
        """Clients whose build failed (their previous portal is untouched)."""
        return [r for r in self.results if not r.ok]


def build_portals(root: Path, slugs: Sequence[str], site_root: Path, *, jobs: int | None = None,
                  force: bool = False, prune: bool = False, today: dt.date | None = None,
                  on_done: Callable[[ClientBuild], None] | None = None,
                  on_event: Events | None = None, engine: str | None = None,
                  practice: bool = False,
                  on_start: Callable[[list[str]], None] | None = None) -> BuildReport:
    """Build the portals whose inputs changed, in parallel, each in a freshly forked worker.

    The unit of work is a portal: a client, or one of its views (client.yml `views:`,
    portal.audience). An unchanged client (same inputs key, portals on disk as built and
    verified) is skipped unless `force`, without starting a worker; a changed client's view
    whose rendered docs are unchanged is skipped after its render (cache.docs_key). With
    `prune`, portals of clients (and views) no longer in the repository are removed.
    `engine`: one of engine.build.ENGINES; default, mkdocs.yml's `extra.portico.engine`,
    else mkdocs. `practice`: also the practice portal (site/_practice/, practice_portal),
    from every client in `slugs`, when practice/readers.yml has readers. `on_start`: called
    with the portals' folder names before any is built or skipped.
    """
    from portico.delivery.cache import BuildCache, input_keys
    from portico.delivery.stamps import portal_stamps
    from portico.delivery.verify_record import verified_portals

    today = today or dt.date.today()
    cache = BuildCache.open(root)  # the one read of the cache this build
    # Only a portal the cache knows can be kept (cache.fresh) or built partly (cache.docs):
    # those of these clients are stamped, on a second core, while the inputs are.
    asked = set(slugs)
    known = [] if force else sorted(portal for portal in cache.clients
                                    if portal.split("--", 1)[0] in asked)
    stamped, (shared, keys, engine) = portal_stamps(
        [site_root / portal for portal in known],
        lambda: input_keys(root, slugs, today, engine, cache))
    stamps = {portal: stamped[site_root / portal] for portal in known}
    units = [unit for slug in slugs for unit in portal_units(root, slug, cache)]
    if on_start:
        on_start([unit.portal for unit in units])
    report = BuildReport([], cache_note=cache.discarded)
    todo: list[PortalUnit] = []
    previous: dict[str, str] = {}
    # A portal is trusted as verified from its stamp (one stat per file), read only if the
    # stamp moved since verify: see verify_record.verified_portals.
    verified = set() if force else verified_portals(site_root, stamps)
    for unit in units:
        portal = site_root / unit.portal
        if unit.portal in verified and cache.fresh(unit.portal, keys[unit.slug], portal,
                                                   stamps[unit.portal]):
            report.results.append(ClientBuild(unit.portal, True, skipped=True))
            if on_done:
                on_done(report.results[-1])
            continue
        if unit.portal in verified:
            previous[unit.portal] = cache.docs(unit.portal, portal, stamps[unit.portal])
        todo.append(unit)
    slug_of = {unit.portal: unit.slug for unit in units}

    def finished(result: ClientBuild) -> None:
        if result.ok:
            cache.record(result.slug, keys[slug_of[result.slug]], site_root / result.slug,
                         result.docs_key, result.stamp)
        report.results.append(result)
        if on_done:
            on_done(result)

    with _site_lock(site_root):
        sweep_plain(root, slugs)
        _sweep_stale(site_root, [unit.portal for unit in todo])
        if todo:  # (multiprocessing and the engine only when there is a build to run)
            from portico.delivery.workers import run_workers

            run_workers(root, todo, site_root, jobs, today, finished, on_event, engine,
                        previous, shared)
        keep = {unit.portal for unit in units}
        if practice:
            from portico.practice_portal.build import practice_unit

            ours, report.practice_note = practice_unit(root, site_root, today=today,
                                                       engine=engine, cache=cache,
                                                       shared=shared, keys=keys, force=force)
            if ours is not None:
                report.results.append(ours)
                keep.add(ours.slug)
                if on_done:
                    on_done(ours)
        else:
            keep.add("_practice")  # not this run's to judge
    if prune:
        report.removed = _prune(root, site_root, keep)
        for slug in report.removed:
            cache.forget(slug)
    cache.save()
    return report


@dataclass(frozen=True)
class PortalUnit:
    """One portal to build: a client, or one of its views, and its folder name."""

    slug: str
    view: str | None
    portal: str


def portal_units(root: Path, slug: str, cache: BuildCache | None = None) -> list[PortalUnit]:
    """The portals of a client: one per view (the default first), or one when it has none.

    Reads only client.yml's `views:`; a client.yml that does not load gives one unit, whose
    build reports why. `cache`: a build's cache, which keeps them while the client's folder
    is unchanged (cache.input_keys ran first)."""
    recorded = cache.units(slug) if cache is not None else None
    if recorded is not None:
        return [PortalUnit(slug, view, portal) for view, portal in recorded]
    units = _read_units(root, slug)
    if cache is not None:
        cache.keep_units(slug, [(unit.view, unit.portal) for unit in units])
    return units


def _read_units(root: Path, slug: str) -> list[PortalUnit]:
    import yaml

    from portico.content.model import Client
    from portico.portal.audience import client_views, portal_name

    try:
        text = (root / "clients" / slug / "client.yml").read_text(encoding="utf-8")
        client = Client.model_validate(yaml.safe_load(text))
    except Exception:  # noqa: BLE001 (the build itself reports every problem, at its line)
        return [PortalUnit(slug, None, slug)]
    return [PortalUnit(slug, view, portal_name(slug, view, client))
            for view in client_views(client)]


@contextlib.contextmanager
def _site_lock(site_root: Path) -> Iterator[None]:
    """One build at a time per site root; a second one says so instead of racing."""
    try:
        lock = open(site_root / ".portico-build.lock", "w")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise PorticoError(f"cannot write the site root: {os_problem(exc, site_root)}") from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PorticoError(f"another portico build is writing to {site_root}") from None
        yield


def _sweep_stale(site_root: Path, slugs: Sequence[str]) -> None:
    """Remove what a killed build of these clients left beside their portals (dot-folders)."""
    for slug in slugs:
        for stale in site_root.glob(f".{slug}.*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)


def _prune(root: Path, site_root: Path, keep: set[str]) -> list[str]:
    """Remove portals (folders holding Portico's envelope) of clients that no longer exist,
    and their kept plain builds."""
    removed: list[str] = []
    if not site_root.is_dir():
        return removed
    for folder in sorted(site_root.iterdir()):
        if folder.name.startswith(".") or folder.name in keep or not folder.is_dir():
            continue
        if (folder / "_portico" / "envelope.json").is_file():
            from portico.content.parsed import forget_parsed
            from portico.delivery.kept import forget
            from portico.protection.spare import spare_folder

            shutil.rmtree(folder)
            removed.append(folder.name)
            forget(root, folder.name)  # its kept plain build goes with it
            shutil.rmtree(spare_folder(site_root, folder.name), ignore_errors=True)
            forget_parsed(root, folder.name)  # and its client's kept reads
    return removed


_SITE_INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>Client portals</title></head>
<body><p>Client portals are reached through the link you were sent.</p></body></html>
"""


def prepare_site_root(site_root: Path) -> None:
    """Create the site root with a page that lists nothing and asks robots to stay away.

    Raises PorticoError if the site root cannot be written (read-only, full, not a folder).
    """
    try:
        _prepare_site_root(site_root)
    except OSError as exc:
        raise PorticoError(f"cannot write the site root: {os_problem(exc, site_root)}") from None


def _prepare_site_root(site_root: Path) -> None:
    site_root.mkdir(parents=True, exist_ok=True)
    for name, text in (("index.html", _SITE_INDEX), ("robots.txt", "User-agent: *\nDisallow: /\n"),
                       (".nojekyll", "")):
        path = site_root / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
