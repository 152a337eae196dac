"""Write a copy of a log that is safe to post: every secret becomes a typed, numbered placeholder.

Streaming, in blocks of whole lines (`check.BlockReader`): a block is screened at C speed, only the lines a gate
points at are decoded and rewritten, and every other byte goes out exactly as it came in (line endings, the BOM,
undecodable bytes, colors, JSON layout). The same value is the same placeholder everywhere, whatever form it
takes (JSON-escaped, URL-encoded, a piece of 16 or more characters, a line broken by a hard wrap), so a reader can
still see that one token was reused. Nothing here writes a file: callers get bytes and a report, and `verify`
re-reads what they wrote (the fail-closed pass).
"""

from __future__ import annotations

import contextlib
import heapq
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from typing import BinaryIO, Literal
from urllib.parse import quote, quote_plus, unquote

from loglens.check import (
    MAX_INDEXED,
    MAX_WRAP_CHARS,
    MAX_WRAP_LINES,
    MIN_FRAGMENT,
    MIN_WRAP_WIDTH,
    RUN_CHARS,
    Block,
    BlockReader,
    BlockScreen,
    Checker,
    Finding,
    FragmentIndex,
    Rules,
    inside_placeholder,
    join_wrap,
    line_bounds,
    placeholder_residue,
    placeholder_spans,
    split_ending,
    text_fragments,
    wrap_pieces,
    wrap_start,
    wrapped_count,
)
from loglens.detectors import DETECTORS, KINDS, PUBLIC_DETECTORS, Detector, DetectorSet
from loglens.errors import ExitCode, LoglensError
from loglens.models import Frozen
from loglens.paste import Joined, piece_bounds, prefix_length, split_bare_cr
from loglens.tokens import decode_claims

Span3 = tuple[int, int, int]  # start, end, placeholder id


class Profile(StrEnum):
    """`default` keeps the identifiers support needs; `public` (forums, public trackers) pseudonymises them too."""

    DEFAULT = "default"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class RedactOptions:
    profile: Profile = Profile.DEFAULT
    keep_claims: bool = False
    rules: Rules = field(default_factory=Rules)

    def detectors(self) -> tuple[Detector, ...]:
        public = PUBLIC_DETECTORS if self.profile is Profile.PUBLIC else ()
        return (*DETECTORS, *public, *self.rules.extra)


class LeakFound(LoglensError):
    """The fail-closed check found a secret in what redaction produced."""

    def __init__(self, finding: Finding, what_happened: str) -> None:
        super().__init__(
            f"redaction self-check failed: line {finding.line} of the output still holds a {finding.kind}; "
            f"{what_happened}",
            ExitCode.FINDINGS,
        )
        self.finding = finding


# --- placeholders ---------------------------------------------------------------------------------------------


def canonical(kind: str, value: str) -> str:
    """The value behind its encodings: URL-decoded, JSON-unescaped (up to three levels), e-mails lowercased."""
    text = value
    if "%" in text:
        with contextlib.suppress(UnicodeDecodeError):
            text = unquote(text, errors="strict")
    for _ in range(3):
        if "\\" not in text:
            break
        try:
            unescaped = json.loads(f'"{text}"')
        except ValueError:
            break
        if not isinstance(unescaped, str) or unescaped == text or not _writable(unescaped):
            break
        text = unescaped
    return text.lower() if kind == "email" else text


def _writable(text: str) -> bool:
    """A JSON escape can spell a lone surrogate (`\\ud800`) that no output encoding can hold: keep it escaped."""
    try:
        text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


def derived_forms(value: str) -> set[str]:
    """How one value can be written in a log: as is, JSON-escaped once or twice, URL-encoded, `/` escaped."""
    once = json.dumps(value, ensure_ascii=False)[1:-1]
    forms = {value, once, json.dumps(value)[1:-1], json.dumps(once, ensure_ascii=False)[1:-1]}
    forms.add(value.replace("/", "\\/"))
    with contextlib.suppress(UnicodeEncodeError):  # undecodable bytes have no URL form
        forms |= {quote(value, safe=""), quote_plus(value, safe="")}
    return forms


@dataclass(slots=True)
class _Entry:
    kind: str
    number: int
    value: str
    label: str


