"""What a paste adds around the text of each line, and text rejoined from pieces of several lines.

A ticket system, an e-mail client or a Markdown block that hard-wraps a long line also decorates every piece:
an e-mail quote (`> `, `> > `), an indent (spaces, a tab), a trailing blank, a quoted-printable soft break (`=`
at column 76). `piece_bounds` finds the text of a line between those; `Joined` glues pieces together so the
detectors see one value, and maps what they find back onto the lines, piece by piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# quote markers and indentation in front of a line (possessive: a run of blanks is read once)
_PREFIX = re.compile(r"(?:[ \t]*+>)*+[ \t]*+")
QP_WIDTHS = range(70, 77)  # quoted-printable lines are at most 76 characters, the soft break included


def piece_bounds(line: str) -> tuple[int, int]:
    """Start and end of the text of one pasted line: after a quote or indent prefix, before trailing blanks
    and a quoted-printable soft break."""
    match = _PREFIX.match(line)
    start = match.end() if match else 0
    end = len(line.rstrip(" \t"))
    if end > start and line[end - 1] == "=" and end == len(line) and len(line) in QP_WIDTHS:
        end -= 1
    return min(start, end), end


def prefix_length(line: str) -> int:
    match = _PREFIX.match(line)
    return match.end() if match else 0


@dataclass(frozen=True, slots=True)
class Joined:
    """Pieces of several lines (line index, start, end) glued into one text."""

    text: str
    pieces: tuple[tuple[int, int, int], ...]
    offsets: tuple[int, ...]  # where each piece begins in `text`

    @classmethod
    def of(cls, lines: list[str], pieces: list[tuple[int, int, int]]) -> Joined:
        offsets: list[int] = []
        parts: list[str] = []
        pos = 0
        for index, start, end in pieces:
            offsets.append(pos)
            parts.append(lines[index][start:end])
            pos += end - start
        return cls("".join(parts), tuple(pieces), tuple(offsets))

    def split(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """The span `text[start:end]` as (line index, start, end) on the lines it came from."""
        out: list[tuple[int, int, int]] = []
        for (index, p_start, p_end), offset in zip(self.pieces, self.offsets, strict=True):
            low = max(start, offset)
            high = min(end, offset + p_end - p_start)
            if low < high:
                out.append((index, p_start + low - offset, p_start + high - offset))
        return out


def split_bare_cr(text: str) -> list[tuple[int, int, int]] | None:
    """The pieces of a line that a bare carriage return (an old Mac export of a wrapped paste) cut, or None."""
    if "\r" not in text:
        return None
    pieces: list[tuple[int, int, int]] = []
    pos = 0
    for part in text.split("\r"):
        start, end = piece_bounds(part) if pos else (0, len(part.rstrip(" \t")))
        pieces.append((0, pos + start, pos + end))
        pos += len(part) + 1
    return pieces
