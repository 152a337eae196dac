"""Turn a byte stream into numbered lines, streaming, without losing a byte.

Line endings, a byte-order mark and undecodable bytes are kept (undecodable bytes as surrogate escapes), so
that `redact` can write every line back exactly as it came in.
"""

from __future__ import annotations

import codecs
import re
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, groupby
from typing import AnyStr, BinaryIO, NamedTuple

from loglens.encodings import MAX_LINE, Encoding, refuse_long_line, sniff_encoding
from loglens.errors import EmptyInput, LoglensError
from loglens.runs import Part, Runs

__all__ = ["CHUNK", "MAX_LINE", "Encoding", "LineReader", "RawLine", "refuse_long_line", "sniff_encoding"]

CHUNK = 1 << 20
SNIFF = 8192


class RawLine(NamedTuple):
    """One line as read: 1-based number, text without its ending, and the ending itself.

    `joined` counts the lines a hard-wrapped paste was rejoined from after this one (see `wrap.py`). Immutable; a
    tuple, since every line of a log is one and a tuple is several times quicker to build than a frozen dataclass.
    """

    number: int
    text: str
    ending: str
    joined: int = 0


class LineReader:
    """Iterate a binary stream as `RawLine`s; `encoding` is known once the first bytes are read.

    Also the one reader of a log's bytes: redaction's block reader takes `chunks()` from it, so both agree on the
    BOM, the encoding, what an empty input is and how long a line may be.
    """

    def __init__(self, stream: BinaryIO, chunk_size: int = CHUNK) -> None:
        self._stream = stream
        self._size = chunk_size
        self._head = read_at_least(stream, SNIFF)
        if not self._head:
            raise EmptyInput()
        self.encoding = sniff_encoding(self._head)
        self.bytes_read = len(self._head)

    def __iter__(self) -> Iterator[RawLine]:
        number = 0
        for encoding, chunks in self.runs():
            texts = utf8_lines(chunks) if encoding.name == "utf-8" else wide_lines(chunks, encoding.name)
            for text, ending in texts:
                number += 1
                yield RawLine(number, text, ending)

    def chunks(self) -> Iterator[bytes]:
        """The input's bytes after the BOM, as read (undecoded); `bytes_read` counts them, BOM included."""
        head = self._head[len(self.encoding.bom) :]
        if head:
            yield head
        while chunk := self._stream.read(self._size):
            self.bytes_read += len(chunk)
            yield chunk

    def runs(self) -> Iterator[tuple[Encoding, Iterator[bytes]]]:
        """The bytes after the BOM as runs of one encoding each (`runs.py`): its encoding (with the BOM that
        opened it; the first one's is `encoding.bom`, already read), then its bytes. Take each run's bytes before
        asking for the next run."""
        count = 0

        def run(part: Part) -> int:
            nonlocal count
            count += part.opens
            return count

        for _, parts in groupby(Runs(self.chunks(), self.encoding), run):
            first = next(parts)
            yield first.encoding, chain((first.data,), (part.data for part in parts))  # noqa: B031 (one pass)


