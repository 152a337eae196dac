"""Encoded copies of a line (its shadows), for detectors that only read plain text.

A log line may hold another line in an encoding: a crash reporter's `report?log=` URL percent-encodes it (spaces
as `%20` or `+`), an inline attachment is standard base64. The labels and shapes the detectors look for are gone
there, so each shadow is decoded here and searched like any line: the decoded shadow (percent, JSON `\\u`
escapes, HTML entities, format characters and stray bytes that are no UTF-8 dropped, dot-like and fullwidth
lookalikes read as ASCII, decoded again while escapes remain) keeps a map from its offsets back to the line's,
so a value found in it is hidden where it was written; a base64 run is hidden whole when its decoded text holds a
secret. Work grows with a line's length and no faster: a long line, and a long run, is read in
overlapping windows, and the limits below bound the rounds of escapes and the runs decoded per line.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate
from typing import NamedTuple

from loglens.inflate import GZIP_RUN, inflated
from loglens.lazyre import lazy

MAX_SHADOW = 1 << 20  # characters of a line decoded at once; a longer line is read in overlapping windows
OVERLAP = 1 << 13  # characters two windows share: more than a label and its value, encoded
MAX_ROUNDS = 3  # times a shadow is decoded again (`%2520` is `%20`, then a blank)
MAX_RUN = 1 << 16  # characters of one base64 run decoded at once; a longer run is read in overlapping windows
MAX_RUNS = 16  # base64 runs decoded per line
MIN_RUN = 64  # a shorter base64 run holds no line worth decoding
_ESCAPE = lazy(r"%[0-9A-Fa-f]{2}")
# The one set of invisible characters a paste, an editor or a chat puts inside a word without a trace: a soft
# hyphen, a combining grapheme joiner, zero-width, bidi and other format characters, a BOM, variation selectors,
# tag characters, Hangul fillers, the Mongolian vowel separator and the blank braille pattern: every character of
# Unicode's format category (Cf) and the fillers that show as nothing. The decoded shadow drops them; a token's run
# goes on across them (`detectors.shapes.FOREIGN`).
INVISIBLE = (
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
# Markup a terminal, Unity, a web page or Markdown adds around part of a line, which may fall inside a token: an ANSI
# escape (CSI: a colour code in any form, 256 colours and `:` separators too, or a cursor or erase code); a tag by its
# shape, not by a list of names (TextMeshPro's `<b>`, `<color=red>`, `<#ff0000>`, `<sprite name="x">`, `<noparse>`,
# `<indent=5%>`, HTML's `<span class="x">`, their closing tags), its name and value bounded; an HTML comment; and
# Markdown's `**` and double backticks; a forum's BBCode or a console's bracket tag (`[b]`, `[/bold]`, `[color=red]`,
# `[bold red]`: no token or key holds a bracket). Read through like an invisible character, and only inside a
# secret's run.
MARKUP = (
    r"\x1b\[[0-?]{0,32}[ -/]{0,4}[@-~]"
    r"|</?(?:[A-Za-z][A-Za-z-]{0,15}|#[0-9A-Fa-f]{3,8})(?:[= ][^<>\r\n]{0,40})?/?>|<!--[^<>]{0,40}-->|\*\*|``"
    r"|\[/?[A-Za-z]{1,12}(?:[= ][^\[\]\r\n]{1,24})?\]"
)
# Cyrillic letters that look like Latin ones, and the Latin letters they pass for: a label spelled with one
# (`X-API-\u041aey`) reads as the label; so does a token (`detectors.jwt.clean_token`)
SCRIPT_LOOKALIKES = ("аеорсухАВЕКМНОРСТХ", "aeopcyxABEKMHOPCTX")
# one escape of any encoding a paste gives a line: percent, JSON (`\\uXXXX` and `\\/`), an HTML entity, or a format
# character (a soft hyphen, zero-width and bidi marks, a BOM) or a stray byte that is no UTF-8 (read as a surrogate
# escape, or shown as U+FFFD) that is dropped; not the bytes that stand for a blank (Windows-1252 0xA0, 0x85). The
# backslashes that escape a JSON escape's own backslash (JSON in JSON: `\\\\u002e`, `\\\\/`) are dropped with it.
_ANY = re.compile(
    r"(?:%[0-9A-Fa-f]{2})+|\\(?=\\{1,8}(?:u[0-9A-Fa-f]{4}|/))|\\u[0-9A-Fa-f]{4}(?:\\u[dD][c-fC-F][0-9A-Fa-f]{2})?|\\/"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});"
    "|" + INVISIBLE + "|[\udc80-\udc84\udc86-\udc9f\udca1-\udcff\ufffd]"
    "|[\u00a5\u00b7\u20a9\u2024\u2027\u3002\ufe6b\uff01-\uff5e]"
    f"|[{SCRIPT_LOOKALIKES[0]}](?:(?<=[A-Za-z].)|(?=[{SCRIPT_LOOKALIKES[0]}]{{0,3}}[A-Za-z]))"
)
# lookalikes read as what they stand for: dot-like characters an input method, a ticket renderer or a word processor
# puts for `.` (a middle dot, an ideographic full stop, a one dot leader, a hyphenation point), the small `@` of
# CJK compatibility forms, the yen and won signs a Japanese or Korean Windows shows for a backslash (`C:¥Users¥`),
# fullwidth forms (U+FF01..FF5E, a fullwidth dot among them) as the ASCII they widen, and a Cyrillic lookalike
# glued to a Latin letter (`_ANY` reads one only there: a Russian word stays what it is)
LOOKALIKE = {
    **{0x00B7: ".", 0x2024: ".", 0x2027: ".", 0x3002: ".", 0xFE6B: "@", 0x00A5: "\\", 0x20A9: "\\"},
    **{c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)},
    **{ord(c): latin for c, latin in zip(*SCRIPT_LOOKALIKES, strict=True)},
}
_ANY_PLUS = lazy(rf"{_ANY.pattern}|\+")  # where a percent escape is, a `+` is a blank too (`urlencode`)
_HINTS = ("%", "\\u", "\\/", "&")  # a line with none of these, all ASCII, has nothing `_ANY` decodes
_BASE64 = lazy(rf"[A-Za-z0-9+/]{{{MIN_RUN},}}={{0,2}}")  # the leftmost match starts where a run does
BASE64_SHAPE = rf"[a-z0-9+/]{{{MIN_RUN}}}"  # the screen's form of a run: over lowercase bytes
# `_BASE64` as a `flat_runs` table (its run characters become `a`, every other byte a blank) and its shortest run
FLAT_BASE64 = bytes(0x61 if byte < 0x80 and (chr(byte).isalnum() or byte in b"+/") else 0x20 for byte in range(256))
SEED_BASE64 = b"a" * MIN_RUN


class Shadow(NamedTuple):
    """Decoded text, and where each of its segments came from: a plain segment maps one to one, a decoded
    character maps to its whole escape (`%C3%A9` for `é`, `+` for a blank)."""

    text: str
    at: tuple[int, ...]  # shadow offset where each segment begins
    origin: tuple[int, ...]  # line offset where it begins
    width: tuple[int, ...]  # line length of a decoded character; 0 for a plain segment

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The line's span of the shadow's `text[start:end]` (`end > start`)."""
        first = bisect_right(self.at, start) - 1
        last = bisect_right(self.at, end - 1) - 1
        begin = self.origin[first] + (start - self.at[first] if not self.width[first] else 0)
        if self.width[last]:
            return begin, self.origin[last] + self.width[last]
        return begin, self.origin[last] + end - self.at[last]


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.at: list[int] = []
        self.origin: list[int] = []
        self.width: list[int] = []
        self.size = 0

    def add(self, text: str, origin: int, width: int = 0) -> None:
        self.parts.append(text)
        self.at.append(self.size)
        self.origin.append(origin)
        self.width.append(width)
        self.size += len(text)

    def shadow(self) -> Shadow:
        return Shadow("".join(self.parts), tuple(self.at), tuple(self.origin), tuple(self.width))


