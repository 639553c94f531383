"""One function run in a forked child while the build goes on: the second core's share of
a portal's build (a portal is built in one worker, and a machine has a core or two more).

The child is a copy of the build's process, so it needs nothing sent to it; its result (or
its exception) comes back pickled through a pipe. Why not multiprocessing: a build's
workers are pool processes, which multiprocessing forbids to start children, and its
pools pickle the function, which a closure over the build's state is not. Where there is
no fork, the function simply runs when its result is asked for.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from portico.content.errors import PorticoError

__all__ = ["Forked", "forked"]

T = TypeVar("T")


class Forked(Generic[T]):
    """A function running in a forked child; `result()` waits for what it returned."""

    def __init__(self, function: Callable[[], T]) -> None:
        self._function = function
        self._pid = 0
        self._read = -1
        self._done = False
        if hasattr(os, "fork"):
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: run, send back, leave without running the parent's exits
            os.close(read)
            try:
                outcome: tuple[str, object] = ("ok", self._function())
            except BaseException as exc:  # noqa: BLE001 (sent back, raised in the parent)
                outcome = ("error", _portable(exc))
            try:
                with os.fdopen(write, "wb") as pipe:
                    pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                os._exit(0)
        os.close(write)
        self._pid, self._read = pid, read

    @property
    def pid(self) -> int:
        """The child's process id while it runs and its result is not taken; else 0."""
        return self._pid

    def result(self) -> T:
        """What the function returned; raises what it raised."""
        if self._done:
            raise RuntimeError("the result was already taken")
        self._done = True
        if not self._pid:
            return self._function()
        with os.fdopen(self._read, "rb") as pipe:
            data = pipe.read()  # before waiting: a large result fills the pipe first
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not data:
            raise PorticoError(f"a build process ended without a result (status {status})")
        kind, value = pickle.loads(data)  # noqa: S301 (our own child, through our own pipe)
        if kind == "error":
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child if its result was not taken (the build failed meanwhile)."""
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._read)
            self._pid = 0


@contextmanager
def forked(function: Callable[[], T]) -> Iterator[Forked[T]]:
    """Run `function` in a forked child for the length of the block; a result not taken
    by its end is dropped, and the child stopped."""
    child = Forked(function)
    try:
        yield child
    finally:
        child.cancel()


def _portable(exc: BaseException) -> BaseException:
    """`exc` if it survives pickling, else a PorticoError carrying its traceback."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 (just made here)
    except Exception:  # noqa: BLE001
        text = "".join(traceback.format_exception(exc))
        return PorticoError(f"internal error in a build process:\n{text}")
    return exc
