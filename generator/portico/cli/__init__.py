"""The `portico` command: argument parsing only; each command calls one stage function.

`main` is the click group (cli/app.py); the commands register on it from their modules,
grouped as the user meets them: content, building and delivery, readers, the docs.
"""

from portico.cli import (  # noqa: F401
    build_commands,
    content_commands,
    docs_command,
    new_commands,
    reader_commands,
)
from portico.cli.app import main

__all__ = ["main"]
