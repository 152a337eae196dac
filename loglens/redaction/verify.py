"""The leftover check: find what is still secret in a text, and say where and what kind, never the value.

`loglens check` runs it over a log as it is; after redaction it runs over the written output with the
fragments of every redacted value (the fail-closed pass), and a finding means the output is not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import BinaryIO, Literal

from loglens.cuttoken import join_wrap, wrap_start
from loglens.detectors import CREDENTIALS, DETECTORS, STRICT_DETECTORS, Detector, DetectorSet, Span
from loglens.errors import EmptyInput, ExitCode, LoglensError
from loglens.fixedwidth import wrap_pieces
from loglens.freetext import Said, continuation, said_at_end
from loglens.independent import claim_runs, continued_runs, encoded_runs, placeholder_runs
from loglens.logical import MAX_LINES, ends_every_walk, extend
from loglens.memo import KnownRows
from loglens.paste import Joined, piece_bounds, split_bare_cr
from loglens.redaction.blocks import (
    Block,
    BlockReader,
    Hidden,
    hidden_hint,
    line_bounds,
    line_start,
    lines_after,
    split_ending,
)
from loglens.redaction.fingerprints import Fingerprints
from loglens.redaction.fragments import FragmentIndex, text_fragments
from loglens.redaction.placeholders import (
    PlaceholderTable,
    inside_placeholder,
    placeholder_residue,
    placeholder_spans,
    redacted_before,
)
from loglens.redaction.rules import RedactOptions, Rules
from loglens.redaction.scan import BlockScreen
from loglens.redaction.unwrap import FixedWraps

# what a next line that ends every walk (`logical.ends_every_walk`) starts with, told from its bytes: a frame or a
# footer (a `[` or `<color` line ends them only when it opens a Convai entry, which its text tells)
_OPENS = (b"UnityEngine.", b"System.", b"(Filename: ")
JOIN_LOOK = 8  # following lines `check` joins to a line that shows nothing alone: enough to show a cut value


# how a secret that no detector sees on its line as it stands was found: in the line joined with the ones that
# continue it, as a piece of a value redacted elsewhere, by the checks that do not rely on the detectors (a
# token's claims, a run that continues a placeholder, an encoded token), or in raw bytes the decoding hides
Detail = Literal["wrapped", "fragment", "claims", "continued", "encoded"] | Hidden
Found = tuple[str, Detail | None]  # a kind and how it was found


@dataclass(frozen=True, slots=True)
class Finding:
    """A secret still in a text: where, what kind, and how it was found (`detail`, None for a plain match).
    Never the value."""

    line: int
    kind: str
    detail: Detail | None = None
    # for `check`'s baseline and inline allow: its id (`fingerprints`: never a value, nor a way back to one; empty
    # when the run does not ask for ids), whether the line's
    # `loglens: allow` excuses it, and whether the line carries a mark that may not excuse it (see `allow_mark`).
    # None takes part in equality, so the re-scan after redaction compares as before.
    fingerprint: str = field(default="", compare=False)
    marked: bool = field(default=False, compare=False)
    mark_refused: bool = field(default=False, compare=False)

    @property
    def label(self) -> str:
        """The kind as reports show it, with how it was found: `livekit-token (wrapped)`."""
        return f"{self.kind} ({self.detail})" if self.detail else self.kind


ALLOW_MARK = "loglens: allow"
# what a mark in the log never excuses, only a baseline does: credentials (whatever the independent checks find is
# one of these) and what people typed, where the mark itself may be what they typed
NOT_EXCUSED = CREDENTIALS | {"player-text", "transcript"}
_MARK_AT_END = re.compile(r"loglens: allow[)*/>-]{0,3}\s*$")


def allow_mark(text: str, spans: Iterable[Span]) -> bool:
    """Whether a line's `loglens: allow` is the annotation a person added, not log data: it ends the line, and sits
    neither inside a detected value (the text after `Sent user text message:` runs to the end of the line) nor
    inside a quoted string."""
    found = _MARK_AT_END.search(text) if ALLOW_MARK in text else None
    if found is None:
        return False
    at = found.start()
    return text.count('"', 0, at) % 2 == 0 and not any(s.start <= at < s.end for s in spans)


def _findings(
    line: int, kinds: list[Found], text: str, honoured: bool, prints: Fingerprints | None, spans: list[Span]
) -> list[Finding]:
    """The findings of one line with their ids; the line's mark, when `allow_mark` honours it, excuses only the
    kinds a mark may excuse, and any other finding on a line that says `loglens: allow` is counted as refused. A
    line's id is worked out once per kind (and how it was found on it), not per finding: one long line can hold
    thousands. A finding the line's own spans do not show (found joined, or by a check of its own) takes the whole
    line as its value."""
    marked = ALLOW_MARK in text
    ids: dict[tuple[str, bool], str] = {}
    found: list[Finding] = []
    for kind, detail in kinds:
        own = detail is None
        if prints is not None and (kind, own) not in ids:
            ids[kind, own] = prints.of(kind, text, spans if own else None)
        excused = honoured and kind not in NOT_EXCUSED
        found.append(Finding(line, kind, detail, ids.get((kind, own), ""), excused, not excused and marked))
    return found


@dataclass
class Checker:
    """Looks for anything secret-shaped left in a text: detectors, stricter shapes, user rules, and (for the
    fail-closed pass after redaction) fragments of every value that was redacted."""

    detectors: tuple[Detector, ...] = DETECTORS
    rules: Rules = field(default_factory=Rules)
    fragments: FragmentIndex | None = None
    errors: str = "surrogateescape"
    independent: bool = True  # also run the checks that do not rely on the detectors (loglens.independent)
    prints: Fingerprints | None = None  # the findings' ids, for `check`; none for the re-scan after redaction
    # the rows the rewrite's screen found nothing in: the same rows, screened alike, need no second search
    known: KnownRows | None = None

    def __post_init__(self) -> None:
        self._set = DetectorSet((*self.detectors, *STRICT_DETECTORS, *self.rules.extra))
        self._screen = BlockScreen(self._set, self.errors, self.known)
        self._wraps = FixedWraps(self._set)  # the widths a wrap cut earlier lines to, as redaction keeps them
        self._said: Said | None = None  # the free text the last block ended in

    def line(self, text: str) -> list[Found]:
        """The secrets left in one line (placeholders and allowed values do not count)."""
        kinds: list[Found] = [(span.kind, None) for span in self._kept(text)]
        if not kinds and (cut := split_bare_cr(text)):  # a bare CR or an HTML break tag cut the line
            kinds = [(span.kind, "wrapped") for span in self._kept(Joined.of([text], cut).text)]
        if self.fragments:
            found = text_fragments(self.fragments, text, self.errors)
            kinds += [(self.fragments.kinds[i], "fragment") for _, _, i in found]
        return kinds

    def _kept(self, text: str) -> list[Span]:
        """The detectors' spans in `text` that are not `_ignored`; its placeholders are found once for them all."""
        own = placeholder_spans(text)
        return [span for span in self._set.find(text) if not self._ignored(text, span, own)]

    def _ignored(self, text: str, span: Span, own: list[tuple[int, int]]) -> bool:
        if inside_placeholder(span, own):
            return True
        value = span.value(text)
        if self.rules.allows(value, span.kind):
            return True
        return "<" in value and not placeholder_residue(value)

    def block(self, block: Block) -> list[Finding]:
        data = block.data
        rows: dict[int, int] = {}
        lines = self._screen.lines(data, self.fragments, rows)
        findings: list[Finding] = []
        if self._said is not None:  # the last block ended inside a message: its first lines may go on with it
            findings += self._continued(data, -1, block.first_line, self._said)
        for start in sorted(lines):
            number = block.first_line + rows[start]
            text = split_ending(data[start : lines[start]])[0].decode("utf-8", self.errors)
            kinds = self.line(text)
            if not kinds and wrap_start(text) is not None:
                kinds = self._wrapped(data, lines[start], text)
            if not kinds:
                kinds = self._joined(data, lines[start], text)
            marked = bool(kinds) and ALLOW_MARK in text and allow_mark(text, self._set.find(text))
            findings += self._findings(number, kinds, text, marked)
            said = self._said_in(text)
            # from text a player typed, not from its placeholder: in a redacted copy, pieces of a redacted value
            # may have replaced the frame that ended the message, and the lines after it would read as its own
            if said is not None and not placeholder_spans(text[said.start : said.end]):
                findings += self._continued(data, lines[start], number + 1, said)
        if self.independent:
            findings += self._independent(block, {f.line for f in findings})
        # secrets in raw bytes that the decoding hid (a run whose encoding could not be told apart)
        findings += hidden_findings(block, self.prints)
        return findings

    def _findings(self, line: int, kinds: list[Found], text: str, honoured: bool) -> list[Finding]:
        spans = self._set.find(text) if self.prints is not None else []
        return _findings(line, kinds, text, honoured, self.prints, spans)

    def _independent(self, block: Block, flagged: set[int]) -> list[Finding]:
        """What the checks that do not rely on the detectors find, on lines not flagged already.

        Each finding carries its line's fingerprint like any other, so a baseline covers it; a `loglens: allow`
        never does (these are all credentials); line numbers are counted once, walking the hits in order.
        """
        data = block.data
        checks: tuple[tuple[str, Detail, Iterable[int]], ...] = (
            ("livekit-token", "claims", claim_runs(data)),
            ("livekit-token", "continued", continued_runs(data)),
            ("secret", "continued", placeholder_runs(data)),
            ("livekit-token", "encoded", encoded_runs(data)),
        )
        hits = sorted((pos, kind, how) for kind, how, offsets in checks for pos in offsets)
        found: list[Finding] = []
        line, counted = block.first_line, 0
        for pos, kind, how in hits:
            line += data.count(b"\n", counted, pos)
            counted = pos
            if line in flagged:
                continue
            flagged.add(line)
            start, end = line_bounds(data, pos)
            text = split_ending(data[start:end])[0].decode("utf-8", self.errors)
            found += self._findings(line, [(kind, how)], text, False)
        return found

    def _continued(self, data: bytes, end: int, number: int, said: Said) -> list[Finding]:
        """The lines after the one that ends at `end` (line `number` the first of them) that go on with the free
        text it ended in (`loglens.freetext`) and show more of it than placeholders. A message that runs to the
        block's end is carried into the next block."""
        found: list[Finding] = []
        count, last = 0, False
        for text, piece in continuation(said, (t for t, _, _ in lines_after(data, end, self.errors, len(data)))):
            shown = text[piece.start : piece.end]
            own = placeholder_spans(shown)
            for start, stop in reversed(own):
                shown = shown[:start] + shown[stop:]
            if shown.strip() and own:
                break  # redaction rewrote this line but not as the message's: the message ended above it
            if shown.strip():
                found += self._findings(number + count, [(said.kind, "continued")], text, False)
            count, last = count + 1, piece.last
        else:
            ends = not last and line_start(data, end + 1, count) >= len(data)
            self._said = said if ends else None
            return found
        self._said = None
        return found

    def _said_in(self, text: str) -> Said | None:
        return said_at_end(text, [(s.start, s.end, s.kind) for s in self._set.find(text)])

    def _wrapped(self, data: bytes, end: int, text: str) -> list[Found]:
        begin = wrap_start(text)
        if begin is None:
            return []
        lines = (line for line, _, _ in lines_after(data, end, self.errors, MAX_LINES))  # no copy of the block
        if join_wrap(text[begin:], lines, text) is not None:
            return [("livekit-token", "wrapped")]
        return []

    def _joined(self, data: bytes, end: int, text: str) -> list[Found]:
        """Kinds of what this line shows once joined with the lines that continue it (`loglens.logical`)."""
        if data.startswith(_OPENS, end + 1):
            return []  # the next line opens an entry: nothing to join, and nothing to decode
        after = data.find(b"\n", end + 1)
        nxt = data[end + 1 : len(data) if after == -1 else after].rstrip(b"\r")
        if text.endswith(")") and nxt.endswith(b")") and b" (" in nxt:
            return []  # a stack frame after a frame (`logical.extend` would say the same, after decoding)
        stop = end
        for _ in range(JOIN_LOOK):  # the window of the next lines only: slicing the rest of a block costs more
            stop = data.find(b"\n", stop + 1)
            if stop == -1:
                stop = len(data)
                break
        following = data[end + 1 : stop].split(b"\n")
        rows = [split_ending(raw)[0].decode("utf-8", self.errors) for raw in following[:2]]
        if ends_every_walk(*rows):
            return []  # neither walk takes the next line (nor, past a blank, the one after it)
        rest = (split_ending(raw)[0].decode("utf-8", self.errors) for raw in following[2:])
        walk = extend(text, chain(rows, rest), self._find)
        joined = walk.joined().text if walk.count else self._fixed(data, end, text)
        if joined is None:
            return []
        kinds = {span.kind for span in self._kept(joined)}
        return [(kind, "wrapped") for kind in sorted(kinds)]

    def _fixed(self, data: bytes, end: int, text: str) -> str | None:
        """`text` joined with the lines a fixed-width hard wrap cut from it, as redaction joins them (`FixedWraps`:
        an ICE candidate cut inside its address at 33 columns shows the address only so); None when none."""
        after = (row for row, _, _ in lines_after(data, end, self.errors, MAX_LINES))
        nxt = next(after, None)
        if nxt is None or ends_every_walk(nxt):
            return None
        rows = [nxt]  # the lines the walk read, each decoded once, as far as it went

        def texts() -> Iterator[str]:
            yield nxt
            for row in after:
                rows.append(row)
                yield row

        first = split_bare_cr(text) or [(0, 0, piece_bounds(text)[1])]
        count = self._wraps.take(text, first, texts(), nxt)
        if not count:
            return None
        group = [text, *rows[:count]]
        return Joined.of(group, [*first, *wrap_pieces(group)[1:]]).text

    def _find(self, text: str) -> list[tuple[int, int, str]]:
        """The evidence `logical.extend` weighs: every span (an allowed value still ends where it ends) except
        loglens's own placeholders and values that begin with one (redacted before, and ended there)."""
        own = placeholder_spans(text)
        return [(s.start, s.end, s.kind) for s in self._set.find(text) if not (own and redacted_before(s, own))]

    def scan(self, blocks: Iterable[Block]) -> Iterator[Finding]:
        for block in blocks:
            yield from self.block(block)


