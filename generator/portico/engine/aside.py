"""The engine made ready in a forked child while the portal's content is read and rendered.

A build of many portals imports and warms the engine once, in the process that forks their
workers (delivery.workers), and every worker inherits it. A build of one portal (an edit
rebuilt) would wait for that first: importing MkDocs, its theme, plugins and Markdown
extensions takes most of a second, while the other core sits idle. `EngineAside` pays it
in a child forked when the portal's build starts, beside loading, checking and rendering;
the child then builds the rendered docs it is handed (`build_site`, unchanged) and sends
the site back. Any error the engine raises (a refused link at the user's file and line)
comes back and is raised as if the build had run here.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from portico.delivery.forked import Forked
from portico.engine.build import BuiltSite, build_site, warm_up
from portico.engine.partial import Kept

__all__ = ["EngineAside"]


class EngineAside:
    """A forked child that warms the engine now and builds one site when asked."""

    def __init__(self, base_config: Path, engine: str = "mkdocs") -> None:
        if not hasattr(os, "fork"):
            raise RuntimeError("the engine aside needs fork")
        self._read, self._write = os.pipe()
        self._engine = engine
        self._child: Forked[BuiltSite] = Forked(lambda: self._serve(base_config))
        os.close(self._read)  # this process only asks
        self._asked = False

    def _serve(self, base_config: Path) -> BuiltSite:
        """In the child: warm the engine, wait for the build's arguments, build."""
        os.close(self._write)
        warm_up(base_config, self._engine)
        with os.fdopen(self._read, "rb") as pipe:
            request = pipe.read()
        if not request:  # the build ended before its engine stage: nothing to build
            os._exit(0)
        arguments: dict[str, Any] = pickle.loads(request)  # noqa: S301 (our own parent)
        return build_site(**arguments)

    def start(self, config_file: Path, *, template_cache: Path | None = None,
              origins: Mapping[tuple[str, str], tuple[str, int]] | None = None,
              sources: Mapping[str, str] | None = None, kept: Kept | None = None) -> None:
        """Have the child run `build_site` of these arguments; `result()` waits for it."""
        if self._asked:
            raise RuntimeError("the engine aside builds one site")
        self._asked = True
        request = pickle.dumps({
            "config_file": config_file, "template_cache": template_cache,
            "engine": self._engine, "origins": dict(origins or {}),
            "sources": dict(sources or {}), "kept": kept}, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(self._write, "wb") as pipe:
            pipe.write(request)

    def result(self) -> BuiltSite:
        """The site the child built (`start`); raises what `build_site` raised."""
        return self._child.result()

    def close(self) -> None:
        """Stop the child if no site was asked of it (the build failed before)."""
        if not self._asked:
            self._asked = True
            os.close(self._write)
        self._child.cancel()
