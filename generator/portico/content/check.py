"""Cross-references and judgement calls on a loaded practice: errors and warnings with lines."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from portico.content import model as m
from portico.content.active_content import active_in_markdown, active_in_svg
from portico.content.check_views import check_views
from portico.content.errors import Problem
from portico.content.forget import phrase_pattern
from portico.content.links import Link, anchors_of, exists, find_links, is_file, mask_code, resolve
from portico.content.practice import check_base_config
from portico.content.windows import file_pieces, inner_matches, overlap_for, windows
from portico.portal.brand import DEFAULT_HEADER, LOGO_CONTRAST, brand_palette, logo_contrast
from portico.protection.reader_hygiene import check_reader_copies, check_readers_file
from portico.sections import registered, source_files
from portico.sections.base import YamlText

_REFUSED_SCHEMES = {
    "javascript": "it would run code in the reader's browser",
    "vbscript": "it would run code in the reader's browser",
    "file": "it points at the reader's own disk",
}


WARNINGS: dict[str, str] = {
    "colour-as-comment": "A colour written unquoted in a YAML file (`primary_color: #8a4b0e`): "
                         "YAML reads `#` as the start of a comment, so the value is empty.",
    "logo-contrast": "A logo that stands out too little from the header colour (under 3:1); "
                     "the portal shows it on a light plate.",
    "remote-image": "A remote image (never loaded; shown as a link).",
    "imported-dead-link": "A dead link in an imported decision set whose `decisions.yml` says "
                          "`links: warn` (shown as plain text).",
    "active-content": "Active content in a client-visible page or a shared page (outside code): "
                      "a raw `<script>`, an `on…=` event handler (in HTML or a `{ … }` "
                      "attribute list), an `<iframe>`, `<object>` or `<embed>`, and what would "
                      "move the reader or the page: `<meta http-equiv=\"refresh\">`, `<base>`, "
                      "`<form>`, `<link>`, `<style>`. The build removes all of it, and the "
                      "portal lets no script from content run.",
    "active-svg": "An SVG file in a client's folder (`files/`, images beside decisions) or in "
                  "`content/` with `<script>`, an event handler, `<foreignObject>` or a "
                  "`javascript:` link; or one that cannot be read, is not well-formed XML, or "
                  "declares XML entities (not expanded).",
    "reader-views-undeclared": "A reader in `readers.yml` naming views when `client.yml` "
                               "declares none (it opens the one portal).",
    "view-link-outside": "A page in a view linking to a page outside it, or to a file "
                         "`files/audience.yml` keeps out of it (the view's portal shows the "
                         "link as plain text).",
    "view-decision-outside": "An item in a view whose `decisions:` names a decision outside "
                             "it (the view's portal shows the number, with no link).",
    "view-pack-decisions": "A board pack in a view that does not show a decision the pack "
                           "asks about.",
    "template-text": "A line `portico new` wrote for you to replace, left as written, in a "
                     "decision, board pack or `client.yml` summary (code aside).",
}
"""The warnings the shared checks give (kind → what it means, as docs/commands.md lists it);
each section declares its own in `Section.warnings`."""


def warning_kinds() -> dict[str, str]:
    """Every kind of warning `check` can give, the shared checks' first, then each
    section's in registry order: kind → what it means, word for word the row of the
    warnings table in docs/commands.md."""
    kinds = dict(WARNINGS)
    for section in registered():
        for kind, meaning in section.warnings.items():
            if kind in kinds:
                raise AssertionError(f"warning kind {kind!r} declared twice")
            kinds[kind] = meaning
    return kinds


def check_practice(practice: m.Practice, *, today: dt.date | None = None) -> list[Problem]:
    """Every cross-reference error and warning across the practice, sorted by file and line."""
    today = today or dt.date.today()
    problems = [*practice.warnings, *practice.load_errors]
    for engagement in practice.clients:
        problems += check_engagement(engagement, practice.root, today=today)
    shared = {doc.path: doc.body for doc in practice.shared_pages}
    for doc in practice.shared_pages:
        problems += _check_links(doc.source, doc.body, doc.body_line, doc.path.parent,
                                 practice.root / "content", practice.root, {}, pages=shared)
        problems += _check_active_markdown(doc)
    problems += _check_active_svgs(practice.root / "content", "content")
    problems += check_base_config(practice.root)
    problems += _check_practice_answers(practice.root)
    # The practice portal's readers (`portico reader add --practice`): the same rules as a
    # client's readers.yml, since the same slips (a passphrase in a comment) publish it.
    problems += check_readers_file(practice.root / "practice" / "readers.yml",
                                   "practice/readers.yml")
    return sorted(set(problems))


_ADDRESS = re.compile(r"^[^@\s,;?&<>\"()]+@[^@\s,;?&<>\"()]+\.[^@\s,;?&<>\"()]+$")


def _check_practice_answers(root: Path) -> list[Problem]:
    """mkdocs.yml's extra.practice.reply_to, where the answer buttons address their e-mail,
    must be one e-mail address, and `answers` true or false. No reply_to is fine: no buttons."""
    from portico.content.practice import practice_settings

    if not (root / "mkdocs.yml").is_file():
        return []
    settings = practice_settings(root)
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()

    def line_of(key: str) -> int:
        return next((n for n, text in enumerate(lines, 1)
                     if text.strip().startswith(f"{key}:")), 1)

    problems = []
    address = settings.get("reply_to")
    if address is not None and not (isinstance(address, str) and _ADDRESS.match(address.strip())):
        problems.append(Problem("mkdocs.yml", line_of("reply_to"),
                                "extra.practice.reply_to must be one e-mail address, such as "
                                f"cto@example.com, got {address!r}"))
    answers = settings.get("answers")
    if answers is not None and not isinstance(answers, bool):
        problems.append(Problem("mkdocs.yml", line_of("answers"),
                                f"extra.practice.answers must be true or false, got {answers!r}"))
    return problems


def check_engagement(e: m.Engagement, root: Path, *, today: dt.date) -> list[Problem]:
    """Problems of one client: references, ids, dates, links, internal items, risk hygiene."""
    problems: list[Problem] = []
    for section in registered():
        problems += section.check(e, e.parts.get(section.name), today)
    problems += _check_client(e, root)
    internal = _internal_sources(e)
    pages = {doc.path: doc.body for doc, _ in _documents(e)}
    for doc, visible in _documents(e):
        found = _check_links(doc.source, doc.body, doc.body_line, doc.path.parent, e.root, root,
                             internal if visible else {}, e, today, visible, pages=pages,
                             dead=doc.dead_links)
        problems += found
        if visible:
            problems += _check_active_markdown(doc)
    problems += _check_active_svgs(e.root, e.source)
    problems += _check_yaml_markdown(e, root, internal)
    problems += _check_placeholders(e)
    problems += check_readers_file(e.root / "readers.yml", f"{e.source}/readers.yml")
    problems += check_views(e)
    problems += check_reader_copies(root, e.slug)
    problems += _check_symlinks(e, root)
    problems += _check_file_names(e)
    problems += _check_forgotten(e)
    return problems


def _check_file_names(e: m.Engagement) -> Iterator[Problem]:
    """A file or folder name that is not UTF-8 (an old archive's Latin-1 `café.md`): git
    hosts, the engine and the portal's paths all need text names, so it is refused here,
    naming its folder, rather than turning up mangled (or crashing) later."""
    for directory, folders, files in os.walk(e.root):
        bad = sorted(name for name in [*folders, *files] if not _is_text(name))
        folders[:] = [f for f in folders if _is_text(f)]
        if bad:
            where = Path(directory).relative_to(e.root).as_posix()
            shown = e.source if where == "." else f"{e.source}/{where}"
            names = ", ".join(bad)
            yield Problem(shown, 0, f"file name not UTF-8 text: {names} (the escapes stand for "
                          "the bytes that are not); rename it")


def _is_text(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: os.fsdecode's stand-in for a bad byte
        return False
    return True


def _check_forgotten(e: m.Engagement) -> Iterator[Problem]:
    """A forgotten phrase (client.yml `forget:`) still in one of today's files: the portal
    must not show it today either, and verify would refuse the build that did."""
    phrases = e.client.forget.phrases
    if not phrases:
        return
    own = [line for loc, line in e.lines.get("client.yml", {}).items() if loc[:1] == ("forget",)]
    listed = range(min(own), max(own) + 1) if own else range(0)
    for directory, folders, files in os.walk(e.root):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_symlink():
                continue  # _check_symlinks judges it
            try:
                found = _phrase_lines(path, phrases)
            except OSError:
                continue
            shown = f"{e.source}/{path.relative_to(e.root).as_posix()}"
            for phrase, line in found:
                if shown == f"{e.source}/client.yml" and line in listed:
                    continue  # the forget: list itself
                yield Problem(shown, line, f"{phrase!r} is forgotten (client.yml "
                              "forget: phrases) but still written here: remove it here "
                              "too, or the portal would show it")


def _phrase_lines(path: Path, phrases: list[str]) -> list[tuple[str, int]]:
    """(phrase, line) for every place the file at `path` holds one of `phrases`; nothing for
    a file that is not UTF-8 text (an image or attachment holds no line to point at). Read
    in overlapping windows, so an attachment of any size is never in memory whole."""
    found: dict[tuple[str, int], int] = {}  # (phrase, byte offset) → line
    newlines = 0  # before the window's start
    for window in windows(file_pieces(path), overlap_for(phrases)):
        try:
            text = window.data.decode("utf-8-sig" if window.first else "utf-8")
        except UnicodeDecodeError:
            return []
        skipped = len(window.data) - len(text.encode())  # a byte-order mark
        for phrase in phrases:
            for match in inner_matches(phrase_pattern(phrase), text, window):
                offset = window.start + skipped + len(text[:match.start()].encode())
                found.setdefault((phrase, offset),
                                 newlines + text.count("\n", 0, match.start()) + 1)
        newlines += window.data.count(b"\n", 0, window.advance)
    return [(phrase, line) for (phrase, _offset), line in found.items()]


def _check_active_markdown(doc: m.Document) -> Iterator[Problem]:
    """Scripts, event handlers and embeds in a page: the portal will not run them."""
    for offset, message in active_in_markdown(doc.body):
        yield Problem(doc.source, doc.body_line + offset, message, "warning",
                      kind="active-content")


def _check_active_svgs(folder: Path, source: str) -> Iterator[Problem]:
    """Every SVG file under `folder` (files/, images beside decisions ...), symlinks aside;
    `source` is the folder's path from the repository root, for the messages."""
    for directory, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(f for f in files if f.lower().endswith(".svg")):
            path = Path(directory) / name
            if path.is_symlink():
                continue  # _check_symlinks judges it; its target is checked where it lives
            shown = f"{source}/{path.relative_to(folder).as_posix()}"
            try:
                data = path.read_bytes()
            except OSError as exc:
                yield Problem(shown, 0, f"cannot be read: {exc.strerror}", "warning",
                              kind="active-svg")
                continue
            for line, message in active_in_svg(data):
                yield Problem(shown, line, message, "warning", kind="active-svg")


def _check_symlinks(e: m.Engagement, root: Path) -> Iterator[Problem]:
    """No symlink in the client's folder may lead out of it, referenced or not."""
    folder = e.root.resolve()
    for directory, folders, files in os.walk(e.root):  # does not follow folder symlinks
        for name in sorted([*folders, *files]):
            path = Path(directory) / name
            if not path.is_symlink():
                continue
            real = path.resolve()
            if not _inside(real, folder):
                shown = real.relative_to(root.resolve()).as_posix() \
                    if _inside(real, root.resolve()) else real.as_posix()
                yield Problem(f"{e.source}/{path.relative_to(e.root).as_posix()}", 0,
                              f"is a symlink to {shown}, outside the client's folder: refused, "
                              "a portal holds only its own client's files")


def _check_client(e: m.Engagement, root: Path) -> Iterator[Problem]:
    file = f"{e.source}/client.yml"
    info = e.client.engagement
    if info.end and info.end < info.start:
        yield Problem(file, e.line("client.yml", ("engagement", "end")),
                      f"end {info.end} is before start {info.start}")
    logo = e.client.branding.logo
    if logo:
        target = Path(os.path.normpath(e.root / logo))
        line = e.line("client.yml", ("branding", "logo"))
        if not _inside(target, e.root):
            yield Problem(file, line, f"logo {logo} points outside the client's folder")
        elif not is_file(target):
            yield Problem(file, line, f"logo {logo}: no such file in the client folder")
        elif not _inside(target.resolve(), e.root.resolve()):
            yield Problem(file, line, f"logo {logo} resolves (through a symlink) outside the "
                          "client's folder")
        else:
            yield from _check_logo_contrast(e, file, line, target)


def _check_logo_contrast(e: m.Engagement, file: str, line: int, logo: Path) -> Iterator[Problem]:
    """A logo that vanishes into the header: the portal puts it on a plate; say so."""
    colour = e.client.branding.primary_color
    header = brand_palette(colour).header if colour else DEFAULT_HEADER
    measured = logo_contrast(logo, header)
    if measured is not None and measured < LOGO_CONTRAST:
        yield Problem(file, line, f"logo {e.client.branding.logo} has contrast "
                      f"{measured:.1f}:1 with the header colour {header} (under "
                      f"{LOGO_CONTRAST:.0f}:1); the portal shows it on a light plate",
                      "warning", kind="logo-contrast")


def _internal_sources(e: m.Engagement) -> dict[Path, str]:
    internal: dict[Path, str] = {}
    for doc, visible in _documents(e):
        if not visible:
            internal[doc.path] = doc.title
    return internal


def _documents(e: m.Engagement) -> Iterator[tuple[m.Document, bool]]:
    """Every Markdown document of the client and whether it reaches the portal."""
    for section in registered():
        yield from section.documents(e.parts.get(section.name))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _check_links(source: str, text: str, first_line: int, base: Path, scope: Path, root: Path,
                 internal: dict[Path, str], e: m.Engagement | None = None,
                 today: dt.date | None = None, visible: bool = True, *,
                 pages: dict[Path, str] | None = None, dead: str = "error") -> list[Problem]:
    """Links in `text` must stay inside `scope`, exist, and not reach an internal item.

    With the engagement `e`, a link to one of its sections' YAML files (`../risks.yml`,
    `../risks.yml#RISK-004`) must name a section page and an item it shows. With `pages`
    (the Markdown files that become pages, by path), `text` is one of them and every
    `#anchor` of a link to a page, its own included, must be a heading or `{#id}` there,
    as the engine will slug it. `dead`: the severity of a dead link ("warning" for an
    imported decision set whose links point into the repository it came from)."""
    problems = []
    for link in find_links(text):
        line = first_line + link.line_offset
        problem = _link_problem(link, base, scope, root, internal)
        if problem == _SOURCE_LINK:
            problem = _source_link_message(link) if e is None else _section_link_problem(
                link, base, e, today or dt.date.today(), visible=visible)
        if problem is None and pages is not None:
            problem = anchor_problem(link, base, text, pages)
        if not problem:
            continue
        if problem.startswith("remote image"):
            problems.append(Problem(source, line, problem, "warning", kind="remote-image"))
        elif dead_link(problem) and dead == "warning":
            problems.append(Problem(source, line, problem + "; shown as plain text", "warning",
                                    kind="imported-dead-link"))
        else:
            problems.append(Problem(source, line, problem))
    return problems


_DEAD = (": no such file", "points outside the client's folder", ": no heading or id ")


def dead_link(problem: str) -> bool:
    """Whether `problem` says a link leads nowhere (as opposed to somewhere refused)."""
    return any(part in problem for part in _DEAD)


def anchor_problem(link: Link, base: Path, text: str, pages: dict[Path, str]) -> str | None:
    """A link's `#anchor` that its page will not have, or None (also for non-page targets)."""
    if link.remote or "#" not in link.target or link.target.startswith("/"):
        return None
    fragment = unquote(link.target.split("#", 1)[1])
    if not fragment:
        return None
    target = resolve(link, base)
    body = text if target is None else pages.get(target)
    if body is None:
        return None
    if fragment in anchors_of(body):
        return None
    near = sorted(a for a in anchors_of(body) if ":" not in a)
    hint = f" (its anchors: {', '.join(near[:8])}{' …' if len(near) > 8 else ''})" if near else ""
    where = "this page" if target is None else "that page"
    return f"link {link.target}: no heading or id #{fragment} on {where}{hint}"


def _link_problem(link: Link, base: Path, scope: Path, root: Path,
                  internal: dict[Path, str]) -> str | None:
    scheme = link.target.split(":", 1)[0].strip().lower() if ":" in link.target else ""
    if scheme in _REFUSED_SCHEMES:
        return f"{scheme}: link not allowed in a portal: {_REFUSED_SCHEMES[scheme]}"
    if link.remote:
        if link.image and link.target.lower().startswith(("http:", "https:", "//")):
            return (f"remote image {link.target}: the portal never loads remote images "
                    "(shown as a link); put the image in files/")
        return None
    if link.target.startswith("/"):
        return f"link {link.target}: use a path relative to this file"
    target = resolve(link, base)
    if target is None:
        return None
    clients = root / "clients"
    if not _inside(target, scope):
        if _inside(target, clients) and target != clients:
            return f"link {link.target} points into another client's folder"
        return f"link {link.target} points outside the client's folder"
    if not exists(target):
        return f"link {link.target}: no such file"
    real = target.resolve()
    if not _inside(real, root.resolve()) or not _inside(real, scope.resolve()):
        return f"link {link.target} resolves (through a symlink) outside the client's folder"
    if target in internal:
        return f"link {link.target} points to an internal item ({internal[target]})"
    if target.parent == scope and target.name in source_files():
        return _SOURCE_LINK
    return None


_SOURCE_LINK = "link to a YAML source"


def _source_link_message(link: Link) -> str:
    files = ", ".join(sorted(name for section in registered() for name in section.sources))
    return (f"link {link.target}: the portal never publishes this YAML file; a link may name "
            f"a section's file ({files}), optionally with #ID, and lands on its page")


def _section_link_problem(link: Link, base: Path, e: m.Engagement, today: dt.date, *,
                          visible: bool) -> str | None:
    """A link to a section's YAML file: it becomes a link to that section's page (and item)."""
    target = resolve(link, base)
    section = next((s for s in registered() if target is not None and target.name in s.sources),
                   None)
    if section is None or target is None:
        return _source_link_message(link)
    part = e.parts.get(section.name)
    fragment = link.suffix[1:] if link.suffix.startswith("#") else ""
    if not fragment:
        if section.page(section.view(e, part, today)) is None:
            return (f"link {link.target}: the portal has no {section.title} page (nothing in "
                    f"{target.name} is shown to the client)")
        return None
    item = section.linked_items(part).get(fragment)
    if item is None:
        known = ", ".join(sorted(section.linked_items(part))) or "none"
        return f"link {link.target}: no {fragment} in {target.name} (ids: {known})"
    if visible and getattr(item, "internal", False):
        return f"link {link.target} points to an internal item ({fragment})"
    return None


def _check_yaml_markdown(e: m.Engagement, root: Path, internal: dict[Path, str]) -> list[Problem]:
    """Markdown inside YAML fields (summaries, descriptions) links relative to the client folder."""
    problems: list[Problem] = []
    for field in _yaml_markdown(e):
        line = e.line(field.file, field.loc)
        for p in _check_links(f"{e.source}/{field.file}", field.text or "", line, e.root,
                              e.root, root, internal if field.visible else {}, e, None,
                              field.visible):
            problems.append(Problem(p.path, line, p.message, p.severity))
    return problems


def _yaml_markdown(e: m.Engagement) -> Iterator[YamlText]:
    """Every Markdown field of the client's YAML files that holds text."""
    info = e.client.engagement
    fields = [YamlText("client.yml", ("engagement", "summary"), info.summary, True)]
    fields += [YamlText("client.yml", ("engagement", "next_steps", i), step.text, True)
               for i, step in enumerate(info.next_steps)]
    for key, items in (("in", info.scope.included if info.scope else []),
                       ("out", info.scope.excluded if info.scope else [])):
        fields += [YamlText("client.yml", ("engagement", "scope", key, i), item, True)
                   for i, item in enumerate(items)]
    for section in registered():
        fields += section.yaml_markdown(e.parts.get(section.name))
    yield from (field for field in fields if field.text)


def _check_placeholders(e: m.Engagement) -> Iterator[Problem]:
    """A line `portico new` wrote for the author to replace, still as written: it would
    reach the client as the portal's own words. Code is not looked at."""
    prompts = {p.strip() for section in registered() for p in section.placeholders}
    found: list[tuple[str, int, str]] = []
    for doc, _visible in _documents(e):
        for offset, text in enumerate(mask_code(doc.body).split("\n")):
            if text.strip() in prompts:
                found.append((doc.source, doc.body_line + offset, text.strip()))
    for field in _yaml_markdown(e):
        for text in (field.text or "").split("\n"):
            if text.strip() in prompts:
                found.append((f"{e.source}/{field.file}", e.line(field.file, field.loc),
                              text.strip()))
    for source, at, prompt in found:
        yield Problem(source, at, f"template text left as written: {prompt!r}; write your "
                      "own, or delete the line", "warning", kind="template-text")
