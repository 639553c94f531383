"""`portico publish`: only verified portals leave, atomically, to a folder or a branch."""

from __future__ import annotations

import errno
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import portico.delivery.publish as publish_module
from portico.cli import main
from portico.content.errors import PorticoError
from portico.delivery.headers import headers_file
from portico.delivery.publish import (
    RECORD,
    check_verified,
    example_only,
    is_verified,
    publish_to_dir,
    record_verified,
)
from portico.delivery.publish_git import publish_to_git
from portico.delivery.swap import replace_directory
from portico.delivery.verify_record import recorded_readers

HEADERS = headers_file().encode()

PORTALS = {
    "acme/index.html": "<html>acme shell</html>",
    "acme/_portico/blob-1.bin": "ciphertext one",
    "acme/assets/theme.js": "console.log('theme')",
    "beta/index.html": "<html>beta shell</html>",
}
ROOT_FILES = {"index.html": "<p>Nothing to list.</p>", "robots.txt": "User-agent: *\nDisallow: /\n"}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built site as `portico build` leaves it: two verified portals, root files, a record,
    and the dot-entries that must never be published (a temporary build folder)."""
    root = tmp_path / "practice" / "site"
    for name, text in {**PORTALS, **ROOT_FILES, ".nojekyll": "",
                       ".acme.k2j4/portal/leak.html": "half-built plain text"}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for slug in ("acme", "beta"):
        record_verified(root, slug)
    return root


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, Path]:
    """(the practice's repository with a commit on main and an uncommitted edit, a bare remote)."""
    repo = tmp_path / "practice"
    repo.mkdir(exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "mkdocs.yml").write_text("site_name: Practice\n")
    (repo / ".gitignore").write_text("/site/\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "sources")
    (repo / "mkdocs.yml").write_text("site_name: Practice, being edited\n")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    return repo, remote


def tree(repo: Path, ref: str) -> dict[str, bytes]:
    names = git(repo, "ls-tree", "-r", "--name-only", ref).splitlines()
    return {n: subprocess.run(["git", "show", f"{ref}:{n}"], cwd=repo, capture_output=True,
                              check=True).stdout for n in names}


def user_state(repo: Path) -> tuple[str, str, str, str]:
    """What publishing must never touch: HEAD, branches, status and the edited file."""
    return (git(repo, "symbolic-ref", "HEAD"), git(repo, "branch", "--list"),
            git(repo, "status", "--porcelain"), (repo / "mkdocs.yml").read_text())


# --- The verify record -----------------------------------------------------------------


def test_record_maps_each_portal_to_a_digest_and_stays_out_of_the_portals(site: Path) -> None:
    data = json.loads((site / RECORD).read_text())
    assert data["format"] == 1 and sorted(data["portals"]) == ["acme", "beta"]
    assert all(e["digest"].startswith("sha256:") for e in data["portals"].values())
    assert check_verified(site) == [] and is_verified(site, "acme")


def test_parallel_build_workers_each_land_in_the_record(tmp_path: Path) -> None:
    import multiprocessing

    site = tmp_path / "site"
    slugs = [f"client-{n:02d}" for n in range(12)]
    for slug in slugs:
        (site / slug).mkdir(parents=True)
        (site / slug / "index.html").write_text(f"shell of {slug}")
    with multiprocessing.get_context("fork").Pool(6) as pool:
        pool.starmap(record_verified, [(site, slug) for slug in slugs])
    assert sorted(json.loads((site / RECORD).read_text())["portals"]) == slugs
    assert check_verified(site) == []


def test_check_names_unrecorded_changed_and_foreign_entries(site: Path) -> None:
    (site / "acme/assets/theme.js").write_text("console.log('edited after the build')")
    (site / "gamma").mkdir()
    (site / "gamma/index.html").write_text("never verified")
    (site / "notes.txt").write_text("dropped here by hand")
    problems = check_verified(site)
    assert any(p.startswith("acme: changed since it passed verify") for p in problems)
    assert any(p.startswith("gamma: not in the verify record") for p in problems)
    assert any(p.startswith("notes.txt: not made by `portico build`") for p in problems)
    assert not any(p.startswith("beta") for p in problems)
    assert not is_verified(site, "acme") and is_verified(site, "beta")


def test_a_renamed_file_changes_the_digest(site: Path) -> None:
    os.rename(site / "acme/_portico/blob-1.bin", site / "acme/_portico/blob-2.bin")
    assert check_verified(site) == ["acme: changed since it passed verify (rebuild it: "
                                    "`portico build --force acme`)"]


def test_record_forgets_removed_portals_and_a_corrupt_one_vouches_for_nothing(site: Path) -> None:
    import shutil

    shutil.rmtree(site / "beta")
    record_verified(site, "acme")
    assert list(json.loads((site / RECORD).read_text())["portals"]) == ["acme"]
    (site / RECORD).write_text("{not json")
    assert "unreadable verify record" in check_verified(site)[0]
    record_verified(site, "acme")  # the next build starts a fresh record
    assert check_verified(site) == []


# --- Publish to a folder ---------------------------------------------------------------


def test_publish_to_dir_copies_portals_and_root_files_but_no_dot_entries(site: Path,
                                                                        tmp_path: Path) -> None:
    target = tmp_path / "www" / "portals"
    result = publish_to_dir(site, target)
    assert result.portals == ["acme", "beta"] and result.changed
    published = snapshot(target)
    expected = {name: text.encode() for name, text in {**PORTALS, **ROOT_FILES}.items()}
    assert published == {**expected, ".portico-published": b"", "_headers": HEADERS}
    assert not (target / ".portico").exists() and not (target / ".nojekyll").exists()
    assert not [p for p in target.parent.iterdir() if p.name != "portals"]  # no leftovers


def test_publish_to_dir_swaps_a_complete_copy_in_one_step(site: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "www"
    publish_to_dir(site, target)
    before = snapshot(target)
    (site / "acme/assets/theme.js").write_text("console.log('new build')")
    record_verified(site, "acme")
    swaps: list[tuple[dict[str, bytes], dict[str, bytes]]] = []

    def watched(new: Path, where: Path) -> None:
        swaps.append((snapshot(new), snapshot(where)))  # at the moment of the swap
        replace_directory(new, where)

    monkeypatch.setattr(publish_module, "replace_directory", watched)
    publish_to_dir(site, target)
    ((new, old),) = swaps
    assert old == before  # readers saw the whole previous site until the swap ...
    assert new == snapshot(target)  # ... and then the whole new one, nothing in between
    assert new["acme/assets/theme.js"] == b"console.log('new build')"


def test_publish_to_dir_replaces_the_previous_publish_entirely(site: Path, tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "www"
    publish_to_dir(site, target)
    shutil.rmtree(site / "beta")
    publish_to_dir(site, target)
    assert not (target / "beta").exists() and (target / "acme/index.html").is_file()


def test_unverified_site_is_refused_and_the_previous_publish_stays(site: Path,
                                                                   tmp_path: Path) -> None:
    target = tmp_path / "www"
    publish_to_dir(site, target)
    before = snapshot(target)
    (site / "beta/index.html").write_text("<html>edited by hand after verify</html>")
    with pytest.raises(PorticoError, match="(?s)refusing to publish .*beta: changed since"):
        publish_to_dir(site, target)
    assert snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["practice", "www"]


def test_publish_to_dir_refuses_a_folder_it_did_not_make(site: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    with pytest.raises(PorticoError, match="not empty and was not made by `portico publish`"):
        publish_to_dir(site, home)
    with pytest.raises(PorticoError, match="must be outside the site"):
        publish_to_dir(site, site / "public")
    assert (home / "thesis.tex").read_text() == "years of work"


def test_site_without_a_record_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "acme").mkdir(parents=True)
    (site / "acme/index.html").write_text("built by hand")
    with pytest.raises(PorticoError, match="acme: not in the verify record"):
        publish_to_dir(site, tmp_path / "www")
    assert not (tmp_path / "www").exists()


# --- Publish to a git branch -----------------------------------------------------------


def test_publish_to_git_commits_the_site_to_the_branch_and_pushes(site: Path,
                                                                  repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    before = user_state(repo)
    result = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    assert result.changed and result.pushed_to == str(remote) and result.commit
    assert git(remote, "rev-parse", "gh-pages") == result.commit
    expected = {name: text.encode() for name, text in {**PORTALS, **ROOT_FILES}.items()}
    assert tree(remote, "gh-pages") == {**expected, ".nojekyll": b"", "_headers": HEADERS}
    assert user_state(repo) == before  # working tree, index, HEAD and branches untouched


def test_second_publish_without_change_makes_no_commit(site: Path,
                                                       repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    first = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    again = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    assert not again.changed and again.commit is None
    assert again.summary().startswith("no change, nothing committed")
    assert git(remote, "rev-list", "--count", "gh-pages") == "1"
    assert git(remote, "rev-parse", "gh-pages") == first.commit


ENVELOPE = "acme/_portico/envelope.json"


def rebuild_with_new_envelope(site: Path, text: str) -> None:
    """What `portico build` does after `portico reader remove`: a new envelope, recorded."""
    (site / ENVELOPE).write_text(text)
    record_verified(site, "acme")


def blob(repo: Path, text: str) -> str:
    return subprocess.run(["git", "hash-object", "--stdin"], cwd=repo, input=text.encode(),
                          capture_output=True, check=True).stdout.decode().strip()


def reachable(repo: Path, ref: str) -> set[str]:
    return {line.split()[0] for line in git(repo, "rev-list", "--objects", ref).splitlines()}


def test_each_publish_replaces_the_branch_so_a_revoked_envelope_is_gone(
        site: Path, repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    rebuild_with_new_envelope(site, '{"readers": ["dana", "sam"]}')
    first = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    assert blob(remote, '{"readers": ["dana", "sam"]}') in reachable(remote, "gh-pages")
    rebuild_with_new_envelope(site, '{"readers": ["dana"]}')  # sam removed, then rebuilt
    second = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    assert second.changed and second.replaced == first.commit
    assert git(remote, "rev-list", "--count", "gh-pages") == "1"
    assert git(remote, "rev-list", "--parents", "-n", "1", "gh-pages") == second.commit
    objects = reachable(remote, "gh-pages")
    assert blob(remote, '{"readers": ["dana", "sam"]}') not in objects
    assert blob(remote, '{"readers": ["dana"]}') in objects
    assert tree(remote, "gh-pages")[ENVELOPE] == b'{"readers": ["dana"]}'


def test_keep_history_adds_a_commit_on_the_last_and_keeps_older_builds(
        site: Path, repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    rebuild_with_new_envelope(site, '{"readers": ["dana", "sam"]}')
    first = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo, keep_history=True)
    rebuild_with_new_envelope(site, '{"readers": ["dana"]}')
    second = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo, keep_history=True)
    assert second.replaced is None and second.notes == []
    assert git(remote, "rev-list", "--count", "gh-pages") == "2"
    assert git(remote, "rev-parse", "gh-pages^") == first.commit
    assert git(remote, "diff", "--name-only", "gh-pages^", "gh-pages").splitlines() == [ENVELOPE]
    assert blob(remote, '{"readers": ["dana", "sam"]}') in reachable(remote, "gh-pages")


def test_history_left_by_earlier_publishes_is_dropped_even_without_a_change(
        site: Path, repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    publish_to_git(site, "gh-pages", remote=str(remote), repo=repo, keep_history=True)
    rebuild_with_new_envelope(site, '{"readers": ["dana"]}')
    kept = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo, keep_history=True)
    result = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    assert result.changed and result.replaced == kept.commit
    assert result.notes == ["replaced all 2 commits of gh-pages: it holds this one alone, "
                            "no older build"]
    assert git(remote, "rev-list", "--count", "gh-pages") == "1"
    assert git(remote, "rev-parse", "gh-pages^{tree}") == git(remote, "rev-parse",
                                                              f"{kept.commit}^{{tree}}")
    assert not publish_to_git(site, "gh-pages", remote=str(remote), repo=repo).changed


@pytest.mark.parametrize("published_before", [False, True], ids=["new branch", "existing"])
def test_a_publish_that_raced_another_replaces_nothing(
        site: Path, repos: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        published_before: bool) -> None:
    """--force-with-lease: the tip read at the start must still be the tip at the push."""
    import portico.delivery.publish_git as publish_git

    repo, remote = repos
    if published_before:
        publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    other = tmp_path / "other"  # another publisher, landing between our fetch and our push
    git(tmp_path, "init", "-q", "-b", "gh-pages", str(other))
    (other / "index.html").write_text("the other publish")
    git(other, "add", ".")
    git(other, "commit", "-q", "-m", "other publish")
    stage_tree = publish_git._stage_tree

    def racing(*args: Any, **kwargs: Any) -> str:
        git(other, "push", "-q", "--force", str(remote), "gh-pages")
        return stage_tree(*args, **kwargs)

    monkeypatch.setattr(publish_git, "_stage_tree", racing)
    rebuild_with_new_envelope(site, '{"readers": ["dana"]}')
    with pytest.raises(PorticoError, match="moved since this publish read it"):
        publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    assert git(remote, "rev-parse", "gh-pages") == git(other, "rev-parse", "HEAD")


def test_a_remote_refusing_forced_updates_is_named_and_keep_history_still_works(
        site: Path, repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    git(remote, "config", "receive.denyNonFastForwards", "true")
    first = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    rebuild_with_new_envelope(site, '{"readers": ["dana"]}')
    with pytest.raises(PorticoError, match="refuses forced updates of gh-pages"):
        publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    assert git(remote, "rev-parse", "gh-pages") == first.commit
    publish_to_git(site, "gh-pages", remote=str(remote), repo=repo, keep_history=True)
    assert git(remote, "rev-list", "--count", "gh-pages") == "2"


def test_unverified_site_is_not_pushed(site: Path, repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    first = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    (site / "gamma").mkdir()  # a portal that failed its build and was never recorded
    (site / "gamma/index.html").write_text("Gamma Corp's plain text")
    with pytest.raises(PorticoError, match="gamma: not in the verify record"):
        publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    assert git(remote, "rev-parse", "gh-pages") == first.commit
    fresh = repos[1].parent / "never.git"
    git(repo.parent, "init", "-q", "--bare", str(fresh))
    with pytest.raises(PorticoError):
        publish_to_git(site, "gh-pages", remote=str(fresh), repo=repo)
    assert git(fresh, "branch", "--list") == ""


def test_default_remote_is_origin_and_a_cname_on_the_branch_is_kept(
        site: Path, repos: tuple[Path, Path], tmp_path: Path) -> None:
    repo, remote = repos
    git(repo, "remote", "add", "origin", str(remote))
    publish_to_git(site, "gh-pages", remote=None, repo=repo)
    clone = tmp_path / "clone"  # someone sets a custom domain on the branch
    git(tmp_path, "clone", "-q", "-b", "gh-pages", str(remote), str(clone))
    (clone / "CNAME").write_text("portals.example.com\n")
    git(clone, "add", "CNAME")
    git(clone, "commit", "-q", "-m", "custom domain")
    git(clone, "push", "-q", "origin", "gh-pages")
    (site / "beta/index.html").write_text("<html>beta, rebuilt</html>")
    record_verified(site, "beta")
    result = publish_to_git(site, "gh-pages", remote=None, repo=repo)
    assert result.pushed_to == "origin"
    assert tree(remote, "gh-pages")["CNAME"] == b"portals.example.com\n"


def test_without_a_remote_the_local_branch_is_committed_but_never_the_current_one(
        site: Path, repos: tuple[Path, Path]) -> None:
    repo, _ = repos
    before = user_state(repo)
    result = publish_to_git(site, "gh-pages", remote=None, repo=repo)
    assert result.pushed_to is None and git(repo, "rev-parse", "gh-pages") == result.commit
    assert user_state(repo)[0] == before[0] and user_state(repo)[2:] == before[2:]
    rebuild_with_new_envelope(site, '{"readers": ["dana"]}')
    again = publish_to_git(site, "gh-pages", remote=None, repo=repo)
    assert git(repo, "rev-list", "--count", "gh-pages") == "1" and again.replaced == result.commit
    assert "--force-with-lease" in again.notes[-1]
    with pytest.raises(PorticoError, match="checked out"):
        publish_to_git(site, "main", remote=None, repo=repo)


def test_a_branch_holding_sources_is_never_overwritten(site: Path,
                                                       repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    git(repo, "push", "-q", str(remote), "main")
    tip = git(remote, "rev-parse", "main")
    with pytest.raises(PorticoError, match="holds sources"):
        publish_to_git(site, "main", remote=str(remote), repo=repo)
    assert git(remote, "rev-parse", "main") == tip


def test_a_folder_outside_git_can_still_push_to_a_remote(site: Path, tmp_path: Path) -> None:
    remote = tmp_path / "pages.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    plain = tmp_path / "not-a-repo"
    plain.mkdir()
    result = publish_to_git(site, "gh-pages", remote=str(remote), repo=plain)
    assert git(remote, "rev-parse", "gh-pages") == result.commit
    with pytest.raises(PorticoError, match="not a git repository"):
        publish_to_git(site, "gh-pages", remote=None, repo=plain)


# --- One client, its own target and domain --------------------------------------------


def test_only_publishes_the_chosen_portal_and_the_others_need_not_be_verified(
        site: Path, tmp_path: Path) -> None:
    (site / "acme/index.html").write_text("<html>acme, build failed halfway</html>")
    (site / "CNAME").write_text("portals.example.com\n")  # the shared site's domain
    result = publish_to_dir(site, tmp_path / "beta-www", only=["beta"])
    assert result.portals == ["beta"]
    assert sorted(snapshot(tmp_path / "beta-www")) == [".portico-published", "_headers",
                                                        "beta/index.html",
                                                        "index.html", "robots.txt"]
    with pytest.raises(PorticoError, match="(?s)acme: changed since"):
        publish_to_dir(site, tmp_path / "acme-www", only=["acme"])
    with pytest.raises(PorticoError, match=r"--only gamma: no such portal .*\(portals: acme, beta\)"):
        publish_to_dir(site, tmp_path / "gamma-www", only=["gamma"])
    assert not (tmp_path / "acme-www").exists() and not (tmp_path / "gamma-www").exists()


def test_only_and_cname_give_one_client_a_branch_and_a_domain_of_its_own(
        site: Path, repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    result = publish_to_git(site, "gh-pages", remote=str(remote), repo=repo, only=["acme"],
                            cname="Acme.Portals.Example.com.")
    published = tree(remote, "gh-pages")
    assert result.portals == ["acme"] and not any(p.startswith("beta/") for p in published)
    assert published["CNAME"] == b"acme.portals.example.com\n"
    publish_to_git(site, "gh-pages", remote=str(remote), repo=repo, only=["acme"],
                   cname="acme.example.net")  # a new domain replaces the branch's CNAME
    assert tree(remote, "gh-pages")["CNAME"] == b"acme.example.net\n"


def test_cname_replaces_the_site_roots_and_must_be_a_domain_of_your_own(
        site: Path, tmp_path: Path) -> None:
    (site / "CNAME").write_text("portals.example.com\n")
    publish_to_dir(site, tmp_path / "www", cname="clients.example.org")
    assert (tmp_path / "www/CNAME").read_text() == "clients.example.org\n"
    for bad, why in (("https://portals.example.com/", "host name alone"),
                     ("acme.github.io", "shared by every repository"),
                     ("portals", "not a domain name"), ("-x.example.com", "not a domain name")):
        with pytest.raises(PorticoError, match=why):
            publish_to_dir(site, tmp_path / "never", cname=bad)
    assert not (tmp_path / "never").exists()


# --- The command -----------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_cli_publishes_to_a_branch_then_reports_no_change(site: Path,
                                                          repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    code, out = run("--root", str(repo), "publish", "--to", "git:gh-pages", "--remote", str(remote))
    assert code == 0, out
    assert out.startswith("committed ") and f"and pushed it to gh-pages on {remote}" in out
    code, out = run("--root", str(repo), "publish", "--to", "git:gh-pages", "--remote", str(remote))
    assert code == 0 and out.startswith("no change, nothing committed"), out


def test_cli_replaces_the_branch_by_default_and_keeps_history_on_request(
        site: Path, repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    publish = ("--root", str(repo), "publish", "--to", "git:gh-pages", "--remote", str(remote))
    run(*publish)
    rebuild_with_new_envelope(site, '{"readers": ["dana"]}')
    code, out = run(*publish)
    assert code == 0 and "replaced the previous commit of gh-pages" in out, out
    rebuild_with_new_envelope(site, '{"readers": []}')
    code, out = run(*publish, "--keep-history")
    assert code == 0 and "replaced" not in out, out
    assert git(remote, "rev-list", "--count", "gh-pages") == "2"


def test_cli_publishes_one_client_with_its_domain(site: Path, repos: tuple[Path, Path]) -> None:
    repo, remote = repos
    code, out = run("--root", str(repo), "publish", "--to", "git:gh-pages", "--remote",
                    str(remote), "--only", "beta", "--cname", "beta.example.net")
    assert code == 0 and "(1 portal, 5 files)" in out, out
    assert sorted(tree(remote, "gh-pages")) == [".nojekyll", "CNAME", "_headers", "beta/index.html",
                                                "index.html", "robots.txt"]


def test_cli_errors_are_one_clean_line(site: Path, tmp_path: Path) -> None:
    repo = site.parent
    code, out = run("--root", str(repo), "publish", "--to", str(tmp_path / "www"),
                    "--keep-history")
    assert code == 1 and out.startswith("error: --keep-history goes with --to git:BRANCH")
    code, out = run("--root", str(repo), "publish", "--to", str(tmp_path / "www"), "--only", ",")
    assert code == 1 and out.startswith("error: --only needs a portal")
    code, out = run("--root", str(repo), "publish", "--to", "git:")
    assert code == 1 and out.startswith("error: --to git: needs a branch name")
    code, out = run("--root", str(repo), "publish", "--to", str(tmp_path / "www"),
                    "--remote", "origin")
    assert code == 1 and out.startswith("error: --remote goes with --to git:BRANCH")
    (site / "acme/index.html").write_text("tampered")
    code, out = run("--root", str(repo), "publish", "--to", str(tmp_path / "www"))
    assert code == 1 and out.startswith("error: refusing to publish") and "Traceback" not in out
    assert not (tmp_path / "www").exists()


def test_cli_publish_to_dir(site: Path, tmp_path: Path) -> None:
    code, out = run("--root", str(site.parent), "publish", "--to", str(tmp_path / "www"))
    assert code == 0 and out.startswith("published 2 portals, 7 files to "), out


def test_a_full_disk_is_one_line_and_nothing_is_published(site: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def full(source: object, target: object, **_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(publish_module.shutil, "copyfile", full)
    code, out = run("--root", str(site.parent), "publish", "--to", str(tmp_path / "www"))
    assert code == 1, out
    assert len(out.splitlines()) == 1 and "Traceback" not in out
    assert out.startswith("error: cannot copy the site for publishing: no space left on the "
                          "device holding "), out
    assert out.rstrip().endswith("; nothing was published")
    assert not (tmp_path / "www").exists()
    assert not list(tmp_path.glob(".www.publish-*"))


def test_a_portal_only_the_example_reader_opens_is_not_published(
        site: Path, repos: tuple[Path, Path], tmp_path: Path) -> None:
    """`portico init`'s example reader had its passphrase printed in a terminal: a portal
    built for it alone is a practice that has not gone live, whatever the target."""
    repo, remote = repos
    record_verified(site, "acme", readers=["example-reader"])
    record_verified(site, "beta", readers=["dana"])
    assert example_only(site, ["acme", "beta"]) == ["acme"]
    with pytest.raises(PorticoError, match=r"^refusing to publish acme: the only reader is "
                       r"the example reader .*--allow-example-reader") as refused:
        publish_to_dir(site, tmp_path / "www")
    assert "\n" not in str(refused.value)  # one line
    assert not (tmp_path / "www").exists()
    with pytest.raises(PorticoError, match="refusing to publish acme"):
        publish_to_git(site, "gh-pages", remote=str(remote), repo=repo)
    assert git(remote, "branch", "--list") == ""
    # A portal with the example reader among others, or left out by --only, is fine.
    assert publish_to_dir(site, tmp_path / "beta-only", only=["beta"]).portals == ["beta"]
    record_verified(site, "acme", readers=["example-reader", "dana"])
    assert publish_to_dir(site, tmp_path / "www").portals == ["acme", "beta"]


def test_allow_example_reader_publishes_it_anyway(site: Path, tmp_path: Path) -> None:
    record_verified(site, "acme", readers=["example-reader"])
    root = site.parent
    run = CliRunner().invoke
    refused = run(main, ["--root", str(root), "publish", "--to", str(tmp_path / "www")])
    assert refused.exit_code == 1
    assert refused.output.count("\n") == 1 and "clients/acme/" in refused.output
    done = run(main, ["--root", str(root), "publish", "--to", str(tmp_path / "www"),
                      "--allow-example-reader"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "www/acme/index.html").is_file()


def test_the_record_keeps_the_readers_each_portal_was_built_for(site: Path) -> None:
    record_verified(site, "acme", readers=["dana", "link-1"])
    record_verified(site, "beta", readers=["sam"])
    record_verified(site, "acme")  # a record written before readers were recorded
    assert recorded_readers(site) == {"beta": ("sam",)}
