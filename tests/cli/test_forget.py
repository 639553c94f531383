"""Deleted means deleted (issue 17, item 6), as the CTO meets it: `portico build`, `verify`
and `check` on a dated git history, the built portal read back decrypted.

The history is Harborline's four dated commits (tests/dated_history.py), then:

- 2026-11-28: RISK-002 is written about the Trenton warehouse (its title a small edit of
  today's, or another item's title under its id), and the Q4 pack (meeting 2026-11-30)
  reads this commit;
- 2026-12-01: today's wording comes back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from dated_history import build_history_repo, git

from portico.cli import main
from portico.protection.envelope import open_envelope, open_file, seal_file

SLUG = "harborline"
PASSPHRASE = "anchor-tidal-lantern-velvet-orbit-maple"  # the demo reader's
RISK_002 = "Carrier integrations depend on one engineer"
RISK_001 = "Manifest runs on end-of-life software"
REWORDED_001 = "Our operations system's platform is past vendor support"
CLOSURE = "Trenton warehouse closure with 40 Ops layoffs"
Q4_PACK = "board/2026-11-30/index.html"


def run(root: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args], input=stdin)
    return result.exit_code, result.output


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _history(root: Path, *, then: dict[str, str], now: dict[str, str],
             forget: str = "") -> Path:
    """The dated history, with `then` (old → new text in risks.yml) committed on 2026-11-28
    and undone, `now` applied, on 2026-12-01; `forget` is appended to client.yml then."""
    build_history_repo(root)
    risks = root / "clients" / SLUG / "risks.yml"
    today = risks.read_text(encoding="utf-8")
    for old, new in then.items():
        _replace(risks, old, new)
    git(root, "commit", "-q", "-am", "the Trenton wording", when="2026-11-28T10:00:00+00:00")
    risks.write_text(today, encoding="utf-8")
    for old, new in now.items():
        _replace(risks, old, new)
    if forget:
        client = root / "clients" / SLUG / "client.yml"
        client.write_text(client.read_text(encoding="utf-8") + forget, encoding="utf-8")
    git(root, "commit", "-q", "-am", "today's wording", when="2026-12-01T10:00:00+00:00")
    return root


def _build(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("PORTICO_CHROMIUM", str(root / "no-chromium"))  # PDFs: see below
    return run(root, "build", SLUG, "--force")


def _decrypted(site: Path) -> dict[str, str]:
    """Every protected file of the built portal, decrypted as a reader's browser would."""
    envelope = json.loads((site / "_portico" / "envelope.json").read_text())
    key = open_envelope(envelope, PASSPHRASE)
    manifest = json.loads(open_file(key, envelope["manifest"],
                                    (site / envelope["manifest"]).read_bytes()))
    return {path: open_file(key, path, (site / entry["blob"]).read_bytes()).decode(
        "utf-8", "replace") for path, entry in manifest["files"].items()}


def _holding(pages: dict[str, str], text: str) -> list[str]:
    return sorted(path for path, page in pages.items() if text.casefold() in page.casefold())


def _plant(site: Path, path: str, text: str) -> None:
    """Put `text` into one decrypted page and seal it again under the portal's own key:
    what a build that let a forgotten phrase through would have published."""
    envelope = json.loads((site / "_portico" / "envelope.json").read_text())
    key = open_envelope(envelope, PASSPHRASE)
    manifest = json.loads(open_file(key, envelope["manifest"],
                                    (site / envelope["manifest"]).read_bytes()))
    blob = site / manifest["files"][path]["blob"]
    page = open_file(key, path, blob.read_bytes()).decode("utf-8")
    page = page.replace("</article>", f"<p>{text}</p></article>", 1)
    blob.write_bytes(seal_file(key, path, page.encode("utf-8")))


def _verify(root: Path) -> tuple[int, str]:
    return run(root, "verify", str(root / "site" / SLUG), "--passphrase-stdin",
               stdin=PASSPHRASE + "\n")


