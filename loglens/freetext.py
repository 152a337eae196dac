"""What was said, over several lines: the one definition of which lines continue a player's text or a transcript.

A player can type newlines (and a speech transcript can carry them); the log then writes the rest of the message
on the lines after its entry's first line, each behind whatever head the log puts on every line: a logcat head of
any copy format, a paste's `> `, a `[16:20:43.400]` timestamp, a rich-text `<color=...>` tag. After a line whose
free text runs to the end of its message (`said_at_end`), every following line is more of that text up to a line
that starts an entry (`lines.opens_entry`, read after the line's head), a stack frame in any Unity form
(`lines.trace_frame`; a line shaped like an exception's header, `lines.is_frame`, only when such a frame follows
it: else it is what the player typed), a blank line, or a line of another head: logcat writes the lines of one
message behind one head, time and ids included. The line that closes the entry's color tag is the message's last.

Redaction gives every such line's text the message's placeholder, `check` flags it, and the entry parser keeps
it inside the entry, so `analyze` shows it nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from loglens.detectors import DETECTORS, DetectorSet
from loglens.detectors.predicates import FREE_TEXT
from loglens.detectors.table import USER_TEXT
from loglens.lazyre import lazy
from loglens.lines import COLOR_CLOSE, is_frame, opens_entry, starts_like_frame, trace_frame
from loglens.logical import body_bounds, line_head

MAX_LINES = 1_024  # lines of one message followed at most (what a player types is far shorter)
_COLOR_OPEN = "<color="
_STAMP = lazy(r"\[\d\d:\d\d:\d\d(?:[.,]\d{1,7})?\] ?")  # `[16:20:43.400]`, a timestamp head of its own


class Said(NamedTuple):
    """Free text that runs to the end of its line: its kind and span there, the line's platform head
    (`logical.line_head`), and whether the entry opened a color tag (the line that closes it is the last)."""

    kind: str
    start: int
    end: int
    head: str | None
    colored: bool


def said_at_end(line: str, spans: Iterable[tuple[int, int, str]]) -> Said | None:
    """The free text among `spans` (start, end, kind: what a detector set found in `line`) that runs to the end of
    the line's message, when the lines after it may go on with it: not when the line closes its entry's color."""
    spans = [span for span in spans if span[2] in FREE_TEXT]
    if not spans:
        return None  # most lines: no free text at all, so their bounds need not be read
    start, end = body_bounds(line)
    closed = line.endswith(COLOR_CLOSE, start, end)
    stop = len(line[: end - len(COLOR_CLOSE)].rstrip()) if closed else end
    said = [(s, e, kind) for s, e, kind in spans if s < stop <= e]
    if not said:
        return None
    # only a line's own text goes on below it: a message URL-encoded or escaped into it has its newlines encoded
    plain = {span.start for detector in _FREE_TEXT for span in detector.scan(line)}
    said = [found for found in said if found[0] in plain]
    if not said:
        return None
    colored = _after_stamp(line, start).startswith(_COLOR_OPEN)
    if closed and colored:
        return None  # the entry ends on this line
    s, e, kind = said[-1]
    return Said(kind, s, e, line_head(line, (start, end)), colored)


# the REST API's `userText` is a form value or a JSON string: a newline the player typed is encoded inside it, so no
# line below goes on with it
_FREE_TEXT = tuple(d for d in DETECTORS if d.kind in FREE_TEXT and d is not USER_TEXT)
_SAID = DetectorSet(_FREE_TEXT)


def said_in(line: str) -> Said | None:
    """`said_at_end` with the default free-text detectors: for readers that keep no detector set of their own."""
    return said_at_end(line, [(s.start, s.end, s.kind) for s in _SAID.find(line)])


def _after_stamp(line: str, start: int) -> str:
    match = _STAMP.match(line, start)
    return line[match.end() if match else start :]


class Piece(NamedTuple):
    """Where one following line continues the text (`start:end`, maybe empty), and whether it is the last."""

    start: int
    end: int
    last: bool


def continued(said: Said, line: str, after: str | None = None) -> Piece | None:
    """Where `line` goes on with the text `said` began: its text after the heads (paste prefix, platform head,
    timestamp, color tag) and before a closing color tag; None when it starts something else. `after` is the line
    that follows it, None at the end: what tells an exception's header from a player's words of the same shape."""
    start, end = body_bounds(line)
    body = line[start:end]
    if not body.strip() or opens_entry(body) or trace_frame(body) or line_head(line, (start, end)) != said.head:
        return None
    if (is_frame(body) or starts_like_frame(body)) and _trace_follows(said, after):
        return None
    stamp = _STAMP.match(line, start, end)
    if stamp is not None:
        start = stamp.end()
    if line.startswith(_COLOR_OPEN, start, end):
        close = line.find(">", start, end)
        start = close + 1 if close != -1 else start
    last = line.endswith(COLOR_CLOSE, start, end)
    if last:
        end = len(line[: end - len(COLOR_CLOSE)].rstrip())
    return Piece(start, max(start, end), last and said.colored)


# The frames of the call that logged the message: after them the message has ended, but no exception began.
_LOG_CALLS = ("UnityEngine.Debug:", "UnityEngine.Logger:", "UnityEngine.DebugLogHandler:", "UnityEngine.StackTrace")


def _trace_follows(said: Said, after: str | None) -> bool:
    """Whether a line shaped like an exception's header or a loose frame (`FooException: ...`, `at the park`) is
    one: a frame only a stack trace writes follows it, behind the same head. Else it is what the player typed
    (a real exception is followed by its frames, or opens an entry of its own)."""
    if after is None:
        return False
    start, end = body_bounds(after)
    body = after[start:end].strip()
    return trace_frame(body) and not body.startswith(_LOG_CALLS) and line_head(after, (start, end)) == said.head


def continuation(said: Said, following: Iterable[str]) -> Iterator[tuple[str, Piece]]:
    """The `following` lines that go on with `said`, each with its piece, up to the first that does not; read one
    at a time, two past the last piece at most (a line is judged with the one after it)."""
    lines = iter(following)
    line = next(lines, None)
    for _ in range(MAX_LINES):
        if line is None:
            return
        after = next(lines, None)
        piece = continued(said, line, after)
        if piece is None:
            return
        yield line, piece
        if piece.last:
            return
        line = after
