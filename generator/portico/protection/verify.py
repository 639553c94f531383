"""Prove a protected portal: the decrypt round trip, and the leak scan of ARCHITECTURE.md §5.

`build` calls `verify_roundtrip` with the build's in-memory content key and
`scan_for_leaks` with the phrases and single words it collects from the client's sources;
`portico verify site/SLUG --passphrase-stdin` calls `verify_with_passphrase`. Both decrypt
every file, and so both also look in the plaintext for what the client asked to forget
(client.yml `forget:`): the one check that must read the decrypted portal, not the published
bytes.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from portico.content.errors import BuildError, PorticoError
from portico.content.forget import phrase_pattern
from portico.content.windows import (
    WINDOW_BYTES,
    Window,
    file_pieces,
    inner_matches,
    overlap_for,
    uncut_words,
    windows,
)
from portico.protection.chunked import open_stream
from portico.protection.envelope import IntegrityError, open_envelope, open_file
from portico.protection.forms import WORD, marker_forms
from portico.protection.protect import (
    ENVELOPE_PATH,
    MANIFEST_PATH,
    ProtectionResult,
    walk_files,
)

__all__ = ["WORD", "Leak", "forgotten_in", "marker_forms", "scan_for_leaks",
           "verify_roundtrip", "verify_with_passphrase", "words_in"]

_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_JSON_CHARS = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


@dataclass(frozen=True, order=True)
class Leak:
    """A marker found in a published portal: in a file's bytes, or in an output path."""

    path: str
    """POSIX path of the output file (or folder) relative to the portal root."""
    marker: str
    form: str
    """Which encoding matched: plain, html, json, url (each also case-insensitively)."""
    in_path: bool = False
    word: bool = False
    """A single word, matched whole (`words` of `scan_for_leaks`), not a phrase."""

    def __str__(self) -> str:
        where = "path" if self.in_path else "content"
        what = f"the word {self.marker!r}" if self.word else repr(self.marker)
        return f"{self.path}: {self.form} form of {what} in the {where}"


def verify_roundtrip(site: Path, result: ProtectionResult, *,
                     forgotten: Sequence[str] = (), outside: Sequence[str] = (),
                     shells_in: Path | None = None, read: dict[str, str] | None = None) -> int:
    """Decrypt every protected file of `site` with the build's key; compare with the plain site.

    Returns the number of files checked. Raises BuildError naming every file that is
    missing, fails its integrity check, differs from the plain file it came from, or holds
    one of the `forgotten` phrases once decrypted (`forgotten_in`), and the manifest if it
    does not open or does not list exactly these files. `outside`: phrases that only items
    outside this portal's client view write (markers.view_markers), refused likewise.
    `shells_in`: where the login shells stand (default `site`): the portal on disk, when the
    build kept them (`result.outer_kept`). `read`, if given, gets the SHA-256 (hex) of each
    sealed file's bytes as they were read, by path in the portal (a chunked file's is not
    kept: it is never in memory whole).
    """
    failures = _manifest_failures(site, result, read)
    for protected in result.files:
        digest = hashlib.sha256()
        try:
            # One pass over the plaintext, a chunk at a time: hashed and searched as it comes.
            found = _phrases_in(_hashed(_plaintext(result.content_key, site, protected.path,
                                                   protected.manifest_entry(), read), digest),
                                forgotten, outside)
        except (OSError, IntegrityError) as exc:
            failures.append(f"{protected.path}: {exc}")
            continue
        if digest.hexdigest() != protected.sha256:
            failures.append(f"{protected.path}: decrypts to other bytes than the plain site's")
        failures += _phrase_failures(protected.path, *found)
    failures += [
        f"{shell}: login shell missing" for shell in result.shells
        if not ((shells_in or site) / shell).is_file()
    ]
    if failures:
        raise BuildError("round trip failed:\n" + "\n".join(failures))
    return len(result.files)


def _manifest_failures(site: Path, result: ProtectionResult,
                       read: dict[str, str] | None = None) -> list[str]:
    """The sealed manifest opens with the build's key and maps each path to its blob."""
    try:
        sealed = (site / MANIFEST_PATH).read_bytes()
        if read is not None:
            read[MANIFEST_PATH] = hashlib.sha256(sealed).hexdigest()
        manifest = json.loads(open_file(result.content_key, MANIFEST_PATH, sealed))
    except (OSError, IntegrityError, ValueError) as exc:
        return [f"{MANIFEST_PATH}: {exc}"]
    if manifest.get("files") != {f.path: f.manifest_entry() for f in result.files}:
        return [f"{MANIFEST_PATH}: does not list the protected files as they were sealed"]
    return []