class PlaceholderTable:
    """Values to placeholders, consistent within a run: the first LiveKit token is `<livekit-token-1>`, the next
    distinct one `<livekit-token-2>`. It holds plaintext only to recognise values again and for `private_map`."""

    def __init__(self, errors: str = "surrogateescape") -> None:
        self.errors = errors
        self._entries: list[_Entry] = []
        self._by_value: dict[str, int] = {}
        self._numbers: Counter[str] = Counter()
        self._taken: set[tuple[str, int]] = set()  # placeholders the input already holds
        self.fragments = FragmentIndex()

    def __len__(self) -> int:
        return len(self._entries)

    def assign(self, kind: str, value: str) -> tuple[int, bool]:
        """The id of `value`'s placeholder, and whether it is new."""
        ident = self._by_value.get(value)
        if ident is not None:
            return ident, False
        plain = canonical(kind, value)
        ident = self._by_value.get(plain)
        if ident is None and len(plain) >= MIN_FRAGMENT:
            ident = self._related(kind, plain)
        created = ident is None
        if ident is None:
            self._numbers[kind] += 1
            while (kind, self._numbers[kind]) in self._taken:
                self._numbers[kind] += 1
            ident = len(self._entries)
            number = self._numbers[kind]
            self._entries.append(_Entry(kind, number, plain, f"<{kind}-{number}>"))
        entry_kind = self._entries[ident].kind
        self._by_value[value] = self._by_value[plain] = ident
        for form in derived_forms(plain) | {value}:
            self.fragments.add(ident, entry_kind, form.encode("utf-8", self.errors))
        return ident, created

    def _related(self, kind: str, plain: str) -> int | None:
        """An entry of the same kind that `plain` is a piece of, or that is itself a piece of `plain` (a token
        first seen cut short, then whole)."""
        data = plain.encode("utf-8", self.errors)[:MAX_INDEXED]
        for start, end, ident in self.fragments.spans(data):
            if self._entries[ident].kind != kind:
                continue
            if end - start == len(data) or self.fragments.is_form(ident, data[start:end]):
                return ident
        return None

    def reserve(self, data: bytes) -> None:
        """Note the numbered placeholders already in `data` (a redacted log with a raw one appended), so that a
        new value never gets a number the input already uses for another."""
        if b"<" in data:
            self._taken.update((m[1].decode(), int(m[2])) for m in _NUMBERED.finditer(data))

    def value(self, ident: int) -> str:
        return self._entries[ident].value

    def label(self, ident: int) -> str:
        return self._entries[ident].label

    def kind(self, ident: int) -> str:
        return self._entries[ident].kind

    def short(self, ident: int) -> str:
        """`kind-N`, for naming one placeholder inside another's facts."""
        entry = self._entries[ident]
        return f"{entry.kind}-{entry.number}"

    def set_label(self, ident: int, label: str) -> None:
        self._entries[ident].label = label

    def distinct(self) -> Counter[str]:
        return Counter(entry.kind for entry in self._entries)

    def private_map(self) -> dict[str, str]:
        """Placeholder -> original value. The one place redaction hands plaintext back, for `--map` only."""
        return {f"<{e.kind}-{e.number}>": e.value for e in self._entries}


_NUMBERED = re.compile(rb"<(" + "|".join(KINDS).encode() + rb")-([0-9]{1,9})[ >]")

# --- one line -------------------------------------------------------------------------------------------------

_ROOM_SAFE = re.compile(r"[^A-Za-z0-9_.:-]")


