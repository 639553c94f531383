"""Facts about the practice itself, read from the repository: its name, its reply address,
the commit built."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portico.content.errors import ContentError, Problem

if TYPE_CHECKING:
    from pydantic import BaseModel

    from portico.content.cadences import Promise

BASE_CONFIG = "mkdocs.yml"


@functools.lru_cache(maxsize=1)
def _base_config_model() -> type[BaseModel]:
    """The parts of the base mkdocs.yml Portico reads, as a pydantic model; made on first
    use, so that a build with nothing to do never imports pydantic."""
    from pydantic import BaseModel, ConfigDict

    class _PracticeSettings(BaseModel):
        """mkdocs.yml → extra.practice: what Portico reads about the practice."""

        model_config = ConfigDict(extra="allow")

        name: str | None = None
        locale: str | None = None
        cadences: Any = None  # read, with its lines, by content.cadences

    class _PorticoSettings(BaseModel):
        """mkdocs.yml → extra.portico: how Portico builds."""

        model_config = ConfigDict(extra="allow")

        engine: str | None = None

    class _Extra(BaseModel):
        model_config = ConfigDict(extra="allow")

        practice: _PracticeSettings | None = None
        portico: _PorticoSettings | None = None

    class _BaseConfig(BaseModel):
        """The parts of the base mkdocs.yml Portico reads; the engine checks the rest."""

        model_config = ConfigDict(extra="allow")

        site_name: str | None = None
        extra: _Extra | None = None

    return _BaseConfig


def check_base_config(root: Path) -> list[Problem]:
    """mkdocs.yml's problems as `mkdocs.yml:LINE: message`: a syntax error, a file that is
    not a mapping, a wrong type for a key Portico reads, an unknown practice locale."""
    try:
        _base_config(root)
    except ContentError as exc:
        return list(exc.problems)
    return []


def _base_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml, validated where Portico reads it; raises `ContentError` with its lines."""
    from portico.content.validation import describe, kind_of
    from portico.content.yamlfile import parse_yaml

    path = root / BASE_CONFIG
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except OSError as exc:
        raise ContentError.at(BASE_CONFIG, 0, f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ContentError.at(BASE_CONFIG, 0, "is not UTF-8 text; save it as UTF-8") from None
    doc = parse_yaml(text, BASE_CONFIG, engine_config=True)
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise ContentError.at(BASE_CONFIG, doc.line_of(()), "expected a mapping of keys to "
                              f"values (site_name: ..., theme: ...), got {kind_of(data)}")
    from pydantic import ValidationError

    model = _base_config_model()
    try:
        model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            line, message = describe(error, model, doc)
            names = [str(part) for part in error["loc"] if isinstance(part, str)]
            if names and message.startswith(names[-1]):
                message = ".".join(names) + message[len(names[-1]):]
            problems.append(Problem(BASE_CONFIG, line, message))
        raise ContentError(problems) from None
    _check_cadences(data, doc)
    locale = ((data.get("extra") or {}).get("practice") or {}).get("locale")
    if locale:
        from portico.portal.locale import parse_locale

        try:
            parse_locale(locale)
        except ValueError as exc:
            line = doc.line_of(("extra", "practice", "locale"))
            raise ContentError.at(BASE_CONFIG, line, f"extra.practice.locale: {exc}") from None
    return data


def _check_cadences(data: dict[str, Any], doc: Any) -> None:
    from portico.content.cadences import read_cadences

    at = ("extra", "practice", "cadences")
    practice = (data.get("extra") or {}).get("practice") or {}
    _, problems = read_cadences(practice.get("cadences"), BASE_CONFIG, at, doc.line_of)
    if problems:
        raise ContentError(problems)


def practice_cadences(root: Path) -> list[Promise]:
    """The practice's promises (mkdocs.yml `extra.practice.cadences`) as
    `content.cadences.Promise`s; none when mkdocs.yml is missing or wrong (`check` says why)."""
    from portico.content.cadences import read_cadences

    try:
        data = practice_settings(root).get("cadences")
    except ContentError:
        return []
    promises, _ = read_cadences(data, BASE_CONFIG, ("extra", "practice", "cadences"),
                                lambda loc: 0)
    return promises


def _settings(root: Path, key: str) -> dict[str, Any]:
    extra = _base_config(root).get("extra") or {}
    settings: dict[str, Any] = extra.get(key) or {}
    return settings


def practice_name(root: Path) -> str:
    """The practice's name as the login shell shows it: mkdocs.yml's extra.practice.name."""
    name = _settings(root, "practice").get("name") or _base_config(root).get("site_name")
    return str(name or "Client portal")


def practice_locale(root: Path) -> str | None:
    """The practice's default locale for its portals: mkdocs.yml's extra.practice.locale."""
    value = _settings(root, "practice").get("locale")
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
    return str(_settings(root, "portico").get("engine") or "mkdocs")


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
