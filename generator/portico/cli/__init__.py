"""The `portico` command: argument parsing only; each command calls one stage function.

`main` is the click group (cli/app.py); the commands register on it from their modules,
grouped as the user meets them: content, building and delivery, readers.
"""

from portico.cli import build_commands, content_commands, reader_commands  # noqa: F401
from portico.cli.app import main

__all__ = ["main"]
