"""`portico build`, `plan`, `verify`, `serve` and `publish`: portals, from sources to host."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from portico.cli.app import (
    chosen_clients,
    client_folder,
    main,
    report_problems,
    root_of,
    shown_path,
)
from portico.content.errors import PorticoError
from portico.delivery.plan import FEW

if TYPE_CHECKING:
    from portico.delivery.progress import LiveProgress


@main.command(short_help="Build, encrypt and verify every client's portal into site/.")
@click.argument("slugs", nargs=-1)
@click.option("--only", metavar="A,B", help="Build exactly these clients (comma-separated).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Clients built at once (default: all cores).")
@click.option("--force", is_flag=True, help="Rebuild every chosen client even if unchanged.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where portals go (default: site/ in the repository).")
@click.option("--engine", type=click.Choice(["mkdocs", "properdocs", "zensical"]),
              default=None, help="The site engine (default: mkdocs.yml's extra.portico.engine, "
                                 "else mkdocs). zensical needs `pip install "
                                 "'portico-cto[zensical]'`; properdocs, `pip install "
                                 "properdocs`.")
@click.pass_context
def build(ctx: click.Context, slugs: tuple[str, ...], only: str | None, jobs: int | None,
          force: bool, out: Path | None, engine: str | None) -> None:
    """Build, protect and verify every client's portal (or the SLUGS named) into site/<slug>/.

    Building every client also builds the practice's own portal, site/_practice/ (every
    client's status and benchmarks across the practice), encrypted for the readers of
    practice/readers.yml alone; without one it is skipped with a note.

    Each portal is built in a temporary folder beside its target, encrypted for the
    client's readers (clients/<slug>/readers.yml), scanned for leaks, and only then
    swapped into place: a failed or interrupted build leaves the previous portal as it was.
    A client whose inputs did not change since its portal was built is kept as it is
    (the cache lives in .portico-cache/; --force ignores it). Building every client also
    removes the portals of clients that no longer exist. Needs no secret. Exits 1 if any
    client fails; the others are still built.

    Each client's git history is read for its board packs (assembled from the files as
    they stood at each meeting), What's new and the risk trends; check out the whole
    history in CI. Board packs are printed to PDF with headless Chromium (chromium or
    google-chrome on PATH, or PORTICO_CHROMIUM=/path); without one the PDFs are left out
    with a warning.
    """
    from portico.delivery.pipeline import ClientBuild
    from portico.delivery.progress import describe, interactive
    from portico.delivery.run import build_portals, prepare_site_root

    root = root_of(ctx)
    site_root = (out or root / "site").resolve()
    chosen = chosen_clients(root, slugs, only)
    if not chosen:
        raise PorticoError("no clients to build "
                           "(add one with `portico new client SLUG --name ...`)")
    prepare_site_root(site_root)
    failures: list[ClientBuild] = []

    def plain(result: ClientBuild) -> None:
        line = f"  {result.slug:<24} {describe(result)}"
        if result.ok and not result.skipped:
            line += f"  → {shown_path(site_root / result.slug)}/"
        click.echo(line, err=not result.ok)

    every = not slugs and not only  # the practice portal is built from every client
    practice_portal = every and _practice_has_readers(root)
    live = interactive()
    with contextlib.ExitStack() as stack:
        progress: LiveProgress | None = None

        def start(portals: list[str]) -> None:  # the build knows the portals (views) first
            nonlocal progress
            if practice_portal:
                portals = [*portals, "_practice"]
            click.echo(f"Building {len(portals)} portal{'s' * (len(portals) != 1)}:")
            if live:
                from portico.delivery.progress import LiveProgress

                progress = stack.enter_context(LiveProgress(portals))

        def done(result: ClientBuild) -> None:
            if not result.ok:
                failures.append(result)
            if progress is not None:
                progress.done(result)
            else:
                plain(result)

        def event(slug: str, stage: str) -> None:
            if progress is not None:
                progress.event(slug, stage)

        report = build_portals(root, chosen, site_root, jobs=jobs, force=force,
                               prune=every, on_done=done, on_event=event if live else None,
                               engine=engine, practice=every, on_start=start)
    if report.cache_note:
        click.echo(f"note: {report.cache_note}")
    if report.practice_note:
        click.echo(f"note: {report.practice_note}")
    for result in failures:
        click.echo(f"{result.slug}: build failed, its previous portal is untouched:", err=True)
        report_problems(result.problems)
        if result.message:
            click.echo(f"  {result.message}", err=True)
    for result in report.results:
        for warning in result.warnings:
            click.echo(f"warning: {result.slug}: {warning}", err=True)
    for slug in report.removed:
        click.echo(f"removed site/{slug}/ (no such client any more)")
    built = [r for r in report.results if r.ok and not r.skipped]
    kept = [r for r in report.results if r.skipped]
    click.echo(f"{len(built)} built, {len(kept)} unchanged, {len(failures)} failed, "
               f"{sum(r.pages for r in built)} pages.")
    if failures:
        sys.exit(1)
    click.echo(f"To read them locally: python -m http.server --bind 127.0.0.1 --directory "
               f"{shown_path(site_root)} 8000, then open http://127.0.0.1:8000/<slug>/")


def _practice_has_readers(root: Path) -> bool:
    """Whether practice/readers.yml names a reader (one that does not load counts: the
    build reports why)."""
    from portico.practice_portal.build import practice_readers

    try:
        return bool(practice_readers(root))
    except PorticoError:
        return True


@main.command(short_help="List the clients a git change affects (for CI).")
@click.option("--changed-since", "revision", metavar="REV",
              help="A git revision (commit, branch, tag) to compare the working tree with.")
@click.option("--all", "everything", is_flag=True,
              help="Every client (a first push, or no earlier revision to compare with).")
@click.option("--groups", "max_groups", type=click.IntRange(1, 256), default=1,
              show_default=True, metavar="N",
              help="Split the affected clients into at most N groups for a CI job matrix, "
                   f"at least {FEW} clients a group, balanced by size.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: {\"clients\": [...], \"removed\": [...], "
                   "\"shared_changed\": bool, \"groups\": [\"a,b\", ...]}.")
@click.pass_context
def plan(ctx: click.Context, revision: str | None, everything: bool, max_groups: int,
         as_json: bool) -> None:
    """Which clients a change between REV and the working tree affects.

    A change under clients/<slug>/ affects that client; a change to content/, mkdocs.yml,
    theme/, generator/ or pyproject.toml affects all of them. With --groups N the affected
    clients are split into at most N groups, each a comma-separated list for one job's
    `portico build --only LIST` (the shipped workflow's build matrix).
    """
    import json

    from portico.delivery.plan import client_sizes, plan_all, plan_changes, split

    if (revision is None) == (not everything):
        raise click.UsageError("give --changed-since REV or --all (one of them)")
    root = root_of(ctx)
    clients = chosen_clients(root, (), None)
    result = plan_all(clients) if everything else plan_changes(root, revision or "", clients)
    result.groups = split(result.clients, client_sizes(root, result.clients), max_groups)
    if as_json:
        click.echo(json.dumps({"clients": result.clients, "removed": result.removed,
                               "shared_changed": result.shared_changed,
                               "groups": [",".join(g) for g in result.groups]}))
        return
    if result.shared_changed:
        click.echo("shared inputs changed: every client is affected")
    for slug in result.clients:
        click.echo(f"build  {slug}")
    for slug in result.removed:
        click.echo(f"remove {slug}")
    if len(result.groups) > 1:
        for number, group in enumerate(result.groups, 1):
            click.echo(f"group {number}: {','.join(group)}")
    if not result.clients and not result.removed:
        click.echo("no client to build" if everything
                   else f"no client is affected by the changes since {revision}")


@main.command(short_help="Check a built portal for leaks, or open it with a passphrase.")
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--passphrase-stdin", is_flag=True,
              help="Read a reader's passphrase from stdin and decrypt every protected file.")
@click.pass_context
def verify(ctx: click.Context, site: Path, passphrase_stdin: bool) -> None:
    """Check a built portal, e.g. site/acme.

    Without a passphrase: scan every output file and path for the client's own text
    (names, titles, sentences, and distinctive words matched whole) in plain, HTML-,
    JSON- and URL-encoded form, as `build` does.
    With --passphrase-stdin: unwrap the content key as a reader would and decrypt and
    check every protected file, failing if one holds what client.yml forgets (`forget:`
    phrases, and the titles forgotten ids had in git).
    """
    from portico.content.load import load_engagement
    from portico.content.practice import practice_name
    from portico.delivery.workdir import sweep_plain
    from portico.protection.leakscan import scan_portal
    from portico.protection.verify import verify_with_passphrase

    site = site.resolve()
    slug, _, view = site.name.partition("--")  # a client view's portal: <slug>--<view>
    sweep_plain(root_of(ctx), [slug])  # what a killed build left; never a running one's
    if passphrase_stdin:
        passphrase = sys.stdin.readline().rstrip("\n")
        count = verify_with_passphrase(site, passphrase, forgotten=_forgotten(ctx, slug),
                                       outside=_outside(ctx, slug, view or None))
        click.echo(f"ok: {count} protected files decrypted and checked")
        return
    if slug == "_practice":  # the practice's own portal: every client's text is a leak
        from portico.content.load import load_practice
        from portico.practice_portal.build import LABEL
        from portico.protection.leakscan import scan_practice_portal
        from portico.protection.protect import walk_files

        shells = [rel for rel in walk_files(site) if rel.endswith((".html", ".htm"))]
        leaks = scan_practice_portal(site, load_practice(root_of(ctx)).clients,
                                     practice_name(root_of(ctx)), label=LABEL, shells=shells)
    else:
        leaks = scan_portal(site, load_engagement(root_of(ctx), slug),
                            practice_name(root_of(ctx)))
    for leak in leaks:
        click.echo(str(leak), err=True)
    if leaks:
        raise PorticoError(f"{len(leaks)} leak{'s' * (len(leaks) != 1)} of client text in {site}")
    click.echo(f"ok: no client text in {site}")


def _outside(ctx: click.Context, slug: str, view: str | None) -> list[str]:
    """What only items outside the portal's client view write (markers.view_markers);
    nothing for a portal with no sources. `view` None: the client's default view."""
    from portico.content.load import load_engagement
    from portico.portal.audience import engagement_for_view
    from portico.protection.markers import view_markers

    root = root_of(ctx)
    if not (root / "clients" / slug / "client.yml").is_file():
        return []
    engagement = load_engagement(root, slug)
    view = view or engagement.client.default_view
    if view is None or view not in engagement.client.views:
        return []
    return view_markers(engagement, engagement_for_view(engagement, view))


def _forgotten(ctx: click.Context, slug: str) -> list[str]:
    """What the client's sources forget, with the titles its forgotten ids had in git (the
    history cache makes that cheap after a build); nothing for a portal with no sources."""
    import datetime as dt

    from portico.content.history import read_history
    from portico.content.load import load_engagement
    from portico.delivery.cache import CACHE_DIR
    from portico.delivery.workdir import plain_folder
    from portico.portal.changes import attach
    from portico.protection.markers import forgotten_markers

    root = root_of(ctx)
    if not (root / "clients" / slug / "client.yml").is_file():
        return []
    engagement = load_engagement(root, slug)
    if not engagement.client.forget.ids:
        return forgotten_markers(engagement)
    with plain_folder(root, slug) as scratch:  # past commits' files are plain text
        attach(engagement, read_history(
            root, slug, dt.date.today(), scratch=scratch / "history",
            cache_file=root / CACHE_DIR / "history" / f"{slug}.json"))
        return forgotten_markers(engagement)


@main.command(short_help="Preview one client's portal locally while you edit, unprotected.")
@click.argument("client")
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--view", default=None, metavar="NAME",
              help="For a client with views: the view to preview (default: its default view).")
