"""What a CEO reads on paper and at a laptop, checked in Chromium: chart text the size of the
body text, pack trends at the column's width, headings kept with what follows them, nothing
printed that only works on a screen, and open checklist boxes that can be seen."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from browser_support import DEMO_PASSPHRASES, Server, mkdocs_only, unlock
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# Every chart on the page: its class, and its smallest and largest text as rendered (px).
CHART_TEXT = """() => [...document.querySelectorAll(".pt-chart svg")]
  .filter(s => s.getBoundingClientRect().width > 0)
  .map(s => {
    const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
    const sizes = [...s.querySelectorAll("text")].map(t => parseFloat(t.getAttribute("font-size")
      || getComputedStyle(t).fontSize) * scale);
    return {kind: s.closest(".pt-chart").className, largest: Math.max(...sizes),
            smallest: Math.min(...sizes)};
  })"""
BODY = "() => parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)"


class Tabs:
    """One unlocked tab per portal and palette for the whole module: each test opens its
    page in that tab, at its own width and media. These checks read pages and change
    nothing, so a fresh profile and a sign-in for each (a second or more of CI time each,
    about a hundred times) buys nothing; sign-in has tests of its own. A palette has a
    profile of its own: Material keeps the palette it first chose in the profile."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: dict[str, BrowserContext] = {}
        self.tabs: dict[tuple[str, str], Page] = {}
        self.sent: list[str] = []

    def open(self, home: str, path: str, *, media: str = "screen", scheme: str = "light",
             viewport: dict[str, int] = LAPTOP, passphrase: str | None = None) -> Page:
        tab = self.tabs.get((home, scheme))
        if tab is None:
            if scheme not in self.contexts:
                context = self.browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
                context.on("request", lambda request: self.sent.append(request.url))
                self.contexts[scheme] = context
            tab = self.tabs[home, scheme] = self.contexts[scheme].new_page()
            unlock(tab, home, passphrase or DEMO_PASSPHRASES["harborline"])
        tab.set_viewport_size(viewport)  # type: ignore[arg-type]
        tab.emulate_media(media=media)  # type: ignore[arg-type]
        tab.goto(home + path)
        expect(tab.locator("article h1")).to_be_attached()  # the page itself,
        expect(tab.locator("#portico-passphrase")).to_have_count(0)  # not the sign-in
        return tab


@pytest.fixture(scope="module")
def tabs(browser: Browser, server: Server) -> Iterator[Tabs]:
    opened = Tabs(browser)
    yield opened
    for context in opened.contexts.values():
        context.close()
    origin = urlsplit(server.origin).netloc
    strays = [url for url in opened.sent
              if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).netloc != origin]
    assert not strays, f"requests left the portal's origin: {strays}"


def _open(tabs: Tabs, demo: str, path: str, *, media: str = "screen", scheme: str = "light",
          viewport: dict[str, int] = LAPTOP) -> Page:
    return tabs.open(demo, path, media=media, scheme=scheme, viewport=viewport)


@mkdocs_only
@pytest.mark.parametrize("media", ["screen", "print"])
@pytest.mark.parametrize("path, kind", [("engagement/", "activities"),
                                        ("decisions/0006/", "tco"),
                                        ("vendors/", "vendor-scorecard"),
                                        ("opportunities/", "matrix")])
def test_a_fixed_chart_s_text_is_body_sized(tabs: Tabs, demo: str, path: str, kind: str,
                                            media: str) -> None:
    """A chart drawn for a fixed width is capped in em of the body text: its text neither
    outgrows the page's headings at a laptop's width nor the smaller printed body text."""
    page = _open(tabs, demo, path, media=media)
    body = page.evaluate(BODY)
    charts = [c for c in page.evaluate(CHART_TEXT) if f"pt-chart--{kind}" in c["kind"]]
    assert charts, kind
    for chart in charts:
        assert chart["largest"] <= body * 1.1, (kind, media, chart, body)
        assert chart["smallest"] >= 8, (kind, media, chart)


