"""Find secrets in a log without changing it: the scanning half of redaction, and the `loglens check` gate.

Whole files are read in blocks of complete lines (about 1 MiB, as UTF-8 bytes whatever the input encoding).
A block is screened with a few literal searches and shape regexes over its lowercase bytes; only the lines they
point at are decoded and handed to the detectors, so text without secrets costs a handful of C-speed scans.
Findings carry a line number and a kind, never a value.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import re
import sys
import tomllib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, compress, islice
from typing import BinaryIO, Literal

from pydantic import ValidationError

from loglens.detectors import (
    DETECTORS,
    FOREIGN,
    PLACEHOLDER,
    STRICT_DETECTORS,
    Detector,
    DetectorSet,
    Span,
    b64url_json,
    clean_token,
    is_jwt,
    signature_length,
)
from loglens.errors import LoglensError
from loglens.independent import claim_runs, continued_runs
from loglens.models import Frozen
from loglens.paste import piece_bounds, prefix_length
from loglens.prefixes import has_prefix
from loglens.sources import (
    MAX_LINE,
    SNIFF,
    Encoding,
    lone_cr_as_newlines,
    read_at_least,
    sniff_encoding,
    wide_tail,
)

BLOCK_SIZE = 1 << 20
NATIVE = sys.byteorder
MIN_FRAGMENT = 16  # a piece of a redacted value this long is still that value
MAX_INDEXED = 65_536  # bytes of each written form of a value whose pieces are indexed: bounded work per value

# --- reading whole lines in blocks ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    """Complete lines as UTF-8 bytes (the last line of the input may lack its newline)."""

    data: bytes
    first_line: int
    lone_cr: tuple[int, ...] = ()  # numbers of the lines that ended in a lone CR (read here as a newline)


class BlockReader:
    """Read a binary stream as `Block`s; `encoding` (with its BOM) is known once the first bytes are read.

    UTF-16 input is transcoded to UTF-8 (lone surrogates kept with `surrogatepass`) so that every later step
    works on one representation; `errors` names the handler that turns a block's bytes back into the same text.
    """

    def __init__(self, stream: BinaryIO, block_size: int = BLOCK_SIZE) -> None:
        self._stream = stream
        self._size = block_size
        head = read_at_least(stream, SNIFF)
        if not head:
            raise LoglensError("the input is empty")
        self.encoding: Encoding = sniff_encoding(head)
        self.errors = "surrogateescape" if self.encoding.name == "utf-8" else "surrogatepass"
        self._head = head[len(self.encoding.bom) :]
        self.bytes_read = len(head)
        self.trailing = b""  # the odd last byte of a UTF-16 input cut short: no line holds it; written back as is

    def _raw(self) -> Iterator[bytes]:
        chunks = self._chunks()
        if self.encoding.name == "utf-8":
            yield from chunks
            return
        decoder = codecs.getincrementaldecoder(self.encoding.name)("surrogatepass")
        for chunk in chunks:
            yield decoder.decode(chunk).encode("utf-8", "surrogatepass")
        text, self.trailing = wide_tail(decoder)
        yield text.encode("utf-8", "surrogatepass")

    def _chunks(self) -> Iterator[bytes]:
        if self._head:
            yield self._head
        while chunk := self._stream.read(self._size):
            self.bytes_read += len(chunk)
            yield chunk

    def __iter__(self) -> Iterator[Block]:
        pending = b""
        line = 1
        lone_cr: deque[int] = deque()
        for chunk in lone_cr_as_newlines(self._raw(), lone_cr):
            data = pending + chunk if pending else chunk
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                pending = data
                if len(pending) > MAX_LINE:
                    raise LoglensError(f"a line is longer than {MAX_LINE >> 20} MiB; this is not a text log")
                continue
            pending = data[cut:]
            block = data[:cut]
            count = block.count(b"\n")
            yield Block(block, line, _take_below(lone_cr, line + count))
            line += count
        if pending:
            yield Block(pending, line, tuple(lone_cr))


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


# --- screening blocks -------------------------------------------------------------------------------------------


class BlockScreen:
    """Which lines of a block can hold a secret: literal gates and shapes over the lowercase bytes.

    Logs repeat themselves (stack frames, progress lines), so a block's distinct lines are screened once each.
    Lines that may continue a token cut after `e` or `ey`, and (given a `FragmentIndex`) lines that may hold a
    piece of a value already redacted, are picked too. Detectors without gates (a user's own regexes) run over the
    decoded distinct lines: the price of an ungated pattern.
    """

    def __init__(self, detectors: DetectorSet, errors: str) -> None:
        self.literals = tuple(gate.encode("utf-8") for gate in detectors.literal_gates)
        self.shapes = tuple(re.compile(shape.encode("ascii")) for shape in detectors.shapes)
        self.ungated = tuple(d.pattern for d in detectors.detectors if not d.gates)
        self.errors = errors

    def lines(
        self, data: bytes, fragments: FragmentIndex | None = None, rows_of: dict[int, int] | None = None
    ) -> dict[int, int]:
        """Start offset -> end offset (before the newline) of every line worth a closer look; `rows_of`, when
        given, receives each such line's index in the block (so nobody has to count newlines to number it)."""
        rows = data.split(b"\n")
        distinct = list(dict.fromkeys(rows))
        joined = b"\n".join(distinct)
        picked = self._gated(joined)
        if self.ungated:
            picked |= self._ungated(distinct)
        if fragments:
            rest = b"\n".join(row for row in distinct if row not in picked)
            if fragments.may_hold(rest):
                picked |= {_row_at(rest, pos) for pos in fragments.hit_offsets(rest)}
        starts_yj = _rows_at(joined, b"\nyJ", 1) | ({_row_at(joined, 0)} if joined.startswith(b"yJ") else set())
        closed = joined + b"\n"
        ends_ey = _rows_at(closed, b"ey\n", 0) | _rows_at(closed, b"ey\r\n", 0)
        found: dict[int, int] = {}
        if not picked and not starts_yj and not ends_ey:
            return found
        offsets = list(accumulate(map(len, rows), initial=0))  # plus the index: one newline per row

        def pick(index: int) -> None:
            start = offsets[index] + index
            found[start] = start + len(rows[index])
            if rows_of is not None:
                rows_of[start] = index

        for index in compress(range(len(rows)), map(picked.__contains__, rows)):
            pick(index)
        # a token cut right after `e` or `ey`: the row that ends with the cut is the one to look at
        if starts_yj:
            for index in compress(range(len(rows)), map(starts_yj.__contains__, rows)):
                if index and split_ending(rows[index - 1])[0].endswith(b"e"):
                    pick(index - 1)
        if ends_ey:
            for index in compress(range(len(rows)), map(ends_ey.__contains__, rows)):
                if index + 1 < len(rows) and rows[index + 1].startswith(b"J"):
                    pick(index)
        return found

    def _gated(self, joined: bytes) -> set[bytes]:
        low = joined.lower()
        picked: set[bytes] = set()
        for gate in self.literals:
            pos = low.find(gate)
            while pos != -1:
                start, end = line_bounds(joined, pos)
                picked.add(joined[start:end])
                pos = low.find(gate, end)
        for shape in self.shapes:
            match = shape.search(low)
            while match is not None:
                start, end = line_bounds(joined, match.start())
                picked.add(joined[start:end])
                match = shape.search(low, end)
        return picked

    def _ungated(self, distinct: list[bytes]) -> set[bytes]:
        text = "\n".join(row.decode("utf-8", self.errors) for row in distinct)
        picked: set[bytes] = set()
        for pattern in self.ungated:
            for match in pattern.finditer(text):
                start = text.rfind("\n", 0, match.start()) + 1
                end = text.find("\n", match.start())
                picked.add(text[start : len(text) if end == -1 else end].encode("utf-8", self.errors))
        return picked


def _rows_at(data: bytes, needle: bytes, shift: int) -> set[bytes]:
    """The rows that hold `needle` at offset `shift` of each occurrence."""
    rows: set[bytes] = set()
    pos = data.find(needle)
    while pos != -1:
        rows.add(_row_at(data, pos + shift))
        pos = data.find(needle, pos + 1)
    return rows


def _row_at(data: bytes, pos: int) -> bytes:
    start, end = line_bounds(data, pos)
    return data[start:end]


# --- tokens broken over several lines ---------------------------------------------------------------------------

RUN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-."
MAX_WRAP_LINES = 60
MAX_WRAP_CHARS = 16_384
MIN_WRAP_WIDTH = 16  # narrower "wraps" are ordinary short lines
MAX_BLANKS = 1  # blank lines a paste may put into one cut


@dataclass(frozen=True, slots=True)
class Wrap:
    """A token rebuilt from a line's tail and the leading pieces of the lines after it."""

    token: str
    pieces: tuple[tuple[int, int, int], ...]  # (index among the following lines, start, end) of each piece


def wrap_start(text: str) -> int | None:
    """Where a token that runs into the end of this line and looks cut short begins, if one does."""
    body = text[: piece_bounds(text)[1]]
    stripped = _rstrip_run(body)
    tail = body[len(stripped) :]
    if not tail:
        return None
    k = tail.find("eyJ")
    if k == -1:
        return len(stripped) if tail in ("e", "ey") else None
    return None if token_complete(clean_token(tail[k:])) else len(stripped) + k


def _rstrip_run(text: str) -> str:
    """`text` without the token characters (and the foreign characters a paste puts inside a token) at its end."""
    # matched on the reversed text: a search for a run anchored at the end retries from every start (quadratic)
    match = _RUN.match(text[::-1])
    return text[: len(text) - match.end()] if match else text


def _run_length(text: str, start: int) -> int:
    match = _RUN.match(text, start)
    return match.end() - start if match else 0


_RUN = re.compile(r"(?:[A-Za-z0-9_.-]|" + FOREIGN + r")+")

# A line that starts like this opens a log entry of its own; it is never the rest of a wrapped line.
# Platform prefixes (logcat in every copy format, browser consoles) are judged by `loglens.prefixes`.
_ENTRY_START = re.compile(r"\[|<color|\(Filename: |UnityEngine\.|System\.|\s+at ")


def wrapped_count(text: str, following: Iterable[str], widths: set[int] | frozenset[int] = frozenset()) -> int:
    """How many of the `following` lines continue `text`, when a fixed-width hard wrap broke one long line.

    The evidence is the width of each line's text (what the paste put in front of it, a quote or an indent, does
    not count): three or more lines of exactly one width, then one no longer; or one more line when that width
    already wrapped something earlier in the file (`widths`). Two lines of one length happen by chance too often,
    in logs and in what redaction writes. A blank line inside a cut is taken along. A line that repeats the one
    before it, or that starts like an entry of its own (a Convai head, a frame, a footer, a platform prefix), ends
    the run. 0: no wrap.
    """
    width = len(text) - prefix_length(text)
    if width < MIN_WRAP_WIDTH:
        return 0
    count, full, blanks, previous = 0, 1, 0, text
    for line in islice(following, MAX_WRAP_LINES):
        start, end = piece_bounds(line)
        if start == end:
            blanks += 1
            if blanks > MAX_BLANKS:
                break
            continue
        size = len(line) - start
        if width in (len(line), size + 1):
            size = width  # the blank the prefix took may begin the text itself
        if size > width or line == previous or _ENTRY_START.match(line[start:] if start else line) or has_prefix(line):
            break
        count += 1 + blanks
        blanks = 0
        if size < width:
            break
        full += 1
        previous = line
    if count and (full >= 3 or width in widths):
        return count
    return 0


def wrap_pieces(lines: list[str]) -> list[tuple[int, int, int]]:
    """The text of each line of a wrapped group (the first whole, up to its trailing blanks): what to join."""
    pieces = [(0, 0, piece_bounds(lines[0])[1])]
    for index in range(1, len(lines)):
        start, end = piece_bounds(lines[index])
        if start < end:
            pieces.append((index, start, end))
    return pieces


def token_complete(token: str) -> bool:
    """Three parts, and a signature as long as the header's algorithm makes it (when the header says)."""
    parts = token.split(".")
    if len(parts) < 3 or not parts[2]:
        return False
    expected = signature_length(token)
    return expected is None or len(parts[2]) >= expected


def join_wrap(tail: str, following: Iterable[str]) -> Wrap | None:
    """Rebuild a hard-wrapped token from `tail` and the lines after it; None when they do not make one.

    Each following line contributes the run of token characters that starts its text (after a quote or indent
    prefix); a line that is nothing but token characters continues onto the next, and a blank line inside a cut
    is stepped over. The result must have a header naming an algorithm and a payload that decodes to a JSON
    object, so ordinary lines after a truncated token are never swallowed.
    """
    token = tail
    pieces: list[tuple[int, int, int]] = []
    blanks = 0
    for index, line in enumerate(islice(following, MAX_WRAP_LINES)):
        start, end = piece_bounds(line)
        if start == end and blanks < MAX_BLANKS:
            blanks += 1
            continue
        lead = _run_length(line, start)
        if lead == 0:
            break
        blanks = 0
        token += line[start : start + lead]
        pieces.append((index, start, start + lead))
        if start + lead < end or token_complete(clean_token(token)) or len(token) > MAX_WRAP_CHARS:
            break
    if not pieces:
        return None
    clean = clean_token(token)
    trimmed = _trim_token(clean)
    if trimmed is None:
        return None
    if clean == token:
        excess = len(token) - len(trimmed)
        index, start, end = pieces[-1]
        if excess >= end - start:
            return None  # the token was already whole before the last piece: not a wrap there
        pieces[-1] = (index, start, end - excess)
    return Wrap(trimmed, tuple(pieces))


def _trim_token(token: str) -> str | None:
    """`header.payload.signature` cut to the signature's length; None unless header and payload decode."""
    parts = token.split(".")
    if len(parts) < 3:
        return None
    try:
        header, payload = b64url_json(parts[0]), b64url_json(parts[1])
    except ValueError:
        return None
    if not isinstance(header, dict) or "alg" not in header or not isinstance(payload, dict):
        return None
    expected = signature_length(token)
    signature = parts[2][:expected] if expected else parts[2]
    return f"{parts[0]}.{parts[1]}.{signature}"


# --- fragments of values already redacted -----------------------------------------------------------------------


def _words(data: bytes) -> memoryview:
    """`data` as 8-byte integers at offsets 0, 8, 16, ... (the last partial word is left out)."""
    return memoryview(data)[: len(data) & ~7].cast("Q")


class FragmentIndex:
    """Every 8-byte window of every redacted value (in each of its written forms), by value id.

    A run of 16 bytes of a value, wherever it sits, contains one whole 8-byte word at an offset that is a
    multiple of 8 of the text that holds it; looking up those words, a set operation at C speed, finds every
    text that may hold a fragment. `spans` then confirms and measures each candidate.
    """

    def __init__(self) -> None:
        self._grams: dict[int, int] = {}
        self._forms: dict[int, list[bytes]] = {}
        self.kinds: dict[int, str] = {}

    def __bool__(self) -> bool:
        return bool(self._grams)

    def add(self, ident: int, kind: str, form: bytes) -> None:
        if len(form) < MIN_FRAGMENT:
            return
        forms = self._forms.setdefault(ident, [])
        if form in forms:
            return
        forms.append(form)
        self.kinds[ident] = kind
        grams = self._grams
        # no real secret is this long; past it, a value's pieces are not looked for (its whole form still is)
        head = form[:MAX_INDEXED]
        for i in range(len(head) - 7):
            grams[int.from_bytes(head[i : i + 8], NATIVE)] = ident

    def is_form(self, ident: int, data: bytes) -> bool:
        """`data` is one whole written form of value `ident`."""
        return data in self._forms.get(ident, ())

    def may_hold(self, data: bytes) -> bool:
        return bool(self._grams) and not self._grams.keys().isdisjoint(_words(data))

    def hit_offsets(self, data: bytes) -> Iterator[int]:
        grams = self._grams
        for index, word in enumerate(_words(data)):
            if word in grams:
                yield index * 8

    def spans(self, data: bytes) -> list[tuple[int, int, int]]:
        """(start, end, value id) of every run of `MIN_FRAGMENT` or more bytes of a known value in `data`."""
        found: list[tuple[int, int, int]] = []
        if not self.may_hold(data):
            return found
        covered = 0
        for pos in self.hit_offsets(data):
            if pos < covered:
                continue
            best = self._extend(data, pos)
            if best is not None and best[1] - best[0] >= MIN_FRAGMENT:
                found.append(best)
                covered = best[1]
        return found

    def _extend(self, data: bytes, pos: int) -> tuple[int, int, int] | None:
        gram = data[pos : pos + 8]
        first = self._grams[int.from_bytes(gram, NATIVE)]
        best: tuple[int, int, int] | None = None
        for ident in (first, *(i for i in self._forms if i != first)):
            for form in self._forms[ident]:
                q = form.find(gram)
                while q != -1:
                    left = _common(data, pos, form, q, -1)
                    right = _common(data, pos + 8, form, q + 8, 1)
                    if best is None or left + 8 + right > best[1] - best[0]:
                        best = (pos - left, pos + 8 + right, ident)
                    q = form.find(gram, q + 1)
            if best is not None and best[1] - best[0] >= MIN_FRAGMENT:
                return best
        return best


def _common(a: bytes, i: int, b: bytes, j: int, step: int) -> int:
    """How many bytes `a` and `b` share going right from `a[i]`/`b[j]` (step 1) or left of them (step -1)."""
    most = min(len(a) - i, len(b) - j) if step > 0 else min(i, j)
    low, high = 0, most
    while low < high:  # the longest shared run, by halving: slices compare at C speed
        mid = (low + high + 1) // 2
        same = a[i : i + mid] == b[j : j + mid] if step > 0 else a[i - mid : i] == b[j - mid : j]
        if same:
            low = mid
        else:
            high = mid - 1
    return low


def text_fragments(index: FragmentIndex, text: str, errors: str) -> list[tuple[int, int, int]]:
    """`FragmentIndex.spans` for a line of text, with character offsets."""
    data = text.encode("utf-8", errors)
    spans = index.spans(data)
    if not spans or len(data) == len(text):
        return spans
    return [(len(data[:s].decode("utf-8", errors)), len(data[:e].decode("utf-8", errors)), i) for s, e, i in spans]


# --- rules a user adds: more patterns, literal values, known false positives -----------------------------------

CUSTOM_KIND = "custom"


@dataclass(frozen=True, slots=True)
class Rules:
    """What a user adds to the built-in detectors: patterns and literal values to hide, values to let through."""

    extra: tuple[Detector, ...] = ()
    allow_values: frozenset[str] = frozenset()
    allow_patterns: tuple[re.Pattern[str], ...] = ()

    def allows(self, value: str) -> bool:
        return value in self.allow_values or any(p.fullmatch(value) for p in self.allow_patterns)

    def merged(self, other: Rules) -> Rules:
        return Rules(
            self.extra + other.extra,
            self.allow_values | other.allow_values,
            self.allow_patterns + other.allow_patterns,
        )


def _compile(pattern: str, what: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        # the position and reason only: the pattern itself may hold a value the user wants hidden
        raise LoglensError(f"{what} is not a valid regular expression ({exc.msg} at position {exc.pos})") from exc


def pattern_detector(pattern: str) -> Detector:
    """A user's regex; a `secret` group, when the pattern has one, narrows what is hidden."""
    compiled = _compile(pattern, "an --also pattern")
    if "secret" not in compiled.groupindex:
        compiled = _compile(f"(?P<secret>{pattern})", "an --also pattern")
    if compiled.fullmatch(""):
        raise LoglensError("an --also pattern matches empty text; it would match everywhere")
    return Detector(CUSTOM_KIND, (), compiled)


def literal_detector(value: str) -> Detector:
    if len(value) < 4:
        raise LoglensError("a literal value to hide must be at least 4 characters long")
    return Detector(CUSTOM_KIND, (value.lower(),), re.compile(f"(?P<secret>{re.escape(value)})"))


def build_rules(
    also: Iterable[str] = (),
    literals: Iterable[str] = (),
    allow: Iterable[str] = (),
    allow_patterns: Iterable[str] = (),
) -> Rules:
    extra = tuple(pattern_detector(p) for p in also) + tuple(literal_detector(v) for v in literals)
    patterns = tuple(allow_pattern(p) for p in allow_patterns)
    allow = tuple(allow)
    if any(is_jwt(value) for value in allow):
        # a signed token is never a false positive; allowing it would keep it in every redacted copy
        raise LoglensError("an allow value is a whole LiveKit token; only false positives can be allowed")
    return Rules(extra, frozenset(allow), patterns)


def _canaries() -> tuple[tuple[str, str], ...]:
    """Whole secrets of the commonest shapes, built here so no secret-shaped literal sits in the source."""
    jwt = ".".join(("eyJ" + "hbGciOiJIUzI1NiJ9", "eyJ" + "zdWIiOiJwbGF5ZXIifQ", "c2lnbmF0dXJlLW9mLWEtdG9rZW4"))
    return (("empty text", ""), ("a whole LiveKit token", jwt), ("a whole API key", "0123456789abcdef" * 2))


def allow_pattern(pattern: str) -> re.Pattern[str]:
    """An allow pattern lets a known false positive through; one that would let every secret through is refused,
    so a config file from an unpacked bundle cannot switch redaction off."""
    compiled = _compile(pattern, "an allow pattern")
    for what, sample in _canaries():
        if compiled.fullmatch(sample):
            raise LoglensError(f"an allow pattern matches {what}; it would let real secrets through")
    return compiled


class Config(Frozen):
    """The `[redact]` table of a `.loglens.toml` file."""

    profile: Literal["default", "public"] | None = None
    keep_claims: bool | None = None
    also: tuple[str, ...] = ()
    literals: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    allow_patterns: tuple[str, ...] = ()

    def rules(self) -> Rules:
        return build_rules(self.also, self.literals, self.allow, self.allow_patterns)


CONFIG_TABLES = ("redact",)


def parse_config(text: str, name: str, table: tuple[str, ...] = ()) -> Config:
    """Read a config file's text (`table` is where loglens's tables sit, `("tool", "loglens")` in pyproject.toml).

    Errors name the file, the line and the problem (for an unknown key, the closest valid one), never a value."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        where = f"{name}:{found.group(1)}" if found else name
        raise LoglensError(f"{where}: not valid TOML ({str(exc).split('(', 1)[0].strip()})") from exc
    for key in table:
        data = data.get(key, {})
    unknown = sorted(set(data) - set(CONFIG_TABLES))
    if unknown:
        prefix = ".".join(table)
        shown = f"{prefix}.{unknown[0]}" if prefix else unknown[0]
        raise LoglensError(
            f"{_line_of(text, unknown[0], name)}: unknown table [{shown}]{_closest(unknown[0], CONFIG_TABLES)}"
        )
    try:
        return Config.model_validate(data.get("redact", {}))
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0]) if error["loc"] else ""
        where = _line_of(text, key, name) if key else name
        if error["type"] == "extra_forbidden":
            raise LoglensError(f"{where}: unknown key {key!r} in [redact]{_closest(key, Config.model_fields)}") from exc
        raise LoglensError(f"{where}: [redact] {key or 'table'}: {error['msg']}") from exc


def _closest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else f"; valid: {', '.join(sorted(choices))}"


def _line_of(text: str, key: str, name: str) -> str:
    """`file:line` of the first line that defines `key` (as a key or a table name), or just the file."""
    pattern = re.compile(rf"^\s*(?:\[+\s*(?:[\w.-]+\.)?{re.escape(key)}\s*\]|[\"']?{re.escape(key)}[\"']?\s*=)", re.M)
    found = pattern.search(text)
    return f"{name}:{text.count(chr(10), 0, found.start()) + 1}" if found else name


# --- the leftover check -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """A secret still in a text: where, and what kind. Never the value."""

    line: int
    kind: str
    # for `check`'s baseline and inline allow: a hash of the line (never its text), and whether the line says
    # `loglens: allow`. Neither takes part in equality, so the re-scan after redaction compares as before.
    fingerprint: str = field(default="", compare=False)
    marked: bool = field(default=False, compare=False)


ALLOW_MARK = "loglens: allow"


def fingerprint(kind: str, text: str) -> str:
    """A stable id of a finding for baselines: the kind and a hash of its line, as detect-secrets and gitleaks
    keep them. The line number is left out so that a baseline survives lines added above."""
    base = kind.split(" (", 1)[0]
    return hashlib.sha256(f"loglens-1\0{base}\0{text.strip()}".encode("utf-8", "surrogatepass")).hexdigest()


def placeholder_residue(value: str) -> str:
    """What is left of a value once loglens's placeholders are taken out: empty means already redacted."""
    return PLACEHOLDER.sub("", value).strip(" \t,;:|")


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Where loglens's own placeholders sit in a line (`<livekit-token-1>`, `<email>`)."""
    if "<" not in text:
        return []
    return [m.span() for m in PLACEHOLDER.finditer(text)]


def inside_placeholder(span: Span, placeholders: list[tuple[int, int]]) -> bool:
    """A span within one placeholder (`token-1` of `<livekit-token-1>`), or a user's pattern touching one: it
    found loglens's own writing, not a secret."""
    custom = span.kind == CUSTOM_KIND
    return any(
        (s <= span.start and span.end <= e) or (custom and span.start < e and s < span.end) for s, e in placeholders
    )


@dataclass
class Checker:
    """Looks for anything secret-shaped left in a text: detectors, stricter shapes, user rules, and (for the
    fail-closed pass after redaction) fragments of every value that was redacted."""

    detectors: tuple[Detector, ...] = DETECTORS
    rules: Rules = field(default_factory=Rules)
    fragments: FragmentIndex | None = None
    errors: str = "surrogateescape"
    independent: bool = True  # also run the checks that do not rely on the detectors (loglens.independent)

    def __post_init__(self) -> None:
        self._set = DetectorSet((*self.detectors, *STRICT_DETECTORS, *self.rules.extra))
        self._screen = BlockScreen(self._set, self.errors)

    def line(self, text: str) -> list[str]:
        """Kinds of the secrets left in one line (placeholders and allowed values do not count)."""
        kinds: list[str] = []
        for span in self._set.find(text):
            if not self._ignored(text, span):
                kinds.append(span.kind)
        if self.fragments:
            kinds += [
                f"{self.fragments.kinds[i]} (fragment)" for _, _, i in text_fragments(self.fragments, text, self.errors)
            ]
        return kinds

    def _ignored(self, text: str, span: Span) -> bool:
        if inside_placeholder(span, placeholder_spans(text)):
            return True
        value = span.value(text)
        if self.rules.allows(value):
            return True
        return "<" in value and not placeholder_residue(value)

    def block(self, block: Block) -> list[Finding]:
        data = block.data
        rows: dict[int, int] = {}
        lines = self._screen.lines(data, self.fragments, rows)
        findings: list[Finding] = []
        for start in sorted(lines):
            number = block.first_line + rows[start]
            text = split_ending(data[start : lines[start]])[0].decode("utf-8", self.errors)
            kinds = self.line(text)
            if not kinds and wrap_start(text) is not None:
                kinds = self._wrapped(data, lines[start], text)
            marked = ALLOW_MARK in text
            findings += [Finding(number, kind, fingerprint(kind, text), marked) for kind in kinds]
        if self.independent:
            findings += self._independent(block, {f.line for f in findings})
        return findings

    def _independent(self, block: Block, flagged: set[int]) -> list[Finding]:
        """What the checks that do not rely on the detectors find, on lines not flagged already.

        Each finding carries its line's fingerprint and allow mark like any other, so a baseline or a
        `loglens: allow` covers it too; line numbers are counted once, walking the hits in order.
        """
        data = block.data
        hits = sorted(
            (pos, kind)
            for kind, offsets in (("claims", claim_runs(data)), ("continued", continued_runs(data)))
            for pos in offsets
        )
        found: list[Finding] = []
        line, counted = block.first_line, 0
        for pos, kind in hits:
            line += data.count(b"\n", counted, pos)
            counted = pos
            if line in flagged:
                continue
            flagged.add(line)
            start, end = line_bounds(data, pos)
            text = split_ending(data[start:end])[0].decode("utf-8", self.errors)
            name = f"livekit-token ({kind})"
            found.append(Finding(line, name, fingerprint(name, text), ALLOW_MARK in text))
        return found

    def _wrapped(self, data: bytes, end: int, text: str) -> list[str]:
        begin = wrap_start(text)
        following = data[end + 1 :].split(b"\n", MAX_WRAP_LINES)[:MAX_WRAP_LINES]
        lines = [split_ending(raw)[0].decode("utf-8", self.errors) for raw in following]
        if begin is not None and join_wrap(text[begin:], lines) is not None:
            return ["livekit-token (wrapped)"]
        return []

    def scan(self, blocks: Iterable[Block]) -> Iterator[Finding]:
        for block in blocks:
            yield from self.block(block)


def check_stream(stream: BinaryIO, rules: Rules | None = None) -> Iterator[Finding]:
    """Every secret left in a log, in line order. An empty input is clean; binary data is refused."""
    try:
        reader = BlockReader(stream)
    except LoglensError as exc:
        if exc.message == "the input is empty":
            return iter(())
        raise
    checker = Checker(rules=rules or Rules(), errors=reader.errors)
    return checker.scan(reader)
