"""A register of 2,000 risks stays light: the register page keeps the heat map and a summary
table, each risk has a page of its own (REGISTER_LIMIT), and every link to a risk (heat map,
table, home page, a vendor, a decision) lands on that page.

Rendered once for the module, without the engine: the register page is turned into HTML
with the portal's own Markdown extensions (from the rendered mkdocs.yml), which is what the
engine puts in the page's article. The theme's frame around it (header, nav, footer) weighs
about 25 kB and lists no risk page (the nav is asserted here), so it does not grow.
"""

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
from portico.sections.risks.chart import PHONE_LIST_LIMIT
from portico.sections.risks.model import Risk
from portico.sections.risks.view import risks_view

TODAY = dt.date(2026, 6, 15)
RISKS = 2000
PAGE_BUDGET = 500_000  # bytes of the register page's decrypted HTML (issue 22)
FRAME = 30_000  # the theme's header, nav and footer around the article (measured ~25 kB)
NEEDLE = "zeppelin"  # a word only RISK-0432 has


def _write_client(root: Path) -> None:
    folder = write_bigco(root, "Split the register")
    (folder / "vendors.yml").write_text(
        "vendors:\n  - id: V-ONE\n    name: Zephyr Telematics\n    status: active\n"
        "    risks: [RISK-0432]\n", "utf-8")
    rng = random.Random(22)
    lines = ["risks:"]
    for i in range(1, RISKS + 1):
        title = f"Risk {i} {NEEDLE + ' ' if i == 432 else ''}{sentence(rng, 5)}"
        lines += [f"  - id: RISK-{i:04d}", f"    title: {title}",
                  f"    description: {sentence(rng, 12)}",
                  f"    likelihood: {rng.randint(1, 5)}", f"    impact: {rng.randint(1, 5)}",
                  f"    residual_likelihood: {rng.randint(1, 5)}",
                  f"    residual_impact: {rng.randint(1, 5)}", "    owner: Platform lead",
                  "    response: mitigate", f"    mitigation: {sentence(rng, 12)}",
                  f"    status: {'open' if i == 432 else rng.choice(['open', 'monitoring', 'closed'])}",
                  "    trend: rising", "    review: 2026-05-01",
                  '    decisions: ["0001"]']
    (folder / "risks.yml").write_text("\n".join(lines) + "\n", "utf-8")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> RenderedPortal:
    root = tmp_path_factory.mktemp("practice")
    _write_client(root)
    practice = load_portal_inputs(root, "bigco")
    return render_portal(practice.clients[0], practice, root / "out", today=TODAY)


def _register_pages(rendered: RenderedPortal) -> list[str]:
    found = sorted((rendered.docs_dir / "risks").glob("page-*.md"),
                   key=lambda p: int(p.stem.split("-")[1]))
    return ["risks/index.md", *(f"risks/{p.name}" for p in found)]


def test_no_register_page_passes_500_kb_at_2000_risks(big: RenderedPortal) -> None:
    pages = _register_pages(big)
    rows = 0
    for page in pages:
        article = html(big, page)
        assert len(article.encode("utf-8")) + FRAME < PAGE_BUDGET, \
            f"{page}: {len(article) // 1000} kB"
        assert "pt-spark" not in article and "Score history" not in article  # no bodies
        rows += article.count("<tr>") - article.count("<thead>")
    assert rows == RISKS  # every risk has its row, on one of the register's pages
    first = html(big, pages[0])
    assert "<svg" in first and "portico-heatmap" in first  # the heat map stays, on page 1
    assert re.search(r"<p>\d,\d{3} open risks\. ", first)  # counted as a reader writes it
    assert len(pages) > 1 and all(f'href="{p.split("/")[1]}"' in first for p in pages[1:])
    assert any("Risk 432 zeppelin" in body(big, page) for page in pages)


def test_each_risk_has_its_own_page_with_its_details(big: RenderedPortal) -> None:
    pages = sorted((big.docs_dir / "risks").glob("risk-*.md"))
    assert len(pages) == RISKS
    text = body(big, "risks/risk-0432.md")
    assert "# RISK-0432 · Risk 432 zeppelin" in text
    assert re.search(r"\]\((index|page-\d+)\.md#risk-0432\)", text)  # back to its row
    assert "likelihood" in text and "owner: Platform lead" in text
    assert "**Mitigate:**" in text
    assert "(../decisions/0001.md)" in text  # its decision
    assert "cited by [Zephyr Telematics]" in text  # the vendor that names it
    closed = next(p for p in pages if "Closed" in p.read_text("utf-8"))
    assert "**Mitigate:**" in closed.read_text("utf-8")  # a closed risk keeps its body too


def test_every_link_to_a_risk_lands_on_its_page(big: RenderedPortal) -> None:
    register = body(big, "risks/index.md")
    heatmap = register.split("## Register", 1)[0]
    chips = [link for link in links(heatmap) if "risk-" in link]
    assert chips and all(link.startswith("risk-") and "#" not in link for link in chips)
    tables = {page: body(big, page) for page in _register_pages(big)}
    assert sum("(risk-0432.md){ #risk-0432 .pt-id }" in t for t in tables.values()) == 1
    others = {page: body(big, page) for page in ("index.md", "vendors/index.md",
                                                  "decisions/0001.md")}
    assert "(../risks/risk-0432.md)" in others["vendors/index.md"]
    assert "risks/risk-" in others["index.md"]  # the home page's top five
    assert "(../risks/risk-0432.md)" in others["decisions/0001.md"]  # its backlinks
    for page, text in [*tables.items(), *others.items()]:
        for link in links(text):
            if "risk-" in link and not link.startswith(("#", "http")):
                assert (big.docs_dir / landing(page, link)).is_file(), (page, link)
                assert "#risk-" not in link, (page, link)  # the page, not the register


def test_the_nav_and_the_heat_map_do_not_grow_with_the_register(big: RenderedPortal) -> None:
    config = yaml.safe_load(big.config_file.read_text("utf-8"))
    assert {"Risks": "risks/index.md"} in config["nav"]
    assert "risk-0432" not in str(config["nav"])
    assert "/risks/*.md" in config["not_in_nav"]
    register = body(big, "risks/index.md")
    phone = register.split('class="pt-phone-list"', 1)[1].split("</ol>", 1)[0]
    assert phone.count("<li>") == PHONE_LIST_LIMIT
    assert re.search(r'href="#register">and [\d,]+ more risks in the register', register)
    tips = re.findall(r"<title>Also here: ([^<]*)</title>", register)
    assert tips and max(len(tip) for tip in tips) < 300


def test_the_threshold_is_on_client_visible_risks() -> None:
    def register(n: int, internal: int = 0) -> list[Risk]:
        return [Risk(id=f"R-{i}", title=f"Risk {i}", likelihood=2, impact=2, status="open",
                     owner="CTO", internal=i < internal) for i in range(n)]

    assert not risks_view(register(REGISTER_LIMIT), TODAY).paged
    assert risks_view(register(REGISTER_LIMIT + 1), TODAY).paged
    assert not risks_view(register(REGISTER_LIMIT + 5, internal=5), TODAY).paged