@click.pass_context
def serve(ctx: click.Context, client: str, port: int, view: str | None) -> None:
    """Preview CLIENT's portal on http://127.0.0.1:PORT, updated as you edit.

    The preview is for you, on this computer only: nothing is encrypted and there is no
    sign-in. Every change you save to clients/CLIENT/, content/, mkdocs.yml or theme/
    shows in the browser at once; errors in the files are printed and shown in a banner
    at the top of every page until they are fixed.
    """
    from portico.delivery.serve import serve_client

    client_folder(ctx, client)
    serve_client(root_of(ctx), client, port=port, echo=click.echo, view=view)


@main.command(short_help="Publish the verified portals to a folder or a git branch.")
@click.option("--to", "destination", required=True, metavar="DIR|git:BRANCH",
              help="A folder to replace with the site, or git:BRANCH to commit it to BRANCH.")
@click.option("--remote", metavar="URL|NAME", default=None,
              help="With git:BRANCH, where to push: a URL, a path or a remote name "
                   "(default: the repository's origin if it has one, else no push).")
@click.option("--keep-history", is_flag=True,
              help="With git:BRANCH, add each publish on top of the last instead of "
                   "replacing the branch (keeps every older build's ciphertext on it).")
@click.option("--only", metavar="A,B",
              help="Publish just these portals (comma-separated); the target then holds "
                   "them alone. For a client that needs an origin of its own.")
