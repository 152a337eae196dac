"""Turn a byte stream into numbered lines, streaming, without losing a byte.

Line endings, a byte-order mark and undecodable bytes are kept (undecodable bytes as surrogate escapes), so
that `redact` can write every line back exactly as it came in.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from loglens.errors import LoglensError

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
    """Iterate a binary stream as `RawLine`s; `encoding` is known once the first bytes are read."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._head = read_at_least(stream, SNIFF)
        if not self._head:
            raise LoglensError("the input is empty")
        self.encoding = sniff_encoding(self._head)
        self.bytes_read = len(self._head)

    def __iter__(self) -> Iterator[RawLine]:
        texts = self._utf8_lines() if self.encoding.name == "utf-8" else self._wide_lines()
        for number, (text, ended) in enumerate(texts, 1):
            if not ended:
                yield RawLine(number, text, "")
            elif text.endswith("\r"):
                yield RawLine(number, text[:-1], "\r\n")
            else:
                yield RawLine(number, text, "\n")

    def _chunks(self) -> Iterator[bytes]:
        head = self._head[len(self.encoding.bom) :]
        if head:
            yield head
        while chunk := self._stream.read(CHUNK):
            self.bytes_read += len(chunk)
            yield chunk

    def _utf8_lines(self) -> Iterator[tuple[str, bool]]:
        pending: list[bytes] = []
        pending_size = 0
        for chunk in self._chunks():
            parts = chunk.split(b"\n")
            if pending:
                pending.append(parts[0])
                parts[0] = b"".join(pending)
                pending, pending_size = [], 0
            last = parts.pop()
            for part in parts:
                yield part.decode("utf-8", "surrogateescape"), True
            if last:
                pending.append(last)
                pending_size += len(last)
                if pending_size > MAX_LINE:
                    raise LoglensError(f"a line is longer than {MAX_LINE >> 20} MiB; this is not a text log")
        if pending:
            yield b"".join(pending).decode("utf-8", "surrogateescape"), False

    def _wide_lines(self) -> Iterator[tuple[str, bool]]:
        decoder = codecs.getincrementaldecoder(self.encoding.name)("surrogatepass")
        pending = ""
        for chunk in self._chunks():
            parts = (pending + decoder.decode(chunk)).split("\n")
            pending = parts.pop()
            for part in parts:
                yield part, True
            if len(pending) > MAX_LINE:
                raise LoglensError(f"a line is longer than {MAX_LINE >> 20} MiB; this is not a text log")
        pending += decoder.decode(b"", final=True)
        if pending:
            yield pending, False


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
