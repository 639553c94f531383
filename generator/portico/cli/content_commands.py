"""`portico check`, `new`, `schema` and `init`: the practice's files."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from portico.cli.app import (
    LazyChoice,
    ask_when_missing,
    main,
    report_problems,
    root_of,
    shown_path,
)
from portico.content.errors import ContentError, PorticoError


def _activities() -> tuple[str, ...]:
    from portico.sections.engagement.model import ACTIVITIES

    return ACTIVITIES


@main.command(short_help="Validate every client; print each problem at its file and line.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_context
def check(ctx: click.Context, strict: bool) -> None:
    """Validate every client and mkdocs.yml: fields, cross-references, links, internal items.

    Prints each problem as `path:line: message`, all at once; exits 1 on any error
    (or any warning with --strict). A warning is something that still builds but needs a
    look: a risk review date in the past, a notice date coming up, a script the portal
    will not run. `portico docs commands` lists every kind, with an example.
    """
    from portico.content.check import check_practice
    from portico.content.history import read_history
    from portico.content.load import load_practice
    from portico.delivery.cache import CACHE_DIR
    from portico.delivery.workdir import plain_folder
    from portico.portal.changes import attach

    root = root_of(ctx)
    practice = load_practice(root, keep_going=True)  # one broken file hides nothing else
    today = dt.date.today()
    with plain_folder(root, "check") as scratch:  # past commits' files are plain text
        for e in practice.clients:  # trends are judged against the scores' history in git
            attach(e, read_history(root, e.slug, today,
                                   cache_file=root / CACHE_DIR / "history" / f"{e.slug}.json",
                                   scratch=scratch / e.slug))
        problems = check_practice(practice, today=today)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    report_problems(warnings, err=bool(errors))
    if errors:
        raise ContentError(errors)
    if strict and warnings:
        click.echo(f"{len(warnings)} warning{'s' * (len(warnings) != 1)}, failing because of "
                   "--strict", err=True)
        sys.exit(1)
    clients = len(practice.clients)
    click.echo(f"ok: {clients} client{'s' * (clients != 1)} checked, "
               f"{len(warnings)} warning{'s' * (len(warnings) != 1)}")


@main.group(short_help="Start a client, a decision, a note, a board pack or another file.")
def new() -> None:
    """Start a client, or add one item to a client's files, written so that `check` passes:
    a decision, a note, a board pack, a vendor, an AI opportunity, an ask, a meeting, a
    risk, a roadmap item, a KPI or a maturity area."""


@new.command("client", short_help="Start a client folder with a client.yml.")
@click.argument("slug")
@click.option("--name", required=True, help="The client's display name, e.g. \"Acme Logistics\".")
@click.pass_context
def new_client(ctx: click.Context, slug: str, name: str) -> None:
    """Start clients/SLUG/ with a client.yml dated today."""
    from portico.authoring.scaffold import new_client as write

    _written(ctx, write(root_of(ctx), slug, name))


@new.command("decision", short_help="Write a client's next decision record (MADR or Nygard).")
@click.argument("client")
@click.argument("title")
@click.option("--format", "fmt", type=click.Choice(["madr", "nygard"]), default="madr",
              show_default=True, help="MADR front matter or Nygard/adr-tools `## Status`.")
@click.pass_context
def new_decision(ctx: click.Context, client: str, title: str, fmt: str) -> None:
    """Write CLIENT's next decision (next free number, today's date, status proposed)."""
    from portico.authoring.scaffold import new_decision as write

    _written(ctx, write(root_of(ctx), client, title, fmt=fmt))


@new.command("note", short_help="Write a dated note for today.")
@click.argument("client")
@click.argument("title")
@click.option("--kind", type=click.Choice(["meeting", "board-update", "status", "vendor-review",
                                           "other"]),
              default="meeting", show_default=True, help="What kind of note.")
@click.pass_context
def new_note(ctx: click.Context, client: str, title: str, kind: str) -> None:
    """Write CLIENT's notes/<today>-<title>.md."""
    from portico.authoring.scaffold import new_note as write

    _written(ctx, write(root_of(ctx), client, title, kind=kind))


