"""A client's files as they stood at each commit, read from git with plain plumbing.

The engagement's history is the first-parent chain of commits that changed
`clients/<slug>/`, from the newest commit that created its `client.yml` (a slug reused
for a new engagement starts a new history) up to the last commit on or before the build's
`today`. Nothing parses `.git` by hand: `git log` lists the commits, `git archive` gives a
commit's client folder, and the ordinary loader reads it.

Reading a client's history costs one `git log` for that client; telling which clients'
histories moved costs one git call for the whole repository (`last_commits`). What a
commit *contained* is only read when asked (`engagement_at`); `portal.changes` keeps what
it derives from each commit in a cache file keyed by commit, so an incremental build reads
only the commits it has not seen.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portico.content.errors import ContentError

if TYPE_CHECKING:
    from portico.content.model import Engagement, Forget

GIT_TIMEOUT = 60  # seconds for one git command; a history read is a few of them


@dataclass(frozen=True)
class Revision:
    """One commit that changed the client's folder."""

    commit: str  # the full object id
    when: dt.datetime  # the committer date, with its offset

    @property
    def day(self) -> dt.date:
        """The commit's calendar day, in the committer's own time zone."""
        return self.when.date()

    @property
    def short(self) -> str:
        return self.commit[:10]


def _forget_nothing() -> Forget:
    # Imported when first used: the models cost a no-op build, which asks `last_commits` only.
    from portico.content.model import Forget

    return Forget()


@dataclass
class History:
    """The revisions of one client folder, oldest first; empty outside a git checkout."""

    root: Path  # the practice (where mkdocs.yml and clients/ are)
    slug: str
    revisions: list[Revision] = field(default_factory=list)
    cache_file: Path | None = None  # where `portal.changes` keeps what it derived, by commit
    shallow: bool = False  # a shallow clone: older commits are missing (CI: fetch-depth 0)
    hidden: frozenset[str] = frozenset()  # titles of items internal today (portal.changes)
    forget: Forget = field(default_factory=_forget_nothing)  # client.yml `forget:`
    scratch: Path | None = None  # where a commit's files are unpacked (None: system temp)
    # A client view's filter (portal.audience), applied to every past state: a view's
    # What's new and board packs never tell of an item outside it, then or now.
    view: Callable[[Engagement], Engagement] | None = field(default=None, repr=False)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)  # what portal derives
    unreadable: set[str] = field(default_factory=set, repr=False)  # git failed: not cached
    _loaded: dict[str, Engagement | None] = field(default_factory=dict, repr=False)

    def at(self, day: dt.date) -> Revision | None:
        """The last revision on or before `day`, or None when the folder did not exist yet."""
        found = None
        for revision in self.revisions:
            if revision.day <= day:
                found = revision
        return found

    def engagement_at(self, revision: Revision) -> Engagement | None:
        """The client as loaded from `revision`'s files; None when they did not load (a
        commit that `portico check` would have refused is no state the client ever saw)."""
        if revision.commit not in self._loaded:
            try:
                self._loaded[revision.commit] = _load_at(self.root, self.slug, revision.commit,
                                                         self.scratch)
            except _Unreadable:  # git itself failed: a fact about this run, not the commit
                self.unreadable.add(revision.commit)
                self._loaded[revision.commit] = None
        loaded = self._loaded[revision.commit]
        return self.view(loaded) if loaded is not None and self.view is not None else loaded


class _Unreadable(Exception):
    """git could not give a commit's files (a timeout, a lock, a damaged object)."""


