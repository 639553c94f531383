"""`portico plan --changed-since REV`: the clients a change affects, for a CI matrix."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from portico.cli import main

CLIENT = "name: {name}\nengagement:\n  start: 2026-01-01\n"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for slug in ("acme", "beta"):
        (tmp_path / "clients" / slug).mkdir(parents=True)
        (tmp_path / "clients" / slug / "client.yml").write_text(CLIENT.format(name=slug))
    (tmp_path / "content").mkdir()
    (tmp_path / "content/glossary.md").write_text("# Glossary\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: P\n")
    (tmp_path / "notes.txt").write_text("unrelated\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.email=t@example.com", "-c", "user.name=T", "add", ".")
    git(tmp_path, "-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-qm", "start")
    return tmp_path


def plan(root: Path, rev: str = "HEAD") -> dict[str, object]:
    result = CliRunner().invoke(main, ["--root", str(root), "plan", "--changed-since", rev, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def commit(root: Path, message: str) -> None:
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=T", "add", "-A")
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-qm", message)


def test_change_to_one_client_affects_only_it(repo: Path) -> None:
    (repo / "clients/acme/risks.yml").write_text("risks: []\n")
    assert plan(repo) == {"clients": ["acme"], "removed": [], "shared_changed": False,
                          "groups": ["acme"]}
    commit(repo, "acme risks")
    assert plan(repo, "HEAD~1")["clients"] == ["acme"]


def test_shared_change_affects_every_client(repo: Path) -> None:
    (repo / "content/glossary.md").write_text("# Glossary\n\nRTO: recovery time objective.\n")
    commit(repo, "glossary")
    assert plan(repo, "HEAD~1") == {"clients": ["acme", "beta"], "removed": [],
                                    "shared_changed": True, "groups": ["acme,beta"]}


def test_unrelated_change_affects_nothing(repo: Path) -> None:
    (repo / "notes.txt").write_text("still unrelated\n")
    commit(repo, "notes")
    assert plan(repo, "HEAD~1") == {"clients": [], "removed": [], "shared_changed": False,
                                    "groups": []}
    result = CliRunner().invoke(main, ["--root", str(repo), "plan", "--changed-since", "HEAD~1"])
    assert "no client is affected" in result.output


def test_deleted_client_is_listed_for_removal(repo: Path) -> None:
    git(repo, "rm", "-q", "-r", "clients/beta")
    assert plan(repo) == {"clients": [], "removed": ["beta"], "shared_changed": False,
                          "groups": []}


def test_unknown_revision_is_a_clear_error(repo: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(repo), "plan", "--changed-since", "nope"])
    assert result.exit_code == 1 and "error: git rev-parse" in result.output


def _clients(root: Path, sizes: dict[str, int]) -> None:
    for slug, size in sizes.items():
        folder = root / "clients" / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "client.yml").write_text(CLIENT.format(name=slug))
        (folder / "notes.md").write_text("x" * size)


def test_many_changed_clients_split_into_balanced_groups_for_the_matrix(repo: Path) -> None:
    """Ten clients changed, a matrix of at most four jobs: four groups of two or three, the
    largest clients spread so that no job waits on two of them."""
    sizes = {f"c{n:02}": 1000 * (n + 1) for n in range(10)}
    _clients(repo, {slug: 10 for slug in sizes})
    commit(repo, "ten clients")
    _clients(repo, sizes)
    commit(repo, "all ten grow")
    result = CliRunner().invoke(main, ["--root", str(repo), "plan", "--changed-since",
                                       "HEAD~1", "--json", "--groups", "4"])
    assert result.exit_code == 0, result.output
    groups = [g.split(",") for g in json.loads(result.output)["groups"]]
    assert len(groups) == 3  # 10 clients, at least 3 a group: 3 groups, not 4
    assert sorted(s for g in groups for s in g) == sorted(sizes)
    loads = [sum(sizes[s] for s in g) for g in groups]
    assert max(loads) - min(loads) <= max(sizes.values())
    assert all(len({"c09", "c08", "c07"} & set(g)) == 1 for g in groups)  # one big each


def test_a_few_changed_clients_stay_in_one_job(repo: Path) -> None:
    _clients(repo, {"c1": 10, "c2": 10, "c3": 10})
    commit(repo, "three")
    result = CliRunner().invoke(main, ["--root", str(repo), "plan", "--changed-since",
                                       "HEAD~1", "--json", "--groups", "8"])
    assert json.loads(result.output)["groups"] == ["c1,c2,c3"]


def test_all_plans_every_client_without_a_revision(repo: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(repo), "plan", "--all", "--json"])
    assert json.loads(result.output)["clients"] == ["acme", "beta"]
    both = CliRunner().invoke(main, ["--root", str(repo), "plan", "--all", "--changed-since",
                                     "HEAD"])
    assert both.exit_code == 2 and "--changed-since REV or --all" in both.output
