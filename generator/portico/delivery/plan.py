"""`portico plan`: which clients a change since a git revision affects."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from portico.content.errors import PorticoError
from portico.delivery.cache import SHARED_INPUTS

# Changes here rebuild every client (the generator's own code and its dependencies).
ALL_CLIENTS = (*SHARED_INPUTS, "generator", "pyproject.toml")
FEW = 3  # clients one CI job builds before another job pays for its own start-up


@dataclass
class Plan:
    """The clients to build and to remove, and whether shared inputs changed."""

    clients: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    shared_changed: bool = False
    changed_files: list[str] = field(default_factory=list)
    groups: list[list[str]] = field(default_factory=list)  # `clients`, split for a CI matrix


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


def plan_all(clients: list[str]) -> Plan:
    """Every client, as when there is no earlier revision to compare with (a first push)."""
    return Plan(clients=list(clients), shared_changed=True)


def split(clients: Sequence[str], sizes: Mapping[str, int], max_groups: int,
          per_group: int = FEW) -> list[list[str]]:
    """`clients` in at most `max_groups` groups of at least `per_group` (so a few changed
    clients stay in one job), balanced by size: the largest client first, each into the
    group with the least so far (longest-processing-time first). Each group sorted."""
    if not clients:
        return []
    count = max(1, min(max_groups, len(clients) // per_group))
    groups: list[list[str]] = [[] for _ in range(count)]
    totals = [0] * count
    for slug in sorted(clients, key=lambda s: (-sizes.get(s, 0), s)):
        lightest = totals.index(min(totals))
        groups[lightest].append(slug)
        totals[lightest] += max(sizes.get(slug, 0), 1)
    return sorted((sorted(g) for g in groups), key=lambda g: g[0])


def client_sizes(root: Path, clients: Sequence[str]) -> dict[str, int]:
    """Bytes in each client's folder: what its build time roughly follows."""
    sizes = {}
    for slug in clients:
        folder = root / "clients" / slug
        sizes[slug] = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return sizes