def may_escape(text: str) -> bool:
    """Whether `text` may hold an escape `decoded_shadow` reads: a quick screen, no regex."""
    return not text.isascii() or any(hint in text for hint in _HINTS)


HINT_BYTES = tuple(hint.encode("ascii") for hint in _HINTS)


def bytes_may_escape(data: bytes) -> bool:
    """`may_escape` for raw bytes (a block, a row): a byte past ASCII or one of the hints, each a C-speed search."""
    return not data.isascii() or any(hint in data for hint in HINT_BYTES)


def decoded_shadow(text: str) -> Shadow | None:
    """`text` with every escape `_ANY` knows decoded, again while one remains (up to `MAX_ROUNDS`): the copy a
    detector reads when a paste hid the labels and separators; None when `text` has no escape."""
    if not may_escape(text):
        return None
    shadow = _decoded_once(text)
    for _ in range(MAX_ROUNDS - 1):
        if shadow is None:
            break
        again = _decoded_once(shadow.text)
        if again is None:
            break
        shadow = _composed(shadow, again)
    return shadow


# a pair of angle brackets around one word: a placeholder, a tag, or an id someone put in brackets
_BRACKETED = lazy(r"<([^<>\s]{1,64})>")
# an opening tag in lowercase, with its value (`b`, `size=20`, `color=#ff0000`)
_TAG = lazy(r"[a-z]+(?:=[^<>\s/]*)?")
# what follows a placeholder or a tag only where a value was glued to it: 8 or more letters and digits, both (a hard
# wrap's next piece, joined to a placeholder as the re-scan reads a cut line, is a word or a name)
_GLUED = lazy(r"(?=[A-Za-z0-9]*?[0-9])(?=[A-Za-z0-9]*?[A-Za-z])[A-Za-z0-9]{8}")
# what an id in brackets holds: letters and digits, both, 8 or more, with dashes, dots or underscores between
_BRACKETED_ID = lazy(r"(?=[\w.-]*?[0-9])(?=[\w.-]*?[A-Za-z])[\w.-]{8,}")
_VALUE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.")


