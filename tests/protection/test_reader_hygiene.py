"""readers.yml hygiene: no reader entry shared between two portals, or twice in one."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main
from portico.delivery.cache import client_key
from portico.protection.reader_hygiene import check_reader_copies, reader_copies
from portico.protection.readers import add_reader, load_readers

COPIED = ("a copied readers.yml lets one passphrase open both portals; remove the reader and "
          "add it again with `portico reader add`")
PASSPHRASE = "mauve tractor sings under 41 brittle moons"
REPO_PRACTICE = Path(__file__).resolve().parents[2] / "practice"
EFF_WORDS = "vocal-coil-rope-film-gear-skirt"  # six words of the EFF list, as `reader add` makes


@pytest.fixture
def demo(tmp_path: Path, copy_demo: Callable[[Path], Path]) -> Path:
    """A copy of the demo practice (harborline and lumen-health, one reader `demo` each)."""
    return copy_demo(tmp_path / "repo")


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def errors(out: str) -> list[str]:
    return [line for line in out.splitlines()
            if line.startswith("clients/") and ": warning: " not in line]


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    hits = [n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in text]
    return hits[occurrence - 1]


def test_the_demo_clients_share_no_reader(demo: Path) -> None:
    code, out = run(demo, "check")
    assert code == 0, out
    assert check_reader_copies(demo, "harborline") == []


def test_a_readers_yml_copied_to_another_client_fails_check_in_both(demo: Path) -> None:
    shutil.copyfile(demo / "clients/harborline/readers.yml",
                    demo / "clients/lumen-health/readers.yml")
    line = line_of(demo / "clients/harborline/readers.yml", "salt:")
    code, out = run(demo, "check")
    assert code == 1
    # Harborline's other readers (its views') are copied too and reported alike.
    assert [e for e in errors(out) if "reader demo " in e] == [
        f"clients/harborline/readers.yml:{line}: reader demo has the same salt and public key as "
        f"clients/lumen-health/readers.yml:{line} (reader demo): {COPIED}",
        f"clients/lumen-health/readers.yml:{line}: reader demo has the same salt and public key "
        f"as clients/harborline/readers.yml:{line} (reader demo): {COPIED}",
    ]
    assert out.rstrip().endswith(" errors")


def test_a_copied_salt_or_a_copied_public_key_alone_is_enough(demo: Path) -> None:
    harborline = demo / "clients/harborline/readers.yml"
    lumen = demo / "clients/lumen-health/readers.yml"
    theirs = load_readers(harborline)[0]
    (ours,) = load_readers(lumen)
    add_reader(lumen, "sam", "Sam", PASSPHRASE)
    fresh = load_readers(lumen)[1]
    lumen.write_text(lumen.read_text("utf-8").replace(fresh.salt, theirs.salt), "utf-8")
    (problem,) = check_reader_copies(demo, "lumen-health")
    assert str(problem) == (
        f"clients/lumen-health/readers.yml:{line_of(lumen, 'salt:', 2)}: reader sam has the same "
        f"salt as clients/harborline/readers.yml:{line_of(harborline, 'salt:')} (reader demo): "
        f"{COPIED}")
    lumen.write_text(lumen.read_text("utf-8").replace(theirs.salt, fresh.salt)
                     .replace(ours.x, theirs.x).replace(ours.y, theirs.y), "utf-8")
    (problem,) = check_reader_copies(demo, "lumen-health")
    assert str(problem).startswith(
        f"clients/lumen-health/readers.yml:{line_of(lumen, ' x:')}: reader demo has the same "
        f"public key as clients/harborline/readers.yml:{line_of(harborline, ' x:')} (reader demo)")


def test_a_reader_entry_copied_within_one_file_is_an_error_at_both(demo: Path) -> None:
    lumen = demo / "clients/lumen-health/readers.yml"
    text = lumen.read_text("utf-8")
    entry = text[text.index("- id: demo"):]
    lumen.write_text(text + entry.replace("id: demo", "id: demo-copy"), "utf-8")
    first, second = line_of(lumen, "salt:", 1), line_of(lumen, "salt:", 2)
    code, out = run(demo, "check")
    assert code == 1
    why = ("a copied reader entry lets one passphrase in twice, and removing one copy does not "
           "revoke it; remove the reader and add it again with `portico reader add`")
    assert errors(out) == [
        f"clients/lumen-health/readers.yml:{first}: reader demo has the same salt and public key "
        f"as clients/lumen-health/readers.yml:{second} (reader demo-copy): {why}",
        f"clients/lumen-health/readers.yml:{second}: reader demo-copy has the same salt and "
        f"public key as clients/lumen-health/readers.yml:{first} (reader demo): {why}",
    ]


def test_a_draft_folder_and_a_broken_file_are_not_compared(demo: Path) -> None:
    shutil.copytree(demo / "clients/harborline", demo / "clients/_harborline-draft")
    (demo / "clients/lumen-health/readers.yml").write_text("readers: [unclosed\n", "utf-8")
    assert check_reader_copies(demo, "harborline") == []
    assert check_reader_copies(demo, "lumen-health") == []


def test_a_one_client_build_sees_the_copy_in_another_client(demo: Path) -> None:
    shutil.copyfile(demo / "clients/harborline/readers.yml",
                    demo / "clients/lumen-health/readers.yml")
    for slug, other in (("lumen-health", "harborline"), ("harborline", "lumen-health")):
        code, out = run(demo, "build", slug)
        assert code == 1
        assert f"{slug}: build failed" in out
        assert f"clients/{slug}/readers.yml:7: reader demo has the same salt and public key as " \
               f"clients/{other}/readers.yml:7 (reader demo): {COPIED}" in out
        assert not (demo / "site" / slug).exists()


def test_a_copy_elsewhere_changes_the_clients_build_cache_key(demo: Path) -> None:
    """So a portal built before the copy appeared is rebuilt (and fails), not kept."""
    before = client_key(demo, "harborline", "shared")
    shutil.copyfile(demo / "clients/harborline/readers.yml",
                    demo / "clients/lumen-health/readers.yml")
    assert client_key(demo, "harborline", "shared") != before
    (demo / "clients/lumen-health/readers.yml").unlink()
    assert client_key(demo, "harborline", "shared") == before


def test_a_copied_link_says_so(demo: Path) -> None:
    from portico.protection.readers import add_link

    add_link(demo / "clients/harborline/readers.yml", "Board pack for Dana, Dec 2026")
    shutil.copyfile(demo / "clients/harborline/readers.yml",
                    demo / "clients/lumen-health/readers.yml")
    problems = [str(p) for p in check_reader_copies(demo, "lumen-health")]
    assert len(problems) == len(load_readers(demo / "clients/harborline/readers.yml"))
    assert problems[-1].endswith(
        "(reader link-1): a copied readers.yml lets one link open both portals; remove the link "
        "and make a new one with `portico reader link`")


def test_every_clients_copies_at_once_are_each_clients_own(demo: Path) -> None:
    """What a build of every client asks (each readers.yml read once) is what each client's
    own check finds: copies across files, within a file, and none."""
    shutil.copytree(demo / "clients/lumen-health", demo / "clients/third")
    lumen = demo / "clients/lumen-health/readers.yml"
    text = lumen.read_text("utf-8")
    lumen.write_text(text + text[text.index("- id: demo"):].replace("id: demo", "id: again"),
                     "utf-8")
    found = reader_copies(demo)
    assert sorted(found) == ["lumen-health", "third"]
    for slug in ("harborline", "lumen-health", "third"):
        assert found.get(slug, []) == check_reader_copies(demo, slug)


def test_check_reads_the_practice_readers_file_as_a_clients(demo: Path) -> None:
    """practice/readers.yml opens the practice portal, which holds every client: a
    passphrase noted in it, or an entry that does not load, is an error at its line."""
    readers = demo / "practice" / "readers.yml"
    shutil.copytree(REPO_PRACTICE, demo / "practice")
    code, out = run(demo, "check")
    assert code == 0, out
    readers.write_text(readers.read_text("utf-8") + f"# the CEO's passphrase: {EFF_WORDS}\n",
                       "utf-8")
    code, out = run(demo, "check")
    line = len(readers.read_text("utf-8").splitlines())
    assert code == 1 and f"practice/readers.yml:{line}: " in out, out
    readers.write_text(readers.read_text("utf-8").replace("iterations: 600000",
                                                          "iterations: many"), "utf-8")
    code, out = run(demo, "check")
    assert f"practice/readers.yml:{line_of(readers, 'iterations: many')}: " in out, out
