"""`portico init`: a new practice repository from the starter that ships in the package.

The starter lives in `scaffold_practice/` beside this module. Files whose names begin
with `dot-` there are written with a leading dot (`dot-gitignore` → `.gitignore`): a real
`.gitignore` or `.github/` inside the package would act on Portico's own repository.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from portico import DISTRIBUTION, __version__
from portico.content.errors import PorticoError
from portico.protection.readers import EXAMPLE_READER

__all__ = ["InitResult", "init_practice", "EXAMPLE_CLIENT", "EXAMPLE_READER", "HOSTING_GUIDE"]

EXAMPLE_CLIENT = "example"
HOSTING_GUIDE = "HOSTING.md"
"""The hosting guide at the practice's root: Portico's docs/hosting.md, shipped in the
package because an installed Portico has no docs/ folder to point at."""
_DOT_PREFIX = "dot-"


BRANCH = "main"  # the branch the shipped workflow builds and deploys from
FALLBACK_IDENTITY = ("Portico", "portico@localhost")
"""Who makes the first commit when git knows nobody: given on that commit alone, never
written to any git config."""


@dataclass
class InitResult:
    """What `init_practice` wrote, and the example reader's passphrase (shown once)."""

    root: Path
    files: list[Path]
    passphrase: str
    commit: str | None = None
    """The first commit, on BRANCH; None when git was not asked for or could not make it."""
    notes: list[str] = field(default_factory=list)
    """One line each, for the terminal: why there is no first commit."""


def _starter() -> Traversable:
    return resources.files("portico.authoring") / "scaffold_practice"


def _walk(folder: Traversable, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], bytes]]:
    """Every starter file as (path parts, bytes), `dot-` names already turned into dots."""
    found: list[tuple[tuple[str, ...], bytes]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        name = "." + entry.name[len(_DOT_PREFIX):] if entry.name.startswith(_DOT_PREFIX) \
            else entry.name
        if entry.is_dir():
            found.extend(_walk(entry, (*prefix, name)))
        else:
            found.append(((*prefix, name), entry.read_bytes()))
    return found


def requirement() -> str:
    """The exact requirement of the Portico that is running: `portico-cto==0.1.0`, under
    the name of the distribution that installed the `portico` package (a fork published
    under another name pins that name)."""
    from importlib import metadata

    names = metadata.packages_distributions().get("portico") or [DISTRIBUTION]
    name = DISTRIBUTION if DISTRIBUTION in names else names[0]
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:  # running from a source tree, not installed
        name, version = DISTRIBUTION, __version__
    return f"{name}=={version}"


_DAY = re.compile(r"__DATE([+-]\d+)__")
_MONTH = re.compile(r"__MONTH([+-]\d+)__")


def _dates(text: str, today: dt.date) -> str:
    """`__DATE-30__` → the day 30 days before `today`, `__MONTH-1__` → last month (YYYY-MM):
    the example engagement is always under way on the day the practice starts."""
    def month(match: re.Match[str]) -> str:
        index = today.year * 12 + today.month - 1 + int(match.group(1))
        return f"{index // 12:04d}-{index % 12 + 1:02d}"

    text = _DAY.sub(lambda m: (today + dt.timedelta(days=int(m.group(1)))).isoformat(), text)
    return _MONTH.sub(month, text)


def _placeholders(practice_name: str) -> dict[str, str]:
    """Placeholder → text: the practice's name and the Portico that writes the practice
    (worked out once: finding the installed distribution reads every one installed)."""
    copyright_line = f"{practice_name} · Confidential, prepared for the client named in this portal"
    return {"__PRACTICE_NAME_YAML__": json.dumps(practice_name, ensure_ascii=False),
            "__COPYRIGHT_YAML__": json.dumps(copyright_line, ensure_ascii=False),
            "__PRACTICE_NAME__": practice_name,
            "__REQUIREMENT__": requirement(),
            "__VERSION__": __version__}


def _fill(text: str, placeholders: dict[str, str], today: dt.date) -> str:
    """Put the practice's name, Portico's version and the example's dates into a starter
    file."""
    text = _dates(text, today)
    for placeholder, value in placeholders.items():
        text = text.replace(placeholder, value)
    return text


def init_practice(target: Path, *, practice_name: str = "My CTO Practice",
                  git: bool = True, today: dt.date | None = None) -> InitResult:
    """Write a new practice repository into `target` (missing or empty) and return what it wrote.

    Gives the example client one reader with a freshly generated passphrase, which the
    caller must show once: it is stored nowhere. With `git`, makes `target` a git
    repository with everything in a first commit on BRANCH (board packs and What's new
    are read from the history); without git on PATH, or inside another repository, it
    writes the files all the same and says why in `notes`. The example's dates are set
    around `today` (default: the real one). Raises PorticoError if
    `target` holds anything, or if `practice_name` is empty.
    """
    from portico.content.schema import write_schemas
    from portico.protection.guessable import guessable_words
    from portico.protection.readers import add_reader, generate_passphrase

    practice_name = " ".join(practice_name.split())
    if not practice_name:
        raise PorticoError("--name must not be empty")
    if target.exists() and not target.is_dir():
        raise PorticoError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise PorticoError(f"{target} is not empty; `portico init` starts a new practice in "
                           "a new or empty folder")
    starter = _walk(_starter())
    if not starter:
        raise PorticoError("the practice starter is missing from the installed package "
                           "(reinstall Portico)")
    today = today or dt.date.today()
    placeholders = _placeholders(practice_name)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for parts, data in starter:
        path = target.joinpath(*(_dates(part, today) for part in parts))
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.write_text(_fill(data.decode("utf-8"), placeholders, today),
                            encoding="utf-8")
        except UnicodeDecodeError:
            path.write_bytes(data)
        written.append(path)
    passphrase = generate_passphrase()
    readers = target / "clients" / EXAMPLE_CLIENT / "readers.yml"
    add_reader(readers, EXAMPLE_READER, "Example reader (remove before going live)", passphrase,
               known_words=guessable_words(target, EXAMPLE_CLIENT, EXAMPLE_READER, ""))
    written.append(readers)
    written.extend(write_schemas(target))
    result = InitResult(root=target, files=sorted(written), passphrase=passphrase)
    if git:
        result.commit, note = _first_commit(target)
        if note:
            result.notes.append(note)
    return result


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                          timeout=120)


