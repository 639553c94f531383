"""`portico new`: files that pass `check` from the first save, with a schema line for editors."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from portico.authoring.append import append_entry
from portico.content.errors import PorticoError
from portico.content.load import SLUG
from portico.sections.board.new import pack_text
from portico.sections.decisions.new import madr_text, nygard_text
from portico.sections.engagement.new import SUMMARY_PROMPT

SCHEMA_LINE = "# yaml-language-server: $schema={path}\n"
_OPTIONS = {"time": "--at", "duration": "--duration", "where": "--where",
            "timezone": "--timezone", "title": "the title"}  # a meeting's fields, as options


def slugify(title: str, *, limit: int = 50) -> str:
    """File-name words from a title: `Adopt managed Postgres` → `adopt-managed-postgres`.

    At most `limit` characters, cut at the end of a word (`...-instead-of`, never
    `...-instead-of-buil`); a single word longer than that is cut where it must be."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(words) > limit:
        cut = words[:limit + 1]  # a hyphen right after the limit ends a whole word there
        words = cut[:cut.rfind("-")] if "-" in cut else words[:limit]
    return words.rstrip("-") or "untitled"


def _titled(title: str, what: str) -> str:
    """`title` without outer spaces; refused when nothing is left (a file named `untitled`
    with an empty heading would pass nowhere)."""
    if not title.strip():
        raise PorticoError(f"the {what} needs a title: give it in quotes, e.g. "
                           f"portico new {what} CLIENT \"Adopt managed Postgres\"")
    return " ".join(title.split())


def _schema_ref(root: Path, target: Path, name: str) -> str:
    depth = len(target.parent.relative_to(root).parts)
    return SCHEMA_LINE.format(path="../" * depth + f"schemas/{name}.schema.json")


def _write_new(path: Path, text: str) -> Path:
    if path.exists():
        raise PorticoError(f"{path} already exists; not overwriting it")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path


def _client_folder(root: Path, client: str) -> Path:
    folder = root / "clients" / client
    if not (folder / "client.yml").is_file():
        raise PorticoError(f"clients/{client}/client.yml not found: no such client "
                           f"(create it with `portico new client {client} --name ...`)")
    return folder


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_client(root: Path, slug: str, name: str, *, today: dt.date | None = None) -> Path:
    """Write clients/SLUG/client.yml for a client starting today; returns its path."""
    if not SLUG.match(slug):
        raise PorticoError(f"{slug!r} is not a valid client slug: 2-40 characters of a-z, 0-9 "
                           "and -, starting with a letter")
    if not name.strip():
        raise PorticoError("the client's --name must not be empty")
    folder = root / "clients" / slug
    if folder.exists():
        raise PorticoError(f"clients/{slug} already exists; not overwriting it")
    start = (today or dt.date.today()).isoformat()
    target = folder / "client.yml"
    text = (
        _schema_ref(root, target, "client")
        + f"name: {_yaml_text(name.strip())}\n"
        + "engagement:\n"
        + f"  start: {start}\n"
        + "  model: fractional\n"
        + "  phase: assessment\n"
        + "  summary: >\n"
        + f"    {SUMMARY_PROMPT}\n"
        + "  next_steps:\n"
        + "    - Kick-off with the leadership team\n"
        + "contacts: []\n"
    )
    return _write_new(target, text)


def _next_number(folder: Path) -> str:
    numbers = [int(m.group(1)) for p in folder.glob("*.md")
               if (m := re.match(r"^(\d{1,6})", p.name))]
    return f"{max(numbers, default=0) + 1:04d}"


def new_decision(root: Path, client: str, title: str, *, fmt: str = "madr",
                 today: dt.date | None = None) -> Path:
    """Write the next decision (proposed, dated today) in MADR or Nygard format."""
    title = _titled(title, "decision")
    folder = _client_folder(root, client) / "decisions"
    folder.mkdir(exist_ok=True)
    number = _next_number(folder)
    date = (today or dt.date.today()).isoformat()
    target = folder / f"{number}-{slugify(title)}.md"
    if fmt == "madr":
        text = madr_text(title, date)
    elif fmt == "nygard":
        text = nygard_text(int(number), title, date)
    else:
        raise PorticoError(f"unknown decision format {fmt!r}: use madr or nygard")
    return _write_new(target, text)


