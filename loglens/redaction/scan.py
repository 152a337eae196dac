"""Find the lines of a block that can hold a secret, without decoding the rest.

A block is screened with a few literal searches and shape regexes over its lowercase bytes; only the lines they
point at are decoded and handed to the detectors, so text without secrets costs a handful of C-speed scans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import accumulate, compress, filterfalse

from loglens.detectors import IPV4_SHAPE, DetectorSet
from loglens.lazyre import Regex
from loglens.memo import KnownRows
from loglens.paste import BREAK_TAG_BYTES, PREFIX_BYTES
from loglens.prefixes import HEAD_BYTES, UNDATED_SOURCE
from loglens.redaction.blocks import line_bounds, split_ending
from loglens.redaction.fragments import FragmentIndex
from loglens.redaction.joins import BREAK_START, cut_shapes, joins_no_gate
from loglens.shadows import BASE64_SHAPE, HINT_BYTES, MIN_RUN, bytes_may_escape, decoded_text, flat_runs


class BlockScreen:
    """Which lines of a block can hold a secret: literal gates and shapes over the lowercase bytes.

    Logs repeat themselves (stack frames, progress lines), so a block's distinct lines are screened once each.
    Lines that may continue a token cut after `e` or `ey`, and (given a `FragmentIndex`) lines that may hold a
    piece of a value already redacted, are picked too. Detectors without gates (a user's own regexes) run over the
    decoded distinct lines: the price of an ungated pattern. The rows a screen found nothing in are kept in
    `known` (`memo.KnownRows`), handed to a screen set up alike (the re-scan's) and not screened again.
    """

    def __init__(self, detectors: DetectorSet, errors: str, known: KnownRows | None = None) -> None:
        self.literals = tuple(gate.encode("utf-8") for gate in detectors.literal_gates)
        # any of them in a short text: one search, where a test per literal costs a Python step each
        self._any_literal = re.compile(b"|".join(map(re.escape, self.literals))) if self.literals else None
        # a gate of several words also where a paste made its spaces other blanks (`fixed_label`, `gate_view`)
        self.spaced = tuple(re.compile(_BLANKS.join(map(re.escape, g.split(b" ")))) for g in self.literals if b" " in g)
        self.unspaced = tuple(gate for gate in self.literals if b" " not in gate)
        # a byte of each gate that is no letter or digit (`=`, `&`, `$`, the lead byte of `＠`): a block without it
        # holds no such gate, and telling that takes one memchr, stopping at the first one there is
        self._marks = {gate: _mark(gate) for gate in self.unspaced}
        self.shapes = tuple(re.compile(shape.encode("ascii")) for shape in detectors.shapes if shape != BASE64_SHAPE)
        self.base64 = BASE64_SHAPE in detectors.shapes  # found by `_runs_at`, far faster than its regex
        self.ungated = tuple(d.pattern for d in detectors.detectors if not d.gates)
        self.cuttable = tuple(gate for gate in self.literals if gate in CUT_LABELS)
        self._cut_shapes = cut_shapes(self.cuttable)  # where a break may cut one of them (`joins_no_gate`)
        self.ipv4 = IPV4_SHAPE in detectors.shapes  # an address is looked for where a line break cut it too
        self.leads = _leads(detectors)
        self.errors = errors
        # what a row's verdict depends on (the literals give the marks and the cuttable gates): equal keys, equal
        # verdicts, so a screen set up alike may take the rows another one found nothing in
        key = (self.literals, self.spaced, self.shapes, self.base64, tuple(sorted(self.leads.items())), errors)
        self.known = known if known is not None and known.key == key else KnownRows(key)

    def lines(
        self, data: bytes, fragments: FragmentIndex | None = None, rows_of: dict[int, int] | None = None
    ) -> dict[int, int]:
        """Start offset -> end offset (before the newline) of every line worth a closer look; `rows_of`, when
        given, receives each such line's index in the block (so nobody has to count newlines to number it)."""
        rows = data.split(b"\n")
        distinct = list(dict.fromkeys(rows))
        joined = b"\n".join(distinct)
        escaped = bytes_may_escape(joined)  # any row whose gates an escape may hide: a few C-speed searches
        picked = self._screened(distinct, joined, escaped)
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
        straddle = self._straddle_gates(data, escaped)
        address_cuts = list(_cut_addresses(data, rows)) if self.ipv4 else []
        if not picked and not starts_yj and not ends_ey and not straddle and not address_cuts:
            return found
        offsets = list(accumulate(map(len, rows), initial=0))  # plus the index: one newline per row

        def pick(index: int) -> None:
            start = offsets[index] + index
            found[start] = start + len(rows[index])
            if rows_of is not None:
                rows_of[start] = index

        labelled = {row for row in picked if self._label_first(row)}  # once per distinct row: logs repeat lines
        for index in compress(range(len(rows)), map(picked.__contains__, rows)):
            pick(index)
            if index and rows[index] in labelled:
                pick(index - 1)  # the label may have begun at the end of the line before (`End ` + `User ID:`)
        for index in (*self._straddled(data, rows, straddle, escaped), *address_cuts):
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

    def _screened(self, distinct: list[bytes], joined: bytes, escaped: bool) -> set[bytes]:
        """The rows of `distinct` (`joined` their text) that a gate or a shape picks, read as they are or (where
        the block holds an escape) in their gate view: each row's verdict is its own, so the rows `known` to hold
        nothing are left out of the search, and the rows found to hold nothing join them."""
        known = self.known
        fresh = known.unknown(distinct)
        text = joined if len(fresh) == len(distinct) else b"\n".join(fresh)
        picked = self._gated(text)
        if escaped:
            picked |= self._escaped(text, picked)
        known.add(filterfalse(picked.__contains__, fresh))
        return picked

    def _label_first(self, row: bytes) -> bool:
        """A gate near the start of a line's text: a label that a cut may have split from its first words."""
        if row.startswith((b"[", b"<color", b"UnityEngine.", b"(Filename: ")):
            return False  # a line that opens an entry continues nothing
        if self._any_literal is None:
            return False
        start = _text_start(row)
        if self._any_literal.search(row[start : start + LABEL_REACH].lower()) is not None:
            return True
        # a label written with an escape (`X-API-Ke\\u0079:`) takes more bytes of the row than it shows
        head = row[start : start + LABEL_REACH * ESCAPE_REACH]
        if not bytes_may_escape(head):
            return False
        return self._any_literal.search(self.gate_view(head)[:LABEL_REACH].lower()) is not None

    def gate_view(self, row: bytes) -> bytes:
        """A row as its gates are looked for in it: with the escapes a paste hid a label behind decoded, as the
        detectors read it in the line's shadow (`shadows.decoded_text`: `Ke\\u0079`, `Ke%79`, a soft hyphen or a
        zero-width space inside `key`), and lowercased as they lowercase it (a Kelvin sign is a `k`, which the
        lowercase bytes keep as it is); the row itself when it holds no escape and no byte past ASCII."""
        if not bytes_may_escape(row):
            return row
        # an escape may decode to a lone surrogate (`\\ud800`): a view is searched, never written
        return decoded_text(row.decode("utf-8", self.errors)).lower().encode("utf-8", "surrogatepass")

    def _escaped(self, joined: bytes, picked: set[bytes]) -> set[bytes]:
        """The rows not `picked` that their gate view (`gate_view`) opens: a label written with an escape. A row cut
        from a longer line holds no shape of its value, only the label (`X-API-Ke\\u0079: 0123`), and that row is
        where the wrap walk to the rest begins. Only rows with an escape's first byte in them are decoded."""
        views: dict[bytes, list[bytes]] = {}
        match = _ESCAPE_HINT.search(joined)
        while match is not None:
            start, end = line_bounds(joined, match.start())
            row = joined[start:end]
            if row not in picked and (view := self.gate_view(row)) != row.lower():
                views.setdefault(view.replace(b"\n", b" "), []).append(row)  # an escaped newline stays in its row
            match = _ESCAPE_HINT.search(joined, end)
        if not views:
            return set()
        return {row for view in self._gated(b"\n".join(views)) for row in views[view]}

    def _straddle_gates(self, data: bytes, escaped: bool) -> tuple[bytes, ...]:
        """The gates that a line break cuts somewhere in `data` (`Us` + `ers`, `Bea` + `rer`): more of them once the
        breaks and the paste prefixes after them are taken out than in the lines."""
        if not self.cuttable or b"\n" not in data:
            return ()
        low = data.lower()
        if not escaped and joins_no_gate(self._cut_shapes, low):
            return ()  # no break has the shape of a cut gate: joining the lines makes none
        squeezed = _squeezed(BREAK_TAG_BYTES.sub(b"", low).replace(b"\r", b"").replace(b" \n", b"\n"))
        # a gate the joined lines do not hold is not cut: the lines are not searched for it too
        cut = tuple(g for g in self.cuttable if (found := squeezed.count(g)) and found > low.count(g))
        if not escaped:
            return cut
        # a cut inside an escaped label (`Ke\\u007` + `9`) shows the gate only once the joined text is decoded
        joined, lines = self.gate_view(squeezed), self.gate_view(low)
        others = [g for g in self.cuttable if g not in cut]
        return cut + tuple(g for g in others if (found := joined.count(g)) and found > lines.count(g))

    def _straddled(self, data: bytes, rows: list[bytes], gates: tuple[bytes, ...], escaped: bool) -> Iterator[int]:
        """The rows whose end and the next row's text hold one of `gates` between them, read as it is or, where the
        block holds an escape (`escaped`), decoded (`gate_view`)."""
        if not gates:
            return
        longest = max(map(len, gates))
        if BREAK_TAG_BYTES.search(data):  # HTML pasted as one line: a break tag inside a row may cut a gate
            for index, row in enumerate(rows):
                if BREAK_TAG_BYTES.search(row) and any(g in BREAK_TAG_BYTES.sub(b"", row.lower()) for g in gates):
                    yield index
        for index in range(len(rows) - 1):
            window = _tail(rows[index], longest) + _head(rows[index + 1], longest)
            if any(gate in window.lower() for gate in gates):
                yield index
            elif escaped:
                reach = longest * ESCAPE_REACH
                window = self.gate_view(_tail(rows[index], reach) + _head(rows[index + 1], reach)).lower()
                if any(gate in window for gate in gates):
                    yield index

    def _gated(self, joined: bytes) -> set[bytes]:
        low = joined.lower()
        picked: set[bytes] = set()
        led: dict[bytes, tuple[Regex, ...]] = {}  # rows a literal with leads holds: picked where a lead is in them
        for gate in self.unspaced:
            mark = self._marks[gate]
            if mark is not None and mark not in low:
                continue
            leads = self.leads.get(gate)
            pos = low.find(gate)
            while pos != -1:
                start, end = line_bounds(joined, pos)
                if leads is None:
                    picked.add(joined[start:end])
                else:
                    led[joined[start:end]] = led.get(joined[start:end], ()) + leads
                pos = low.find(gate, end)
        if self.base64:
            picked.update(_row_at(joined, pos) for pos in _runs_at(low))
        for shape in (*self.spaced, *self.shapes):
            match = shape.search(low)
            while match is not None:
                start, end = line_bounds(joined, match.start())
                picked.add(joined[start:end])
                match = shape.search(low, end)
        for row, leads in led.items():
            if row not in picked:
                text = row.decode("utf-8", self.errors)
                if any(lead.search(text) for lead in leads):
                    picked.add(row)
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


def _mark(gate: bytes) -> bytes | None:
    """The first byte of `gate` that is no lowercase letter or digit, if any (see `BlockScreen._marks`)."""
    return next((bytes([byte]) for byte in gate if not (0x61 <= byte <= 0x7A or 0x30 <= byte <= 0x39)), None)


def _leads(detectors: DetectorSet) -> dict[bytes, tuple[Regex, ...]]:
    """The screen literals whose every detector has a lead for it (`Detector.leads`), with all their leads: a row
    that holds the literal is picked where any one of them is in it."""
    found: dict[bytes, tuple[Regex, ...]] = {}
    for gate in detectors.literal_gates:
        users = [d for d in detectors.detectors if not d.shapes and any(gate in g for g in d.screen or d.gates)]
        leads = [tuple(shape for literal, shape in d.leads if literal == gate) for d in users]
        if users and all(leads):
            found[gate.encode("utf-8")] = tuple(dict.fromkeys(shape for shapes in leads for shape in shapes))
    return found


# where an escape `shadows.decoded_text` reads may begin (`shadows.bytes_may_escape`): a JSON `\\u`, a percent
# escape, an HTML entity, and any byte past ASCII (a format character, a lookalike, a stray byte)
_ESCAPE_HINT = re.compile(b"|".join(map(re.escape, HINT_BYTES)) + rb"|[\x80-\xff]")
ESCAPE_REACH = 8  # bytes a gate's character may take in a row: an escape (`\\u0079`, `&#121;`) and a format character

# the gates a wrap is looked for inside (each costs two scans of a block): labels whose value may sit on a line
# without any gate of its own (`C:\Us` + `ers\name`, `X-API-Ke` + `y: <key>`, `Bea` + `rer <token>`)
CUT_LABELS = frozenset({b"user", b"users", b"key", b"bearer", b"authorization"})
LABEL_REACH = 40  # bytes of a line's text in which a gate counts as its first label


# what a gate's space may be in the raw bytes: blanks, a no-break space in UTF-8 (C2 A0) or Windows-1252 (A0)
_BLANKS = rb"[ \t\x80-\xff]++"

# `BASE64_SHAPE` as a `flat_runs` table: its characters become `a`, every other byte a blank
_RUN_TABLE = bytes(0x61 if byte in b"abcdefghijklmnopqrstuvwxyz0123456789+/" else 0x20 for byte in range(256))
_RUN_SEED = b"a" * MIN_RUN


def _runs_at(low: bytes) -> Iterator[int]:
    """Where `BASE64_SHAPE` first matches on each line of the lowercase `low` that it matches on."""
    line_end = -1
    for start, _ in flat_runs(low, _RUN_TABLE, _RUN_SEED):
        if start > line_end:
            yield start
            line_end = low.find(b"\n", start)
            if line_end == -1:
                return


# a line break and the paste prefix and logcat head after it (`logical.body_bounds`), over lowercase bytes: starts
# only at a newline, so linear
_BREAK = re.compile(
    b"\n" + PREFIX_BYTES.pattern + b"(?:" + HEAD_BYTES.pattern + b"|" + UNDATED_SOURCE + b")?", re.IGNORECASE
)  # lowered
# the same where a prefix or a head can follow (a blank, `>`, `&gt;`, a digit, a level letter and its slash, the
# Unity tag): at any other newline `_BREAK` takes the newline alone, which one `bytes.replace` takes far faster
# than a match per line; a script's name (a browser's head) only in a block that names one, as it costs more
_DECORATED_BREAK = re.compile(rb"\n(?=" + BREAK_START + rb")" + _BREAK.pattern[1:], re.IGNORECASE)
_BROWSER_BREAK = re.compile(rb"\n(?=" + BREAK_START + rb"|[\w.-]{1,64}?\.m?js:)" + _BREAK.pattern[1:], re.IGNORECASE)


_UNDATED = re.compile(UNDATED_SOURCE)  # a head without a date at a row's start (`_text_start`)


def _squeezed(low: bytes) -> bytes:
    """`low` with every `_BREAK` taken out: the lines joined, each without the paste prefix and logcat head that a
    cut put in front of it."""
    decorated = _BROWSER_BREAK if b".js:" in low else _DECORATED_BREAK
    return decorated.sub(b"", low).replace(b"\n", b"")


# a line break with a digit or a dot before it (a CR or a blank between them too) and after it (past a quote or an
# indent, or the date of a logcat head): where a hard wrap may have cut an address. It begins at the newline, which
# the regex engine looks for first; one lookbehind of one width for all the endings costs less than one for each
_DIGIT_BREAK = re.compile(rb"(?s)\n(?<=.[\d.]\n|[\d.][\r \t]\n)[ \t>]*[\d.]")
_DOTTED_QUAD = re.compile(rb"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}")
ADDRESS_REACH = 16  # bytes either side of a line break that an IPv4 address it cut may take


def _cut_addresses(data: bytes, rows: list[bytes]) -> Iterator[int]:
    """The rows (of `data`, split at its newlines) whose end and the next row's text hold an IPv4 address between
    them (`198.51` + `.102.11`, `19` + `8.51.102.11`): a hard wrap cut it, and the row it begins on is where the walk
    that joins the two starts (a piece may show no address, or another one, on its own)."""
    row, counted = 0, 0
    for match in _DIGIT_BREAK.finditer(data):
        row += data.count(b"\n", counted, match.start())
        counted = match.start()
        tail = _tail(rows[row], ADDRESS_REACH)
        window = tail + _head(rows[row + 1], ADDRESS_REACH)
        if any(quad.start() < len(tail) < quad.end() for quad in _DOTTED_QUAD.finditer(window)):
            yield row


def _text_start(row: bytes) -> int:
    """Where a row's text starts: after its paste prefix (quotes, `&gt;`, an indent) and a logcat head, which a
    logcat cut puts in front of every piece of a long message (`logical.body_bounds`)."""
    match = PREFIX_BYTES.match(row)
    start = match.end() if match else 0
    lead = row[start : start + 1]
    if lead.isdigit():
        head = HEAD_BYTES.match(row, start)
        start = head.end() if head else start
    elif lead.isalpha() and (
        row.startswith(b"/", start + 1)
        or row.startswith((b"Unity ", b"Unity\t"), start)
        or row.find(b".js:", start, start + 256) > 0
    ):
        head = _UNDATED.match(row, start)
        start = head.end() if head else start
    return start


def _tail(row: bytes, size: int) -> bytes:
    """The last `size` bytes of a row's text: before its line ending, trailing blanks and an HTML break tag."""
    text = split_ending(row)[0].rstrip(b" \t")[-size - 16 :]
    return BREAK_TAG_BYTES.sub(b"", text).rstrip(b" \t")[-size:]


def _head(row: bytes, size: int) -> bytes:
    """The first `size` bytes of a row's text, after its paste prefix and logcat head (`_text_start`)."""
    start = _text_start(row)
    return row[start : start + size]


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
