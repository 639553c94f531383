"""Readers: the public key a passphrase gives, and readers.yml as the CLI keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portico.content.errors import ContentError, PorticoError
from portico.protection.readers import (
    MAX_ITERATIONS,
    MIN_ITERATIONS,
    PBKDF2_ITERATIONS,
    add_link,
    add_reader,
    b64url_decode,
    derive_public_key,
    load_readers,
    remove_reader,
    share_fragment,
)

PASSPHRASE = "tidy-otter-lantern-quarry-velvet-ember"


def test_add_reader_writes_public_material_only(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    reader = add_reader(path, "dana", "Dana, CEO", PASSPHRASE)
    text = path.read_text("utf-8")
    assert text.startswith("# Written by `portico reader")
    assert "no secret" in text.splitlines()[1]
    assert PASSPHRASE not in text and "otter" not in text
    entry = yaml.safe_load(text)["readers"][0]
    assert set(entry) == {"id", "label", "salt", "iterations", "public_key"}
    assert entry["iterations"] == PBKDF2_ITERATIONS >= 600_000
    assert load_readers(path) == [reader]
    salt = b64url_decode(reader.salt)
    assert len(salt) == 16
    assert derive_public_key(PASSPHRASE, salt, reader.iterations) == (reader.x, reader.y)


def test_each_reader_gets_its_own_salt(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    first = add_reader(path, "dana", "", PASSPHRASE)
    second = add_reader(path, "sam", "", PASSPHRASE)
    assert first.salt != second.salt and first.x != second.x


def test_a_passphrase_under_12_characters_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    with pytest.raises(PorticoError, match="at least 12"):
        add_reader(path, "dana", "", "short pass ")
    assert not path.exists()


def test_a_duplicate_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    add_reader(path, "dana", "", PASSPHRASE)
    with pytest.raises(PorticoError, match="exists"):
        add_reader(path, "dana", "", PASSPHRASE + "!")


def test_remove_reader_drops_only_that_reader(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    add_reader(path, "dana", "", PASSPHRASE)
    sam = add_reader(path, "sam", "Sam", PASSPHRASE)
    remove_reader(path, "dana")
    assert load_readers(path) == [sam]
    with pytest.raises(PorticoError, match="no reader 'dana'.*sam"):
        remove_reader(path, "dana")


def test_a_missing_file_means_no_readers(tmp_path: Path) -> None:
    assert load_readers(tmp_path / "readers.yml") == []


def _problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_readers(path)
    return [str(p) for p in info.value.problems]


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    path.write_text("readers:\n  - id: dana\n    label: [unclosed\n", "utf-8")
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:4: not valid YAML")


def test_every_bad_field_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    reader = add_reader(path, "dana", "", PASSPHRASE)
    path.write_text(
        "readers:\n"
        "  - id: dana\n"
        "    salt: '!!'\n"
        "    iterations: 1000\n"
        f"    public_key: {{x: {reader.x}, y: {reader.y}}}\n"
        "  - id: sam\n",
        "utf-8",
    )
    problems = _problems(path)
    assert any(p.startswith(f"{path}:3: reader 1, salt") for p in problems)
    assert any(p.startswith(f"{path}:4: reader 1, iterations") for p in problems)
    assert any(p.startswith(f"{path}:6: reader 2") for p in problems)


def test_a_point_off_the_curve_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    add_reader(path, "dana", "", PASSPHRASE)
    reader = load_readers(path)[0]
    path.write_text(path.read_text("utf-8").replace(reader.y, reader.x), "utf-8")
    (problem,) = _problems(path)
    assert "reader 1" in problem


def test_a_duplicate_id_in_the_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    add_reader(path, "dana", "", PASSPHRASE)
    add_reader(path, "sam", "", PASSPHRASE)
    path.write_text(path.read_text("utf-8").replace("id: sam", "id: dana"), "utf-8")
    (problem,) = _problems(path)
    assert "duplicate reader id 'dana'" in problem


def test_a_share_fragment_is_only_made_for_the_right_passphrase(tmp_path: Path) -> None:
    reader = add_reader(tmp_path / "readers.yml", "dana", "", PASSPHRASE)
    fragment = share_fragment(PASSPHRASE, reader)
    assert fragment.startswith("#k=") and len(b64url_decode(fragment[3:])) == 32
    with pytest.raises(PorticoError, match="not reader 'dana'"):
        share_fragment(PASSPHRASE + "x", reader)


@pytest.mark.parametrize("iterations", [MIN_ITERATIONS - 1, MAX_ITERATIONS + 1, 2**40])
def test_an_iteration_count_out_of_range_is_reported_at_its_line(
    tmp_path: Path, iterations: int
) -> None:
    path = tmp_path / "readers.yml"
    add_reader(path, "dana", "", PASSPHRASE)
    path.write_text(path.read_text("utf-8").replace("600000", str(iterations)), "utf-8")
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1)
                if "iterations:" in text)
    (problem,) = _problems(path)
    assert problem == (f"{path}:{line}: reader 1, iterations: must be 600,000 to 10,000,000: "
                       "fewer make the passphrase cheap to guess, more would hang the reader's "
                       "browser")


def test_the_iteration_range_ends_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    add_reader(path, "dana", "", PASSPHRASE)
    text = path.read_text("utf-8")
    path.write_text(text.replace("600000", str(MAX_ITERATIONS)), "utf-8")
    assert load_readers(path)[0].iterations == MAX_ITERATIONS == 10_000_000
    assert MIN_ITERATIONS == PBKDF2_ITERATIONS == 600_000


def test_add_reader_refuses_an_out_of_range_count_before_deriving(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    with pytest.raises(PorticoError, match="iterations must be 600,000 to 10,000,000"):
        add_reader(path, "dana", "", PASSPHRASE, iterations=2**40)  # would run for days
    assert not path.exists()


def test_a_link_reader_is_kept_as_kind_link_and_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "readers.yml"
    reader, fragment = add_link(path, "Board pack for Dana, Dec 2026")
    assert (reader.id, reader.kind) == ("link-1", "link")
    assert load_readers(path) == [reader]
    assert fragment[3:] not in path.read_text("utf-8")
    path.write_text(path.read_text("utf-8").replace("kind: link", "kind: master"), "utf-8")
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:6: reader 1, kind: Input should be 'passphrase' or 'link'")


def test_a_link_needs_a_label(tmp_path: Path) -> None:
    with pytest.raises(PorticoError, match="a link needs a --label"):
        add_link(tmp_path / "readers.yml", "")
