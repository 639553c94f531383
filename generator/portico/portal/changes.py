"""What changed in a client's portal from commit to commit, from the models, never from
commit messages (they may mention internal matters).

Each revision of the client folder (content.history) is loaded and viewed as the client saw
it that day; every section's `traces` hook says what each visible item looked like. Those
traces are kept in a JSON cache file keyed by commit, so a build reads only the commits it
has not seen before. Successive traces compared give the changes; one item's traces give
its trend (a risk's score over time, a roadmap item's status moves).

An item that is not client-visible *today* (made internal since, or deleted) never appears,
not even as "something changed", and neither does anything internal at the time. What the
client asked to forget (client.yml `forget:`) is dropped from each commit's traces before
anything else sees them: an item with a forgotten id, and an item whose text at that commit
holds a forgotten phrase, is as if absent there, so its run (`current_runs`) starts afresh
after it and no old pack, change or trend reaches back past it.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portico.content.forget import id_forgotten, phrase_found
from portico.content.history import History, Revision
from portico.content.model import Engagement, Forget
from portico.portal.labels import label
from portico.sections import Trace, registered

if TYPE_CHECKING:
    from portico.portal.slips import DateMove

TRACE_FORMAT = 4  # with the code's own digest (see _cache_format), the cache's format
Traces = dict[tuple[str, str], Trace]


@dataclass(frozen=True)
class Change:
    """One item that is new or different in one revision."""

    revision: Revision
    before: Trace | None  # None: the item is new
    after: Trace

    @property
    def moves(self) -> list[str]:
        """What moved, in words: "score 12 → 16", "status proposed → accepted"."""
        if self.before is None:
            return []
        found = []
        if self.before.score != self.after.score and self.after.score is not None:
            found.append(f"score {self.before.score} → {self.after.score}")
        if self.before.state != self.after.state:
            found.append(f"{_words(self.before.state)} → {_words(self.after.state)}")
        if self.before.title != self.after.title:
            found.append("retitled")
        return found

    @property
    def slips(self) -> list[DateMove]:
        """The promised dates that moved (portal.slips.DateMove): "end moved from Dec 18,
        2026 to Feb 26, 2027 (+10 weeks)"."""
        from portico.portal.slips import date_moves

        return [] if self.before is None else date_moves(self.before.dates, self.after.dates)


def current_traces(e: Engagement, today: Any, *, without: Iterable[str] = ()) -> Traces:
    """What every section shows of `e` on `today`, by (section, id); a section asking for
    the others' (board packs, "What's new") leaves itself out with `without`."""
    traces: Traces = {}
    skipped = set(without)
    for section in registered():
        if section.name in skipped or not e.shows(section.name):
            continue
        traces.update(_section_traces(e, section, today))
    return traces


def _section_traces(e: Engagement, section: Any, today: Any) -> Traces:
    """One section's traces of `e` today; kept with `e`'s history, because What's new and
    every board pack ask for them and each costs a view of the section."""
    if e.history is None:
        return {t.key: t for t in section.traces(section.view(e, e.parts.get(section.name),
                                                              today))}
    remembered = e.history.memo.setdefault("current traces", {})
    key = (id(e), section.name, today)
    if key not in remembered or remembered[key][0] is not e:  # the same object, not an id reused
        # A trace is what the files say today (title, status, score, dates): the section's
        # view of them without the history, which only adds what moved over time.
        view = section.view(dataclasses.replace(e, history=None), e.parts.get(section.name),
                            today)
        remembered[key] = (e, {t.key: t for t in section.traces(view)})
    return remembered[key][1]  # type: ignore[no-any-return]


