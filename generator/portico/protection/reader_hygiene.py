"""readers.yml hygiene: public material only, and no reader copied from another.

`portico check` and every build run these on each client's readers.yml. A file that
loads is not enough: a pasted passphrase, a private key or a share link's secret must
never sit in git, and a reader entry copied from another client's file (or twice into
one file) would let one passphrase open both portals, or outlive `portico reader remove`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portico.content.errors import ContentError, Problem
from portico.protection.passphrase import eff_words

if TYPE_CHECKING:
    import yaml

__all__ = ["check_reader_copies", "check_readers_file", "reader_copies", "reader_files"]

MAX_READERS_BYTES = 1024 * 1024
_READER_KEYS = {"id", "kind", "label", "views", "salt", "iterations", "public_key", "x", "y"}
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
    error: a key outside id, kind, label, salt, iterations and public_key (x, y), a PEM block,
    a share-link secret (`#k=...`), a value or comment that reads like a passphrase
    (four or more words of the EFF list), or a comment such as `password: ...`.
    """
    if not path.exists():
        return []
    from portico.protection.readers import _read, load_readers  # the models: when there is a file

    try:
        if path.stat().st_size > MAX_READERS_BYTES:
            return [Problem(shown, 1, "the file is over 1 MB; readers.yml is written by "
                            "`portico reader add` and stays small")]
        text = _read(path)
    except ContentError as exc:
        return [Problem(shown, p.line, p.message) for p in exc.problems]
    from portico.content.yamlfile import parse_yaml  # the loader's hardened YAML reader

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
                    "(id, kind, label, views, salt, iterations, public_key)"
                    + (_EXPOSED if secret else "")))
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
    words = eff_words()
    for run in _WORDS.finditer(text.lower()):
        parts = re.split(r"[-_. ]", run.group(0))
        known = sum(part in words for part in parts)
        if known >= 4 and 3 * known >= 2 * len(parts):
            return ("a value that looks like a passphrase does not belong in readers.yml"
                    + _EXPOSED)
    return None


# --- copies: every reader's salt and public key are its own ----------------------------


@dataclass(frozen=True)
class _Entry:
    """What identifies one reader entry of a readers.yml, with the lines to point at."""

    file: str  # clients/<slug>/readers.yml
    index: int
    id: str
    link: bool
    salt: str | None
    salt_line: int
    key: tuple[str, str] | None
    key_line: int


def check_reader_copies(root: Path, slug: str) -> list[Problem]:
    """Entries of clients/SLUG/readers.yml whose salt or public key another entry also has.

    Every add draws a fresh random salt, so a shared salt or public key means an entry was
    copied: from another client's readers.yml (one passphrase then opens both portals) or
    within the file (removing one copy does not revoke the reader). Reads every client's
    readers.yml (not drafts, `_` or `.` folders), so a one-client build sees the copy too;
    each file is parsed once per process and content. A file that does not parse is left to
    `check_readers_file`.
    """
    return reader_copies(root).get(slug, [])


def reader_copies(root: Path) -> dict[str, list[Problem]]:
    """`check_reader_copies` of every client at once (slug → its problems, when it has
    any), each readers.yml read once: what a build of many clients asks."""
    entries: list[_Entry] = []
    for path in reader_files(root):
        try:
            if path.stat().st_size > MAX_READERS_BYTES:
                continue
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        entries += _entries(f"clients/{path.parent.name}/readers.yml", text)
    by_salt: dict[str, list[int]] = {}
    by_key: dict[tuple[str, str], list[int]] = {}
    for number, entry in enumerate(entries):
        if entry.salt is not None:
            by_salt.setdefault(entry.salt, []).append(number)
        if entry.key is not None:
            by_key.setdefault(entry.key, []).append(number)
    found: dict[str, list[Problem]] = {}
    for number, entry in enumerate(entries):
        same = set(by_salt.get(entry.salt, []) if entry.salt is not None else [])
        same |= set(by_key.get(entry.key, []) if entry.key is not None else [])
        for other in sorted(same - {number}):  # in file order, as `portico check` lists them
            problem = _copy_problem(entry, entries[other])
            if problem:
                found.setdefault(entry.file.split("/")[1], []).append(problem)
    return found


def reader_files(root: Path) -> list[Path]:
    """Every client's readers.yml that `reader_copies` reads, in order (not drafts)."""
    return [path for path in sorted((root / "clients").glob("*/readers.yml"))
            if not path.parent.name.startswith(("_", "."))]


def _copy_problem(entry: _Entry, other: _Entry) -> Problem | None:
    same_salt = entry.salt is not None and entry.salt == other.salt
    same_key = entry.key is not None and entry.key == other.key
    if not (same_salt or same_key):
        return None
    what = ("salt and public key" if same_salt and same_key else
            "salt" if same_salt else "public key")
    line, other_line = ((entry.salt_line, other.salt_line) if same_salt else
                        (entry.key_line, other.key_line))
    secret = "link" if entry.link else "passphrase"
    why = (f"a copied readers.yml lets one {secret} open both portals" if other.file != entry.file
           else f"a copied reader entry lets one {secret} in twice, and removing one copy "
                "does not revoke it")
    fix = ("remove the link and make a new one with `portico reader link`" if entry.link else
           "remove the reader and add it again with `portico reader add`")
    return Problem(entry.file, line, f"reader {entry.id} has the same {what} as "
                   f"{other.file}:{other_line} (reader {other.id}): {why}; {fix}")


@functools.lru_cache(maxsize=4096)
def _entries(file: str, text: str) -> tuple[_Entry, ...]:
    """The reader entries of one readers.yml text; () if it does not parse as one."""
    import yaml  # here: a build with nothing to do reads no readers.yml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return ()
    items = _value(root, "readers")
    if not isinstance(items, yaml.SequenceNode):
        return ()
    entries = []
    for index, item in enumerate(items.value):
        salt = _value(item, "salt")
        key = _value(item, "public_key") or item
        x, y = _value(key, "x"), _value(key, "y")
        entries.append(_Entry(
            file=file, index=index, id=_scalar(_value(item, "id")) or f"{index + 1}",
            link=_scalar(_value(item, "kind")) == "link",
            salt=_scalar(salt), salt_line=_line(salt or item),
            key=(_scalar(x) or "", _scalar(y) or "") if _scalar(x) and _scalar(y) else None,
            key_line=_line(x or key)))
    return tuple(entries)


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v  # type: ignore[no-any-return]
    return None


def _scalar(node: yaml.Node | None) -> str | None:
    import yaml

    return node.value if isinstance(node, yaml.ScalarNode) and node.value else None


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1