def read_history(root: Path, slug: str, today: dt.date, *,
                 cache_file: Path | None = None, scratch: Path | None = None) -> History:
    """The history of `clients/<slug>` in the git checkout at `root`, up to `today`.

    A past commit's files are plain text: they are unpacked under `scratch` (a build's
    private working folder), or the system temp folder when None, and removed once loaded.
    """
    history = History(root, slug, cache_file=cache_file, scratch=scratch)
    history.shallow = (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    log = _folder_log(root, slug, cache_file, history.shallow)
    if log is None:
        return history  # not a git checkout, or no git: a portal without history
    start, listed = log
    newest_first: list[Revision] = []
    for line in listed.splitlines():
        commit, _, when = line.partition(" ")
        newest_first.append(Revision(commit, dt.datetime.fromisoformat(when)))
        if commit == start:
            break
    else:
        if start and not history.shallow:
            return history  # the creating commit is not in the folder's log: trust neither
    history.revisions = [r for r in reversed(newest_first) if r.day <= today]
    return history


_LOG_LINE = re.compile(r"[0-9a-f]{40,64} \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)")


def _folder_log(root: Path, slug: str, cache_file: Path | None, shallow: bool
                ) -> tuple[str, str] | None:
    """(the commit that created the client's client.yml, the `id date` lines of every
    commit that changed its folder, newest first); None outside git.

    Both depend only on the newest commit that changed the folder, so they are kept beside
    the history cache under it: a build after an edit not yet committed (the CTO's own
    loop) or of a client's other views asks git one short question, not two long ones.
    """
    folder = f"clients/{slug}"
    tip = last_commit(root, slug)
    kept = cache_file.with_name(f"{slug}.log.json") if cache_file else None  # for every view
    if kept is not None and tip:
        try:
            data = json.loads(kept.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None  # absent or damaged: asked again, never trusted
        if isinstance(data, dict) and data.get("tip") == tip \
                and data.get("shallow") is shallow \
                and isinstance(born := data.get("born"), str) \
                and (born == "" or _COMMIT.fullmatch(born)) \
                and isinstance(lines := data.get("listed"), list) \
                and all(isinstance(line, str) and _LOG_LINE.fullmatch(line) for line in lines):
            return born, "\n".join(lines)
    # Renames are never followed (log.follow=true in a user's config would take another
    # folder's, another client's, history): the path is the client.
    born = _git(root, "log", "--first-parent", "--no-renames", "--diff-filter=A", "-1",
                "--format=%H", "--", f"{folder}/client.yml")
    listed = _git(root, "log", "--first-parent", "--no-renames", "--format=%H %cI", "--",
                  folder)
    if born is None or listed is None:
        return None
    if kept is not None and tip:
        _keep(kept, {"tip": tip, "shallow": shallow, "born": born.strip(),
                     "listed": listed.splitlines()})
    return born.strip(), listed


def _keep(path: Path, data: object) -> None:
    """Written whole or not at all (a client's views write it at once), readable by the
    owner only, as the rest of the cache; a cache that cannot be written is only slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def _git(root: Path, *args: str) -> str | None:
    """`git -C root ARGS`'s output, or None when git or the repository is not there."""
    try:
        done = subprocess.run(["git", "-c", "log.follow=false", "-C", str(root), *args],
                              capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@functools.lru_cache(maxsize=8)
def _prefix(root: Path) -> str | None:
    """Where `root` sits in its repository ("" at the top): asked once, not per commit."""
    found = _git(root, "rev-parse", "--show-prefix")
    return None if found is None else found.strip()


def last_commit(root: Path, slug: str, rev: str = "HEAD") -> str:
    """The newest commit on `rev`'s first-parent chain that changed the client's folder
    ("" outside git)."""
    found = _git(root, "log", "-1", "--first-parent", "--format=%H", rev, "--",
                 f"clients/{slug}")
    return (found or "").strip()


def last_commits(root: Path, slugs: Sequence[str], *, since: str = "",
                 known: Mapping[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """(HEAD, slug → `last_commit`) for every client of `slugs`, and of `known`.

    `known`: what this returned when HEAD was `since` (a previous build). HEAD unchanged,
    that is one git call for the repository; HEAD moved ahead along its first-parent chain,
    one more (`git log since..HEAD`, the clients its commits touched). Only when `since` is
    not on HEAD's first-parent chain (none given, a shallow clone that lacks it, history
    rewritten or reset) is each client asked on its own. Outside git: ("", every slug → "").
    """
    known = dict(known or {})
    if not _COMMIT.fullmatch(since):
        since = ""  # a cache's word is checked before it reaches a command line
    head = (_git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}") or "").strip()
    if not head:
        return "", dict.fromkeys(slugs, "")
    moved = {} if since == head else _touched_since(root, since, head) if since else None
    commits = {} if moved is None else {**known, **moved}
    for slug in slugs:
        if slug not in commits:
            commits[slug] = last_commit(root, slug, head)
    return head, commits


_COMMIT = re.compile(r"[0-9a-f]{40,64}")
_HEADER = re.compile(rb"\x01([0-9a-f]{40,64})((?: [0-9a-f]{40,64})*)")


def _touched_since(root: Path, since: str, head: str) -> dict[str, str] | None:
    """slug → the newest commit of since..head (first parents) that changed clients/<slug>;
    None when `since` is not on `head`'s first-parent chain (or git fails)."""
    try:
        done = subprocess.run(
            ["git", "-c", "log.follow=false", "-c", "log.showSignature=false", "-C", str(root),
             "log", "-z", "--no-color", "--first-parent", "--diff-merges=first-parent",
             "--no-renames", "--relative", "--name-only", "--format=%x01%H %P",
             f"{since}..{head}", "--"],
            capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    touched: dict[str, str] = {}
    commit, parents = "", ""
    after_header = False
    for token in done.stdout.split(b"\0"):
        header = _HEADER.fullmatch(token)
        if header:
            commit, parents = header[1].decode(), header[2].decode()
            after_header = True
            continue
        if after_header and token.startswith(b"\n"):
            token = token[1:]  # the newline between a commit's header and its first file
        after_header = False
        parts = token.split(b"/")
        if commit and len(parts) > 1 and parts[0] == b"clients":
            touched.setdefault(parts[1].decode("utf-8", "surrogateescape"), commit)
    # The oldest commit listed must sit right on `since`: else `since` is not on the chain
    # (history rewritten, or HEAD reset behind it) and the clients it did not touch may
    # have another last commit too.
    if not commit or parents.split()[:1] != [since]:
        return None
    return touched


def _load_at(root: Path, slug: str, commit: str, scratch: Path | None) -> Engagement | None:
    from portico.content.load import load_engagement

    prefix = _prefix(root)
    if prefix is None:
        raise _Unreadable(commit)
    try:
        tar = subprocess.run(
            ["git", "-C", str(root), "archive", "--format=tar",
             f"{commit}:{prefix}clients/{slug}"],
            capture_output=True, timeout=GIT_TIMEOUT, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        raise _Unreadable(commit) from None
    if scratch is not None:
        scratch.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"portico-history-{slug}-", dir=scratch) as unpacked:
        folder = Path(unpacked) / "clients" / slug
        folder.mkdir(parents=True)
        import tarfile  # here: a no-op build reads no past state

        try:
            with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
                archive.extractall(folder, filter="data")
        except (tarfile.TarError, OSError):
            return None  # e.g. a link pointing outside the folder: no state to show
        try:
            engagement = load_engagement(Path(unpacked), slug)
        except ContentError:
            return None
        # Its Markdown bodies are read already; the scratch folder goes, so the paths in the
        # documents name files that no longer exist: nothing may read them again.
        return engagement
