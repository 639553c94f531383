"""The `portico` group: the root option, error reporting, and helpers the commands share."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from portico import __version__
from portico.content.errors import ContentError, PorticoError, Problem, visible


def root_of(ctx: click.Context) -> Path:
    root: Path = ctx.obj["root"]
    return root


def _find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "clients").is_dir() and (folder / "mkdocs.yml").is_file():
            return folder
    return start


def report_problems(problems: Iterable[Problem], *, err: bool = True) -> None:
    """Print problems as `path:line: message`; in GitHub Actions also as annotations."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        click.echo(str(problem), err=err)
        if annotate:
            level = "warning" if problem.severity == "warning" else "error"
            where = f"file={visible(problem.path)}" + (f",line={problem.line}"
                                                       if problem.line else "")
            message = visible(problem.message).replace("%", "%25")
            click.echo(f"::{level} {where}::{message}")


class _Group(click.Group):
    """Turns every PorticoError into a clean message and exit status 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ContentError as exc:
            report_problems(exc.problems)
            count = len(exc.problems)
            click.echo(f"{count} error{'s' * (count != 1)}", err=True)
            sys.exit(1)
        except PorticoError as exc:
            click.echo(f"error: {visible(str(exc))}", err=True)
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
    risks.yml, kpis.yml, vendors.yml, opportunities.yml, decisions/, board/, notes/,
    pages/, files/) in a git repository; `portico check` validates it, `portico build`
    turns every client into site/<slug>/ (board packs and What's new read the git
    history), `portico status` says what needs attention across clients, and
    `portico docs` opens the documentation in your browser.
    """
    ctx.obj = {"root": (root or _find_root(Path.cwd())).resolve()}


def chosen_clients(root: Path, slugs: tuple[str, ...], only: str | None) -> list[str]:
    folder = root / "clients"
    every = sorted(p.name for p in folder.iterdir()
                   if p.is_dir() and not p.name.startswith(("_", "."))) if folder.is_dir() else []
    wanted = list(slugs) + [s.strip() for s in (only or "").split(",") if s.strip()]
    if not wanted:
        return every
    from portico.content.load import SLUG  # the loader costs every run: only when named

    unknown = [s for s in wanted if s not in every or not SLUG.match(s)]
    if unknown:
        raise PorticoError(f"no such client: {', '.join(unknown)} (clients: {', '.join(every)})")
    return list(dict.fromkeys(wanted))


def shown_path(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def client_folder(ctx: click.Context, client: str) -> Path:
    folder = root_of(ctx) / "clients" / client
    if not (folder / "client.yml").is_file():
        raise PorticoError(f"no such client: clients/{client}/client.yml not found")
    return folder


def client_name(folder: Path) -> str:
    """The client's display name from client.yml, or "" if it cannot be read."""
    import yaml

    try:
        data = yaml.safe_load((folder / "client.yml").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    return str(data.get("name") or "") if isinstance(data, dict) else ""


class LazyChoice(click.Choice[str]):
    """A click.Choice whose choices are looked up when first asked for, not at import: the
    section that owns them costs every command's start-up (a no-op build's most of all)."""

    def __init__(self, load: Callable[[], Sequence[str]]) -> None:
        self._load = load
        self.case_sensitive = True

    @property
    def choices(self) -> Sequence[str]:
        return tuple(self._load())

    @choices.setter
    def choices(self, _value: Sequence[str]) -> None:
        pass  # the looked-up choices are the only ones


def _terminal() -> bool:
    return sys.stdin.isatty()


def ask_when_missing(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A click callback for a value an entry needs: given as an option, asked for on a
    terminal, else a usage error naming the option (a script never waits on a prompt)."""
    if value is not None:
        return value
    if not _terminal():
        raise click.MissingParameter(ctx=ctx, param=param)
    help_text = getattr(param, "help", None) or param.name or ""
    return click.prompt(help_text.rstrip("."), type=param.type)
