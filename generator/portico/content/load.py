"""Files → typed model. Every mistake becomes `path:line: message`; all of them are collected."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from portico.content import model as m
from portico.content.errors import ContentError, Problem
from portico.content.parsed import MIN_BYTES, ParsedFiles
from portico.content.validation import describe, kind_of
from portico.content.yamlfile import YamlDoc, parse_yaml
from portico.sections import registered

MAX_MARKDOWN_BYTES = 5 * 1024 * 1024
MAX_YAML_BYTES = 5 * 1024 * 1024  # a register of 500 risks is about 300 kB
# No `--`: site/<slug>--<view>/ is where a client's other views go (portal/audience.py).
SLUG = re.compile(r"^(?!.*--)[a-z][a-z0-9-]{1,39}$")
# `key: #8a4b0e` unquoted: YAML reads the colour as a comment and the key as empty.
_HEX_AS_COMMENT = re.compile(
    r"^\s*(?:-\s+)?([\w-]+)\s*:\s+(#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3}))(?![0-9A-Za-z])")
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")

M = TypeVar("M", bound=BaseModel)


class Loader:
    """Reads a client's files for the sections and collects the problems of one run.

    Sections' `load` hooks get one: `yaml` and `markdown` read and validate a file, `add`
    records a problem at a line; nothing raises until the whole practice is read.
    """

    def __init__(self, root: Path, parsed: ParsedFiles | None = None) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.docs: dict[str, YamlDoc] = {}  # parsed YAML files by absolute path
        self.parsed = parsed  # large files' last clean reads, kept between builds
        self._real: dict[Path, Path] = {}  # folders resolved in this run

    def real_path(self, path: Path) -> Path:
        """`path.resolve()`, with each folder resolved once per run: a client's 500 notes
        share one folder, and resolving walks every component of the path."""
        if path.is_symlink():
            return path.resolve()
        folder = self._real.get(path.parent)
        if folder is None:
            folder = self._real[path.parent] = path.parent.resolve()
        return folder / path.name

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def add(self, path: Path | str, line: int, message: str, severity: str = "error", *,
            kind: str = "") -> None:
        """Record a problem; a warning names its kind (`content.check.warning_kinds()`)."""
        where = path if isinstance(path, str) else self.rel(path)
        self.problems.append(Problem(where, line, message, severity, kind=kind))

    def take(self, error: ContentError) -> None:
        self.problems.extend(error.problems)

    def present(self, path: Path) -> bool:
        """Whether `path` is a regular file to read. Something else there under that name (a
        folder named risks.yml, a broken symlink, a device) is an error, not an absent file."""
        if path.is_file():
            return True
        if path.is_symlink() or path.exists():
            self.add(path, 0, f"not a regular file ({_what_is(path)}); {path.name} must be a "
                     "file")
        return False

    def folder(self, path: Path) -> bool:
        """Whether `path` is a folder to read; something else under that name is an error."""
        if path.is_dir():
            return True
        if path.is_symlink() or path.exists():
            self.add(path, 0, f"not a folder ({_what_is(path)}); {path.name}/ must be a folder")
        return False

    def yaml(self, path: Path, model: type[M], *, empty: Any = None) -> M | None:
        """`path` parsed and validated as `model`; None (and problems) when it is not valid.

        An empty file is `empty` when given (`{}`: a file with no entries yet), else an error.
        """
        return _load_yaml_model(path, model, self, empty=empty)

    def markdown(self, path: Path,
                 meta_model: type[M]) -> tuple[M, str, int, YamlDoc | None] | None:
        """(front matter as `meta_model`, body, body's first line, front matter's YamlDoc)."""
        return _markdown(path, meta_model, self)

    def document(self, path: Path, title: str | None, body: str, body_line: int,
                 internal: bool, *, fallback: str | None = None,
                 meta: m.Audienced | None = None) -> m.Document | None:
        """The file as a Document titled `title`, else its first heading, else `fallback`;
        `meta`: its front matter, whose `audience:` and `tags:` the Document keeps."""
        return _document(path, self, title, body, body_line, internal, fallback=fallback,
                         meta=meta)

    @staticmethod
    def first_heading(body: str, body_line: int) -> tuple[str, int] | None:
        """The first `# ` heading outside code fences, and its file line."""
        return _first_heading(body, body_line)

    def markdown_files(self, folder: Path) -> list[Path]:
        """The Markdown files under `folder`, drafts (`_`, `.`) left out, sorted; a file or
        broken symlink where the folder should be is an error."""
        return _markdown_files(folder) if self.folder(folder) else []


def load_practice(root: Path, *, keep_going: bool = False) -> m.Practice:
    """Load every client under `root/clients` and the shared pages in `root/content`.

    Raises `ContentError` with every problem found. Folders starting with `_` or `.` are drafts.
    `keep_going` (for `check`): raise only when nothing can be checked; otherwise return what
    loaded, a client with a broken file included, with the load errors in
    `Practice.load_errors`, so that one fatal file never hides the other problems.
    """
    collector = Loader(root)
    clients: list[m.Engagement] = []
    clients_dir = root / "clients"
    if not clients_dir.is_dir():
        raise ContentError.at("clients", 0, "no clients/ folder here; run portico in the "
                              "repository root")
    for folder in sorted(clients_dir.iterdir()):
        if not folder.is_dir() or folder.name.startswith(("_", ".")):
            continue
        engagement = _load_engagement(folder, collector, keep_going=keep_going)
        if engagement is not None:
            clients.append(engagement)
    shared = _load_shared_pages(root / "content", collector)
    errors = [p for p in collector.problems if p.severity == "error"]
    if errors and not keep_going:
        raise ContentError(errors)
    warnings = [p for p in collector.problems if p.severity == "warning"]
    return m.Practice(root=root, clients=clients, shared_pages=shared, warnings=warnings,
                      load_errors=errors)


def load_engagement(root: Path, slug: str, *, version: str = "") -> m.Engagement:
    """Load one client folder; raises `ContentError` with all of its problems.

    `version`: the build's shared key (delivery.cache); given, the client's large files
    are parsed only when their bytes changed since a build of that same key (parsed.py).
    """
    collector = Loader(root, ParsedFiles.of_client(root, slug, version) if version else None)
    folder = root / "clients" / slug
    if not (folder / "client.yml").is_file():
        raise ContentError.at(f"clients/{slug}", 0, "no such client (client.yml not found)")
    engagement = _load_engagement(folder, collector)
    errors = [p for p in collector.problems if p.severity == "error"]
    if errors or engagement is None:
        raise ContentError(errors)
    return engagement


def _load_engagement(folder: Path, c: Loader, *, keep_going: bool = False) -> m.Engagement | None:
    before = len([p for p in c.problems if p.severity == "error"])
    if not SLUG.match(folder.name):
        c.add(folder, 0, "folder name must be a slug: 2-40 characters of a-z, 0-9 and -, "
              "no `--`, starting with a letter (prefix it with _ to keep it as a draft)")
    client_file = folder / "client.yml"
    if not c.present(client_file):
        if not (client_file.is_symlink() or client_file.exists()):
            c.add(folder, 0, "client.yml is missing; every client folder needs one "
                  "(portico new client SLUG --name ... writes it)")
        return None
    client = _load_yaml_model(client_file, m.Client, c)
    engagement = m.Engagement(
        slug=folder.name,
        root=folder,
        source=c.rel(folder),
        client=client,  # type: ignore[arg-type]
    )
    for section in registered():
        engagement.parts[section.name] = section.load(folder, c)
    if c.present(folder / m.FILE_AUDIENCE):
        audience = _load_yaml_model(folder / m.FILE_AUDIENCE, m.FileAudience, c, empty={})
        engagement.file_audience = audience.root if audience is not None else {}
    owned = [name for section in registered() for name in section.sources]
    for name in (*owned, "client.yml", m.FILE_AUDIENCE):
        doc = c.docs.get((folder / name).as_posix())
        if doc is not None:
            engagement.lines[name] = doc.lines
    failed = len([p for p in c.problems if p.severity == "error"]) > before
    return None if (failed and not keep_going) or client is None else engagement


def _load_yaml_model(
    path: Path, model: type[M], c: Loader, *, empty: Any = None
) -> M | None:
    text = _read_text(path, c)
    if text is None:
        return None
    rel = c.rel(path)
    parsed = c.parsed if len(text) >= MIN_BYTES else None
    kept = parsed.get(rel, model, text) if parsed is not None else None
    if kept is not None:
        c.docs[path.as_posix()] = kept[0]
        return kept[1]  # type: ignore[no-any-return]
    problems = len(c.problems)
    try:
        doc = parse_yaml(text, rel)
    except ContentError as exc:
        c.take(exc)
        return None
    c.docs[path.as_posix()] = doc
    _warn_colours_read_as_comments(text, doc, c)
    data = doc.data
    if data is None:
        if empty is None:
            c.add(path, 1, "the file is empty")
            return None
        data = empty
    value = _validate(model, data, doc, c)
    if parsed is not None and value is not None and len(c.problems) == problems:
        parsed.put(rel, model, text, doc, value)
    return value


def _warn_colours_read_as_comments(text: str, doc: YamlDoc, c: Loader) -> None:
    """Warn where an unquoted `#hex` made a key empty: the colour would silently vanish."""
    lines = text.splitlines()
    for loc, line in doc.key_lines.items():
        match = _HEX_AS_COMMENT.match(lines[line - 1]) if line <= len(lines) else None
        if match is None or match.group(1) != loc[-1] or _value_at(doc.data, loc) is not None:
            continue
        key, colour = match.groups()
        c.add(doc.path, line, f"{key} is empty: a # starts a YAML comment, so write it "
              f'quoted: {key}: "{colour}"', "warning", kind="colour-as-comment")


def _value_at(data: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _validate(model: type[M], data: Any, doc: YamlDoc, c: Loader) -> M | None:
    if not isinstance(data, dict):
        c.add(doc.path, doc.line_of(()),
              f"expected a mapping of keys to values, got {kind_of(data)}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            line, message = describe(error, model, doc)
            c.add(doc.path, line, message)
        return None


# --- Markdown files --------------------------------------------------------------


def _read_text(path: Path, c: Loader) -> str | None:
    """UTF-8 text with BOM removed and CRLF normalised; None (and a problem) otherwise.

    A file that resolves (through a symlink) outside its client's folder is refused, so
    nothing of another client or of the machine can be pulled into a portal.
    """
    limit = MAX_MARKDOWN_BYTES if path.suffix == ".md" else MAX_YAML_BYTES
    try:
        if not path.is_file():
            c.add(path, 0, f"not a regular file ({_what_is(path)})")
            return None
        scope = _scope(path, c.root)
        real = c.real_path(path)
        if not real.is_relative_to(c.real_path(scope)):
            c.add(path, 0, f"is a symlink to {c.rel(real)}, outside {c.rel(scope)}/: refused, "
                  "a portal holds only its own client's files")
            return None
        size = path.stat().st_size
        if size > limit:
            advice = "put large material in files/" if path.suffix == ".md" else "split it"
            c.add(path, 1, f"the file is {size / 1024 / 1024:.1f} MB; "
                  f"{'Markdown' if path.suffix == '.md' else 'YAML'} files are limited to "
                  f"{limit // 1024 // 1024} MB ({advice})")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        c.add(path, 0, f"cannot read the file: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        c.add(path, line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
              "save it as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _what_is(path: Path) -> str:
    """What stands at `path` instead of what was expected, in words."""
    if path.is_symlink() and not path.exists():
        return "a broken symlink"
    if path.is_dir():
        return "a folder"
    if path.is_file():
        return "a file"
    return "not a file or a folder"


def _scope(path: Path, root: Path) -> Path:
    """The folder a source file must stay inside: its client's folder, or content/."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return path.parent
    if len(parts) > 2 and parts[0] == "clients":
        return root / "clients" / parts[1]
    if len(parts) > 1 and parts[0] == "content":
        return root / "content"
    return root


