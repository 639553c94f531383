"""Distinctive strings of a client's sources: what `verify` must never find in a portal."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from . import model as m

MIN_MARKER = 10  # shorter strings occur by chance in theme assets and ciphertext
MIN_SENTENCE = 24  # a run of words from a body: long enough to be the client's own
_EDGE = " \t.,;:!?-–—'\"/\\"
_MARKUP = re.compile(r"[`*_#>\[\]()!|{}<]+|https?://\S+")


def client_markers(e: m.Engagement, *, baseline: Iterable[str] = ()) -> list[str]:
    """Names, titles, e-mails and sentences of the client, internal items included.

    A marker must be at least two words (or contain `@`) and MIN_MARKER characters; one
    that occurs in `baseline` (text of Portico's own, such as the login shell) is not
    distinctive of the client and is dropped.
    """
    found = {" ".join(s.split()).strip(_EDGE) for s in _strings(e) if s}
    common = "\n".join(baseline).lower()
    return sorted(
        s for s in found
        if len(s) >= MIN_MARKER and (" " in s or "@" in s) and s.lower() not in common
    )


def _strings(e: m.Engagement) -> Iterator[str]:
    c = e.client
    yield c.name
    yield c.engagement.model or ""
    yield c.engagement.cadence or ""
    for person in c.contacts:
        yield person.name
        yield person.role or ""
        if person.email:
            yield person.email
    for text in (c.engagement.summary, *c.engagement.next_steps):
        yield from _sentences(text)
    if e.roadmap:
        yield from e.roadmap.workstreams
        for item in e.roadmap.items:
            yield item.title
            yield item.owner or ""
            yield item.workstream or ""
            yield from _sentences(item.description)
        for milestone in e.roadmap.milestones:
            yield milestone.title
    for risk in e.risks:
        yield risk.title
        yield risk.owner or ""
        yield from _sentences(risk.description)
        yield from _sentences(risk.mitigation)
    docs: list[m.Document] = []
    if e.assessment:
        docs += e.assessment.pages
        for score in e.assessment.scores:
            yield score.area
            yield score.note or ""
    for d in e.decisions:
        yield from (*d.decision_makers, *d.consulted, *d.informed)
    for n in e.notes:
        yield from n.attendees
    docs += [d.doc for d in e.decisions] + [n.doc for n in e.notes] + [p.doc for p in e.pages]
    for doc in docs:
        yield doc.title
        yield from _sentences(doc.body)


def _sentences(text: str | None) -> Iterator[str]:
    """Plain runs of words from Markdown, cut at markup, at most 60 characters each."""
    if not text:
        return
    for line in text.split("\n"):
        for run in _MARKUP.split(line):
            run = " ".join(run.split())
            if len(run) >= MIN_SENTENCE and run.count(" ") >= 2 and re.search(r"[A-Za-z]{4}", run):
                yield run[:60].strip()
