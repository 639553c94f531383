"""The only module that knows the engine: a rendered docs tree in, a static site out.

Everything MkDocs-specific (config loading, its process-wide plugin cache, its logging)
stays here, so that a Zensical adapter is a change to this file alone.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass(frozen=True)
class BuiltSite:
    """A finished static site folder and the engine's warnings (none when strict)."""

    site_dir: Path
    pages: int


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _reset_engine_state() -> None:
    """Forget plugin instances MkDocs caches per process, so no client's state reaches the next."""
    from mkdocs.config import config_options
    from mkdocs.config.defaults import MkDocsConfig

    for _name, option in MkDocsConfig._schema:
        if isinstance(option, config_options.Plugins):
            option.plugin_cache.clear()


def build_site(config_file: Path) -> BuiltSite:
    """Build the site a rendered MkDocs config describes; raises `BuildError` with the reasons.

    Runs in-process. Safe to call repeatedly in one process: engine state is reset first.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    _reset_engine_state()
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    previous = logger.level
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        config = load_config(str(config_file))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        details = "; ".join(collect.messages) or str(exc)
        raise BuildError(f"the site engine refused the portal: {details}") from None
    finally:
        logger.removeHandler(collect)
        logger.setLevel(previous)
    site_dir = Path(config["site_dir"])
    pages = sum(1 for _ in site_dir.rglob("index.html"))
    return BuiltSite(site_dir, pages)
