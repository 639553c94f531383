"""Verified portals → a git branch, gh-pages style, holding one commit by default.

Removing a reader and rebuilding revokes them: the next content key is never wrapped
for them. Every earlier build, though, still opens with the keys of its day, and a
branch that keeps its history keeps every earlier build fetchable (a clone, the host's
API, a raw URL by commit). So by default each publish writes an orphan commit and
replaces the branch tip with it, pushed with `--force-with-lease` against the tip this
publish read: a publish that raced another one fails instead of clobbering it.
`keep_history` restores the gh-pages habit of one commit per publish on top of the last.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Collection
from pathlib import Path

from portico.content.errors import PorticoError
from portico.delivery.publish import PublishResult, check_cname, snapshot_site

__all__ = ["publish_to_git"]

_SOURCE_MARKERS = ("clients", "mkdocs.yml")
_NO_COMMIT = "0" * 40


class _Git:
    """Runs git against one repository, with a private index; never the user's work tree."""

    def __init__(self, git_dir: Path, index: Path) -> None:
        self.git_dir = git_dir
        self.env = _clean_env()
        self.env.update(GIT_DIR=str(git_dir), GIT_INDEX_FILE=str(index),
                        GIT_TERMINAL_PROMPT="0", LC_ALL="C")

    def __call__(self, *args: str, input: bytes | None = None, check: bool = True) -> str:
        done = subprocess.run(["git", *args], input=input, env=self.env, capture_output=True,
                              check=False)
        if check and done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
            raise PorticoError(f"git {args[0]} failed: {message}")
        return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else ""

    def ok(self, *args: str) -> bool:
        return self.run(*args).returncode == 0

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run git and return the outcome, whatever it is (for callers that read stderr)."""
        return subprocess.run(["git", *args], env=self.env, capture_output=True, text=True,
                              errors="replace", check=False)


_LOCATION_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                       "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_PREFIX",
                       "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES")


def _clean_env() -> dict[str, str]:
    """The environment without variables that would point git at another repository
    (set, for one, when Portico runs inside a git hook)."""
    return {k: v for k, v in os.environ.items() if k not in _LOCATION_VARIABLES}


def _git_dir(repo: Path) -> Path | None:
    """The git directory of `repo`, or None if it is not inside a git repository."""
    if shutil.which("git") is None:
        raise PorticoError("git is not installed; it is needed to publish to a branch")
    done = subprocess.run(["git", "-C", str(repo), "rev-parse", "--absolute-git-dir"],
                          capture_output=True, text=True, check=False,
                          env=_clean_env())
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def _identity(git: _Git) -> None:
    """Give the commit an author where git has none configured (a fresh CI runner)."""
    if not git("config", "user.email", check=False):
        git.env.setdefault("GIT_AUTHOR_EMAIL", "portico@localhost")
        git.env.setdefault("GIT_COMMITTER_EMAIL", "portico@localhost")
    if not git("config", "user.name", check=False):
        git.env.setdefault("GIT_AUTHOR_NAME", "portico publish")
        git.env.setdefault("GIT_COMMITTER_NAME", "portico publish")


def _checked_out(git: _Git, branch: str) -> bool:
    listing = git("worktree", "list", "--porcelain", check=False)
    return f"branch refs/heads/{branch}" in listing.splitlines()


def _branch_tip(git: _Git, branch: str, remote: str | None) -> str | None:
    """The commit `branch` points at (on `remote`, fetched, or locally); None if new."""
    if remote is None:
        return git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}",
                   check=False) or None
    listing = git("ls-remote", "--heads", remote, f"refs/heads/{branch}")
    tip = next((line.split()[0] for line in listing.splitlines()
                if line.endswith(f"\trefs/heads/{branch}")), None)
    if tip is not None and not git.ok("cat-file", "-e", f"{tip}^{{commit}}"):
        fetch = ("fetch", "--quiet", "--no-tags", remote, f"refs/heads/{branch}")
        if not git.ok(*fetch[:3], "--no-write-fetch-head", *fetch[3:]):
            git(*fetch)  # git before 2.29 has no --no-write-fetch-head; that costs FETCH_HEAD
    return tip


def _stage_tree(git: _Git, snapshot: Path, parent: str | None) -> str:
    """Write the snapshot (plus `.nojekyll`, and the branch's CNAME if the site has none)
    as a tree with plumbing alone: no work tree, no filters, no ignore rules."""
    paths = sorted(p.relative_to(snapshot).as_posix() for p in snapshot.rglob("*") if p.is_file())
    shas = git("hash-object", "-w", "--no-filters", "--stdin-paths",
               input="".join(f"{snapshot / p}\n" for p in paths).encode("utf-8")).split()
    entries = [f"100644 {sha}\t{path}" for sha, path in zip(shas, paths, strict=True)]
    empty = git("hash-object", "-w", "--stdin", input=b"")
    entries.append(f"100644 {empty}\t.nojekyll")
    if parent is not None and "CNAME" not in paths:
        kept = git("ls-tree", parent, "CNAME", check=False)
        if kept:
            mode, _kind, rest = kept.split(" ", 2)
            entries.append(f"{mode} {rest}")
    git("read-tree", "--empty")
    git("update-index", "-z", "--add", "--index-info",
        input="".join(entry + "\0" for entry in entries).encode("utf-8"))
    return git("write-tree")


def _looks_like_source(git: _Git, commit: str) -> bool:
    names = git("ls-tree", "--name-only", commit).splitlines()
    return any(name in names for name in _SOURCE_MARKERS)


def _default_remote(git: _Git) -> str | None:
    return "origin" if git.ok("remote", "get-url", "origin") else None


def _message(portals: list[str], count: int, *, keep_history: bool) -> str:
    subject = f"Publish {len(portals)} portal{'s' * (len(portals) != 1)} ({count} files)"
    if keep_history:
        return f"{subject}\n\nWritten by `portico publish --keep-history`.\n"
    return (f"{subject}\n\nWritten by `portico publish`. This branch holds this one commit: "
            "earlier builds'\nciphertext is not kept, so a revoked reader cannot open an "
            "older build from it.\n")


def _push(git: _Git, remote: str, branch: str, commit: str, *, lease: str | None) -> None:
    """Push `commit` to `branch`; with `lease` (the tip read, "" for none) replace that tip.

    The lease is checked by the receiving side while it holds the ref's lock, so of two
    publishes that read the same tip only the first lands; the second fails here.
    """
    ref = f"refs/heads/{branch}"
    force = () if lease is None else (f"--force-with-lease={ref}:{lease}",)
    done = git.run("push", "--quiet", *force, remote, f"{commit}:{ref}")
    if done.returncode == 0:
        return
    message = done.stderr.strip() or f"exit {done.returncode}"
    moved = ("stale info", "failed to update ref", "cannot lock ref") if lease is not None \
        else ("fetch first", "non-fast-forward")  # stale info: the client-side lease check
    if any(sign in message for sign in moved):
        raise PorticoError(f"{branch} on {remote} moved since this publish read it (another "
                           "publish?); nothing was replaced: publish again")
    hint = "" if lease is None else (
        f"; if {remote} refuses forced updates of {branch} (a protected branch, "
        "receive.denyNonFastForwards), allow them for that branch: it must be able to drop "
        "older builds (--keep-history appends instead, keeping them)")
    raise PorticoError(f"could not push to {remote} (git push failed: {message}){hint}")


def publish_to_git(site: Path, branch: str, *, remote: str | None, repo: Path,
                   keep_history: bool = False, only: Collection[str] | None = None,
                   cname: str | None = None,
                   allow_example_reader: bool = False) -> PublishResult:
    """Commit the verified portals of `site` to `branch`, gh-pages style, and push it.

    By default the branch is left holding one commit, with no parent: the previous tip is
    replaced (pushed with a lease on the tip read, so a concurrent publish is never
    overwritten unseen). `keep_history` makes the commit a child of the tip instead. A
    commit is made only when the tree changed (or, by default, when the branch still has
    older commits to drop). `.nojekyll` is added; a CNAME on the branch is kept unless the
    snapshot has one (`cname`). `only` publishes just those portals;
    `allow_example_reader` as in `snapshot_site`. `remote` is a URL or a
    remote name of `repo`; None means `repo`'s `origin` if it has one, else the local
    branch alone. Works with git plumbing and a private index: the user's working tree,
    index and current branch are never touched (with a remote, no local ref is either).
    Raises PorticoError, publishing nothing, on any problem.
    """
    site = site.resolve()
    if cname is not None:
        cname = check_cname(cname)
    git_dir = _git_dir(repo)
    with tempfile.TemporaryDirectory(prefix="portico-publish-") as tmp:
        scratch = Path(tmp)
        if git_dir is None:
            if remote is None:
                raise PorticoError(f"{repo} is not a git repository; give --remote URL to "
                                   "publish to another repository")
            git_dir = scratch / "repo.git"
            subprocess.run(["git", "init", "--quiet", "--bare", str(git_dir)], check=True,
                           capture_output=True)
        git = _Git(git_dir, scratch / "index")
        if not git.ok("check-ref-format", f"refs/heads/{branch}") or branch.startswith("-"):
            raise PorticoError(f"--to git:{branch}: not a valid branch name")
        if remote is None:
            remote = _default_remote(git)
        if remote is None and _checked_out(git, branch):
            raise PorticoError(f"--to git:{branch}: that branch is checked out in {repo}; "
                               "publish to a branch of its own, e.g. git:gh-pages")
        (scratch / "site").mkdir()
        portals, count = snapshot_site(site, scratch / "site", only=only, cname=cname,
                                       allow_example_reader=allow_example_reader)
        tip = _branch_tip(git, branch, remote)
        where = f"{remote}'s {branch}" if remote else branch
        if tip is not None and _looks_like_source(git, tip):
            raise PorticoError(f"--to git:{branch}: {where} holds sources ("
                               f"{' or '.join(_SOURCE_MARKERS)}), not a published site; "
                               "refusing to replace it (use a branch of its own, e.g. gh-pages)")
        tree = _stage_tree(git, scratch / "site", tip)
        target = f"{branch} on {remote}" if remote else branch
        history = int(git("rev-list", "--count", tip)) if tip is not None else 0
        if (tip is not None and git("rev-parse", f"{tip}^{{tree}}") == tree
                and (keep_history or history == 1)):
            return PublishResult(target=target, portals=portals, files=count, changed=False)
        _identity(git)
        message = _message(portals, count, keep_history=keep_history)
        commit = git("commit-tree", tree, *(("-p", tip) if keep_history and tip else ()),
                     input=message.encode("utf-8"))
        replaced = None if keep_history else tip
        notes = []
        if replaced is not None:
            replaced_what = "the previous commit" if history == 1 else f"all {history} commits"
            notes.append(f"replaced {replaced_what} of {branch}: it holds this one alone, "
                         "no older build")
        if remote is None:
            git("update-ref", "-m", "portico publish", f"refs/heads/{branch}", commit,
                tip or _NO_COMMIT)
            notes.append("no remote: committed to the local branch only" + (
                f" (push it with `git push --force-with-lease REMOTE {branch}`)"
                if replaced is not None else ""))
            return PublishResult(target=target, portals=portals, files=count, changed=True,
                                 commit=commit, replaced=replaced, notes=notes)
        _push(git, remote, branch, commit, lease=None if keep_history else (tip or ""))
        return PublishResult(target=target, portals=portals, files=count, changed=True,
                             commit=commit, pushed_to=remote, replaced=replaced, notes=notes)
