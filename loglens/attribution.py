"""Whose entry is this, and what kind of log is it: Convai's only on evidence.

Real pastes mix Convai lines with a game's own exceptions, Firebase's, LiveKit's and Unity's. An entry is
Convai's when it has a Convai head (`[Level][Category]: ...`), a Convai message shape the grammar knows (the
app's `Session error: <code>`, the pre-4.0 room details), or, for an exception without a head, a `Convai.*` frame
or a Convai path in its frames or footer. `LiveKit.*` frames and the `livekit_ffi` library mark the LiveKit layer.
Anything else is somebody else's, and earns no Convai advice.

A log with no Convai entry at all is described instead of diagnosed: a LiveKit-only log, a log of Convai's
Unreal Engine plugin (which loglens does not read), or a Unity log of something else.
"""

from __future__ import annotations

from typing import Literal

from loglens import models as m
from loglens.endpoints import REST_HOST
from loglens.lazyre import lazy

Owner = Literal["convai", "livekit", "other"]
LogKind = Literal["convai", "convai-unreal", "livekit-only", "other"]

CONVAI_MARKS = ("Convai", "com.convai")  # namespaces, folders, script names, the UPM package id
LIVEKIT_MARKS = ("LiveKit.", "livekit_ffi", "LiveKit:")
UNREAL_HTTP = "LogHttp"


def _mentions(texts: tuple[str, ...], marks: tuple[str, ...]) -> bool:
    return any(mark in text for text in texts for mark in marks)


def owner(entry: m.Entry) -> Owner:
    """Convai's, the LiveKit layer's, or another's (a game script, a third-party plugin, Unity itself)."""
    event = entry.event
    if isinstance(event, m.UnparsedLine):
        return "other"  # not read by the grammar; `KindSniffer` still looks for LiveKit in it
    if entry.head is not None or not isinstance(event, m.ExceptionRaised):
        return "convai"
    texts = (entry.message, *entry.frames, entry.footer.path if entry.footer else "")
    if _mentions(texts, CONVAI_MARKS):
        return "convai"
    if _mentions(texts, LIVEKIT_MARKS):
        return "livekit"
    return "other"


# Unreal's log head: optional `[time][frame]`, then the category and `: `.
_UNREAL_HEAD = lazy(r"(?:\[[^\]]*\]){0,2}(?P<category>LogConvai\w*|Convai\w*Log|LogHttp): ")


def is_unreal_convai(text: str) -> bool:
    """A line of Convai's Unreal Engine plugin: `LogConvai...:` / `Convai...Log: Warning: ...` categories, or
    Unreal's `LogHttp:` naming Convai's REST host."""
    if "onvai" not in text:
        return False
    found = _UNREAL_HEAD.match(text)
    if found is None:
        return False
    return found["category"] != UNREAL_HTTP or REST_HOST in text


class KindSniffer:
    """Fed every entry while the log streams; says what kind of log it was. A few substring tests per line."""

    def __init__(self) -> None:
        self.convai = 0
        self.livekit = False
        self.unreal = False

    def add(self, entry: m.Entry, who: Owner) -> None:
        if who == "convai":
            self.convai += 1
            return
        if not self.livekit and (who == "livekit" or _mentions((entry.message,), LIVEKIT_MARKS)):
            self.livekit = True
        if not self.unreal and is_unreal_convai(entry.message):
            self.unreal = True

    def kind(self) -> LogKind:
        if self.convai:
            return "convai"
        if self.unreal:
            return "convai-unreal"
        return "livekit-only" if self.livekit else "other"


def describe(kind: LogKind, lines: int) -> str:
    """One sentence on a log that holds no Convai line: what it looks like, and what loglens can do with it."""
    if kind == "convai-unreal":
        return (
            "This is a log of Convai's Unreal Engine plugin (LogConvai categories): loglens reads the logs of "
            "Convai's Unity SDK, so it has no diagnosis for it."
        )
    if kind == "livekit-only":
        return (
            f"None of the {lines} lines is a Convai SDK line: this is a LiveKit-only log (LiveKit lines or frames, "
            "nothing from Convai), so no Convai diagnosis applies."
        )
    return (
        f"No Convai SDK lines found in this log ({lines} lines, no Convai line, frame or path): this is a Unity log "
        "of something else. Is it the right file, and is Convai logging enabled?"
    )
