"""A partial rebuild of a client whose register is paged (a page per risk past 40): edits to
a note and to one risk rebuild only what they touch, and the portal decrypts to exactly
what a full build of the same sources gives (issue 22, item 2, at the size it is for)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from click.testing import CliRunner
from decrypted_portal import decrypted
from rendered_pages import sentence, write_bigco

from portico.cli import main
from portico.content.parsed import MIN_BYTES, PARSED_DIR
from portico.delivery.kept import KEPT_DIR
from portico.protection.readers import add_reader
from portico.sections.base import REGISTER_LIMIT

PASSPHRASE = "paged-register-partial-rebuild"
RISKS = REGISTER_LIMIT + 20


def _practice(root: Path) -> Path:
    folder = write_bigco(root, "Page the register")
    rng = random.Random(7)
    lines = ["risks:"]
    for i in range(1, RISKS + 1):
        lines += [f"  - id: RISK-{i:03d}", f"    title: Risk {i} {sentence(rng, 4)}",
                  f"    description: {sentence(rng, 10)}",
                  f"    likelihood: {rng.randint(1, 5)}", f"    impact: {rng.randint(1, 5)}",
                  "    owner: Platform lead", "    response: mitigate",
                  f"    mitigation: {sentence(rng, 8)}", "    status: open",
                  "    review: 2026-05-01", '    decisions: ["0001"]']
    (folder / "risks.yml").write_text("\n".join(lines) + "\n", "utf-8")
    (folder / "notes").mkdir()
    (folder / "notes" / "2026-05-04-weekly.md").write_text(
        "# Weekly status\n\nThe register review went well. See [RISK-007](../risks.yml#RISK-007).\n",
        "utf-8")
    add_reader(folder / "readers.yml", "ceo", "Chief executive", PASSPHRASE)
    return folder


def _build(root: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["--root", str(root), "build", "bigco", *args])
    assert result.exit_code == 0, result.output


def test_edits_to_a_paged_client_rebuild_partly_and_equal_a_full_build(tmp_path: Path) -> None:
    root = tmp_path / "partly"
    folder = _practice(root)
    _build(root)
    kept = root / KEPT_DIR / "bigco" / "site"
    untouched = kept / "risks" / "risk-031" / "index.html"
    assert untouched.is_file()  # the register is paged: each risk has its own page
    before = untouched.stat().st_mtime_ns
    # The register is large enough to be read from its kept parse after the note's edit.
    assert (folder / "risks.yml").stat().st_size >= MIN_BYTES
    assert list((root / PARSED_DIR / "bigco").glob("*.pickle"))
    note = folder / "notes" / "2026-05-04-weekly.md"
    note.write_text(note.read_text("utf-8") + "\nA sentence added after the build.\n", "utf-8")
    _build(root)
    risks = folder / "risks.yml"
    risks.write_text(risks.read_text("utf-8").replace("title: Risk 7 ", "title: Risk 7 zeppelin "),
                     "utf-8")
    _build(root)
    assert untouched.stat().st_mtime_ns == before  # neither edit reached it: left alone
    assert b"zeppelin" in (kept / "risks" / "risk-007" / "index.html").read_bytes()

    whole = tmp_path / "whole"
    whole.mkdir()
    for name in ("clients", "content", "theme", "mkdocs.yml"):
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, whole / name)
    _build(whole, "--force")
    partly = decrypted(root / "site" / "bigco", PASSPHRASE)
    full = decrypted(whole / "site" / "bigco", PASSPHRASE)
    assert sorted(partly) == sorted(full)
    assert [path for path in full if partly[path] != full[path]] == []
    assert b"A sentence added after the build" in partly["search/search_index.json"]


def test_every_nav_entry_names_its_page() -> None:
    """A partial build reads only the changed pages' sources, so a page's title must come
    from the nav: a bare entry would leave its neighbours' footers reading "Previous: None".
    The golden configs are every demo portal's, as render writes them."""
    import yaml

    def bare(entries: list[object]) -> list[object]:
        found: list[object] = []
        for entry in entries:
            if not isinstance(entry, dict):
                found.append(entry)
                continue
            found += [bare(v) for v in entry.values() if isinstance(v, list)]
        return [f for f in found if f != []]

    golden = Path(__file__).resolve().parents[1] / "golden"
    configs = sorted(golden.glob("*/mkdocs.yml"))
    assert len(configs) >= 4
    for config in configs:
        assert bare(yaml.safe_load(config.read_text("utf-8"))["nav"]) == [], config.parent.name
