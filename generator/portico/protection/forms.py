"""The forms a client's text takes in a built portal, which the leak scan looks for: each
escape a marker phrase may be written in, and what a whole word is."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, quote_plus

__all__ = ["WORD", "marker_forms"]

WORD = re.compile(r"[^\W_]+")
"""A run of letters and digits: what a whole word is, for the scan and for `client_words`."""

_JSON_PLAIN = re.compile(r"[ !#-.0-\[\]-~]*")  # printable ASCII but for `"`, `/` and `\`


def marker_forms(marker: str) -> dict[str, str]:
    """Every encoding of `marker` the scan looks for: casefolded needle → form name.

    Plain, HTML-escaped (named, decimal and hex entities, each quote style), JSON-escaped
    (`\\uXXXX` and raw UTF-8, `\\/`), URL-encoded (`%20` and `+`). Matching ignores case.
    """
    if _URL_PLAIN.fullmatch(marker):
        # Most markers (ids, names, plain phrases): no escape changes them but a space's
        # URL forms. Thousands per portal, so not worked out the long way (`_all_forms`).
        texts = {marker: "plain"}
        if " " in marker:
            texts |= {marker.replace(" ", "%20"): "url", marker.replace(" ", "+"): "url"}
        return {text.casefold(): form for text, form in reversed(texts.items())}
    return _all_forms(marker)


_URL_PLAIN = re.compile(r"[A-Za-z0-9 ._~-]*")  # unchanged by HTML, JSON and URL escaping but " "


def _all_forms(marker: str) -> dict[str, str]:
    texts: dict[str, str] = {marker: "plain"}
    for escaped in _html_forms(marker):
        texts.setdefault(escaped, "html")
    if not _JSON_PLAIN.fullmatch(marker):  # else JSON writes the marker as it is
        for escaped in (json.dumps(marker)[1:-1], json.dumps(marker, ensure_ascii=False)[1:-1]):
            texts.setdefault(escaped, "json")
            texts.setdefault(escaped.replace("/", "\\/"), "json")
    for escaped in (quote(marker, safe=""), quote(marker, safe="/"), quote_plus(marker)):
        texts.setdefault(escaped, "url")
    return {text.casefold(): form for text, form in reversed(texts.items())}


def _html_forms(marker: str) -> list[str]:
    quoted = [
        html.escape(marker, quote=True),
        html.escape(marker, quote=False),
        html.escape(marker).replace("&#x27;", "&#39;").replace("&quot;", "&#34;"),
        html.escape(marker).replace("&#x27;", "&apos;"),
    ]
    if marker.isascii():
        return quoted  # no character a numeric entity would stand for: the same four texts
    forms = []
    for text in quoted:
        forms += [
            text,
            "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in text),
            "".join(c if ord(c) < 128 else f"&#x{ord(c):x};" for c in text),
        ]
    return forms
