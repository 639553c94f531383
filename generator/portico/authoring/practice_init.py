"""`portico init`: a new practice repository from the starter that ships in the package.

The starter lives in `scaffold_practice/` beside this module. Files whose names begin
with `dot-` there are written with a leading dot (`dot-gitignore` → `.gitignore`): a real
`.gitignore` or `.github/` inside the package would act on Portico's own repository.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from portico import DISTRIBUTION, __version__
from portico.content.errors import PorticoError

__all__ = ["InitResult", "init_practice", "EXAMPLE_CLIENT", "EXAMPLE_READER", "HOSTING_GUIDE"]

EXAMPLE_CLIENT = "example"
EXAMPLE_READER = "example-reader"
HOSTING_GUIDE = "HOSTING.md"
"""The hosting guide at the practice's root: Portico's docs/hosting.md, shipped in the
package because an installed Portico has no docs/ folder to point at."""
_DOT_PREFIX = "dot-"


@dataclass
class InitResult:
    """What `init_practice` wrote, and the example reader's passphrase (shown once)."""

    root: Path
    files: list[Path]
    passphrase: str


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


def _fill(text: str, practice_name: str) -> str:
    """Put the practice's name and Portico's version into a starter file."""
    copyright_line = f"{practice_name} · Confidential, prepared for the client named in this portal"
    return (text.replace("__PRACTICE_NAME_YAML__", json.dumps(practice_name, ensure_ascii=False))
                .replace("__COPYRIGHT_YAML__", json.dumps(copyright_line, ensure_ascii=False))
                .replace("__PRACTICE_NAME__", practice_name)
                .replace("__REQUIREMENT__", requirement())
                .replace("__VERSION__", __version__))


def init_practice(target: Path, *, practice_name: str = "My CTO Practice") -> InitResult:
    """Write a new practice repository into `target` (missing or empty) and return what it wrote.

    Gives the example client one reader with a freshly generated passphrase, which the
    caller must show once: it is stored nowhere. Raises PorticoError if `target` holds
    anything, or if `practice_name` is empty.
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
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for parts, data in starter:
        path = target.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.write_text(_fill(data.decode("utf-8"), practice_name), encoding="utf-8")
        except UnicodeDecodeError:
            path.write_bytes(data)
        written.append(path)
    passphrase = generate_passphrase()
    readers = target / "clients" / EXAMPLE_CLIENT / "readers.yml"
    add_reader(readers, EXAMPLE_READER, "Example reader (remove before going live)", passphrase,
               known_words=guessable_words(target, EXAMPLE_CLIENT, EXAMPLE_READER, ""))
    written.append(readers)
    written.extend(write_schemas(target))
    return InitResult(root=target, files=sorted(written), passphrase=passphrase)
