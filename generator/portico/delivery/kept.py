"""Each portal's last plain build, kept in the practice's private cache so that the next
build renders only the pages an edit touched (engine.partial).

`.portico-cache/kept/<portal>/` (mode 0700, like the working folders) holds the rendered
docs tree, the plain site and the compressed files (protection.gzip_pack) of the portal
now on disk, with the frame they were built in (`frame_key`) and the docs key the build
cache recorded for that portal. A build uses the docs and the site only when both still
match: the portal on disk is the one they made, and nothing that
shapes every page (the config, the set of pages, the theme, the engine, the generator,
the date) moved; the compressed files, whatever moved. A build that fails or is killed
leaves the previous state, or none; a portal pruned, or built by an engine that cannot
build partly, drops its state.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from portico.delivery.cache import CACHE_DIR
from portico.engine.partial import Kept

__all__ = ["KEPT_DIR", "PACK", "commit", "discard", "forget", "frame_key", "kept_for", "kept_pack",
           "stage"]

KEPT_DIR = Path(CACHE_DIR) / "kept"
_STATE = "state.json"
PACK = "gzip.pack"
"""The compressed files' pack (protection.gzip_pack), in a kept folder and a build's."""


def frame_key(render: Path, docs: Path, shared: str, view: str | None) -> str:
    """What every page of a portal is framed by: its rendered config (with the build's
    own private folder named neutrally), the list of its docs files, its view and the
    shared inputs (engine, theme, generator, date). Equal keys: an unchanged page's HTML
    is what it was."""
    digest = hashlib.sha256(f"portico-frame 1 {view} {shared}\0".encode())
    for config in sorted(render.glob("*.yml")):
        digest.update(config.name.encode() + b"\0")
        digest.update(config.read_bytes().replace(str(render).encode(), b"<render>") + b"\0")
    for path in sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()):
        digest.update(f"{path}\0".encode())
    return digest.hexdigest()


def _folder(root: Path) -> Path:
    folder = root / KEPT_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # an older or hand-made folder may be wider
    return folder


def kept_for(root: Path, portal: str, docs_key: str, frame: str) -> Kept | None:
    """The kept build of `portal`, when it made the portal whose docs key is `docs_key`
    and was framed by `frame`; None otherwise."""
    folder = root / KEPT_DIR / portal
    try:
        state = json.loads((folder / _STATE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or not docs_key or state.get("docs_key") != docs_key \
            or state.get("frame") != frame:
        return None
    kept = Kept(folder / "docs", folder / "site", folder / _STATE)
    return kept if kept.docs.is_dir() and kept.site.is_dir() else None


def kept_pack(root: Path, portal: str) -> Path:
    """The compressed files of the last build of `portal` (protection.gzip_pack), whatever
    its frame: they are found by their bytes' digest."""
    return root / KEPT_DIR / portal / PACK


def stage(root: Path, portal: str, docs: Path, site: Path, frame: str, docs_key: str,
          pack: Path) -> Path:
    """Move this build's docs tree, plain site and gzip pack into a staging folder beside
    the kept state; `commit` makes it the portal's state once the portal is published."""
    staging = Path(tempfile.mkdtemp(prefix=f".{portal}.", dir=_folder(root)))
    os.replace(docs, staging / "docs")
    os.replace(site, staging / "site")
    os.replace(pack, staging / PACK)
    (staging / _STATE).write_text(json.dumps({"docs_key": docs_key, "frame": frame}), "utf-8")
    return staging


def commit(root: Path, portal: str, staging: Path) -> None:
    """`staging` becomes the kept state of `portal`, replacing the previous one."""
    target = root / KEPT_DIR / portal
    old = target.with_name(f".{portal}.old.{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path | None) -> None:
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


def forget(root: Path, portal: str) -> None:
    """Drop the kept state of `portal` (pruned, or built whole by an engine that cannot
    build partly), and any staging folder a killed build left for it."""
    folder = root / KEPT_DIR
    if not folder.is_dir():
        return
    shutil.rmtree(folder / portal, ignore_errors=True)
    for leftover in folder.glob(f".{portal}.*"):
        shutil.rmtree(leftover, ignore_errors=True)
