"""`portico plan`: which clients a change since a git revision affects."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from portico.content.errors import PorticoError
from portico.delivery.cache import SHARED_INPUTS

# Changes here rebuild every client (the generator's own code and its dependencies).
ALL_CLIENTS = (*SHARED_INPUTS, "generator", "pyproject.toml")


@dataclass
class Plan:
    """The clients to build and to remove, and whether shared inputs changed."""

    clients: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    shared_changed: bool = False
    changed_files: list[str] = field(default_factory=list)


def _git(root: Path, *args: str) -> list[str]:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                                check=True)
    except FileNotFoundError:
        raise PorticoError("git is not installed") from None
    except subprocess.CalledProcessError as exc:
        raise PorticoError(f"git {' '.join(args)}: {exc.stderr.strip()}") from None
    return [line for line in result.stdout.splitlines() if line]


def changed_files(root: Path, revision: str) -> list[str]:
    """Files that differ between `revision` and the working tree, untracked ones included."""
    _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    tracked = _git(root, "diff", "--name-only", "--no-renames", revision, "--", ".")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard")
    return sorted(set(tracked) | set(untracked))


def plan_changes(root: Path, revision: str, clients: list[str]) -> Plan:
    """Which of `clients` (the current ones) a change since `revision` affects."""
    plan = Plan(changed_files=changed_files(root, revision))
    touched: set[str] = set()
    for name in plan.changed_files:
        parts = PurePosixPath(name).parts
        if parts and parts[0] in ALL_CLIENTS:
            plan.shared_changed = True
        elif len(parts) >= 2 and parts[0] == "clients" and not parts[1].startswith(("_", ".")):
            touched.add(parts[1])
    plan.clients = list(clients) if plan.shared_changed else sorted(touched & set(clients))
    plan.removed = sorted(touched - set(clients))
    return plan
