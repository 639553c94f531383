"""Answers: buttons that open the reader's own e-mail, addressed to the practice, naming one
decision, ask or board pack, and the words that say who answered what, and when.

A portal is static and its Content-Security-Policy runs no script from content, so an
answer is a `mailto:` link (RFC 6068) built at render time: the reader's mail program
opens a new message, which they read and send themselves. The message names the client,
the item and the portal's build (its "as of" day, the date every printed page carries)
and nothing else: no other words of the portal travel by e-mail. The day of the answer is
the message's own date, set by the reader's mail program. The practice records the answer
in git with `portico record`.

The sections decide which items take an answer (a proposed decision, an open ask a client
contact owes, an unacknowledged pack); this module writes the messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from portico.portal.locale import Formats

LINE_BREAK = "\r\n"  # RFC 6068 §5: line breaks in a body are CRLF, written %0D%0A
ANSWERED = {"accepted": "Approved", "rejected": "Declined"}
"""A decided status as the answer buttons named it, for "Approved by … on …"."""


def mailto(address: str, subject: str, body: str) -> str:
    """A `mailto:` URL (RFC 6068) for `address` with `subject` and `body`, every character
    outside the unreserved set percent-encoded as UTF-8 (spaces %20, CRLF %0D%0A)."""
    return (f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"
            f"&body={quote(body, safe='')}")


@dataclass(frozen=True)
class Choice:
    """One button: its label, and the message it opens."""

    label: str  # the button's words: "Approve"
    lead: str  # the words the subject starts with: "Approve", "Question on", "Ask done:"
    subject: str
    href: str  # the mailto: URL


@dataclass(frozen=True)
class Answer:
    """The answer block of one item: where the e-mail goes, its buttons and its text."""

    address: str
    choices: tuple[Choice, ...]
    body: tuple[str, ...]  # the message's lines, the same for every button

    @property
    def first(self) -> Choice:
        """The first button, whose message the page shows in full."""
        return self.choices[0]

    @property
    def others(self) -> tuple[Choice, ...]:
        """The other buttons: the same message, their own words at the subject's start."""
        return self.choices[1:]


@dataclass(frozen=True)
class Answers:
    """The answer e-mails of one portal: the practice's reply address, the client, and the
    portal's build (its "as of" day)."""

    address: str
    client: str
    built: dt.date
    formats: Formats

    @property
    def build(self) -> str:
        """The build as the message names it: "Portal as of 6 December 2026"."""
        return f"Portal as of {_plain(self.formats.long_day(self.built))}"

    def _answer(self, item: str, subject: str, choices: list[tuple[str, str]]) -> Answer:
        """`item`: the body's line naming the item; `subject`: the item in the subject,
        after each choice's lead words."""
        body = (self.client, item, self.build)
        text = LINE_BREAK.join(body)
        made = []
        for label, lead in choices:
            line = f"{lead} {subject} ({self.client})"
            made.append(Choice(label, lead, line, mailto(self.address, line, text)))
        return Answer(self.address, tuple(made), body)

    def decision(self, number: str, title: str) -> Answer:
        """Approve, Decline and Ask a question, for a decision awaiting the client."""
        title = _plain(title)
        return self._answer(f"Decision {number}: {title}", f"decision {number}: {title}",
                            [("Approve", "Approve"), ("Decline", "Decline"),
                             ("Ask a question", "Question on")])

    def ask(self, title: str) -> Answer:
        """Done, for an open ask a client contact owes. Asks are named by their title: their
        ids are the practice's bookkeeping and never shown."""
        title = _plain(title)
        return self._answer(f"Ask: {title}", title, [("Done", "Ask done:")])

    def pack(self, day: dt.date, title: str) -> Answer:
        """Acknowledge receipt, for a board pack."""
        pack = f"{_plain(title)}, meeting of {_plain(self.formats.long_day(day))}"
        return self._answer(f"Board pack: {pack}", pack,
                            [("Acknowledge receipt", "Board pack received:")])


def _plain(text: str) -> str:
    """One line of ordinary spaces (the locale's dates hold no-break spaces, which a mail
    program need not keep): a subject or a body line never breaks inside a title."""
    return " ".join(str(text).split())


def answered(status: str) -> str | None:
    """"Approved" or "Declined" for a decided status, else None."""
    return ANSWERED.get(status)
