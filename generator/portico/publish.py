"""Protected site → a folder or a git branch, and only a site that passed `verify`.

Publishing first copies the site into a snapshot and checks every portal of the snapshot
against the verify record the build left (`verify_record.py`, re-exported here): a portal
built by hand, edited after its build, or left half-written is never published. The
record, like every other dot-entry of the site root (temporary build folders), is never
published itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PorticoError
from .swap import replace_directory
from .verify_record import (
    RECORD,
    SITE_ROOT_FILES,
    check_verified,
    is_verified,
    portal_digest,
    read_record,
    record_verified,
    site_entries,
)

__all__ = [
    "PublishResult",
    "RECORD",
    "SITE_ROOT_FILES",
    "check_verified",
    "is_verified",
    "portal_digest",
    "publish_to_dir",
    "publish_to_git",
    "record_verified",
]

PUBLISHED_MARKER = ".portico-published"
"""An empty file `publish_to_dir` leaves in its target, so a later publish may replace it.
Empty on purpose: a static host may serve it, and the site root lists no clients."""
_SOURCE_MARKERS = ("clients", "mkdocs.yml")


@dataclass
class PublishResult:
    """What a publish did: where to, which portals, and whether anything changed."""

    target: str
    portals: list[str]
    files: int
    changed: bool
    commit: str | None = None
    pushed_to: str | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        count = f"{len(self.portals)} portal{'s' * (len(self.portals) != 1)}, {self.files} files"
        if not self.changed:
            return f"no change, nothing committed ({self.target}: {count})"
        if self.commit is None:
            return f"published {count} to {self.target}"
        if self.pushed_to:
            return f"committed {self.commit[:12]} ({count}) and pushed it to {self.target}"
        return f"committed {self.commit[:12]} to {self.target} ({count})"


def _refuse(site: Path, problems: Sequence[str]) -> PorticoError:
    listed = "\n  ".join(problems)
    return PorticoError(f"refusing to publish {site}: it did not pass verify as it is now; "
                        f"nothing was published:\n  {listed}")


def _snapshot(site: Path, dest: Path) -> tuple[list[str], int]:
    """Copy the publishable part of `site` into the empty folder `dest` and check the copy.

    The copy, not the live site, is what gets published, and it is checked against the
    record after copying: a build running meanwhile cannot slip in an unverified byte.
    Returns (portals, file count); raises PorticoError on any problem.
    """
    site = site.resolve()
    problems = check_verified(site)
    if problems:
        raise _refuse(site, problems)
    record = read_record(site)
    portals, files, problems = site_entries(site)
    for name in files:
        shutil.copyfile(site / name, dest / name)
    for slug in portals:
        shutil.copytree(site / slug, dest / slug, symlinks=True)
    problems = check_verified(dest, record=record)
    if problems:
        raise _refuse(site, problems)
    count = sum(1 for p in dest.rglob("*") if p.is_file())
    return portals, count


# --- Publish to a folder -----------------------------------------------------------------


def _within(a: Path, b: Path) -> bool:
    return a == b or b in a.parents


def publish_to_dir(site: Path, target: Path) -> PublishResult:
    """Replace folder `target` with the verified portals of `site`, atomically.

    A complete copy is made beside `target` and swapped in with one rename: readers see
    the previous site or the new one, never a mix. The site root's dot-entries (the verify
    record, temporary build folders) are left out. `target` must be missing, empty, or a
    previous publish. Raises PorticoError, publishing nothing, on any problem.
    """
    site = site.resolve()
    target = target.resolve()
    if _within(target, site) or _within(site, target):
        raise PorticoError(f"--to {target}: must be outside the site {site}, and not hold it")
    if target.exists() and not target.is_dir():
        raise PorticoError(f"--to {target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / PUBLISHED_MARKER).exists():
        raise PorticoError(f"--to {target}: a folder that is not empty and was not made by "
                           "`portico publish`; refusing to replace it (choose a new or empty "
                           "folder)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _publish_lock(target):
        return _publish_copy(site, target)


@contextlib.contextmanager
def _publish_lock(target: Path) -> Iterator[None]:
    """One publish to `target` at a time; copies a killed publish left beside it are removed."""
    path = target.parent / f".{target.name}.publish.lock"
    with open(path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PorticoError(f"--to {target}: another portico publish is writing it") from None
        try:
            for stale in target.parent.glob(f".{target.name}.publish-*"):
                if stale.is_dir() and not stale.is_symlink():
                    shutil.rmtree(stale, ignore_errors=True)
            yield
        finally:
            path.unlink(missing_ok=True)  # leave nothing beside the published folder


def _publish_copy(site: Path, target: Path) -> PublishResult:
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.publish-", dir=target.parent))
    try:
        portals, count = _snapshot(site, work)
        (work / PUBLISHED_MARKER).write_bytes(b"")
        work.chmod(0o755)  # mkdtemp makes it 0700; a web server must be able to read it
        try:
            replace_directory(work, target)
        except OSError as exc:
            raise PorticoError(f"--to {target}: could not swap the new site into place "
                               f"({exc.strerror}); it must be a folder on the same file "
                               "system as its parent, not a mount point") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return PublishResult(target=str(target), portals=portals, files=count, changed=True)


# --- Publish to a git branch -------------------------------------------------------------


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
        return subprocess.run(["git", *args], env=self.env, capture_output=True,
                              check=False).returncode == 0


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


def publish_to_git(site: Path, branch: str, *, remote: str | None, repo: Path) -> PublishResult:
    """Commit the verified portals of `site` to `branch`, gh-pages style, and push it.

    History is kept (each publish is one commit on the branch's previous tip), `.nojekyll`
    is added, and a commit is made only when the tree changed. `remote` is a URL or a
    remote name of `repo`; None means `repo`'s `origin` if it has one, else the local
    branch alone. Works with git plumbing and a private index: the user's working tree,
    index and current branch are never touched (with a remote, no local ref is either).
    Raises PorticoError, publishing nothing, on any problem.
    """
    site = site.resolve()
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
        portals, count = _snapshot(site, scratch / "site")
        parent = _branch_tip(git, branch, remote)
        where = f"{remote}'s {branch}" if remote else branch
        if parent is not None and _looks_like_source(git, parent):
            raise PorticoError(f"--to git:{branch}: {where} holds sources ("
                               f"{' or '.join(_SOURCE_MARKERS)}), not a published site; "
                               "refusing to replace it (use a branch of its own, e.g. gh-pages)")
        tree = _stage_tree(git, scratch / "site", parent)
        target = f"{branch} on {remote}" if remote else branch
        if parent is not None and git("rev-parse", f"{parent}^{{tree}}") == tree:
            return PublishResult(target=target, portals=portals, files=count, changed=False)
        _identity(git)
        message = (f"Publish {len(portals)} portal{'s' * (len(portals) != 1)} "
                   f"({count} files)\n\nWritten by `portico publish`.\n")
        commit = git("commit-tree", tree, *(("-p", parent) if parent else ()),
                     input=message.encode("utf-8"))
        if remote is None:
            git("update-ref", "-m", "portico publish", f"refs/heads/{branch}", commit,
                parent or "0" * 40)
            return PublishResult(target=target, portals=portals, files=count, changed=True,
                                 commit=commit, notes=["no remote: committed to the local "
                                                       "branch only"])
        try:
            git("push", "--quiet", remote, f"{commit}:refs/heads/{branch}")
        except PorticoError as exc:
            raise PorticoError(f"could not push to {remote} ({exc}); if the branch moved "
                               "meanwhile, publish again") from None
        return PublishResult(target=target, portals=portals, files=count, changed=True,
                             commit=commit, pushed_to=remote)
