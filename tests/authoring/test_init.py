"""`portico init`: a new practice that passes `check`, builds and publishes from the start."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from portico import DISTRIBUTION, __version__
from portico.cli import main
from portico.delivery.publish import RECORD, check_verified, is_verified, record_verified

REPO = Path(__file__).resolve().parents[2]
STARTER = REPO / "generator/portico/authoring/scaffold_practice"


def portico(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed command as a user would, from inside the practice."""
    return subprocess.run([sys.executable, "-m", "portico", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A practice made by `portico init`, checked and built: (its folder, init's output)."""
    folder = tmp_path_factory.mktemp("new") / "northwind-cto"
    done = portico(folder.parent, "init", folder.name, "--name", "Northwind: CTO & Co")
    assert done.returncode == 0, done.stderr
    check = portico(folder, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ok: 1 client checked, 0 warnings" in check.stdout
    build = portico(folder, "build")
    assert build.returncode == 0, build.stdout + build.stderr
    return folder, done.stdout


def test_init_writes_a_complete_practice(practice: tuple[Path, str]) -> None:
    folder, _ = practice
    for name in ("mkdocs.yml", "theme/main.html", "content/how-we-work.md", "content/glossary.md",
                 ".github/workflows/portico.yml", ".pre-commit-config.yaml", ".gitignore",
                 "requirements.txt", "README.md", "HOSTING.md", "clients/example/client.yml",
                 "clients/example/readers.yml", "schemas/client.schema.json"):
        assert (folder / name).is_file(), name
    pinned = [line for line in (folder / "requirements.txt").read_text().splitlines()
              if line and not line.startswith("#")]
    assert pinned == [f"{DISTRIBUTION}=={__version__}"]  # exactly the Portico running
    assert (folder / ".github/workflows/portico.yml").read_bytes() == \
        (REPO / ".github/workflows/portico.yml").read_bytes()
    assert "/site/" in (folder / ".gitignore").read_text().splitlines()
    assert not [p for p in folder.rglob("dot-*")]
    placeholders = [p for p in folder.rglob("*") if p.suffix in {".md", ".yml", ".txt"}
                    and re.search(r"__[A-Z_]+__", p.read_text())]
    assert placeholders == []


def test_init_ships_the_hosting_guide_and_points_to_it_last(practice: tuple[Path, str]) -> None:
    """An installed Portico has no docs/ folder: the guide a CTO must read before publishing
    (origins, private sources, revocation) is written into the practice itself."""
    folder, out = practice
    assert (folder / "HOSTING.md").read_bytes() == (REPO / "docs/hosting.md").read_bytes()
    last = out.rstrip("\n").splitlines()[-1]
    assert last.startswith("before you publish, read ") and last.split()[4].endswith(
        "northwind-cto/HOSTING.md:"), last
    assert "[HOSTING.md](HOSTING.md)" in (folder / "README.md").read_text()


def test_the_shipped_hosting_guide_is_the_documented_one() -> None:
    """docs/hosting.md is the source; the starter's copy must not drift from it."""
    assert (STARTER / "HOSTING.md").read_bytes() == (REPO / "docs/hosting.md").read_bytes()


def test_practice_name_reaches_mkdocs_yml_intact(practice: tuple[Path, str]) -> None:
    folder, _ = practice
    loader = yaml.SafeLoader((folder / "mkdocs.yml").read_text())
    loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
    config = loader.get_single_data()
    assert config["site_name"] == "Northwind: CTO & Co"
    assert config["extra"]["practice"]["name"] == "Northwind: CTO & Co"
    assert config["copyright"].startswith("Northwind: CTO & Co · Confidential")


def test_example_portal_opens_with_the_passphrase_init_printed_once(
        practice: tuple[Path, str]) -> None:
    folder, out = practice
    passphrase = re.search(r"^  ([a-z]+(?:-[a-z]+){7})$", out, re.MULTILINE)
    assert passphrase, out
    assert out.count(passphrase.group(1)) == 1
    assert passphrase.group(1) not in "".join(p.read_text(errors="ignore")
                                              for p in folder.rglob("*") if p.is_file())
    done = portico(folder, "verify", "site/example", "--passphrase-stdin",
                   stdin=passphrase.group(1) + "\n")
    assert done.returncode == 0 and done.stdout.startswith("ok:"), done.stdout + done.stderr


def test_build_records_what_it_verified(practice: tuple[Path, str]) -> None:
    """The contract with the pipeline: `portico build` records each portal it verified."""
    folder, _ = practice
    assert (folder / "site" / RECORD).is_file()
    assert check_verified(folder / "site") == []


def test_new_practice_publishes_to_a_folder(practice: tuple[Path, str], tmp_path: Path) -> None:
    folder, _ = practice
    site = folder / "site"
    if not is_verified(site, "example"):  # until the pipeline records it (test above)
        record_verified(site, "example")
    done = portico(folder, "publish", "--to", str(tmp_path / "www"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "www/example/index.html").is_file()
    assert sorted(p.name for p in (tmp_path / "www").iterdir() if p.name.startswith(".")) == \
        [".portico-published"]


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("mine")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "is not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]


def test_every_starter_file_ships_in_the_package() -> None:
    """package-data globs skip dot-files: the starter names them dot-… instead."""
    pyproject = (REPO / "pyproject.toml").read_text()
    assert '"authoring/scaffold_practice/**/*"' in pyproject
    hidden = [p for p in STARTER.rglob("*") if p.name.startswith(".")]
    assert hidden == []
