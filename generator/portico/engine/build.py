"""The only module that knows the engine: a rendered docs tree in, a static site out.

Everything MkDocs-specific (config loading, its process-wide plugin cache, its logging)
stays here, so that a Zensical adapter is a change to this file alone.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from portico.content.errors import BuildError, ContentError, Problem
from portico.engine.partial import INDEX, Kept, merge_index, page_url, prepare

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass(frozen=True)
class BuiltSite:
    """A finished static site folder and what `protect` must know of it."""

    site_dir: Path
    pages: int
    page_paths: frozenset[str]
    """HTML files the engine made from pages (POSIX, relative); any other HTML in the site
    is a file the client attached, which is served as a download, never as a page."""
    engine_scripts: frozenset[str]
    """CSP hash sources (`'sha256-…'`) of the engine's own inline scripts: the only inline
    scripts a decrypted page may run. Taken from the theme's pages, never from content."""
    partial: bool = False  # rebuilt from the last build (engine.partial), not whole


_SCOPE = re.compile(r'__md_scope=new URL\("([^"]*)",location\)')
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


class _InlineScripts(HTMLParser):
    """Collects the bodies of a page's executable inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.bodies: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        named = {name: value or "" for name, value in attrs}
        executable = named.get("type", "").strip().lower() in _EXECUTABLE_TYPES
        self._current = [] if executable and "src" not in named else None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.bodies.append("".join(self._current))
            self._current = None


def _csp_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def describe_site(docs_dir: Path, site_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The engine's page paths and own inline-script hashes for a site MkDocs built.

    Pages: HTML files of the site that were not copied from the docs tree as they are.
    Scripts: the inline scripts of the theme's 404 page, which holds no content, in one
    variant per folder depth of the site (Material writes the page's relative root into
    its first script). A theme without a 404 page allows no inline script: safe, though
    the palette toggle then forgets its choice.
    """
    return _describe([p for p in _walk(site_dir) if p.endswith((".html", ".htm"))], docs_dir,
                     site_dir)


def _built(site_dir: Path, docs_dir: Path, *, partial: bool = False) -> BuiltSite:
    """The site the engine made, from one walk of it: its page count (the `index.html` files
    a reader opens, as the build reports them), page paths and inline-script hashes."""
    html = [p for p in _walk(site_dir) if p.endswith((".html", ".htm"))]
    page_paths, scripts = _describe(html, docs_dir, site_dir)
    pages = sum(1 for p in html if p == "index.html" or p.endswith("/index.html"))
    return BuiltSite(site_dir, pages, page_paths, scripts, partial=partial)