def test_a_reused_id_and_a_reworded_title_are_not_in_the_built_portal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Q4 pack reads the commit where RISK-002 was the Trenton closure and RISK-001 had
    its old title. Today RISK-002 is another risk and RISK-001 is reworded: neither old
    wording is in any decrypted page, pack or search entry."""
    root = _history(tmp_path / "practice", then={f"title: {RISK_002}": f"title: {CLOSURE}"},
                    now={f"title: {RISK_001}": f"title: {REWORDED_001}"})
    code, out = _build(root, monkeypatch)
    assert code == 0, out
    pages = _decrypted(root / "site" / SLUG)
    assert Q4_PACK in pages and "search/search_index.json" in pages
    assert "RISK-004" in pages[Q4_PACK]  # the pack and its risks are there
    assert "RISK-002" not in pages[Q4_PACK] and "RISK-001" not in pages[Q4_PACK]
    assert _holding(pages, "Trenton") == []
    assert _holding(pages, RISK_001) == []
    code, out = _verify(root)
    assert code == 0, out


def test_a_forgotten_phrase_is_not_in_the_portal_and_verify_fails_if_it_returns(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A small edit keeps an item's history ("as it stood" keeps old wording); forgetting
    the phrase drops that past, and a decrypted page holding it again fails verify."""
    root = _history(tmp_path / "practice",
                    then={f"title: {RISK_002}": f"title: {RISK_002} at Trenton"}, now={},
                    forget="forget:\n  phrases:\n    - trenton\n")
    code, out = _build(root, monkeypatch)
    assert code == 0, out
    site = root / "site" / SLUG
    assert _holding(_decrypted(site), "Trenton") == []
    code, out = _verify(root)
    assert code == 0, out

    _plant(site, Q4_PACK, "The Trenton site closes in March.")
    code, out = _verify(root)
    assert code == 1
    assert f"{Q4_PACK}: decrypted, it holds 'trenton'" in out and "forget" in out, out
    assert "Traceback" not in out


def test_without_forget_the_small_edit_keeps_its_old_wording(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same history without `forget:`: the old spelling stays in the old pack, as
    docs/content-model.md says ("What 'as it stood' keeps")."""
    root = _history(tmp_path / "practice",
                    then={f"title: {RISK_002}": f"title: {RISK_002} at Trenton"}, now={})
    code, out = _build(root, monkeypatch)
    assert code == 0, out
    assert Q4_PACK in _holding(_decrypted(root / "site" / SLUG), "Trenton")


def test_a_forgotten_id_takes_its_past_and_its_old_title_is_refused_by_verify(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forgetting RISK-002 drops it from every past state; the title it had then is looked
    for in the decrypted portal too. An unknown forgotten id is fine."""
    old_title = f"{RISK_002} at the Trenton depot"
    root = _history(tmp_path / "practice", then={f"title: {RISK_002}": f"title: {old_title}"},
                    now={}, forget="forget:\n  ids: [RISK-002, RISK-999]\n")
    code, out = _build(root, monkeypatch)
    assert code == 0, out
    site = root / "site" / SLUG
    pages = _decrypted(site)
    assert _holding(pages, "Trenton") == []
    assert RISK_002 in pages["risks/index.html"]  # today's RISK-002 shows, with no past
    assert "RISK-002" not in pages[Q4_PACK]
    _plant(site, Q4_PACK, old_title)
    code, out = _verify(root)
    assert code == 1 and f"holds {old_title!r}" in out, out


def test_a_forgotten_phrase_still_in_todays_files_is_a_check_error_at_its_line(
        tmp_path: Path) -> None:
    root = build_history_repo(tmp_path / "practice")
    client = root / "clients" / SLUG / "client.yml"
    client.write_text(client.read_text(encoding="utf-8") + "forget:\n  ids: [RISK-999]\n"
                      "  phrases:\n    - Sam Kowalski\n", encoding="utf-8")
    code, out = run(root, "check")
    assert code == 1
    risks = (root / "clients" / SLUG / "risks.yml").read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(risks.splitlines(), 1) if "Sam Kowalski" in text)
    assert (f"clients/{SLUG}/risks.yml:{line}: 'Sam Kowalski' is forgotten (client.yml "
            "forget: phrases) but still written here") in out, out
    assert not [line for line in out.splitlines()  # the forget: list itself is no error
                if line.startswith(f"clients/{SLUG}/client.yml") and "forgotten" in line]
    assert "RISK-999" not in out  # forgetting what is already deleted is fine
    assert "Traceback" not in out