def new_note(root: Path, client: str, title: str, *, kind: str = "meeting",
             today: dt.date | None = None) -> Path:
    """Write notes/YYYY-MM-DD-title.md for today."""
    from portico.sections.notes import KINDS as NOTE_KINDS

    if kind not in NOTE_KINDS:
        raise PorticoError(f"--kind must be one of {', '.join(NOTE_KINDS)}, got {kind!r}")
    title = _titled(title, "note")
    folder = _client_folder(root, client) / "notes"
    date = (today or dt.date.today()).isoformat()
    target = folder / f"{date}-{slugify(title)}.md"
    text = (f"---\ntitle: {_yaml_text(title)}\nkind: {kind}\n---\n\n"
            "## Attendees\n\n- \n\n## Discussed\n\n- \n\n## Actions\n\n- [ ] \n")
    return _write_new(target, text)


def new_board_pack(root: Path, client: str, date: dt.date, *, title: str | None = None,
                   period: str | None = None) -> Path:
    """Write board/YYYY-MM-DD-<title>.md for the meeting on `date`: front matter naming the
    KPIs and decisions to show (empty), and a headline to write."""
    quarter = f"{date.year}-Q{(date.month - 1) // 3 + 1}"
    title = f"{quarter[-2:]} board pack" if title is None else _titled(title, "board")
    folder = _client_folder(root, client) / "board"
    target = folder / f"{date.isoformat()}-{slugify(title)}.md"
    text = pack_text(_yaml_text(title), _yaml_text(period or quarter))
    return _write_new(target, text)


def _next_id(path: Path, key: str, prefix: str) -> str:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    taken = {str(i.get("id")) for i in (data or {}).get(key) or [] if isinstance(i, dict)}
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def new_vendor(root: Path, client: str, name: str, *, vendor_id: str | None = None,
               category: str | None = None) -> Path:
    """Add a vendor (status evaluating) to CLIENT's vendors.yml, creating the file."""
    name = _titled(name, "vendor")
    path = _client_folder(root, client) / "vendors.yml"
    new_id = vendor_id or _next_id(path, "vendors", "V-")
    header = (_schema_ref(root, path, "vendors") +
              "criteria:\n"
              "  - {id: reliability, name: Reliability and SLA record, weight: 30}\n"
              "  - {id: support, name: Support responsiveness, weight: 20}\n"
              "  - {id: value, name: Value for money, weight: 25}\n"
              "  - {id: fit, name: Fit with the roadmap, weight: 25}\n"
              "vendors:\n")
    entry = (f"  - id: {_yaml_text(new_id)}\n    name: {_yaml_text(name)}\n"
             + (f"    category: {_yaml_text(category)}\n" if category else "")
             + "    status: evaluating\n    # criticality, owner, spend, contract, scores, sla:"
               " see `portico docs content-model`\n")
    return append_entry(path, "vendors", header, entry, new_id)


def new_opportunity(root: Path, client: str, title: str, *, value: int, effort: int,
                    opportunity_id: str | None = None) -> Path:
    """Add an AI opportunity (status idea) to CLIENT's opportunities.yml, creating the file."""
    title = _titled(title, "opportunity")
    path = _client_folder(root, client) / "opportunities.yml"
    new_id = opportunity_id or _next_id(path, "opportunities", "AI-")
    header = _schema_ref(root, path, "opportunities") + "opportunities:\n"
    entry = (f"  - id: {_yaml_text(new_id)}\n    title: {_yaml_text(title)}\n"
             f"    value: {value}\n    effort: {effort}\n    status: idea\n"
             "    # process, owner, data_readiness, risk, annual_value, roadmap, governance:"
             " see `portico docs content-model`\n")
    return append_entry(path, "opportunities", header, entry, new_id)