def utf8_lines(chunks: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """UTF-8 bytes as (text, ending) pairs, undecodable bytes as surrogate escapes."""
    pending: list[bytes] = []
    pending_size = 0
    for chunk in chunks:
        parts = chunk.split(b"\n")
        if pending:
            pending.append(parts[0])
            parts[0] = b"".join(pending)
            pending, pending_size = [], 0
        last = parts.pop()
        if parts:  # decoded at once: a newline byte is never inside a character, so this is the same text
            for text in b"\n".join(parts).decode("utf-8", "surrogateescape").split("\n"):
                if "\r" in text:
                    yield from split_cr(text, "\r", "\n")
                else:
                    yield text, "\n"
        if b"\r" in last[:-1]:  # lone-CR lines (old macOS) never meet a newline: hand them out as they come
            whole = b"".join([*pending, last])
            cut = whole.rfind(b"\r", 0, len(whole) - 1)
            for piece in whole[:cut].split(b"\r"):
                yield piece.decode("utf-8", "surrogateescape"), "\r"
            pending, pending_size, last = [], 0, whole[cut + 1 :]
        if last:
            pending.append(last)
            pending_size += len(last)
            refuse_long_line(pending_size)
    if pending:
        for piece, ending in split_cr(b"".join(pending), b"\r", ""):
            yield piece.decode("utf-8", "surrogateescape"), ending


def wide_lines(chunks: Iterable[bytes], name: str) -> Iterator[tuple[str, str]]:
    """UTF-16 or UTF-32 bytes as (text, ending) pairs, lone surrogates kept."""
    decoder = codecs.getincrementaldecoder(name)("surrogatepass")
    pending = ""
    for chunk in chunks:
        parts = (pending + wide_decode(decoder, chunk, name)).split("\n")
        pending = parts.pop()
        for part in parts:
            yield from split_cr(part, "\r", "\n")
        cut = pending.rfind("\r", 0, len(pending) - 1)
        if cut != -1:
            for piece in pending[:cut].split("\r"):
                yield piece, "\r"
            pending = pending[cut + 1 :]
        refuse_long_line(len(pending))
    text, odd = wide_tail(decoder, name)
    pending += text + "".join(chr(0xDC00 + b) for b in odd)  # shown as the text view shows undecodable bytes
    if pending:
        yield from split_cr(pending, "\r", "")


def split_cr(part: AnyStr, cr: AnyStr, newline: str) -> list[tuple[AnyStr, str]]:
    """One newline-terminated stretch (`newline` is what ended it, "" at the end of the input) as lines with their
    endings: a CR right before the newline belongs to a CRLF ending; any other CR ends a line of its own (lone-CR
    line endings, as old macOS and some exporters write them)."""
    if cr not in part:
        return [(part, newline)]
    pieces = part.split(cr)
    last = pieces.pop()
    lines = [(piece, "\r") for piece in pieces]
    if last or newline:
        if not last and newline:  # the CR was the first half of CRLF
            lines[-1] = (lines[-1][0], "\r" + newline)
        else:
            lines.append((last, newline))
    return lines


_LONE_CR = re.compile(rb"\r(?!\n)")


def lone_cr_as_newlines(chunks: Iterable[bytes], found: deque[int]) -> Iterator[bytes]:
    """The chunks with every lone CR turned into a newline, for readers that cut lines at newlines only; the number
    of each line that ended in a lone CR goes to `found`, so that a writer can put the CR back."""
    line = 1
    held = b""
    for chunk in chunks:
        data = held + chunk if held else chunk
        held = b""
        if data.endswith(b"\r"):  # perhaps the first half of a CRLF that the next chunk completes
            data, held = data[:-1], b"\r"
        if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
            pieces = _LONE_CR.split(data)
            for piece in pieces[:-1]:
                line += piece.count(b"\n")
                found.append(line)
                line += 1
            data = b"\n".join(pieces)
            line += pieces[-1].count(b"\n")
        else:
            line += data.count(b"\n")
        yield data
    if held:
        found.append(line)
        yield b"\n"


def wide_decode(decoder: codecs.IncrementalDecoder, chunk: bytes, name: str) -> str:
    """A chunk of UTF-16 or UTF-32 decoded; a UTF-32 unit beyond Unicode (bytes of another encoding after a UTF-32
    BOM) is refused in one line, as binary data is."""
    try:
        return decoder.decode(chunk)
    except UnicodeDecodeError as exc:
        raise LoglensError(f"the input is not valid {name.upper()} after its byte-order mark") from exc


def wide_tail(decoder: codecs.IncrementalDecoder, name: str) -> tuple[str, bytes]:
    """What a UTF-16 or UTF-32 decoder still holds at the end of the input: its text, and the last bytes of a file
    cut short mid-character (a truncated PowerShell log), which no text can hold and are handed back as they are."""
    buffered: bytes = decoder.getstate()[0]
    unit = 4 if "32" in name else 2
    odd = buffered[len(buffered) // unit * unit :]
    decoder.reset()
    return decoder.decode(buffered[: len(buffered) - len(odd)], final=True), odd


def read_at_least(stream: BinaryIO, size: int) -> bytes:
    """Read up to `size` bytes, looping because pipes return short reads."""
    parts: list[bytes] = []
    got = 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)
