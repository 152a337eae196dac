"""Rejoin credentials lines that a ticket system, an e-mail client or a narrow terminal hard-wrapped.

Works on raw lines, before entries are built (`loglens.parse.parse_entries` puts it in front of the entry parser),
so `analyze` and `livekit` read the same whole line. Redaction does not use it: it must write every original line
back, and finds wrapped token pieces on its own.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator

from loglens import models as m
from loglens.events import Parsed, parse_line
from loglens.lines import is_frame, opens_entry, strip_color
from loglens.prefixes import unwrap_line
from loglens.sources import RawLine
from loglens.tokens import is_whole

MAX_JOIN_LINES = 60
MAX_JOIN_CHARS = 64_000
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
            if (
                ("eyJ" in text or "eyJ" in after)
                and self._may_continue(raw, nxt)
                and _marked(text + after)
                and not _complete(text, self._parse)
            ):
                yield self._join(raw)
            else:
                yield raw

    @staticmethod
    def _may_continue(first: RawLine, piece: RawLine) -> bool:
        text = piece.text
        return bool(text) and not text.isspace() and len(text) <= len(first.text) and not opens_entry(text)

    def _join(self, first: RawLine) -> RawLine:
        width = len(first.text)
        taken: list[RawLine] = []
        text, last = first.text, first
        while len(last.text) == width and len(taken) < MAX_JOIN_LINES and len(text) < MAX_JOIN_CHARS:
            nxt = self._next()
            if nxt is None:
                break
            # a shorter piece that looks like a stack frame ends the run only when nothing is missing yet
            frame = len(nxt.text) < width and is_frame(nxt.text)
            if not self._may_continue(first, nxt) or (frame and _complete(text, self._parse)):
                self._pushback.appendleft(nxt)
                break
            taken.append(nxt)
            text += nxt.text
            last = nxt
        if taken and credentials_in(text, self._parse) is not None:
            return RawLine(first.number, text, last.ending, joined=len(taken))
        self._pushback.extendleft(reversed(taken))
        return first