def check_stream(stream: BinaryIO, rules: Rules | None = None, prints: Fingerprints | None = None) -> Iterator[Finding]:
    """Every secret left in a log, in line order, with ids from `prints` (none without). An empty input is clean;
    binary data is refused."""
    try:
        reader = BlockReader(stream)
    except EmptyInput:
        return iter(())
    checker = Checker(rules=rules or Rules(), errors=reader.errors, prints=prints)
    return checker.scan(reader)


def hidden_findings(block: Block, prints: Fingerprints | None = None) -> list[Finding]:
    """The secrets the raw-byte checks saw in a block's bytes where its decoding hides them (an id of their kind
    only: the line is not read)."""
    return [Finding(line, kind, how, prints.of(kind, "", None) if prints else "") for line, kind, how in block.hidden]


class LeakFound(LoglensError):
    """The fail-closed check found a secret in what redaction produced."""

    def __init__(self, finding: Finding, what_happened: str) -> None:
        super().__init__(
            f"redaction self-check failed: line {finding.line} of the output still holds a {finding.label}"
            f"{hidden_hint(finding.detail)}; "
            f"{what_happened}",
            ExitCode.FINDINGS,
        )
        self.finding = finding


def verify(
    stream: BinaryIO, table: PlaceholderTable, options: RedactOptions, most: int = 10, known: KnownRows | None = None
) -> list[Finding]:
    """The fail-closed pass: re-read written output and list what is still secret (the first `most` findings):
    detector hits, stricter shapes, and any piece of 16 or more characters of a value that was redacted. `known`:
    the rows the rewrite's block screen found nothing in (`BlockScreen.known`), which a screen set up alike takes
    as they are; every row picked, every fragment and every independent check is looked at as before."""
    try:
        reader = BlockReader(stream)
    except EmptyInput:
        return []
    checker = Checker(options.detectors(), options.rules, table.fragments, reader.errors, known=known)
    return list(islice(checker.scan(reader), most))
