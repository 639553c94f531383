"""Readers: who may open a portal, kept as public material only.

`clients/<slug>/readers.yml` keeps, per reader, the public key its passphrase gives
(reader_keys.py), with the salt and the iteration count. Nothing stored here can open a
portal: `protect` wraps each build's content key for every public key (ARCHITECTURE.md §4).
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from portico.content.errors import ContentError, PorticoError, Problem
from portico.protection.passphrase import (
    MIN_CHOSEN_PASSPHRASE_BITS,
    MIN_PASSPHRASE_LENGTH,
    check_chosen_passphrase,
    generate_passphrase,
    passphrase_bits,
)
from portico.protection.reader_keys import (
    P256_ORDER,
    b64url,
    b64url_decode,
    derive_private_key,
    derive_private_scalar,
    derive_public_key,
    share_link_fragment,
)

__all__ = [
    "EXAMPLE_READER",
    "MIN_ITERATIONS",
    "MAX_ITERATIONS",
    "PBKDF2_ITERATIONS",
    "MIN_PASSPHRASE_LENGTH",
    "MIN_CHOSEN_PASSPHRASE_BITS",
    "Reader",
    "generate_passphrase",
    "check_chosen_passphrase",
    "passphrase_bits",
    "iterations_in_range",
    "P256_ORDER",
    "b64url",
    "b64url_decode",
    "derive_private_key",
    "derive_private_scalar",
    "derive_public_key",
    "load_readers",
    "add_reader",
    "add_link",
    "remove_reader",
    "readers_for_view",
    "share_fragment",
]

EXAMPLE_READER = "example-reader"
"""The reader `portico init` gives its example client; its passphrase was shown in a
terminal once. `portico publish` refuses a portal that opens for this reader alone."""

MIN_ITERATIONS = 600_000
"""OWASP 2023 floor for PBKDF2-HMAC-SHA256: readers.yml and every unwrap refuse fewer."""
MAX_ITERATIONS = 10_000_000
"""The most readers.yml and every unwrap accept (assets/crypto.js has the same two names).

The browser runs PBKDF2 for every envelope entry before it can say anything, so a count
planted in an envelope or a readers.yml (say 2**31) would hang the sign-in page for
minutes on each try; an entry above the cap is skipped, never derived. 10M is ~17 times
the default, a few seconds in a browser (600k measured at 0.10-0.16 s).
"""
PBKDF2_ITERATIONS = MIN_ITERATIONS
"""What `add_reader` uses for a new reader."""
SALT_BYTES = 16
READERS_HEADER = """\
# Written by `portico reader add|link|remove`. Public material only: no passphrase,
# no link and no secret is stored here; each was shown once, when it was made.
# To revoke a reader or a link: `portico reader remove CLIENT ID`, then rebuild.
"""
LINK_SECRET_BYTES = 32
"""Random bytes behind a share link's reader: 256 bits, never printed or stored."""

_ITERATIONS_RANGE = (f"must be {MIN_ITERATIONS:,} to {MAX_ITERATIONS:,}: fewer make "
                     "the passphrase cheap to guess, more would hang the reader's browser")
_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


def iterations_in_range(iterations: object) -> bool:
    """True for an iteration count Portico derives with: an int, MIN_ITERATIONS..MAX_ITERATIONS."""
    return (isinstance(iterations, int) and not isinstance(iterations, bool)
            and MIN_ITERATIONS <= iterations <= MAX_ITERATIONS)


class Reader(BaseModel):
    """One reader of a portal, as `readers.yml` keeps it: public material only."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_ID_PATTERN, description="Short id used by `portico reader`.")
    kind: Literal["passphrase", "link"] = Field(
        default="passphrase",
        description="`link` for a share link's reader (`portico reader link`): its secret was "
                    "random and only its link opens the portal.")
    label: str = Field(default="", description="Who this is, e.g. 'Dana, CEO'. Never published.")
    salt: str = Field(description="PBKDF2 salt, base64url (16 random bytes).")
    iterations: int = Field(description=f"PBKDF2-HMAC-SHA256 iterations, {MIN_ITERATIONS:,} "
                            f"to {MAX_ITERATIONS:,}.")
    x: str = Field(description="Public key, P-256 x coordinate, base64url (JWK `x`).")
    y: str = Field(description="Public key, P-256 y coordinate, base64url (JWK `y`).")
    views: list[str] | None = Field(
        default=None, description="The client views (client.yml `views:`) whose portals "
        "this reader opens, e.g. [leadership, engineering]; absent: the default view only.")

    @field_validator("views")
    @classmethod
    def _views_are_names(cls, value: list[str] | None) -> list[str] | None:
        for name in value or ():
            if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name):
                raise ValueError(f"views: {name!r} is not a view name")
        return value

    def opens(self, view: str | None, default: str | None) -> bool:
        """Whether this reader opens the portal of `view` (None: a client without views);
        `default` is the client's default view."""
        if view is None:
            return True
        return view in self.views if self.views is not None else view == default

    @field_validator("salt")
    @classmethod
    def _salt_is_base64url(cls, value: str) -> str:
        if len(b64url_decode(value)) < SALT_BYTES:
            raise ValueError(f"salt must be at least {SALT_BYTES} bytes")
        return value

    @field_validator("iterations")
    @classmethod
    def _iterations_in_range(cls, value: int) -> int:
        if not iterations_in_range(value):
            raise PydanticCustomError("iterations", _ITERATIONS_RANGE)
        return value

    @field_validator("x", "y")
    @classmethod
    def _coordinate_is_32_bytes(cls, value: str) -> str:
        if len(b64url_decode(value)) != 32:
            raise ValueError("a P-256 coordinate is 32 bytes of base64url")
        return value

    @model_validator(mode="after")
    def _point_is_on_the_curve(self) -> Reader:
        try:
            self.public_key()
        except ValueError:
            raise ValueError("public key (x, y) is not a point of P-256") from None
        return self

    def public_key(self) -> ec.EllipticCurvePublicKey:
        """The reader's P-256 public key; raises ValueError if (x, y) is not on the curve."""
        numbers = ec.EllipticCurvePublicNumbers(
            int.from_bytes(b64url_decode(self.x), "big"),
            int.from_bytes(b64url_decode(self.y), "big"),
            ec.SECP256R1(),
        )
        return numbers.public_key()