def _identity(folder: Path) -> list[str]:
    """`-c` options naming who commits, for what neither git's config nor the environment
    says (a fresh machine, a CI runner); [] when git knows."""
    options = []
    for key, variable, fallback in (("user.name", "GIT_COMMITTER_NAME", FALLBACK_IDENTITY[0]),
                                    ("user.email", "GIT_COMMITTER_EMAIL",
                                     FALLBACK_IDENTITY[1])):
        if not os.environ.get(variable) and not _git(folder, "config", "--get", key).stdout:
            options += ["-c", f"{key}={fallback}"]
    return options


def _first_commit(target: Path) -> tuple[str | None, str | None]:
    """Make `target` a git repository holding every file in one commit on BRANCH.

    Returns (the commit, None), or (None, a one-line note why not); never raises for git.
    """
    redo = (f"`git init -b {BRANCH} && git add . && git commit -m \"Start the practice\"` in "
            "it, as board packs and What's new are read from the history")
    if shutil.which("git") is None:
        return None, ("git was not found, so there is no repository yet: install git, then "
                      f"run {redo}")
    inside = _git(target, "rev-parse", "--show-toplevel")
    if inside.returncode == 0:
        return None, (f"{target} is inside the git repository {inside.stdout.strip()}, so no "
                      "repository of its own was made; commit the new files there, or run "
                      f"{redo}")
    steps = (["init", "--quiet"], ["symbolic-ref", "HEAD", f"refs/heads/{BRANCH}"],
             ["add", "--all"])
    for step in steps:
        done = _git(target, *step)
        if done.returncode != 0:
            return None, f"git {step[0]} failed ({_first_line(done)}); to finish, run {redo}"
    message = f"Start the practice with Portico {__version__}"
    done = _git(target, *_identity(target), "commit", "--quiet", "--no-verify", "-m", message)
    if done.returncode != 0:
        return None, f"git commit failed ({_first_line(done)}); to finish, run {redo}"
    return _git(target, "rev-parse", "HEAD").stdout.strip(), None


def _first_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[0] if lines else f"exit status {done.returncode}"