@click.option("--cname", metavar="DOMAIN", default=None,
              help="Write a CNAME file naming DOMAIN (e.g. portals.example.com), the custom "
                   "domain GitHub Pages serves a branch at.")
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built site to publish (default: site/ in the repository).")
@click.option("--allow-example-reader", is_flag=True,
              help="Publish a portal even when its only reader is the example reader that "
                   "`portico init` made.")
@click.pass_context
def publish(ctx: click.Context, destination: str, remote: str | None, keep_history: bool,
            only: str | None, cname: str | None, site: Path | None,
            allow_example_reader: bool) -> None:
    """Publish the built portals to a folder or a git branch, only if they passed verify.

    --to DIR copies the whole site into DIR atomically: a complete copy is made beside
    DIR and swapped in, so readers see the old site or the new one, never half of each.
    DIR must be new, empty, or a previous publish.

    --to git:BRANCH commits the site to BRANCH, gh-pages style (a .nojekyll file, a
    CNAME already on the branch kept), only when something changed, and pushes BRANCH to
    --remote. Your working tree, index and current branch are never touched. By default
    BRANCH keeps exactly one commit: each publish replaces it with a new commit that has
    no parent, pushed with --force-with-lease (it fails, replacing nothing, if another
    publish moved BRANCH meanwhile). Why: a reader you removed cannot open the new build,
    but could still open any older build left in the branch's history. --keep-history
    adds a commit per publish instead, and keeps every older build.

    Both refuse, publishing nothing, a site with any portal that did not pass verify in
    `portico build` or was changed since (the build records each verified portal in
    site/.portico/verified.json). The site root's dot-folders and dot-files (that
    record, temporary build folders) are never published. With --only, only the portals
    named must have passed, and the site root's CNAME is left out (give --cname). Both
    also refuse a portal whose only reader is the example reader that `portico init`
    made (its passphrase was shown in a terminal): add a reader of your own and rebuild,
    or delete the example client, or give --allow-example-reader.

    Every publish also writes a _headers file (Netlify and Cloudflare Pages read it) that
    sends each page and file with Cross-Origin-Opener-Policy, frame-ancestors 'none',
    nosniff, no-referrer and a restrictive Permissions-Policy; `portico docs hosting`
    gives the same headers for nginx, Caddy and CloudFront. GitHub Pages sends none.

    \b
    Examples:
      portico publish --to /var/www/portals
      portico publish --to git:gh-pages
      portico publish --to git:gh-pages --remote git@github.com:acme/portals.git
      portico publish --to git:gh-pages --only harborline --cname harborline.example.net \\
          --remote git@github.com:acme/harborline-portal.git
    """
    from portico.delivery.publish import publish_to_dir
    from portico.delivery.publish_git import publish_to_git

    root = root_of(ctx)
    site_root = (site or root / "site").resolve()
    chosen = None
    if only is not None:
        chosen = list(dict.fromkeys(s.strip() for s in only.split(",") if s.strip()))
        if not chosen:
            raise PorticoError("--only needs a portal, e.g. --only acme")
    if destination.startswith("git:"):
        branch = destination.removeprefix("git:").strip()
        if not branch:
            raise PorticoError("--to git: needs a branch name, e.g. --to git:gh-pages")
        result = publish_to_git(site_root, branch, remote=remote, repo=root,
                                keep_history=keep_history, only=chosen, cname=cname,
                                allow_example_reader=allow_example_reader)
    else:
        if remote is not None:
            raise PorticoError("--remote goes with --to git:BRANCH; a folder is not pushed")
        if keep_history:
            raise PorticoError("--keep-history goes with --to git:BRANCH; a folder keeps "
                               "no history")
        if not destination.strip():
            raise PorticoError("--to needs a folder or git:BRANCH")
        result = publish_to_dir(site_root, Path(destination).expanduser(), only=chosen,
                                cname=cname, allow_example_reader=allow_example_reader)
    click.echo(result.summary())
    for note in result.notes:
        click.echo(f"  {note}")