def timeline(history: History | None) -> list[tuple[Revision, Traces]]:
    """Each revision with the traces of its visible items, oldest first (memoised)."""
    if history is None or not history.revisions:
        return []
    if "timeline" in history.memo:
        return history.memo["timeline"]  # type: ignore[no-any-return]
    forget = _forget_key(history.forget)
    cached, table, dropped = _read_cache(history.cache_file, forget)
    # One Trace per distinct row, shared by every revision that shows it unchanged: most
    # items stay the same from commit to commit, so a long history holds a few thousand
    # distinct rows, not one per item per commit, and "unchanged" is an identity check.
    keyed = [(trace.key, trace) for trace in (Trace(*row) for row in table)]
    number = {_row_key(row): i for i, row in enumerate(table)}
    found: list[tuple[Revision, Traces]] = []
    fresh = False
    for revision in history.revisions:
        indices = cached.get(revision.commit)
        if indices is None and revision.commit not in cached:
            engagement = history.engagement_at(revision)
            if engagement is not None:
                rows, dropped[revision.commit] = _remembered(engagement, revision.day,
                                                             history.forget)
                indices = [_intern(row, table, number, keyed) for row in rows]
            if revision.commit not in history.unreadable:  # git failing is not the commit's
                cached[revision.commit] = indices
                fresh = True
        if indices is not None:  # a commit that did not load is skipped, as if never made
            found.append((revision, dict(keyed[i] for i in indices)))
    if fresh:
        _write_cache(history.cache_file, cached, table, dropped, forget)
    history.memo["timeline"] = found
    history.memo["forgotten titles"] = sorted({t for titles in dropped.values() for t in titles})
    return found


