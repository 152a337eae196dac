"""A token cut at a line's end: where it begins (`wrap_start`) and how the lines after it rebuild it (`join_wrap`).

The evidence where no detector has spoken yet: each following line adds the run of token characters its text starts
with, and only a whole token (a header naming an algorithm, a payload that decodes to a JSON object) counts. The
lines it walks and their limits are `loglens.logical`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from loglens.detectors import FOREIGN, clean_token
from loglens.logical import MAX_CHARS, Piece, cut_lines, fits_exactly, reads_as_prose, same_field
from loglens.paste import piece_bounds, repeated_lead
from loglens.tokens import signature_complete, trimmed


class Wrap(NamedTuple):
    """A token rebuilt from a line's tail and the leading pieces of the lines after it."""

    token: str
    pieces: tuple[Piece, ...]  # (index among the following lines, start, end) of each piece


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


MAX_HEADER = 1_024  # a JWT's header names an algorithm and a key id: far shorter than this before its dot
_RUN = re.compile(r"(?:[A-Za-z0-9_.-]|" + FOREIGN + r")+")


def join_wrap(tail: str, following: Iterable[str], first: str = "") -> Wrap | None:
    """Rebuild a hard-wrapped token from `tail` and the lines after it; None when they do not make one.

    Each following line contributes the run of token characters that starts its text (after a quote or indent
    prefix); a line that is nothing but token characters continues onto the next, and a blank line inside a cut
    is stepped over. The result must have a header naming an algorithm and a payload that decodes to a JSON
    object, so ordinary lines after a truncated token are never swallowed; nor is a line's first word
    (`logical.reads_as_prose`) unless it ends the signature exactly, nor the label of a line that opens the field
    `first` (the line `tail` ends) opened (`logical.same_field`: `Token: eyJ…` after `Token: eyJ…`), unless
    the token before it is cut short and the line repeats the head or label it stood behind (`repeated_lead`).
    """
    token = tail
    pieces: list[Piece] = []
    prose = False
    for index, line, start, end in cut_lines(following, piece_bounds):
        if start == end:
            continue
        behind = repeated_lead(first, len(first) - len(tail), line, start) if first else 0
        if behind:
            start += behind  # a logger that cuts a long message repeats its head or label on each piece
        elif index == 1 and first and same_field(first, line[start:end]):
            break
        lead = _run_length(line, start)
        if lead == 0:
            break
        token += line[start : start + lead]
        pieces.append((index - 1, start, start + lead))
        prose = reads_as_prose(line, start)
        clean = clean_token(token)
        if start + lead < end or signature_complete(clean) or len(token) > MAX_CHARS:
            break
        if len(clean) > MAX_HEADER and "." not in clean[:MAX_HEADER]:
            return None  # no header is this long: lines of their own, each a cut token, not one token's pieces
    if not pieces:
        return None
    clean = clean_token(token)
    whole = trimmed(clean)
    if whole is None or (prose and not fits_exactly("livekit-token", token)):
        return None
    if clean == token:
        excess = len(token) - len(whole)
        index, start, end = pieces[-1]
        if excess >= end - start:
            return None  # the token was already whole before the last piece: not a wrap there
        pieces[-1] = (index, start, end - excess)
    return Wrap(whole, tuple(pieces))
