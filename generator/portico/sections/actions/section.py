"""Asks as a section: actions.yml → a page of what each side owes, grouped by owner, and
the client's "Waiting on you" card first on the home page."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from portico.content.errors import Problem
from portico.content.model import Engagement
from portico.portal.markdown import anchor
from portico.sections.actions.model import Action, ActionList
from portico.sections.actions.view import ActionsView
from portico.sections.base import Markers, Section, Trace, YamlText

if TYPE_CHECKING:
    from portico.content.load import Loader
    from portico.portal.render import PageWriter

FILE = "actions.yml"
PAGE = "asks.md"


class ActionsSection(Section):
    """actions.yml: what the client and the practice owe each other, with due dates."""

    name = "actions"
    title = "Asks"
    noun = "Ask"
    sources = (FILE,)
    home_rank = 1  # the client's own to-dos come before everything else on home

    def load(self, folder: Path, loader: Loader) -> list[Action]:
        if not loader.present(folder / FILE):
            return []
        found = loader.yaml(folder / FILE, ActionList, empty={})
        return list(found.actions) if found else []

    def check(self, e: Engagement, part: list[Action], today: dt.date) -> Iterator[Problem]:
        file = f"{e.source}/{FILE}"
        ids = Counter(a.id for a in part)
        contacts = {c.name.casefold() for c in e.client.contacts}
        for i, action in enumerate(part):
            at = ("actions", i)
            if ids[action.id] > 1:
                yield Problem(file, e.line(FILE, (*at, "id")), f"duplicate ask id {action.id}")
            if not action.by_practice and action.owner.strip().casefold() not in contacts:
                yield Problem(file, e.line(FILE, (*at, "owner")),
                              f"{action.id}: owner {action.owner!r} is not a contact in "
                              "client.yml; write a contact's name, or `practice`")
            if action.done is not None and action.status != "done":
                yield Problem(file, e.line(FILE, (*at, "done")),
                              f"{action.id}: done is the day it was done; its status is "
                              f"{action.status}, not done")
            if action.done_by is not None and action.status != "done":
                yield Problem(file, e.line(FILE, (*at, "done_by")),
                              f"{action.id}: done_by is who did it; its status is "
                              f"{action.status}, not done")

    def yaml_markdown(self, part: list[Action]) -> Iterator[YamlText]:
        for i, action in enumerate(part):
            if action.from_:
                yield YamlText(FILE, ("actions", i, "from"), f"[source]({action.from_})",
                               not action.internal)

    def markers(self, part: list[Action]) -> Markers:
        found = Markers()
        for action in part:
            found.strings.append(action.title)
            found.titles.append(action.title)
            if action.done_by:
                found.strings.append(action.done_by)
                found.people.append(action.done_by)
        return found

    def schema(self) -> dict[str, type[BaseModel]]:
        return {"actions": ActionList}

    def linked_items(self, part: list[Action]) -> dict[str, Any]:
        return {a.id: a for a in part or []}

    def page(self, view: ActionsView) -> str | None:
        return PAGE if view.actions else None

    def view(self, e: Engagement, part: list[Action], today: dt.date) -> ActionsView:
        from portico.portal.slips import slip_of

        view = ActionsView(today, [a for a in part or [] if not a.internal])
        if e.history is not None:
            for action in view.actions:
                now = _trace(self.name, action, today)
                slip = slip_of(e.history, now.key, "due", now, today)
                if slip is not None:
                    view.slips[action.id] = slip
        return view

    def traces(self, view: ActionsView) -> Iterator[Trace]:
        for a in view.actions:  # "overdue" is a state: What's new reports an ask falling due
            yield _trace(self.name, a, view.today)

    def target(self, obj: Any, pages: dict[Path, str]) -> tuple[str, str] | None:
        return (PAGE, anchor(obj.id)) if isinstance(obj, Action) else None

    def pages(self, view: ActionsView, writer: PageWriter) -> None:
        if not view.actions:
            return
        from portico.content.practice import practice_name

        writer.page = PAGE
        # The client's open asks take a "Done" answer (when the practice has a reply address).
        answers = writer.answers
        answer_of = {a.id: answers.ask(a.title) for a in view.waiting} if answers else {}
        writer.write(PAGE, "actions/page.md.j2", "Asks", hide=("toc",), asks=view,
                     practice=practice_name(writer.practice.root), answer_of=answer_of)

    def nav(self, view: ActionsView, pages: dict[Path, str]) -> list[Any]:
        return [{"Asks": PAGE}] if view.actions else []

    def home_card(self, view: ActionsView, writer: PageWriter) -> str | None:
        if not view.actions:
            return None
        return writer.render_template("actions/home_card.md.j2", asks=view)


def _trace(section: str, action: Action, today: dt.date) -> Trace:
    """Its state on `today` and its due date: a moved due date is a slip."""
    return Trace(section, action.id, action.title, action.state(today),
                 dates={"due": action.due.isoformat()} if action.due else {}, item=action)
