"""The build's worker pool: each portal built in a freshly forked process.

The engine's imports and the leak scan's digests are paid once in the parent and
inherited by every fork; `maxtasksperchild=1` means no state passes from one portal to
the next. A worker watches the build's process and stops quietly when it is gone.
"""

from __future__ import annotations

import datetime as dt
import importlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from portico.delivery.pipeline import ClientBuild, Events
    from portico.delivery.run import PortalUnit

__all__ = ["run_workers"]

_STAGES = ("portico.content.check", "portico.content.history", "portico.delivery.cache",
           "portico.delivery.verify_record", "portico.engine.pdf", "portico.portal.audience",
           "portico.portal.changes", "portico.portal.render", "portico.protection.leakscan",
           "portico.protection.markers", "portico.protection.protect",
           "portico.protection.readers", "portico.protection.verify", "portico.sections")


def run_workers(root: Path, units: Sequence[PortalUnit], site_root: Path, jobs: int | None,
                today: dt.date, finished: Callable[[ClientBuild], None],
                on_event: Events | None, engine: str = "mkdocs",
                previous: dict[str, str] | None = None, shared: str = "") -> None:
    """Build `units` in a pool of `jobs` freshly forked workers, one portal each, calling
    `finished` with each result as it comes in and `on_event` with each stage."""
    if not units:
        return
    # One portal (an edit rebuilt): its worker warms the engine in a forked child while it
    # loads and renders (engine.aside), instead of waiting here for it first. Many: the
    # engine is warmed once here, and every worker inherits it.
    aside = len(units) == 1 and engine != "zensical"
    if engine == "properdocs" and not aside:
        from portico.engine.build import _use_properdocs

        _use_properdocs()  # before the engine's first import, so every fork inherits it
    if engine != "zensical" and not aside:
        import mkdocs.commands.build  # noqa: F401  (imported once here, inherited by every fork)
    _warm_up(root, engine, engine_too=not aside)

    jobs = max(1, min(jobs or os.cpu_count() or 1, len(units)))
    context = multiprocessing.get_context("fork")
    events = context.SimpleQueue()
    sender = _send_event if on_event else None  # tasks are pickled: a module-level function
    with context.Pool(jobs, maxtasksperchild=1, initializer=_listen_to,
                      initargs=(events,)) as pool:
        pending = [pool.apply_async(_build_in_worker, (root, unit.slug, site_root),
                                    {"today": today, "on_event": sender, "engine": engine,
                                     "view": unit.view, "portal": unit.portal,
                                     "previous": (previous or {}).get(unit.portal, ""),
                                     "shared": shared, "engine_aside": aside})
                   for unit in units]
        while pending:
            while on_event and not events.empty():
                on_event(*events.get())
            for job in [j for j in pending if j.ready()]:
                pending.remove(job)
                finished(job.get())
            time.sleep(0.05)
        while on_event and not events.empty():
            on_event(*events.get())
        # Every result is in: let the workers finish and leave. Leaving the `with` alone
        # terminates the pool, and with maxtasksperchild its worker handler can fork a fresh
        # worker after terminate() signalled the others; join() then waits on it forever.
        pool.close()
        pool.join()


def _warm_up(root: Path, engine: str, *, engine_too: bool = True) -> None:
    """What every portal's build would pay again in its fresh worker, paid once here and
    inherited by every fork: the stages' imports, the engine's plugins, theme and Markdown
    extensions (unless not `engine_too`), the chart templates, the leak scan's digests and
    word lists. None of it holds a client's data."""
    from portico.delivery.cache import CACHE_DIR

    if engine_too:
        from portico.engine.build import warm_up

        warm_up(root / "mkdocs.yml", engine)
    for stage in _STAGES:  # what `_build_in` imports when it starts
        importlib.import_module(stage)
    from portico.portal.charts import compile_charts
    from portico.protection.leakscan import public_words, trusted_digests
    from portico.protection.markers import common_words

    compile_charts(root / CACHE_DIR / "chart-templates")
    trusted_digests()
    public_words(keep_in=root / CACHE_DIR / "leak-scan")
    common_words()


_worker_events: Any = None  # set in each worker process by `_listen_to`
_worker_parent: int | None = None  # likewise: the build's own process
PARENT_CHECK_SECONDS = 0.2  # how often a worker looks whether the build is still there


def _listen_to(events: Any) -> None:
    """Pool initializer: the queue this worker reports its stages on, and a watch on the
    build's process. A worker outlives a build killed with SIGKILL (an out-of-memory kill,
    a closed CI job); it then stops at once and quietly, instead of finishing a portal no
    one will collect and printing a BrokenPipeError traceback when it hands it over."""
    global _worker_events, _worker_parent
    _worker_events = events
    _worker_parent = os.getppid()
    signal.signal(signal.SIGTERM, _stop)  # the pool's terminate(), or the watch below
    threading.Thread(target=_watch_parent, args=(_worker_parent,), daemon=True,
                     name="portico-watch-parent").start()


def _stop(_signum: int, _frame: FrameType | None) -> NoReturn:
    # SystemExit unwinds the build (its `finally` blocks remove its plain text) and ends
    # the worker without a traceback; the pool's worker loop catches Exception only.
    raise SystemExit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)


def _parent_gone() -> bool:
    return _worker_parent is not None and os.getppid() != _worker_parent


def _build_in_worker(root: Path, slug: str, site_root: Path, **options: Any) -> ClientBuild:
    """`build_portal` in a pool worker: a result with no build left to take it is dropped
    (handing it over would only break the pipe)."""
    from portico.delivery.pipeline import build_portal

    result = build_portal(root, slug, site_root, **options)
    if _parent_gone():
        raise SystemExit(1)
    return result


def _send_event(slug: str, stage: str) -> None:
    """Report a stage to the parent's progress display (runs in a worker)."""
    try:
        _worker_events.put((slug, stage))
    except OSError:  # the pipe broke: the build is gone
        if _parent_gone():
            raise SystemExit(1) from None
        raise
