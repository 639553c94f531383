"""YAML with line marks: PyYAML's composer gives every node its line; we keep them by path."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from portico.content.errors import ContentError, Problem

Loc = tuple[str | int, ...]

MAX_VALUES = 200_000  # values in one file, aliases expanded: a register of 500 risks holds ~10,000
MAX_DEPTH = 64  # nesting of mappings and lists; the content model needs 4


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date (2026-13-01) as text for validation to report."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


    def construct_yaml_int(self, node: yaml.ScalarNode) -> object:  # type: ignore[override]
        # YAML 1.1 reads 0010 as octal 8: a decision number written unquoted would silently
        # point at another decision. A leading zero keeps the digits as written.
        value = self.construct_scalar(node)
        if isinstance(value, str) and re.fullmatch(r"0[0-9_]+", value):
            return value.replace("_", "")
        # YAML 1.1 also reads 14:00 as 840 (base 60): a meeting's time keeps its text.
        if isinstance(value, str) and ":" in value:
            return value
        return super().construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


class _EngineConfigLoader(_Loader):
    """For mkdocs.yml: the engine's own tags (`!!python/name:...`, `!ENV`, `!relative`) are
    read as None rather than refused or run; Portico reads none of the values they tag."""


_EngineConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
_EngineConfigLoader.add_multi_constructor("!", lambda *_: None)


@dataclass
class YamlDoc:
    """A parsed YAML document and the 1-based line of every value in it, keyed by path."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    key_lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc, *, key: bool = False) -> int:
        """The line of the value at `loc`, or of its nearest ancestor that has one."""
        table = self.key_lines if key else self.lines
        while loc:
            if loc in table:
                return table[loc]
            if not key and loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


def parse_yaml(text: str, path: str, *, first_line: int = 1,
               engine_config: bool = False) -> YamlDoc:
    """Parse one YAML document; every syntax error and duplicate key raises `ContentError`.

    `first_line` is the file line the text starts on (front matter starts on line 2).
    `engine_config`: the text is mkdocs.yml, whose engine tags are read as None.
    A file read again unchanged (the same file at many commits of a client's history) is
    parsed once: the result is shared, so nobody may change a returned document.
    """
    if len(text) > MAX_REMEMBERED:
        return _parse_yaml(text, path, first_line, engine_config)
    return _remembered(text, path, first_line, engine_config)


MAX_REMEMBERED = 256 * 1024  # larger files are parsed each time rather than kept


@functools.lru_cache(maxsize=256)
def _remembered(text: str, path: str, first_line: int, engine_config: bool) -> YamlDoc:
    return _parse_yaml(text, path, first_line, engine_config)


