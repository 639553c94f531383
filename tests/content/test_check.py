"""`portico check`: cross-references, links and internal items, each with its file and line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from portico.content.check import check_practice
from portico.content.load import load_practice
from portico.sections.roadmap import roadmap_of

REPO = Path(__file__).resolve().parents[2]
Write = Callable[..., Path]

TODAY = dt.date(2026, 11, 25)


def problems(root: Path) -> list[str]:
    return [str(p) for p in check_practice(load_practice(root), today=TODAY)]


ROADMAP = """\
items:
  - id: R1
    title: Move billing to managed Postgres
    status: planned
    start: 2026-Q3
    end: 2026-Q2
    depends_on: [R9]
    decisions: ["0007"]
  - id: R1
    title: Duplicate
    status: done
"""


def test_demo_passes_check() -> None:
    errors = [p for p in check_practice(load_practice(REPO), today=TODAY) if p.severity == "error"]
    assert errors == []


def test_roadmap_references_ids_and_dates(practice: Write) -> None:
    found = problems(practice({"clients/acme/roadmap.yml": ROADMAP}))
    assert "clients/acme/roadmap.yml:6: end 2026-Q2 is before start 2026-Q3" in found
    assert "clients/acme/roadmap.yml:7: depends_on R9: no roadmap item has this id" in found
    assert "clients/acme/roadmap.yml:8: decision 0007 does not exist" in found
    assert "clients/acme/roadmap.yml:9: duplicate roadmap id R1" in found


def test_risk_references_and_warnings(practice: Write) -> None:
    root = practice({"clients/acme/risks.yml": """\
        risks:
          - id: RISK-001
            title: Billing depends on one engineer
            likelihood: 4
            impact: 5
            owner: CTO
            status: open
            review: 2026-10-01
            decisions: [3]
          - id: RISK-001
            title: Duplicate id
            likelihood: 1
            impact: 1
            status: monitoring
        """})
    found = problems(root)
    assert "clients/acme/risks.yml:9: decision 0003 does not exist" in found
    assert "clients/acme/risks.yml:10: duplicate risk id RISK-001" in found
    assert "clients/acme/risks.yml:10: RISK-001: owner is required unless status is closed" in found
    assert "clients/acme/risks.yml:8: warning: RISK-001: review date 2026-10-01 is in the past" in found
    assert "clients/acme/risks.yml:2: warning: RISK-001: open risk scores 20 (critical) and has " \
           "no mitigation" in found


def test_supersession_must_point_at_a_decision(practice: Write) -> None:
    root = practice({"clients/acme/decisions/0002-x.md": "---\nstatus: accepted\nsupersedes: \"0001\"\n---\n# X\n"})
    assert "clients/acme/decisions/0002-x.md:2: supersession refers to decision 0001, which does " \
           "not exist" in problems(root)


def test_links_missing_other_client_outside_and_internal(practice: Write) -> None:
    root = practice({
        "clients/acme/pages/a.md": """\
            # A

            See [the plan](missing.md) and [beta](../../beta/client.yml).
            And [passwd](../../../../etc/passwd).
            Secret: [restructuring](../notes/2026-05-01-restructure.md)
            """,
        "clients/acme/notes/2026-05-01-restructure.md": "---\ninternal: true\n---\n# Restructure\n",
        "clients/beta/client.yml": "name: Beta\nengagement:\n  start: 2026-01-01\n",
    })
    found = problems(root)
    assert "clients/acme/pages/a.md:3: link missing.md: no such file" in found
    assert "clients/acme/pages/a.md:3: link ../../beta/client.yml points into another client's folder" in found
    assert "clients/acme/pages/a.md:4: link ../../../../etc/passwd points outside the client's folder" in found
    assert "clients/acme/pages/a.md:5: link ../notes/2026-05-01-restructure.md points to an internal " \
           "item (Restructure)" in found


def test_visible_item_may_not_reference_internal_decision(practice: Write) -> None:
    root = practice({
        "clients/acme/decisions/0001-x.md": "---\ninternal: true\n---\n# Layoffs\n",
        "clients/acme/risks.yml": "risks:\n  - id: K1\n    title: Key person\n    likelihood: 1\n"
                                  "    impact: 1\n    owner: CTO\n    status: open\n"
                                  "    decisions: [\"0001\"]\n",
    })
    assert "clients/acme/risks.yml:8: decision 0001 is internal; a client-visible item cannot " \
           "refer to it" in problems(root)


def test_remote_image_is_a_warning(practice: Write) -> None:
    root = practice({"clients/acme/pages/a.md": "# A\n\n![chart](https://example.com/c.png)\n"})
    [warning] = problems(root)
    assert warning.startswith("clients/acme/pages/a.md:3: warning: remote image")


def test_link_to_a_yaml_source_is_refused(practice: Write) -> None:
    root = practice({"clients/acme/pages/a.md": "# A\n\nSee [the client file](../client.yml)."
                                                "\n\nAnd [the register](../risks.yml).\n",
                     "clients/acme/risks.yml": "risks: []\n"})
    found = problems(root)
    assert "clients/acme/pages/a.md:3: link ../client.yml: the portal never publishes this YAML " \
           "file; a link may name a section's file (actions.yml, kpis.yml, meetings.yml, opportunities.yml, risks.yml, " \
           "roadmap.yml, time.csv, vendors.yml), optionally with #ID, and lands on its page" in found
    # A section's file is a link to its page, but an empty register has no page to land on.
    assert "clients/acme/pages/a.md:5: link ../risks.yml: the portal has no Risks page " \
           "(nothing in risks.yml is shown to the client)" in found


def test_unquoted_decision_number_keeps_its_digits(practice: Write) -> None:
    root = practice({
        "clients/acme/decisions/0010-x.md": "---\nstatus: accepted\n---\n# Ten\n",
        "clients/acme/roadmap.yml": "items:\n  - id: R1\n    title: t\n    status: done\n"
                                    "    decisions: [0010]\n",
    })
    item = roadmap_of(load_practice(root).clients[0]).items[0]  # type: ignore[union-attr]
    assert item.decisions == ["0010"]
    assert [p for p in problems(root) if "decision" in p] == []


CSP = "(its Content-Security-Policy allows no script from content); remove it"
EMBED = ("(its Content-Security-Policy allows no frame, object or embed from content); link "
         "to what it shows instead")
SVG = "will not run in the portal, which shows an SVG opened on its own sandboxed, scripts off"


def test_active_html_in_markdown_warns_at_its_line(practice: Write) -> None:
    root = practice({"clients/acme/pages/x.md": """\
        ---
        title: X
        ---
        Intro with <img src="data:," onerror="steal()"> inline.

        <script>alert(1)</script>
        <div>
          <iframe src="https://example.com"></iframe>
          <embed src="a.swf"><object data="b.swf"></object>
        </div>
        """})
    found = problems(root)
    assert found == [
        f"clients/acme/pages/x.md:4: warning: onerror= event handler on <img> will not run in "
        f"the portal {CSP}",
        f"clients/acme/pages/x.md:6: warning: raw <script> will not run in the portal {CSP}",
        f"clients/acme/pages/x.md:8: warning: <iframe> will not run in the portal {EMBED}",
        f"clients/acme/pages/x.md:9: warning: <embed> will not run in the portal {EMBED}",
        f"clients/acme/pages/x.md:9: warning: <object> will not run in the portal {EMBED}",
    ]


def test_script_shown_as_code_gives_no_warning(practice: Write) -> None:
    root = practice({"clients/acme/decisions/0001-x.md": """\
        ---
        status: accepted  # a decision without one is a warning of its own
        ---
        # Embed the widget

        Paste `<script src="w.js"></script>` or ``<iframe onload="x">`` as shown:

        ```html
        <script src="w.js"></script>
        <button onclick="go()">Go</button>
        ```

        ~~~
        <iframe src="x"></iframe>
        ~~~

            <object data="indented.swf"></object>

        !!! example

            ```html
            <script>inside an admonition, fenced</script>
            ```
        """})
    assert problems(root) == []


def test_internal_pages_are_not_warned_about(practice: Write) -> None:
    """They never reach the portal, so nothing in them runs or fails to run there."""
    root = practice({"clients/acme/notes/2026-05-01-x.md":
                     "---\ninternal: true\n---\n# X\n\n<script>x()</script>\n"})
    assert problems(root) == []


def test_active_svg_warns_at_its_line(practice: Write) -> None:
    root = practice({
        "clients/acme/files/chart.svg": """\
            <svg xmlns="http://www.w3.org/2000/svg"
                 xmlns:xlink="http://www.w3.org/1999/xlink">
              <svg:script xmlns:svg="http://www.w3.org/2000/svg">x()</svg:script>
              <a xlink:href="javascript:x()"><rect onclick="x()"/></a>
            </svg>
            """,
        "clients/acme/decisions/0001-x.svg": "<svg><foreignObject/></svg>",
        "clients/acme/files/ok.svg": '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
        "clients/acme/files/cut.svg": "<svg><rect>",
    })
    assert problems(root) == [
        f"clients/acme/decisions/0001-x.svg:1: warning: SVG with <foreignObject> {SVG}",
        "clients/acme/files/chart.svg:3: warning: SVG with <script> " + SVG,
        "clients/acme/files/chart.svg:4: warning: SVG with a javascript: link " + SVG,
        "clients/acme/files/chart.svg:4: warning: SVG with an onclick= event handler " + SVG,
        "clients/acme/files/cut.svg:1: warning: SVG is not well-formed XML (no element found): "
        "browsers will not show it; export it again",
    ]


def test_an_svg_entity_bomb_is_not_expanded(practice: Write) -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 12))
    root = practice({"clients/acme/files/bomb.svg":
                     f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY l0 "lol">{lol}]>\n'
                     "<svg>&l11;</svg>\n"})
    assert problems(root) == [
        "clients/acme/files/bomb.svg:2: warning: SVG declares XML entities, which this check "
        "does not expand (a parsing hazard); export it again without a <!DOCTYPE>"]


def test_active_content_warnings_do_not_fail_check(practice: Write) -> None:
    from click.testing import CliRunner

    from portico.cli import main

    root = practice({"clients/acme/pages/x.md": "# X\n\n<script>x()</script>\n"})
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert result.exit_code == 0, result.output
    assert "clients/acme/pages/x.md:3: warning: raw <script> will not run" in result.output
    assert CliRunner().invoke(main, ["--root", str(root), "check", "--strict"]).exit_code == 1


def test_a_logo_invisible_on_the_header_warns_at_its_line(practice: Write) -> None:
    root = practice({"clients/acme/files/logo.svg":
                     '<svg xmlns="http://www.w3.org/2000/svg"><circle fill="#123456"/></svg>'})
    client = root / "clients/acme/client.yml"
    client.write_text(client.read_text() + 'branding:\n  logo: files/logo.svg\n'
                      '  primary_color: "#123456"\n')
    line = client.read_text().splitlines().index("  logo: files/logo.svg") + 1
    assert (f"clients/acme/client.yml:{line}: warning: logo files/logo.svg has contrast 1.0:1 "
            "with the header colour #123456 (under 3:1); the portal shows it on a light plate"
            in problems(root))


def test_a_link_whose_text_wraps_onto_the_next_line_is_checked_and_rewritten(
        practice: Write, tmp_path: Path) -> None:
    """A YAML paragraph wraps wherever the line ends, link text included: `check` must see
    the link (it passed before while the engine refused the portal) and render rewrite it."""
    root = practice({
        "clients/acme/risks.yml": """\
            risks:
              - id: RISK-001
                title: Carrier feeds go quiet
                likelihood: 3
                impact: 4
                owner: CTO
                status: open
                mitigation: |
                  The new [integration
                  service](roadmap.yml#R9) will alert.
            """,
        "clients/acme/roadmap.yml": "items:\n  - {id: R5, title: Service, status: planned}\n",
    })
    assert "clients/acme/risks.yml:8: link roadmap.yml#R9: no R9 in roadmap.yml (ids: R5)" in \
        problems(root)


def test_a_forgotten_phrase_in_a_large_attachment_is_found_at_its_line(practice: Write) -> None:
    """Attachments are read in windows (content.windows): a phrase across a window's edge is
    found once, at its line; a large binary file is read to its first window only."""
    line = b"lorem ipsum dolor sit amet\n"
    text = bytearray(line * (3 * 2**20 // len(line)))
    at = 2**20 - 5  # across the second window's start
    text[at:at + 14] = b" Sam Kowalski "
    binary = bytes(range(256)) * (2 * 2**20 // 256)
    root = practice({"clients/acme/client.yml": "name: Acme Logistics\nengagement:\n"
                     "  start: 2026-03-02\nforget:\n  phrases:\n    - Sam Kowalski\n",
                     "clients/acme/files/export.csv": bytes(text),
                     "clients/acme/files/archive.bin": binary + b" Sam Kowalski "})
    found = [p for p in problems(root) if "forgotten" in p]
    expected = bytes(text[:at]).count(b"\n") + 1
    assert found == [f"clients/acme/files/export.csv:{expected}: 'Sam Kowalski' is forgotten "
                     "(client.yml forget: phrases) but still written here: remove it here "
                     "too, or the portal would show it"]