def new_action(root: Path, client: str, title: str, *, owner: str, due: dt.date | None = None,
               action_id: str | None = None) -> Path:
    """Add an open ask to CLIENT's actions.yml (created when missing), with the next A-NNN id.

    `owner`: a contact's name from client.yml, or `practice`; `check` holds it to that."""
    import yaml

    path = _client_folder(root, client) / "actions.yml"
    if not title.strip() or not owner.strip():
        raise PorticoError("an ask needs a title and an --owner")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    numbers = [int(m.group(1)) for i in (data or {}).get("actions") or [] if isinstance(i, dict)
               if (m := re.fullmatch(r"A-(\d+)", str(i.get("id"))))]
    new_id = action_id or f"A-{max(numbers, default=0) + 1:03d}"
    header = (_schema_ref(root, path, "actions") +
              "# What each side owes: `owner` is a contact's name from client.yml, or "
              "`practice`.\nactions:\n")
    entry = (f"  - id: {_yaml_text(new_id)}\n    title: {_yaml_text(title)}\n"
             f"    owner: {_yaml_text(owner)}\n"
             + (f"    due: {due.isoformat()}\n" if due else "")
             + "    status: open\n    # from (a note, board pack, decision or roadmap.yml#id):"
               " see `portico docs content-model`\n")
    return append_entry(path, "actions", header, entry, new_id)


def new_meeting(root: Path, client: str, title: str, *, day: dt.date, at: str,
                duration: str | None = None, where: str | None = None,
                timezone: str | None = None, meeting_id: str | None = None) -> Path:
    """Add a one-off meeting to CLIENT's meetings.yml with the next M-NNN id.

    `at` is "HH:MM" and `duration` like 45m or 1h, checked as `check` checks them (a
    PorticoError names the option). A new meetings.yml needs `timezone` (IANA), which is
    used only then."""
    import yaml
    from pydantic import ValidationError

    from portico.sections.meetings.model import Meeting, MeetingsFile

    path = _client_folder(root, client) / "meetings.yml"
    if not title.strip():
        raise PorticoError("a meeting needs a title")
    if not path.exists() and timezone is None:
        raise PorticoError(f"clients/{client}/meetings.yml is new: give its --timezone, the "
                           "IANA time zone of its times (e.g. Europe/London)")
    try:
        if timezone is not None and not path.exists():
            MeetingsFile.model_validate({"timezone": timezone})
        Meeting.model_validate({"id": "M", "title": title, "date": day, "time": at,
                                "duration": duration, "where": where})
    except ValidationError as exc:
        error = exc.errors()[0]
        option = _OPTIONS.get(str(error["loc"][0]), str(error["loc"][0]))
        raise PorticoError(f"{option} {error['ctx']['error'] if 'ctx' in error else error['msg']}"
                           ) from None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    numbers = [int(m.group(1)) for i in (data or {}).get("meetings") or [] if isinstance(i, dict)
               if (m := re.fullmatch(r"M-(\d+)", str(i.get("id"))))]
    new_id = meeting_id or f"M-{max(numbers, default=0) + 1:03d}"
    header = (_schema_ref(root, path, "meetings") +
              "# The engagement's meetings. Times are in `timezone`; board meetings come "
              "from board/.\n"
              f"timezone: {timezone}\ncadences: []\nmeetings:\n")
    entry = (f"  - id: {_yaml_text(new_id)}\n    title: {_yaml_text(title)}\n"
             f"    date: {day.isoformat()}\n    time: {_yaml_text(at.strip())}\n"
             + (f"    duration: {_yaml_text(duration.strip())}\n" if duration else "")
             + (f"    where: {_yaml_text(where)}\n" if where else "")
             + "    # attendees, agenda, links (the asks and decisions it covers): see "
               "`portico docs content-model`\n")
    return append_entry(path, "meetings", header, entry, new_id)