def bracket_shadow(text: str, ours: Callable[[str], bool]) -> Shadow | None:
    """`text` as it reads with its angle brackets out of the way, where they may hide a value from patterns that
    stop at a `<` (as they must, for markup and placeholders): a placeholder of ours (`ours`) or a tag with letters
    and digits glued after it taken out (`<api-key-1>175f...`, `Key: <b>175f...`), and an id in brackets that is
    no placeholder of ours opened (`ID: <end-user-id-a394...>`). A bracket right after a value's character is left
    alone: a tag after a token ends it. This copy is read besides the line, so it only adds spans. None when
    nothing in `text` changes."""
    if "<" not in text:
        return None
    out = _Builder()
    pos = 0
    size = len(text)
    for match in _BRACKETED.finditer(text):
        start, end = match.span()
        if start and text[start - 1] in _VALUE_CHARS:
            continue
        after = text[end] if end < size else ""
        # the cheap tests first: a redacted line holds many placeholders, each followed by a separator
        if after.isalnum():  # glued: a placeholder's or a tag's value, never an id's (a value character follows)
            if _GLUED.match(text, end) is None or not (ours(match.group()) or _TAG.fullmatch(match.group(1))):
                continue
            out.add(text[pos:start], pos)
        elif after not in _VALUE_CHARS and _BRACKETED_ID.fullmatch(match.group(1)) and not ours(match.group()):
            out.add(text[pos:start], pos)
            out.add(match.group(1), start + 1)
        else:
            continue
        pos = end
    if not out.parts:
        return None
    out.add(text[pos:], pos)
    return out.shadow()


def decoded_text(text: str) -> str:
    """`text` as a detector reads it in its decoded shadow: a value with a soft hyphen or an escape inside is
    judged by what it says (is this key whole?), not by how a paste wrote it."""
    shadow = decoded_shadow(text)
    return text if shadow is None else shadow.text


