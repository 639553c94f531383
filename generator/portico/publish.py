"""Protected site → a folder or a git branch, and only a site that passed `verify`.

The build leaves a record of what it verified: `site/.portico/verified.json` maps each
portal's slug to the SHA-256 of its file list and contents (`record_verified`, called by
the pipeline once a portal has passed verify and been swapped into place). Publishing
first copies the site into a snapshot, checks every portal of the snapshot against that
record (`check_verified`), and refuses on any difference: a portal built by hand, edited
after its build, or left half-written is never published. The record, like every other
dot-entry of the site root (temporary build folders), is never published itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PorticoError
from .swap import replace_directory

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

RECORD = Path(".portico") / "verified.json"
"""The verify record, relative to the site root; a dot-folder, so never published."""
RECORD_FORMAT = 1
SITE_ROOT_FILES = frozenset({"index.html", "robots.txt", "CNAME"})
"""Plain files allowed beside the portals in the site root (`prepare_site_root`, a custom
domain). Any other file there is refused: nothing vouches for it."""
PUBLISHED_MARKER = ".portico-published"
"""An empty file `publish_to_dir` leaves in its target, so a later publish may replace it.
Empty on purpose: a static host may serve it, and the site root lists no clients."""
_SOURCE_MARKERS = ("clients", "mkdocs.yml")
_SHA256 = re.compile(r"^sha256:[0-9a-f]{64}$")


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
        where = f"; pushed to {self.pushed_to}" if self.pushed_to else ""
        return f"committed {self.commit[:12]} to {self.target} ({count}){where}"


# --- The verify record -------------------------------------------------------------------


def _portal_files(portal: Path) -> list[Path]:
    """Every file of a portal, sorted by path; raises PorticoError on a link or special file."""
    files: list[Path] = []
    for path in portal.rglob("*"):
        if path.is_symlink():
            raise PorticoError(f"{path}: a symbolic link, which `portico build` never makes")
        if path.is_file():
            files.append(path)
        elif not path.is_dir():
            raise PorticoError(f"{path}: not a regular file")
    return sorted(files, key=lambda p: p.relative_to(portal).as_posix())


def portal_digest(portal: Path) -> str:
    """`sha256:<hex>` over a portal's sorted file list and each file's contents.

    Any added, removed, renamed or changed file changes the digest.
    """
    outer = hashlib.sha256()
    for path in _portal_files(portal):
        inner = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                inner.update(block)
        rel = path.relative_to(portal).as_posix().encode("utf-8")
        outer.update(b"%d:%s %s\n" % (len(rel), rel, inner.hexdigest().encode("ascii")))
    return "sha256:" + outer.hexdigest()


def _read_record(site_root: Path) -> dict[str, str]:
    """slug → digest from the record; {} if there is none. Raises PorticoError if unreadable."""
    path = site_root / RECORD
    if not path.exists():
        return {}
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PorticoError(f"{path}: unreadable verify record ({exc}); rebuild with "
                           "`portico build --force`") from None
    portals = data.get("portals") if isinstance(data, dict) else None
    if (not isinstance(data, dict) or data.get("format") != RECORD_FORMAT
            or not isinstance(portals, dict)):
        raise PorticoError(f"{path}: not a Portico verify record (format {RECORD_FORMAT}); "
                           "rebuild with `portico build --force`")
    record: dict[str, str] = {}
    for slug, entry in portals.items():
        digest = entry.get("digest") if isinstance(entry, dict) else None
        if isinstance(digest, str) and _SHA256.match(digest):
            record[str(slug)] = digest
    return record


@contextmanager
def _record_lock(site_root: Path) -> Iterator[None]:
    """Serialise record updates across the build's worker processes (POSIX file lock)."""
    folder = site_root / RECORD.parent
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # no fcntl (Windows): builds there run one record update at a time
        yield
        return
    with (folder / "verified.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def record_verified(site_root: Path, slug: str) -> None:
    """Record that `site_root/slug` passed verify, as it is on disk now.

    Call it right after the verified portal was swapped into place. Updates
    `site_root/.portico/verified.json` atomically (safe from parallel workers) and drops
    entries of portals that no longer exist. Raises PorticoError if there is no portal.
    """
    portal = site_root / slug
    if not portal.is_dir():
        raise PorticoError(f"{portal}: no portal to record as verified")
    digest = portal_digest(portal)
    path = site_root / RECORD
    with _record_lock(site_root):
        portals = {name: entry for name, entry in _read_entries(path).items()
                   if name != slug and (site_root / name).is_dir()}
        portals[slug] = {"digest": digest,
                         "verified_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        text = json.dumps({"format": RECORD_FORMAT, "portals": dict(sorted(portals.items()))},
                          indent=2) + "\n"
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".verified-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)


def _read_entries(path: Path) -> dict[str, dict[str, str]]:
    """The record's well-formed entries, to keep; {} when there is no readable record.

    A broken record vouches for nothing, so its entries are dropped and those portals
    must be rebuilt before they can be published.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    portals = data.get("portals") if isinstance(data, dict) else None
    if not isinstance(portals, dict) or data.get("format") != RECORD_FORMAT:
        return {}
    return {str(name): {k: str(v) for k, v in entry.items() if k in ("digest", "verified_at")}
            for name, entry in portals.items()
            if isinstance(entry, dict) and _SHA256.match(str(entry.get("digest", "")))}


def is_verified(site_root: Path, slug: str) -> bool:
    """True when `site_root/slug` is on disk exactly as it was when it passed verify.

    For an incremental build: a portal that is up to date but unrecorded (built before
    the record existed) should be rebuilt rather than skipped, or publish will refuse it.
    """
    portal = site_root / slug
    try:
        expected = _read_record(site_root).get(slug)
        return expected is not None and portal.is_dir() and portal_digest(portal) == expected
    except PorticoError:
        return False


def _site_entries(site_root: Path) -> tuple[list[str], list[str], list[str]]:
    """(portal folders, plain root files, problems) of a site root, dot-entries left out."""
    portals: list[str] = []
    files: list[str] = []
    problems: list[str] = []
    for entry in sorted(site_root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(f"{entry.name}: a symbolic link, which `portico build` never makes")
        elif entry.is_dir():
            portals.append(entry.name)
        elif entry.name in SITE_ROOT_FILES and entry.is_file():
            files.append(entry.name)
        else:
            problems.append(f"{entry.name}: not made by `portico build` (the site root holds "
                            f"only portals and {', '.join(sorted(SITE_ROOT_FILES))})")
    return portals, files, problems


def check_verified(site_root: Path, *, record: Mapping[str, str] | None = None) -> list[str]:
    """Problems that stop `site_root` from being published; [] when every portal is verified.

    A problem is a portal missing from the record, a portal whose files no longer match
    the digest recorded when it passed verify, or a root entry the build does not make.
    `record` (slug → digest) defaults to the site's own record.
    """
    if not site_root.is_dir():
        return [f"{site_root}: no such folder (run `portico build` first)"]
    try:
        recorded = dict(record) if record is not None else _read_record(site_root)
    except PorticoError as exc:
        return [str(exc)]
    portals, _files, problems = _site_entries(site_root)
    if not portals:
        problems.append(f"{site_root}: no portals to publish (run `portico build` first)")
    for slug in portals:
        expected = recorded.get(slug)
        if expected is None:
            problems.append(f"{slug}: not in the verify record, so it did not pass verify "
                            f"in `portico build` (rebuild it: `portico build --force {slug}`)")
            continue
        try:
            actual = portal_digest(site_root / slug)
        except PorticoError as exc:
            problems.append(str(exc))
            continue
        if actual != expected:
            problems.append(f"{slug}: changed since it passed verify (rebuild it: "
                            f"`portico build --force {slug}`)")
    return problems


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
    record = _read_record(site)
    portals, files, problems = _site_entries(site)
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
        git("fetch", "--quiet", "--no-tags", "--no-write-fetch-head", remote,
            f"refs/heads/{branch}")
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