@mkdocs_only
def test_a_board_pack_s_kpi_trends_take_the_column(tabs: Tabs, demo: str) -> None:
    """Material draws a <figure> fit-content, which left each pack trend a 300 px thumbnail
    with 4 px axis text: they are as wide as the column, as on the KPIs page."""
    page = _open(tabs, demo, "board/2026-12-10/")
    sizes = page.evaluate("""() => {
      const column = document.querySelector(".pt-trends").getBoundingClientRect().width;
      return [...document.querySelectorAll(".pt-trends .pt-chart__desktop svg")]
        .map(s => s.getBoundingClientRect().width / column); }""")
    assert sizes and min(sizes) > 0.95, sizes
    smallest = min(c["smallest"] for c in page.evaluate(CHART_TEXT) if "--sla" in c["kind"])
    assert smallest >= 10, smallest


KEEPS = """() => {
  const style = (el) => getComputedStyle(el);
  const intro = [...document.querySelectorAll(".md-typeset :is(p, ul, ol)")]
    .filter(p => p.nextElementSibling
      && p.nextElementSibling.matches(".pt-chart, .pt-trends, .md-typeset__scrollwrap"));
  return {
    headings: [...document.querySelectorAll(".md-typeset :is(h2, h3)")]
      .map(h => style(h).breakAfter),
    intros: intro.map(p => style(p).breakAfter),
    charts: [...document.querySelectorAll(".pt-chart")].map(c => style(c).breakInside),
  }; }"""


@pytest.mark.parametrize("path", ["kpis/", "vendors/", "board/2026-12-10/"])
def test_in_print_a_heading_and_a_chart_s_summary_stay_with_what_follows(
        tabs: Tabs, demo: str, path: str) -> None:
    """A page never ends on a heading, or on a KPI's summary line with its chart overleaf."""
    page = _open(tabs, demo, path, media="print")
    keeps = page.evaluate(KEEPS)
    assert keeps["headings"] and set(keeps["headings"]) == {"avoid"}, keeps
    assert keeps["intros"] and set(keeps["intros"]) == {"avoid"}, keeps
    assert set(keeps["charts"]) == {"avoid"}, keeps


@pytest.mark.parametrize("path, selector, text", [
    ("asks/", "td a", "Where it was raised"),
    ("", "article .grid.cards a", "Asks"),
    ("assessment/2/", "article .footnote-backref", ""),
])
def test_print_leaves_out_what_only_works_on_a_screen(tabs: Tabs, demo: str, path: str,
                                                      selector: str, text: str) -> None:
    """Links a reader cannot follow on paper, footnotes' way back, and what's new's "since
    your last visit": shown on screen, left out of print."""
    page = _open(tabs, demo, path)
    count = """([selector, text]) => [...document.querySelectorAll(selector)]
      .filter(e => e.textContent.includes(text))
      .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden")
      .length"""
    assert page.evaluate(count, [selector, text]) > 0, (path, selector)
    page.emulate_media(media="print")
    assert page.evaluate(count, [selector, text]) == 0, (path, selector)


def test_print_leaves_out_what_s_new_s_since_your_last_visit(tabs: Tabs, history_portal: str
                                                            ) -> None:
    """Paper has no last visit: the sentence about marks is left out of print."""
    page = _open(tabs, history_portal, "whats-new/")
    sentence = page.locator("article .pt-since-visit")
    assert "since your last visit are marked" in sentence.inner_text()
    page.emulate_media(media="print")
    assert not sentence.is_visible()


def test_print_draws_no_fold_chevron(tabs: Tabs, demo: str) -> None:
    """Folded sections print open; the chevron that says "click me" is left out too."""
    page = _open(tabs, demo, "risks/", media="print")
    chevrons = page.evaluate("""() => [...document.querySelectorAll(".md-typeset details > summary")]
      .map(s => getComputedStyle(s, "::after").display)""")
    assert chevrons and set(chevrons) == {"none"}, chevrons


def test_print_keeps_one_orientation(tabs: Tabs, demo: str) -> None:
    """Registers no longer switch to landscape mid-document (a page before and after held a
    stray row): no element names a page of its own."""
    page = _open(tabs, demo, "risks/", media="print")
    named = page.evaluate("""() => [...document.querySelectorAll("article *")]
      .map(e => getComputedStyle(e).page).filter(p => p && p !== "auto")""")
    assert named == []


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _over(colour: str, background: tuple[float, float, float]) -> tuple[float, float, float]:
    """An rgb()/rgba() colour composed over `background`."""
    parts = [float(x) for x in colour[colour.index("(") + 1:-1].replace("/", ",").split(",")]
    alpha = parts[3] if len(parts) > 3 else 1.0
    r, g, b = (p * alpha + q * (1 - alpha) for p, q in zip(parts[:3], background, strict=True))
    return r, g, b


