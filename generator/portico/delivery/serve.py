"""`portico serve`: render one client, let MkDocs serve it with live reload, re-render on edits.

When the files have errors, every page of the preview opens with a banner that lists them
(`path:line: message`, as `portico check` prints them), above the last version that
rendered; the banner goes as soon as the files are fixed.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import yaml

from portico.content.check import check_practice
from portico.content.errors import ContentError, PorticoError, Problem
from portico.content.history import read_history
from portico.content.load import load_portal_inputs
from portico.delivery.cache import CACHE_DIR
from portico.portal.changes import attach
from portico.portal.render import render_portal


def _render(root: Path, slug: str, out: Path,
            view: str | None = None) -> tuple[Path, list[Problem]]:
    """Render as `build` does, history included (board packs as they stood, What's new);
    the preview prints no PDF, so board packs show no PDF link. Returns the config and the
    errors `portico check` finds in this client (a dead link renders, and is still wrong).
    `view`: the client view to show (default: its default view, as site/<slug>/ shows).
    Raises ContentError when the files cannot be loaded at all."""
    from portico.portal.audience import engagement_for_view, portal_name

    today = dt.date.today()
    practice = load_portal_inputs(root, slug)
    errors = [p for p in check_practice(practice, today=today) if p.severity == "error"]
    engagement = practice.clients[0]
    client = engagement.client
    view = view or client.default_view
    if view is not None and view not in client.views:
        raise PorticoError(f"{slug}: no view {view!r} in client.yml (views: "
                           f"{', '.join(client.views) or 'none'})")
    name = portal_name(slug, view, client)
    history = read_history(root, slug, today,
                           cache_file=root / CACHE_DIR / "history" / f"{name}.json",
                           scratch=root / CACHE_DIR / "work")
    attach(engagement, history)
    if view is not None:
        spec = client.views[view]
        history.view = lambda past: engagement_for_view(past, view, spec)
    shown = engagement_for_view(engagement, view)
    return render_portal(shown, practice, out, today=today).config_file, errors


def banner(problems: list[Problem], *, stale: bool) -> str:
    """The Markdown that opens every page while the files have errors: each problem as
    `portico check` prints it, in a code span (so nothing in a message is read as Markdown)."""
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    shown = ("this preview shows the last version that rendered" if stale
             else "fix them before you publish")
    lines = [f'!!! failure "Portico found {count} in the files: {shown}"', ""]
    for problem in problems:
        text = str(problem).replace("`", "'")
        lines.append(f"    - `` {text} ``")
    return "\n".join(lines) + "\n\n"


def _with_banner(source: Path, target: Path, text: str) -> None:
    """Copy the docs tree `source` to `target`, every page opening with `text` (after its
    front matter)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    for page in target.rglob("*.md"):
        body = page.read_text(encoding="utf-8")
        cut = 0
        if body.startswith("---\n"):
            end = body.find("\n---\n", 4)
            cut = end + 5 if end != -1 else 0
        page.write_text(body[:cut] + "\n" + text + body[cut:], encoding="utf-8")


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


def serve_client(root: Path, slug: str, *, port: int, echo: Callable[[str], None],
                 view: str | None = None) -> None:
    """Serve until interrupted. Errors are printed, and shown in a banner on every page
    above the last version that rendered, until they are fixed. Raises ContentError when
    the files cannot be loaded at the start (there is nothing to show yet). `view`: the
    client view to show (default: its default view)."""
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
    live, good = work / "live", work / "good"
    config_file, errors = _render(root, slug, live, view)  # names live/docs: served
    # Not strict: a dead link the banner names must not stop the preview's rebuild.
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) | {"strict": False}
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    shutil.copytree(live / "docs", good / "docs")  # the last version that rendered, clean
    lock = threading.Lock()

    def show(docs: Path, problems: list[Problem], *, stale: bool) -> None:
        if problems:
            _with_banner(docs, work / "bannered", banner(problems, stale=stale))
            docs = work / "bannered"
        _sync(docs, live / "docs")

    show(good / "docs", errors, stale=False)

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
                    _, problems = _render(root, slug, scratch, view)
                except ContentError as exc:
                    for problem in exc.problems:
                        echo(str(problem))
                    show(good / "docs", [p for p in exc.problems if p.severity == "error"],
                         stale=True)
                    return
                _sync(scratch / "docs", good / "docs")
                for problem in problems:
                    echo(str(problem))
                show(good / "docs", problems, stale=False)
                echo(f"re-rendered {slug}")

    observer = Observer()
    handler = Rerender()
    for folder in (root / "clients" / slug, root / "content", root / "theme"):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    echo(f"Serving {slug} (unprotected preview) on http://127.0.0.1:{port}/ — Ctrl+C to stop")
    # MkDocs builds the pages it serves into a fresh folder of the system temp; point it at
    # this preview's own folder instead, so the plain site stays in the cache and a killed
    # preview's pages are swept by the next one.
    system_temp = tempfile.tempdir
    tempfile.tempdir = str(work)
    try:
        serve(str(config_file), open_in_browser=False, dev_addr=f"127.0.0.1:{port}",
              livereload=True, watch=[str(root / "mkdocs.yml")])
    finally:
        tempfile.tempdir = system_temp
        observer.stop()
        shutil.rmtree(work, ignore_errors=True)
