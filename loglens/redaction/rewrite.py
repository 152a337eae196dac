"""Write a copy of a log that is safe to post: every secret becomes a typed, numbered placeholder.

Streaming, in blocks of whole lines (`blocks.BlockReader`): a block is screened at C speed, only the lines a
gate points at are decoded and rewritten, and every other byte goes out exactly as it came in (line endings, the
BOM, undecodable bytes, colors, JSON layout). The same value is the same placeholder everywhere, whatever form
it takes (JSON-escaped, URL-encoded, a piece of 16 or more characters, a line broken by a hard wrap), so a reader
can still see that one token was reused. Nothing here writes a file: callers get bytes and a report, and
`verify.verify` re-reads what they wrote (the fail-closed pass).
"""

from __future__ import annotations

import heapq
import io
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Literal

from loglens.cuttoken import join_wrap, wrap_start
from loglens.fixedwidth import wrap_pieces, wrapped_counts
from loglens.freetext import MAX_LINES as MAX_SAID_LINES
from loglens.freetext import Said, continuation, said_at_end
from loglens.logical import (
    MAX_CHARS,
    MAX_LINES,
    MIN_WIDTH,
    RUN_CHARS,
    ends_every_walk,
    extend,
    is_complete,
)
from loglens.models import Frozen
from loglens.paste import Joined, piece_bounds, prefix_length, split_bare_cr
from loglens.redaction.blocks import (
    Block,
    BlockReader,
    Hidden,
    RunWriter,
    last_lines,
    line_bounds,
    line_start,
    lines_after,
    split_ending,
)
from loglens.redaction.fragments import MIN_FRAGMENT
from loglens.redaction.lines import LineRedactor, Span3
from loglens.redaction.placeholders import PlaceholderTable, inside_placeholder, placeholder_spans, redacted_before
from loglens.redaction.rules import RedactOptions
from loglens.redaction.scan import BlockScreen
from loglens.redaction.verify import Checker, LeakFound, hidden_findings


class KindCount(Frozen):
    kind: str
    occurrences: int
    distinct: int