def _split_front_matter(
    text: str, path: Path, c: Loader
) -> tuple[dict[str, Any], YamlDoc | None, str, int] | None:
    """(front matter, its YamlDoc, body, body's first line). None when the front matter is bad."""
    if not text.startswith("---\n"):
        return {}, None, text, 1
    end = re.search(r"^(?:---|\.\.\.)\s*$", text[4:], re.MULTILINE)
    if end is None:
        c.add(path, 1, "front matter starts with --- but never ends (add a closing --- line)")
        return None
    block = text[4 : 4 + end.start()]
    body = text[4 + end.end() :].lstrip("\n")
    consumed = text[: len(text) - len(body)]
    body_line = consumed.count("\n") + 1
    try:
        doc = parse_yaml(block, c.rel(path), first_line=2)
    except ContentError as exc:
        c.take(exc)
        return None
    if doc.data is None:
        return {}, doc, body, body_line
    if not isinstance(doc.data, dict):
        c.add(path, 2, f"front matter must be a mapping of keys to values, got {kind_of(doc.data)}")
        return None
    return doc.data, doc, body, body_line


def _first_heading(body: str, body_line: int) -> tuple[str, int] | None:
    fenced = False
    for offset, line in enumerate(body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else _H1.match(line)
        if match:
            return match.group(1).strip(), body_line + offset
    return None


def _markdown(
    path: Path, meta_model: type[M], c: Loader
) -> tuple[M, str, int, YamlDoc | None] | None:
    text = _read_text(path, c)
    if text is None:
        return None
    if not text.strip():
        c.add(path, 1, "the file is empty; write the page, or remove the file")
        return None
    split = _split_front_matter(text, path, c)
    if split is None:
        return None
    data, doc, body, body_line = split
    meta = _validate(meta_model, data, doc or YamlDoc(c.rel(path), data, {(): 1}), c)
    if meta is None:
        return None
    return meta, body, body_line, doc


def _document(path: Path, c: Loader, title: str | None, body: str, body_line: int,
              internal: bool, *, fallback: str | None = None,
              meta: m.Audienced | None = None) -> m.Document | None:
    heading = _first_heading(body, body_line)
    resolved = title or (heading[0] if heading else fallback)
    if not resolved:
        c.add(path, body_line, "no title: add `title:` to the front matter or a first `# ` heading")
        return None
    return m.Document(c.rel(path), path, resolved, body, body_line, internal,
                      **m.audience_of(meta))


def _markdown_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.md") if not p.name.startswith(("_", ".")))


def load_portal_inputs(root: Path, slug: str, *, version: str = "") -> m.Practice:
    """What one client's portal is made of: that client and the shared pages, nothing else.
    `version`: as for `load_engagement`."""
    return m.Practice(root=root, clients=[load_engagement(root, slug, version=version)],
                      shared_pages=load_shared_pages(root))


def load_shared_pages(root: Path) -> list[m.Document]:
    """The practice's shared pages in `root/content`; raises `ContentError` on problems."""
    collector = Loader(root)
    pages = _load_shared_pages(root / "content", collector)
    errors = [p for p in collector.problems if p.severity == "error"]
    if errors:
        raise ContentError(errors)
    return pages


def _load_shared_pages(folder: Path, c: Loader) -> list[m.Document]:
    shared: list[m.Document] = []
    for path in _markdown_files(folder):
        parsed = _markdown(path, m.PageMeta, c)
        if parsed is None:
            continue
        meta, body, body_line, _ = parsed
        doc = _document(path, c, meta.title, body, body_line, meta.internal,
                        fallback=path.stem.replace("-", " ").capitalize())
        if doc is not None and not meta.internal:
            shared.append(doc)
    return shared
