"""What a client asked to forget (client.yml `forget:`), and how a forgotten phrase is found.

One matcher for every place that looks: an item's text at a past commit (portal.changes
drops that past), today's files (`portico check`) and the decrypted portal (verify). Case
and spacing are ignored; a phrase of one word is matched whole ("Newark" is not found in
"Newarkian"), a longer one anywhere.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from portico.content.model import Engagement, Forget

_WORD_CHAR = r"[^\W_]"


@functools.lru_cache(maxsize=256)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """The phrase as a case-insensitive pattern, any run of white space between its words."""
    words = phrase.split()
    body = r"\s+".join(re.escape(word) for word in words)
    if len(words) == 1:
        body = rf"(?<!{_WORD_CHAR}){body}(?!{_WORD_CHAR})"
    return re.compile(body, re.IGNORECASE)


def phrase_found(text: str, phrases: Iterable[str]) -> str | None:
    """The first of `phrases` that `text` holds, or None."""
    return next((p for p in phrases if phrase_pattern(p).search(text)), None)


def id_forgotten(forget: Forget, item_id: str) -> bool:
    """Whether `item_id` is one of the forgotten ids: case ignored, and numbers by value
    (a decision `0003` is forgotten as `3`, which is how YAML reads an unquoted 0003)."""
    wanted = item_id.strip().casefold()
    for given in forget.ids:
        given = given.strip().casefold()
        if given == wanted or (given.isdigit() and wanted.isdigit()
                               and int(given) == int(wanted)):
            return True
    return False


def texts(item: Any) -> Iterator[str]:
    """Every text an item holds, its fields' fields included (a decision's options, a
    document's body): what a past state could show of it. An engagement met on the way
    is not walked (it is a whole state, not this item's text)."""
    seen: set[int] = set()

    def walk(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
            return
        if id(value) in seen or isinstance(value, Engagement):
            return
        seen.add(id(value))
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from walk(getattr(value, name))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for found in dataclasses.fields(value):
                yield from walk(getattr(value, found.name))
        elif isinstance(value, dict):
            for key, inner in value.items():
                yield from walk(key)
                yield from walk(inner)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for inner in value:
                yield from walk(inner)

    return walk(item)


def written_today(e: Engagement) -> str:
    """The text of every file in the client's folder today (binary files aside)."""
    parts = []
    for path in sorted(p for p in e.root.rglob("*") if p.is_file() and not p.is_symlink()):
        try:
            parts.append(path.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
    return "\n".join(parts)
