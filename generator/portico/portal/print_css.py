"""The per-portal print stylesheet: every printed page names the client and the practice,
says "Confidential" and carries the as-of date, on the paper of the client's locale.

The build's commit is not on the running footer: it is bookkeeping a reader never uses, so a
board pack names it once, in a small "source" line at its end.

Chromium draws CSS page-margin boxes (`@top-left` …) when printing, so a reader's "Print →
Save as PDF" of any page is a board-ready document. The strings are written at render time:
the stylesheet is a protected file like any other, so the client's name in it is ciphertext.

Every page is portrait: registers once switched to landscape mid-document, which left a page
holding a single row before and after them; their tables fit the portrait column.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portico.portal.locale import Formats


def _css_string(text: str) -> str:
    """A CSS string literal: quotes, backslashes and line breaks escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + " ".join(escaped.split()) + '"'


def print_css(client: str, practice: str, as_of: dt.date, formats: Formats) -> str:
    """The @page rules for one portal: its locale's paper (A4, or Letter where the locale
    uses it), the client and practice at the top, the as-of date and page at the bottom."""
    left = _css_string(f"{client} · {practice}")
    built = f"As of {formats.day(as_of)}"
    return f"""@media print {{
  @page {{
    size: {formats.paper};
    @top-left {{ content: {left}; font: 8pt sans-serif; color: #444; }}
    @top-right {{ content: "Confidential"; font: bold 8pt sans-serif; color: #444; }}
    @bottom-left {{ content: {_css_string(built)}; font: 8pt sans-serif; color: #444; }}
    @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
                    font: 8pt sans-serif; color: #444; }}
  }}
}}
"""


def pack_print_css(client: str, practice: str, pack: Any, formats: Formats) -> str:
    """The running header and footer of one board pack's PDF, on the locale's paper: the
    client, "Confidential", the meeting's date and the page."""
    left = _css_string(f"{client} · {practice}")
    foot = f"Board pack, {formats.long_day(pack.pack.date)}"
    return f"""@media print {{
  @page {{
    size: {formats.paper};
    @top-left {{ content: {left}; font: 8pt sans-serif; color: #444; }}
    @top-right {{ content: "Confidential"; font: bold 8pt sans-serif; color: #444; }}
    @bottom-left {{ content: {_css_string(foot)}; font: 8pt sans-serif; color: #444; }}
  }}
}}
"""
