"""A large register's pages per risk, and the pages of the notes, are written by forked
children, each a run of them, while the rest of the portal renders (PageWriter.aside): the docs tree is byte for byte the
one a render in one process writes. A child whose pages copy a client file gives them back
to the parent, which alone numbers the files, and writes them again (so the tree is the
same whichever process wrote them; with several files their numbers follow the parent's
order)."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest
from rendered_pages import sentence, write_bigco

from portico.content.load import load_portal_inputs
from portico.portal import aside_pages
from portico.portal.aside_pages import ASIDE_PROCESSES, PagesAside
from portico.portal.render import RenderedPortal, render_portal
from portico.sections.base import REGISTER_LIMIT

TODAY = dt.date(2026, 6, 15)


def _client(root: Path, *, linking: tuple[int, ...]) -> None:
    folder = write_bigco(root, "Page the register")
    (folder / "files").mkdir()
    (folder / "files" / "runbook.txt").write_text("Restart the carrier bridge.\n", "utf-8")
    (folder / "notes").mkdir()
    (folder / "notes" / "2026-05-04-weekly.md").write_text(
        "# Weekly\n\nSee [RISK-007](../risks.yml#RISK-007) and "
        "[the runbook](../files/runbook.txt).\n", "utf-8")
    rng = random.Random(3)
    lines = ["risks:"]
    for i in range(1, REGISTER_LIMIT + 25):
        description = sentence(rng, 8)
        if i in linking:
            description += " The [runbook](files/runbook.txt) says how."
        lines += [f"  - id: RISK-{i:03d}", f"    title: Risk {i} {sentence(rng, 3)}",
                  f"    description: {description}", f"    likelihood: {rng.randint(1, 5)}",
                  f"    impact: {rng.randint(1, 5)}", "    owner: Platform lead",
                  "    response: mitigate", f"    mitigation: {sentence(rng, 6)}",
                  "    status: open", "    review: 2026-05-01", '    decisions: ["0001"]']
    (folder / "risks.yml").write_text("\n".join(lines) + "\n", "utf-8")


def _tree(rendered: RenderedPortal) -> dict[str, bytes]:
    docs = rendered.docs_dir
    return {p.relative_to(docs).as_posix(): p.read_bytes()
            for p in sorted(docs.rglob("*")) if p.is_file()}


def _render(root: Path, out: str) -> RenderedPortal:
    practice = load_portal_inputs(root, "bigco")
    return render_portal(practice.clients[0], practice, root / out, today=TODAY)


@pytest.mark.parametrize("linking", [(), (12,), (12, REGISTER_LIMIT + 20)],
                         ids=["no file", "a risk links a file", "a risk in each run does"])
def test_pages_written_aside_are_the_pages_one_process_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, linking: tuple[int, ...]) -> None:
    _client(tmp_path, linking=linking)
    children: list[int] = []
    take = PagesAside.take

    def counted(self: PagesAside) -> None:
        children.extend(self.pids)
        take(self)

    monkeypatch.setattr(PagesAside, "take", counted)
    monkeypatch.setattr(aside_pages, "ASIDE_FROM", 1)
    split = _render(tmp_path, "split")
    # the risk and note pages were handed to forked children, one per share
    assert len(children) == ASIDE_PROCESSES and all(children)
    monkeypatch.setattr(aside_pages, "ASIDE_FROM", REGISTER_LIMIT * 10)
    whole = _render(tmp_path, "whole")  # too few pages for children: written here
    assert len(children) == ASIDE_PROCESSES
    assert _tree(split) == _tree(whole)
    assert (split.pages, split.files, split.changed) == (whole.pages, whole.files, whole.changed)
    assert split.origins == whole.origins
    for number in (12, REGISTER_LIMIT + 20):
        risk = _tree(split)[f"risks/risk-{number:03d}.md"].decode()
        assert ("files/" in risk) is (number in linking)
    assert os.getpid() not in children