def verify_with_passphrase(site: Path, passphrase: str, *,
                           forgotten: Sequence[str] = (), outside: Sequence[str] = ()) -> int:
    """Open the portal at `site` as a reader would, and decrypt every protected file.

    Returns the number of files checked. Raises WrongPassphraseError (a PorticoError) if
    no reader entry opens with `passphrase`, and BuildError naming every file that fails
    or that holds one of the `forgotten` phrases once decrypted, or one of the phrases
    only items `outside` its client view write.
    """
    envelope = _read_json(site / ENVELOPE_PATH)
    content_key = open_envelope(envelope, passphrase)
    manifest_path = str(envelope["manifest"])
    try:
        manifest = json.loads(
            open_file(content_key, manifest_path, (site / manifest_path).read_bytes())
        )
    except (OSError, IntegrityError) as exc:
        raise BuildError(f"{site}: verify failed: {exc}") from None
    failures: list[str] = []
    for path, entry in sorted(manifest["files"].items()):
        try:
            found = _phrases_in(_plaintext(content_key, site, path, entry), forgotten, outside)
        except (OSError, IntegrityError, KeyError, TypeError, ValueError) as exc:
            failures.append(f"{path}: {exc}")
        else:
            failures += _phrase_failures(path, *found)
        if entry["type"].startswith("text/html") and not (site / path).is_file():
            failures.append(f"{path}: login shell missing")
    if failures:
        raise BuildError(f"{site}: verify failed:\n" + "\n".join(failures))
    return len(manifest["files"])


def _plaintext(content_key: bytes, site: Path, path: str, entry: dict[str, Any],
               read: dict[str, str] | None = None) -> Iterator[bytes]:
    """The plaintext of the protected file at `path`, as the manifest `entry` describes its
    blob: whole, or a chunk at a time (chunked.open_stream) for a chunked one. `read`: where
    a whole blob's SHA-256 goes (verify_roundtrip)."""
    blob = site / entry["blob"]
    chunked = entry.get("chunked")
    if not chunked:
        sealed = blob.read_bytes()
        if read is not None:
            read[entry["blob"]] = hashlib.sha256(sealed).hexdigest()
        yield open_file(content_key, path, sealed)
        return
    with blob.open("rb") as sealed:
        yield from open_stream(content_key, path, sealed, int(chunked["size"]))


def _hashed(pieces: Iterable[bytes], digest: Any) -> Iterator[bytes]:
    """`pieces`, fed into `digest` as they pass."""
    for piece in pieces:
        digest.update(piece)
        yield piece


