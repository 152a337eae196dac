"""Platform prefixes: the one definition of what Android and browser consoles put in front of a Unity line.

Every command reads log lines through here (`analyze` and `livekit` through the entry parser, `redact` and
`check` when they decide where a wrapped line ends), so a Convai line behind any prefix is the same line as
without it. Android pastes come in many copy formats (LOG-FORMATS.md sections 5 and 7):

- threadtime:            `06-09 17:00:55.771  21919  21952 E Unity   : message`
- `-v time`:             `06-09 17:00:55.771 E/Unity   (21919): message` (the brief form behind a date)
- Android Studio export: `2025/06/09 17:00:55.771 21919 21952 Error Unity message` (also `2025-06-09 ...`)
- Logcat view (padded):  `2025-10-23 12:15:40.374 11012-11123 Unity   com.studio.game   E  message`
- `-v brief`:            `E/Unity   (27777): message`
- `-v tag`:              `E/Unity: message`
- `-v process`:          `E(27777) message  (Unity)`
- tag only:              `Unity   message` (padded) or `Unity LiveKit: message`

Each shape is recognised by a cheap look at the first characters before any regex runs: most lines of an
Editor.log start with none of them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from loglens.lazyre import Regex, lazy
from loglens.models import Platform

UNITY_TAG = "Unity"
LEVEL_LETTERS = "VDIWEFA"
LEVEL_WORDS = ("Verbose", "Debug", "Info", "Warning", "Error", "Assert", "Fatal")

# milliseconds, or microseconds with `-v usec`; `-v zone` adds the offset
_TIME = r"\d\d:\d\d:\d\d\.\d{3}(?:\d{3})?(?: [+-]\d{4})?"
# the message is taken from where the text after the prefix starts; `\s?` keeps a message's own indentation
_THREADTIME = re.compile(r"\d\d-\d\d " + _TIME + r"\s+\d+\s+\d+\s+[" + LEVEL_LETTERS + r"]\s+(?P<tag>.*?)\s*: ")
_STUDIO_EXPORT = re.compile(
    r"\d{4}[/-]\d\d[/-]\d\d " + _TIME + r"\s+\d+\s+\d+\s+(?:" + "|".join(LEVEL_WORDS) + r")\s+(?P<tag>\S+) ?"
)
# `-v time`: the brief form (level, slash, tag, the PID in parentheses) behind the date
_TIME_FORMAT = lazy(r"\d\d-\d\d " + _TIME + r" [" + LEVEL_LETTERS + r"]/(?P<tag>[^:(]*?)\s*(?:\(\s*\d+\))?: ")
_STUDIO_VIEW = re.compile(
    r"\d{4}-\d\d-\d\d " + _TIME + r"\s+\d+-\d+\s+(?P<tag>\S+)\s+(?:\S+\s+)?[" + LEVEL_LETTERS + r"]  ?"
)


def _raw(pattern: Regex) -> bytes:
    return pattern.pattern.replace("(?P<tag>", "(?:").encode("ascii")


# the dated heads (threadtime and `-v time`, with or without the year, both Android Studio forms) in raw bytes,
# for screens that look at a block before decoding it: a logcat cut puts one in front of every piece of a long message
_DATED_BYTES = (
    b"(?:\\d{4}-)?(?:" + _raw(_THREADTIME) + b"|" + _raw(_TIME_FORMAT) + b")",
    _raw(_STUDIO_EXPORT),
    _raw(_STUDIO_VIEW),
)
HEAD_BYTES = re.compile(b"|".join(_DATED_BYTES))
# the heads without a date (`-v brief` and `-v tag`, tag only, a browser console's `file.js:N `) in raw bytes, each
# kept to its own line: a logcat cut repeats them in front of every piece as it does a dated head
UNDATED_SOURCE = (  # compiled where it is used: a paste's analysis never needs it
    b"[" + LEVEL_LETTERS.encode("ascii") + rb"]/[^:(\r\n]{0,64}?[ \t]*(?:\([ \t]*\d+\))?: "
    rb"|Unity(?:[ \t]{2,}|[ \t](?=\S+: |\[|<color=))|\S{1,200}?\.m?js:\d+ "
)
_BRIEF = lazy(r"[" + LEVEL_LETTERS + r"]/(?P<tag>[^:(]*?)\s*(?:\(\s*\d+\))?: ")
_PROCESS = lazy(r"[" + LEVEL_LETTERS + r"]\(\s*\d+\) (?P<body>.*?)\s+\((?P<tag>[^()]+)\)\s*$")
_TAG_ONLY = lazy(r"Unity(?:\s{2,}|\s(?=\S+: |\[|<color=))")
_BROWSER = lazy(r"\S+?\.m?js:\d+ ")


class Unwrapped(NamedTuple):
    """A line with its prefix taken off: the platform it came from, the Android tag (if any), the message."""

    platform: Platform
    text: str
    tag: str | None = None

    @property
    def foreign(self) -> bool:
        """An Android line of another tag than Unity's (`nativeloader`, `AndroidRuntime`, `DEBUG`, ...)."""
        return self.tag is not None and self.tag != UNITY_TAG


def _dated(text: str) -> re.Match[str] | None:
    """The prefixes that start with a date: threadtime (with or without the year), both Android Studio forms."""
    if text[2:3] == "-" and text[5:6] == " ":
        return _THREADTIME.match(text) or _TIME_FORMAT.match(text)
    if text[4:5] in "/-" and text[10:11] == " ":
        return (
            _STUDIO_EXPORT.match(text)
            or _STUDIO_VIEW.match(text)
            or _THREADTIME.match(text, 5)
            or _TIME_FORMAT.match(text, 5)
        )
    return None


def _android(text: str) -> Unwrapped | None:
    first = text[:1]
    if first.isdigit():
        found = _dated(text)
        if found is None:
            return None
        return Unwrapped("logcat", text[found.end() :], found["tag"].strip())
    if first in LEVEL_LETTERS and first:
        second = text[1:2]
        if second == "/":
            found = _BRIEF.match(text)
            if found is not None:
                return Unwrapped("logcat", text[found.end() :], found["tag"].strip())
        elif second == "(":
            found = _PROCESS.match(text)
            if found is not None:
                return Unwrapped("logcat", found["body"], found["tag"].strip())
        return None
    if first == "U" and text[5:6] == " " and text.startswith(UNITY_TAG):  # not `UnityEngine.` frames
        found = _TAG_ONLY.match(text)
        if found is not None:
            return Unwrapped("logcat", text[found.end() :].lstrip(" "), UNITY_TAG)
    return None


def unwrap_line(text: str) -> Unwrapped:
    """Take a logcat or browser-console prefix off a line; a line with neither comes back as it is."""
    android = _android(text)
    if android is not None:
        return android
    space = text.find(" ")
    if space > 4 and "js:" in text[:space]:
        found = _BROWSER.match(text)
        if found is not None and found.end() == space + 1:
            return Unwrapped("webgl", text[space + 1 :])
    return Unwrapped("unity", text)


def has_prefix(text: str) -> bool:
    """The line starts with a platform prefix: it opens a line of its own, never the rest of a wrapped one."""
    return unwrap_line(text).platform != "unity"
