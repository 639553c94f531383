"""`portico new`: files that pass `check` from the first save, with a schema line for editors."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from portico.content.errors import PorticoError
from portico.content.load import SLUG

SCHEMA_LINE = "# yaml-language-server: $schema={path}\n"


def slugify(title: str, *, limit: int = 50) -> str:
    """File-name words from a title: `Adopt managed Postgres` → `adopt-managed-postgres`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return words[:limit].rstrip("-") or "untitled"


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
        + "    What this engagement is for, in two or three sentences the CEO would sign.\n"
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
    folder = _client_folder(root, client) / "decisions"
    folder.mkdir(exist_ok=True)
    number = _next_number(folder)
    date = (today or dt.date.today()).isoformat()
    target = folder / f"{number}-{slugify(title)}.md"
    if fmt == "madr":
        text = (
            "---\nstatus: proposed\n"
            f"date: {date}\ndecision-makers: []\nconsulted: []\ninformed: []\n---\n"
            f"# {title}\n\n## Context and Problem Statement\n\n"
            "What is the problem, and why does it need a decision now?\n\n"
            "## Considered Options\n\n* Option one\n* Option two\n\n"
            "## Decision Outcome\n\nChosen option: \"Option one\", because ...\n\n"
            "### Consequences\n\n* Good, because ...\n* Bad, because ...\n"
        )
    elif fmt == "nygard":
        text = (
            f"# {int(number)}. {title}\n\nDate: {date}\n\n## Status\n\nProposed\n\n"
            "## Context\n\nThe forces at play.\n\n## Decision\n\nWe will ...\n\n"
            "## Consequences\n\nWhat becomes easier or harder.\n"
        )
    else:
        raise PorticoError(f"unknown decision format {fmt!r}: use madr or nygard")
    return _write_new(target, text)


def new_note(root: Path, client: str, title: str, *, kind: str = "meeting",
             today: dt.date | None = None) -> Path:
    """Write notes/YYYY-MM-DD-title.md for today."""
    from portico.sections.notes import KINDS as NOTE_KINDS

    if kind not in NOTE_KINDS:
        raise PorticoError(f"--kind must be one of {', '.join(NOTE_KINDS)}, got {kind!r}")
    folder = _client_folder(root, client) / "notes"
    date = (today or dt.date.today()).isoformat()
    target = folder / f"{date}-{slugify(title)}.md"
    text = (f"---\ntitle: {_yaml_text(title)}\nkind: {kind}\n---\n\n"
            "## Attendees\n\n- \n\n## Discussed\n\n- \n\n## Actions\n\n- [ ] \n")
    return _write_new(target, text)