def _phrases_in(pieces: Iterable[bytes], forgotten: Sequence[str],
                outside: Sequence[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """What a decrypted file holds of the `forgotten` phrases and of the `outside` ones,
    read once (every piece is consumed, so a chunked file is proven to its end)."""
    found = forgotten_in(pieces, [*dict.fromkeys([*forgotten, *outside])])
    return ([hit for hit in found if hit[0] in forgotten],
            [hit for hit in found if hit[0] in outside])


def _phrase_failures(path: str, forgotten: list[tuple[str, str]],
                     outside: list[tuple[str, str]]) -> list[str]:
    return ([f"{path}: decrypted, it holds {phrase!r} ({form} form), which client.yml "
             "forgets (forget:)" for phrase, form in forgotten]
            + [f"{path}: decrypted, it holds {phrase!r} ({form} form), which only items "
               "outside this client view write (client.yml views:)"
               for phrase, form in outside])


def forgotten_in(data: bytes | Iterable[bytes],
                 phrases: Sequence[str]) -> list[tuple[str, str]]:
    """(phrase, form) for each of `phrases` that a decrypted file holds: as written, with
    HTML entities decoded, as the text a reader sees (tags taken out, so emphasis inside a
    phrase does not hide it), JSON-unescaped (the search index) or URL-decoded. Case and
    spacing are ignored; a one-word phrase is matched whole (`content.forget`).

    `data` is the file's bytes, or its pieces in order (a large file: it is searched in
    overlapping windows, content.windows, and every piece is read even when nothing is
    searched for). Bytes that are not UTF-8 text are searched for the phrase as written only.
    """
    pieces = [data] if isinstance(data, bytes) else data
    if not phrases:
        for _piece in pieces:
            pass
        return []
    found: dict[str, str] = {}
    for window in windows(pieces, overlap_for(phrases)):
        for phrase, form in _forgotten_in_window(window, phrases):
            found.setdefault(phrase, form)
    return list(found.items())


def _forgotten_in_window(window: Window, phrases: Sequence[str]) -> list[tuple[str, str]]:
    try:
        raw = window.data.decode("utf-8")
    except UnicodeDecodeError:
        return _forgotten_in_binary(window, phrases)
    decoded = [("plain", raw)]
    if "\\" in raw:
        decoded.append(("json", _JSON_ESCAPE.sub(_json_char, raw)))
    if "%" in raw or "+" in raw:
        decoded.append(("url", unquote(raw.replace("+", " "))))
    views = list(decoded)
    for form, text in decoded:  # a search entry is HTML inside JSON: decode both
        if "&" in text or "<" in text:
            views += [(form if form != "plain" else "html", html.unescape(t))
                      for t in (text, _TAG.sub("", text))]
    found: dict[str, str] = {}
    # A phrase can match only where its words, spacing collapsed and case folded, are a
    # substring: that test is cheap, so the pattern runs only where it may match (a view's
    # verify looks for hundreds of phrases in every file).
    wanted = [(phrase, " ".join(phrase.split()).casefold()) for phrase in phrases]
    for form, view in views:
        flat = " ".join(view.split()).casefold()
        for phrase, key in wanted:
            if phrase not in found and key in flat and \
                    next(inner_matches(phrase_pattern(phrase), view, window), None):
                found[phrase] = form
    return list(found.items())


def _forgotten_in_binary(window: Window, phrases: Sequence[str]) -> list[tuple[str, str]]:
    """The phrases a stretch of bytes that is not UTF-8 (an image, a PDF, an archive) holds as
    written: escaped forms belong to text. Each phrase's words are first looked for in the
    bytes, lower-cased, so that the bytes are decoded only where a phrase may be."""
    lowered = window.data.lower()
    maybe = [phrase for phrase in phrases
             if not phrase.isascii()
             or all(word.lower().encode() in lowered for word in phrase.split())]
    if not maybe:
        return []
    raw = window.data.decode("utf-8", "replace")
    return [(phrase, "plain") for phrase in maybe
            if next(inner_matches(phrase_pattern(phrase), raw, window), None)]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise PorticoError(f"{path}: not a protected portal ({exc})") from None
    if not isinstance(document, dict):
        raise PorticoError(f"{path}: not a protected portal")
    return document


def words_in(text: str) -> set[str]:
    """The casefolded words of `text` (runs of letters and digits), as the scan splits it."""
    return set(WORD.findall(text.casefold()))


def _found_in(pieces: Iterable[bytes], needles: list[tuple[str, str, str]],
              words: dict[str, str], overlap: int) -> list[tuple[str, str, bool]]:
    """The (marker, form, is a word) found in a file's bytes (`pieces`, in order), as written
    or entity-decoded; a large file in overlapping windows (content.windows).

    Phrases match anywhere; words only whole, and only in text (valid UTF-8 throughout): in
    binary bytes a short word occurs by chance.
    """
    found: set[tuple[str, str, bool]] = set()
    found_words: dict[str, str] = {}
    text_file = True
    for window in windows(pieces, overlap):
        try:
            raw = window.data.decode("utf-8")
        except UnicodeDecodeError:
            # surrogateescape keeps undecodable bytes apart, so no match spans a dropped byte
            raw = window.data.decode("utf-8", "surrogateescape")
            text_file = False
        text = raw.casefold()
        decoded = html.unescape(raw).casefold() if "&" in raw else ""
        found.update((marker, form, False) for needle, marker, form in needles
                     if needle in text or (decoded and needle in decoded))
        if words and text_file:
            for word, form in _words_found(text, decoded, words, window).items():
                found_words.setdefault(word, form)
    if text_file:
        found.update((words[word], form, True) for word, form in found_words.items())
    return sorted(found)


def _words_found(text: str, decoded: str, words: Collection[str],
                 window: Window | None = None) -> dict[str, str]:
    """Each of `words` (casefolded) that the casefolded `text` holds whole, with the first form
    that shows it: plain, html (entities decoded), json (escapes decoded), url (%-decoded).
    `text` and `decoded` are views of `window`, if given: a word cut by its edge is left out."""
    views = [("plain", text), ("html", decoded)]
    if "\\" in text:
        views.append(("json", _JSON_ESCAPE.sub(_json_char, text).casefold()))
    if "%" in text:
        views.append(("url", unquote(text).casefold()))
    found: dict[str, str] = {}
    for form, view in views:
        whole = uncut_words(view, window) if window else view
        for word in set(WORD.findall(whole)).intersection(words) if whole else ():
            found.setdefault(word, form)
    return found


def _json_char(match: re.Match[str]) -> str:
    escape = match.group(1)
    if escape[0] == "u" and len(escape) == 5:
        return chr(int(escape[1:], 16))
    return _JSON_CHARS.get(escape, escape)


def scan_for_leaks(site: Path, markers: Iterable[str], *, words: Iterable[str] = (),
                   trusted: Collection[str] = (), sealed: Collection[str] = (),
                   kept: Mapping[str, Path] | None = None,
                   read: dict[str, str] | None = None) -> list[Leak]:
    """Every place a marker appears in `site`: each file's bytes and each file or folder path.

    `markers` are phrases, found anywhere; `words` are single words, found only whole (not
    inside a longer run of letters and digits) and only in text files and paths. Blank ones
    are ignored; choosing distinctive ones is the caller's job. `trusted` holds SHA-256 hex
    digests of files known to carry no client data (the engine's and Portico's own packaged
    assets, byte for byte): only the path of such a file is scanned. `sealed` holds paths of
    blobs `verify_roundtrip` proved to be AES-GCM ciphertext: only their paths are scanned
    too. Text is searched as written and with HTML entities decoded. `kept`: files of the
    portal that stay from its last build, by path in the portal → where they are on disk;
    they are scanned like those of `site`, path and bytes. `read`, if given, gets the
    SHA-256 (hex) of each file whose bytes were read, by path in the portal.
    """
    needles = [
        (needle, marker, form)
        for marker in dict.fromkeys(m for m in markers if m.strip())
        for needle, form in marker_forms(marker).items()
    ]
    wanted = {w.casefold(): w for w in words if w.strip()}
    overlap = overlap_for([*(n[0] for n in needles), *wanted])
    leaks: set[Leak] = set()
    seen: dict[str, list[tuple[str, str, bool]]] = {}  # content digest → what it holds
    kept = kept or {}
    # a file's path holds every folder above it
    paths = sorted({*walk_files(site), *kept})
    all_paths = "\n".join(paths).casefold()
    # One pass, then only the few hits; a needle with a character no path has (a space,
    # in most phrases: paths are ids, dates and section names) cannot be in one.
    path_chars = set(all_paths)
    in_paths = [n for n in needles if path_chars.issuperset(n[0]) and n[0] in all_paths]
    path_words = _words_found(all_paths, "", wanted).keys()
    for rel in paths:
        folded_path = rel.casefold()
        for needle, marker, form in in_paths:
            if needle in folded_path:
                leaks.add(Leak(rel, marker, form, in_path=True))
        for word, form in _words_found(folded_path, "", path_words).items() if path_words else ():
            leaks.add(Leak(rel, wanted[word], form, in_path=True, word=True))
        if rel in sealed:
            continue
        digest, pieces = _read(kept[rel] if rel in kept else site / rel)
        if read is not None:
            read[rel] = digest
        if digest in trusted:
            continue
        if digest not in seen:  # identical files (every page's login shell) are read once
            seen[digest] = _found_in(pieces, needles, wanted, overlap)
        leaks.update(Leak(rel, marker, form, word=word) for marker, form, word in seen[digest])
    return sorted(leaks)


def _read(path: Path) -> tuple[str, Iterable[bytes]]:
    """A file's SHA-256 and its bytes: whole if small, else a pass to hash it and its pieces
    for a second (so a large file is never in memory whole)."""
    if path.stat().st_size <= WINDOW_BYTES:
        data = path.read_bytes()
        return hashlib.sha256(data).hexdigest(), [data]
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return digest, file_pieces(path)