def _parse_yaml(text: str, path: str, first_line: int, engine_config: bool = False) -> YamlDoc:
    offset = first_line - 1
    try:
        loader = (_EngineConfigLoader if engine_config else _Loader)(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        raise ContentError.at(path, line, f"control character U+{exc.character:04X} is not "
                              "allowed in YAML") from None
    try:
        node = _composed(text)
        if node is _REFUSED:
            node = loader.get_single_node()  # the pure-Python parser says why, and where
        if node is None:
            return YamlDoc(path, None, {(): first_line})
        doc = YamlDoc(path, None)
        problems: list[Problem] = []
        _Indexer(doc, offset, problems).index(node, ())
        if problems:
            raise ContentError(problems)
        try:
            doc.data = loader.construct_document(node)
        except (ValueError, TypeError, OverflowError) as exc:
            raise ContentError.at(path, first_line, f"YAML value cannot be read: {exc}") from None
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context == _KEY_WITHOUT_COLON and exc.context_mark is not None:
            mark = exc.context_mark  # the line read as a key, not the line after it
        line = (mark.line + 1 + offset) if mark else first_line
        reason = _reason(exc, offset, _continued(exc, text, offset))
        raise ContentError.at(path, line, f"YAML syntax error: {reason}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        raise ContentError.at(path, line, f"control character U+{exc.character:04X} is not "
                              "allowed in YAML") from None
    except yaml.YAMLError as exc:
        raise ContentError.at(path, first_line, f"YAML syntax error: {exc}") from None
    except RecursionError:
        raise ContentError.at(path, first_line, f"YAML nested more than {MAX_DEPTH} levels "
                              "deep; the content model never needs that") from None
    finally:
        loader.dispose()


_REFUSED = object()
_FAST = getattr(yaml, "CSafeLoader", None)  # PyYAML built with libyaml
_SIMPLE = r"""(?:"[^"\\\n]*"|'[^'\n]*'|[A-Za-z0-9_.\- ]+)"""
_SIMPLE_FLOW = re.compile(rf"\[ *(?:{_SIMPLE}(?: *, *{_SIMPLE})*)? *\]")
_EXPLICIT_KEY = re.compile(r"(?:^|[\[{,])[ ]*\?(?:[ \r\n]|$)", re.MULTILINE)


def _plain_enough(text: str) -> bool:
    """Whether libyaml surely reads `text` as PyYAML does. They differ on tabs (libyaml
    takes some PyYAML refuses, with a reason), on explicit `? key` forms, and inside `[...]`
    and `{...}` (PyYAML refuses `[Team?]`, some `:` and `!`): a text with a tab, a `?` key,
    a `{` or a bracketed list of anything but plain words and quoted strings is PyYAML's
    alone. The content model's own lists (`decisions: ["0003"]`, `audience: [board]`)
    pass."""
    if "\t" in text or "{" in text or _EXPLICIT_KEY.search(text):
        return False
    return all(_SIMPLE_FLOW.sub("", line).count("[") == 0
               for line in text.splitlines() if "[" in line)


def _composed(text: str) -> Any:
    """The document's node tree, composed by libyaml (about ten times faster than PyYAML's
    own parser on a large register; the same nodes, tags and line marks), or `_REFUSED`:
    for text libyaml does not accept, or without libyaml, PyYAML parses it as before, and
    its errors are the ones the messages are written for."""
    if _FAST is None or not _plain_enough(text):
        return _REFUSED
    loader = _FAST(text)
    try:
        return loader.get_single_node()
    except Exception:  # noqa: BLE001  (any refusal is the pure-Python parser's to explain)
        return _REFUSED
    finally:
        loader.dispose()


_UNCLOSED = {
    "while parsing a flow sequence": "`[`", "while parsing a flow mapping": "`{`",
    "while scanning a quoted scalar": "the quote",
}


# PyYAML's context when a line holds no `key:` where one was due: most often a line of text
# meant to continue the value above, written without that value's indentation. PyYAML's
# own mark is on the line after (where it gave up looking for the `:`).
_KEY_WITHOUT_COLON = "while scanning a simple key"
# Complaints that come from indentation more often than from anything else.
_INDENTATION = ("expected <block end>", "mapping values are not allowed here",
                "did not find expected key", "did not find expected '-' indicator",
                "could not find expected ':'")
INDENTATION_HINT = ("check the indentation: the keys of one mapping start in the same "
                    "column, what belongs to a key is indented further, with spaces")


def _continued(exc: yaml.MarkedYAMLError, text: str, offset: int) -> str:
    """Where `key: value` came where PyYAML was still reading the text of a value begun on
    an earlier line indented less (`title: x` one space too far right, or a wrapped line
    pulled left), name that line: the mistake is there as often as here."""
    mark = exc.problem_mark
    if mark is None or exc.problem != "mapping values are not allowed here":
        return ""
    lines = text.split("\n")
    here = lines[mark.line] if mark.line < len(lines) else ""
    indent = len(here) - len(here.lstrip(" "))
    for number in range(mark.line - 1, -1, -1):
        above = lines[number]
        if above.strip() and not above.lstrip().startswith("#"):
            if len(above) - len(above.lstrip(" ")) < indent:
                return (f" (YAML read this line as more of the value begun on line "
                        f"{number + 1 + offset})")
            return ""
    return ""


def _reason(exc: yaml.MarkedYAMLError, offset: int, continued: str = "") -> str:
    """PyYAML's complaint in the words of someone who wrote the file."""
    reason = (exc.problem or "invalid YAML") + continued
    opened = exc.context_mark.line + 1 + offset if exc.context_mark else None
    if "'\\t'" in reason:
        return "a tab character; YAML indents with spaces only"
    if "found another document" in reason:
        return "a second document (a `---` line) in one file; remove it"
    if exc.context in _UNCLOSED and opened is not None:
        return f"{_UNCLOSED[exc.context]} opened on line {opened} is never closed ({reason})"
    if exc.context == _KEY_WITHOUT_COLON:
        return ("this line is not `key: value`, nor indented under the key above it; if it "
                "continues the text of the line above, indent it as far as that text "
                "(YAML reads a line indented less as a new key)")
    hint = f"; {INDENTATION_HINT}" if reason.startswith(_INDENTATION) else ""
    if exc.context and opened is not None and exc.context_mark is not exc.problem_mark:
        return f"{reason} ({exc.context} opened on line {opened}){hint}"
    return f"{reason}{hint}"


class _TooBig(Exception):
    """Raised inside `_Indexer` to stop walking a document that is too big or too deep."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _Indexer:
    """Records the line of every value; refuses a document too deep or too big to walk.

    Aliases are followed, so a "billion laughs" file (aliases of aliases) is counted at
    its expanded size and refused long before it could exhaust time or memory.
    """

    def __init__(self, doc: YamlDoc, offset: int, problems: list[Problem]) -> None:
        self.doc = doc
        self.offset = offset
        self.problems = problems
        self.count = 0

    def index(self, node: yaml.Node, loc: Loc) -> None:
        try:
            self._walk(node, loc)
        except _TooBig as exc:
            self.problems.append(Problem(self.doc.path, exc.line, str(exc)))

    def _walk(self, node: yaml.Node, loc: Loc) -> None:
        doc, offset = self.doc, self.offset
        line = node.start_mark.line + 1 + offset
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig(line, f"the file holds more than {MAX_VALUES:,} values (counting "
                          "every use of a YAML alias); split it, or write aliased values out")
        if len(loc) > MAX_DEPTH:
            raise _TooBig(line, f"YAML nested more than {MAX_DEPTH} levels deep; the content "
                          "model never needs that")
        doc.lines[loc] = line
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
                line = key_node.start_mark.line + 1 + offset
                if key in seen:
                    self.problems.append(Problem(
                        doc.path, line, f"duplicate key `{key}` (first on line {seen[key]})"))
                seen[key] = line
                doc.key_lines[(*loc, key)] = line
                self._walk(value_node, (*loc, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*loc, i))
