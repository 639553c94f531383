"""A large register is parsed once: a build under the same key reads its kept parse
(content/parsed.py) as long as the file's bytes are the ones it was made from."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main
from portico.content import load as loading
from portico.content.errors import ContentError
from portico.content.load import load_engagement
from portico.content.parsed import MIN_BYTES, PARSED_DIR

RISK = """
  - id: RISK-{n:03d}
    title: Scale risk {n} in the carrier integration
    description: |
      A long description of risk {n}, long enough that a few hundred of them make a
      register larger than the size from which a parse is kept between builds.
    likelihood: 3
    impact: 4
    owner: Priya Raman
    status: open
    raised: 2026-03-13
"""


@pytest.fixture
def large(tmp_path: Path, copy_demo: Callable[[Path], Path]) -> Path:
    """The demo practice with Harborline's register grown past MIN_BYTES."""
    root = copy_demo(tmp_path / "practice")
    register = root / "clients" / "harborline" / "risks.yml"
    text = register.read_text(encoding="utf-8").rstrip("\n") + "\n"
    text += "".join(RISK.format(n=n) for n in range(100, 160))  # each page built costs CI time
    register.write_text(text, encoding="utf-8")
    assert len(text) > MIN_BYTES
    return root


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the files parsed from here on."""
    seen: list[str] = []
    real = loading.parse_yaml

    def counted(text: str, path: str, **kwargs: object) -> object:
        seen.append(path)
        return real(text, path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "parse_yaml", counted)
    return seen


REGISTER = "clients/harborline/risks.yml"


def _risks(root: Path, version: str) -> tuple[list[dict[str, object]], dict[object, int]]:
    engagement = load_engagement(root, "harborline", version=version)
    register = engagement.parts["risks"]
    return ([r.model_dump() for r in register],
            engagement.lines["risks.yml"])


def test_an_unchanged_register_is_read_from_its_kept_parse(large: Path,
                                                           parses: list[str]) -> None:
    first = _risks(large, "key-1")
    assert parses.count(REGISTER) == 1
    second = _risks(large, "key-1")
    assert parses.count(REGISTER) == 1  # not parsed again
    assert second == first  # the same risks, and the same line of every value
    assert len(first[0]) > 60
    folder = large / PARSED_DIR / "harborline"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((large / PARSED_DIR).stat().st_mode) == 0o700
    # Small files are parsed every time: a kept copy would cost more than the parse.
    assert parses.count("clients/harborline/client.yml") == 2


def test_an_edited_register_another_key_or_a_damaged_copy_is_parsed_again(
        large: Path, parses: list[str]) -> None:
    _risks(large, "key-1")
    register = large / REGISTER
    register.write_text(register.read_text(encoding="utf-8").replace(
        "Scale risk 130 in", "Scale risk 130, edited, in"), encoding="utf-8")
    risks, _ = _risks(large, "key-1")
    assert parses.count(REGISTER) == 2
    assert any(r["title"] == "Scale risk 130, edited, in the carrier integration"
               for r in risks)

    _risks(large, "key-2")  # another generator, pydantic or day
    assert parses.count(REGISTER) == 3

    for kept in (large / PARSED_DIR / "harborline").glob("*.pickle"):
        kept.write_bytes(kept.read_bytes()[:100])  # cut short
    again, _ = _risks(large, "key-2")
    assert parses.count(REGISTER) == 4
    assert again == risks


def test_a_register_with_a_mistake_is_never_kept_and_its_error_comes_every_time(
        large: Path, parses: list[str]) -> None:
    register = large / REGISTER
    lines = register.read_text(encoding="utf-8").splitlines()
    title = lines.index("    title: Scale risk 150 in the carrier integration")
    wrong = title + 4  # its likelihood, 0-based
    assert lines[wrong] == "    likelihood: 3"
    lines[wrong] = "    likelihood: 9"
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentError) as raised:
            load_engagement(large, "harborline", version="key-1")
        assert [(p.path, p.line) for p in raised.value.problems] == [(REGISTER, wrong + 1)]
    assert parses.count(REGISTER) == 2
    assert not list((large / PARSED_DIR).rglob("*.pickle"))


def test_without_a_key_nothing_is_kept(large: Path, parses: list[str]) -> None:
    load_engagement(large, "harborline")
    load_engagement(large, "harborline")
    assert parses.count(REGISTER) == 2
    assert not (large / PARSED_DIR).exists()


def test_a_pruned_client_leaves_no_kept_parse(large: Path) -> None:
    for client in (large / "clients").iterdir():
        if client.name not in ("harborline", "lumen-health"):
            shutil.rmtree(client)
    result = CliRunner().invoke(main, ["--root", str(large), "build"])
    assert result.exit_code == 0, result.output
    assert list((large / PARSED_DIR / "harborline").glob("*.pickle"))
    shutil.rmtree(large / "clients" / "harborline")
    result = CliRunner().invoke(main, ["--root", str(large), "build"])
    assert result.exit_code == 0, result.output
    assert not (large / "site" / "harborline").exists()
    assert not (large / PARSED_DIR / "harborline").exists()  # none of its text stays


class _Payload:
    """What a planted kept file would hold to run a command as it is read."""

    def __init__(self, witness: Path) -> None:
        self.witness = witness

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.witness}",))


def test_a_planted_kept_file_runs_nothing_and_the_register_is_parsed_again(
        large: Path, parses: list[str], tmp_path: Path) -> None:
    first = _risks(large, "key-1")
    witness = tmp_path / "ran"
    for kept in (large / PARSED_DIR / "harborline").glob("*.pickle"):
        kept.write_bytes(pickle.dumps(_Payload(witness)))
    assert _risks(large, "key-1") == first
    assert not witness.exists()
    assert parses.count(REGISTER) == 2
