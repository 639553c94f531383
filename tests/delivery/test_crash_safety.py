"""A build killed half-way, a full disk or an unwritable output leave every published portal
exactly as it was, and the next build works.

`portico build` runs as a real subprocess here (its workers are forked, so the whole process
group is killed, as an out-of-memory kill or a power cut would). The disk-full and
read-only cases mount a small tmpfs, which needs root and CAP_SYS_ADMIN; they skip where
mounting is not permitted.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SLUG = "lumen-health"
# Text of the client that must never sit readable under site/ (client.yml and assessment.md).
PLAIN = [b"Lumen Health", b"Owen Patel", b"hospital pilots"]
WORK = ".portico-cache/work"  # where a build's plain text lives while it runs (workdir.py)



# Where the engine's own files go (the plain docs tree and site it writes) is tested with each
# engine; what happens after the engine (protect, publish, a full disk) is the same code for
# every engine and is tested with MkDocs.
EACH_ENGINE = pytest.mark.parametrize("repo", ["mkdocs", "zensical"], indirect=True)


@pytest.fixture
def repo(request: pytest.FixtureRequest, tmp_path: Path,
         copy_demo: Callable[[Path], Path]) -> Path:
    """The demo practice, building with MkDocs, or the engine a test names (EACH_ENGINE)
    as mkdocs.yml's extra.portico.engine."""
    engine = getattr(request, "param", "mkdocs")
    root = copy_demo(tmp_path / "repo")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nextra:\n" in text
    config.write_text(text.replace("\nextra:\n", f"\nextra:\n  portico:\n    engine: "
                                   f"{engine}\n", 1), encoding="utf-8")
    return root


def portico(root: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    tmp = root.parent / "tmp"  # the same TMPDIR as the killed builds'
    tmp.mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "portico", "--root", str(root), *args],
                          cwd=root, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "GITHUB_ACTIONS": "", "TMPDIR": str(tmp)})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def plain_text_under(folder: Path) -> list[str]:
    """Files under `folder` (dot-folders included) holding readable client text."""
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and any(text in p.read_bytes() for text in PLAIN)]


def kill_when(root: Path, *patterns: str, attempts: int = 3) -> list[Path]:
    """Start a forced build; SIGKILL its process group once a path matching a pattern exists.

    Patterns are globs under the site root, the practice root or the build's own TMPDIR
    (`root/../tmp`), wherever a build may write. Returns the temporary folders left beside the portal.
    Retries if the build finished before it could be caught (the race is the build's).
    """
    tmp = root.parent / "tmp"
    tmp.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmp), "GITHUB_ACTIONS": ""}
    for _ in range(attempts):
        build = subprocess.Popen(
            [sys.executable, "-m", "portico", "--root", str(root), "build", SLUG, "--force"],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            start_new_session=True)
        caught = False
        deadline = time.monotonic() + 120
        while build.poll() is None and time.monotonic() < deadline:
            if any(next(base.glob(pattern), None) for base in (root / "site", tmp, root)
                   for pattern in patterns):
                os.killpg(build.pid, signal.SIGKILL)
                caught = True
                break
            time.sleep(0.002)
        build.wait(timeout=30)
        if caught:
            return sorted((root / "site").glob(f".{SLUG}.*"))
    pytest.fail(f"the build never reached {patterns} before finishing")


@pytest.fixture
def published(repo: Path) -> dict[str, bytes]:
    done = portico(repo, "build", SLUG)
    assert done.returncode == 0, done.stderr
    return snapshot(repo / "site")


def test_a_build_killed_while_writing_the_portal_changes_nothing_published(
        repo: Path, published: dict[str, bytes]) -> None:
    leftovers = kill_when(repo, f".{SLUG}.*/portal")
    assert leftovers, "the killed build was writing in a temporary folder beside the portal"
    assert all(p.name.startswith(".") for p in leftovers)
    now = snapshot(repo / "site")
    assert {k: v for k, v in now.items() if not k.startswith(".")} == \
           {k: v for k, v in published.items() if not k.startswith(".")}
    done = portico(repo, "build", SLUG)  # inputs unchanged, portal as built: kept
    assert done.returncode == 0 and "1 unchanged" in done.stdout, done.stdout + done.stderr
    done = portico(repo, "build", SLUG, "--force")
    assert done.returncode == 0 and "1 built" in done.stdout, done.stdout + done.stderr
    assert snapshot(repo / "site" / SLUG) != {k[len(SLUG) + 1:]: v for k, v in published.items()
                                               if k.startswith(f"{SLUG}/")}
    verify = portico(repo, "verify", f"site/{SLUG}")
    assert verify.returncode == 0, verify.stderr