def _node_line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 0


def _child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]  # type: ignore[no-any-return]
    return None


def _parse(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise ContentError.at(path, line, f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise ContentError.at(path, 0, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise ContentError.at(path, 0, "not valid YAML: nested too deeply") from None


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError.at(path, 0, "not UTF-8 text; readers.yml is written by "
                              "`portico reader add`") from None
    except OSError as exc:
        raise ContentError.at(path, 0, f"cannot read the file: {exc.strerror}") from None


def load_readers(path: Path) -> list[Reader]:
    """Every reader in `readers.yml`; [] if the file does not exist.

    Raises ContentError listing every problem as `path:line: message`.
    """
    if not path.exists():
        return []
    data, root = _parse(path, _read(path))
    if data is None:
        return []
    items = data.get("readers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ContentError.at(path, _node_line(root), "expected a mapping with a `readers:` list")
    list_node = _child(root, "readers")
    problems: list[Problem] = []
    readers: list[Reader] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        item_node = _child(list_node, index)
        try:
            reader = _reader_from_yaml(item)
        except ValidationError as exc:
            for error in exc.errors():
                field = error["loc"][0] if error["loc"] else ""
                node = _child(item_node, field) or item_node
                where = f"reader {index + 1}" + (f", {field}" if field else "")
                problems.append(Problem(str(path), _node_line(node), f"{where}: {error['msg']}"))
            continue
        if reader.id in seen:
            line = _node_line(_child(item_node, "id") or item_node)
            problems.append(Problem(str(path), line, f"duplicate reader id {reader.id!r}"))
        seen.add(reader.id)
        readers.append(reader)
    if problems:
        raise ContentError(problems)
    return readers


def _reader_from_yaml(item: Any) -> Reader:
    if isinstance(item, dict) and isinstance(item.get("public_key"), dict):
        key = item["public_key"]
        item = {k: v for k, v in item.items() if k != "public_key"} | {
            "x": key.get("x"),
            "y": key.get("y"),
        }
    return Reader.model_validate(item)


def _write_readers(path: Path, readers: Sequence[Reader]) -> None:
    entries = [
        {"id": r.id}
        | ({"kind": r.kind} if r.kind != "passphrase" else {})  # passphrase: as before `kind`
        | {"label": r.label}
        | ({"views": list(r.views)} if r.views is not None else {})
        | {"salt": r.salt, "iterations": r.iterations, "public_key": {"x": r.x, "y": r.y}}
        for r in readers
    ]
    body = yaml.safe_dump({"readers": entries}, sort_keys=False, allow_unicode=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".readers-", suffix=".yml")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(READERS_HEADER + body)
    os.replace(tmp, path)


def add_reader(
    path: Path,
    reader_id: str,
    label: str,
    passphrase: str,
    *,
    known_words: Sequence[str] = (),
    iterations: int = PBKDF2_ITERATIONS,
    views: Sequence[str] | None = None,
) -> Reader:
    """Derive the reader's public key from `passphrase` and append it to `readers.yml`.

    Every passphrase passes the same gate, however it was chosen: `check_chosen_passphrase`
    with `known_words` (`guessable.guessable_words`), so no way in skips the estimate.
    Raises PorticoError for a passphrase under 12 characters or too weak, an iteration
    count out of range or an id already present. The passphrase is never written anywhere.
    `views`: the client views it opens (None: the default view only).
    """
    reader, _ = _append_reader(path, reader_id, label,
                               check_chosen_passphrase(passphrase, known_words),
                               iterations=iterations, kind="passphrase", views=views)
    return reader


def add_link(path: Path, label: str, reader_id: str | None = None,
             views: Sequence[str] | None = None) -> tuple[Reader, str]:
    """Append a share link's reader to `readers.yml`; return it and its `#k=...` fragment.

    The reader's secret is LINK_SECRET_BYTES of randomness, derived like a passphrase (so
    its envelope entry looks like any other) and then forgotten: only the fragment, which
    carries the private scalar, can open the portal for it. The id defaults to the next
    `link-N` after every one in the file, so a revoked link's id is never reused. Raises
    PorticoError for an empty label or an id already present.
    """
    if not label.strip():
        raise PorticoError("a link needs a --label saying whom and what it is for, e.g. "
                           "\"Board pack for Dana, Dec 2026\": it is how you find it to revoke")
    if reader_id is None:
        taken = [int(m.group(1)) for r in load_readers(path)
                 if (m := re.fullmatch(r"link-([0-9]{1,9})", r.id))]
        reader_id = f"link-{max(taken, default=0) + 1}"
    secret = secrets.token_urlsafe(LINK_SECRET_BYTES)
    reader, private = _append_reader(path, reader_id, label, secret,
                                     iterations=PBKDF2_ITERATIONS, kind="link", views=views)
    return reader, share_link_fragment(private)


def _append_reader(path: Path, reader_id: str, label: str, passphrase: str, *,
                   iterations: int, kind: Literal["passphrase", "link"],
                   views: Sequence[str] | None = None,
                   ) -> tuple[Reader, ec.EllipticCurvePrivateKey]:
    if not iterations_in_range(iterations):
        raise PorticoError(f"iterations {_ITERATIONS_RANGE}")
    readers = load_readers(path)
    if any(r.id == reader_id for r in readers):
        raise PorticoError(f"{path}: reader {reader_id!r} exists; remove it first to replace it")
    salt = secrets.token_bytes(SALT_BYTES)
    private = derive_private_key(passphrase, salt, iterations)
    numbers = private.public_key().public_numbers()
    try:
        reader = Reader(id=reader_id, kind=kind, label=label, salt=b64url(salt),
                        iterations=iterations, x=b64url(numbers.x.to_bytes(32, "big")),
                        y=b64url(numbers.y.to_bytes(32, "big")),
                        views=list(dict.fromkeys(views)) if views else None)
    except ValidationError as exc:
        raise PorticoError(f"invalid reader: {exc.errors()[0]['msg']}") from None
    _write_readers(path, [*readers, reader])
    return reader, private


def remove_reader(path: Path, reader_id: str, view: str | None = None,
                  default: str | None = None) -> Reader:
    """Drop `reader_id` (a reader or a link) from `readers.yml` and return it.

    The next build no longer wraps a key for it. With `view`, only that view is taken from
    the reader (`default`: the client's default view, which a reader naming no views
    holds); the entry goes when no view is left. Raises PorticoError if there is no such
    reader, or it does not hold `view`.
    """
    readers = load_readers(path)
    removed = next((r for r in readers if r.id == reader_id), None)
    if removed is None:
        known = ", ".join(r.id for r in readers) or "none"
        raise PorticoError(f"{path}: no reader {reader_id!r} (readers: {known})")
    if view is not None:
        held = list(removed.views) if removed.views is not None else \
            [default] if default is not None else []
        if view not in held:
            raise PorticoError(f"{path}: reader {reader_id!r} does not hold view {view!r} "
                               f"(it holds: {', '.join(held) or 'none'})")
        left = [v for v in held if v != view]
        if left:
            kept = removed.model_copy(update={"views": left})
            _write_readers(path, [kept if r is removed else r for r in readers])
            return kept
    _write_readers(path, [r for r in readers if r is not removed])
    return removed


def readers_for_view(readers: Sequence[Reader], view: str | None,
                     default: str | None) -> list[Reader]:
    """The readers whose key the portal of `view` wraps its content key for (all of them
    for a client without views; see `Reader.opens`)."""
    return [r for r in readers if r.opens(view, default)]


def share_fragment(passphrase: str, reader: Reader) -> str:
    """The `#k=…` fragment of a share link: opens the portal for `reader` without typing.

    It carries the reader's private scalar, so it is as secret as the passphrase; it rides
    in the fragment only (never sent to the server) and the shell strips it once used.
    Raises PorticoError if `passphrase` is not this reader's.
    """
    salt = b64url_decode(reader.salt)
    private = derive_private_key(passphrase, salt, reader.iterations)
    numbers = private.public_key().public_numbers()
    if (b64url(numbers.x.to_bytes(32, "big")), b64url(numbers.y.to_bytes(32, "big"))) != (
        reader.x,
        reader.y,
    ):
        raise PorticoError(f"that passphrase is not reader {reader.id!r}'s")
    return share_link_fragment(private)
