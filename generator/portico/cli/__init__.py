"""The `portico` command: argument parsing only; each command calls one stage function."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from portico import __version__
from portico.content.errors import ContentError, PorticoError, Problem


def _root(ctx: click.Context) -> Path:
    root: Path = ctx.obj["root"]
    return root


def _find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "clients").is_dir() and (folder / "mkdocs.yml").is_file():
            return folder
    return start


def _report(problems: Iterable[Problem], *, err: bool = True) -> None:
    """Print problems as `path:line: message`; in GitHub Actions also as annotations."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        click.echo(str(problem), err=err)
        if annotate:
            level = "warning" if problem.severity == "warning" else "error"
            where = f"file={problem.path}" + (f",line={problem.line}" if problem.line else "")
            message = problem.message.replace("%", "%25").replace("\n", "%0A")
            click.echo(f"::{level} {where}::{message}")


class _Group(click.Group):
    """Turns every PorticoError into a clean message and exit status 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ContentError as exc:
            _report(exc.problems)
            count = len(exc.problems)
            click.echo(f"{count} error{'s' * (count != 1)}", err=True)
            sys.exit(1)
        except PorticoError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="portico")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The practice repository (default: the nearest folder above the current "
                   "one holding clients/ and mkdocs.yml).")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Portico: one password-protected portal per client, built from YAML and Markdown.

    Keep each engagement in clients/<slug>/ (client.yml, assessment, roadmap.yml,
    risks.yml, decisions/, notes/, pages/, files/); `portico check` validates it,
    `portico build` turns every client into site/<slug>/.
    """
    ctx.obj = {"root": (root or _find_root(Path.cwd())).resolve()}


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_context
def check(ctx: click.Context, strict: bool) -> None:
    """Validate every client: fields, cross-references, links, internal items.

    Prints each problem as `path:line: message`, all at once; exits 1 on any error
    (or any warning with --strict). Warnings: a risk review date in the past, an open
    risk scoring 10+ with no mitigation, a decision status outside MADR's words,
    a remote image, active content the portal will not run (scripts, event handlers,
    frames and embeds in Markdown; scripts and foreignObject in SVG files).
    """
    from portico.content.check import check_practice
    from portico.content.load import load_practice

    practice = load_practice(_root(ctx))
    problems = check_practice(practice)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    _report(warnings, err=bool(errors))
    if errors:
        raise ContentError(errors)
    if strict and warnings:
        click.echo(f"{len(warnings)} warning{'s' * (len(warnings) != 1)}, failing because of "
                   "--strict", err=True)
        sys.exit(1)
    clients = len(practice.clients)
    click.echo(f"ok: {clients} client{'s' * (clients != 1)} checked, "
               f"{len(warnings)} warning{'s' * (len(warnings) != 1)}")


@main.group()
def new() -> None:
    """Create a client, a decision or a note from a template that passes `check`."""


@new.command("client")
@click.argument("slug")
@click.option("--name", required=True, help="The client's display name, e.g. \"Acme Logistics\".")
@click.pass_context
def new_client(ctx: click.Context, slug: str, name: str) -> None:
    """Start clients/SLUG/ with a client.yml dated today."""
    from portico.authoring.scaffold import new_client as write

    _written(ctx, write(_root(ctx), slug, name))


@new.command("decision")
@click.argument("client")
@click.argument("title")
@click.option("--format", "fmt", type=click.Choice(["madr", "nygard"]), default="madr",
              show_default=True, help="MADR front matter or Nygard/adr-tools `## Status`.")
@click.pass_context
def new_decision(ctx: click.Context, client: str, title: str, fmt: str) -> None:
    """Write CLIENT's next decision (next free number, today's date, status proposed)."""
    from portico.authoring.scaffold import new_decision as write

    _written(ctx, write(_root(ctx), client, title, fmt=fmt))


@new.command("note")
@click.argument("client")
@click.argument("title")
@click.option("--kind", type=click.Choice(["meeting", "board-update", "status", "vendor-review",
                                           "other"]),
              default="meeting", show_default=True, help="What kind of note.")
@click.pass_context
def new_note(ctx: click.Context, client: str, title: str, kind: str) -> None:
    """Write CLIENT's notes/<today>-<title>.md."""
    from portico.authoring.scaffold import new_note as write

    _written(ctx, write(_root(ctx), client, title, kind=kind))


def _written(ctx: click.Context, path: Path) -> None:
    click.echo(f"wrote {path.relative_to(_root(ctx)).as_posix()}")


@main.command()
@click.pass_context
def schema(ctx: click.Context) -> None:
    """Write JSON Schemas for client.yml, roadmap.yml and risks.yml into schemas/.

    Editors with the YAML language server pick them up through a first line
    `# yaml-language-server: $schema=../../schemas/<name>.schema.json` (the client.yml
    written by `portico new client` starts with it; add it to roadmap.yml and risks.yml).
    """
    from portico.content.schema import write_schemas

    for path in write_schemas(_root(ctx)):
        _written(ctx, path)


