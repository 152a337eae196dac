"""Rejoin credentials lines that a ticket system, an e-mail client or a narrow terminal hard-wrapped.

Works on raw lines, before entries are built (`loglens.parse.parse_entries` puts it in front of the entry parser),
so `analyze` and `livekit` read the same whole line. What a piece of a cut line is (the text after a paste's quote or
indent, or after a logcat head) and where a cut line ends are `loglens.logical`'s definitions, the ones redaction
walks by, so every command reads one paste as the same token. What is particular here is the evidence: the fixed
width of a hard wrap, or the shared head of a logcat split, and credentials with a whole token once joined.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator

from loglens import models as m
from loglens.cuttoken import wrap_start
from loglens.events import Parsed, parse_line
from loglens.fixedwidth import piece_start, wrap_width
from loglens.lines import is_frame, strip_color
from loglens.logical import MAX_BLANKS, MAX_CHARS, MAX_LINES, breaks, head_shape
from loglens.paste import repeated_lead, tag_end
from loglens.prefixes import unwrap_line
from loglens.sources import RawLine
from loglens.tokens import is_whole

CREDENTIAL_MARKERS = ("Token: eyJ", "Room details received:", "ROOM DETAILS RECEIVED:")


def _inner(text: str) -> str:
    """A line without its platform prefix and color tags: what the grammar reads."""
    return strip_color(unwrap_line(text).text)[1]


def _marked(text: str) -> bool:
    return any(marker in text for marker in CREDENTIAL_MARKERS)


Parse = Callable[[str], Parsed | None]


def credentials_in(text: str, parse: Parse = parse_line) -> m.RoomDetails | m.TokenSummary | None:
    """The credentials a whole line carries, when its token is whole."""
    if not _marked(text):
        return None
    parsed = parse(_inner(text))
    event = parsed[1].event if parsed else None
    if isinstance(event, m.RoomDetails | m.TokenSummary) and event.token and is_whole(event.token.get_secret_value()):
        return event
    return None


def _complete(text: str, parse: Parse) -> bool:
    """A credentials line that needs nothing from the next line: a whole token, and a URL that a `;` ends."""
    event = credentials_in(text, parse)
    if isinstance(event, m.TokenSummary):
        url = event.room_url
        return url is not None and (url + ";") in text
    return event is not None


def _behind(first: str, line: str, start: int) -> int:
    """How much of `line`'s text (from `start`) repeats the head or label that a token cut short at the end of
    `first` stands behind (`paste.repeated_lead`); 0 when `first` ends in no such token."""
    if "eyJ" not in first:
        return 0  # most Convai lines: no token to be cut, and no need to look for its end
    begin = wrap_start(first)
    return 0 if begin is None else repeated_lead(first, begin, line, start)


class WrapJoiner:
    """Rejoin a credentials line that a ticket system, an e-mail or a narrow terminal hard-wrapped.

    A hard wrap breaks one long line into pieces of the same width, the last one shorter. Whatever part of the
    line the first piece ends in (the head, the token, the URL), the pieces that follow a Convai line are
    joined while they keep that width, and the join is kept only if it yields credentials with a whole token
    that the first piece alone did not have. Every other line passes through untouched.
    """

    def __init__(self, lines: Iterable[RawLine], parse: Parse = parse_line) -> None:
        self._lines = iter(lines)
        self._parse = parse  # share the entry parser's cache: a line checked here is parsed once
        self._pushback: deque[RawLine] = deque()

    def _next(self) -> RawLine | None:
        return self._pushback.popleft() if self._pushback else next(self._lines, None)

    def __iter__(self) -> Iterator[RawLine]:
        pending, source = self._pushback, self._lines
        while True:
            raw = pending.popleft() if pending else next(source, None)
            if raw is None:
                return
            text = raw.text
            if "][" not in text and "ROOM" not in text:  # no Convai head, not even a cut one: most lines
                yield raw
                continue
            nxt = pending.popleft() if pending else next(source, None)
            if nxt is None:
                yield raw
                return
            pending.appendleft(nxt)
            after = nxt.text
            start = piece_start(after, wrap_width(text), 0)
            start += _behind(text, after, start)
            both = text + after[start:]  # a cut may split `eyJ` or a marker itself, at its blank too
            if (
                ("eyJ" in text or "eyJ" in after or "eyJ" in both)
                and self._may_continue(text, after, start, head_shape(text))
                and (_marked(text + after) or _marked(both))
                and not _complete(text, self._parse)
            ):
                yield self._join(raw)
            else:
                yield raw

    @staticmethod
    def _may_continue(before: str, line: str, start: int, own: str | None) -> bool:
        """`line`, whose text begins at `start`, may be the next piece of a cut line (`logical.breaks`)."""
        return start < len(line) and not line[start:].isspace() and not breaks(before, line, start, len(line), own)

    def _join(self, first: RawLine) -> RawLine:
        """Take the pieces after `first` while the paste shows they continue it: each one as wide as the first (a
        hard wrap, the last one no wider), or behind the same logcat head while the credentials are not whole."""
        own = head_shape(first.text)
        text = first.text[: tag_end(first.text)]  # an HTML copy's break tag is no part of the line
        width = wrap_width(text)
        taken: list[RawLine] = []
        blanks: list[RawLine] = []
        parts, lead, full = [text], 0, True
        size = len(text)
        chunk = 0  # the width of each piece of a message a logger cut, behind the head or label it repeats
        while full and len(taken) < MAX_LINES and size < MAX_CHARS:
            nxt = self._next()
            if nxt is None:
                break
            start = piece_start(nxt.text, width, lead)
            behind = _behind(first.text, nxt.text, start)
            start += behind
            chunk = chunk or (width - behind if behind else 0)
            if start == len(nxt.text.rstrip()) and len(blanks) < MAX_BLANKS:
                blanks.append(nxt)  # a blank or prefix-only line a paste put into the cut
                continue
            stop = tag_end(nxt.text)
            piece = stop - start
            # a shorter piece that looks like a stack frame ends the run only when nothing is missing yet
            frame = piece < width and is_frame(nxt.text[start:])
            # logcat cut the message, or a logger repeated its head or label: no width to keep
            split = bool(behind) or (own is not None and head_shape(nxt.text) == own)
            fits = (split or piece <= width) and self._may_continue(parts[-1], nxt.text, start, own)
            if not fits or (frame and _complete(text, self._parse)):
                self._pushback.appendleft(nxt)
                break
            taken += [*blanks, nxt]
            blanks = []
            parts.append(nxt.text[start:stop])
            text += parts[-1]
            size += piece
            lead = start
            if behind:  # past the token, only a piece as wide as the first says the message goes on
                full = not _complete(text, self._parse) and (piece >= chunk or wrap_start(text) is not None)
            else:
                full = not _complete(text, self._parse) if split else piece == width
        self._pushback.extendleft(reversed(blanks))
        if taken and credentials_in(text, self._parse) is not None:
            return RawLine(first.number, text, taken[-1].ending, joined=len(taken))
        self._pushback.extendleft(reversed(taken))
        return first
