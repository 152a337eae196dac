"""Open a log named by a path, to read it once to its end: the one opener of `analyze`, `check`, `redact`, the
library and every second pass.

Only what ends can be read: a regular file, or a pipe something writes to (`loglens analyze <(adb logcat -d)`).
A directory, a device, a socket, or a FIFO nothing writes to is refused at once, with one line naming it, rather
than read forever or waited on forever; stdin is `-`.
"""

from __future__ import annotations

import io
import os
import stat
from typing import BinaryIO

from loglens.errors import LoglensError

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def open_log(path: str, named: str) -> BinaryIO:
    """`path` opened to read (binary, buffered); `named` is how a message shows it (already masked).

    The open itself never waits: a FIFO is opened without blocking, then told apart by one read that does not
    wait either (bytes, or "nothing yet" while a writer is there; end of file when none is)."""
    fd = _open(path, named)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISFIFO(mode):
            return _pipe(fd, named)
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "neither a file nor a pipe")
            raise LoglensError(f"{named} is {kind}, not a log file (pipe text in with '-')")
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _open(path: str, named: str) -> int:
    """The descriptor, or a `LoglensError` raised outside the `except`, so no `OSError` (whose message holds the
    path as given, unmasked) travels with it as its context."""
    try:
        return os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        problem = f"no such file: {named}"
    except PermissionError:
        problem = f"permission denied: {named}"
    except OSError as exc:
        problem = f"cannot open {named}: {exc.strerror or 'unreadable'}"
    raise LoglensError(problem)


def _pipe(fd: int, named: str) -> BinaryIO:
    """A pipe or FIFO with a writer, as a stream that starts with whatever the test read took."""
    try:
        first = os.read(fd, 1 << 16)
    except BlockingIOError:
        first = None  # a writer is there, with nothing written yet
    if first == b"":
        raise LoglensError(f"{named} is a pipe that nothing writes to: start the writer first, or pipe in with '-'")
    os.set_blocking(fd, True)
    stream = os.fdopen(fd, "rb", buffering=0)
    return io.BufferedReader(_Prefixed(first or b"", stream))


class _Prefixed(io.RawIOBase):
    """A raw stream that yields `head` before the rest of `rest`."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        return self._rest.readinto(buffer)  # type: ignore[attr-defined, no-any-return]

    def fileno(self) -> int:
        return self._rest.fileno()

    def close(self) -> None:
        self._rest.close()
        super().close()