def _clients(root: Path, slugs: tuple[str, ...], only: str | None) -> list[str]:
    from portico.content.load import SLUG

    folder = root / "clients"
    every = sorted(p.name for p in folder.iterdir()
                   if p.is_dir() and not p.name.startswith(("_", "."))) if folder.is_dir() else []
    wanted = list(slugs) + [s.strip() for s in (only or "").split(",") if s.strip()]
    if not wanted:
        return every
    unknown = [s for s in wanted if s not in every or not SLUG.match(s)]
    if unknown:
        raise PorticoError(f"no such client: {', '.join(unknown)} (clients: {', '.join(every)})")
    return list(dict.fromkeys(wanted))


@main.command()
@click.argument("slugs", nargs=-1)
@click.option("--only", metavar="A,B", help="Build exactly these clients (comma-separated).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Clients built at once (default: all cores).")
@click.option("--force", is_flag=True, help="Rebuild every chosen client even if unchanged.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where portals go (default: site/ in the repository).")
@click.pass_context
def build(ctx: click.Context, slugs: tuple[str, ...], only: str | None, jobs: int | None,
          force: bool, out: Path | None) -> None:
    """Build, protect and verify every client's portal (or the SLUGS named) into site/<slug>/.

    Each portal is built in a temporary folder beside its target, encrypted for the
    client's readers (clients/<slug>/readers.yml), scanned for leaks, and only then
    swapped into place: a failed or interrupted build leaves the previous portal as it was.
    A client whose inputs did not change since its portal was built is kept as it is
    (the cache lives in .portico-cache/; --force ignores it). Building every client also
    removes the portals of clients that no longer exist. Needs no secret. Exits 1 if any
    client fails; the others are still built.
    """
    from portico.delivery.pipeline import ClientBuild, build_portals, prepare_site_root
    from portico.delivery.progress import LiveProgress, describe, interactive

    root = _root(ctx)
    site_root = (out or root / "site").resolve()
    chosen = _clients(root, slugs, only)
    if not chosen:
        raise PorticoError("no clients to build "
                           "(add one with `portico new client SLUG --name ...`)")
    prepare_site_root(site_root)
    failures: list[ClientBuild] = []

    def plain(result: ClientBuild) -> None:
        line = f"  {result.slug:<24} {describe(result)}"
        if result.ok and not result.skipped:
            line += f"  → {_shown(site_root / result.slug)}/"
        click.echo(line, err=not result.ok)

    click.echo(f"Building {len(chosen)} portal{'s' * (len(chosen) != 1)}:")
    live = interactive()
    with LiveProgress(chosen) if live else contextlib.nullcontext() as progress:
        def done(result: ClientBuild) -> None:
            if not result.ok:
                failures.append(result)
            if progress is not None:
                progress.done(result)
            else:
                plain(result)

        report = build_portals(root, chosen, site_root, jobs=jobs, force=force,
                               prune=not slugs and not only, on_done=done,
                               on_event=progress.event if progress is not None else None)
    if report.cache_note:
        click.echo(f"note: {report.cache_note}")
    for result in failures:
        click.echo(f"{result.slug}: build failed, its previous portal is untouched:", err=True)
        _report(result.problems)
        if result.message:
            click.echo(f"  {result.message}", err=True)
    for slug in report.removed:
        click.echo(f"removed site/{slug}/ (no such client any more)")
    built = [r for r in report.results if r.ok and not r.skipped]
    kept = [r for r in report.results if r.skipped]
    click.echo(f"{len(built)} built, {len(kept)} unchanged, {len(failures)} failed, "
               f"{sum(r.pages for r in built)} pages.")
    if failures:
        sys.exit(1)
    click.echo(f"To read them locally: python -m http.server --bind 127.0.0.1 --directory "
               f"{_shown(site_root)} 8000, then open http://127.0.0.1:8000/<slug>/")


@main.command()
@click.option("--changed-since", "revision", required=True, metavar="REV",
              help="A git revision (commit, branch, tag) to compare the working tree with.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: {\"clients\": [...], \"removed\": [...], "
                   "\"shared_changed\": bool}.")
