"""What the leak scan looks for: the client's phrases, and the single words distinctive of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from portico.content.load import load_practice
from portico.protection.markers import client_words

REPO = Path(__file__).resolve().parents[2]
Write = Callable[..., Path]


def demo_words(slug: str) -> list[str]:
    [engagement] = [c for c in load_practice(REPO).clients if c.slug == slug]
    return client_words(engagement)


def test_the_demo_client_words_are_its_names_and_systems() -> None:
    words = demo_words("harborline")
    # the client's name, people's surnames, a given name no dictionary lists
    assert {"Harborline", "Okafor", "Lindqvist", "Raman", "Kowalski", "Priya"} <= set(words)
    # systems, vendors and places written in titles and headings
    assert {"Django", "PostgreSQL", "Entra", "Calder"} <= set(words)
    # English words, given names the dictionary lists, months, short words: none
    for common in ("Logistics", "Manifest", "Database", "Upgrade", "Systems", "Margaret",
                   "David", "Alex", "June", "AWS", "TMS", "SOC"):
        assert common not in words


def test_every_word_comes_from_a_name_or_a_title(practice: Write) -> None:
    root = practice({
        "clients/acme/client.yml": """\
            name: Quillon Freight & Co
            engagement: {start: 2026-03-02}
            contacts:
              - {name: Dana Reyes-Whitcombe, role: Head of Nebulon operations}
              - {name: Robert Baker}
            """,
        "clients/acme/roadmap.yml": """\
            items:
              - {id: R1, title: Replace Navision with NetSuite by FY2027, status: planned,
                 owner: "Sam Okonkwo (COO)", description: Zorbulax is named in a body only}
              - {id: R2, title: Shipping dashboards for 3PL partners, status: planned}
              - {id: R3, title: Exit the SAP contract, status: planned}
            """,
        "clients/acme/pages/x.md": "# Runbook\n\n## Failover to Rotterdam\n\n"
                                   "```\n# Kubernetix is code, not a heading\n```\n",
    })
    [engagement] = load_practice(root).clients
    # not: Freight, Dana (a listed given name), Baker (an English word), Nebulon (a role is no
    # name), Sam, COO, dashboards, 3PL, SAP (shorter than 4), Zorbulax (a body), Kubernetix (code)
    assert client_words(engagement) == sorted(
        ["Quillon", "Reyes", "Whitcombe", "Navision", "NetSuite", "FY2027", "Okonkwo",
         "Runbook", "Failover", "Rotterdam"], key=str.casefold)


def test_internal_items_give_words_too(practice: Write) -> None:
    root = practice({"clients/acme/risks.yml": """\
        risks:
          - {id: RISK-1, title: Exit from Navision slips, likelihood: 2, impact: 2,
             owner: CTO, status: open, internal: true}
        """})
    [engagement] = load_practice(root).clients
    assert "Navision" in client_words(engagement)


def test_a_word_of_the_public_text_is_no_marker(practice: Write) -> None:
    """The login shell and the theme's own files are public: their words say nothing."""
    root = practice({"clients/acme/roadmap.yml": """\
        items:
          - {id: R1, title: Quillon on Navision, status: planned}
        """})
    [engagement] = load_practice(root).clients
    assert client_words(engagement) == ["Navision", "Quillon"]
    assert client_words(engagement, public={"quillon"}) == ["Navision"]


def test_the_clients_text_taken_first_gives_the_same_markers_and_a_scan_reads_it_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build takes the client's text while the engine builds (markers.client_text); the
    scan then finds exactly what it finds alone, without reading the sources again."""
    from portico.protection import markers
    from portico.protection.leakscan import scan_portal

    for engagement in load_practice(REPO).clients:
        text = markers.client_text(engagement)
        assert markers.client_markers(engagement, text=text) == markers.client_markers(
            engagement)
        assert markers.client_words(engagement, text=text) == markers.client_words(engagement)
    [engagement] = [c for c in load_practice(REPO).clients if c.slug == "harborline"]
    portal = tmp_path / "portal"
    portal.mkdir()
    (portal / "leak.txt").write_text(f"{engagement.client.name} runs Django", "utf-8")
    alone = scan_portal(portal, engagement, "Northfield CTO Partners")
    text = markers.client_text(engagement)

    def read_again(*_args: object) -> None:
        raise AssertionError("the sources were read again")

    monkeypatch.setattr(markers, "_section_markers", read_again)
    monkeypatch.setattr(markers, "_section_documents", read_again)
    given = scan_portal(portal, engagement, "Northfield CTO Partners", text=text)
    assert given == alone
    assert {leak.marker for leak in given} >= {engagement.client.name, "Django"}
    with pytest.raises(AssertionError, match="read again"):
        scan_portal(portal, engagement, "Northfield CTO Partners")