@mkdocs_only
@pytest.mark.parametrize("media", ["screen", "print"])
def test_an_open_checklist_box_can_be_seen(tabs: Tabs, demo: str, media: str) -> None:
    """An unticked task's circle was Material's faintest tint (1.2:1): a UI component needs
    3:1 against the page."""
    page = _open(tabs, demo, "assessment/3/", media=media)
    colours = page.evaluate("""() => [...document.querySelectorAll(
        ".task-list-control [type=checkbox]:not(:checked) + .task-list-indicator")]
      .map(i => getComputedStyle(i, "::before").backgroundColor)""")
    assert colours
    for colour in colours:
        assert _contrast(_over(colour, (255, 255, 255)), (255, 255, 255)) >= 3, colour
    # Darkened, Material's open icon (a ticked circle) would read as done: it is a ring.
    masks = page.evaluate("""() => ["not(:checked)", "checked"].map(state => {
      const i = document.querySelector(
        `.task-list-control [type=checkbox]:${state === "checked" ? "checked" : "not(:checked)"}`
        + " + .task-list-indicator");
      const s = getComputedStyle(i, "::before");
      return s.maskImage || s.webkitMaskImage; })""")
    assert masks[0] != masks[1] and "M12 20a8 8" in masks[0], masks


@mkdocs_only
def test_a_done_pill_keeps_apart_from_its_date_on_a_phone(tabs: Tabs, demo: str) -> None:
    """"DoneNov 26, 2026": in a phone's card the pill touched the date after it."""
    page = _open(tabs, demo, "asks/", viewport=PHONE)
    gaps = page.evaluate("""() => [...document.querySelectorAll(".pt-badge + .pt-date")]
      .map(d => d.getBoundingClientRect().left
                - d.previousElementSibling.getBoundingClientRect().right)""")
    assert gaps and min(gaps) >= 5, gaps  # was 0


def _rgb(colour: str) -> tuple[float, float, float]:
    return _over(colour, (0, 0, 0))


@mkdocs_only
def test_dark_matrix_quadrants_are_dark_and_their_words_read(tabs: Tabs, demo: str) -> None:
    """The value × effort matrix kept its pastel quadrants in the dark scheme: each quadrant
    is a dark tint, its name and the opportunities' numbers meet 4.5:1 on it."""
    page = _open(tabs, demo, "opportunities/", scheme="dark")
    found = page.evaluate("""() => {
      const svg = document.querySelector(".pt-chart--matrix svg");
      const fill = (e) => getComputedStyle(e).fill;
      return {quadrants: [...svg.querySelectorAll(".pt-matrix__quadrant")].map(fill),
              words: [...svg.querySelectorAll(".pt-matrix__name, .pt-matrix__id")].map(
                e => [fill(e), getComputedStyle(e).fillOpacity])}; }""")
    assert len(found["quadrants"]) == 4
    for quadrant in found["quadrants"]:
        assert _luminance(_rgb(quadrant)) < 0.05, quadrant
        for word, opacity in found["words"]:
            assert float(opacity) == 1
            assert _contrast(_rgb(word), _rgb(quadrant)) >= 4.5, (word, quadrant)


@mkdocs_only
def test_dark_roadmap_has_no_near_white_bars(tabs: Tabs, demo: str) -> None:
    """"Dropped" and "Planned" bars were drawn near-white on the slate page."""
    page = _open(tabs, demo, "roadmap/", scheme="dark")
    fills = page.evaluate("""() => [...document.querySelectorAll(
        ".portico-timeline__bar--dropped rect, .portico-timeline__swatch--dropped,"
        + " .portico-timeline__hatch-ground, .portico-timeline__hatch-line")]
      .filter(e => e.closest(".pt-chart__desktop, .pt-chart") )
      .map(e => getComputedStyle(e).fill)""")
    assert fills
    for fill in fills:
        assert _luminance(_rgb(fill)) < 0.1, fill