@main.command(short_help="What needs attention across every client this week.")
@click.option("--site", "site_root", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="The built site, for each portal's last verified build "
              "(default: site/ in the repository).")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON, for scripts.")
@click.option("--fail-on", "fail_on", type=click.Choice(["overdue"]), default=None,
              help="Exit 1 when any client has something overdue (a scheduled CI job).")
@click.pass_context
def status(ctx: click.Context, site_root: Path | None, as_json: bool,
           fail_on: str | None) -> None:
    """The week across clients: per client its phase, last verified build, risk reviews
    overdue, decisions proposed more than 30 days ago, vendor notice dates within 60 days
    (or passed on an auto-renewing contract), KPIs off target, asks past due (actions.yml,
    either side's), open risks scoring 16 or more (the critical band), the roadmap items,
    milestones and asks whose date moved in git, the next meeting (meetings.yml or a board
    pack), the next board pack, the days used (time.csv) against the days agreed to the
    end of the month, and the engagement's renewal when it or its notice date is within
    60 days. The practice portal (site/_practice/) shows the same table.

    "Overdue" (for --fail-on) is a risk review in the past, a proposal older than 30 days,
    a vendor or engagement notice date to act on or an open ask past its due date.
    Internal items count: this view is the CTO's.
    """
    import datetime as dt
    import json

    from portico.content.load import load_practice
    from portico.delivery.status import attach_histories, practice_status
    from portico.delivery.workdir import plain_folder

    root = root_of(ctx)
    today = dt.date.today()
    practice = load_practice(root)
    with plain_folder(root, "_status") as scratch:  # past commits' files are plain text
        attach_histories(practice, today, scratch)
        lines = practice_status(practice, site_root or root / "site", today)
    if as_json:
        click.echo(json.dumps([line.as_json() for line in lines], indent=2))
    else:
        _status_table(lines)
    if fail_on == "overdue" and any(line.overdue for line in lines):
        ctx.exit(1)


def _status_table(lines: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from portico.delivery.status import ATTENTION

    table = Table(title="Portico status", title_justify="left")
    for column in ("Client", "Phase", "Last build", *(c.heading for c in ATTENTION)):
        table.add_column(column, overflow="fold")
    for line in lines:
        table.add_row(line.slug, line.phase or "–", (line.last_build or "never")[:16],
                      *(c.cell(line) for c in ATTENTION))
    console = Console()
    if not console.is_terminal:  # a pipe or a CI log: wide enough for every column
        console = Console(width=320)
    console.print(table)
