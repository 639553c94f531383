"""A roadmap of 300 items stays light: past REGISTER_LIMIT the roadmap page keeps the
timeline, the horizons and the table of items, each item has a page of its own with its
details, and every link to an item (table, timeline, dependencies, a decision, a risk's
citation) lands on that page. At the limit or below, nothing changes (the golden pages).

Rendered once for the module, without the engine (rendered_pages)."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
import yaml
from rendered_pages import body, html, landing, links, sentence, write_bigco

from portico.content.load import load_portal_inputs
from portico.portal.render import RenderedPortal, render_portal
from portico.sections.base import REGISTER_LIMIT
from portico.sections.roadmap.model import RoadmapItem
from portico.sections.roadmap.view import roadmap_view

TODAY = dt.date(2026, 6, 15)
ITEMS = 300
PAGE_BUDGET = 500_000  # bytes of the roadmap page's decrypted HTML (issue 22)
FRAME = 30_000  # the theme's header, nav and footer around the article


def _write_client(root: Path) -> None:
    folder = write_bigco(root, "Split the roadmap")
    rng = random.Random(22)
    lines = ["workstreams: [Platform, Data, Team]", "items:"]
    for i in range(1, ITEMS + 1):
        quarter = f"2026-Q{rng.randint(1, 4)}"
        lines += [f"  - id: R{i}", f"    title: Item {i} {sentence(rng, 4)}",
                  f"    description: Item {i} body. {sentence(rng, 30)}",
                  f"    status: {rng.choice(['planned', 'in-progress', 'done', 'at-risk'])}",
                  f"    workstream: {rng.choice(['Platform', 'Data', 'Team'])}",
                  f"    start: {quarter}", f"    end: {quarter}", "    owner: Platform lead"]
        if i > 1:
            lines.append(f"    depends_on: [R{i - 1}]")
        if i == 150:
            lines.append('    decisions: ["0001"]')
    (folder / "roadmap.yml").write_text("\n".join(lines) + "\n", "utf-8")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> RenderedPortal:
    root = tmp_path_factory.mktemp("practice")
    _write_client(root)
    practice = load_portal_inputs(root, "bigco")
    return render_portal(practice.clients[0], practice, root / "out", today=TODAY)


def test_the_roadmap_page_stays_under_500_kb_and_keeps_no_details(big: RenderedPortal) -> None:
    article = html(big, "roadmap/index.md")
    assert len(article.encode("utf-8")) + FRAME < PAGE_BUDGET, f"{len(article) // 1000} kB"
    assert "Item 150 body." not in article and ">Details<" not in article
    assert "<svg" in article  # the timeline stays
    assert article.count("<tr>") - article.count("<thead>") == ITEMS  # the table, every item


def test_each_item_has_its_own_page_with_its_details(big: RenderedPortal) -> None:
    pages = sorted((big.docs_dir / "roadmap").glob("r*.md"))
    assert len(pages) == ITEMS
    text = body(big, "roadmap/r150.md")
    assert re.search(r"^# Item 150 .* \{#r150\}$", text, re.MULTILINE)
    assert "Item 150 body." in text and "Owner: Platform lead" in text
    assert "[:material-arrow-left: Roadmap](index.md#r150)" in text  # back to its row,
    assert "(r150.md){ #r150 }" in body(big, "roadmap/index.md")  # which has that anchor
    assert "Depends on [Item 149" in text and "](r149.md)" in text  # its dependency's page
    assert "(../decisions/0001.md)" in text  # its decision


def test_every_link_to_an_item_lands_on_its_page(big: RenderedPortal) -> None:
    pages = {page: body(big, page) for page in ("roadmap/index.md", "roadmap/r150.md",
                                                "decisions/0001.md")}
    assert "(../roadmap/r150.md)" in pages["decisions/0001.md"]  # the decision's backlinks
    item_links = 0
    for page, text in pages.items():
        for link in links(text):
            if re.search(r"(^|/)r\d+(\.md|/)", link) and not link.startswith(("#", "http")):
                assert (big.docs_dir / landing(page, link)).is_file(), (page, link)
                assert "#r" not in link, (page, link)  # the item's page, not an anchor
                item_links += 1
    timeline = pages["roadmap/index.md"].split("## Now, next, later", 1)[0]
    assert re.search(r'href="r\d+/"', timeline)  # the timeline's bars open the item pages
    assert item_links > ITEMS  # the table's titles and dependencies, the timeline's bars


def test_the_nav_does_not_grow_with_the_roadmap(big: RenderedPortal) -> None:
    config = yaml.safe_load(big.config_file.read_text("utf-8"))
    assert {"Roadmap": "roadmap/index.md"} in config["nav"]
    assert "r150" not in str(config["nav"])
    assert "/roadmap/*.md" in config["not_in_nav"]


def test_the_threshold_is_on_client_visible_items() -> None:
    def items(n: int, internal: int = 0) -> list[RoadmapItem]:
        return [RoadmapItem(id=f"R{i}", title=f"Item {i}", status="planned",
                            internal=i < internal) for i in range(n)]

    assert not roadmap_view(_roadmap(items(REGISTER_LIMIT)), TODAY).paged
    assert roadmap_view(_roadmap(items(REGISTER_LIMIT + 1)), TODAY).paged
    assert not roadmap_view(_roadmap(items(REGISTER_LIMIT + 5, internal=5)), TODAY).paged


def _roadmap(items: list[RoadmapItem]):  # type: ignore[no-untyped-def]
    from portico.sections.roadmap.model import Roadmap

    return Roadmap(items=items)