@mkdocs_only
def test_a_diagram_sits_on_a_light_card_in_the_dark(tabs: Tabs, demo: str) -> None:
    """A diagram drawn on white keeps its white, framed as a card, never inverted."""
    page = _open(tabs, demo, "decisions/0001/", scheme="dark")
    style = page.evaluate("""() => { const s = getComputedStyle(
        document.querySelector("article p > img:only-child"));
      return [s.backgroundColor, parseFloat(s.paddingLeft), parseFloat(s.borderTopLeftRadius),
              s.filter]; }""")
    assert style[0] == "rgb(255, 255, 255)" and style[1] >= 8 and style[2] >= 4, style
    assert style[3] == "none"


@mkdocs_only
@pytest.mark.parametrize("path", ["decisions/0001/", "pages/3/"])
def test_a_wide_diagram_scrolls_at_a_readable_width_on_a_phone(tabs: Tabs, demo: str,
                                                               path: str) -> None:
    """Shrunk to a phone's column a diagram's words were 5 px: it keeps its drawn width in a
    frame of its own that scrolls sideways and says so; the page itself does not scroll."""
    page = _open(tabs, demo, path, viewport=PHONE)
    image = page.locator("article p > img:only-child").first
    image.evaluate("i => i.decode()")
    page.wait_for_timeout(200)
    found = image.evaluate("""i => ({width: i.getBoundingClientRect().width,
      natural: i.naturalWidth, frame: i.parentElement.clientWidth,
      scrolls: i.parentElement.scrollWidth > i.parentElement.clientWidth,
      marked: i.parentElement.hasAttribute("data-pt-scrolls")
        && i.parentElement.tabIndex === 0,
      cue: getComputedStyle(i.parentElement, "::before").content,
      page: document.documentElement.scrollWidth})""")
    assert found["width"] >= min(found["natural"], 600), found
    assert found["scrolls"] and found["marked"] and "sideways" in found["cue"], found
    assert found["page"] <= PHONE["width"], found


@mkdocs_only
def test_a_long_code_line_says_it_scrolls_and_wraps_on_paper(tabs: Tabs, demo: str) -> None:
    """The restore command ran past a phone's column with nothing to say there was more: the
    block scrolls with an edge shadow (a background that moves with the scroll); in print,
    where nothing scrolls, the line wraps instead of being cut."""
    page = _open(tabs, demo, "pages/1/", viewport=PHONE)
    block = page.locator("article pre > code").first
    found = block.evaluate("""c => ({scrolls: c.scrollWidth > c.clientWidth,
      overflow: getComputedStyle(c).overflowX,
      shadow: getComputedStyle(c).backgroundImage,
      attachment: getComputedStyle(c).backgroundAttachment})""")
    assert found["scrolls"] and found["overflow"] == "auto", found
    assert "radial-gradient" in found["shadow"] and "local" in found["attachment"], found
    page.emulate_media(media="print")
    wrapped = block.evaluate("""c => [getComputedStyle(c).whiteSpace,
      c.scrollWidth <= c.clientWidth + 1]""")
    assert wrapped == ["pre-wrap", True], wrapped


@pytest.mark.parametrize("path, heading", [("decisions/0006/", "Weighted evaluation"),
                                           ("board/2026-12-10/", "Decisions for the board")])
def test_in_print_a_heading_above_a_kept_block_travels_with_it(tabs: Tabs, demo: str,
                                                                path: str, heading: str) -> None:
    """Chromium leaves a heading at a page's foot when the block after it keeps together and
    moves on: heading and block are one kept block ("Weighted evaluation" ended a page)."""
    page = _open(tabs, demo, path, media="print")
    kept = page.evaluate("""(text) => {
      const h = [...document.querySelectorAll("article :is(h2, h3, h4)")]
        .find(e => e.textContent.includes(text));
      const keep = h && h.closest(".pt-keep");
      return keep ? [getComputedStyle(keep).breakInside, !!keep.querySelector("table")] : null;
    }""", heading)
    assert kept == ["avoid", True], kept


# Paper's column (Chromium's CSS px): A4 and Letter less the 15 mm margins of portal.css.
PAPER = {"A4": {"width": 680, "height": 1000}, "Letter": {"width": 703, "height": 1000}}