Check = Literal["each-block", "after-writing", "none"]
Group = tuple[tuple[int, int], list[Span3]]  # a line a group takes: its (start, end) in the block, its forced spans
Link = tuple[list[Span3], list[Group]]  # a line's own spans and the lines it takes


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
    finding, only lines well before it are handed out (see `_checked`) and `LeakFound` is raised (what writing to
    stdout needs). As `text`, the output is UTF-8 whatever encodings the input's runs were in, with no BOM (what a
    terminal is shown); else each run goes back in its own encoding.
    """

    def __init__(
        self,
        reader: BlockReader,
        options: RedactOptions | None = None,
        table: PlaceholderTable | None = None,
        *,
        check_each_block: bool = False,
        text: bool = False,
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
        self._writer = RunWriter(reader, text=text)
        self._text = text
        self._held, self._held_first = b"", 1  # checked output not yet handed out (`_checked`)
        self._tail_gates = tuple(g for g in self.lines.detectors.literal_gates if len(g) > 2)

    def __iter__(self) -> Iterator[bytes]:
        encoding = self.reader.encoding
        if encoding.bom and not self._text:
            yield encoding.bom
        blocks = iter(self.reader)
        pending = next(blocks, None)
        carry, carry_line = b"", 1
        while pending is not None:
            self._lone_cr.update(pending.lone_cr)
            self._writer.add(pending)
            following = next(blocks, None)
            data = carry + pending.data if carry else pending.data
            first = carry_line if carry else pending.first_line
            out, cut = self._block(data, first, final=following is None)
            if self.checker is None:
                if pending.hidden:  # the decoding hid a secret no rewrite can reach: without a check, stop here
                    raise LeakFound(hidden_findings(pending)[0], "nothing from that block on was written")
                yield self._encode(out, first)
            else:
                yield from self._checked(out, first, pending.hidden)
            newlines = data.count(b"\n", 0, cut)
            self.line_count = first - 1 + newlines + (1 if cut and data[cut - 1 : cut] != b"\n" else 0)
            carry, carry_line = data[cut:], first + newlines
            pending = following
        if self._held:
            yield self._encode(self._held, self._held_first)
        yield self._writer.finish()
        if self.reader.trailing and not self._text:
            yield self.reader.trailing

    def _checked(self, out: bytes, first: int, hidden: tuple[tuple[int, str, Hidden], ...]) -> Iterator[bytes]:
        """Check a rewritten block, then hand out what is safe: the last `MAX_LINES` checked lines stay held, since
        a wrapped value a later line shows may have begun there; on a finding, none of them goes out either."""
        leaks = self.checker.block(Block(out, first, hidden=hidden)) if self.checker else []
        data, start = (self._held + out, self._held_first) if self._held else (out, first)
        if leaks:
            finding = min(leaks, key=lambda f: f.line)
            yield self._encode(data[: line_start(data, 0, finding.line - start - MAX_LINES)], start)
            self._held = b""
            raise LeakFound(finding, f"the output stops at least {MAX_LINES} lines before that line")
        rows = data.count(b"\n")
        keep = line_start(data, 0, rows - MAX_LINES)
        if keep:
            yield self._encode(data[:keep], start)
        self._held, self._held_first = data[keep:], start + data.count(b"\n", 0, keep)

    def _encode(self, out: bytes, first: int) -> bytes:
        return self._writer.encode(out, first, self._put_back_cr if self._lone_cr else None)

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
        links: dict[int, Link] = {}  # the last line of each group of a chain unwrapped at its first line
        out: list[bytes] = []
        pos, previous = 0, -1
        errors = self.reader.errors
        # only a line among the last ones can run out (one walk takes at most MAX_LINES lines); a line before them
        # whose group ends among them is looked at there (`_chain`)
        tail = len(data) if final else last_lines(data, MAX_LINES + 1)

        def near_end(start: int) -> bool:
            return start >= tail and len(data) - start < MAX_CHARS * 2

        while heap:
            start = heapq.heappop(heap)
            if start <= previous:
                continue
            previous = start
            end = lines[start]
            body, cr = split_ending(data[start:end])
            text = body.decode("utf-8", errors)
            spans = forced.pop(start, [])
            group: list[Group] = []
            if start in links:  # the last line of a group may go on into the next lines: unwrapped already
                spans, group = links.pop(start)
            elif start not in grouped:
                runs_out = near_end(start) and self._runs_out(text, data, end)
                chain = None if runs_out else self._chain(start, text, spans, data, end, near_end)
                if chain is None:  # this line or one its chain takes runs out: read the rest with the next block
                    out.append(data[pos:start])
                    return self._refragmented(out, known), start
                links.update(chain)
                spans, group = links.pop(start)
            for (s, e), pieces in group:
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
        return self._refragmented(out, known), len(data)

    def _refragmented(self, out: list[bytes], known: int) -> bytes:
        """The rewritten lines of a block, with the pieces of values first met in it (the table held `known`
        values before it) replaced on the lines already passed as well."""
        rewritten = b"".join(out)
        return self._refragment(rewritten) if len(self.table) > known else rewritten

    def _chain(
        self, start: int, text: str, spans: list[Span3], data: bytes, end: int, near_end: Callable[[int], bool]
    ) -> dict[int, Link] | None:
        """The lines a line takes (`_unwrap`), then the lines the last of them takes in turn, and so on: each link's
        own spans and group by its start. None when the chain reaches the block's last lines and may go on past
        its end (`_runs_out`): the next block must be read first, for the whole chain, before any of it is written.
        """
        chain: dict[int, Link] = {}
        while True:
            group = self._unwrap(text, spans, data, end)
            chain[start] = (spans, group)
            if not group:
                return chain
            (start, end), pieces = group[-1]
            text = split_ending(data[start:end])[0].decode("utf-8", self.reader.errors)
            spans = list(pieces)
            if near_end(start) and self._runs_out(text, data, end):
                return None

    def _unwrap(self, text: str, spans: list[Span3], data: bytes, end: int) -> list[Group]:
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
        said = said_at_end(text, self._find(text))
        if said is not None:  # what was said ends where `loglens.freetext` says: no wrap's evidence carries it on
            return self._said(said, text, spans, data, end)
        nxt = next(self._after(data, end, 1), None)
        if nxt is not None and ends_every_walk(nxt[0]):
            count = loose = 0  # neither walk would take the next line
        elif found := self._logical(text, first, spans, data, end):
            return found  # what joining the next lines shows: the evidence that they continue this one
        else:
            count, loose = wrapped_counts(last, (t for t, _, _ in self._after(data, end)), widths)
        cut_label = False
        if not count:  # a label, or the start of a value, runs into the cut: one more line is evidence enough
            # asked only when that line is there to take, and it is no sentence of its own (`ICE ufrag changed`
            # then `Reconnecting now`)
            cut_label = (
                bool(loose) and self._cuts_label(last) and not (nxt and reads_as_prose(nxt[0], piece_bounds(nxt[0])[0]))
            )
            count = loose if cut_label else 0
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
        after: list[tuple[str, int, int]] = []  # the lines the walk read, each decoded once, as far as it went

        def texts() -> Iterator[str]:
            for row in self._after(data, end):
                after.append(row)
                yield row[0]

        wrap = join_wrap(head.text[begin:], texts(), text)
        if wrap is None:
            return []
        ident = self.lines.ident("livekit-token", wrap.token)
        spans += [(low, high, ident) for _, low, high in at]
        return [((after[k][1], after[k][2]), [(low, high, ident)]) for k, low, high in wrap.pieces]

    def _said(self, said: Said, text: str, spans: list[Span3], data: bytes, end: int) -> list[Group]:
        """The lines after this one that go on with the free text it ends in (`loglens.freetext`): the whole message
        is one value, and each line's piece of it gets its placeholder."""
        if self.options.rules.allows(text[said.start : said.end], said.kind):
            return []
        rows: list[tuple[str, int, int]] = []  # the lines `continuation` read, each decoded once

        def texts() -> Iterator[str]:
            for row in self._after(data, end, MAX_SAID_LINES):
                rows.append(row)
                yield row[0]

        taken = list(continuation(said, texts()))
        if not taken:
            return []
        value = "\n".join([text[said.start : said.end], *(line[p.start : p.end] for line, p in taken)])
        ident = self.lines.ident(said.kind, value)
        spans.append((said.start, said.end, ident))
        return [
            ((a, b), [(p.start, p.end, ident)] if p.end > p.start else [])
            for (_, a, b), (_, p) in zip(rows[: len(taken)], taken, strict=True)
        ]

    def _logical(self, text: str, first: list[Span3], spans: list[Span3], data: bytes, end: int) -> list[Group]:
        """The lines after this one that continue it as one logical line (`loglens.logical`), with the spans of
        the joined text put on every piece they cover."""
        walk = extend(text, (t for t, _, _ in self._after(data, end)), self._find, first)
        if not walk.count:
            return []
        joined = walk.joined()
        per_line: list[list[Span3]] = [[] for _ in range(walk.count + 1)]
        for s, e, ident in self.lines.detect(joined.text):
            for k, low, high in joined.split(s, e):
                per_line[k].append((low, high, ident))
        spans.extend(per_line[0])
        after = islice(self._after(data, end), walk.count)
        return [((start, stop), per_line[k + 1]) for k, (_, start, stop) in enumerate(after)]

    def _find(self, text: str) -> list[tuple[int, int, str]]:
        """Detector spans outside loglens's own placeholders: the evidence `logical.extend` weighs."""
        own = placeholder_spans(text)
        if not own:
            return [(s.start, s.end, s.kind) for s in self.lines.detectors.find(text)]
        # a value that begins with a placeholder was redacted before (this is a second pass): it ended there
        return [(s.start, s.end, s.kind) for s in self.lines.detectors.find(text) if not redacted_before(s, own)]

    def _cuts_label(self, text: str) -> bool:
        """Whether a wrap seems to have cut a label or a value at the end of this line: a value shorter than any
        real one reaches the end, or a label sits in its last characters with no value after it."""
        body = text[: piece_bounds(text)[1]]
        if len(body) < MIN_WIDTH:
            return False
        own = placeholder_spans(body)
        spans = [s for s in self.lines.detectors.find(body) if not (own and inside_placeholder(s, own))]
        short = (s for s in spans if s.end >= len(body) and s.end - s.start < MIN_FRAGMENT)
        if any(not is_complete(s.kind, s.value(body)) for s in short):  # `bob@studio.io` ends where it is whole
            return True
        after = max((s.end for s in spans), default=0)
        tail = body[max(after, len(body) - 24) :].lower()  # a gate that starts there lies wholly within it
        return any(gate in tail for gate in self._tail_gates)

    def _runs_out(self, text: str, data: bytes, end: int) -> bool:
        """Whether this line may go on past the block's end, so the next block must be read first."""
        said = said_at_end(text, self._find(text))
        if said is not None:  # every line to the block's end goes on with what was said: the next ones may too
            after = [t for t, _, _ in self._after(data, end, MAX_SAID_LINES)]
            return sum(1 for _ in continuation(said, after)) == len(after)
        if self._walk_runs_out(text, data, end):
            return True
        count = 0
        width = len(text) - prefix_length(text)
        wide = width >= MIN_WIDTH
        token = wrap_start(text) is not None
        for line, _, _ in self._after(data, end):
            count += 1
            start, stop = piece_bounds(line)
            wide = wide and (start == stop or len(line) - start == width)
            token = token and not line[start:stop].strip(RUN_CHARS)
            if not (wide or token):
                return False
        return count < MAX_LINES and (wide or token)

    def _walk_runs_out(self, text: str, data: bytes, end: int) -> bool:
        """Whether the logical walk from this line (`logical.extend`) asks for a line past the block's end: what
        the lines the next block holds show may carry it on (metadata left open, a label at the block's end)."""
        ran_out = False

        def following() -> Iterator[str]:
            nonlocal ran_out
            for line, _, _ in self._after(data, end):
                yield line
            ran_out = True

        extend(text, following(), self._find, split_bare_cr(text) or [(0, 0, piece_bounds(text)[1])])
        return ran_out

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

    def _after(self, data: bytes, end: int, most: int = MAX_LINES) -> Iterator[tuple[str, int, int]]:
        """The lines after the one that ends at `end`, decoded one at a time: (text, start, end)."""
        return lines_after(data, end, self.reader.errors, most)

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


def redact_bytes(data: bytes, options: RedactOptions | None = None) -> tuple[bytes, Redaction]:
    """Redact a whole log held in memory (tests, small inputs); the `Redaction` holds the report and the table."""
    run = Redaction(BlockReader(io.BytesIO(data)), options)
    return b"".join(run), run