def _row_key(row: list[Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def _intern(row: list[Any], table: list[list[Any]], number: dict[str, int],
            keyed: list[tuple[tuple[str, str], Trace]]) -> int:
    """The number of `row` in the cache's table of distinct rows, added when new."""
    key = _row_key(row)
    if key not in number:
        number[key] = len(table)
        table.append(row)
        trace = Trace(*row)
        keyed.append((trace.key, trace))
    return number[key]


def _remembered(e: Engagement, day: Any, forget: Forget) -> tuple[list[list[Any]], list[str]]:
    """The rows of what the client saw of `e` on `day`, less what it asked to forget; and
    the titles the forgotten ids had there (verify looks for them in the portal)."""
    sections = {section.name: section for section in registered()}
    rows: list[list[Any]] = []
    titles: list[str] = []
    for trace in current_traces(e, day).values():
        if id_forgotten(forget, trace.id):
            titles.append(trace.title)
        elif not forget.phrases or not any(
                phrase_found(text, forget.phrases)
                for text in sections[trace.section].texts(trace.item)):
            rows.append(_row(trace))
    return rows, titles


def forgotten_titles(history: History | None) -> list[str]:
    """The titles that items with a forgotten id had at any commit of the history (read
    from git, or from the history cache), for the leak scan of the decrypted portal."""
    if history is None:
        return []
    timeline(history)
    return list(history.memo.get("forgotten titles", []))


def attach(e: Engagement, history: History) -> None:
    """Give `e` its history, with what its client.yml asks to forget (see `timeline`) and
    the titles of everything internal in `e` today: a past
    item titled like one of them (an item moved to a new, internal id, its old id reused
    for another) is not the past of today's item of that id."""
    hidden: set[str] = set()
    for section in registered():
        part = e.parts.get(section.name)
        for item in section.linked_items(part).values():
            if getattr(item, "internal", False):
                hidden.add(str(getattr(item, "title", None) or getattr(item, "name", "")))
        for document, visible in section.documents(part):
            if not visible:
                hidden.add(document.title)
    history.hidden = frozenset(t for t in hidden if t)
    history.forget = e.client.forget
    e.history = history


SAME_ITEM_RATIO = 0.8
"""How alike (difflib ratio, case and spacing ignored) a past title must be to the item's
newest title for the past revision to count as the same item. 0.8 lets a typo or a word
changed in a long title through ("Carrier integrations depend on one engineer" → "...on
one developer", 0.87); a reworded or different title ("Newark warehouse closure" →
"Warehouse scanners reach end of support", 0.4) starts a new item."""


def same_item(then: str, now: str) -> bool:
    """Whether a past title is a small edit of today's: the same item, not another one
    under a reused id, nor a reworded one whose old wording must not come back."""
    a, b = (" ".join(t.casefold().split()) for t in (then, now))
    return a == b or difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= \
        SAME_ITEM_RATIO


def current_runs(history: History | None) -> dict[tuple[str, str], int]:
    """For each item of the newest revision, the index in `timeline` where its current,
    unbroken run of revisions starts. An id absent or internal at some revision, titled
    there like an item internal today (see `attach`), or titled there beyond a small edit
    of its newest title (`same_item`: a reused id, or a reworded item), starts afresh
    after it: nothing of an earlier item with the same id, and no wording the item has
    since dropped, is ever told as this one's past."""
    if history is None:
        return {}
    if "runs" in history.memo:
        return history.memo["runs"]  # type: ignore[no-any-return]
    steps = timeline(history)
    runs: dict[tuple[str, str], int] = {}
    alive = set(steps[-1][1]) if steps else set()
    for index in range(len(steps) - 1, -1, -1):
        for key in list(alive):
            trace = steps[index][1].get(key)
            newest = steps[-1][1][key].title
            if trace is not None and trace.title not in history.hidden \
                    and (trace.title == newest or same_item(trace.title, newest)):
                runs[key] = index
            else:
                alive.discard(key)
    history.memo["runs"] = runs
    return runs


def known_since(history: History | None, key: tuple[str, str],
                revision: Revision | None) -> bool:
    """Whether the item `key` of today was already this same item at `revision` (within
    its current run); None, the current files, always."""
    if revision is None:
        return True
    if history is None:
        return False
    if "index" not in history.memo:  # asked per item per pack: look it up, do not scan
        history.memo["index"] = {r.commit: i for i, (r, _) in enumerate(timeline(history))}
    index = history.memo["index"].get(revision.commit)
    start = current_runs(history).get(key)
    return index is not None and start is not None and start <= index


def changes(history: History | None, visible: Iterable[tuple[str, str]]) -> list[Change]:
    """Changes to the items visible today, within each one's current run, newest revision
    first. The first revision with anything to show is the portal's starting point, not a
    change; so is the revision where a section first shows several items at once (a page
    started from the CTO's existing records: asks already done, work delivered months ago),
    whose items are its starting point, not news. A single first item (the first board
    pack) is news."""
    shown = set(visible)
    runs = current_runs(history)
    found: list[Change] = []
    steps = timeline(history)
    while len(steps) > 1 and not steps[0][1]:
        steps = steps[1:]  # an empty first state (a client.yml alone) is no starting point
    offset = len(timeline(history)) - len(steps)
    for index, ((_, before), (revision, after)) in enumerate(zip(steps, steps[1:],
                                                                 strict=False), 1 + offset):
        had = {key[0] for key in before}
        arrived: dict[str, int] = {}
        for key in after:
            if key[0] not in had:
                arrived[key[0]] = arrived.get(key[0], 0) + 1
        for key, trace in after.items():
            if key not in shown or key not in runs or index < runs[key]:
                continue
            if arrived.get(key[0], 0) > 1:
                continue  # the section's starting point
            previous = before.get(key) if index > runs[key] else None
            if previous is trace:
                continue  # the same row as before (see timeline): nothing moved
            change = Change(revision, previous, trace)
            if previous is None or change.moves or change.slips:
                found.append(change)
    order = {s.name: i for i, s in enumerate(registered())}
    found.sort(key=lambda c: (c.revision.when, -order.get(c.after.section, 99)), reverse=True)
    return found


def series(history: History | None, key: tuple[str, str]) -> list[tuple[Revision, Trace]]:
    """One item's trace at every revision where it was visible, oldest first, kept only
    where it changed (or first appeared)."""
    points: list[tuple[Revision, Trace]] = []
    start = current_runs(history).get(key)
    if start is None:
        return points
    for revision, traces in timeline(history)[start:]:
        trace = traces.get(key)
        if trace is None:
            continue
        if not points or (points[-1][1].state, points[-1][1].score) != (trace.state, trace.score):
            points.append((revision, trace))
    return points


def scores(history: History | None, key: tuple[str, str]) -> list[int]:
    """One item's score at every revision where it was visible, oldest first (repeats kept:
    a score seen at two commits is two points)."""
    start = current_runs(history).get(key)
    if start is None:
        return []
    return [trace.score or 0 for _, traces in timeline(history)[start:]
            if (trace := traces.get(key)) is not None]


def moved(history: History | None, key: tuple[str, str], now: Trace,
          today: Any) -> list[tuple[Any, Trace]]:
    """(day, trace) at each change of one item, today's state last; empty when it never
    moved. Today's state counts too: files changed since the last commit are what is built."""
    points = [(revision.day, trace) for revision, trace in series(history, key)]
    if points and (points[-1][1].state, points[-1][1].score) != (now.state, now.score):
        points.append((today, now))
    return points if len(points) > 1 else []


def _words(state: str) -> str:
    return label(state) if state else "None"


_ROW_FIELDS = ("section", "id", "title", "state", "score", "dates")  # a cached row, in order


def _row(trace: Trace) -> list[Any]:
    return [getattr(trace, name) for name in _ROW_FIELDS]


@functools.lru_cache(maxsize=1)
def _cache_format() -> str:
    """TRACE_FORMAT and a digest of the code that makes traces (the sections, history,
    this module): any change to it re-reads the history rather than trust old traces."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"traces {TRACE_FORMAT}".encode())
    sources = [*sorted((package / "sections").rglob("*.py")), package / "content/history.py",
               package / "content/load.py", package / "content/forget.py",
               Path(__file__).resolve()]
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _digest(commits: Any, dropped: Any) -> str:
    """What the cache's rows were when written: a file whose rows do not hash to it (cut
    short, edited, or written by other code) is read from git again, never trusted. One
    hash of the re-serialised rows costs a fraction of checking 50,000 rows one by one."""
    payload = json.dumps([commits, dropped], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _forget_key(forget: Forget) -> str:
    """What the cache's rows were filtered with: another `forget:` re-reads the history."""
    return hashlib.sha256(json.dumps([forget.ids, forget.phrases]).encode()).hexdigest()


Commits = dict[str, list[int] | None]  # commit → numbers of its rows in the table
Dropped = dict[str, list[str]]


def _read_cache(path: Path | None, forget: str) -> tuple[Commits, list[list[Any]], Dropped]:
    """(row numbers by commit, the table of distinct rows, titles of forgotten ids by
    commit); a commit absent is read from git again, and its dropped titles with it."""
    empty: tuple[Commits, list[list[Any]], Dropped] = ({}, [], {})
    if path is None or not path.is_file():
        return empty
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty  # a damaged cache is re-read from git, never trusted
    if not isinstance(data, dict) or data.get("format") != _cache_format() \
            or data.get("forget") != forget:
        return empty
    commits, table, dropped = data.get("commits"), data.get("rows"), data.get("dropped")
    if not isinstance(commits, dict) or not isinstance(table, list) \
            or not isinstance(dropped, dict) \
            or data.get("digest") != _digest([table, commits], dropped) \
            or not _well_formed(commits, table):
        return empty
    titles = {commit: dropped.get(commit, []) for commit, found in commits.items()
              if found is not None}
    return commits, table, titles


def _well_formed(commits: Any, table: list[Any]) -> bool:
    """Rows a Trace can be made of, and row numbers inside the table (the digest proves
    the file is as written; this, that it was written in this shape)."""
    try:
        if not all(isinstance(row, list) and len(row) == len(_ROW_FIELDS) for row in table):
            return False  # timeline makes each row a Trace once; a row must fit one
        numbers = [n for found in commits.values() if found is not None for n in found]
        return all(type(n) is int and 0 <= n < len(table) for n in numbers)
    except TypeError:
        return False


def _write_cache(path: Path | None, commits: Commits, table: list[list[Any]],
                 dropped: Dropped, forget: str) -> None:
    """Atomically: a build killed half-way leaves the previous cache, or none."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        kept = {c: t for c, t in dropped.items() if t}
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"format": _cache_format(), "forget": forget,
                       "digest": _digest([table, commits], kept), "rows": table,
                       "commits": commits, "dropped": kept}, out, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