@new.command("board", short_help="Write the board pack for a meeting date.")
@click.argument("client")
@click.argument("date", metavar="YYYY-MM-DD")
@click.option("--title", help="Default: \"Q<n> board pack\" for the meeting's quarter.")
@click.option("--period", help="What the pack covers (default: the quarter, e.g. 2026-Q4).")
@click.pass_context
def new_board(ctx: click.Context, client: str, date: str, title: str | None,
              period: str | None) -> None:
    """Write CLIENT's board/DATE-<title>.md for the board meeting on DATE: name the KPIs and
    decisions in its front matter and write the headline; Portico assembles the rest from
    the engagement as it stands on that day."""
    from portico.authoring.scaffold import new_board_pack as write

    _written(ctx, write(root_of(ctx), client, _day(date, "DATE"), title=title,
                        period=period))


@new.command("vendor", short_help="Add a vendor to a client's register.")
@click.argument("client")
@click.argument("name")
@click.option("--id", "vendor_id", metavar="ID", help="The vendor's id (default: the next V-N).")
@click.option("--category", help="Free text, e.g. Telematics.")
@click.pass_context
def new_vendor(ctx: click.Context, client: str, name: str, vendor_id: str | None,
               category: str | None) -> None:
    """Add NAME to CLIENT's vendors.yml as `evaluating` (the file is created with a default
    scorecard when missing). Fill in contract, spend, scores and SLAs by hand."""
    from portico.authoring.scaffold import new_vendor as write

    _written(ctx, write(root_of(ctx), client, name, vendor_id=vendor_id, category=category))


@new.command("opportunity", short_help="Add an AI opportunity to a client's list.")
@click.argument("client")
@click.argument("title")
@click.option("--value", type=click.IntRange(1, 5), callback=ask_when_missing,
              help="Business value, 1 (low) to 5 (high).")
@click.option("--effort", type=click.IntRange(1, 5), callback=ask_when_missing,
              help="Effort and difficulty, 1 (low) to 5 (high).")
@click.option("--id", "opportunity_id", metavar="ID", help="Its id (default: the next AI-N).")
@click.pass_context
def new_opportunity(ctx: click.Context, client: str, title: str, value: int, effort: int,
                    opportunity_id: str | None) -> None:
    """Add an AI opportunity to CLIENT's opportunities.yml as `idea` (created when missing)."""
    from portico.authoring.scaffold import new_opportunity as write

    _written(ctx, write(root_of(ctx), client, title, value=value, effort=effort,
                        opportunity_id=opportunity_id))


@new.command("action", short_help="Add an ask (what one side owes the other) to actions.yml.")
@click.argument("client")
@click.argument("title")
@click.option("--owner", callback=ask_when_missing,
              help="Who owes it: a contact's name from client.yml, or `practice`.")
@click.option("--due", metavar="YYYY-MM-DD", help="When it is due.")
@click.option("--id", "action_id", metavar="ID", help="Its id (default: the next A-NNN).")
@click.pass_context
def new_action(ctx: click.Context, client: str, title: str, owner: str, due: str | None,
               action_id: str | None) -> None:
    """Add an open ask to CLIENT's actions.yml (created when missing)."""
    from portico.authoring.scaffold import new_action as write

    day = _day(due, "--due") if due else None
    _written(ctx, write(root_of(ctx), client, title, owner=owner, due=day,
                        action_id=action_id))


def _day(written: str, param: str) -> dt.date:
    """A date given on the command line, as `check` reads one: a day that does not exist
    (2027-02-30) is named so, not called a format error."""
    from portico.content.model import iso_date

    try:
        day = iso_date(written)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=param) from None
    if day is None:
        raise click.BadParameter(f"must be a date written YYYY-MM-DD, got {written!r}",
                                 param_hint=param)
    return day


@new.command("meeting", short_help="Add a one-off meeting to a client's meetings.yml.")
@click.argument("client")
@click.argument("title")
@click.option("--on", "day", metavar="YYYY-MM-DD", callback=ask_when_missing,
              help="The day it is on.")
@click.option("--at", metavar="HH:MM", callback=ask_when_missing,
              help="When it starts, 24-hour clock.")
