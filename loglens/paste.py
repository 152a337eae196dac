"""What a paste adds around the text of each line, and text rejoined from pieces of several lines.

A ticket system, an e-mail client or a Markdown block that hard-wraps a long line also decorates every piece:
an e-mail quote (`> `, `> > `), an indent (spaces, a tab), a trailing blank, a quoted-printable soft break (`=`
at column 76). `piece_bounds` finds the text of a line between those; `Joined` glues pieces together so the
detectors see one value, and maps what they find back onto the lines, piece by piece.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from loglens.lazyre import lazy
from loglens.memo import per_line

# quote markers (`>`, or `&gt;` in an HTML copy of a quote) and indentation in front of a line (possessive: a run
# of blanks is read once)
_PREFIX_SOURCE = r"(?:[ \t]*+(?:>|&gt;))*+[ \t]*+"
_PREFIX = re.compile(_PREFIX_SOURCE)
# an HTML line break: at a line's end (an HTML copy keeps it beside the newline) or standing in for the newline
_BREAK_TAG_SOURCE = r"<[Bb][Rr][ \t]*+/?>"
_BREAK_TAG = re.compile(_BREAK_TAG_SOURCE)
_TAG_REACH = 12  # the longest break tag looked for at a line's end (`<br   />`)
_INLINE_CUT = lazy(r"\r|" + _BREAK_TAG_SOURCE)
# the same decorations in raw bytes, for screens that look at a block before decoding it
PREFIX_BYTES = re.compile(_PREFIX_SOURCE.encode("ascii"))
BREAK_TAG_BYTES = re.compile(_BREAK_TAG_SOURCE.encode("ascii"))
QP_WIDTHS = range(70, 77)  # quoted-printable lines are at most 76 characters, the soft break included


@per_line
def piece_bounds(line: str) -> tuple[int, int]:
    """Start and end of the text of one pasted line: after a quote or indent prefix, before trailing blanks, an
    HTML line break (`<br>`, `<br />`) and a quoted-printable soft break."""
    match = _PREFIX.match(line)
    start = match.end() if match else 0
    end = _text_end(line)
    if end > start and line[end - 1] == "=" and end == len(line) and (len(line) in QP_WIDTHS or _cut_word(line)):
        end -= 1
    return min(start, end), end


def repeated_lead(first: str, begin: int, line: str, start: int) -> int:
    """How much of `line`'s text (from `start`, after a paste prefix) repeats the head or label that the token at
    `begin` of `first` stands behind (`[12:00:00.000][Debug][Transport]: `, `"token": `, `token=`; digits may
    differ): a logger that cuts a long message into pieces writes it again in front of each. Only what ends at a
    label's separator, a head's bracket or a quote counts; 0 when the line repeats none."""
    lead = piece_bounds(first)[0]
    size = 0
    for mine, theirs in zip(first[lead : min(begin, lead + MAX_LEAD)], line[start:], strict=False):
        if mine != theirs and not (mine.isdigit() and theirs.isdigit()):
            break
        size += 1
    shared = first[lead : lead + size]
    while shared and shared[-1] not in _LEAD_ENDS:
        core = shared.rstrip(" \t")
        if len(core) == len(shared):
            shared = shared[:-1]
        elif core[-1:] in _LEAD_ENDS:
            break  # the blanks after a label's separator or a head are part of it
        else:
            shared = core
    return len(shared)


MAX_LEAD = 160  # characters of a repeated head or label looked at: a logcat head, a Convai head and a label fit
_LEAD_ENDS = frozenset(":=])\"'")  # what a head or a label ends in (blanks after it are part of it)


def _cut_word(line: str) -> bool:
    """The line ends in `_=` or `-=` after a letter or digit (`"end_user_=`): no label ends in a joiner before its
    separator, so the `=` is a soft break that cut a label, whatever the line's width."""
    return len(line) > 2 and line[-2] in "_-" and line[-3].isalnum()


def tag_end(line: str) -> int:
    """Where a line ends without a trailing HTML break tag (a blank before it may be the text's own, as at the end
    of a piece a hard wrap cut at a space); its length without one."""
    end = len(line.rstrip(" \t"))
    if line.endswith(">", 0, end):
        tag = line.rfind("<", max(0, end - _TAG_REACH), end)
        if tag != -1 and _BREAK_TAG.fullmatch(line, tag, end):
            return tag
    return len(line)


def _text_end(line: str) -> int:
    """Where a line's text ends: before trailing blanks and an HTML line break with blanks around it."""
    end = tag_end(line)
    return len(line[:end].rstrip(" \t")) if end < len(line) else len(line.rstrip(" \t"))


def prefix_length(line: str) -> int:
    match = _PREFIX.match(line)
    return match.end() if match else 0


class Joined(NamedTuple):
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
        first = max(bisect_right(self.offsets, start) - 1, 0)  # only the pieces the span touches: linear in all
        for at in range(first, len(self.pieces)):
            (index, p_start, p_end), offset = self.pieces[at], self.offsets[at]
            if offset >= end:
                break
            low = max(start, offset)
            high = min(end, offset + p_end - p_start)
            if low < high:
                out.append((index, p_start + low - offset, p_start + high - offset))
        return out


def split_bare_cr(text: str) -> list[tuple[int, int, int]] | None:
    """The pieces of a line that a bare carriage return (an old Mac export of a wrapped paste) or an HTML line
    break with text after it (HTML pasted as one line) cut, or None. A break tag at the line's end cuts nothing."""
    if "\r" not in text and _BREAK_TAG.search(text) is None:
        return None
    pieces: list[tuple[int, int, int]] = []
    pos = 0
    last = len(text.rstrip(" \t"))  # where the line's text ends, found once
    for cut in _INLINE_CUT.finditer(text):
        if cut.group() != "\r" and cut.end() >= last:
            break  # a trailing tag decorates the line's end (`piece_bounds`)
        pieces.append(_piece(text, pos, cut.start()))
        pos = cut.end()
    pieces.append(_piece(text, pos, len(text)))
    return pieces if len(pieces) > 1 else None


def _piece(text: str, pos: int, stop: int) -> tuple[int, int, int]:
    """The text of `text[pos:stop]` as a piece: the first keeps what it starts with."""
    part = text[pos:stop]
    start, end = piece_bounds(part) if pos else (0, _text_end(part))
    return (0, pos + start, pos + end)