@EACH_ENGINE
def test_a_build_killed_mid_way_leaves_no_plain_text_under_the_site_root(
        repo: Path, published: dict[str, bytes]) -> None:
    kill_when(repo, "*/render/docs/index.md",  # the plain docs tree, wherever it is written
              f"{WORK}/*/render/docs/index.md")
    assert plain_text_under(repo / "site") == []


@EACH_ENGINE
def test_a_sigkilled_build_leaves_nothing_in_temp_and_the_next_build_sweeps_its_plain_text(
        repo: Path, published: dict[str, bytes]) -> None:
    work, tmp = repo / WORK, repo.parent / "tmp"
    # mkdocs.yml is written after the whole docs tree: by then its pages hold client text.
    kill_when(repo, f"{WORK}/*/render/mkdocs.yml", "portico-*/render/mkdocs.yml")
    # The killed build's plain text is in the practice's private cache folder, nowhere else.
    assert sorted(p.name for p in tmp.glob("portico-*")) == []
    assert plain_text_under(work), "the build was killed after writing its docs tree"
    assert stat.S_IMODE(work.stat().st_mode) == 0o700
    done = portico(repo, "build", SLUG, "--force")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in tmp.glob("portico-*")) == []
    assert plain_text_under(work) == [] and list(work.iterdir()) == []
    # `portico verify` sweeps too.
    kill_when(repo, f"{WORK}/*/render/mkdocs.yml")
    assert plain_text_under(work)
    verify = portico(repo, "verify", f"site/{SLUG}")
    assert verify.returncode == 0, verify.stderr
    assert list(work.iterdir()) == []


def test_the_next_build_sweeps_what_a_killed_build_left(
        repo: Path, published: dict[str, bytes]) -> None:
    assert kill_when(repo, f".{SLUG}.*/portal")
    done = portico(repo, "build", SLUG, "--force")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted((repo / "site").glob(f".{SLUG}.*")) == []


# --- full disk, read-only output, output under a file -----------------------------------


class Tmpfs:
    """A mount point for a small tmpfs; skips the test where mounting is refused."""

    def __init__(self, point: Path) -> None:
        self.point = point
        self.mounted = False

    def mount(self, options: str) -> None:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(self.point)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        self.mounted = True

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.point)], check=True)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Tmpfs]:
    (tmp_path / "mnt").mkdir()
    fs = Tmpfs(tmp_path / "mnt")
    yield fs
    if fs.mounted:
        subprocess.run(["umount", "-l", str(fs.point)], check=False)


