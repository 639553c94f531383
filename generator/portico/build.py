"""The only module that knows the engine: a rendered docs tree in, a static site out.

Everything MkDocs-specific (config loading, its process-wide plugin cache, its logging)
stays here, so that a Zensical adapter is a change to this file alone.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BuildError

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass(frozen=True)
class BuiltSite:
    """A finished static site folder and how many pages it has."""

    site_dir: Path
    pages: int


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@functools.lru_cache(maxsize=1)
def engine_asset_digests() -> frozenset[str]:
    """SHA-256 digests of the theme's own packaged static files (identical for every client).

    `verify` skips the contents of output files that match one of them byte for byte:
    they cannot hold client data, and scanning them is most of a leak scan's time.
    """
    return frozenset(hashlib.sha256(p.read_bytes()).hexdigest()
                     for p in engine_asset_folder().rglob("*") if p.is_file())


def engine_asset_folder() -> Path:
    """The theme's packaged static files, as MkDocs copies them under the site's assets/."""
    import material

    return Path(material.__file__).parent / "templates" / "assets"


def _reset_engine_state() -> None:
    """Forget plugin instances MkDocs caches per process, so no client's state reaches the next."""
    from mkdocs.config import config_options
    from mkdocs.config.defaults import MkDocsConfig

    for _name, option in MkDocsConfig._schema:
        if isinstance(option, config_options.Plugins):
            option.plugin_cache.clear()


def _cache_compiled_templates(config: Any, cache_dir: Path) -> None:
    """Keep the theme's compiled templates on disk: every client's build reuses them.

    Jinja keys each entry by template name and source checksum and writes atomically, so
    a changed template, a corrupt file or two workers at once only cost a recompile.
    Templates are the theme's (and theme/ overrides'), never client content.
    """
    import jinja2

    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = jinja2.FileSystemBytecodeCache(str(cache_dir))
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env: jinja2.Environment = make_env()
        env.bytecode_cache = cache
        _cache_theme_listing(env, theme, cache_dir)
        return env

    theme.get_env = get_env


def _theme_listing_key(theme: Any) -> str:
    """What the theme's file listing depends on: package versions, theme folders and, for
    folders outside installed packages (the practice's theme/), every file name and mtime."""
    from importlib import metadata

    import material
    import mkdocs

    packages = [Path(material.__file__).parent, Path(mkdocs.__file__).parent]
    digest = hashlib.sha256()
    for package in ("mkdocs", "mkdocs-material"):
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    digest.update(repr(sorted(theme.static_templates)).encode())
    for folder in theme.dirs:
        digest.update(f"\0dir {folder}\0".encode())
        if any(Path(folder).is_relative_to(package) for package in packages):
            continue  # an installed package: its version above stands for its files
        for path in sorted(Path(folder).rglob("*")):
            digest.update(f"{path}\0{path.stat().st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _cache_theme_listing(env: Any, theme: Any, cache_dir: Path) -> None:
    """Remember which theme files MkDocs copies into a site (it walks and pattern-filters
    Material's ~14,500 files on every build, a fifth of a small portal's build time)."""
    original = env.list_templates

    def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
        if extensions is not None or filter_func is None:
            return list(original(extensions, filter_func))
        path = cache_dir / f"theme-files-{_theme_listing_key(theme)}.json"
        try:
            names = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(names, list) and all(isinstance(n, str) for n in names):
                return names
        except (OSError, ValueError):
            pass
        names = list(original(extensions, filter_func))
        temp = path.with_suffix(f".{os.getpid()}.tmp")
        temp.write_text(json.dumps(names), encoding="utf-8")
        os.replace(temp, path)
        return names

    env.list_templates = list_templates


def build_site(config_file: Path, *, template_cache: Path | None = None) -> BuiltSite:
    """Build the site a rendered MkDocs config describes; raises `BuildError` with the reasons.

    Runs in-process. Safe to call repeatedly in one process: engine state is reset first.
    `template_cache`, a folder, keeps the theme's compiled templates between builds.
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
        if template_cache is not None:
            _cache_compiled_templates(config, template_cache)
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
