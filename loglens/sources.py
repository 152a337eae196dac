"""Turn a byte stream into numbered lines, streaming, without losing a byte.

Line endings, a byte-order mark and undecodable bytes are kept (undecodable bytes as surrogate escapes), so
that `redact` can write every line back exactly as it came in.
"""

from __future__ import annotations

import codecs
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import AnyStr, BinaryIO

from loglens.errors import EmptyInput, LoglensError

CHUNK = 1 << 20
MAX_LINE = 64 << 20  # a "line" longer than this is not a log line; refuse rather than exhaust memory
SNIFF = 8192

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class RawLine:
    """One line as read: 1-based number, text without its ending, and the ending itself.

    `joined` counts the lines a hard-wrapped paste was rejoined from after this one (see `wrap.py`).
    """

    number: int
    text: str
    ending: str
    joined: int = 0


@dataclass(frozen=True, slots=True)
class Encoding:
    """How the input was encoded, so output can be written back the same way."""

    name: str
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        return text.encode(self.name, "surrogateescape" if self.name == "utf-8" else "surrogatepass")


def sniff_encoding(head: bytes) -> Encoding:
    """Pick the encoding from a byte-order mark or the byte pattern; refuse data that is not text."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            if name != "utf-8" and not _wide(head[len(bom) :], name):
                break  # the two bytes of a UTF-16 BOM before narrow text: junk at the start, not a UTF-16 file
            return Encoding(name, bom)
    if not head:
        return Encoding("utf-8")
    odd_zeros = head[1::2].count(0)
    even_zeros = head[0::2].count(0)
    half = len(head) / 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half and _looks_like_text(head, "utf-16-le"):
        return Encoding("utf-16-le")
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half and _looks_like_text(head, "utf-16-be"):
        return Encoding("utf-16-be")
    if 0 in head or _control_ratio(head) > 0.1:
        raise LoglensError("the input looks like binary data, not a text log")
    return Encoding("utf-8")


def _wide(body: bytes, encoding: str) -> bool:
    """Text after a UTF-16 BOM really is UTF-16: its newlines are two bytes wide, its ASCII half-bytes are zero, or
    it is not UTF-8 either (text in a script beyond Latin).

    Read as UTF-16, ASCII text (a token among it) turns into CJK-looking characters that no detector would see.
    """
    if not body:
        return True
    newline = b"\n\x00" if encoding == "utf-16-le" else b"\x00\n"
    pos = body.find(newline)
    while pos != -1 and pos % 2:
        pos = body.find(newline, pos + 1)
    zeros = body[1::2] if encoding == "utf-16-le" else body[0::2]
    if pos != -1 or zeros.count(0) > 0.1 * len(zeros):
        return True
    narrow = body.translate(None, b"\xff\xfe")
    if narrow and sum(32 <= b < 127 or b in (9, 10, 13) for b in narrow) > 0.7 * len(narrow):
        return False  # ASCII text among stray BOM bytes: read as UTF-16 it would hide whatever secret it holds
    return body.decode("utf-8", "replace").count("\ufffd") > 0.05 * len(body)


def _looks_like_text(head: bytes, encoding: str) -> bool:
    """A BOM-less UTF-16 guess must decode to text with few control characters."""
    text = head[: len(head) // 2 * 2].decode(encoding, "replace")
    bad = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\x1b")
    return bad < 0.1 * len(text)


def _control_ratio(head: bytes) -> float:
    """Share of bytes that are C0 control characters other than tab, newline, carriage return and escape."""
    bad = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 27))
    return bad / len(head)


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
        texts = self._utf8_lines() if self.encoding.name == "utf-8" else self._wide_lines()
        for number, (text, ending) in enumerate(texts, 1):
            yield RawLine(number, text, ending)

    def chunks(self) -> Iterator[bytes]:
        """The input's bytes after the BOM, as read (undecoded); `bytes_read` counts them, BOM included."""
        head = self._head[len(self.encoding.bom) :]
        if head:
            yield head
        while chunk := self._stream.read(self._size):
            self.bytes_read += len(chunk)
            yield chunk

    def _utf8_lines(self) -> Iterator[tuple[str, str]]:
        pending: list[bytes] = []
        pending_size = 0
        for chunk in self.chunks():
            parts = chunk.split(b"\n")
            if pending:
                pending.append(parts[0])
                parts[0] = b"".join(pending)
                pending, pending_size = [], 0
            last = parts.pop()
            for part in parts:
                for piece, ending in split_cr(part, b"\r", "\n"):
                    yield piece.decode("utf-8", "surrogateescape"), ending
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

    def _wide_lines(self) -> Iterator[tuple[str, str]]:
        decoder = codecs.getincrementaldecoder(self.encoding.name)("surrogatepass")
        pending = ""
        for chunk in self.chunks():
            parts = (pending + decoder.decode(chunk)).split("\n")
            pending = parts.pop()
            for part in parts:
                yield from split_cr(part, "\r", "\n")
            cut = pending.rfind("\r", 0, len(pending) - 1)
            if cut != -1:
                for piece in pending[:cut].split("\r"):
                    yield piece, "\r"
                pending = pending[cut + 1 :]
            refuse_long_line(len(pending))
        text, odd = wide_tail(decoder)
        pending += text + "".join(chr(0xDC00 + b) for b in odd)  # shown as the text view shows undecodable bytes
        if pending:
            yield from split_cr(pending, "\r", "")


def refuse_long_line(size: int) -> None:
    """A line still open after `size` units is refused past `MAX_LINE`: no log line is that long, and holding it
    would exhaust memory."""
    if size > MAX_LINE:
        raise LoglensError(f"a line is longer than {MAX_LINE >> 20} MiB; this is not a text log")


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


def wide_tail(decoder: codecs.IncrementalDecoder) -> tuple[str, bytes]:
    """What a UTF-16 decoder still holds at the end of the input: its text, and the odd last byte of a file cut
    short mid-character (a truncated PowerShell log), which no UTF-16 text can hold and is handed back as it is."""
    buffered: bytes = decoder.getstate()[0]
    odd = buffered[len(buffered) & ~1 :]
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
