"""`portico reader add|remove|link|list`: who may open a client's portal."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from portico.cli.app import (
    chosen_clients,
    client_folder,
    main,
    root_of,
)
from portico.content.errors import PorticoError

PRACTICE = "_practice"  # the practice portal's folder under site/, as a reader's "client"


@main.group(short_help="Manage who can open a portal: passphrases and share links.")
def reader() -> None:
    """Who may open a client's portal: readers with a passphrase, and share links.

    readers.yml keeps only public material (an id, a label, a salt and a public key);
    commit it and rebuild. Removing a reader or a link and rebuilding revokes it.
    """


@reader.command("add", short_help="Give someone a passphrase for a client's or your own portal.")
@click.argument("client", required=False)
@click.argument("reader_id", required=False, metavar="READER_ID")
@click.option("--practice", is_flag=True,
              help="A reader of the practice's own portal (site/_practice/: every client's "
                   "status and the benchmarks) instead of a client's; give READER_ID alone.")
@click.option("--label", default="", help="Who this is, e.g. \"Dana Reyes, CEO\" (kept in git, "
              "never shipped in the portal).")
@click.option("--passphrase-stdin", is_flag=True,
              help="Read a chosen passphrase from stdin instead of generating one: 12+ "
                   "characters and about 60 bits or more by the zxcvbn estimate.")
@click.option("--view", "views", multiple=True, metavar="NAME",
              help="A view of client.yml `views:` the reader opens (repeat for several; "
                   "default: the default view). One passphrase opens all of them.")
@click.pass_context
def reader_add(ctx: click.Context, client: str | None, reader_id: str | None, practice: bool,
               label: str, passphrase_stdin: bool, views: tuple[str, ...]) -> None:
    """Give READER_ID a passphrase for CLIENT's portal; prints a generated one once.

    With --practice (`portico reader add --practice READER_ID`), the passphrase opens the
    practice's own portal instead, site/_practice/, which shows every client's status and
    the benchmarks across the practice, internal items included; it is kept in
    practice/readers.yml and opens no client's portal.

    A generated passphrase is eight short, common words from the EFF's short word
    list (about 82 bits), easy to read aloud and to type. It is printed once and never
    written to disk: hand it over through a channel other than the portal's link. A
    chosen one (--passphrase-stdin) is refused if zxcvbn estimates it under 60 bits;
    everything an attacker reads on the sign-in page or can guess counts as known words:
    the practice's name, the client's slug, name and contacts, the reader's id and label,
    and the year.
    """
    from portico.protection.guessable import guessable_words
    from portico.protection.readers import add_reader, generate_passphrase

    client, reader_id = _whose(client, reader_id, practice)
    if practice:
        if views:
            raise PorticoError("--view is for a client's views; the practice portal has none")
        file, shown_file = _practice_readers(ctx)
        file.parent.mkdir(parents=True, exist_ok=True)
    else:
        folder = client_folder(ctx, client)
        _known_views(folder, views)
        file, shown_file = folder / "readers.yml", f"clients/{client}/readers.yml"
    if passphrase_stdin:
        passphrase = sys.stdin.readline().rstrip("\n")
        generated = False
    else:
        passphrase = generate_passphrase()
        generated = True
    known = guessable_words(root_of(ctx), client, reader_id, label)
    add_reader(file, reader_id, label or reader_id, passphrase,
               known_words=known, views=views or None)
    shown = f" (views: {', '.join(views)})" if views else ""
    click.echo(f"added reader {reader_id}{shown} to {shown_file} (commit it, then rebuild)")
    if generated:
        click.echo("passphrase (shown once, not stored anywhere):")
        click.echo(f"  {passphrase}")


def _whose(client: str | None, reader_id: str | None, practice: bool) -> tuple[str, str]:
    """(client slug, reader id) from CLIENT READER_ID, or from READER_ID with --practice
    (the slug is then "_practice", which no client can have)."""
    if practice:
        if client is None or reader_id is not None:
            raise click.UsageError("with --practice give the reader's id alone: "
                                   "--practice READER_ID")
        return PRACTICE, client
    if client is None or reader_id is None:
        raise click.UsageError("give CLIENT and READER_ID (or --practice READER_ID)")
    return client, reader_id


def _practice_readers(ctx: click.Context) -> tuple[Path, str]:
    """practice/readers.yml: the file, and the path to show."""
    from portico.practice_portal.build import READERS

    return root_of(ctx) / READERS, READERS.as_posix()


@reader.command("remove", short_help="Take a reader or a link away (revoked at the next build).")
@click.argument("client", required=False)
@click.argument("reader_id", required=False, metavar="READER_ID")
@click.option("--practice", is_flag=True,
              help="A reader of the practice's own portal (practice/readers.yml); give "
                   "READER_ID alone.")
@click.option("--view", default=None, metavar="NAME",
              help="Take only this view from the reader; the entry goes when it holds no "
                   "view any more.")
@click.pass_context
def reader_remove(ctx: click.Context, client: str | None, reader_id: str | None,
                  practice: bool, view: str | None) -> None:
    """Remove READER_ID, a reader or a link, from CLIENT's readers.yml (or with --practice,
    from the practice portal's, practice/readers.yml).

    After the next build (and publish) that reader's passphrase, or that link, opens
    nothing new; every other reader and link keeps working. What was read or saved
    before stays with whoever has it. With --view, only that view's portal is closed
    to them. The practice portal with no reader left is removed at the next build.
    """
    from portico.protection.readers import remove_reader

    client, reader_id = _whose(client, reader_id, practice)
    if practice:
        if view is not None:
            raise PorticoError("--view is for a client's views; the practice portal has none")
        file, shown_file = _practice_readers(ctx)
        remove_reader(file, reader_id, None, None)
        click.echo(f"removed reader {reader_id} from {shown_file} "
                   "(commit it, then rebuild to revoke access)")
        return
    folder = client_folder(ctx, client)
    default = _known_views(folder, (view,) if view else ())
    removed = remove_reader(folder / "readers.yml", reader_id, view, default)
    what = "link" if removed.kind == "link" else "reader"
    if view is not None and removed.views is not None and view not in removed.views:
        click.echo(f"took view {view} from {what} {reader_id} in clients/{client}/readers.yml "
                   f"(it keeps: {', '.join(removed.views)}; commit it, then rebuild)")
        return
    click.echo(f"removed {what} {reader_id} from clients/{client}/readers.yml "
               "(commit it, then rebuild to revoke access)")


@reader.command("link", short_help="Make a share link: a reader of its own, revocable alone.")
@click.argument("client")
@click.option("--label", required=True, help="Whom and what the link is for, e.g. \"Board pack "
              "for Dana, Dec 2026\" (kept in git, never shipped in the portal); how you find "
              "the link again to revoke it.")
@click.option("--url", required=True, help="Where the portal is published, e.g. "
              "https://portals.example.com/acme/ (any #fragment in it is dropped).")
@click.option("--id", "reader_id", default=None, metavar="ID",
              help="The link's id in readers.yml (default: link-1, link-2, ... after the "
                   "highest one there, so a revoked link's id is never reused).")
@click.option("--view", default=None, metavar="NAME",
              help="The view whose portal the link opens (default: the default view); "
                   "--url is that view's address, e.g. https://portals.example.com/acme--board/.")
@click.pass_context
def reader_link(ctx: click.Context, client: str, label: str, url: str,
                reader_id: str | None, view: str | None) -> None:
    """Make a share link that opens CLIENT's portal without typing: a reader of its own.

    Adds a reader entry marked `kind: link` to clients/CLIENT/readers.yml, made from a
    random 256-bit secret that is never printed or stored, and prints URL#k=... once: the
    fragment carries that reader's private key. The link works from the next build on.

    The link is like a passphrase: anyone who has it can read the portal until it is
    revoked, so send it only to its recipient. Browsers never send the #k=... part to the
    server, and the portal strips it from the address bar and the current history entry
    once used, but the recipient's browser history still records the link as visited.
    Revoke one link alone with `portico reader remove CLIENT ID`, then rebuild and
    publish; other readers and links keep working.
    """
    from portico.protection.readers import add_link

    base = url.split("#", 1)[0]
    if not base.startswith(("https://", "http://")):
        raise PorticoError(f"--url must be the portal's address, starting with https:// "
                           f"(got {url!r})")
    folder = client_folder(ctx, client)
    _known_views(folder, (view,) if view else ())
    added, fragment = add_link(folder / "readers.yml", label, reader_id,
                               views=[view] if view else None)
    click.echo(f"added link {added.id} to clients/{client}/readers.yml (commit it, then "
               f"rebuild; revoke it with `portico reader remove {client} {added.id}`)", err=True)
    click.echo("link (shown once, not stored anywhere; anyone who has it can read the "
               "portal):", err=True)
    click.echo(base + fragment)


@reader.command("list", short_help="List a client's readers and links.")
@click.argument("client", required=False)
@click.option("--view", default=None, metavar="NAME",
              help="Only the readers who open this view's portal.")
@click.option("--practice", is_flag=True,
              help="The readers of the practice's own portal (practice/readers.yml).")
@click.pass_context
def reader_list(ctx: click.Context, client: str | None, view: str | None,
                practice: bool) -> None:
    """List the readers and links of CLIENT, or of every client: id, kind, views and label.

    The kind is `passphrase` for a reader who types a passphrase, `link` for a share
    link made by `portico reader link`. Views are shown for a client that has some.
    With --practice, the readers of the practice's own portal instead.
    """
    from portico.protection.readers import load_readers, readers_for_view

    if practice:
        if client is not None or view is not None:
            raise click.UsageError("--practice lists the practice portal's readers alone")
        file, shown_file = _practice_readers(ctx)
        found = load_readers(file)
        click.echo(f"practice ({shown_file}): {len(found)} reader{'s' * (len(found) != 1)}")
        for r in found:
            click.echo(f"  {r.id:<20} {r.kind:<10} {r.label}")
        return

    for slug in chosen_clients(root_of(ctx), (client,) if client else (), None):
        folder = root_of(ctx) / "clients" / slug
        default = _views_of(folder)[1]
        readers = load_readers(folder / "readers.yml")
        if view is not None:
            _known_views(folder, (view,))
            readers = readers_for_view(readers, view, default)
        links = sum(r.kind == "link" for r in readers)
        people = len(readers) - links
        counts = f"{people} reader{'s' * (people != 1)}"
        if links:
            counts += f", {links} link{'s' * (links != 1)}"
        click.echo(f"{slug}: {counts}")
        for r in readers:
            held = "" if default is None else \
                f"{','.join(r.views) if r.views is not None else default:<24} "
            click.echo(f"  {r.id:<20} {r.kind:<10} {held}{r.label}")


def _views_of(folder: Path) -> tuple[list[str], str | None]:
    """(the views client.yml declares, its default view); ([], None) when it declares none
    or does not load (`portico check` says why)."""
    import yaml

    from portico.content.model import Client

    try:
        text = (folder / "client.yml").read_text(encoding="utf-8")
        client = Client.model_validate(yaml.safe_load(text))
    except Exception:  # noqa: BLE001 (check and build report client.yml's problems)
        return [], None
    return list(client.views), client.default_view


def _known_views(folder: Path, views: tuple[str, ...]) -> str | None:
    """The client's default view; raises PorticoError for a view client.yml does not
    declare (a typo would give a reader nothing)."""
    declared, default = _views_of(folder)
    for view in views:
        if view not in declared:
            raise PorticoError(f"clients/{folder.name}/client.yml declares no view {view!r} "
                               f"(views: {', '.join(declared) or 'none'})")
    return default
