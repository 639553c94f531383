"""A function run in a forked child (delivery.forked): the build's second core."""

from __future__ import annotations

import os
import time

import pytest

from portico.content.errors import PorticoError
from portico.delivery.forked import Forked, forked


def test_the_function_runs_in_another_process_and_its_result_comes_back() -> None:
    parent = os.getpid()
    with forked(lambda: (os.getpid(), ["a", {"b": 2}], b"x" * 1_000_000)) as child:
        pid, value, big = child.result()  # a megabyte: more than a pipe holds at once
    assert pid != parent
    assert value == ["a", {"b": 2}] and len(big) == 1_000_000


def test_what_the_function_raises_is_raised_by_result() -> None:
    def fails() -> None:
        raise PorticoError("client text found")

    with forked(fails) as child, pytest.raises(PorticoError, match="client text found"):
        child.result()


def test_an_exception_that_cannot_travel_comes_back_with_its_traceback() -> None:
    class Local(Exception):  # defined in a function: pickle cannot name it
        pass

    def fails() -> None:
        raise Local("deep inside")

    with forked(fails) as child, pytest.raises(PorticoError, match="deep inside"):
        child.result()


def test_a_child_that_dies_gives_an_error_not_a_hang() -> None:
    with forked(lambda: os._exit(3)) as child, pytest.raises(PorticoError, match="without"):
        child.result()


def test_a_result_not_taken_stops_the_child() -> None:
    started = time.monotonic()
    with forked(lambda: time.sleep(30)) as child:
        pid = child._pid
        assert pid
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind


def test_without_fork_the_function_runs_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fork")
    child = Forked(lambda: os.getpid())
    assert child.result() == os.getpid()
