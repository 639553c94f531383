"""A large YAML file's parsed and validated model, kept between builds by its bytes.

Parsing a 2,000-risk register with its line marks and validating it costs about half a
second each build, though a one-note edit leaves it byte for byte as it was. The loader
keeps, for each client file of at least MIN_BYTES, the `YamlDoc` and the validated model
of its last clean read in `.portico-cache/parsed/<slug>/` (mode 0700, like the working
folders: this is the client's text, so it stays in the practice's private cache, never
in the system temp folder). A later read uses them only when the file's bytes, its path,
the model and `version` are the ones they were made from. `version` is the build's shared
key (delivery.cache): the generator's own files, the engine and pydantic versions, the
date; so another Portico or another day parses again. Python's version is part of it too.

What is kept is pickled. It is read back by an unpickler that makes nothing but Portico's
own models, its YamlDoc, dates and plain containers (`_Unpickler`): a kept file written by
someone else cannot name a function to run. A kept file that is missing, damaged, foreign
or from another version only costs the parse it would have saved. A file whose read gave
any problem, warnings included, is never kept, so its problems are reported every time.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic and the YAML parser load only when a read is looked up: a
    # build with nothing to do prunes (`forget_parsed`) and must import neither
    from portico.content.yamlfile import YamlDoc

__all__ = ["MIN_BYTES", "PARSED_DIR", "ParsedFiles", "forget_parsed"]

PARSED_DIR = Path(".portico-cache") / "parsed"
MIN_BYTES = 16 * 1024
"""Files smaller than this parse faster than a kept copy loads (a note, client.yml)."""


# What a kept read may be made of, besides Portico's own classes (`_Unpickler`).
_ALLOWED = {
    ("builtins", name) for name in ("dict", "list", "tuple", "set", "frozenset", "str",
                                    "bytes", "int", "float", "bool", "complex")
} | {("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")} \
  | {("pathlib", name) for name in ("Path", "PosixPath", "PurePosixPath")} \
  | {("copyreg", "_reconstructor")}


class _Unpickler(pickle.Unpickler):
    """Makes only models, YamlDoc, enums, dates, paths and containers: nothing callable that
    could run code when a kept file is not what Portico wrote."""

    def find_class(self, module: str, name: str) -> Any:
        from pydantic import BaseModel

        from portico.content.yamlfile import YamlDoc

        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if module.startswith("portico."):
            found = super().find_class(module, name)
            if isinstance(found, type) and issubclass(found, BaseModel | YamlDoc | enum.Enum):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a kept read")


class ParsedFiles:
    """One client's kept parses, for `content.load.Loader`."""

    def __init__(self, folder: Path, version: str) -> None:
        self.folder = folder
        self.version = version

    @classmethod
    def of_client(cls, root: Path, slug: str, version: str) -> ParsedFiles:
        """The kept parses of client `slug` of the practice at `root`."""
        return cls(root / PARSED_DIR / slug, version)

    def _key(self, rel: str, model: type, text: str) -> str:
        digest = hashlib.sha256(f"portico-parsed 1\0{self.version}\0{sys.version}\0"
                                f"{model.__module__}.{model.__qualname__}\0{rel}\0".encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _file(self, rel: str) -> Path:
        return self.folder / (hashlib.sha256(rel.encode()).hexdigest()[:32] + ".pickle")

    def get(self, rel: str, model: type, text: str) -> tuple[YamlDoc, Any] | None:
        """(doc, model) of the last clean read of these very bytes, or None."""
        from portico.content.yamlfile import YamlDoc

        try:
            with self._file(rel).open("rb") as handle:
                kept = _Unpickler(handle).load()
        except Exception:  # noqa: BLE001  (missing, damaged or foreign: parse again)
            return None
        if not (isinstance(kept, tuple) and len(kept) == 3 and isinstance(kept[1], YamlDoc)
                and kept[0] == self._key(rel, model, text)):
            return None
        return kept[1], kept[2]

    def put(self, rel: str, model: type, text: str, doc: YamlDoc, value: Any) -> None:
        """Keep a clean read; a cache that cannot be written is only a slower next build."""
        with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.folder.parent.chmod(0o700)
            data = pickle.dumps((self._key(rel, model, text), doc, value),
                                protocol=pickle.HIGHEST_PROTOCOL)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, self._file(rel))
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)


def forget_parsed(root: Path, slug: str) -> None:
    """Drop what is kept of client `slug` (its portal was pruned)."""
    shutil.rmtree(root / PARSED_DIR / slug, ignore_errors=True)
