"""Distinctive strings of a client's sources: what `verify` must never find in a portal.

Two kinds: phrases (`client_markers`), found anywhere, and single words (`client_words`),
found only whole. ARCHITECTURE.md §5 and docs/architecture.md give the rules.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Collection, Iterable, Iterator
from importlib import resources

from pydantic import BaseModel

from portico.content import model as m
from portico.content.forget import phrase_found, phrase_pattern, written_today
from portico.content.links import mask_code
from portico.protection.verify import WORD
from portico.sections import Markers, registered, sentences

MIN_MARKER = 10  # shorter strings occur by chance in theme assets and ciphertext
MIN_WORD = 4  # shorter single words are initials, units and ids ("AWS", "CTO", "R12")
_EDGE = " \t.,;:!?-–—'\"/\\"
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_ASIDE = re.compile(r"\([^)]*\)")  # "Dana Reyes (CEO)": the role is no name
_SEVERAL = re.compile(r"[,;/&+]|\band\b")
_CALENDAR = frozenset({  # proper nouns of every client's dates, distinctive of none
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
})
_ENDINGS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
            ("ing", "e"))


@dataclasses.dataclass(frozen=True)
class ClientText:
    """The strings of a client's sources the leak scan draws its markers from (`client_text`):
    most of a scan's work, and independent of the portal, so a build can take it while the
    engine builds the site."""

    strings: tuple[str, ...]  # names, titles, e-mails and sentences (`client_markers`)
    people: tuple[str, ...]  # each person named, one name at a time (`client_words`)
    titles: tuple[str, ...]  # titles and headings (`client_words`)


def client_text(e: m.Engagement) -> ClientText:
    """The strings `client_markers` and `client_words` look at, read once from `e`."""
    found = _section_markers(e)
    documents = _section_documents(e)
    return ClientText(tuple(_strings(e, found, documents)), tuple(_people(e, found)),
                      tuple(_titles(found, documents)))


def client_markers(e: m.Engagement, *, baseline: Iterable[str] = (),
                   text: ClientText | None = None) -> list[str]:
    """Names, titles, e-mails and sentences of the client, internal items included.

    A marker must be at least two words (or contain `@`) and MIN_MARKER characters; one
    that occurs in `baseline` (text of Portico's own, such as the login shell) is not
    distinctive of the client and is dropped. `text`: `client_text(e)`, if taken already.
    """
    strings = (text or client_text(e)).strings
    found = {" ".join(s.split()).strip(_EDGE) for s in strings if s}
    common = "\n".join(baseline).lower()
    return sorted(
        s for s in found
        if len(s) >= MIN_MARKER and (" " in s or "@" in s) and s.lower() not in common
    )


def forgotten_markers(e: m.Engagement) -> list[str]:
    """What the decrypted portal must never hold (client.yml `forget:`): the forgotten
    phrases, and the titles that items with a forgotten id had at any commit of `e.history`.

    A title is kept only when it is distinctive (two words, MIN_MARKER characters) and
    not written anywhere in the client's files today: a title an item of today still
    bears may show, and a forgotten *phrase* in today's files is a `check` error already.
    """
    from portico.portal.changes import forgotten_titles

    phrases = list(dict.fromkeys(" ".join(p.split()) for p in e.client.forget.phrases))
    titles = [t for t in (" ".join(t.split()) for t in forgotten_titles(e.history))
              if len(t) >= MIN_MARKER and " " in t and not phrase_found(t, phrases)]
    if titles:
        today = written_today(e)
        titles = [t for t in titles if not phrase_pattern(t).search(today)]
    return phrases + sorted(set(titles))


def view_markers(e: m.Engagement, shown: m.Engagement) -> list[str]:
    """The phrases of `e` that its client view `shown` (portal.audience) leaves out: the
    markers of the items outside the view, less any that the view itself writes anywhere
    (a vendor's name that a shown decision also writes is no secret of the vendor's). The
    view's decrypted files must not hold one (verify, as for client.yml `forget:`)."""
    if shown is e:
        return []
    outside = set(client_markers(e)) - set(client_markers(shown))
    if not outside:
        return []
    written = " ".join(" ".join(_texts(shown.parts)).split()).casefold()
    written += " " + " ".join(" ".join(_texts(shown.client)).split()).casefold()
    return sorted(phrase for phrase in outside
                  if " ".join(phrase.split()).casefold() not in written)


def _texts(obj: object) -> Iterator[str]:
    """Every string in a model: its items' fields, and its documents' titles and bodies."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _texts(key)
            yield from _texts(value)
    elif isinstance(obj, list | tuple | set | frozenset):
        for item in obj:
            yield from _texts(item)
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _texts(getattr(obj, name))
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            if f.name not in ("path", "lines", "history"):
                yield from _texts(getattr(obj, f.name))


def _strings(e: m.Engagement, found: list[Markers], documents: list[m.Document]
             ) -> Iterator[str]:
    c = e.client
    yield c.name
    yield c.engagement.model or ""
    yield c.engagement.cadence or ""
    for person in c.contacts:
        yield person.name
        yield person.role or ""
        if person.email:
            yield person.email
    terms = c.engagement
    scope = terms.scope
    for text in (terms.summary, *(step.text for step in terms.next_steps),
                 *(scope.included if scope else ()),
                 *(scope.excluded if scope else ())):
        yield from sentences(text)
    yield from (d.title for d in terms.deliverables)
    if terms.rate is not None:
        yield terms.rate.basis  # internal by default: the decrypted portal is scanned for it
    for markers in found:
        yield from markers.strings
    for doc in documents:
        yield doc.title
        yield from sentences(doc.body)


def client_words(e: m.Engagement, *, public: Collection[str] = (),
                 text: ClientText | None = None) -> list[str]:
    """Distinctive single words of the client, internal items included, for a whole-word scan.

    The words of the client's name; people's surnames (contacts, owners, decision makers,
    attendees), and their given names where the dictionary does not list them; and, from
    every title and heading (roadmap items, milestones, risks, decisions, notes, pages, the
    assessment and its score areas), the words written with a capital letter or a digit:
    systems, vendors, products, places. None is shorter than MIN_WORD, a common English word
    (in lower case in the word list, also once -s, -es, -ed or -ing is taken off), a month or
    a weekday, all digits, or in `public` (casefolded words of the portal's public text, see
    `verify.words_in`). `text`: `client_text(e)`, if taken already.
    """
    text = text or client_text(e)
    lower, listed = _dictionary()
    found: dict[str, str] = {}

    def keep(word: str, *, unless_listed: bool = False) -> None:
        key = word.casefold()
        if (len(key) < MIN_WORD or key.isdigit() or key in found or key in public
                or key in _CALENDAR
                or any(stem in lower for stem in _stems(key))
                or (unless_listed and key in listed)):
            return
        found[key] = word

    for word in WORD.findall(e.client.name):
        keep(word)
    for name in text.people:
        *given, surname = WORD.findall(name) or [""]
        keep(surname)
        for word in given:
            keep(word, unless_listed=True)
    for title in text.titles:
        for word in WORD.findall(title):
            if any(c.isupper() or c.isdigit() for c in word):
                keep(word)
    return sorted(found.values(), key=str.casefold)


def _people(e: m.Engagement, found: list[Markers]) -> Iterator[str]:
    """Each person named in the sources, one name at a time, asides such as "(CEO)" dropped."""
    names = [p.name for p in e.client.contacts]
    for markers in found:
        names += markers.people
    for text in names:
        yield from _SEVERAL.split(_ASIDE.sub(" ", text))


def _titles(found: list[Markers], documents: list[m.Document]) -> Iterator[str]:
    """Titles and headings, where a client's systems, vendors and places are named."""
    for markers in found:
        yield from markers.titles
    for doc in documents:
        yield doc.title
        yield from _HEADING.findall(mask_code(doc.body))


def _section_markers(e: m.Engagement) -> list[Markers]:
    """What each registered section gives the leak scan, in registry order."""
    return [section.markers(e.parts.get(section.name)) for section in registered()]


def _section_documents(e: m.Engagement) -> list[m.Document]:
    """Every Markdown document the registered sections hold, internal ones included."""
    return [doc for section in registered()
            for doc, _ in section.documents(e.parts.get(section.name))]


def _stems(word: str) -> Iterator[str]:
    """`word` and what it may be inflected from: "carriers" → "carrier", "planned" → "plan"."""
    yield word
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            yield stem + replacement
            if not replacement and stem[-1] == stem[-2]:
                yield stem[:-1]


def common_words() -> None:
    """Read the list of common English words now (see `_dictionary`): a build's parent
    process does, so that its forked workers inherit it."""
    _dictionary()


@functools.lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """Common English: (words listed in lower case, every listed word casefolded).

    The list is 12dicts by Alan Beale (public domain), as xkcdpass ships it ("legacy"),
    about 65,000 words; capitalised entries (Baltimore, Margaret) are proper nouns.
    """
    text = resources.files("xkcdpass").joinpath("static", "legacy").read_text("utf-8")
    entries = text.split()
    lower = frozenset(w for w in entries if w.islower() and w.isalpha())
    return lower, frozenset(w.casefold() for w in entries)
