"""Fixed-width hard wraps: the evidence that a ticket system, an e-mail client or a narrow terminal cut one long line
into pieces of one width (`wrapped_count`: lines of one width, the last no wider), where each piece's text starts
(`piece_start`) and what of each line of a wrapped group to join (`wrap_pieces`). The limits, what a piece is and
what stands alone are `loglens.logical`'s."""

from __future__ import annotations

from collections.abc import Iterable

from loglens.logical import (
    MIN_WIDTH,
    RUN_CHARS,
    Piece,
    body_bounds,
    cut_lines,
    random_run,
    same_field,
    sdp_line,
    stands_alone,
)
from loglens.paste import piece_bounds, prefix_length


def wrapped_count(text: str, following: Iterable[str], widths: set[int] | frozenset[int] = frozenset()) -> int:
    """How many of the `following` lines continue `text`, when a fixed-width hard wrap broke one long line.

    The evidence is the width of each line's text (what the paste put in front of it, a quote or an indent, does
    not count): three or more lines of exactly one width, then one no longer; or one more line when that width
    already wrapped something earlier in the file (`widths`). Two lines of one length happen by chance too often,
    in logs and in what redaction writes. A blank line inside a cut is taken along. A line that repeats the one
    before it, opens the field it opened (`same_field`), or stands alone (`stands_alone`: a Convai head, a frame, a
    footer, a platform prefix), ends the run. 0: no wrap.
    """
    return wrapped_counts(text, following, widths)[0]


def wrapped_counts(
    text: str, following: Iterable[str], widths: set[int] | frozenset[int] = frozenset()
) -> tuple[int, int]:
    """`wrapped_count` with `widths`, and as it would be had this line's own width wrapped something before: one
    walk over the `following` lines for both."""
    width = wrap_width(text)
    if width < MIN_WIDTH:
        return 0, 0
    count, full, previous = 0, 1, text
    for index, line, start, end in cut_lines(following, piece_bounds):
        if start == end:
            continue
        size = len(line) - start
        if width in (len(line), size + 1):
            size = width  # the blank the prefix took may begin the text itself
        piece = line[start:] if start else line  # an entry of its own or a frame is never the rest of a wrapped line
        repeated = line == previous and not _dense_run(line[start:end])  # a token's payload may repeat a line
        if size > width or repeated or stands_alone(piece) or same_field(previous, piece) or sdp_line(previous, piece):
            break
        count = index  # the blank lines before it are taken along
        if size < width:
            break
        full += 1
        previous = line
    return (count if full >= 3 or width in widths else 0), count


def wrap_width(first: str) -> int:
    """The width a hard wrap cut its first line to: the line's length, less a paste's quote or indent in front (a
    platform head on that line was wrapped with the text)."""
    return len(first) - prefix_length(first)


def piece_start(line: str, width: int, lead: int = -1) -> int:
    """Where the text of a following piece of a hard wrap `width` wide begins (`body_bounds`); a blank the paste
    prefix seems to hold is the text's own when the piece is then as wide as the first (the wrap cut at a space) or
    the piece before began there too (`lead`)."""
    start = body_bounds(line)[0]
    if start and line[start - 1] == " " and (len(line) - start + 1 == width or start - 1 == lead):
        return start - 1
    return start


def _dense_run(text: str) -> bool:
    """Token characters only, and a random run's mix of cases and digits: a piece of base64, not a repeated log
    line."""
    return not text.strip(RUN_CHARS) and random_run(text)


def wrap_pieces(lines: list[str]) -> list[Piece]:
    """The text of each line of a wrapped group (the first whole, up to its trailing blanks): what to join."""
    pieces = [(0, 0, piece_bounds(lines[0])[1])]
    plain = prefix_length(lines[0]) == 0
    for index in range(1, len(lines)):
        start, end = piece_bounds(lines[index])
        if start == 1 and plain and lines[index][0] == " ":
            start = 0  # one space before a piece of an undecorated wrap is the text's own (the wrap cut at a space)
        if start < end:
            pieces.append((index, start, end))
    return pieces