def _site_on_tmpfs(repo: Path, published: dict[str, bytes], tmpfs: Tmpfs, spare_kb: int) -> Path:
    pages = sum((len(data) + 4095) // 4096 for data in published.values())
    size_kb = pages * 4 + spare_kb
    tmpfs.mount(f"size={size_kb}k")
    shutil.copytree(repo / "site", tmpfs.point / "site", dirs_exist_ok=True)
    assert snapshot(tmpfs.point / "site") == published
    return tmpfs.point / "site"


def _failed_cleanly(done: subprocess.CompletedProcess[str], *words: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output, output
    assert any(word.lower() in output.lower() for word in words), output


def test_a_full_disk_fails_the_build_and_keeps_the_portal(
        repo: Path, published: dict[str, bytes], tmpfs: Tmpfs) -> None:
    site = _site_on_tmpfs(repo, published, tmpfs, spare_kb=256)
    done = portico(repo, "build", SLUG, "--force", "--out", str(site))
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{SLUG}: build failed, its previous portal is untouched" in done.stderr
    assert snapshot(site) == published
    assert [p for p in site.iterdir() if p.name.startswith(f".{SLUG}.")] == []


def test_a_full_disk_is_named_without_a_traceback(
        repo: Path, published: dict[str, bytes], tmpfs: Tmpfs) -> None:
    site = _site_on_tmpfs(repo, published, tmpfs, spare_kb=256)
    done = portico(repo, "build", SLUG, "--force", "--out", str(site))
    _failed_cleanly(done, "no space left on", "disk is full")


def test_a_read_only_output_folder_is_named_without_a_traceback(
        repo: Path, published: dict[str, bytes], tmpfs: Tmpfs) -> None:
    site = _site_on_tmpfs(repo, published, tmpfs, spare_kb=4096)
    tmpfs.read_only()
    done = portico(repo, "build", SLUG, "--force", "--out", str(site))
    assert snapshot(site) == published
    _failed_cleanly(done, "read-only file system", "read-only")


def test_a_read_only_output_folder_keeps_the_portal(
        repo: Path, published: dict[str, bytes], tmpfs: Tmpfs) -> None:
    site = _site_on_tmpfs(repo, published, tmpfs, spare_kb=4096)
    tmpfs.read_only()
    done = portico(repo, "build", SLUG, "--force", "--out", str(site))
    assert done.returncode != 0
    assert snapshot(site) == published


def test_an_output_path_under_a_file_is_named_without_a_traceback(repo: Path) -> None:
    (repo / "not-a-folder").write_text("a file\n")
    done = portico(repo, "build", SLUG, "--out", str(repo / "not-a-folder/site"))
    _failed_cleanly(done, "not a directory", "not a folder")


def test_an_output_path_that_is_a_file_is_refused(repo: Path) -> None:
    (repo / "site.txt").write_text("a file\n")
    done = portico(repo, "build", SLUG, "--out", str(repo / "site.txt"))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "is a file" in done.stderr
    assert (repo / "site.txt").read_text() == "a file\n"


# --- publish --to DIR killed mid-copy -----------------------------------------------------


def test_a_publish_killed_mid_copy_leaves_the_published_folder_whole(repo: Path,
                                                                     tmp_path: Path) -> None:
    """Readers of DIR see the previous publish or the new one, never a mix, whatever the kill."""
    big = repo / "clients" / SLUG / "files"
    big.mkdir(exist_ok=True)
    (big / "archive.bin").write_bytes(os.urandom(40 * 1024 * 1024))  # slows the copy down
    page = repo / "clients" / SLUG / "pages" / "archive.md"
    page.parent.mkdir(exist_ok=True)
    page.write_text("# Archive\n\n[The archive](../files/archive.bin)\n")
    assert portico(repo, "build", SLUG).returncode == 0
    target = tmp_path / "www"
    assert portico(repo, "publish", "--to", str(target)).returncode == 0
    before = snapshot(target)
    (big / "archive.bin").write_bytes(os.urandom(40 * 1024 * 1024))
    assert portico(repo, "build", SLUG).returncode == 0
    killed = False
    for _ in range(3):
        publish = subprocess.Popen(
            [sys.executable, "-m", "portico", "--root", str(repo), "publish", "--to", str(target)],
            cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while publish.poll() is None and time.monotonic() < deadline:
            copies = list(tmp_path.glob(".www.publish-*"))
            if copies and any(p.is_file() for p in copies[0].rglob("*")):
                os.killpg(publish.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.001)
        publish.wait(timeout=30)
        if killed:
            break
    assert killed, "publish finished before it could be interrupted"
    at_kill = snapshot(target)
    done = portico(repo, "publish", "--to", str(target))
    assert done.returncode == 0, done.stdout + done.stderr
    after = snapshot(target)
    assert after != before
    # Whole old site (killed before the one rename, nearly always) or whole new: never a mix.
    assert at_kill in (before, after)
    assert list(tmp_path.glob(".www.publish-*")) == []  # the next publish swept the copy


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the workers in /proc")
def test_workers_of_a_killed_build_stop_with_it_quietly(
        tmp_path: Path, copy_demo: Callable[[Path], Path]) -> None:
    """SIGKILL on the build's own process alone (its workers are not signalled): the
    workers notice, stop within a second or so, and print no traceback."""
    root = copy_demo(tmp_path / "repo")
    build = subprocess.Popen([sys.executable, "-m", "portico", "--root", str(root), "build",
                              "--force", "--jobs", "2"], cwd=root, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, env={**os.environ, "GITHUB_ACTIONS": ""})
    deadline = time.monotonic() + 120
    while not list((root / WORK).glob("*/")) and time.monotonic() < deadline:
        assert build.poll() is None, "the build ended before its workers were caught"
        time.sleep(0.01)
    workers = _children(build.pid)
    assert workers, "no worker was running"
    os.kill(build.pid, signal.SIGKILL)
    killed = time.monotonic()
    # The workers hold the build's stderr: it closes when the last of them has exited.
    _, errors = build.communicate(timeout=60)
    took = time.monotonic() - killed
    assert "Traceback" not in errors.decode(errors="replace"), errors.decode(errors="replace")
    assert took < 10, f"the workers went on for {took:.1f} s after the build was killed"
    # A worker closes its files (the pipe above) a moment before the kernel marks it gone.
    gone_by = time.monotonic() + 5
    while [pid for pid in workers if _running(pid)] and time.monotonic() < gone_by:
        time.sleep(0.05)
    assert not [pid for pid in workers if _running(pid)]


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in
                Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _running(pid: int) -> bool:
    """Whether `pid` is alive (an exited worker no one has reaped yet is a zombie, Z)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in {"Z", "X"}
