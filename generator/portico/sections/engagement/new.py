"""What `portico new client` writes into client.yml's `engagement:` for the author to
replace; `check` warns where it is left as written."""

from __future__ import annotations

SUMMARY_PROMPT = ("What this engagement is for, in two or three sentences the CEO would "
                  "sign.")
PLACEHOLDERS = (SUMMARY_PROMPT,)
"""Texts `portico new client` writes for the author to replace, as written."""