def _describe(html: list[str], docs_dir: Path,
              site_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    sources = set(_walk(docs_dir))  # one scandir per folder, not a stat per page
    pages = frozenset(p for p in html if p not in sources)
    not_found = site_dir / "404.html"
    if not not_found.is_file():
        return pages, frozenset()
    parser = _InlineScripts()
    parser.feed(not_found.read_text(encoding="utf-8", errors="replace"))
    depth = max((p.count("/") for p in pages), default=0)
    bases = ["."] + ["/".join([".."] * n) for n in range(1, depth + 1)]
    scripts: set[str] = set()
    for body in parser.bodies:
        scripts.add(_csp_hash(body))
        match = _SCOPE.search(body)
        if match:
            for base in bases:
                scoped = f'__md_scope=new URL("{base}",location)'
                scripts.add(_csp_hash(body[:match.start()] + scoped + body[match.end():]))
    return pages, frozenset(scripts)


def _walk(root: Path) -> list[str]:
    """The files under `root` (links to files included, linked folders not entered), as
    POSIX paths relative to it: one scandir per folder, no stat per file (3,000 pages)."""
    from portico.content.walk import walk

    return [rel for rel, entry in walk(root) if entry.is_file()]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


ENGINES = ("mkdocs", "properdocs", "zensical")
"""The engines `build_site` drives: MkDocs 1.6 (default), ProperDocs (the MkDocs 1.x
fork, a drop-in) and Zensical (Material's successor; reads the same mkdocs.yml)."""


@functools.lru_cache(maxsize=1)
def engine_asset_digests() -> frozenset[str]:
    """SHA-256 digests of the themes' own packaged static files (identical for every client).

    `verify` skips the contents of output files that match one of them byte for byte:
    they cannot hold client data, and scanning them is most of a leak scan's time.
    """
    return frozenset(hashlib.sha256(p.read_bytes()).hexdigest()
                     for folder in engine_asset_folders() for p in folder.rglob("*")
                     if p.is_file())


def engine_asset_folders() -> tuple[Path, ...]:
    """The packaged static files of every installed engine's theme, as they are copied
    under a site's assets/: Material's, and Zensical's when it is installed."""
    import material

    from portico.engine import zensical

    folders = [Path(material.__file__).parent / "templates" / "assets"]
    own = zensical.asset_folder()
    if own is not None and own.is_dir():
        folders.append(own)
    return tuple(folders)


def _use_properdocs() -> None:
    """Make `mkdocs` mean ProperDocs in this process, as ProperDocs' own command does: its
    module aliases, and Material's `mkdocs.*` loggers under `properdocs`, so their warnings
    count in strict mode. A build worker is its own process; nothing else is affected."""
    try:
        import properdocs.replacement  # noqa: F401  (aliases mkdocs.* to properdocs.*)
    except ImportError:
        raise BuildError("the properdocs engine is not installed: pip install properdocs "
                         "(or choose --engine mkdocs)") from None
    logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")


def warm_up(base_config: Path, engine: str = "mkdocs") -> None:
    """Pay, once in the process that forks the build's workers, what every portal's build
    would otherwise pay again in its fresh worker: the engine's plugins and theme, and the
    Markdown extensions the practice's mkdocs.yml names (imports and their tables, such as
    the emoji index). It reads the practice's own config only, never a client's, and the
    plugin instances it leaves are forgotten at the start of every build
    (`_reset_engine_state`). Any problem is left for the real build to report."""
    if engine == "zensical" or not base_config.is_file():
        return
    if engine == "properdocs":
        _use_properdocs()
    import markdown
    from mkdocs.config import load_config

    quiet = logging.getLogger("properdocs" if engine == "properdocs" else "mkdocs")
    previous, quiet.disabled = quiet.disabled, True
    try:
        # The practice's config names no docs folder of its own (each portal's does): any
        # existing folder lets it load; nothing is read from it.
        config = load_config(str(base_config), docs_dir=str(Path(markdown.__file__).parent))
        config.theme.get_env().get_template("main.html")
        markdown.Markdown(extensions=config.markdown_extensions,
                          extension_configs=config.mdx_configs).convert("# Warm\n\n:smile:")
    except Exception:  # noqa: BLE001  (a broken config is the build's to report, with context)
        pass
    finally:
        quiet.disabled = previous
        _reset_engine_state()


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


def _use_github_heading_anchors(config: Any) -> None:
    """Headings get GitHub's anchors, made by the slug function `check` uses, whatever the
    practice's mkdocs.yml says: a link written for GitHub lands, and what `check` passes
    builds. Explicit `{#id}` attributes (item anchors) are untouched."""
    from portico.content.links import heading_slug

    if "toc" not in config.markdown_extensions:
        config.markdown_extensions.append("toc")
    config.mdx_configs.setdefault("toc", {})["slugify"] = heading_slug


_REFUSED_LINK = re.compile(r"Doc file '(?P<page>[^']+)' contains (?:an? [\w ]*?)?link "
                           r"(?:to )?'(?P<target>[^']+)'")
_DOCS_PATH = re.compile(r"'([^'\s]+\.md)'")


def engine_problems(messages: list[str], origins: Mapping[tuple[str, str], tuple[str, int]],
                    sources: Mapping[str, str]) -> list[Problem]:
    """The engine's complaints about links, at the user's file and line where the link was
    written, with the portal's own page paths replaced by the files they come from; []
    when one of them names no page Portico knows (then it is reported as the engine said)."""
    problems = []
    for message in messages:
        match = _REFUSED_LINK.search(message)
        if match is None:
            return []
        page, target = match.group("page"), match.group("target")
        source, line = origins.get((page, target), (sources.get(page), 0))
        if source is None:
            return []
        said = message[match.end():].lstrip(" ,.;")
        said = _DOCS_PATH.sub(lambda m: f"'{sources.get(m.group(1), m.group(1))}'", said)
        problems.append(Problem(source, line, f"the site engine refused the link {target}: "
                                f"{said}"))
    return problems


@contextlib.contextmanager
def _engine(config_file: Path, engine: str, template_cache: Path | None,
            collect: _Collect) -> Iterator[Any]:
    """The portal's MkDocs config, loaded with the engine's state reset and its warnings
    going to `collect` (not the console) until the block ends."""
    from mkdocs.config import load_config

    _reset_engine_state()
    logger = logging.getLogger("properdocs" if engine == "properdocs" else "mkdocs")
    logger.addHandler(collect)
    previous = logger.level
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        config = load_config(str(config_file))
        _use_github_heading_anchors(config)
        if template_cache is not None:
            _cache_compiled_templates(config, template_cache)
        yield config
    finally:
        logger.removeHandler(collect)
        logger.setLevel(previous)


def _run(config: Any, *, dirty: bool) -> None:
    from mkdocs.commands.build import build

    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()


def _partial_build(config_file: Path, kept: Kept, template_cache: Path | None,
                   engine: str) -> BuiltSite | None:
    """The site rebuilt from `kept` (engine.partial), or None: then build it whole."""
    import shutil

    collect = _Collect()
    site_dir: Path | None = None
    try:
        with _engine(config_file, engine, template_cache, collect) as config:
            site_dir, docs_dir = Path(config["site_dir"]), Path(config["docs_dir"])
            changed = prepare(kept, site_dir)
            before = (site_dir / INDEX).read_text("utf-8")
            # MkDocs warns that a dirty build may leave stale navigation, which strict mode
            # would count; the frame check rules that out, and any other warning below
            # abandons the partial build, as strict mode would have the full one.
            config.strict = False
            _run(config, dirty=True)
        if [m for m in collect.messages if not m.startswith(_DIRTY_WARNING)]:
            raise ValueError("the engine warned")
        rebuilt = {page_url(path) for path in changed if path.endswith(".md")}
        index = site_dir / INDEX
        index.write_text(merge_index(before, index.read_text("utf-8"), rebuilt), "utf-8")
    except Exception:  # noqa: BLE001  (any doubt: the whole site is built instead)
        if site_dir is not None:
            shutil.rmtree(site_dir, ignore_errors=True)
        return None
    return _built(site_dir, docs_dir, partial=True)


_DIRTY_WARNING = "A 'dirty' build is being performed"


def build_site(config_file: Path, *, template_cache: Path | None = None,
               engine: str = "mkdocs",
               origins: Mapping[tuple[str, str], tuple[str, int]] | None = None,
               sources: Mapping[str, str] | None = None,
               kept: Kept | None = None) -> BuiltSite:
    """Build the site a rendered MkDocs config describes; raises `BuildError` with the reasons.

    `engine` is one of ENGINES. MkDocs and ProperDocs run in-process (safe to call
    repeatedly: engine state is reset first; `template_cache`, a folder, keeps the theme's
    compiled templates between builds); Zensical runs as a subprocess (engine/zensical.py).
    `origins` and `sources` (from render) turn a refused link into a `ContentError` at the
    user's file and line instead of the portal's internal page. `kept`: the portal's last
    plain build, when the pipeline found its frame unchanged (engine.partial); MkDocs and
    ProperDocs then render only the pages whose Markdown changed, and any doubt on the way
    (an engine warning, an index that does not fit) builds the whole site instead.
    """
    if engine not in ENGINES:
        raise BuildError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "zensical":
        from portico.engine import zensical

        docs_dir, site_dir = zensical.build(config_file)
        return _built(site_dir, docs_dir)
    if engine == "properdocs":
        _use_properdocs()
    if kept is not None:
        partial = _partial_build(config_file, kept, template_cache, engine)
        if partial is not None:
            return partial
    from mkdocs.exceptions import Abort, ConfigurationError

    collect = _Collect()
    try:
        with _engine(config_file, engine, template_cache, collect) as config:
            _run(config, dirty=False)
    except (Abort, ConfigurationError) as exc:
        found = engine_problems(collect.messages, origins or {}, sources or {})
        if found:
            raise ContentError(found) from None
        details = "; ".join(collect.messages) or str(exc)
        raise BuildError(f"the site engine refused the portal: {details}") from None
    return _built(Path(config["site_dir"]), Path(config["docs_dir"]))
