"""What the leak scan looks for: the client's phrases, and the single words distinctive of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
