"""The process's own streams: a closed pipe ends output quietly, and SIGTERM/SIGHUP clean up like Ctrl-C."""

from __future__ import annotations

import errno
import io
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TextIO

from loglens.text import terminal_json


class QuietPipe(io.RawIOBase):
    """A raw writer on a file descriptor that drops what it cannot write once the reader went away.

    `loglens check x | head -1` must still exit 1 when secrets were found, and `analyze | head` must exit 0: the
    command runs to its end and sets its own status; only the text nobody reads any more is lost.
    """

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self.broken = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        if self.broken:
            return len(data)
        try:
            return os.write(self._fd, data)
        except OSError as exc:
            if not _is_closed_pipe(exc):
                raise
            self.broken = True
            return len(data)


def _is_closed_pipe(exc: OSError) -> bool:
    # Windows reports a write to a pipe whose reader has gone as EINVAL
    return isinstance(exc, BrokenPipeError) or (os.name == "nt" and exc.errno == errno.EINVAL)


def quiet(stream: TextIO) -> TextIO:
    """The same stream (fd, encoding, buffering) over a `QuietPipe`; the stream itself if it has no fd."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return stream
    if os.name == "nt" and stream.isatty():  # a Windows console takes text, not bytes; it is no pipe either
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
        return stream
    stream.flush()
    # stderr stays line-buffered (as Python makes it), so messages appear in order with the output
    line_buffering = stream is sys.stderr or bool(getattr(stream, "line_buffering", False))
    return io.TextIOWrapper(
        io.BufferedWriter(QuietPipe(fd)),  # type: ignore[type-var]
        encoding=getattr(stream, "encoding", None) or "utf-8",
        errors="replace",
        line_buffering=line_buffering,
    )


def drop_output() -> None:
    """Drop what stdout still holds once it could not be written (a full disk, `/dev/full`): the interpreter's own
    flush at exit would fail again and print a traceback."""
    raw = getattr(getattr(sys.stdout, "buffer", None), "raw", None)
    if isinstance(raw, QuietPipe):
        raw.broken = True


def flush_output() -> str | None:
    """Flush stdout before the process ends: why it could not be written, or None when it was."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        drop_output()
        return os.strerror(exc.errno) if exc.errno else type(exc).__name__
    return None


def install() -> None:
    """Put quiet writers in place of stdout and stderr (the console script does this, before any command runs)."""
    sys.stdout = quiet(sys.stdout)
    sys.stderr = quiet(sys.stderr)


def write_json(text: str) -> None:
    """JSON to stdout: exact through a pipe or file; on a terminal, C1 and bidi controls inside strings escaped."""
    sys.stdout.write(terminal_json(text) if sys.stdout.isatty() else text)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """While a command runs, SIGTERM and SIGHUP raise KeyboardInterrupt, so temporary files go as on Ctrl-C."""
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {}
    try:
        for sig in wanted:
            previous[sig] = signal.signal(sig, _interrupt)
    except ValueError:  # not the main thread: leave the handlers alone
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
