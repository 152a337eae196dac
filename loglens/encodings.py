"""Which encoding a log's bytes are in: at its start (BOM or byte pattern), and where one line changes it.

A log can change encoding mid-stream: PowerShell 5's `>` writes UTF-16 and a later `>>` from another tool, or
`Add-Content -Encoding utf8`, appends UTF-8; `cat a b` joins two files, each with its own BOM. The verdicts here
look at one line (and a little after it) and say whether it goes on in the encoding so far or switches;
`runs.py` applies them to a stream.
"""

from __future__ import annotations

import codecs
import re
from typing import Final, NamedTuple

from loglens.errors import LoglensError

MAX_LINE = 64 << 20  # a "line" longer than this is not a log line; refuse rather than exhaust memory
LOOK = 1 << 16  # bytes looked at after a line start to decide its encoding: a log line is far shorter
WIDE = ("utf-16-le", "utf-16-be")
# UTF-32 (PowerShell `Out-File -Encoding utf32`, .NET `Encoding.UTF32`) is told by its BOM only, and a file in it is
# read as one run: nothing appends UTF-8 or UTF-16 lines to it the way `>>` does to a UTF-16 file
# a run of NUL bytes is padding (Unity writes it over the unwritten end of a log when it crashes), not a sign of
# binary data: the text around it is judged; a binary format has lone NULs too, and those still tell it
_PADDING = re.compile(rb"\x00{4,}")
UTF32_BOMS: tuple[tuple[bytes, str], ...] = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"))
UTF32 = tuple(name for _, name in UTF32_BOMS)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# what a support ticket's attachment may be packed in, told by its first bytes: named in the refusal, so the
# reader knows what to do with the file
ARCHIVES: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"BZh", "bzip2"),
)


class Encoding(NamedTuple):
    """How (part of) the input was encoded, so output can be written back the same way; `bom` opens it."""

    name: str
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        return text.encode(self.name, "surrogateescape" if self.name == "utf-8" else "surrogatepass")


class Pending:
    """A verdict that needs more bytes than have been read (the caller waits for them or for the end)."""


PENDING: Final = Pending()
Verdict = Encoding | Pending | None  # switch to this encoding, wait, or go on as before


def refuse_long_line(size: int) -> None:
    """A line still open after `size` units is refused past `MAX_LINE`: no log line is that long, and holding it
    would exhaust memory."""
    if size > MAX_LINE:
        raise LoglensError(f"a line is longer than {MAX_LINE >> 20} MiB; this is not a text log")


def sniff_encoding(head: bytes) -> Encoding:
    """Pick the encoding from a byte-order mark or the byte pattern; refuse data that is not text."""
    for bom, name in UTF32_BOMS:  # before UTF-16: the UTF-32 LE BOM begins with the UTF-16 LE one
        if head.startswith(bom) and _decodes_as(head[len(bom) :], name):
            return Encoding(name, bom)
    for bom, name in BOMS:
        if head.startswith(bom):
            if name != "utf-8" and not wide_after_bom(head[len(bom) :], name):
                break  # the two bytes of a UTF-16 BOM before narrow text: junk at the start, not a UTF-16 file
            return Encoding(name, bom)
    if not head:
        return Encoding("utf-8")
    if 0 in head and _narrow_first(head):
        return Encoding("utf-8")  # UTF-8 lines, then UTF-16 appended: `runs.py` switches where it begins
    odd_zeros = head[1::2].count(0)
    even_zeros = head[0::2].count(0)
    half = len(head) / 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half and _looks_like_text(head, "utf-16-le"):
        return Encoding("utf-16-le")
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half and _looks_like_text(head, "utf-16-be"):
        return Encoding("utf-16-be")
    text = _PADDING.sub(b"", head)
    if 0 in text or _control_ratio(text) > 0.1:
        archive = next((name for magic, name in ARCHIVES if head.startswith(magic)), None)
        if archive is not None:
            message = f"the input is packed with {archive}, not a text log: unpack it and give loglens the log inside"
            raise LoglensError(message)
        raise LoglensError("the input looks like binary data, not a text log")
    return Encoding("utf-8")