@click.pass_context
def plan(ctx: click.Context, revision: str, as_json: bool) -> None:
    """Which clients a change between REV and the working tree affects.

    A change under clients/<slug>/ affects that client; a change to content/, mkdocs.yml,
    theme/, generator/ or pyproject.toml affects all of them. Feed the JSON to a CI matrix
    and build each entry with `portico build --only SLUG`.
    """
    import json

    from portico.delivery.plan import plan_changes

    root = _root(ctx)
    result = plan_changes(root, revision, _clients(root, (), None))
    if as_json:
        click.echo(json.dumps({"clients": result.clients, "removed": result.removed,
                               "shared_changed": result.shared_changed}))
        return
    if result.shared_changed:
        click.echo("shared inputs changed: every client is affected")
    for slug in result.clients:
        click.echo(f"build  {slug}")
    for slug in result.removed:
        click.echo(f"remove {slug}")
    if not result.clients and not result.removed:
        click.echo(f"no client is affected by the changes since {revision}")


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _client_folder(ctx: click.Context, client: str) -> Path:
    folder = _root(ctx) / "clients" / client
    if not (folder / "client.yml").is_file():
        raise PorticoError(f"no such client: clients/{client}/client.yml not found")
    return folder


def _client_name(folder: Path) -> str:
    """The client's display name from client.yml, or "" if it cannot be read."""
    import yaml

    try:
        data = yaml.safe_load((folder / "client.yml").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    return str(data.get("name") or "") if isinstance(data, dict) else ""


@main.group()
def reader() -> None:
    """Who may open a client's portal: readers with a passphrase, and share links.

    readers.yml keeps only public material (an id, a label, a salt and a public key);
    commit it and rebuild. Removing a reader or a link and rebuilding revokes it.
    """


@reader.command("add")
@click.argument("client")
@click.argument("reader_id")
@click.option("--label", default="", help="Who this is, e.g. \"Dana Reyes, CEO\" (kept in git, "
              "never shipped in the portal).")
@click.option("--passphrase-stdin", is_flag=True,
              help="Read a chosen passphrase from stdin instead of generating one: 12+ "
                   "characters and about 60 bits or more by the zxcvbn estimate.")
@click.pass_context
def reader_add(ctx: click.Context, client: str, reader_id: str, label: str,
               passphrase_stdin: bool) -> None:
    """Give READER_ID a passphrase for CLIENT's portal; prints a generated one once.

    A generated passphrase is six words from the EFF long word list (about 77 bits),
    easy to read aloud. It is printed once and never written to disk: hand it over
    through a channel other than the portal's link. A chosen one (--passphrase-stdin)
    is refused if zxcvbn estimates it under 60 bits; the reader's id and label and the
    client's slug and name count as known words.
    """
    from portico.protection.readers import add_reader, check_chosen_passphrase, generate_passphrase

    folder = _client_folder(ctx, client)
    if passphrase_stdin:
        passphrase = sys.stdin.readline().rstrip("\n")
        check_chosen_passphrase(passphrase, [reader_id, label, client, _client_name(folder)])
        generated = False
    else:
        passphrase = generate_passphrase()
        generated = True
    add_reader(folder / "readers.yml", reader_id, label or reader_id, passphrase)
    click.echo(f"added reader {reader_id} to clients/{client}/readers.yml "
               "(commit it, then rebuild)")
    if generated:
        click.echo("passphrase (shown once, not stored anywhere):")
        click.echo(f"  {passphrase}")


@reader.command("remove")
@click.argument("client")
@click.argument("reader_id")
@click.pass_context
def reader_remove(ctx: click.Context, client: str, reader_id: str) -> None:
    """Remove READER_ID, a reader or a link, from CLIENT's readers.yml.

    After the next build (and publish) that reader's passphrase, or that link, opens
    nothing new; every other reader and link keeps working. What was read or saved
    before stays with whoever has it.
    """
    from portico.protection.readers import remove_reader

    removed = remove_reader(_client_folder(ctx, client) / "readers.yml", reader_id)
    what = "link" if removed.kind == "link" else "reader"
    click.echo(f"removed {what} {reader_id} from clients/{client}/readers.yml "
               "(commit it, then rebuild to revoke access)")


@reader.command("link")
@click.argument("client")
@click.option("--label", required=True, help="Whom and what the link is for, e.g. \"Board pack "
              "for Dana, Dec 2026\" (kept in git, never shipped in the portal); how you find "
              "the link again to revoke it.")
@click.option("--url", required=True, help="Where the portal is published, e.g. "
              "https://portals.example.com/acme/ (any #fragment in it is dropped).")
@click.option("--id", "reader_id", default=None, metavar="ID",
              help="The link's id in readers.yml (default: link-1, link-2, ... after the "
                   "highest one there, so a revoked link's id is never reused).")
@click.pass_context
def reader_link(ctx: click.Context, client: str, label: str, url: str,
                reader_id: str | None) -> None:
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
    folder = _client_folder(ctx, client)
    added, fragment = add_link(folder / "readers.yml", label, reader_id)
    click.echo(f"added link {added.id} to clients/{client}/readers.yml (commit it, then "
               f"rebuild; revoke it with `portico reader remove {client} {added.id}`)", err=True)
    click.echo("link (shown once, not stored anywhere; anyone who has it can read the "
               "portal):", err=True)
    click.echo(base + fragment)


@reader.command("list")
@click.argument("client", required=False)
@click.pass_context
def reader_list(ctx: click.Context, client: str | None) -> None:
    """List the readers and links of CLIENT, or of every client: id, kind and label.

    The kind is `passphrase` for a reader who types a passphrase, `link` for a share
    link made by `portico reader link`.
    """
    from portico.protection.readers import load_readers

    for slug in _clients(_root(ctx), (client,) if client else (), None):
        readers = load_readers(_root(ctx) / "clients" / slug / "readers.yml")
        links = sum(r.kind == "link" for r in readers)
        people = len(readers) - links
        counts = f"{people} reader{'s' * (people != 1)}"
        if links:
            counts += f", {links} link{'s' * (links != 1)}"
        click.echo(f"{slug}: {counts}")
        for r in readers:
            click.echo(f"  {r.id:<20} {r.kind:<10} {r.label}")


@main.command()
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
    check every protected file.
    """
    from portico.content.load import load_engagement
    from portico.delivery.pipeline import practice_name
    from portico.protection.leakscan import scan_portal
    from portico.protection.verify import verify_with_passphrase

    site = site.resolve()
    if passphrase_stdin:
        count = verify_with_passphrase(site, sys.stdin.readline().rstrip("\n"))
        click.echo(f"ok: {count} protected files decrypted and checked")
        return
    engagement = load_engagement(_root(ctx), site.name)
    leaks = scan_portal(site, engagement, practice_name(_root(ctx)))
    for leak in leaks:
        click.echo(str(leak), err=True)
    if leaks:
        raise PorticoError(f"{len(leaks)} leak{'s' * (len(leaks) != 1)} of client text in {site}")
    click.echo(f"ok: no client text in {site}")


@main.command()
@click.argument("client")
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.pass_context
def serve(ctx: click.Context, client: str, port: int) -> None:
    """Preview CLIENT's portal on http://127.0.0.1:PORT with live reload while you edit.

    Unprotected and local only: the pipeline stops after render, and every change to
    clients/CLIENT/, content/, mkdocs.yml or theme/ re-renders the page in the browser.
    """
    from portico.delivery.serve import serve_client

    _client_folder(ctx, client)
    serve_client(_root(ctx), client, port=port, echo=click.echo)


@main.command()
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
@click.pass_context
def publish(ctx: click.Context, destination: str, remote: str | None, keep_history: bool,
            only: str | None, cname: str | None, site: Path | None) -> None:
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
    named must have passed, and the site root's CNAME is left out (give --cname).

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

    root = _root(ctx)
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
                                keep_history=keep_history, only=chosen, cname=cname)
    else:
        if remote is not None:
            raise PorticoError("--remote goes with --to git:BRANCH; a folder is not pushed")
        if keep_history:
            raise PorticoError("--keep-history goes with --to git:BRANCH; a folder keeps "
                               "no history")
        if not destination.strip():
            raise PorticoError("--to needs a folder or git:BRANCH")
        result = publish_to_dir(site_root, Path(destination).expanduser(), only=chosen,
                                cname=cname)
    click.echo(result.summary())
    for note in result.notes:
        click.echo(f"  {note}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", "practice_name", default="My CTO Practice", show_default=True,
              help="Your practice's name, shown on every portal and on its login page.")
def init(directory: Path, practice_name: str) -> None:
    """Start a new practice repository in DIRECTORY, which must be new or empty.

    Writes the base mkdocs.yml, theme/, content/ with two shared pages, an example
    client (clients/example/) with one reader, .github/workflows/portico.yml (check and
    build on pull requests; on main also deploy to GitHub Pages), .pre-commit-config.yaml,
    .gitignore, requirements.txt (what CI installs), a README and HOSTING.md (where
    the portals may be hosted, and how to revoke a reader; read it before publishing).
    Prints the example reader's passphrase once; it is stored nowhere.
    """
    from portico.authoring.practice_init import EXAMPLE_CLIENT, HOSTING_GUIDE, init_practice

    result = init_practice(directory, practice_name=practice_name)
    shown = _shown(result.root.resolve())
    click.echo(f"created a new practice in {shown}/ ({len(result.files)} files)")
    click.echo(f"passphrase of the example reader of clients/{EXAMPLE_CLIENT} "
               "(shown once, not stored anywhere):")
    click.echo(f"  {result.passphrase}")
    click.echo("next:")
    click.echo(f"  cd {shown} && portico check && portico build")
    click.echo("  point requirements.txt at the Portico release CI should install")
    click.echo("  git init -b main && git add . && git commit -m \"Start the practice\"")
    click.echo(f"before you publish, read {shown}/{HOSTING_GUIDE}: where the portals may be "
               "hosted, and how to revoke a reader")
