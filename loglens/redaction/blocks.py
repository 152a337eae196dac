"""Read a log as blocks of whole lines: the unit every redaction step works on.

A block is about 1 MiB of complete lines, as UTF-8 bytes whatever the input encoding, so that screening a block
costs a few C-speed scans and every later step works on one representation.
"""

from __future__ import annotations

import codecs
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Literal

from loglens.encodings import Encoding
from loglens.independent import NARROW_OVERLAP, narrow_secrets
from loglens.sources import LineReader, lone_cr_as_newlines, refuse_long_line, wide_decode, wide_tail

BLOCK_SIZE = 1 << 20
# ASCII text written two bytes a character (UTF-16 left inside UTF-8), either byte order
_WIDE_ASCII = re.compile(rb"(?:[\t\x20-\x7e]\x00){16,}+|(?:\x00[\t\x20-\x7e]){16,}+")


Hidden = Literal["narrow", "wide"]  # ASCII bytes inside a UTF-16 run, or UTF-16 bytes inside a UTF-8 run


@dataclass(frozen=True, slots=True)
class Block:
    """Complete lines as UTF-8 bytes (the last line of the input may lack its newline)."""

    data: bytes
    first_line: int
    lone_cr: tuple[int, ...] = ()  # numbers of the lines that ended in a lone CR (read here as a newline)
    # secrets in raw bytes that the decoding hides (ASCII inside a UTF-16 run, UTF-16 inside a UTF-8 run), as
    # (line, kind, which of the two): where one encoding gives way to another could not be told there
    hidden: tuple[tuple[int, str, Hidden], ...] = ()
    runs: tuple[tuple[int, Encoding], ...] = ()  # (first line, encoding and BOM) of each run after the first


class BlockReader:
    """Read a binary stream as `Block`s; `encoding` (with its BOM) is known once the first bytes are read.

    Every run (`runs.py`) is transcoded to UTF-8 with lone surrogates kept (`surrogatepass`) when the log opens
    in UTF-16, and UTF-8 runs of a log that opens in UTF-8 stay as they are, so that every later step works on
    one representation; `errors` names the handler that turns a block's bytes back into the same text.
    """

    def __init__(self, stream: BinaryIO, block_size: int = BLOCK_SIZE) -> None:
        self._source = LineReader(stream, block_size)
        self.encoding: Encoding = self._source.encoding
        self.errors = "surrogateescape" if self.encoding.name == "utf-8" else "surrogatepass"
        self.trailing = b""  # the odd last byte of a UTF-16 input cut short: no line holds it; written back as is
        self._hidden: deque[tuple[int, str, Hidden]] = deque()  # (offset in the UTF-8 stream, ...) not handed out
        self._runs: deque[tuple[int, Encoding]] = deque()  # (offset in the UTF-8 stream, encoding) likewise

    @property
    def bytes_read(self) -> int:
        return self._source.bytes_read

    def _raw(self) -> Iterator[bytes]:
        offset = 0
        for index, (encoding, chunks) in enumerate(self._source.runs()):
            if index:
                self._runs.append((offset, encoding))
            for data in self._transcoded(encoding, chunks, offset):
                offset += len(data)
                yield data

    def _transcoded(self, encoding: Encoding, chunks: Iterable[bytes], offset: int) -> Iterator[bytes]:
        wide = encoding.name != "utf-8"
        if not wide and self.errors == "surrogateescape":
            for chunk in chunks:
                if b"\x00" in chunk:
                    self._hidden.extend((offset, kind, "wide") for kind in wide_secrets(chunk))
                offset += len(chunk)
                yield chunk
            return
        decoder = codecs.getincrementaldecoder(encoding.name)("surrogatepass" if wide else "surrogateescape")
        tail = b""
        for chunk in chunks:
            if wide:
                self._hidden.extend((offset, kind, "narrow") for kind in narrow_secrets(tail + chunk))
            elif b"\x00" in chunk:
                self._hidden.extend((offset, kind, "wide") for kind in wide_secrets(chunk))
            tail = chunk[-NARROW_OVERLAP:]
            text = wide_decode(decoder, chunk, encoding.name) if wide else decoder.decode(chunk)
            data = text.encode("utf-8", "surrogatepass")
            offset += len(data)
            yield data
        if wide:
            text, self.trailing = wide_tail(decoder, encoding.name)
        else:
            text = decoder.decode(b"", final=True)
        yield text.encode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[Block]:
        """Each block is handed out once the next one is read: a last line without its newline joins the block
        before it, so that every reader sees it beside the lines it may continue."""
        pending = b""
        line, offset = 1, 0
        lone_cr: deque[int] = deque()
        held: Block | None = None
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
            hidden, runs = self._take(block, line, offset)
            if held is not None:
                yield held
            held = Block(block, line, _take_below(lone_cr, line + count), hidden, runs)
            line += count
            offset += cut
        if pending or self._hidden or self._runs:
            hidden, runs = self._take(pending, line, offset, final=True)
            last = Block(pending, line, tuple(lone_cr), hidden, runs)
            held = last if held is None else _joined(held, last)
        if held is not None:
            yield held

    def _take(
        self, block: bytes, line: int, offset: int, *, final: bool = False
    ) -> tuple[tuple[tuple[int, str, Hidden], ...], tuple[tuple[int, Encoding], ...]]:
        """The hidden secrets and run starts that fall in this block, with their offsets made line numbers."""
        end = offset + len(block)

        def number(at: int) -> int:
            return line + block.count(b"\n", 0, max(at - offset, 0))

        hidden: list[tuple[int, str, Hidden]] = []
        while self._hidden and (final or self._hidden[0][0] < end):
            at, kind, how = self._hidden.popleft()
            hidden.append((number(at), kind, how))
        runs: list[tuple[int, Encoding]] = []
        while self._runs and (final or self._runs[0][0] < end):
            at, encoding = self._runs.popleft()
            runs.append((number(at), encoding))
        return tuple(sorted(set(hidden))), tuple(runs)


