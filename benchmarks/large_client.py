"""One very large client, `bigco`: thousands of risks, hundreds of decisions, notes and
roadmap items, and optionally some attachments of random bytes (issue 22).

Shared by tests/delivery/test_scale.py (500 risks, 300 decisions, 200 notes, 50 MB of
attachments) and benchmarks/bench_scale.py (2,000 risks, 300 decisions, 500 notes, 200
roadmap items). The text is short sentences of a 25-word vocabulary, seeded, so the same
counts give the same files on every run; one risk's title carries NEEDLE, a word no other
item has, for the search to find. Only the reader's salt is random (add_reader draws it).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from portico.protection.readers import add_reader

SLUG = "bigco"
PASSPHRASE = "quartz-meadow-signal-cedar-ember-drift"  # the demo reader of lumen-health
NEEDLE = "zeppelin"  # one risk's unique word, to search for
NEEDLE_RISK = 432  # the risk that carries it (the last one in a smaller register)
START = dt.date(2026, 1, 5)  # the engagement's start; notes run a day apart from it
STATUSES = ["open", "open", "monitoring", "closed"]
ITEM_STATUSES = ["done", "done", "in-progress", "at-risk", "blocked", "planned", "planned",
                 "dropped"]
WORKSTREAMS = ["Platform", "Data", "Security", "Team"]
WORDS = ["billing", "carrier", "warehouse", "vendor", "platform", "database", "upgrade",
         "contract", "audit", "backlog", "release", "incident", "customer", "invoice",
         "pipeline", "security", "hiring", "budget", "migration", "report", "integration",
         "forecast", "roadmap", "network", "backup"]


@dataclass(frozen=True)
class LargeClient:
    """What write_large_client wrote: where the search word is, and the attachments' size."""

    folder: Path
    needle_risk: str  # the id of the risk whose title holds NEEDLE, e.g. "RISK-432"
    attachment_bytes: int


def _sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_large_client(root: Path, *, risks: int = 2000, decisions: int = 300,
                       notes: int = 500, roadmap: int = 200, attachments: int = 0,
                       attachment_bytes: int = 5 * 1024 * 1024, seed: int = 7,
                       passphrase: str = PASSPHRASE) -> LargeClient:
    """Write clients/bigco/ under `root` (a practice with mkdocs.yml, content/ and theme/).

    Notes are dated a day apart from START, so any number of them has valid dates; with
    `roadmap` 0 there is no roadmap.yml. The reader `demo` opens it with `passphrase`.
    """
    rng = random.Random(seed)
    folder = root / "clients" / SLUG
    for name in ("decisions", "notes", "pages", "files"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / "client.yml").write_text(
        "name: Bigco Holdings\nengagement:\n  start: 2026-01-05\n  phase: execution\n"
        "  summary: A very large engagement, generated for the scale test.\n", "utf-8")
    # A salt of its own: a copied readers.yml fails check.
    add_reader(folder / "readers.yml", "demo", "Scale test reader", passphrase)
    needle = min(NEEDLE_RISK, risks)
    lines = ["risks:"]
    for i in range(1, risks + 1):
        title = f"Risk {i} {NEEDLE if i == needle else ''} {_sentence(rng, 5)}"
        lines += [f"  - id: RISK-{i:03d}", f"    title: {' '.join(title.split())}",
                  f"    description: {_sentence(rng)} {_sentence(rng)}",
                  f"    likelihood: {rng.randint(1, 5)}", f"    impact: {rng.randint(1, 5)}",
                  f"    residual_likelihood: {rng.randint(1, 5)}",
                  f"    residual_impact: {rng.randint(1, 5)}",
                  "    owner: Platform lead", f"    mitigation: {_sentence(rng)}",
                  f"    status: {'open' if i == needle else rng.choice(STATUSES)}",
                  "    review: 2099-01-01", f'    decisions: ["{rng.randint(1, decisions):04d}"]']
    (folder / "risks.yml").write_text("\n".join(lines) + "\n", "utf-8")
    for i in range(1, decisions + 1):
        (folder / "decisions" / f"{i:04d}-decision-{i}.md").write_text(
            f"---\nstatus: accepted\ndate: 2026-02-{1 + i % 28:02d}\n"
            f"decision-makers: [CTO, CEO]\n---\n# Decision {i} {_sentence(rng, 4)}\n\n"
            f"## Context\n\n{_sentence(rng)} {_sentence(rng)}\n\n## Decision\n\n"
            f"{_sentence(rng)}\n", "utf-8")
    for i in range(notes):
        day = START + dt.timedelta(days=i)
        (folder / "notes" / f"{day.isoformat()}-note-{i}.md").write_text(
            f"---\nkind: meeting\n---\n# Note {i} {_sentence(rng, 4)}\n\n{_sentence(rng)}\n\n"
            f"- {_sentence(rng)}\n- {_sentence(rng)}\n", "utf-8")
    if roadmap:
        _write_roadmap(folder, rng, roadmap, decisions)
    links = []
    for i in range(attachments):
        name = f"export-{i}.bin"
        (folder / "files" / name).write_bytes(rng.randbytes(attachment_bytes))
        links.append(f"- [Export {i}](../files/{name})")
    if links:
        (folder / "pages" / "attachments.md").write_text(
            "# Attachments\n\n" + "\n".join(links) + "\n", "utf-8")
    return LargeClient(folder, f"RISK-{needle:03d}", attachments * attachment_bytes)


def _write_roadmap(folder: Path, rng: random.Random, count: int, decisions: int) -> None:
    """roadmap.yml: `count` dated items over four workstreams, a week apart, some depending
    on an earlier item, every tenth linked to a decision."""
    lines = ["workstreams: [" + ", ".join(WORKSTREAMS) + "]", "items:"]
    for i in range(1, count + 1):
        start = START + dt.timedelta(days=7 * (i % 104))
        end = start + dt.timedelta(days=7 * rng.randint(2, 20))
        lines += [f"  - id: R{i}", f"    title: Item {i} {_sentence(rng, 4)}",
                  f"    workstream: {WORKSTREAMS[i % len(WORKSTREAMS)]}",
                  f"    start: {start.isoformat()}", f"    end: {end.isoformat()}",
                  f"    status: {ITEM_STATUSES[i % len(ITEM_STATUSES)]}",
                  "    owner: Platform lead", f"    description: {_sentence(rng)}"]
        if i > 1 and i % 3 == 0:
            lines.append(f"    depends_on: [R{rng.randint(1, i - 1)}]")
        if i % 10 == 0 and decisions:
            lines.append(f'    decisions: ["{rng.randint(1, decisions):04d}"]')
    (folder / "roadmap.yml").write_text("\n".join(lines) + "\n", "utf-8")
