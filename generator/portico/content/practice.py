"""Facts about the practice itself, read from the repository: its name, its reply address,
the commit built."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any


def _base_config(root: Path) -> dict[str, Any]:
    import yaml

    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    # The base config holds !!python/name tags, which safe_load refuses: read `extra` alone.
    loader = yaml.SafeLoader(text)
    loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
    try:
        data = loader.get_single_data() or {}
    finally:
        loader.dispose()
    return data if isinstance(data, dict) else {}


def practice_name(root: Path) -> str:
    """The practice's name as the login shell shows it: mkdocs.yml's extra.practice.name."""
    data = _base_config(root)
    extra = data.get("extra") or {}
    practice = extra.get("practice") or {}
    return str(practice.get("name") or data.get("site_name") or "Client portal")


def practice_locale(root: Path) -> str | None:
    """The practice's default locale for its portals: mkdocs.yml's extra.practice.locale."""
    extra = _base_config(root).get("extra") or {}
    practice = extra.get("practice") or {} if isinstance(extra, dict) else {}
    value = practice.get("locale") if isinstance(practice, dict) else None
    return str(value) if value else None


def practice_settings(root: Path) -> dict[str, Any]:
    """mkdocs.yml's `extra.practice` mapping ({} when there is none)."""
    extra = _base_config(root).get("extra") or {}
    practice = extra.get("practice") if isinstance(extra, dict) else None
    return practice if isinstance(practice, dict) else {}


def reply_address(root: Path) -> str | None:
    """Where the portals' answer buttons address their e-mail: mkdocs.yml's
    `extra.practice.reply_to`; None when it is not set or `extra.practice.answers` is
    false (then no portal shows a button). `portico check` vets the address."""
    if not (root / "mkdocs.yml").is_file():
        return None
    settings = practice_settings(root)
    address = settings.get("reply_to")
    if settings.get("answers") is False or not isinstance(address, str) or not address.strip():
        return None
    return address.strip()


def practice_engine(root: Path) -> str:
    """The engine the practice builds with: mkdocs.yml's `extra.portico.engine`, else mkdocs.
    An unknown name is refused by the build, which lists the engines."""
    extra = _base_config(root).get("extra") or {}
    portico = extra.get("portico") or {} if isinstance(extra, dict) else {}
    return str(portico.get("engine") or "mkdocs") if isinstance(portico, dict) else "mkdocs"


def source_commit(root: Path) -> str | None:
    """The short id of the commit checked out at `root` (with `+` when the working tree has
    changes), or None outside a git checkout. Read with git plumbing, never parsed by hand."""
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=10", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=True)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")
