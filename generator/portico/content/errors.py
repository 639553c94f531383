"""One exception hierarchy: user mistakes carry file and line; anything else is a bug."""

from __future__ import annotations

import errno
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Characters that print as nothing, or as something else: control and format characters
# (zero-width space, bidi overrides), separators other than the space, unassigned ones.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"}


def visible(text: str) -> str:
    """`text` with every invisible character escaped (`ac\\u200bme`), so that a name echoed
    in a message shows what is really written. A byte of a file name that is not UTF-8
    (held by Python as a lone surrogate) shows as `\\xe9`.

    Applied where messages are printed (`Problem.__str__`, the CLI), not where they are
    written: every value echoed anywhere is covered, and messages stay plain text inside.
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's escape for a byte that is not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char != " " and unicodedata.category(char) in _INVISIBLE:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


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
        return visible(f"{where}: {prefix}{self.message}")


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


def os_problem(exc: OSError, where: Path | str) -> str:
    """A failure of the machine (a full disk, a read-only folder) in one line, in the words
    of someone running Portico; `where` is named when the error names no file."""
    place = exc.filename2 or exc.filename or where  # a copy names its target second
    reasons = {
        errno.ENOSPC: f"no space left on the device holding {place}",
        errno.EDQUOT: f"disk quota exceeded writing {place}",
        errno.EROFS: f"{place} is on a read-only file system",
        errno.EACCES: f"permission denied writing {place}",
        errno.EPERM: f"not permitted to write {place}",
        errno.ENOTDIR: f"{place}: part of this path is a file, not a folder",
    }
    return reasons.get(exc.errno or 0, f"cannot write {place}: {exc.strerror}")
