"""`portico record`: a client's answer, written into the file it answers, for git to keep.

An answer comes by e-mail from the portal's buttons (portal/answers.py); the CTO records
it, and the next build shows who approved or acknowledged what, and when:

- a decision (`0006`, `6`, `ADR-6`): approved (accepted) or declined (rejected), with
  its decision-makers and date, in the format its file uses (record_decision.py);
- an ask (its id, `A-003`, or its title as the e-mail gives it): done, with `done` (the
  day) and `done_by` in actions.yml;
- a board pack (its meeting date `2026-12-10`, the month `2026-12` when one pack falls in
  it, or its file name without `.md`): acknowledged, with `acknowledged_by` and
  `acknowledged_on` in its front matter.

Recording again is allowed (a decision first approved, then declined): the result says
what changed. Each file is written whole, or not at all, and must read back as recorded.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portico.authoring.record_decision import front_matter, write_answer
from portico.authoring.yaml_edit import scalar, set_keys
from portico.content.errors import ContentError, PorticoError, Problem
from portico.content.load import Loader
from portico.content.model import iso_date

STATES = {
    "decision": {"approved": "accepted", "accepted": "accepted", "declined": "rejected",
                 "rejected": "rejected"},
    "ask": {"done": "done"},
    "board pack": {"acknowledged": "acknowledged"},
}
_ANSWERS = {"decision": "a decision is approved or declined (or: accepted, rejected)",
            "ask": "an ask is done", "board pack": "a board pack is acknowledged"}
_DECISION = re.compile(r"(?:adr[-_ ]?)?0*(\d{1,6})", re.IGNORECASE)
_PACK = re.compile(r"\d{4}-\d{2}(?:-\d{2}.*)?")
_SETTLED = ("superseded", "deprecated")  # no answer changes these


@dataclass
class Recorded:
    """What `record_answer` wrote: the file, the item, and each field's old and new value
    (empty when the file already said so)."""

    path: Path
    item: str  # "decision 0006 Buy a TMS for quoting and bookings"
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def record_answer(root: Path, client: str, item: str, state: str, *, by: str,
                  on: str | dt.date | None = None) -> Recorded:
    """Record CLIENT's answer `state` on `item`, given by `by` on `on` (default today).

    Raises PorticoError (one line) for a mistake on the command line, ContentError
    (`path:line: message`) for one in the files."""
    folder = root / "clients" / client
    if not (folder / "client.yml").is_file():
        raise PorticoError(f"no such client: clients/{client}/client.yml not found")
    who = " ".join(by.split())
    if not who:
        raise PorticoError("--by must name who answered, e.g. --by \"Margaret Okafor\"")
    day = _day(on)
    kind = _kind(folder, item)
    word = _state(kind, state)
    if kind == "decision":
        return _record_decision(root, folder, item, word, who, day)
    if kind == "ask":
        return _record_ask(root, folder, item, who, day)
    return _record_pack(root, folder, item, who, day)


def _day(on: str | dt.date | None) -> dt.date:
    if on is None:
        return dt.date.today()
    if isinstance(on, dt.date):
        return on
    try:
        day = iso_date(on)
    except ValueError as exc:
        raise PorticoError(f"--on {exc}") from None
    if day is None:
        raise PorticoError(f"--on must be a date written YYYY-MM-DD, got {on!r}")
    return day


def _kind(folder: Path, item: str) -> str:
    """What `item` names: a board pack (a date), a decision (a number) or an ask."""
    if _PACK.fullmatch(item.strip()):
        return "board pack"
    if _DECISION.fullmatch(item.strip()) and not _ask_ids(folder) & {item.strip().casefold()}:
        return "decision"
    return "ask"


def _state(kind: str, state: str) -> str:
    words = STATES[kind]
    key = state.strip().casefold()
    if key in words:
        return words[key]
    close = difflib.get_close_matches(key, list(words), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise PorticoError(f"{_ANSWERS[kind]}, got {state!r}{hint}")


# -- decisions ---------------------------------------------------------------------


def _record_decision(root: Path, folder: Path, item: str, status: str, who: str,
                     day: dt.date) -> Recorded:
    from portico.sections.decisions.load import load_decisions
    from portico.sections.decisions.metadata import people

    match = _DECISION.fullmatch(item.strip())
    assert match is not None
    number = f"{int(match.group(1)):04d}"
    decisions, errors = _decisions(root, folder, load_decisions)
    decision = next((d for d in decisions if d.number == number), None)
    mine = [p for p in errors if decision is None or p.path == decision.doc.source]
    if mine:  # the decision's own file (or, without it, the log) has mistakes to fix first
        raise ContentError(mine)
    if decision is None:
        numbers = ", ".join(d.number for d in decisions) or "none yet"
        raise PorticoError(f"clients/{folder.name}: no decision {number} "
                           f"(decisions: {numbers})")
    source = decision.doc.source
    if decision.status in _SETTLED:
        raise ContentError.at(source, decision.status_line,
                              f"decision {number} is {decision.status}: only a decision "
                              "awaiting an answer, or one already answered, takes one")
    names = list(people(who))
    text, raw = _read(decision.doc.path)
    updated = write_answer(text, decision, status, names, day, source)
    _write(decision.doc.path, updated, raw)
    after = next((d for d in _decisions(root, folder, load_decisions)[0]
                  if d.number == number), None)
    if after is None or (after.status, after.date, list(after.decision_makers)) != (
            status, day, names):
        _write(decision.doc.path, raw, raw)
        raise PorticoError(f"{source}: the answer would not read back as recorded; "
                           "the file is unchanged: edit it by hand")
    changes = [("status", decision.status, status),
               ("date", _iso(decision.date), day.isoformat()),
               ("decided by", ", ".join(decision.decision_makers) or "–", ", ".join(names))]
    return Recorded(decision.doc.path, f"decision {number} {decision.title}",
                    [c for c in changes if c[1] != c[2]])


def _decisions(root: Path, folder: Path, load: Any) -> tuple[list[Any], list[Problem]]:
    """The client's decisions as loaded, and the errors found reading them."""
    loader = Loader(root)
    decisions: list[Any] = load(folder / "decisions", loader)
    return decisions, [p for p in loader.problems if p.severity == "error"]


