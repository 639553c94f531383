"""The per-portal print stylesheet: every printed page names the client and the practice,
says "Confidential", and carries the as-of date and the commit the portal was built from.

Chromium draws CSS page-margin boxes (`@top-left` …) when printing, so a reader's "Print →
Save as PDF" of any page is a board-ready document. The strings are written at render time:
the stylesheet is a protected file like any other, so the client's name in it is ciphertext.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def _css_string(text: str) -> str:
    """A CSS string literal: quotes, backslashes and line breaks escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + " ".join(escaped.split()) + '"'


def print_css(client: str, practice: str, as_of: dt.date, commit: str | None) -> str:
    """The @page rules for one portal (A4 or US Letter, whichever the reader prints on)."""
    left = _css_string(f"{client} · {practice}")
    built = f"As of {as_of.isoformat()}" + (f" · build {commit}" if commit else "")
    return f"""@media print {{
  @page {{
    @top-left {{ content: {left}; font: 8pt sans-serif; color: #444; }}
    @top-right {{ content: "Confidential"; font: bold 8pt sans-serif; color: #444; }}
    @bottom-left {{ content: {_css_string(built)}; font: 8pt sans-serif; color: #444; }}
    @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
                    font: 8pt sans-serif; color: #444; }}
  }}
  @page wide {{ size: landscape; }}
  .pt-wide {{ page: wide; }}
}}
"""


def pack_print_css(client: str, practice: str, pack: Any, build: str | None = None) -> str:
    """The running header and footer of one board pack's PDF: the meeting's date and the
    commit the pack was assembled from (its as-of commit, else the build's)."""
    revision = pack.state.revision
    commit = revision.short if revision is not None else build
    left = _css_string(f"{client} · {practice}")
    foot = f"Board pack {pack.pack.date.isoformat()}" + (f" · commit {commit}" if commit else "")
    return f"""@media print {{
  @page {{
    @top-left {{ content: {left}; font: 8pt sans-serif; color: #444; }}
    @top-right {{ content: "Confidential"; font: bold 8pt sans-serif; color: #444; }}
    @bottom-left {{ content: {_css_string(foot)}; font: 8pt sans-serif; color: #444; }}
  }}
}}
"""
