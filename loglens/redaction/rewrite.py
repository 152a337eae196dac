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
from collections.abc import Iterator
from typing import Literal

from loglens.logical import MAX_CHARS, MAX_LINES
from loglens.models import Frozen
from loglens.redaction.blocks import (
    Block,
    BlockReader,
    Hidden,
    RunWriter,
    last_lines,
    line_bounds,
    line_start,
    split_ending,
)
from loglens.redaction.lines import LineRedactor, Span3
from loglens.redaction.placeholders import PlaceholderTable
from loglens.redaction.rules import RedactOptions
from loglens.redaction.scan import BlockScreen
from loglens.redaction.unwrap import Group, Link, Unwrapper
from loglens.redaction.verify import Checker, LeakFound, hidden_findings


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
        rules, known = self.options.rules, self.screen.known
        self.checker = (
            Checker(self.options.detectors(), rules, self.table.fragments, reader.errors, known=known)
            if check_each_block
            else None
        )
        self.line_count = 0
        self.lines_changed = 0
        self._lone_cr: set[int] = set()
        self._writer = RunWriter(reader, text=text)
        self._text = text
        self._held, self._held_first = b"", 1  # checked output not yet handed out (`_checked`)
        self.unwrapper = Unwrapper(reader, self.options, self.lines)

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
        # whose group ends among them is looked at there (`Unwrapper.chain`)
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
                runs_out = near_end(start) and self.unwrapper.runs_out(text, data, end)
                chain = None if runs_out else self.unwrapper.chain(start, text, spans, data, end, near_end)
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
