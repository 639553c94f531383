"""What padding blobs to size buckets costs: total ciphertext bytes of the demo, before/after.

    PYTHONPATH=generator python benchmarks/bench_padding.py [--root .]

Renders and builds each demo client's plain site (no encryption needed to count), then
sizes every file that would be sealed twice: unpadded (`nonce || gzip || tag`) and as
`seal_file` makes it now (`padded_size` of that plus the 4-byte length). Prints one line
per client and the total; the numbers go into RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import shutil
import sys
import tempfile
from pathlib import Path


def main() -> int:
    from portico.content.load import load_portal_inputs
    from portico.content.practice import source_commit
    from portico.engine.build import build_site
    from portico.portal.render import render_portal
    from portico.protection.envelope import (
        GZIP_LEVEL,
        LENGTH_BYTES,
        NONCE_BYTES,
        TAG_BYTES,
        padded_size,
    )
    from portico.protection.protect import THEME_ASSET_GLOBS, _is_public, walk_files

    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args()
    root = args.root.resolve()
    slugs = sorted(p.name for p in (root / "clients").iterdir()
                   if (p / "client.yml").is_file() and not p.name.startswith("_"))
    total_plain = total_padded = total_files = 0
    scratch = Path(tempfile.mkdtemp(prefix="bench-padding-"))
    try:
        for slug in slugs:
            practice = load_portal_inputs(root, slug)
            rendered = render_portal(practice.clients[0], practice, scratch / slug,
                                     today=dt.date.today(), commit=source_commit(root),
                                     pdfs=False)
            site = build_site(rendered.config_file).site_dir
            plain = padded = files = 0
            for rel in walk_files(site):
                if not rel.endswith((".html", ".htm")) and _is_public(rel, THEME_ASSET_GLOBS):
                    continue
                data = gzip.compress((site / rel).read_bytes(), compresslevel=GZIP_LEVEL,
                                     mtime=0)
                unpadded = NONCE_BYTES + len(data) + TAG_BYTES
                plain += unpadded
                padded += padded_size(unpadded + LENGTH_BYTES)
                files += 1
            print(f"{slug:<16} {files:>4} blobs  {plain:>10,} B unpadded  {padded:>10,} B "
                  f"padded  +{padded - plain:,} B ({100 * (padded - plain) / plain:.1f} %)")
            total_plain, total_padded, total_files = (total_plain + plain,
                                                      total_padded + padded, total_files + files)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{'total':<16} {total_files:>4} blobs  {total_plain:>10,} B unpadded  "
          f"{total_padded:>10,} B padded  +{total_padded - total_plain:,} B "
          f"({100 * (total_padded - total_plain) / total_plain:.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
