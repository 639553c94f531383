"""The verify record's stamps: an incremental build keeps a verified portal without reading
it, and never keeps one that changed behind its back."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import portico.delivery.verify_record as verify_record
from portico.delivery.stamps import portal_stamp
from portico.delivery.verify_record import RECORD, record_verified, verified_portals


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for name, text in {"acme/index.html": "<html>acme shell</html>",
                       "acme/_portico/blob-1.bin": "ciphertext one",
                       "beta/index.html": "<html>beta shell</html>"}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for slug in ("acme", "beta"):
        record_verified(root, slug)
    return root


def stamps(site: Path) -> dict[str, str]:
    return {slug: portal_stamp(site / slug)[0] for slug in ("acme", "beta", "gamma")}


def no_reading(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    read: list[Path] = []

    def digest(portal: Path) -> str:
        read.append(portal)
        return real(portal)

    real = verify_record.portal_digest
    monkeypatch.setattr(verify_record, "portal_digest", digest)
    return read


def test_a_portal_as_verified_is_trusted_from_its_stamp_unread(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = json.loads((site / RECORD).read_text(encoding="utf-8"))["portals"]["acme"]
    assert entry["stamp"] == portal_stamp(site / "acme")[0]
    read = no_reading(monkeypatch)
    assert verified_portals(site, stamps(site)) == {"acme", "beta"}
    assert read == []


def test_a_portal_changed_behind_the_builds_back_is_read_and_refused(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same size, modification time set back: the change time still moves the stamp, and
    the bytes decide."""
    blob = site / "acme/_portico/blob-1.bin"
    before = blob.stat()
    blob.write_text("ciphertext 1", encoding="utf-8")
    os.utime(blob, ns=(before.st_atime_ns, before.st_mtime_ns))
    read = no_reading(monkeypatch)
    assert verified_portals(site, stamps(site)) == {"beta"}
    assert read == [site / "acme"]


def test_a_moved_stamp_over_the_same_bytes_is_still_verified(site: Path) -> None:
    """A touch, or the portal copied back with its old times: read once, and kept."""
    os.utime(site / "beta/index.html")
    assert verified_portals(site, stamps(site)) == {"acme", "beta"}


def test_a_portal_written_while_it_was_stamped_gets_no_stamp(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its stamp could match a later write: the record keeps the digest alone, so the next
    build reads the bytes."""
    monkeypatch.setattr(verify_record, "settled_clock", lambda _folder: 0)
    record_verified(site, "beta")
    entry = json.loads((site / RECORD).read_text(encoding="utf-8"))["portals"]["beta"]
    assert "stamp" not in entry and entry["digest"].startswith("sha256:")
    read = no_reading(monkeypatch)
    assert verified_portals(site, stamps(site)) == {"acme", "beta"} and read == [site / "beta"]


def test_a_portal_missing_or_unrecorded_is_not_verified(site: Path) -> None:
    (site / "gamma").mkdir()
    (site / "gamma/index.html").write_text("never verified", encoding="utf-8")
    assert "gamma" not in verified_portals(site, stamps(site))
    (site / RECORD).write_text("{not json", encoding="utf-8")
    assert verified_portals(site, stamps(site)) == set()


def test_the_record_takes_what_verify_read_and_reads_what_changed_since(site: Path) -> None:
    """A build's verify has just read every byte: the record takes those digests for files
    unchanged since a clock reading taken before verify read them, and reads the others,
    so it never vouches for bytes that were not what is on disk."""
    from portico.delivery.stamps import settled_clock

    portal = site / "acme"
    since = settled_clock(site / RECORD.parent)
    read = {rel: "0" * 64 for rel in ("index.html", "_portico/blob-1.bin")}  # what verify saw
    (portal / "index.html").write_text("<html>acme shell, rewritten</html>", encoding="utf-8")
    record_verified(site, "acme", read=read, since=since)
    recorded = json.loads((site / RECORD).read_text(encoding="utf-8"))["portals"]["acme"]
    taken = verify_record.portal_digest(portal, {"_portico/blob-1.bin": "0" * 64}, since)
    assert recorded["digest"] == taken  # the blob's digest was taken from verify's read
    assert recorded["digest"] != verify_record.portal_digest(portal)
    (portal / "_portico/blob-1.bin").write_text("ciphertext 2", encoding="utf-8")
    # Changed after `since`: read again, whatever verify said of it.
    assert verify_record.portal_digest(portal, read, since) == \
        verify_record.portal_digest(portal)
