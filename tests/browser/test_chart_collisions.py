"""Every chart a board reads, laid out in Chromium: no label on another label, a line or a
mark it does not belong to.

The charts mark their geometry for this test: a mark (a bar, a chip) carries
`data-mark="<id>"`, a label `data-for="<id>"` (what it labels), and every line a label must
keep clear of (Today, milestones, targets, movement arrows, a KPI's data line) the class
`pt-guide`, with `data-for` when it belongs to a label (an arrow to its risk's chips). A line
is tested as its segments against each text's box, not as its bounding box. Pages are found
as readers find them, in the navigation (as tests/browser/test_layout.py does), at laptop
and phone width.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import DEMO_PASSPHRASES, unlock, walk_to
from playwright.sync_api import Browser

WIDTHS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PORTALS = [*sorted(DEMO_PASSPHRASES), "history"]
SLACK = 1.0  # px: a text's box is its font's whole line; glyphs stay inside it by more

# Each visible chart's texts (boxes), marks (boxes) and guides (segments), in page pixels.
GEOMETRY = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const points = (el) => {
    const m = el.getScreenCTM();
    const at = (x, y) => { const p = new DOMPoint(x, y).matrixTransform(m); return [p.x, p.y]; };
    if (el.tagName === "line") {
      return [at(el.x1.baseVal.value, el.y1.baseVal.value),
              at(el.x2.baseVal.value, el.y2.baseVal.value)];
    }
    return [...el.points].map((p) => at(p.x, p.y));  // polyline
  };
  const charts = [];
  for (const svg of document.querySelectorAll("article svg.portico-chart")) {
    if (svg.getBoundingClientRect().width === 0) continue;  // the other form, hidden
    const name = [...svg.classList].join(".");
    const texts = [...svg.querySelectorAll("text")]
      .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0)
      .map((t) => ({text: t.textContent.trim().slice(0, 40),
                    for: t.closest("[data-for]")?.dataset.for ?? "", box: box(t)}));
    const marks = [...svg.querySelectorAll("[data-mark]")]
      .map((m) => ({id: m.dataset.mark, box: box(m)}));
    const guides = [...svg.querySelectorAll(".pt-guide")]
      .map((g) => ({for: g.closest("[data-for]")?.dataset.for ?? "", kind: g.getAttribute("class"), points: points(g)}));
    charts.push({name, texts, marks, guides});
  }
  return charts;
}"""

Box = dict[str, float]


def _inset(box: Box) -> Box:
    return {"left": box["left"] + SLACK, "top": box["top"] + SLACK,
            "right": box["right"] - SLACK, "bottom": box["bottom"] - SLACK}


def _overlap(a: Box, b: Box) -> bool:
    a, b = _inset(a), _inset(b)
    return (min(a["right"], b["right"]) > max(a["left"], b["left"])
            and min(a["bottom"], b["bottom"]) > max(a["top"], b["top"]))


def _crosses(start: list[float], end: list[float], box: Box) -> bool:
    """Whether the segment start–end passes through `box` (Liang–Barsky clipping)."""
    box = _inset(box)
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box["left"]), (dx, box["right"] - x0),
                 (-dy, y0 - box["top"]), (dy, box["bottom"] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def collisions(chart: dict[str, Any]) -> list[str]:
    """Every text on another text, on a mark it does not label, or crossed by a line that is
    not its own."""
    found = []
    texts = chart["texts"]
    for i, text in enumerate(texts):
        for other in texts[i + 1:]:
            if _overlap(text["box"], other["box"]):
                found.append(f"{text['text']!r} on {other['text']!r}")
        for mark in chart["marks"]:
            if mark["id"] != text["for"] and _overlap(text["box"], mark["box"]):
                found.append(f"{text['text']!r} on the mark of {mark['id']}")
        for guide in chart["guides"]:
            if guide["for"] and guide["for"] == text["for"]:
                continue
            segments = zip(guide["points"], guide["points"][1:], strict=False)
            if any(_crosses(a, b, text["box"]) for a, b in segments):
                found.append(f"{text['text']!r} crossed by {guide['kind']} {guide['for']}")
    return found


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("portal", PORTALS)
def test_no_chart_label_touches_another_label_line_or_mark(
    browser: Browser, demo: str, request: pytest.FixtureRequest, portal: str, width: str
) -> None:
    # The charts are the generator's, the same on both engines: one engine is enough.
    if "/zensical/" in demo:
        pytest.skip("chart geometry does not depend on the engine; checked on MkDocs")
    home = (request.getfixturevalue("history_portal") if portal == "history"
            else demo.replace("/harborline/", f"/{portal}/"))
    passphrase = DEMO_PASSPHRASES.get(portal, DEMO_PASSPHRASES["harborline"])
    context = browser.new_context(viewport=WIDTHS[width])  # type: ignore[arg-type]
    page = context.new_page()
    unlock(page, home, passphrase)
    urls: list[str] = page.evaluate("""() => [...document.querySelectorAll(
        ".md-nav--primary a.md-nav__link[href]")].map((a) => a.href.split("#")[0])""")
    problems, charts, labels = [], 0, 0
    # On the history portal, the pages its history changes: the rest are the demo's.
    only = request.getfixturevalue("history_pages") if portal == "history" else None
    for url in sorted({u for u in urls if u.startswith(home)}):
        if only is not None and url.removeprefix(home) not in only:
            continue
        walk_to(page, url)
        for chart in page.evaluate(GEOMETRY):
            charts += 1
            labels += len(chart["texts"])
            where = f"{url.removeprefix(home) or '(home)'} {chart['name']}"
            problems += [f"{where}: {problem}" for problem in collisions(chart)]
    context.close()
    print(f"{portal} at {width}: {charts} charts, {labels} labels checked")
    assert charts, "no chart found: the walk proves nothing"
    assert not problems, f"{len(problems)} collisions:\n" + "\n".join(problems)