def _decodes_as(body: bytes, name: str) -> bool:
    """Whole UTF-32 units that decode, with few control characters (a UTF-16 text whose first character is NUL
    would not)."""
    units = body[: len(body) // 4 * 4]
    try:
        text = units.decode(name)
    except UnicodeDecodeError:
        return False
    return sum(1 for ch in text if ch < " " and ch not in "\t\r\n\x1b") <= 0.1 * len(text)


def _narrow_first(head: bytes) -> bool:
    """The head starts with UTF-8 lines and its first line holding a NUL reads as UTF-16."""
    zero = head.find(b"\x00")
    start = max(head.rfind(b"\n", 0, zero), head.rfind(b"\r", 0, zero)) + 1
    if not start or _control_ratio(head[:start]) > 0.1 or not _decodes(head[:start]):
        return False
    verdict = from_narrow(head, start, final=True)
    return isinstance(verdict, Encoding) and verdict.name in WIDE


def wide_after_bom(body: bytes, encoding: str) -> bool:
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


def from_wide(buf: bytes, start: int, name: str, *, final: bool) -> Verdict:
    """At the start of a line of UTF-16 text: a BOM opens a new part; a line with no NUL byte that decodes as
    UTF-8 switches to UTF-8, unless the first NUL after it closes a UTF-16 newline (a line with no ASCII in it)."""
    for bom, other in BOMS:
        if buf.startswith(bom, start):
            return Encoding(other, bom)
    if not final and len(buf) - start < 3:
        return PENDING  # perhaps a BOM cut by the end of what was read
    newline = buf.find(b"\n", start, start + LOOK)
    zero = buf.find(b"\x00", start, start + LOOK)
    if not final and len(buf) < start + LOOK and (newline == -1 or zero == -1 or zero + 1 == len(buf)):
        return PENDING
    line = buf[start : newline + 1 if newline != -1 else start + LOOK]
    if b"\x00" in line or not line:
        return None
    if zero != -1 and _closes_newline(buf, start, zero, name):
        return None
    if _control_ratio(line) > 0.1 or not (_decodes(line) or _ascii_share(line) >= 0.9):
        return None
    return Encoding("utf-8")


def _closes_newline(buf: bytes, start: int, zero: int, name: str) -> bool:
    """The NUL at `zero` is half of a newline in UTF-16 counted from `start`."""
    if name == "utf-16-le":
        return zero > start and buf[zero - 1] == 0x0A and (zero - 1 - start) % 2 == 0
    return buf[zero + 1 : zero + 2] == b"\n" and (zero - start) % 2 == 0


def from_narrow(buf: bytes, start: int, *, final: bool) -> Verdict:
    """At the start of a UTF-8 line that holds a NUL or begins with a BOM: UTF-16 when a BOM says so and the text
    after it is wide, or when its NULs fall on one side of the byte pairs and it reads as text that way."""
    if not final and len(buf) - start < 3:
        return PENDING
    if buf.startswith(codecs.BOM_UTF8, start):  # a new part, so the BOM is not read as text
        return Encoding("utf-8", codecs.BOM_UTF8) if len(buf) > start + 3 else None
    newline = buf.find(b"\n", start, start + LOOK)
    if not final and len(buf) < start + LOOK and (newline == -1 or newline + 1 == len(buf)):
        return PENDING
    end = newline + 2 if newline != -1 else start + LOOK
    for bom, name in BOMS[1:]:
        if buf.startswith(bom, start):
            body = buf[start + 2 : end]
            text = body.translate(None, b"\xff\xfe")  # BOM bytes alone, or repeated, are junk to keep as text
            return Encoding(name, bom) if text and wide_after_bom(body, name) else None
    line = buf[start:end]
    low, high = line[0::2].count(0), line[1::2].count(0)
    name = "utf-16-le" if high > low else "utf-16-be"
    high, low = max(high, low), min(high, low)
    if high < 0.3 * (len(line) // 2) or low * 4 > high or not _looks_like_text(line, name):
        return None
    return Encoding(name)


def _decodes(data: bytes) -> bool:
    """Valid UTF-8, but for one character cut at the end."""
    return data.decode("utf-8", "replace").count("\ufffd") <= (1 if data[-1:] >= b"\x80" else 0)


def _ascii_share(data: bytes) -> float:
    return sum(32 <= b < 127 or b in (9, 10, 13) for b in data) / len(data)


def _looks_like_text(head: bytes, encoding: str) -> bool:
    """A UTF-16 guess must decode to text with few control characters."""
    text = head[: len(head) // 2 * 2].decode(encoding, "replace")
    bad = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\x1b")
    return bad < 0.1 * len(text)


def _control_ratio(head: bytes) -> float:
    """Share of bytes that are C0 control characters other than tab, newline, carriage return and escape."""
    bad = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 27))
    return bad / len(head) if head else 0.0
