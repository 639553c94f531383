"""The rendered portal, read from the built HTML: every item present, every link resolving.

Builds the demo's plain sites (render + engine, before protection) once per session; the
protected output is tested in test_pipeline.py and tests/browser/.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from portico.content import model as m
from portico.content.load import load_practice
from portico.engine.build import build_site
from portico.portal.labels import label
from portico.portal.markdown import anchor
from portico.portal.render import render_portal
from portico.protection.markers import client_markers
from portico.sections.assessment import Assessment, assessment_of
from portico.sections.decisions import decisions_of
from portico.sections.notes import notes_of
from portico.sections.risks import risks_of
from portico.sections.roadmap import roadmap_of

# One worker runs this module: each engine's build of the demo (module fixture) is made once, not
# once per worker.
pytestmark = pytest.mark.xdist_group("engine-build")

REPO = Path(__file__).resolve().parents[2]

TODAY = dt.date(2026, 11, 25)


class _Page(HTMLParser):
    """Links, ids and visible text of one HTML file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.chips: list[tuple[str, bool]] = []
        self._chip: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for key in ("href", "src"):
            if a.get(key) and tag in {"a", "img", "link", "script"}:
                self.links.append(a[key] or "")
        if tag == "a" and "portico-heatmap__link" in (a.get("class") or ""):
            self.chips.append((a.get("href") or "", "--residual" in (a.get("class") or "")))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def practice() -> m.Practice:
    return load_practice(REPO)


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def sites(request: pytest.FixtureRequest, practice: m.Practice,
          tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both demo clients built one after the other in this one process, by each engine
    (ProperDocs replaces the process's `mkdocs` modules: tests/browser/test_engines.py
    builds with it in a process of its own)."""
    out = {}
    for client in practice.clients:
        rendered = render_portal(client, practice, tmp_path_factory.mktemp(client.slug), today=TODAY)
        out[client.slug] = build_site(rendered.config_file, engine=request.param).site_dir
    return out


def _search_entries(site: Path) -> list[dict[str, str]]:
    """The search index's entries: MkDocs' search/search_index.json "docs", or Zensical's
    search.json "items"."""
    for name, key in (("search/search_index.json", "docs"), ("search.json", "items")):
        if (site / name).is_file():
            entries: list[dict[str, str]] = json.loads((site / name).read_text("utf-8"))[key]
            return entries
    raise AssertionError(f"no search index in {site}")


def harbor(practice: m.Practice) -> m.Engagement:
    return next(c for c in practice.clients if c.slug == "harborline")


def text_of(site: Path, page: str) -> str:
    return " ".join(" ".join(parse(site / page / "index.html").text).split())


def test_every_visible_item_is_on_its_page_with_its_status(practice: m.Practice,
                                                          sites: dict[str, Path]) -> None:
    e, site = harbor(practice), sites["harborline"]
    risks, roadmap, decisions = text_of(site, "risks"), text_of(site, "roadmap"), text_of(site, "decisions")
    for risk in (r for r in risks_of(e) if not r.internal):
        assert f"{risk.id} · {risk.title}" in risks
        assert label(risk.status) in risks
    for item in (i for i in roadmap_of(e).items if not i.internal):  # type: ignore[union-attr]
        assert f"{item.title} ¶ {label(item.status)}" in roadmap  # heading, then badge
    for d in (d for d in decisions_of(e) if not d.internal):
        rows = re.findall(rf"{d.number} {re.escape(d.title)} (\S+)", decisions)
        assert label(d.status) in rows, (d.number, rows)
        assert d.title in text_of(site, f"decisions/{d.number}")
    notes = text_of(site, "notes")
    for note in (n for n in notes_of(e) if not n.doc.internal):
        assert note.doc.title in notes


def test_supersession_shows_on_both_decisions(sites: dict[str, Path]) -> None:
    site = sites["harborline"]
    assert "Superseded by 0005" in text_of(site, "decisions/0002")
    assert "Supersedes 0002" in text_of(site, "decisions/0005")


def test_no_broken_internal_link_anywhere(sites: dict[str, Path]) -> None:
    for site in sites.values():
        pages = {p: parse(p) for p in site.rglob("*.html")}
        checked = 0
        for path, page in pages.items():
            if path.name == "404.html":
                continue  # served by the host at any depth: its links are root-absolute
            for link in page.links:
                parts = urlsplit(link)
                if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
                    continue
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
                if target.is_dir():
                    target = target / "index.html"
                assert target.is_file(), f"{path.relative_to(site)}: broken link {link}"
                if parts.fragment and target.suffix == ".html" and target in pages:
                    assert parts.fragment in pages[target].ids, \
                        f"{path.relative_to(site)}: no #{parts.fragment} in {target.relative_to(site)}"
                checked += 1
        assert checked > 100


def test_heat_map_matches_the_register(practice: m.Practice, sites: dict[str, Path]) -> None:
    e = harbor(practice)
    page = parse(sites["harborline"] / "risks/index.html")
    open_risks = [r for r in risks_of(e) if not r.internal and r.is_open]
    inherent = sorted(href for href, residual in page.chips if not residual)
    residual = sorted(href for href, is_residual in page.chips if is_residual)
    assert inherent == sorted(f"#{anchor(r.id)}" for r in open_risks)
    assert residual == sorted(f"#{anchor(r.id)}" for r in open_risks if r.residual_score)


def test_internal_items_never_reach_the_site(practice: m.Practice, sites: dict[str, Path]) -> None:
    e = harbor(practice)
    secrets = [r.title for r in risks_of(e) if r.internal]
    secrets += [d.title for d in decisions_of(e) if d.internal]
    secrets += [n.doc.title for n in notes_of(e) if n.doc.internal]
    secrets += [i.title for i in roadmap_of(e).items if i.internal]  # type: ignore[union-attr]
    secrets += [ms.title for ms in roadmap_of(e).milestones if ms.internal]  # type: ignore[union-attr]
    assert len(secrets) >= 3  # decision 0004 and its note are leadership-only now, not internal
    for path in sites["harborline"].rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".xml", ".svg"}:
            text = html.unescape(path.read_text(encoding="utf-8", errors="ignore"))
            for secret in secrets:
                assert secret not in text, f"internal {secret!r} in {path}"


def test_search_index_holds_only_its_own_client(practice: m.Practice, sites: dict[str, Path]) -> None:
    """Two clients built in one process: neither portal holds a byte of the other's content."""
    for slug, site in sites.items():
        others = [c for c in practice.clients if c.slug != slug]
        assert _search_entries(site), slug
        everything = "\n".join(p.read_text(encoding="utf-8", errors="ignore")
                               for p in site.rglob("*") if p.is_file()
                               and p.suffix in {".html", ".json", ".xml", ".svg"})
        own = set(client_markers(next(c for c in practice.clients if c.slug == slug)))
        for other in others:
            distinctive = {s for s in client_markers(other) if len(s) >= 25 or "@" in s}
            distinctive.add(other.client.name)
            for marker in distinctive - own:
                assert marker not in everything, f"{other.slug}'s {marker!r} in {slug}"


def test_no_request_to_another_host(sites: dict[str, Path]) -> None:
    for site in sites.values():
        for path in site.rglob("*.html"):
            for link in parse(path).links:
                if link.startswith(("http://", "https://", "//")):
                    assert not re.search(r"\.(css|js|woff2?|png|svg)(\?|$)", link), link
            assert "fonts.googleapis" not in path.read_text(encoding="utf-8")


def test_attachment_keeps_its_name_and_paths_are_opaque(sites: dict[str, Path]) -> None:
    site = sites["harborline"]
    assert any("?download=tms-vendor-shortlist.pdf" in p.read_text() for p in site.rglob("*.html"))
    names = [p.relative_to(site).as_posix() for p in site.rglob("*")]
    assert not any("shortlist" in n or "runbook" in n or "incident" in n for n in names)


def test_internal_first_assessment_page_keeps_its_scorecard_internal(tmp_path: Path) -> None:
    from portico.portal.view import portal_view

    practice = load_practice(REPO)
    e = harbor(practice)
    assessment = assessment_of(e)
    assert assessment is not None
    first = assessment.pages[0]
    hidden = Assessment((m.Document(first.source, first.path, first.title, first.body,
                                    first.body_line, internal=True), *assessment.pages[1:]),
                        assessment.scores)
    e.parts["assessment"] = hidden
    assert portal_view(e, TODAY).parts["assessment"].scores == []


def test_browser_tab_names_the_client_once(sites: dict[str, Path]) -> None:
    """Material titles a page "page title - site name"; the home page is the client alone."""
    site = sites["harborline"]
    home = (site / "index.html").read_text("utf-8")
    assert "<title>Harborline Logistics</title>" in home
    risks = (site / "risks" / "index.html").read_text("utf-8")
    assert "<title>Risks - Harborline Logistics</title>" in risks


def test_dates_in_tables_stay_whole(sites: dict[str, Path]) -> None:
    """Date cells carry pt-date, which the portal's CSS keeps on one line (no break at a hyphen)."""
    site = sites["harborline"]
    css = (site / "assets" / "portico" / "portal.css").read_text("utf-8")
    assert ".pt-date { white-space: nowrap; }" in css
    for page, date in [("decisions", "Nov 18, 2026"), ("notes", "Nov 20, 2026"),
                       ("risks", "Dec 9, 2026")]:
        date = date.replace(" ", "\u00a0")  # dates never break: no-break spaces inside
        html = (site / page / "index.html").read_text("utf-8")
        assert f'<span class="pt-date">{date}</span>' in html, page


def test_lists_stay_out_of_search_and_each_item_keeps_its_own_entry(
        practice: m.Practice, sites: dict[str, Path]) -> None:
    """A list that repeats its items (the register table, the roadmap's tables, the
    decisions and notes indexes) would give every search a second, vaguer hit and make the
    reader's browser index each item twice; each item's own entry holds its hit."""
    e, entries = harbor(practice), _search_entries(sites["harborline"])
    listed = {"Register", "Closed risks", "All items", "Now, next, later", "By priority"}
    assert not [(entry["location"], entry["title"]) for entry in entries
                if entry.get("title") in listed]
    by_location = {str(entry["location"]): f"{entry.get('title', '')} {entry.get('text', '')}"
                   for entry in entries}
    assert "Every significant" in by_location["decisions/"]  # the index's own words stay
    assert "newest first" in by_location["notes/"]
    for d in (d for d in decisions_of(e) if not d.internal):
        assert d.title not in by_location["decisions/"]
        assert d.title in by_location[f"decisions/{d.number}/"]
    for n in (n for n in notes_of(e) if not n.doc.internal):
        assert n.doc.title not in by_location["notes/"]
    for r in (r for r in risks_of(e) if not r.internal):
        assert r.title not in by_location["risks/"]
        own = [text for loc, text in by_location.items() if loc == f"risks/#{anchor(r.id)}"]
        assert own, f"no entry of its own for {r.id}"
