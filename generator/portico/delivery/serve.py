"""`portico serve`: render one client, let MkDocs serve it with live reload, re-render on edits."""

from __future__ import annotations

import datetime as dt
import filecmp
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from portico.content.errors import ContentError
from portico.content.history import read_history
from portico.content.load import load_portal_inputs
from portico.delivery.cache import CACHE_DIR
from portico.portal.changes import attach
from portico.portal.render import render_portal


def _render(root: Path, slug: str, out: Path) -> Path:
    """Render as `build` does, history included (board packs as they stood, What's new);
    the preview prints no PDF, so board packs show no PDF link."""
    today = dt.date.today()
    practice = load_portal_inputs(root, slug)
    engagement = practice.clients[0]
    attach(engagement, read_history(root, slug, today,
                                    cache_file=root / CACHE_DIR / "history" / f"{slug}.json",
                                    scratch=root / CACHE_DIR / "work"))
    return render_portal(engagement, practice, out, today=today).config_file


def _sync(source: Path, target: Path) -> None:
    """Make `target` hold `source`'s files, touching only what changed (so reload is precise)."""
    for path in source.rglob("*"):
        dest = target / path.relative_to(source)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        elif not dest.exists() or not filecmp.cmp(path, dest, shallow=False):
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    for path in sorted(target.rglob("*"), reverse=True):
        if not (source / path.relative_to(target)).exists():
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def serve_client(root: Path, slug: str, *, port: int, echo: Callable[[str], None]) -> None:
    """Serve until interrupted. Content errors are printed and the last good render stays."""
    from mkdocs.commands.serve import serve
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    # The preview is plain text: it lives in the practice's cache (0700), not the system
    # temp folder, and the next preview of this client sweeps what a killed one left.
    previews = root / CACHE_DIR / "serve"
    previews.mkdir(mode=0o700, parents=True, exist_ok=True)
    previews.chmod(0o700)
    for stale in previews.glob(f"{slug}.*"):
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f"{slug}.", dir=previews))
    live = work / "live"
    config_file = _render(root, slug, live)
    lock = threading.Lock()

    class Rerender(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            # Rendering opens files too: react to changes only, or it re-renders forever.
            if event.event_type not in {"created", "modified", "deleted", "moved"}:
                return
            if event.is_directory and event.event_type == "modified":
                return
            with lock:
                scratch = work / "next"
                shutil.rmtree(scratch, ignore_errors=True)
                try:
                    _render(root, slug, scratch)
                except ContentError as exc:
                    for problem in exc.problems:
                        echo(str(problem))
                    return
                _sync(scratch / "docs", live / "docs")
                echo(f"re-rendered {slug}")

    observer = Observer()
    handler = Rerender()
    for folder in (root / "clients" / slug, root / "content", root / "theme"):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    echo(f"Serving {slug} (unprotected preview) on http://127.0.0.1:{port}/ — Ctrl+C to stop")
    try:
        serve(str(config_file), open_in_browser=False, dev_addr=f"127.0.0.1:{port}",
              livereload=True, watch=[str(root / "mkdocs.yml")])
    finally:
        observer.stop()
        shutil.rmtree(work, ignore_errors=True)