class LineRedactor:
    """Rewrites one line: forced spans (pieces of a wrapped line), detector spans, then pieces of known values."""

    def __init__(self, options: RedactOptions, table: PlaceholderTable) -> None:
        self.options = options
        self.table = table
        self.detectors = DetectorSet(options.detectors())
        self.occurrences: Counter[str] = Counter()

    def ident(self, kind: str, value: str) -> int:
        ident, created = self.table.assign(kind, value)
        if created and kind == "livekit-token" and self.options.keep_claims:
            self.table.set_label(ident, self._with_claims(ident))
        return ident

    def _with_claims(self, ident: int) -> str:
        """`<livekit-token-1 room=lobby exp=2031-04-26T18:40:00Z identity=end-user-id-1>`: what a support
        engineer reads from a token, none of which lets anybody join the room."""
        label = self.table.label(ident)
        claims = decode_claims(self.table.value(ident))
        if claims is None:
            return label
        facts: list[str] = []
        room = claims.video.room if claims.video else None
        if room:
            if self.options.profile is Profile.PUBLIC:
                facts.append("room=" + self.table.short(self.table.assign("room-name", room)[0]))
            else:
                facts.append("room=" + _ROOM_SAFE.sub("_", room)[:80])
        if claims.expires_at is not None:
            facts.append("exp=" + claims.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        if claims.identity:
            facts.append("identity=" + self.table.short(self.table.assign("end-user-id", claims.identity)[0]))
        return f"{label[:-1]} {' '.join(facts)}>" if facts else label

    def detect(self, text: str, skip: list[Span3] | None = None) -> list[Span3]:
        """Detector spans with their placeholder ids; spans that overlap `skip` are left to it. A line that a bare
        carriage return cut is also read with its pieces joined, so a value split there is still found."""
        found = self._detect(text, skip)
        pieces = split_bare_cr(text)
        if pieces:
            joined = Joined.of([text], pieces)
            taken = skip or []
            for s, e, ident in self._detect(joined.text):
                parts = [(low, high, ident) for _, low, high in joined.split(s, e)]
                if len(parts) > 1 and not any(a < e2 and s2 < b for a, b, _ in parts for s2, e2, _ in taken):
                    found += parts
        return found

    def _detect(self, text: str, skip: list[Span3] | None = None) -> list[Span3]:
        found: list[Span3] = []
        own = placeholder_spans(text)
        for span in self.detectors.find(text):
            if skip and any(span.start < e and s < span.end for s, e, _ in skip):
                continue
            if own and inside_placeholder(span, own):
                continue
            value = span.value(text)
            if self.options.rules.allows(value) or ("<" in value and not placeholder_residue(value)):
                continue
            found.append((span.start, span.end, self.ident(span.kind, value)))
        return found

    def redact(self, text: str, forced: list[Span3] | None = None, *, detect: bool = True) -> str:
        """`text` with its secrets replaced: `forced` spans and detector spans first, then, in what is left, pieces
        of values already known, so a signature or an id seen on its own still gets its value's placeholder."""
        spans = list(forced or ())
        if detect:
            spans += self.detect(text, spans)
        if spans:
            text = self._apply(text, spans)
        if self.table.fragments:
            pieces = text_fragments(self.table.fragments, text, self.table.errors)
            if pieces:
                text = self._apply(text, pieces)
        return text

    def _apply(self, text: str, spans: list[Span3]) -> str:
        spans.sort(key=lambda s: (s[0], -s[1]))
        out: list[str] = []
        pos = 0
        for start, end, ident in spans:
            if start < pos:  # overlaps the span before it, which already covers it
                continue
            out.append(text[pos:start])
            out.append(self.table.label(ident))
            self.occurrences[self.table.kind(ident)] += 1
            pos = end
        out.append(text[pos:])
        return "".join(out)


# --- whole streams --------------------------------------------------------------------------------------------


class KindCount(Frozen):
    kind: str
    occurrences: int
    distinct: int


Check = Literal["each-block", "after-writing", "none"]


class RedactionReport(Frozen):
    """What a redaction did, in counts only: safe to print, attach or log."""

    profile: str
    lines: int
    lines_changed: int
    redactions: int
    kinds: tuple[KindCount, ...]
    check: Check


class Redaction:
    """One run over a stream. Iterate it for the output bytes (the BOM first), then ask for `report()`.

    With `check_each_block`, every rewritten block goes through the leftover check before it is handed out; on a
    finding, the lines before it are handed out and `LeakFound` is raised (what writing to stdout needs).
    """

    def __init__(
        self,
        reader: BlockReader,
        options: RedactOptions | None = None,
        table: PlaceholderTable | None = None,
        *,
        check_each_block: bool = False,
    ) -> None:
        self.reader = reader
        self.options = options or RedactOptions()
        self.table = table if table is not None else PlaceholderTable(reader.errors)
        self.lines = LineRedactor(self.options, self.table)
        self.screen = BlockScreen(self.lines.detectors, reader.errors)
        self.checker = (
            Checker(self.options.detectors(), self.options.rules, self.table.fragments, reader.errors)
            if check_each_block
            else None
        )
        self.line_count = 0
        self.lines_changed = 0
        self._widths: set[int] = set()
        self._lone_cr: set[int] = set()
        self._tail_gates = tuple(g for g in self.lines.detectors.literal_gates if len(g) > 2)

    def __iter__(self) -> Iterator[bytes]:
        encoding = self.reader.encoding
        if encoding.bom:
            yield encoding.bom
        blocks = iter(self.reader)
        pending = next(blocks, None)
        carry, carry_line = b"", 1
        while pending is not None:
            self._lone_cr.update(pending.lone_cr)
            following = next(blocks, None)
            data = carry + pending.data if carry else pending.data
            first = carry_line if carry else pending.first_line
            out, cut = self._block(data, first, final=following is None)
            if self.checker is not None:
                leaks = self.checker.block(Block(out, first))
                if leaks:
                    finding = min(leaks, key=lambda f: f.line)
                    stop = 0
                    for _ in range(finding.line - first):
                        stop = out.index(b"\n", stop) + 1
                    yield self._encode(out[:stop], first)
                    raise LeakFound(finding, "the output stops before that line")
            yield self._encode(out, first)
            newlines = data.count(b"\n", 0, cut)
            self.line_count = first - 1 + newlines + (1 if cut and data[cut - 1 : cut] != b"\n" else 0)
            carry, carry_line = data[cut:], first + newlines
            pending = following
        if self.reader.trailing:
            yield self.reader.trailing

    def _encode(self, out: bytes, first: int) -> bytes:
        if self._lone_cr:
            out = self._put_back_cr(out, first)
        encoding = self.reader.encoding
        return out if encoding.name == "utf-8" else encoding.encode(out.decode("utf-8", "surrogatepass"))

    def _put_back_cr(self, out: bytes, first: int) -> bytes:
        """Lines that ended in a lone CR were read as ending in a newline: write their CR back."""
        rows = out.split(b"\n")
        ends = [b"\r" if first + i in self._lone_cr else b"\n" for i in range(len(rows) - 1)]
        self._lone_cr.difference_update(range(first, first + len(ends)))
        return b"".join(part for row, end in zip(rows, [*ends, b""], strict=True) for part in (row, end))

    def _block(self, data: bytes, first: int, *, final: bool) -> tuple[bytes, int]:
        """The rewritten block, and how much of `data` it covers: less than all when a wrapped line runs into the
        block's end and the rest must be read first."""
        known = len(self.table)
        self.table.reserve(data)
        lines = self.screen.lines(data, self.table.fragments or None)
        heap = list(lines)
        heapq.heapify(heap)
        forced: dict[int, list[Span3]] = {}
        grouped: set[int] = set()
        out: list[bytes] = []
        pos, previous = 0, -1
        errors = self.reader.errors
        while heap:
            start = heapq.heappop(heap)
            if start <= previous:
                continue
            previous = start
            end = lines[start]
            body, cr = split_ending(data[start:end])
            text = body.decode("utf-8", errors)
            spans = forced.pop(start, [])
            if start not in grouped:
                if not final and len(data) - start < MAX_WRAP_CHARS * 2 and self._runs_out(text, data, end):
                    out.append(data[pos:start])
                    return b"".join(out), start
                for (s, e), pieces in self._unwrap(text, spans, data, end):
                    lines[s] = e
                    grouped.add(s)
                    forced.setdefault(s, []).extend(pieces)
                    heapq.heappush(heap, s)
            # lines of a wrapped group are also looked at one by one, as the fail-closed check will look at them
            new = self.lines.redact(text, spans)
            if new != text:
                out += [data[pos:start], new.encode("utf-8", errors) + cr]
                pos = end
                self.lines_changed += 1
        out.append(data[pos:])
        rewritten = b"".join(out)
        if len(self.table) > known:
            rewritten = self._refragment(rewritten)
        return rewritten, len(data)

    def _unwrap(
        self, text: str, spans: list[Span3], data: bytes, end: int
    ) -> list[tuple[tuple[int, int], list[Span3]]]:
        """Rejoin a line that a ticket system or a terminal broke at a fixed width, or a token cut at its end.

        Adds this line's spans to `spans` and returns, for each following line that belongs to it, its (start,
        end) and its forced spans: every piece of a value gets that value's placeholder.
        """
        cut = split_bare_cr(text)
        first = cut or [(0, 0, piece_bounds(text)[1])]
        head = Joined.of([text], first)
        last = text[first[-1][1] :]
        widths = self._widths
        if cut and len(cut) > 1 and cut[0][2] - cut[0][1] == len(last):
            widths = widths | {len(last)}  # the pieces a bare CR cut are evidence of the width
        width = len(last) - prefix_length(last)
        count = wrapped_count(last, (t for t, _, _ in self._after(data, end)), widths)
        cut_label = not count and self._cuts_label(last)
        if cut_label:  # a label, or the start of a value, runs into the cut: one more line is evidence enough
            count = wrapped_count(last, (t for t, _, _ in self._after(data, end)), widths | {width})
        if count:
            if not cut_label:
                self._widths.add(width)
            following = list(islice(self._after(data, end), count))
            group = [text, *(t for t, _, _ in following)]
            joined = Joined.of(group, [*first, *wrap_pieces(group)[1:]])
            per_line: list[list[Span3]] = [[] for _ in group]
            for s, e, ident in self.lines.detect(joined.text):
                for k, low, high in joined.split(s, e):
                    per_line[k].append((low, high, ident))
            spans.extend(per_line[0])
            return [((s, e), per_line[k + 1]) for k, (_, s, e) in enumerate(following)]
        begin = wrap_start(head.text)
        if begin is None:
            return []
        at = head.split(begin, len(head.text))
        if not at or any(e > at[0][1] for _, e, _ in spans):
            return []
        after = list(self._after(data, end))
        wrap = join_wrap(head.text[begin:], (t for t, _, _ in after))
        if wrap is None:
            return []
        ident = self.lines.ident("livekit-token", wrap.token)
        spans += [(low, high, ident) for _, low, high in at]
        return [((after[k][1], after[k][2]), [(low, high, ident)]) for k, low, high in wrap.pieces]

    def _cuts_label(self, text: str) -> bool:
        """Whether a wrap seems to have cut a label or a value at the end of this line: a value shorter than any
        real one reaches the end, or a label sits in its last characters with no value after it."""
        body = text[: piece_bounds(text)[1]]
        if len(body) < MIN_WRAP_WIDTH:
            return False
        own = placeholder_spans(body)
        spans = [s for s in self.lines.detectors.find(body) if not (own and inside_placeholder(s, own))]
        if any(s.end >= len(body) and s.end - s.start < MIN_FRAGMENT for s in spans):
            return True
        low = body.lower()
        after = max((s.end for s in spans), default=0)
        return any(low.rfind(gate) >= max(after, len(low) - 24) for gate in self._tail_gates)

    def _runs_out(self, text: str, data: bytes, end: int) -> bool:
        """Whether this line may go on past the block's end, so the next block must be read first."""
        count = 0
        width = len(text) - prefix_length(text)
        wide = width >= MIN_WRAP_WIDTH
        token = wrap_start(text) is not None
        for line, _, _ in self._after(data, end):
            count += 1
            start, stop = piece_bounds(line)
            wide = wide and (start == stop or len(line) - start == width)
            token = token and not line[start:stop].strip(RUN_CHARS)
            if not (wide or token):
                return False
        return count < MAX_WRAP_LINES and (wide or token)

    def _refragment(self, data: bytes) -> bytes:
        """Values first met in this block may have pieces on lines already passed: replace those as well."""
        fragments = self.table.fragments
        if not fragments.may_hold(data):
            return data
        errors = self.reader.errors
        out: list[bytes] = []
        pos = 0
        for start in sorted({line_bounds(data, hit)[0] for hit in fragments.hit_offsets(data)}):
            end = line_bounds(data, start)[1]
            body, cr = split_ending(data[start:end])
            text = body.decode("utf-8", errors)
            new = self.lines.redact(text, detect=False)
            if new != text:
                out += [data[pos:start], new.encode("utf-8", errors) + cr]
                pos = end
        out.append(data[pos:])
        return b"".join(out)

    def _after(self, data: bytes, end: int) -> Iterator[tuple[str, int, int]]:
        """The lines after the one that ends at `end`, decoded one at a time: (text, start, end)."""
        pos = end + 1
        for _ in range(MAX_WRAP_LINES):
            if pos >= len(data):
                return
            stop = data.find(b"\n", pos)
            stop = len(data) if stop == -1 else stop
            yield split_ending(data[pos:stop])[0].decode("utf-8", self.reader.errors), pos, stop
            pos = stop + 1

    def report(self, check: Check = "none") -> RedactionReport:
        distinct = self.table.distinct()
        kinds = tuple(
            KindCount(kind=kind, occurrences=count, distinct=distinct[kind])
            for kind, count in sorted(self.lines.occurrences.items())
        )
        return RedactionReport(
            profile=self.options.profile.value,
            lines=self.line_count,
            lines_changed=self.lines_changed,
            redactions=sum(self.lines.occurrences.values()),
            kinds=kinds,
            check=check,
        )


def verify(stream: BinaryIO, table: PlaceholderTable, options: RedactOptions, most: int = 10) -> list[Finding]:
    """The fail-closed pass: re-read written output and list what is still secret (the first `most` findings):
    detector hits, stricter shapes, and any piece of 16 or more characters of a value that was redacted."""
    try:
        reader = BlockReader(stream)
    except LoglensError as exc:
        if exc.message == "the input is empty":
            return []
        raise
    checker = Checker(options.detectors(), options.rules, table.fragments, reader.errors)
    return list(islice(checker.scan(reader), most))


def redact_bytes(data: bytes, options: RedactOptions | None = None) -> tuple[bytes, Redaction]:
    """Redact a whole log held in memory (tests, small inputs); the `Redaction` holds the report and the table."""
    run = Redaction(BlockReader(io.BytesIO(data)), options)
    return b"".join(run), run
