"""Each portal's last plain build, kept in the practice's private cache so that the next
build renders only the pages an edit touched (engine.partial).

`.portico-cache/kept/<portal>/` (mode 0700, like the working folders) holds the rendered
docs tree, the plain site and the compressed files (protection.gzip_pack) of the portal
now on disk, with the frame they were built in (`frame_key`) and the docs key the build
cache recorded for that portal. Each is used as far as it can be:

- the docs tree always: the render updates it in place (`take`; portal.docs_folder), which
  leaves it exactly as a fresh render would, bar the modification times of unchanged files;
- the plain site only when the portal on disk is the one it made and nothing that shapes
  every page (the config, the set of pages, the theme, the engine, the generator, the date)
  moved (`Last.usable`);
- the compressed files whatever moved: they are found by their bytes' digest;
- the printed PDFs (board packs) whatever moved, when the portal on disk is the one its
  kept build made: each is found by what it was printed from (engine.reprint).

The state stops vouching as soon as a build starts changing any of it; the build that
publishes leaves its own in place. A build that fails or is killed leaves none, and the
next build renders every page; a portal pruned, or built by an engine that cannot build
partly, drops its folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from portico.delivery.cache import CACHE_DIR
from portico.engine.partial import Kept

__all__ = ["KEPT_DIR", "PACK", "PRINTS", "Last", "commit", "discard", "forget", "frame_key",
           "give_back", "kept_pack", "kept_prints", "stage", "take"]

KEPT_DIR = Path(CACHE_DIR) / "kept"
_STATE = "state.json"
PACK = "gzip.pack"
"""The compressed files' pack (protection.gzip_pack), in a kept folder and a build's."""
PRINTS = "pdf"
"""The printed PDFs, each named by its print key (engine.reprint), in a kept folder and a
build's."""


def frame_key(render: Path, files: Iterable[str], shared: str, view: str | None) -> str:
    """What every page of a portal is framed by: its rendered config (with the build's
    own private folder named neutrally), the list of its docs `files` (as the render
    reports them), its view and the shared inputs (engine, theme, generator, date). Equal
    keys: an unchanged page's HTML is what it was."""
    digest = hashlib.sha256(f"portico-frame 1 {view} {shared}\0".encode())
    for config in sorted(render.glob("*.yml")):
        digest.update(config.name.encode() + b"\0")
        digest.update(config.read_bytes().replace(str(render).encode(), b"<render>") + b"\0")
    for path in sorted(files):
        digest.update(f"{path}\0".encode())
    return digest.hexdigest()


def _folder(root: Path) -> Path:
    folder = root / KEPT_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # an older or hand-made folder may be wider
    return folder


@dataclass(frozen=True)
class Last:
    """What `take` found of a portal's last build."""

    docs_key: str  # the docs key that build recorded for the portal it published
    frame: str  # the frame its pages were built in
    site: Path  # its plain site, still in the kept folder
    outer: str = ""  # what it wrote outside _portico/ (protect's ProtectionResult.outer)

    def outer_on_disk(self, docs_key: str) -> str:
        """What the portal on disk holds outside `_portico/` (protect's `outer` digest),
        when that portal is the one this build made (its docs key is `docs_key`); else ""."""
        return self.outer if docs_key and docs_key == self.docs_key else ""

    def usable(self, docs_key: str, frame: str, changed: frozenset[str]) -> Kept | None:
        """The kept site to rebuild from, when it made the portal whose docs key is
        `docs_key` (the one on disk) and was framed by `frame`; None otherwise. `changed`:
        the docs files this build's render changed (portal.docs_folder)."""
        if not docs_key or docs_key != self.docs_key or frame != self.frame \
                or not self.site.is_dir():
            return None
        return Kept(self.site, changed)


def take(root: Path, portal: str, docs: Path) -> Last | None:
    """Move the last build's docs tree of `portal` to `docs`, for the render to update in
    place (portal.docs_folder), and return what it was built from, or None when nothing
    vouches for it. The kept state stops vouching first: the docs change from here on,
    and a build that fails leaves nothing half-updated to be taken for the last build."""
    folder = root / KEPT_DIR / portal
    try:
        state = json.loads((folder / _STATE).read_text("utf-8"))
    except (OSError, ValueError):
        state = None
    (folder / _STATE).unlink(missing_ok=True)
    if (folder / "docs").is_dir():
        docs.parent.mkdir(parents=True, exist_ok=True)
        os.replace(folder / "docs", docs)
    if not isinstance(state, dict) or not isinstance(state.get("docs_key"), str) \
            or not isinstance(state.get("frame"), str):
        return None
    outer = state.get("outer")
    return Last(state["docs_key"], state["frame"], folder / "site",
                outer if isinstance(outer, str) else "")


def give_back(root: Path, portal: str, docs: Path, last: Last) -> None:
    """Return the docs `take` moved out, when the build found nothing to do: the render left
    them as they were (the same docs key), so `last` vouches for them again."""
    folder = root / KEPT_DIR / portal
    os.replace(docs, folder / "docs")
    (folder / _STATE).write_text(json.dumps({"docs_key": last.docs_key, "frame": last.frame,
                                             "outer": last.outer}), "utf-8")


def kept_pack(root: Path, portal: str) -> Path:
    """The compressed files of the last build of `portal` (protection.gzip_pack), whatever
    its frame: they are found by their bytes' digest."""
    return root / KEPT_DIR / portal / PACK


def kept_prints(root: Path, portal: str) -> Path:
    """The PDFs the last build of `portal` printed, by print key (engine.reprint)."""
    return root / KEPT_DIR / portal / PRINTS


def stage(root: Path, portal: str, docs: Path, site: Path, frame: str, docs_key: str,
          pack: Path, outer: str, prints: Path | None = None) -> Path:
    """Move this build's docs tree, plain site, gzip pack and printed PDFs (`prints`, when
    it printed any) into a staging folder beside the kept state; `commit` makes it the
    portal's state once the portal is published. `outer`: what protect wrote outside
    `_portico/` (ProtectionResult.outer)."""
    staging = Path(tempfile.mkdtemp(prefix=f".{portal}.", dir=_folder(root)))
    os.replace(docs, staging / "docs")
    os.replace(site, staging / "site")
    os.replace(pack, staging / PACK)
    if prints is not None and prints.is_dir():
        os.replace(prints, staging / PRINTS)
    (staging / _STATE).write_text(json.dumps({"docs_key": docs_key, "frame": frame,
                                              "outer": outer}), "utf-8")
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
