"""Cut a log's bytes into runs of one encoding each, streaming: a run ends at the start of a line that switches
encoding (`encodings.from_narrow`, `encodings.from_wide`), so each run can be decoded, and written back, on its
own.

Only a few places can start a switch (a UTF-8 line holding a NUL or opening with a BOM; a UTF-16 line start
followed by bytes with no NUL up to a newline, or by a BOM), and each is found at C speed, so a log in one
encoding costs a few scans per chunk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from loglens.encodings import LOOK, PENDING, UTF32, Encoding, from_narrow, from_wide, refuse_long_line


class Part(NamedTuple):
    """Bytes of one run, in order; `opens` marks a run's first part (`encoding.bom` came right before it)."""

    encoding: Encoding
    data: bytes
    opens: bool


# what may start a switch in UTF-8: a NUL, or the first byte(s) of a BOM (UTF-8 text never holds FF or FE)
_LEADS = (b"\x00", b"\xff", b"\xfe", b"\xef\xbb\xbf")
_BOMS_FROM = {b"\xff": b"\xff\xfe", b"\xfe": b"\xfe\xff", b"\xef\xbb\xbf": b"\xef\xbb\xbf"}
_AFTER = rb"(?=[^\x00\n]*+(?:\n|\Z)|\xff\xfe|\xfe\xff|\xef\xbb\xbf)"
_WIDE_SWITCH = {"utf-16-le": re.compile(rb"\n\x00" + _AFTER), "utf-16-be": re.compile(rb"\x00\n" + _AFTER)}


class Runs:
    """Iterate the bytes after the first BOM as `Part`s; the first run is in `first`'s encoding."""

    def __init__(self, chunks: Iterable[bytes], first: Encoding) -> None:
        self._chunks = chunks
        self._encoding = first
        self._buf = b""
        self._clean = 0  # no switch starts before this offset of the buffer
        self._wait = 0  # a verdict that needed more bytes waits until the buffer is this long
        self._opens = True

    def __iter__(self) -> Iterator[Part]:
        for chunk in self._chunks:
            self._buf = self._buf + chunk if self._buf else chunk
            if len(self._buf) >= self._wait:
                yield from self._cut(final=False)
        yield from self._cut(final=True)

    def _cut(self, *, final: bool) -> Iterator[Part]:
        self._wait = 0
        while True:
            start = self._switch()
            if start is None:
                yield from self._emit(len(self._buf) if final else self._complete(), closing=final)
                return
            name = self._encoding.name
            if name == "utf-8":
                verdict = from_narrow(self._buf, start, final=final)
            else:
                verdict = from_wide(self._buf, start, name, final=final)
            if verdict is PENDING:
                yield from self._emit(start - (1 if name == "utf-8" else 2))  # keep what marks the line start
                self._wait = min(2 * len(self._buf) + 4096, LOOK + 4)
                return
            if not isinstance(verdict, Encoding):
                self._clean = self._past(start)
                continue
            yield from self._emit(start, closing=True)
            self._buf = self._buf[len(verdict.bom) :]
            self._encoding, self._opens, self._clean = verdict, True, 0

    def _switch(self) -> int | None:
        """The next line start at or after `_clean` where the encoding may switch."""
        buf = self._buf
        if self._encoding.name == "utf-8":
            return self._narrow_switch(buf)
        if self._encoding.name in UTF32:  # one run to the end
            return None
        pattern = _WIDE_SWITCH[self._encoding.name]
        pos = self._clean
        while (hit := pattern.search(buf, pos)) is not None:
            if hit.start() % 2 == 0:
                return hit.start() + 2
            pos = hit.start() + 1
        self._clean = max(len(buf) - 3, 0)
        return None

    def _narrow_switch(self, buf: bytes) -> int | None:
        """In UTF-8: the start of the next line that holds a NUL or opens with a BOM. A few plain searches (a
        regular expression that stops at every line is ten times slower), each repeated only past its own hit."""
        pos = self._clean
        ahead = {lead: buf.find(lead, pos) for lead in _LEADS}
        while True:
            lead, at = min(((k, v) for k, v in ahead.items() if v != -1), key=lambda kv: kv[1], default=(b"", -1))
            if at == -1:
                self._clean = max(len(buf) - 3, pos)
                return None
            if lead == b"\x00":
                return buf.rfind(b"\n", 0, at) + 1
            # after a newline only: a BOM after a lone CR stays text (a run opening there may start with the
            # newline of what was a CRLF, and the two runs' lines would no longer be counted alike)
            if at and buf[at - 1] == 0x0A and buf.startswith(_BOMS_FROM[lead], at):
                return at
            ahead[lead] = buf.find(lead, at + 1)

    def _past(self, start: int) -> int:
        """Where to look next after a line start that stays in its encoding."""
        if self._encoding.name != "utf-8":
            return start
        newline = self._buf.find(b"\n", start)
        return len(self._buf) if newline == -1 else newline + 1

    def _complete(self) -> int:
        """How much of the buffer can go out before the rest is read: whole lines of UTF-8 (a NUL later in the
        last one moves its start), any whole code units but the last two of UTF-16 (perhaps half a newline)."""
        buf = self._buf
        if self._encoding.name in UTF32:
            return len(buf) & ~3
        if self._encoding.name != "utf-8":
            return max(len(buf) - 3, 0) & ~1
        end = max(buf.rfind(b"\n"), buf.rfind(b"\r")) + 1
        refuse_long_line(len(buf) - end)
        return end

    def _emit(self, end: int, *, closing: bool = False) -> Iterator[Part]:
        if end > 0 or (closing and self._opens):
            yield Part(self._encoding, self._buf[:end], self._opens)
            self._opens = False
        if end > 0:
            self._buf = self._buf[end:]
            self._clean = max(self._clean - end, 0)