def _decoded_once(text: str) -> Shadow | None:
    if _ANY.search(text) is None:
        return None
    out = _Builder()
    pos = 0
    for match in (_ANY_PLUS if _ESCAPE.search(text) else _ANY).finditer(text):
        if match.start() > pos:
            out.add(text[pos : match.start()], pos)
        piece = match.group()
        if piece == "+":
            out.add(" ", match.start(), 1)
        elif piece.startswith("%"):
            here = match.start()
            for char in bytes.fromhex(piece.replace("%", "")).decode("utf-8", "surrogateescape"):
                length = 3 * len(char.encode("utf-8", "surrogateescape"))
                out.add(char, here, length)
                here += length
        elif len(piece) > 1:
            out.add(_unescaped(piece), match.start(), len(piece))
        elif ord(piece) in LOOKALIKE:
            out.add(LOOKALIKE[ord(piece)], match.start(), 1)
        # else a format character, dropped: the plain segments around it join
        pos = match.end()
    if pos < len(text):
        out.add(text[pos:], pos)
    return out.shadow()


def _unescaped(piece: str) -> str:
    if piece == "\\/":
        return "/"
    if piece.startswith("\\u"):
        units = [int(piece[i + 2 : i + 6], 16) for i in range(0, len(piece), 6)]
        if len(units) == 2 and 0xD800 <= units[0] < 0xDC00:
            return chr(0x10000 + ((units[0] - 0xD800) << 10) + (units[1] - 0xDC00))
        return "".join(chr(unit) for unit in units)
    import html  # here, not at the top: an entity is rare in a log, and the module costs a paste 1 ms to import

    return html.unescape(piece)


def _composed(outer: Shadow, inner: Shadow) -> Shadow:
    """The shadow of `inner.text` mapped straight back to the line that `outer` decoded."""
    out = _Builder()
    ends = (*outer.at[1:], len(outer.text))
    for index, at in enumerate(inner.at):
        end = inner.at[index + 1] if index + 1 < len(inner.at) else len(inner.text)
        origin = inner.origin[index]
        if inner.width[index]:
            begin, stop = outer.span(origin, origin + inner.width[index])
            out.add(inner.text[at:end], begin, stop - begin)
            continue
        # a plain segment of the outer text: split where the outer segments begin
        stop = origin + end - at
        first = bisect_right(outer.at, origin) - 1
        while origin < stop:
            cut = min(ends[first], stop)
            piece = inner.text[at : at + cut - origin]
            if outer.width[first]:
                out.add(piece, outer.origin[first], outer.width[first])
            else:
                out.add(piece, outer.origin[first] + origin - outer.at[first])
            at, origin, first = at + cut - origin, cut, first + 1
    return out.shadow()


def window_starts(length: int, size: int) -> range:
    """Where windows of `size` over a sequence of `length` start, each sharing `OVERLAP` with the next (a multiple
    of 4, so windows over base64 start on a quantum): a value one window's edge cuts is whole in the next, and the
    work is in proportion to the length. The one definition of reading something long a window at a time."""
    return range(0, max(length - OVERLAP, 1), size - OVERLAP)


