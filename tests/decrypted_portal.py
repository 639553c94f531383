"""A built portal's files as a reader's browser decrypts them, for tests that compare
builds byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

from portico.protection.envelope import open_envelope, open_file


def decrypted(portal: Path, passphrase: str) -> dict[str, bytes]:
    """Every sealed file of `portal` (each sealed whole), by its path in the portal."""
    envelope = json.loads((portal / "_portico" / "envelope.json").read_text("utf-8"))
    key = open_envelope(envelope, passphrase)
    manifest = json.loads(open_file(key, envelope["manifest"],
                                    (portal / envelope["manifest"]).read_bytes()))
    return {path: open_file(key, path, (portal / entry["blob"]).read_bytes())
            for path, entry in manifest["files"].items()}
