"""One exception hierarchy: user mistakes carry file and line; anything else is a bug."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


class PorticoError(Exception):
    """Root of every error Portico raises on purpose; the CLI prints it and exits 1."""


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the user's files: `path:line: message`.

    Raised (inside `ContentError`) by the loader and by `check`; `severity` is
    "error" or "warning". `path` is relative to the repository root. A warning names its
    `kind`, one of `content.check.warning_kinds()`, which docs/commands.md lists.
    """

    path: str
    line: int
    message: str
    severity: str = "error"
    kind: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class ContentError(PorticoError):
    """The user's files are wrong. Carries every problem found, not only the first.

    Raised by `load` and `check`; the CLI prints each problem on its own line.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str | Path, line: int, message: str) -> ContentError:
        """One problem at `path:line`."""
        return cls([Problem(str(path), line, message)])


class BuildError(PorticoError):
    """The engine or the protection stage failed for a reason that is not a content mistake."""


class LeakError(PorticoError):
    """`verify` found client text in a protected portal; nothing of that client is published."""