@mkdocs_only
@pytest.mark.parametrize("paper", sorted(PAPER))
@pytest.mark.parametrize("path", ["decisions/0006/", "board/2026-12-10/"])
def test_in_print_a_tco_chart_s_labels_stay_inside_it(tabs: Tabs, demo: str, path: str,
                                                      paper: str) -> None:
    """The recommended option's bold label ran past the chart's left edge on paper
    ("uy a TMS for rates, / uoting and bookings"): every label is inside the SVG's box."""
    page = _open(tabs, demo, path, media="print", viewport=PAPER[paper])
    outside = page.evaluate("""() => [...document.querySelectorAll(".pt-chart--tco svg")]
      .filter(s => s.getBoundingClientRect().width > 0)
      .flatMap(s => { const box = s.getBoundingClientRect();
        return [...s.querySelectorAll("text")].map(t => [t.textContent, t.getBoundingClientRect()])
          .filter(([, r]) => r.left < box.left - 0.5 || r.right > box.right + 0.5)
          .map(([text, r]) => `${text}: ${r.left.toFixed(1)}–${r.right.toFixed(1)} of `
                              + `${box.left.toFixed(1)}–${box.right.toFixed(1)}`); })""")
    assert page.locator(".pt-chart--tco svg").count(), path
    assert not outside, outside


@mkdocs_only
@pytest.mark.parametrize("paper", sorted(PAPER))
def test_in_print_a_timeline_line_leaves_no_stub_between_labels(tabs: Tabs, demo: str,
                                                                 paper: str) -> None:
    """The Today and milestone lines are cut where a label sits; the few units left between
    two labels' rows read on paper as a stroke through the text: no stretch is that short."""
    page = _open(tabs, demo, "roadmap/", media="print", viewport=PAPER[paper])
    lengths = page.evaluate("""() => [...document.querySelectorAll(
        ".portico-chart--timeline .pt-guide")]
      .filter(l => l.ownerSVGElement.getBoundingClientRect().width > 0)
      .map(l => l.getBoundingClientRect().height)""")
    assert lengths
    assert min(lengths) >= 8, sorted(lengths)[:5]


@pytest.mark.parametrize("portal, paper", [("harborline", "A4"), ("lumen-health", "Letter")])
def test_in_print_no_home_line_starts_or_ends_with_a_separator(tabs: Tabs, demo: str,
                                                               portal: str, paper: str) -> None:
    """The Meetings link is screen-only, and so is the calendar file: the card's last line
    printed as "· Add them to your calendar". No printed line begins or ends with "·"."""
    page = tabs.open(demo.replace("/harborline/", f"/{portal}/"), "", media="print",
                     viewport=PAPER[paper], passphrase=DEMO_PASSPHRASES[portal])
    lines = page.evaluate("""() => [...document.querySelectorAll("article :is(p, li)")]
      .filter(e => e.getClientRects().length > 0)
      .map(e => e.innerText.replace(/\\s+/g, " ").trim()).filter(Boolean)""")
    assert lines
    stray = [line for line in lines if line.startswith("·") or line.endswith("·")]
    assert not stray, stray
    assert not [line for line in lines if "calendar" in line.lower()], lines


@mkdocs_only
@pytest.mark.parametrize("paper", sorted(PAPER))
def test_in_print_a_kpi_s_separator_stays_with_its_badge(tabs: Tabs, demo: str,
                                                         paper: str) -> None:
    """A KPI's line wrapped before its status badge and ended on a stray "·": the
    separator and the badge are on one line."""
    page = _open(tabs, demo, "kpis/", media="print", viewport=PAPER[paper])
    apart = page.evaluate("""() => [...document.querySelectorAll("article .pt-badge")]
      .map(b => { const before = b.previousSibling;
        if (!before || before.nodeType !== 3 || !before.textContent.trim().endsWith("·"))
          return null;
        const range = document.createRange();
        const at = before.textContent.lastIndexOf("·");
        range.setStart(before, at); range.setEnd(before, at + 1);
        const dot = range.getBoundingClientRect(), badge = b.getBoundingClientRect();
        return [b.textContent, Math.abs((dot.top + dot.bottom) - (badge.top + badge.bottom)) / 2];
      }).filter(Boolean)""")
    assert apart, "no badge after a separator: the test proves nothing"
    assert all(off < 8 for _, off in apart), apart


