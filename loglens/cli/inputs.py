"""Open what the user pointed at (a path, `-` for stdin, or the clipboard) as a binary stream."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO, cast

import click

from loglens import startup
from loglens.cli.files import shown
from loglens.errors import LoglensError
from loglens.opening import open_log

PASTE_HINT = "paste the Console text, then press Ctrl-D (Ctrl-Z, Enter on Windows)"


class EndsOnce:
    """A terminal's stdin where the first end-of-file is the last: one Ctrl-D ends the paste.

    A terminal reports end-of-file once per Ctrl-D and then reads on; each reading loop would wait for its own.
    """

    # reads of the raw terminal return a line at a time, and b"" exactly when Ctrl-D was pressed

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._ended = False

    def read(self, size: int = -1) -> bytes:
        if self._ended:
            return b""
        data = self._stream.read(size)
        self._ended = not data
        return data


def read_clipboard() -> str:
    from loglens.cli import clipboard  # subprocess and shutil: only a --clipboard run pays for them

    try:
        text = clipboard.paste()
    except clipboard.ClipboardError as exc:
        raise LoglensError(f"{exc}; or pass a file path") from exc
    if not text:
        raise LoglensError("the clipboard is empty: copy the Console text first, or pass a file path")
    return text


@contextmanager
def open_input(path: str | None, *, clipboard: bool = False, progress: bool = False) -> Iterator[tuple[str, BinaryIO]]:
    """Yield (display name, stream). Errors become one-line `LoglensError`s.

    `progress`: a big file read with stderr on a terminal moves a bar there (never with --quiet).
    Opening the input ends the command's start-up (`startup.over`): its imports are done, the log comes next.
    """
    startup.over()
    if clipboard:
        if path not in (None, "-"):
            raise LoglensError("give either a path or --clipboard, not both")
        yield "<clipboard>", io.BytesIO(read_clipboard().encode("utf-8"))
        return
    if path in (None, "-"):
        if path is None and sys.stdin.isatty():
            raise LoglensError("no input: give a log file path, pipe text in with '-', or use --clipboard")
        if sys.stdin.isatty():
            click.echo(f"loglens: {PASTE_HINT}", err=True)
            # the unbuffered stream: a buffered read would swallow an end-of-file inside a read that got data
            yield "<stdin>", cast(BinaryIO, EndsOnce(getattr(sys.stdin.buffer, "raw", sys.stdin.buffer)))
        else:
            yield "<stdin>", sys.stdin.buffer
        return
    assert path is not None
    stream = open_log(path, shown(path))
    with stream:
        if not progress:
            yield path, stream
            return
        from loglens.cli import settings
        from loglens.cli.progress import watched

        with watched(path, stream, quiet=settings().quiet) as read:
            yield path, read