@click.option("--duration", metavar="LENGTH", help="How long: 45m, 1h or 1h30m (default 1h).")
@click.option("--where", help="A room, an address or a video link.")
@click.option("--timezone", metavar="ZONE",
              help="The IANA time zone of a new meetings.yml, e.g. Europe/London.")
@click.option("--id", "meeting_id", metavar="ID", help="Its id (default: the next M-NNN).")
@click.pass_context
def new_meeting(ctx: click.Context, client: str, title: str, day: str, at: str,
                duration: str | None, where: str | None, timezone: str | None,
                meeting_id: str | None) -> None:
    """Add a one-off meeting to CLIENT's meetings.yml (created when missing, with
    --timezone). Add attendees, an agenda and its links by hand."""
    from portico.authoring.scaffold import new_meeting as write

    _written(ctx, write(root_of(ctx), client, title, day=_day(day, "--on"), at=at,
                        duration=duration, where=where, timezone=timezone, meeting_id=meeting_id))


@main.command("log", short_help="Add a row to a client's time.csv: hours or days worked.")
@click.argument("client")
@click.option("--hours", type=click.FloatRange(0, 24, min_open=True), default=None,
              help="Hours worked (or --days).")
@click.option("--days", type=click.FloatRange(0, 31, min_open=True), default=None,
              help="Days worked (or --hours).")
@click.option("--activity", required=True, type=LazyChoice(_activities),
              help="What the time went on.")
