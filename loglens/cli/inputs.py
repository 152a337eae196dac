"""Open what the user pointed at (a path, `-` for stdin, or the clipboard) as a binary stream."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from loglens.errors import LoglensError

CLIPBOARD_HELP = "install xclip or xsel (X11) or wl-clipboard (Wayland)"


def read_clipboard() -> str:
    import pyperclip

    try:
        text = pyperclip.paste()
    except pyperclip.PyperclipException as exc:
        raise LoglensError(f"no clipboard is available here ({CLIPBOARD_HELP}), or pass a file path") from exc
    if not text:
        raise LoglensError("the clipboard is empty: copy the Console text first, or pass a file path")
    return str(text)


@contextmanager
def open_input(path: str | None, *, clipboard: bool = False) -> Iterator[tuple[str, BinaryIO]]:
    """Yield (display name, stream). Errors become one-line `LoglensError`s."""
    if clipboard:
        if path not in (None, "-"):
            raise LoglensError("give either a path or --clipboard, not both")
        yield "<clipboard>", io.BytesIO(read_clipboard().encode("utf-8"))
        return
    if path in (None, "-"):
        if path is None and sys.stdin.isatty():
            raise LoglensError("no input: give a log file path, pipe text in with '-', or use --clipboard")
        yield "<stdin>", sys.stdin.buffer
        return
    assert path is not None
    target = Path(path)
    try:
        if target.is_dir():
            raise LoglensError(f"{path} is a directory, not a log file")
        stream = target.open("rb")
    except FileNotFoundError as exc:
        raise LoglensError(f"no such file: {path}") from exc
    except PermissionError as exc:
        raise LoglensError(f"permission denied: {path}") from exc
    except OSError as exc:
        raise LoglensError(f"cannot open {path}: {exc.strerror or 'unreadable'}") from exc
    with stream:
        yield path, stream
