"""readers.yml hygiene: public material only.

`portico check` and every build run this on each client's readers.yml. A file that
loads is not enough: a pasted passphrase, a private key or a share link's secret must
never sit in git.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from portico.errors import ContentError, Problem
from portico.readers import _eff_long_words, _read, load_readers

__all__ = ["check_readers_file"]

MAX_READERS_BYTES = 1024 * 1024
_READER_KEYS = {"id", "label", "salt", "iterations", "public_key", "x", "y"}
_PUBLIC_KEY_KEYS = {"x", "y"}
_SECRET_WORD = re.compile(r"pass(?:phrase|word|wd)?|secret|private|priv|token|seed|^d$|^k$",
                          re.IGNORECASE)
_SECRET_COMMENT = re.compile(
    r"(?:pass(?:phrase|word|wd)|secret|private[ _-]?key|token)\s*[:=]", re.IGNORECASE)
_PEM = re.compile(r"-----BEGIN [A-Z ]+-----")
_SHARE_SECRET = re.compile(r"(?:^|[#&\s])k=[A-Za-z0-9_-]{40,}")
_WORDS = re.compile(r"[a-z]+(?:[-_. ][a-z]+){3,}")
_JOINED_WORDS = re.compile(r"(?<![\w-])[a-z]{3,9}(?:[-_.][a-z]{3,9}){4,}(?![\w-])")
_EXPOSED = ("; if it ever held a real secret, treat that secret as exposed: remove the reader, "
            "add them again and rebuild")


def check_readers_file(path: Path, shown: str) -> list[Problem]:
    """Every problem of a `readers.yml`, reported as `shown:line: message`.

    Besides what `load_readers` refuses, anything that is not public material is an
    error: a key outside id, label, salt, iterations and public_key (x, y), a PEM block,
    a share-link secret (`#k=...`), a value or comment that reads like a passphrase
    (four or more words of the EFF list), or a comment such as `password: ...`.
    """
    if not path.exists():
        return []
    try:
        if path.stat().st_size > MAX_READERS_BYTES:
            return [Problem(shown, 1, "the file is over 1 MB; readers.yml is written by "
                            "`portico reader add` and stays small")]
        text = _read(path)
    except ContentError as exc:
        return [Problem(shown, p.line, p.message) for p in exc.problems]
    from portico.yamlfile import parse_yaml  # the loader's hardened YAML reader

    found: dict[int, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):  # values are checked below, once parsed
            message = _secret_in_comment(line.lstrip()[1:])
            if message:
                found.setdefault(number, message)
    try:
        doc = parse_yaml(text, shown)
    except ContentError as exc:
        return sorted({Problem(shown, n, m) for n, m in found.items()} | set(exc.problems))
    _walk_readers(doc.data, (), doc, found)
    problems = {Problem(shown, line, message) for line, message in found.items()}
    try:
        load_readers(path)
    except ContentError as exc:
        problems |= {Problem(shown, p.line, p.message) for p in exc.problems if p.line not in found}
    return sorted(problems)


def _walk_readers(value: Any, loc: tuple[str | int, ...], doc: Any, found: dict[int, str]) -> None:
    if isinstance(value, dict):
        allowed = ({"readers"} if not loc else
                   _PUBLIC_KEY_KEYS if loc[-1] == "public_key" else _READER_KEYS)
        for key, item in value.items():
            if str(key) not in allowed:
                line = doc.line_of((*loc, str(key)), key=True)
                secret = bool(_SECRET_WORD.search(str(key)))
                found.setdefault(line, (
                    f"`{key}` does not belong in readers.yml: it keeps public material only "
                    f"(id, label, salt, iterations, public_key)" + (_EXPOSED if secret else "")))
            _walk_readers(item, (*loc, str(key)), doc, found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk_readers(item, (*loc, i), doc, found)
    elif isinstance(value, str):
        message = _secret_in_text(value) or _passphrase_like(value)
        if message:
            found.setdefault(doc.line_of(loc), message)


def _secret_in_text(text: str) -> str | None:
    if _PEM.search(text):
        return "a PEM block (a private key?) does not belong in readers.yml" + _EXPOSED
    if _SHARE_SECRET.search(text):
        return "a share-link secret (k=...) does not belong in readers.yml" + _EXPOSED
    return None


def _secret_in_comment(comment: str) -> str | None:
    if _secret_in_text(comment):
        return _secret_in_text(comment)
    if _SECRET_COMMENT.search(comment):
        return "a comment that names a secret does not belong in readers.yml" + _EXPOSED
    return _passphrase_like(comment)


def _passphrase_like(text: str) -> str | None:
    """Five or more words joined by dashes, or a run of words mostly from the EFF list."""
    if _JOINED_WORDS.search(text.lower()):
        return "a value that looks like a passphrase does not belong in readers.yml" + _EXPOSED
    words = set(_eff_long_words())
    for run in _WORDS.finditer(text.lower()):
        parts = re.split(r"[-_. ]", run.group(0))
        known = sum(part in words for part in parts)
        if known >= 4 and 3 * known >= 2 * len(parts):
            return ("a value that looks like a passphrase does not belong in readers.yml"
                    + _EXPOSED)
    return None
