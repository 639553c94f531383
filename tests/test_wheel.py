"""The release a practice installs: the sdist and wheel built from the repository's files,
installed into a fresh virtual environment outside the repository, then `portico init`,
`check` and `build` run there, as a CTO would after `pipx install portico-cto`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from portico import DISTRIBUTION, __version__
from portico.manual import TOPICS

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=600)
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done


def test_the_wheel_installs_and_runs_init_check_and_build_in_a_fresh_venv(
        tmp_path: Path) -> None:
    # The files git tracks, as a release tag would have them (no build/, no egg-info).
    source = tmp_path / "source"
    tracked = _run("git", "ls-files", "-z", cwd=REPO).stdout.split("\0")
    for name in filter(None, tracked):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    dist = tmp_path / "dist"
    # sdist first, then the wheel from the sdist: both must carry every template and asset.
    _run(sys.executable, "-m", "build", "--outdir", dist, source, cwd=tmp_path)
    wheel = next(dist.glob("*.whl"))
    assert wheel.name.startswith(f"{DISTRIBUTION.replace('-', '_')}-{__version__}-")
    names = zipfile.ZipFile(wheel).namelist()
    for packaged in ("portico/py.typed", "portico/protection/assets/sw.js",
                     "portico/sections/board/templates/page.md.j2",
                     "portico/authoring/scaffold_practice/dot-github/workflows/portico.yml"):
        assert packaged in names, packaged
    assert not [n for n in names if n.startswith(("tests/", "clients/"))]
    # The documentation, for `portico docs` wherever Portico is installed.
    docs = {n.removeprefix("portico/docs/") for n in names if n.startswith("portico/docs/")}
    assert {f"{topic}.md" for topic in TOPICS} | {"index.md", "_config/mkdocs.yml"} <= docs
    assert not [n for n in names if n.startswith("docs/")]

    venv = tmp_path / "venv"
    # The venv sees this interpreter's packages, so pip resolves the wheel's declared
    # dependencies against them instead of downloading them again (CI minutes); Portico
    # itself comes from the wheel, as the import check below proves.
    _run(sys.executable, "-m", "venv", "--system-site-packages", venv, cwd=tmp_path)
    bin_dir = venv / "bin"
    _run(bin_dir / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    version = _run(bin_dir / "portico", "--version", cwd=outside, env=env).stdout
    assert __version__ in version
    where = _run(bin_dir / "python", "-c", "import portico; print(portico.__file__)",
                 cwd=outside, env=env).stdout
    assert str(venv) in where  # the wheel's copy, not this checkout's

    hosting = _run(bin_dir / "portico", "docs", "hosting", "--print-path", cwd=outside,
                   env=env).stdout.strip()
    assert hosting.startswith(str(venv)) and hosting.endswith("portico/docs/hosting.md")
    assert Path(hosting).read_bytes() == (REPO / "docs/hosting.md").read_bytes()

    _run(bin_dir / "portico", "init", "my-practice", "--name", "Test Practice",
         cwd=outside, env=env)
    practice = outside / "my-practice"
    pinned = [line for line in (practice / "requirements.txt").read_text().splitlines()
              if line and not line.startswith("#")]
    assert pinned == [f"{DISTRIBUTION}=={__version__}"]
    _run(bin_dir / "portico", "check", cwd=practice, env={**env, "PORTICO_CHROMIUM": ""})
    built = _run(bin_dir / "portico", "build", cwd=practice, env=env)
    assert "1 built" in built.stdout, built.stdout
    assert (practice / "site" / "example" / "index.html").is_file()
