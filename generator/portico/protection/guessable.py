"""What an attacker reads on a portal's sign-in page, or can guess, about its readers.

A chosen passphrase is scored by zxcvbn with these words as "user inputs": a passphrase
made of the practice's name, the client's name, a contact's name or the year is found in a
few thousand guesses, whatever its length. `reader add` passes them for every passphrase it
is given, whichever way it was chosen (see `readers.add_reader`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

__all__ = ["guessable_words"]


def guessable_words(root: Path, slug: str, reader_id: str, label: str,
                    today: dt.date | None = None) -> list[str]:
    """The practice's name (mkdocs.yml), the client's slug, name, contacts (names, roles,
    e-mail addresses), the reader's id and label, and this year and the next and last."""
    from portico.content.practice import practice_name

    year = (today or dt.date.today()).year
    words = [practice_name(root), slug, reader_id, label,
             *(str(y) for y in (year - 1, year, year + 1))]
    client = _client_yml(root / "clients" / slug / "client.yml")
    words.append(str(client.get("name") or ""))
    for contact in client.get("contacts") or []:
        if isinstance(contact, dict):
            words += [str(contact.get(key) or "") for key in ("name", "role", "email")]
    return [w for w in words if w.strip()]


def _client_yml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}
