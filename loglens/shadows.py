"""Encoded copies of a line (its shadows), for detectors that only read plain text.

A log line may hold another line in an encoding: a crash reporter's `report?log=` URL percent-encodes it (spaces
as `%20` or `+`), an inline attachment is standard base64. The labels and shapes the detectors look for are gone
there, so each shadow is decoded here and searched like any line: a percent shadow keeps a map from its offsets
back to the line's, so a value found in it is hidden where it was written; a base64 run is hidden whole when its
decoded text holds a secret. Work is bounded per line: runs and escapes past the limits below are not decoded.
"""

from __future__ import annotations

import base64
import binascii
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

MAX_SHADOW = 1 << 20  # characters of a line read for a percent shadow
MAX_RUN = 1 << 16  # characters of one base64 run decoded (a line of 48 KiB)
MAX_RUNS = 16  # base64 runs decoded per line
MIN_RUN = 64  # a shorter base64 run holds no line worth decoding
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_PIECE = re.compile(r"(?:%[0-9A-Fa-f]{2})+|\+")
_BASE64 = re.compile(rf"[A-Za-z0-9+/]{{{MIN_RUN},}}={{0,2}}")  # the leftmost match starts where a run does
BASE64_SHAPE = rf"[a-z0-9+/]{{{MIN_RUN}}}"  # the screen's form of a run: over lowercase bytes


@dataclass(frozen=True, slots=True)
class Shadow:
    """Decoded text, and where each of its segments came from: a plain segment maps one to one, a decoded
    character maps to its whole escape (`%C3%A9` for `é`, `+` for a blank)."""

    text: str
    at: tuple[int, ...]  # shadow offset where each segment begins
    origin: tuple[int, ...]  # line offset where it begins
    width: tuple[int, ...]  # line length of a decoded character; 0 for a plain segment

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The line's span of the shadow's `text[start:end]` (`end > start`)."""
        first = bisect_right(self.at, start) - 1
        last = bisect_right(self.at, end - 1) - 1
        begin = self.origin[first] + (start - self.at[first] if not self.width[first] else 0)
        if self.width[last]:
            return begin, self.origin[last] + self.width[last]
        return begin, self.origin[last] + end - self.at[last]


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.at: list[int] = []
        self.origin: list[int] = []
        self.width: list[int] = []
        self.size = 0

    def add(self, text: str, origin: int, width: int = 0) -> None:
        self.parts.append(text)
        self.at.append(self.size)
        self.origin.append(origin)
        self.width.append(width)
        self.size += len(text)

    def shadow(self) -> Shadow:
        return Shadow("".join(self.parts), tuple(self.at), tuple(self.origin), tuple(self.width))


def percent_shadow(text: str) -> Shadow | None:
    """`text` with its percent-escapes decoded (as UTF-8) and `+` read as a blank; None when it has no escape."""
    if "%" not in text or _ESCAPE.search(text, 0, MAX_SHADOW) is None:
        return None
    out = _Builder()
    pos = 0
    for match in _PIECE.finditer(text, 0, MAX_SHADOW):
        if match.start() > pos:
            out.add(text[pos : match.start()], pos)
        piece = match.group()
        if piece == "+":
            out.add(" ", match.start(), 1)
        else:
            here = match.start()
            for char in bytes.fromhex(piece.replace("%", "")).decode("utf-8", "surrogateescape"):
                length = 3 * len(char.encode("utf-8", "surrogateescape"))
                out.add(char, here, length)
                here += length
        pos = match.end()
    if pos < len(text):
        out.add(text[pos:], pos)
    return out.shadow()


def base64_runs(text: str, taken: Sequence[tuple[int, int]] = ()) -> Iterator[tuple[int, int, str]]:
    """(start, end, decoded text) of each standard base64 run long enough to hold a line, that decodes to UTF-8 and
    overlaps no span in `taken` (what the detectors already found: a token's own segments are runs too)."""
    count = 0
    for match in _BASE64.finditer(text):
        start, end = match.span()
        if any(start < stop and begin < end for begin, stop in taken):
            continue
        count += 1
        if count > MAX_RUNS:
            return
        run = match.group().rstrip("=")[:MAX_RUN]
        run = run[: len(run) - (len(run) % 4 == 1)]
        try:
            decoded = base64.b64decode(run + "=" * (-len(run) % 4), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            continue
        yield start, end, decoded