# -- asks --------------------------------------------------------------------------


def _ask_ids(folder: Path) -> set[str]:
    import yaml

    path = folder / "actions.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (yaml.YAMLError, UnicodeDecodeError):
        return set()
    items = data.get("actions") if isinstance(data, dict) else None
    return {str(a.get("id")).casefold() for a in items or [] if isinstance(a, dict)}


def _record_ask(root: Path, folder: Path, item: str, who: str, day: dt.date) -> Recorded:
    from portico.sections.actions.model import ActionList

    path = folder / "actions.yml"
    source = f"clients/{folder.name}/actions.yml"
    if not path.is_file():
        raise PorticoError(f"{source} not found: clients/{folder.name} has no asks")
    loader = Loader(root)
    asks = loader.yaml(path, ActionList, empty={})
    errors = [p for p in loader.problems if p.severity == "error"]
    if asks is None or errors:
        raise ContentError(errors or [Problem(source, 1, "cannot be read")])
    wanted = " ".join(item.split()).casefold()
    index = next((i for i, a in enumerate(asks.actions) if a.id.casefold() == wanted), None)
    if index is None:  # the e-mail names an ask by its title
        index = next((i for i, a in enumerate(asks.actions)
                      if " ".join(a.title.split()).casefold() == wanted), None)
    if index is None:
        ids = [a.id for a in asks.actions]
        close = difflib.get_close_matches(item.strip(), ids, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise PorticoError(f"{source}: no ask {item!r}{hint}; give its id or its title")
    before = asks.actions[index]
    text, raw = _read(path)
    updated = set_keys(text, ("actions", index),
                       {"status": "done", "done": scalar(day), "done_by": scalar(who)},
                       path=source, after=("due", "owner"))
    check = Loader(root)
    _write(path, updated, raw)
    again = check.yaml(path, ActionList, empty={})
    if again is None or [p for p in check.problems if p.severity == "error"]:
        _write(path, raw, raw)
        raise PorticoError(f"{source}: the answer would not read back as recorded; "
                           "the file is unchanged: edit it by hand")
    changes = [("status", str(before.status), "done"),
               ("done", _iso(before.done), day.isoformat()),
               ("done by", before.done_by or "–", who)]
    return Recorded(path, f"ask {before.id} {before.title}", [c for c in changes if c[1] != c[2]])


# -- board packs -------------------------------------------------------------------


def _record_pack(root: Path, folder: Path, item: str, who: str, day: dt.date) -> Recorded:
    from portico.sections.board.model import BoardMeta

    board = folder / "board"
    packs = sorted(p for p in Loader(root).markdown_files(board)) if board.is_dir() else []
    wanted = item.strip().removesuffix(".md")
    found = [p for p in packs if p.stem == wanted] or \
        [p for p in packs if p.name[:len(wanted)] == wanted and
         len(wanted) in (7, 10)]  # YYYY-MM, YYYY-MM-DD
    source = f"clients/{folder.name}/board"
    if not found:
        days = ", ".join(p.name[:10] for p in packs) or "none yet"
        raise PorticoError(f"{source}: no board pack for {item!r} (packs: {days})")
    if len(found) > 1:
        names = ", ".join(p.stem for p in found)
        raise PorticoError(f"{source}: {item!r} names {len(found)} packs ({names}); give "
                           "the file name without .md")
    path = found[0]
    shown = f"{source}/{path.name}"
    loader = Loader(root)
    parsed = loader.markdown(path, BoardMeta)
    if parsed is None:
        raise ContentError([p for p in loader.problems if p.severity == "error"])
    meta = parsed[0]
    text, raw = _read(path)
    values = {"acknowledged_by": scalar(who), "acknowledged_on": scalar(day)}
    span = front_matter(text)
    if span is None:
        updated = "---\n" + "".join(f"{k}: {v}\n" for k, v in values.items()) + "---\n\n" + text
    elif not text[span[0]:span[1]].strip():
        updated = text[:span[0]] + "".join(f"{k}: {v}\n" for k, v in values.items()) + \
            text[span[1]:]
    else:
        block = set_keys(text[span[0]:span[1]], (), values, path=shown, first_line=2)
        updated = text[:span[0]] + block + text[span[1]:]
    _write(path, updated, raw)
    check = Loader(root)
    again = check.markdown(path, BoardMeta)
    if again is None or (again[0].acknowledged_by, again[0].acknowledged_on) != (who, day):
        _write(path, raw, raw)
        raise PorticoError(f"{shown}: the answer would not read back as recorded; the file "
                           "is unchanged: edit it by hand")
    title = loader.document(path, meta.title, parsed[1], parsed[2], meta.internal,
                            fallback=f"Board pack {path.name[:10]}")
    changes = [("acknowledged by", meta.acknowledged_by or "–", who),
               ("acknowledged on", _iso(meta.acknowledged_on), day.isoformat())]
    return Recorded(path, f"board pack {path.name[:10]} {title.title if title else ''}".strip(),
                    [c for c in changes if c[1] != c[2]])


# -- files -------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "–"


def _read(path: Path) -> tuple[str, str]:
    """(the file's text with `\\n` line breaks and no BOM, the file as it is)."""
    with path.open(encoding="utf-8", newline="") as handle:
        raw = handle.read()
    return raw.removeprefix("\ufeff").replace("\r\n", "\n"), raw


def _write(path: Path, text: str, like: str) -> None:
    """Replace `path` with `text` in one rename (a reader never sees half a file), with the
    line breaks and BOM of `like`, the file as it was."""
    if "\r\n" in like:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if like.startswith("\ufeff") and not text.startswith("\ufeff"):
        text = "\ufeff" + text
    temp = path.with_name(f".{path.name}.record")
    with temp.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(temp, path)