def flat_runs(data: bytes, table: bytes, seed: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of every maximal run of at least `len(seed)` bytes that `table` translates to `a` (it turns every
    other byte into a blank; `seed` is that many `a`), in order. `bytes.find` on the translated copy runs at C speed,
    where a regex for the run would be tried again at every position of each shorter run."""
    flat = data.translate(table)
    start = flat.find(seed)
    while start != -1:  # the first seed at or after a run's end starts the next run
        end = flat.find(b" ", start + len(seed))
        end = len(flat) if end == -1 else end
        yield start, end
        start = flat.find(seed, end)


_BASE64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def base64_line(text: str) -> bool:
    """`text` (one line) is a full line of a base64 attachment: a run long enough to hold a line (`MIN_RUN`: PEM
    wraps at 64 characters, MIME at 76), no padding, nothing else. The run goes on on the next line: the paste shows
    the cut, as a wrap's width does."""
    return len(text) >= MIN_RUN and _BASE64_CHARS.issuperset(text)


def windows(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) of `text` in windows of `MAX_SHADOW` characters (`window_starts`)."""
    for start in window_starts(len(text), MAX_SHADOW):
        yield start, text[start : start + MAX_SHADOW]


def base64_runs(text: str, taken: Sequence[tuple[int, int]] = ()) -> Iterator[tuple[int, int, Iterator[str]]]:
    """(start, end, decoded text) of each standard base64 run long enough to hold a line that overlaps no span in
    `taken` (what the detectors already found: a token's own segments are runs too), but for a token's `eyJ` that
    starts inside the run (base64 of `{"` reads `eyJ`). The text comes a window at a time (`decoded_windows`), read
    only as far as the caller goes."""
    count = 0
    spans = sorted(taken)
    starts = [b for b, _ in spans]
    reach = list(accumulate((stop for _, stop in spans), max))  # the furthest any span up to each one goes
    for start, run_end, end in _base64_spans(text):
        # only the spans that begin before the run ends and reach past its start can overlap it: found by
        # bisection, so many runs beside many spans cost no more than the overlaps between them
        first, last = bisect_right(reach, start), bisect_left(starts, end)
        if any(
            start < spans[k][1] and not (spans[k][0] > start and text.startswith("eyJ", spans[k][0]))
            for k in range(first, last)
        ):
            continue
        count += 1
        if count > MAX_RUNS:
            return
        yield start, end, decoded_windows(text[start:run_end])


def _base64_spans(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end of the run, end with its padding) of each match of `_BASE64`: found with `flat_runs` in an ASCII
    text (the regex retries each shorter run at every one of its positions), with the regex in any other."""
    if not text.isascii():
        for match in _BASE64.finditer(text):
            yield match.start(), match.start() + len(match.group().rstrip("=")), match.end()
        return
    data = text.encode("ascii")
    for start, stop in flat_runs(data, FLAT_BASE64, SEED_BASE64):
        end = stop
        while end < len(data) and end - stop < 2 and data[end] == 0x3D:  # `=`
            end += 1
        yield start, stop, end


def decoded_windows(run: str) -> Iterator[str]:
    """The text a base64 run encodes, `MAX_RUN` characters of the run at a time: windows that start on a 4-character
    boundary and overlap by `OVERLAP`, so a line the edge of one cuts is whole in the next, and a run of any length
    costs work in proportion to it. A window that is no text (an image, say) gives nothing; a run of gzip data (a
    crash reporter's compressed attachment) gives the text it inflates to (`inflate.inflated`)."""
    if run.startswith(GZIP_RUN):
        yield from inflated(run, window=MAX_RUN, overlap=OVERLAP)
        return
    for begin in window_starts(len(run), MAX_RUN):
        piece = run[begin : begin + MAX_RUN]
        last = begin + MAX_RUN >= len(run)
        if last:  # a lone last character encodes no byte
            piece = piece[: len(piece) - (len(piece) % 4 == 1)]
        try:
            raw = base64.b64decode(piece + "=" * (-len(piece) % 4), validate=True)
        except (binascii.Error, ValueError):
            continue
        decoded = _text(raw, cut_start=begin > 0, cut_end=not last)
        if decoded is not None:
            yield decoded


_CONTINUATION = bytes(range(0x80, 0xC0))


def _text(raw: bytes, *, cut_start: bool, cut_end: bool) -> str | None:
    """`raw` as UTF-8 text, less the pieces of a character a window's edge cut; None when it is no UTF-8 (a run
    that only looks like base64 decodes to noise, and noise is no evidence of a secret)."""
    if cut_start:
        raw = raw[:3].lstrip(_CONTINUATION) + raw[3:]
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(raw, final=not cut_end)
    except UnicodeDecodeError:
        return None
