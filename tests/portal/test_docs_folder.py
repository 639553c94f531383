"""A render into the last render's docs folder writes only what changed (portal.docs_folder):
an unchanged file keeps its bytes and its modification time, which is how the engine knows
to leave its page alone, and a page no longer rendered is gone."""

from __future__ import annotations

import os
from pathlib import Path

from portico.portal.docs_folder import DocsFolder


def _render(root: Path, pages: dict[str, bytes], attachment: Path) -> DocsFolder:
    folder = DocsFolder(root)
    for rel, data in pages.items():
        folder.put(rel, data)
    folder.copy("files/1.pdf", attachment)
    folder.sweep()
    return folder


def test_only_changed_files_are_written_and_gone_pages_are_removed(tmp_path: Path) -> None:
    docs, attachment = tmp_path / "docs", tmp_path / "report.pdf"
    attachment.write_bytes(b"%PDF-1.7 first")
    first = _render(docs, {"index.md": b"# Home", "notes/a.md": b"A", "notes/b.md": b"B"},
                    attachment)
    assert first.changed == {"index.md", "notes/a.md", "notes/b.md", "files/1.pdf"}
    long_ago = 1_600_000_000_000_000_000
    for path in docs.rglob("*.*"):
        os.utime(path, ns=(long_ago, long_ago))
    attachment.write_bytes(b"%PDF-1.7 second")
    again = _render(docs, {"index.md": b"# Home", "notes/a.md": b"A, edited",
                           "notes/c.md": b"C"}, attachment)
    assert again.changed == {"notes/a.md", "notes/c.md", "files/1.pdf"}
    assert (docs / "index.md").stat().st_mtime_ns == long_ago  # left as it was
    assert (docs / "notes/a.md").stat().st_mtime_ns > long_ago
    assert (docs / "notes/a.md").read_bytes() == b"A, edited"
    assert (docs / "files/1.pdf").read_bytes() == b"%PDF-1.7 second"
    assert not (docs / "notes/b.md").exists()  # no longer rendered
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()) \
        == ["files/1.pdf", "index.md", "notes/a.md", "notes/c.md"]