@mkdocs_only
def test_in_print_a_lead_in_line_stays_with_its_list(tabs: Tabs, demo: str) -> None:
    """"At risk or blocked:" ended a board pack's page with its list overleaf."""
    page = _open(tabs, demo, "board/2026-12-10/", media="print")
    keeps = page.evaluate("""() => [...document.querySelectorAll("article p")]
      .filter(p => p.nextElementSibling && p.nextElementSibling.matches("ul, ol"))
      .map(p => [p.textContent.slice(0, 30), getComputedStyle(p).breakAfter])""")
    assert any(text.startswith("At risk or blocked") for text, _ in keeps), keeps
    assert {value for _, value in keeps} == {"avoid"}, keeps


def test_dark_risk_sparklines_can_be_seen(tabs: Tabs, history_portal: str) -> None:
    """A risk's trend line (drawn from the history: the dated portal) was the translucent
    light text colour, a faint thread on slate: opaque, 3:1 or more against the page."""
    page = _open(tabs, history_portal, "risks/", viewport=PHONE, scheme="dark")
    page.locator(".pt-spark polyline").first.wait_for(state="attached")
    found = page.evaluate("""() => ({
      page: getComputedStyle(document.body).backgroundColor,
      lines: [...document.querySelectorAll(".pt-spark polyline")]
        .map(l => getComputedStyle(l).stroke)})""")
    assert found["lines"], found
    for stroke in found["lines"]:
        assert "rgba" not in stroke, stroke
        assert _contrast(_rgb(stroke), _rgb(found["page"])) >= 3, (stroke, found["page"])


# What every printed page carries in its margins (print_css.py): the client and practice,
# "Confidential", the as-of date and the page number. A page with nothing else is blank.
RUNNING = re.compile(r"Harborline Logistics · Northfield CTO Partners|Confidential"
                     r"|Page \d+ of \d+|As of \w+ \d+, \d{4}")


def test_in_print_no_page_ends_on_a_blank_sheet(tabs: Tabs, history_portal: str) -> None:
    """What's new printed to A4 took four pages, the fourth only the running header and
    footer: Material's sidebar-and-content row is a flex container, and Chromium fragmenting
    it left an empty last page. Every page of the portal with its history (the one with a
    What's new), printed: no sheet is blank."""
    demo = history_portal
    page = _open(tabs, demo, "whats-new/", media="print")
    # The sheet comes and goes with the text's length (it took the last line within a
    # line's height of a sheet's foot); the row that causes it is checked for directly.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-main__inner')).display"
                         ) == "block"
    pages = sorted({href.split("#")[0] for href in page.evaluate(
        """() => [...document.querySelectorAll(".md-nav--primary a.md-nav__link[href]")]
          .map(a => a.href)""") if href.startswith(demo)})
    assert demo + "whats-new/" in pages, pages
    # The longest pages (every page once took 45 s of CI; the row's display is the cause).
    longest = [url for url in pages if url == demo or "whats-new" in url or "/board/" in url]
    blank = []
    for url in longest:
        page.goto(url)
        page.locator("article h1").wait_for()
        page.wait_for_load_state("load")
        sheets = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))).pages
        blank += [f"{url.removeprefix(demo) or '(home)'} page {number} of {len(sheets)}"
                  for number, sheet in enumerate(sheets, 1)
                  if not RUNNING.sub("", unicodedata.normalize("NFKC", sheet.extract_text()))
                  .strip()]
    assert blank == []


@mkdocs_only
@pytest.mark.parametrize("path", ["decisions/0006/", "board/2026-12-10/"])
def test_on_a_phone_a_tco_chart_s_text_is_near_body_size(tabs: Tabs, demo: str,
                                                        path: str) -> None:
    """The TCO bars, drawn 570 units wide with their labels beside them, shrank on a phone
    to 9 px text: its phone form puts each label above its bar in 300 units, at 12 px or
    more, every text inside the chart."""
    page = _open(tabs, demo, path, viewport=PHONE)
    charts = page.evaluate("""() => [...document.querySelectorAll(".pt-chart--tco svg")]
      .filter(s => s.getBoundingClientRect().width > 0)
      .map(s => { const box = s.getBoundingClientRect();
        const texts = [...s.querySelectorAll("text")];
        return {smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize)
                  * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b))),
                outside: texts.filter(t => { const r = t.getBoundingClientRect();
                  return r.left < box.left - 0.5 || r.right > box.right + 0.5; })
                  .map(t => t.textContent)}; })""")
    assert len(charts) == 1, charts
    assert charts[0]["smallest"] >= 12, charts
    assert charts[0]["outside"] == [], charts
