"""Read a log as blocks of whole lines: the unit every redaction step works on.

A block is about 1 MiB of complete lines, as UTF-8 bytes whatever the input encoding, so that screening a block
costs a few C-speed scans and every later step works on one representation.
"""

from __future__ import annotations

import codecs
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from loglens.independent import NARROW_OVERLAP, narrow_secrets
from loglens.sources import Encoding, LineReader, lone_cr_as_newlines, refuse_long_line, wide_tail

BLOCK_SIZE = 1 << 20


@dataclass(frozen=True, slots=True)
class Block:
    """Complete lines as UTF-8 bytes (the last line of the input may lack its newline)."""

    data: bytes
    first_line: int
    lone_cr: tuple[int, ...] = ()  # numbers of the lines that ended in a lone CR (read here as a newline)
    narrow: tuple[str, ...] = ()  # ASCII secrets found in the raw bytes of a UTF-16 input up to this block


class BlockReader:
    """Read a binary stream as `Block`s; `encoding` (with its BOM) is known once the first bytes are read.

    UTF-16 input is transcoded to UTF-8 (lone surrogates kept with `surrogatepass`) so that every later step
    works on one representation; `errors` names the handler that turns a block's bytes back into the same text.
    """

    def __init__(self, stream: BinaryIO, block_size: int = BLOCK_SIZE) -> None:
        self._source = LineReader(stream, block_size)
        self.encoding: Encoding = self._source.encoding
        self.errors = "surrogateescape" if self.encoding.name == "utf-8" else "surrogatepass"
        self.trailing = b""  # the odd last byte of a UTF-16 input cut short: no line holds it; written back as is
        self._narrow: list[str] = []  # kinds found by `narrow_secrets` and not yet handed out with a block

    @property
    def bytes_read(self) -> int:
        return self._source.bytes_read

    def _raw(self) -> Iterator[bytes]:
        chunks = self._source.chunks()
        if self.encoding.name == "utf-8":
            yield from chunks
            return
        decoder = codecs.getincrementaldecoder(self.encoding.name)("surrogatepass")
        tail = b""
        for chunk in chunks:
            self._narrow += narrow_secrets(tail + chunk)
            tail = chunk[-NARROW_OVERLAP:]
            yield decoder.decode(chunk).encode("utf-8", "surrogatepass")
        text, self.trailing = wide_tail(decoder)
        yield text.encode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[Block]:
        pending = b""
        line = 1
        lone_cr: deque[int] = deque()
        for chunk in lone_cr_as_newlines(self._raw(), lone_cr):
            data = pending + chunk if pending else chunk
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                pending = data
                refuse_long_line(len(pending))
                continue
            pending = data[cut:]
            block = data[:cut]
            count = block.count(b"\n")
            yield Block(block, line, _take_below(lone_cr, line + count), self._take_narrow())
            line += count
        if pending or self._narrow:
            yield Block(pending, line, tuple(lone_cr), self._take_narrow())

    def _take_narrow(self) -> tuple[str, ...]:
        """The raw-byte findings so far, handed out with the next block (at the latest the one holding them)."""
        kinds, self._narrow = tuple(sorted(set(self._narrow))), []
        return kinds


def _take_below(numbers: deque[int], bound: int) -> tuple[int, ...]:
    taken: list[int] = []
    while numbers and numbers[0] < bound:
        taken.append(numbers.popleft())
    return tuple(taken)


def line_bounds(data: bytes, pos: int) -> tuple[int, int]:
    """Start and end (before the newline) of the line of `data` that holds byte `pos`."""
    start = data.rfind(b"\n", 0, pos) + 1
    end = data.find(b"\n", pos)
    return start, len(data) if end == -1 else end


def split_ending(raw: bytes) -> tuple[bytes, bytes]:
    """A line's bytes without its newline, and the carriage return that belongs to the ending."""
    return (raw[:-1], b"\r") if raw.endswith(b"\r") else (raw, b"")
