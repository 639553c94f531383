"""The Zensical engine: the same rendered docs tree and mkdocs.yml, built by Zensical.

Zensical (by Material for MkDocs' authors) reads mkdocs.yml. What it needs that MkDocs
does not, and what Portico does about it:

- `docs_dir` relative to the config and `site_dir` inside its folder (an absolute
  `docs_dir` stops it): a copy of the rendered config beside the original says `docs` and
  `site`, which is where render puts them.
- Its messages go straight to the process's stderr, coloured: it runs as a subprocess
  (`python -m zensical build`), whose output becomes the `BuildError`'s reasons.
- Its default look ("modern") is not Material's: the copy asks for `variant: classic`,
  which the practice's theme/ overrides and Portico's CSS are written for.
- It keeps a `.cache/` beside the config, in the build's private folder, gone with it.
- `validation:` options other than links and anchors are ignored (it checks those two).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from portico.content.errors import BuildError

CONFIG_NAME = "zensical.yml"
TIMEOUT = 600  # seconds for one portal
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def available() -> bool:
    """Whether Zensical is installed (`pip install 'portico-cto[zensical]'`)."""
    from importlib.util import find_spec

    return find_spec("zensical") is not None


def build(config_file: Path) -> tuple[Path, Path]:
    """Build the portal `config_file` (as render wrote it) describes; (docs dir, site dir)."""
    if not available():
        raise BuildError("the zensical engine is not installed: pip install "
                         "'portico-cto[zensical]' (or choose --engine mkdocs)")
    folder = config_file.parent
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    docs, site = Path(config["docs_dir"]), Path(config["site_dir"])
    if docs.parent != folder or site.parent != folder:
        raise BuildError(f"the zensical engine needs docs/ and site/ beside {config_file}")
    config["docs_dir"], config["site_dir"] = docs.name, site.name
    config["theme"] = {"variant": "classic", **config.get("theme", {})}
    own = folder / CONFIG_NAME
    own.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    try:
        done = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", str(own)],
                              cwd=folder, capture_output=True, text=True, timeout=TIMEOUT,
                              env=env, check=False)
    except subprocess.TimeoutExpired:
        raise BuildError(f"the zensical engine did not finish within {TIMEOUT} s") from None
    if done.returncode != 0 or not (site / "index.html").is_file():
        raise BuildError(f"the site engine refused the portal: {_reasons(done)}")
    return docs, site


def _reasons(done: subprocess.CompletedProcess[str]) -> str:
    """Zensical's own lines, uncoloured, without its traceback's Python frames."""
    lines = [_ANSI.sub("", line).strip() for line in (done.stderr + done.stdout).splitlines()]
    wanted = [line for line in lines if line and not line.startswith(("File ", "Traceback",
                                                                       "^", "raise "))]
    return "; ".join(wanted[-6:]) or f"exit status {done.returncode}"


def asset_folder() -> Path | None:
    """Zensical's packaged theme assets (what it copies under the site's assets/)."""
    from importlib.util import find_spec

    spec = find_spec("zensical")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "templates" / "assets"
