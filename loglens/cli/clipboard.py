"""The system clipboard, through its own command-line tools, checked by reading the value back.

xclip and wl-copy stay in the background to serve what they copied. Started with this process's stdout, they
would keep `loglens livekit --copy token | cat` open forever, so every helper runs with its output streams on the
null device. A helper can also exit 0 without copying anything (no X server at $DISPLAY, no compositor): a copy
counts only when reading the clipboard back gives the value. Windows has no such helper; pyperclip talks to its
clipboard API directly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass

TIMEOUT = 5.0  # seconds a helper may take; a helper that hangs counts as no clipboard
INSTALL_HINT = "install xclip or xsel (X11) or wl-clipboard (Wayland)"


class ClipboardError(Exception):
    """The clipboard could not be used; the message says why and what to do, in a few words."""


@dataclass(frozen=True)
class Helper:
    name: str
    display: str | None  # the variable that must name a running display server, if any
    copy: tuple[str, ...]
    paste: tuple[str, ...]


HELPERS = (
    Helper("pbcopy", None, ("pbcopy",), ("pbpaste",)),
    Helper("wl-copy", "WAYLAND_DISPLAY", ("wl-copy",), ("wl-paste", "--no-newline")),
    Helper("xclip", "DISPLAY", ("xclip", "-selection", "clipboard", "-in"), ("xclip", "-selection", "clipboard", "-o")),
    Helper("xsel", "DISPLAY", ("xsel", "--clipboard", "--input"), ("xsel", "--clipboard", "--output")),
)


def _usable() -> list[Helper]:
    """The helpers installed here whose display is set; a ClipboardError when there are none, saying why."""
    if sys.platform != "darwin":
        installed = [h for h in HELPERS if h.name != "pbcopy" and shutil.which(h.copy[0])]
    else:
        installed = [h for h in HELPERS if h.name == "pbcopy" and shutil.which(h.copy[0])]
    if not installed:
        raise ClipboardError(f"no clipboard tool is installed ({INSTALL_HINT})")
    usable = [h for h in installed if h.display is None or os.environ.get(h.display)]
    if not usable:
        names = " and ".join(sorted({h.display for h in installed if h.display}))
        tools = ", ".join(h.name for h in installed)
        raise ClipboardError(f"no display holds a clipboard here ({names} unset, and {tools} needs one)")
    return usable


def _run(command: tuple[str, ...], data: bytes | None) -> bytes | None:
    """Run a helper with no stream of ours but a pipe for its input or output; None when it failed."""
    try:
        done = subprocess.run(
            command,
            input=data,
            stdin=None if data is not None else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL if data is not None else subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout if data is None else b""


def copy(text: str) -> str:
    """Put `text` on the clipboard and return the helper's name; ClipboardError when it did not arrive."""
    if sys.platform == "win32":
        return _copy_with_pyperclip(text)
    tried = []
    for helper in _usable():
        tried.append(helper)
        if _run(helper.copy, text.encode("utf-8")) is None:
            continue
        if _arrived(helper, text):
            return helper.name
    where = "; ".join(f"{h.name}: ${h.display}={os.environ.get(h.display, '')}" for h in tried if h.display)
    raise ClipboardError(f"the clipboard did not receive it ({where or tried[0].name}: is a display server running?)")


def _arrived(helper: Helper, text: str) -> bool:
    """Read the clipboard back. The helper hands the selection to a child it forks, which may take a moment to
    own it: a busy machine gets a few short tries before the copy counts as lost."""
    for attempt in range(READ_BACK_TRIES):
        back = _run(helper.paste, None)
        if back is not None and back.decode("utf-8", "replace") == text:
            return True
        time.sleep(0.05 * (attempt + 1))
    return False


READ_BACK_TRIES = 5


def paste() -> str:
    """What the clipboard holds ('' when empty); ClipboardError when no clipboard can be read."""
    if sys.platform == "win32":
        return _paste_with_pyperclip()
    for helper in _usable():
        got = _run(helper.paste, None)
        if got is not None:
            return got.decode("utf-8", "replace")
    raise ClipboardError("the clipboard could not be read (is a display server running?)")


def _copy_with_pyperclip(text: str) -> str:
    import pyperclip

    try:
        pyperclip.copy(text)
        arrived = pyperclip.paste() == text
    except (pyperclip.PyperclipException, OSError) as exc:
        raise ClipboardError("the Windows clipboard could not be used") from exc
    if not arrived:
        raise ClipboardError("the clipboard did not receive it")
    return "the Windows clipboard"


def _paste_with_pyperclip() -> str:
    import pyperclip

    try:
        return str(pyperclip.paste() or "")
    except (pyperclip.PyperclipException, OSError) as exc:
        raise ClipboardError("the Windows clipboard could not be read") from exc
