"""The three-client practice fixture; its data and builder live in practice_support.py
(a module of its own name: `conftest` is a name every test folder shares)."""

from __future__ import annotations

from pathlib import Path

import pytest
from practice_support import make_three_clients


@pytest.fixture(scope="module")
def three_clients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh three-client practice (see `make_three_clients`), one per test module."""
    return make_three_clients(tmp_path_factory.mktemp("practice"))