class RunWriter:
    """Turns rewritten blocks (UTF-8, as `BlockReader` gives them) back into each run's own encoding, the BOM that
    opened a run (after the first) written before its first line. As `text`, it leaves every run in UTF-8 (what
    a terminal is shown: each run decoded) and writes no BOM."""

    def __init__(self, reader: BlockReader, *, text: bool = False) -> None:
        self._errors = reader.errors
        self._current = reader.encoding
        self._starts: deque[tuple[int, Encoding]] = deque()
        self._text = text

    def add(self, block: Block) -> None:
        self._starts.extend(block.runs)

    def encode(self, out: bytes, first: int, fix: Callable[[bytes, int], bytes] | None = None) -> bytes:
        """Lines `first`.. of the output; `fix` (if any) is applied to each piece of one run before encoding."""
        pieces: list[bytes] = []
        pos, line = 0, first
        while self._starts and pos < len(out):
            at, encoding = self._starts[0]
            stop = line_start(out, pos, at - line)
            if stop >= len(out) and out.endswith(b"\n"):
                break  # the run opens in a later call
            pieces.append(self._piece(out[pos:stop], line, fix))
            line, pos = at, stop
            self._starts.popleft()
            self._current = encoding
            pieces.append(b"" if self._text else encoding.bom)
        pieces.append(self._piece(out[pos:], line, fix))
        return b"".join(pieces)

    def finish(self) -> bytes:
        """The BOMs of runs that hold no line (a BOM at the very end of the input)."""
        boms = b"" if self._text else b"".join(encoding.bom for _, encoding in self._starts)
        self._starts.clear()
        return boms

    def _piece(self, data: bytes, line: int, fix: Callable[[bytes, int], bytes] | None) -> bytes:
        if not data:
            return data
        if fix is not None:
            data = fix(data, line)
        name = self._current.name
        if self._text or (name == "utf-8" and self._errors == "surrogateescape"):
            return data
        text = data.decode("utf-8", "surrogatepass")
        return text.encode(name, "surrogateescape" if name == "utf-8" else "surrogatepass")


def line_start(data: bytes, pos: int, lines: int) -> int:
    """Where the line `lines` lines after the one starting at `pos` starts (the end of `data` if it has fewer)."""
    for _ in range(lines):
        found = data.find(b"\n", pos)
        if found == -1:
            return len(data)
        pos = found + 1
    return pos


def last_lines(data: bytes, count: int) -> int:
    """Where the last `count` lines of `data` begin (0 when it has no more); `line_start` counts from the front."""
    pos = len(data)
    for _ in range(count):
        pos = data.rfind(b"\n", 0, pos)
        if pos == -1:
            return 0
    return pos + 1


def lines_after(data: bytes, end: int, errors: str, most: int) -> Iterator[tuple[str, int, int]]:
    """The lines of `data` after the one that ends at `end` (-1: from its start), `most` at the most, decoded one
    at a time: (text without its ending, start, end)."""
    pos = end + 1
    for _ in range(most):
        if pos >= len(data):
            return
        stop = data.find(b"\n", pos)
        stop = len(data) if stop == -1 else stop
        yield split_ending(data[pos:stop])[0].decode("utf-8", errors), pos, stop
        pos = stop + 1


def hidden_hint(detail: str | None) -> str:
    """What a finding of the raw-byte checks (detail `narrow` or `wide`) means, for its one-line message."""
    if detail == "narrow":
        return " in UTF-8 bytes inside a UTF-16 line (where one encoding gives way to the other cannot be told)"
    if detail == "wide":
        return " in UTF-16 bytes inside a UTF-8 line (where one encoding gives way to the other cannot be told)"
    return ""


def wide_secrets(raw: bytes) -> list[str]:
    """Kinds of the secrets in UTF-16 text left inside a UTF-8 run (two bytes a character: the UTF-8 reading
    shows a NUL between any two letters, so no detector sees them)."""
    runs = b"\n".join(m[0].replace(b"\x00", b"") for m in _WIDE_ASCII.finditer(raw))
    return narrow_secrets(runs) if runs else []


def _joined(block: Block, last: Block) -> Block:
    """A block with the input's last line (no newline ends it) after it."""
    return Block(
        block.data + last.data,
        block.first_line,
        block.lone_cr + last.lone_cr,
        block.hidden + last.hidden,
        block.runs + last.runs,
    )


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
