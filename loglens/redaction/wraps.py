"""Tokens broken over several lines: a fixed-width hard wrap, or a token cut at a line's end.

Redaction cannot join lines (it writes each one back), so it finds the pieces of a wrapped token here and gives
each piece the token's placeholder; the leftover check uses the same rules to see a wrapped token that is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from loglens.detectors import FOREIGN, clean_token
from loglens.lines import opens_entry, starts_like_frame
from loglens.paste import piece_bounds, prefix_length
from loglens.tokens import signature_complete, trimmed

RUN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-."
MAX_WRAP_LINES = 60
MAX_WRAP_CHARS = 16_384
MIN_WRAP_WIDTH = 16  # narrower "wraps" are ordinary short lines
MAX_BLANKS = 1  # blank lines a paste may put into one cut


@dataclass(frozen=True, slots=True)
class Wrap:
    """A token rebuilt from a line's tail and the leading pieces of the lines after it."""

    token: str
    pieces: tuple[tuple[int, int, int], ...]  # (index among the following lines, start, end) of each piece


def wrap_start(text: str) -> int | None:
    """Where a token that runs into the end of this line and looks cut short begins, if one does."""
    body = text[: piece_bounds(text)[1]]
    stripped = _rstrip_run(body)
    tail = body[len(stripped) :]
    if not tail:
        return None
    k = tail.find("eyJ")
    if k == -1:
        return len(stripped) if tail in ("e", "ey") else None
    return None if signature_complete(clean_token(tail[k:])) else len(stripped) + k


def _rstrip_run(text: str) -> str:
    """`text` without the token characters (and the foreign characters a paste puts inside a token) at its end."""
    # matched on the reversed text: a search for a run anchored at the end retries from every start (quadratic)
    match = _RUN.match(text[::-1])
    return text[: len(text) - match.end()] if match else text


def _run_length(text: str, start: int) -> int:
    match = _RUN.match(text, start)
    return match.end() - start if match else 0


_RUN = re.compile(r"(?:[A-Za-z0-9_.-]|" + FOREIGN + r")+")


def wrapped_count(text: str, following: Iterable[str], widths: set[int] | frozenset[int] = frozenset()) -> int:
    """How many of the `following` lines continue `text`, when a fixed-width hard wrap broke one long line.

    The evidence is the width of each line's text (what the paste put in front of it, a quote or an indent, does
    not count): three or more lines of exactly one width, then one no longer; or one more line when that width
    already wrapped something earlier in the file (`widths`). Two lines of one length happen by chance too often,
    in logs and in what redaction writes. A blank line inside a cut is taken along. A line that repeats the one
    before it, or that starts like an entry of its own (a Convai head, a frame, a footer, a platform prefix), ends
    the run. 0: no wrap.
    """
    width = len(text) - prefix_length(text)
    if width < MIN_WRAP_WIDTH:
        return 0
    count, full, blanks, previous = 0, 1, 0, text
    for line in islice(following, MAX_WRAP_LINES):
        start, end = piece_bounds(line)
        if start == end:
            blanks += 1
            if blanks > MAX_BLANKS:
                break
            continue
        size = len(line) - start
        if width in (len(line), size + 1):
            size = width  # the blank the prefix took may begin the text itself
        piece = line[start:] if start else line  # an entry of its own or a frame is never the rest of a wrapped line
        repeated = line == previous and not _dense_run(line[start:end])  # a token's payload may repeat a line
        if size > width or repeated or opens_entry(piece) or starts_like_frame(piece):
            break
        count += 1 + blanks
        blanks = 0
        if size < width:
            break
        full += 1
        previous = line
    if count and (full >= 3 or width in widths):
        return count
    return 0


def _dense_run(text: str) -> bool:
    """Token characters only, with upper case, lower case and digits: a piece of base64, not a repeated log line."""
    return (
        not text.strip(RUN_CHARS)
        and any(c.isupper() for c in text)
        and any(c.islower() for c in text)
        and any(c.isdigit() for c in text)
    )


def wrap_pieces(lines: list[str]) -> list[tuple[int, int, int]]:
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


def join_wrap(tail: str, following: Iterable[str]) -> Wrap | None:
    """Rebuild a hard-wrapped token from `tail` and the lines after it; None when they do not make one.

    Each following line contributes the run of token characters that starts its text (after a quote or indent
    prefix); a line that is nothing but token characters continues onto the next, and a blank line inside a cut
    is stepped over. The result must have a header naming an algorithm and a payload that decodes to a JSON
    object, so ordinary lines after a truncated token are never swallowed.
    """
    token = tail
    pieces: list[tuple[int, int, int]] = []
    blanks = 0
    for index, line in enumerate(islice(following, MAX_WRAP_LINES)):
        start, end = piece_bounds(line)
        if start == end and blanks < MAX_BLANKS:
            blanks += 1
            continue
        lead = _run_length(line, start)
        if lead == 0:
            break
        blanks = 0
        token += line[start : start + lead]
        pieces.append((index, start, start + lead))
        if start + lead < end or signature_complete(clean_token(token)) or len(token) > MAX_WRAP_CHARS:
            break
    if not pieces:
        return None
    clean = clean_token(token)
    whole = trimmed(clean)
    if whole is None:
        return None
    if clean == token:
        excess = len(token) - len(whole)
        index, start, end = pieces[-1]
        if excess >= end - start:
            return None  # the token was already whole before the last piece: not a wrap there
        pieces[-1] = (index, start, end - excess)
    return Wrap(whole, tuple(pieces))