@click.option("--on", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day worked, YYYY-MM-DD (default: today).")
@click.option("--note", default=None, help="What was done (shown in the portal).")
@click.option("--internal", is_flag=True, help="Keep the note out of the portal (the time "
              "still counts).")
@click.pass_context
def log_time(ctx: click.Context, client: str, hours: float | None, days: float | None,
             activity: str, day: dt.datetime | None, note: str | None, internal: bool) -> None:
    """Add a row to CLIENT's time.csv: `portico log harborline --hours 4 --activity coaching`."""
    from portico.sections.engagement.model import TimeEntry, append_entry

    folder = root_of(ctx) / "clients" / client
    if not (folder / "client.yml").is_file():
        raise PorticoError(f"clients/{client}: no such client (client.yml not found)")
    if (hours is None) == (days is None):
        raise PorticoError("give --hours or --days (one of them)")
    entry = TimeEntry(date=day.date() if day else dt.date.today(), hours=hours, days=days,
                      activity=activity, note=note, internal=internal)
    try:
        path = append_entry(folder, entry)
    except ValueError as exc:
        raise PorticoError(f"clients/{client}/time.csv: {exc}") from None
    _written(ctx, path)


@main.command("record",
              short_help="Record a client's answer to a decision, ask or pack in its file.")
@click.argument("client")
@click.argument("item", metavar="ITEM")
@click.argument("state", metavar="ANSWER")
@click.option("--by", "by", required=True, metavar="NAME",
              help="Who answered, as the portal should name them, e.g. \"Margaret Okafor\" "
                   "(several people: \"Margaret Okafor, David Lindqvist\").")
@click.option("--on", "on", metavar="YYYY-MM-DD", default=None,
              help="The day they answered (default: today).")
@click.pass_context
def record(ctx: click.Context, client: str, item: str, state: str, by: str,
           on: str | None) -> None:
    """Write a client's answer into CLIENT's files, for git to keep and the next build to
    show: who approved, declined, finished or acknowledged what, and when.

    \b
    ITEM and ANSWER, one of:
      a decision, by number (0006 or 6):  approved or declined
                                          (the same as accepted or rejected)
      an ask, by id (A-003) or its title: done
      a board pack, by meeting date
      (2026-12-10, or 2026-12 when one
      pack falls in that month):          acknowledged

    \b
    portico record harborline 0006 approved --by "Margaret Okafor" --on 2026-12-10
    portico record harborline A-004 done --by "David Lindqvist"
    portico record harborline 2026-12-10 acknowledged --by "Margaret Okafor"

    A decision's status, decision-makers and date change in its own file, in the format
    it is written in (MADR front matter, a MADR 2 list, or Nygard's "## Status" and
    "Date:" lines); an ask gets status done, `done` and `done_by` in actions.yml; a board
    pack gets `acknowledged_by` and `acknowledged_on` in its front matter. Nothing else in
    the file changes. Recording again replaces the answer, and says what changed. Commit
    the file; the portal shows the answer after the next build.
    """
    from portico.authoring.record import record_answer

    root = root_of(ctx)
    result = record_answer(root, client, item, state, by=by, on=on)
    shown = result.path.relative_to(root).as_posix()
    if not result.changes:
        click.echo(f"nothing to change: {shown} already records this answer on "
                   f"{result.item}")
        return
    click.echo(f"recorded in {shown}: {result.item}")
    for name, before, after in result.changes:
        click.echo(f"  {name}: {before} → {after}")


def _written(ctx: click.Context, path: Path) -> None:
    click.echo(f"wrote {path.relative_to(root_of(ctx)).as_posix()}")


@main.command(short_help="Write JSON Schemas of the YAML files for editor autocomplete.")
@click.pass_context
def schema(ctx: click.Context) -> None:
    """Write a JSON Schema for client.yml, for every other YAML file of a client folder,
    and for a row of time.csv into schemas/ (one file each, listed as it writes them).

    Editors with the YAML language server pick them up through a first line
    `# yaml-language-server: $schema=../../schemas/<name>.schema.json` (the files written
    by `portico new client|vendor|opportunity|action` start with it; add it to the others).
    """
    from portico.content.schema import write_schemas

    for path in write_schemas(root_of(ctx)):
        _written(ctx, path)


@main.command(short_help="Start a new practice repository, with an example client.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", "practice_name", default="My CTO Practice", show_default=True,
              help="Your practice's name, shown on every portal and on its login page.")
@click.option("--no-git", is_flag=True,
              help="Write the files only: no git repository, no first commit.")
def init(directory: Path, practice_name: str, no_git: bool) -> None:
    """Start a new practice repository in DIRECTORY, which must be new or empty.

    Writes the base mkdocs.yml, theme/, content/ with two shared pages, an example
    client (clients/example/) that uses every kind of file, with one reader,
    .github/workflows/portico.yml (check and build on pull requests; on main also deploy
    to GitHub Pages), .pre-commit-config.yaml, .gitignore, requirements.txt (what CI
    installs), a README and HOSTING.md (where the portals may be hosted, and how to
    revoke a reader; read it before publishing). Prints the example reader's passphrase
    once; it is stored nowhere.

    Then makes DIRECTORY a git repository with everything in a first commit on branch
    main: board packs and What's new are read from the history. Without git installed
    it says so and leaves the files as they are; --no-git skips this step. The commit is
    made as you (git's user.name and user.email), or as "Portico" where git knows no one.
    """
    from portico.authoring.practice_init import (
        BRANCH,
        EXAMPLE_CLIENT,
        HOSTING_GUIDE,
        init_practice,
    )

    result = init_practice(directory, practice_name=practice_name, git=not no_git)
    shown = shown_path(result.root.resolve())
    made = f", first commit {result.commit[:12]} on branch {BRANCH}" if result.commit else ""
    click.echo(f"created a new practice in {shown}/ ({len(result.files)} files{made})")
    for note in result.notes:
        click.echo(f"note: {note}")
    click.echo(f"passphrase of the example reader of clients/{EXAMPLE_CLIENT} "
               "(shown once, not stored anywhere):")
    click.echo(f"  {result.passphrase}")
    click.echo("next:")
    click.echo(f"  cd {shown} && portico check && portico build")
    click.echo("  portico docs                   the documentation, in your browser")
    click.echo("  portico docs content-model     every file a client folder may hold")
    click.echo("  portico new client SLUG --name \"Client name\" and "
               "portico reader add SLUG READER_ID")
    click.echo("  publish once a reader of your own is added: `portico publish` refuses a "
               "portal that only the example reader opens")
    click.echo(f"before you publish, read {shown}/{HOSTING_GUIDE}: where the portals may be "
               "hosted, and how to revoke a reader")
