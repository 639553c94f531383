"""Build progress: a live line per client on a terminal, one plain line per client elsewhere."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported only when a person watches (it costs every build)
    from rich.table import Table

    from portico.delivery.pipeline import ClientBuild


def interactive() -> bool:
    """A terminal a person watches (not CI, not a pipe)."""
    return sys.stdout.isatty() and not os.environ.get("CI")


class LiveProgress:
    """A table of clients whose stage and time update in place (rich.live)."""

    def __init__(self, slugs: Sequence[str]) -> None:
        from rich.console import Console
        from rich.live import Live

        self.stage = {slug: "waiting" for slug in slugs}
        self.started: dict[str, float] = {}
        self.results: dict[str, ClientBuild] = {}
        self.live = Live(self._table(), console=Console(), refresh_per_second=8, transient=False)

    def __enter__(self) -> LiveProgress:
        self.live.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.live.update(self._table())
        self.live.__exit__(kind, error, trace)

    def event(self, slug: str, stage: str) -> None:
        """A worker reached `stage` for `slug`."""
        self.started.setdefault(slug, time.perf_counter())
        self.stage[slug] = stage
        self.live.update(self._table())

    def done(self, result: ClientBuild) -> None:
        """A client finished (or was skipped)."""
        self.results[result.slug] = result
        self.stage[result.slug] = describe(result)
        self.live.update(self._table())

    def _table(self) -> Table:
        from rich.table import Table

        table = Table.grid(padding=(0, 2))
        now = time.perf_counter()
        for slug, stage in self.stage.items():
            if slug in self.results or slug not in self.started:
                table.add_row(slug, stage)
            else:
                table.add_row(slug, f"{stage}… {now - self.started[slug]:4.1f} s")
        return table


def describe(result: ClientBuild) -> str:
    """One line about a finished client."""
    if result.skipped:
        return "unchanged, kept"
    if result.ok:
        return f"ok   {result.pages:>4} pages  {result.seconds:5.1f} s"
    return f"FAIL {result.seconds:5.1f} s"
