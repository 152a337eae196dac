"""Lines to entries: the one entry pipeline every command and the goldens read through.

Hard-wrapped credentials lines are rejoined first (`loglens.wrap`), then each line is unwrapped (`loglens.lines`),
Convai lines are read by the grammar (`loglens.events`), and frames and `(Filename: ...)` footers join the entry
above them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from loglens import masking
from loglens import models as m
from loglens.events import Body, LineParser, Parsed, ToEvents, parse_line
from loglens.freetext import MAX_LINES as FREE_TEXT_LINES
from loglens.freetext import Said, continued, said_in
from loglens.lines import (
    COLOR_CLOSE,
    MAX_PARSE_CHARS,
    body_text,
    could_be_convai,
    exception_head,
    is_frame,
    opens_entry,
    parse_footer,
    strip_color,
    unwrap,
)
from loglens.masking import Masked, masked
from loglens.memo import LINES, SHORT, per_line
from loglens.prefixes import Unwrapped, unwrap_line
from loglens.sources import RawLine
from loglens.wrap import WrapJoiner

__all__ = [
    "MAX_PARSE_CHARS",
    "Body",
    "EntryParser",
    "LineParser",
    "Parsed",
    "ToEvents",
    "body_text",
    "could_be_convai",
    "is_frame",
    "opens_entry",
    "parse_entries",
    "parse_footer",
    "parse_line",
    "strip_color",
    "unwrap",
]


def _summary(event: Any) -> str | None:
    """A display message for events whose text is mostly secret."""
    if isinstance(event, m.RoomDetails):
        return f"Room details received (room {event.room_name or '?'}, session {event.session_id or '?'})"
    if isinstance(event, m.TokenSummary):
        return f"Token summary (room {event.room_name or '?'}, session {event.session_id or '?'})"
    if isinstance(event, m.UserText):
        return "Sent user text message: <player-text>"
    return None


def _message(inner: str, head: m.LineHead | None, body: Body) -> str:
    """What an entry shows as its message: the text after the head, without a context block the grammar read."""
    message = body_text(inner) if head is not None else inner.strip()
    if body.context:
        message = message[: message.rfind(" {")].rstrip()
    return message


@dataclass(slots=True)
class _Open:
    """The entry being assembled."""

    line: int
    end_line: int
    platform: m.Platform
    head: m.LineHead | None
    event: Any
    message: Masked
    frames: list[Masked] = field(default_factory=list)
    footer: m.Footer | None = None
    after_blank: bool = False
    said: Said | None = None  # free text its last line ended in, that the next lines may go on with
    said_lines: int = 0

    def close(self) -> m.Entry:
        """The entry, of the values the parser built it from: each was validated or masked where it was made."""
        return m.Entry.trusted(
            line=self.line,
            end_line=self.end_line,
            platform=self.platform,
            head=self.head,
            event=self.event,
            message=self.message,
            frames=tuple(self.frames),
            footer=self.footer,
        )


_UNPARSED = m.UnparsedLine()


class _Kind(NamedTuple):
    """What a raw line is, whatever entry it comes in: its prefix taken off, and what the entry loop asks of it."""

    unwrapped: Unwrapped
    blank: bool
    frame: str | None  # a stack frame's text as its entry keeps it; None for a line that is no frame
    exception: bool  # an exception line that opens an entry of its own after Unity noise (`exception_head`)


@per_line
def _kind(line: str) -> _Kind:
    """`_Kind` of one raw line: a pure function of the line, worked out once per distinct line, since frames and
    noise lines, most of a log, repeat (`loglens.memo`)."""
    unwrapped = unwrap_line(line)
    text = unwrapped.text
    if not text or text.isspace():
        return _Kind(unwrapped, True, None, False)
    frame = text.removesuffix(COLOR_CLOSE).strip() if is_frame(text) else None
    return _Kind(unwrapped, False, frame, exception_head(text))


# short lines whose `_kind` a parser keeps (a few MB): a log's frames differ by their line numbers, so more of them
# recur than `memo.LINES` holds
KIND_LINES = LINES
_said = per_line(said_in)  # the free text an entry's first line ends in, once per distinct line


class EntryParser:
    """Group raw lines into entries. Streaming: holds one open entry at a time.

    Every entry is built with `masker` active (the analysis's own, or a new one), which sees each raw line in
    order. `parse_entries` puts the wrap rejoin in front of it.
    """

    def __init__(
        self, lines: Iterable[RawLine], parse: LineParser | None = None, masker: masking.Masker | None = None
    ) -> None:
        self._lines = iter(lines)
        self.masker = masker or masking.active_or_new()
        self._parse = parse or LineParser()
        self.lines_read = 0
        self.long_lines = 0  # lines too long to be log lines: kept as unparsed entries, never parsed
        self.first_long_line = 0
        self._ahead: RawLine | None = None  # the line after the current one, once `_peek` read it
        self._kinds: dict[str, _Kind] = {}  # `_kind` of the short lines met lately, looked up without a call

    def _kind_of(self, text: str) -> _Kind:
        """`_kind(text)`, kept for the lines that follow (most lines repeat one met a little before)."""
        kind = _kind(text)
        if len(text) <= SHORT:
            if len(self._kinds) >= KIND_LINES:
                self._kinds.clear()
            self._kinds[text] = kind
        return kind

    def _peek(self) -> str | None:
        """The text of the line after the current one, read ahead (the masker follows it when `_entries` takes
        it)."""
        self._ahead = self._ahead or next(self._lines, None)
        return None if self._ahead is None else self._ahead.text

    def __iter__(self) -> Iterator[m.Entry]:
        context = masking.context_of(self.masker)
        entries = self._entries()
        while True:
            try:
                entry = context.run(next, entries)
            except StopIteration:
                return
            yield entry

    def _entries(self) -> Iterator[m.Entry]:
        current: _Open | None = None
        held: list[m.Entry] = []  # other apps' logcat lines that interleave with an open Unity entry
        lines, follow, masked = self._lines, self.masker.follow, self.masker.masked  # once, not once a line
        known = self._kinds.get
        while True:
            raw, self._ahead = self._ahead or next(lines, None), None
            if raw is None:
                break
            self.lines_read = raw.number + raw.joined
            follow(raw.text)  # the masker sees every raw line, in order
            if current is not None and current.said is not None and self._goes_on(current, raw):
                continue
            kind = known(raw.text) or self._kind_of(raw.text)
            unwrapped = kind.unwrapped
            platform, text = unwrapped.platform, unwrapped.text
            if kind.blank:
                if current is not None:
                    current.after_blank = True
                continue
            if current is not None:
                if current.after_blank:
                    footer = parse_footer(text)
                    if footer is not None:
                        current.footer = footer
                        current.end_line = raw.number
                        yield current.close()
                        yield from held
                        held.clear()
                        current = None
                        continue
                elif unwrapped.foreign:
                    held.append(_Open(raw.number, raw.number, platform, None, _UNPARSED, masked(text)).close())
                    continue
                elif kind.frame is not None and not (current.event is _UNPARSED and kind.exception):
                    current.frames.append(masked(kind.frame))
                    current.end_line = raw.number
                    continue
                yield current.close()
                yield from held
                held.clear()
            current = self._start(raw, platform, text)
            current.said = _said(raw.text)
        if current is not None:
            yield current.close()
        yield from held

    def _goes_on(self, current: _Open, raw: RawLine) -> bool:
        """Whether `raw` goes on with the free text the open entry ended in (`loglens.freetext`): then it is part
        of the entry, shown nowhere, and what it holds is learned as a secret."""
        assert current.said is not None
        piece = continued(current.said, raw.text, self._peek()) if current.said_lines < FREE_TEXT_LINES else None
        if piece is None:
            current.said = None
            return False
        self.masker.learn(raw.text[piece.start : piece.end], current.said.kind)
        current.end_line = raw.number + raw.joined
        current.said_lines += 1
        if piece.last:
            current.said = None
        return True

    def _start(self, raw: RawLine, platform: m.Platform, text: str) -> _Open:
        if len(text) > MAX_PARSE_CHARS:
            self.long_lines += 1
            self.first_long_line = self.first_long_line or raw.number
        elif could_be_convai(text):
            color, inner = strip_color(text)
            parsed = self._parse(inner)
            if parsed is not None:
                head, body = parsed
                if head is not None and (body.tag or color or body.context):
                    update = {"tag": masked(body.tag), "color": masked(color), "context": body.context}
                    head = head.model_copy(update=update)
                shown = self._shown(inner, head, body)
                return _Open(raw.number, raw.number + raw.joined, platform, head, body.event, shown)
        return _Open(raw.number, raw.number + raw.joined, platform, None, _UNPARSED, self._masked(text))

    def _shown(self, inner: str, head: m.LineHead | None, body: Body) -> Masked:
        """The entry's message, masked. What a transcript says is labelled by its head (`[Transcript]:`), which the
        message leaves out: it is masked as part of the whole line, and kept hidden whole if it cannot be cut out."""
        message = _summary(body.event) or _message(inner, head, body)
        if head is None or head.category.casefold() != "transcript":
            return Masked(message)
        whole = self.masker.mask(inner)
        cut = len(inner) - len(message)
        if inner.endswith(message) and whole.startswith(inner[:cut]):
            return Masked(whole[cut:])
        return Masked.trusted("<transcript>")

    def _masked(self, text: str) -> Masked:
        """`Masked(text)` without looking the masker up: frames and noise lines are most of a log."""
        return self.masker.masked(text)


def parse_entries(lines: Iterable[RawLine]) -> EntryParser:
    """The entries of a log, in order, streaming: wrapped credentials lines rejoined, then entries built.

    The one pipeline: `analyze`, `livekit` and the goldens all read through it. The returned parser also counts
    the lines read and the lines too long to parse.
    """
    parse = LineParser()
    return EntryParser(WrapJoiner(lines, parse), parse)
