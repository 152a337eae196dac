"""The walk that groups a line with the lines after it that go on with it, for redaction: a line a ticket system
or a terminal broke at a fixed width (`loglens.fixedwidth`), a logical line (`loglens.logical.extend`), a token cut
at a line's end (`loglens.cuttoken`), the further lines of what a player typed (`loglens.freetext`). Every piece of
a value gets that value's placeholder; `Redaction` writes the lines back one by one."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from loglens.cuttoken import join_wrap, wrap_start
from loglens.detectors import DetectorSet
from loglens.fixedwidth import wrap_pieces, wrapped_counts
from loglens.freetext import MAX_LINES as MAX_SAID_LINES
from loglens.freetext import Said, continuation, said_at_end
from loglens.logical import (
    MAX_LINES,
    MIN_WIDTH,
    RUN_CHARS,
    Piece,
    ends_every_walk,
    extend,
    is_complete,
    reads_as_prose,
)
from loglens.paste import Joined, piece_bounds, prefix_length, split_bare_cr
from loglens.redaction.blocks import BlockReader, lines_after, split_ending
from loglens.redaction.fragments import MIN_FRAGMENT
from loglens.redaction.lines import LineRedactor, Span3
from loglens.redaction.placeholders import inside_placeholder, placeholder_spans, redacted_before
from loglens.redaction.rules import RedactOptions

Group = tuple[tuple[int, int], list[Span3]]  # a line a group takes: its (start, end) in the block, its forced spans
Link = tuple[list[Span3], list[Group]]  # a line's own spans and the lines it takes


class Unwrapper:
    """The lines each line of a block takes with it (`chain`), and whether a line may go on past the block's end
    (`runs_out`). The lines a fixed-width wrap cut are `FixedWraps`'s to tell."""

    def __init__(self, reader: BlockReader, options: RedactOptions, lines: LineRedactor) -> None:
        self.reader = reader
        self.options = options
        self.lines = lines
        self.wraps = FixedWraps(lines.detectors)

    def chain(
        self, start: int, text: str, spans: list[Span3], data: bytes, end: int, near_end: Callable[[int], bool]
    ) -> dict[int, Link] | None:
        """The lines a line takes (`_unwrap`), then the lines the last of them takes in turn, and so on: each link's
        own spans and group by its start. None when the chain reaches the block's last lines and may go on past
        its end (`runs_out`): the next block must be read first, for the whole chain, before any of it is written.
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
            if near_end(start) and self.runs_out(text, data, end):
                return None

    def _unwrap(self, text: str, spans: list[Span3], data: bytes, end: int) -> list[Group]:
        """Rejoin a line that a ticket system or a terminal broke at a fixed width, or a token cut at its end.

        Adds this line's spans to `spans` and returns, for each following line that belongs to it, its (start,
        end) and its forced spans: every piece of a value gets that value's placeholder.
        """
        cut = split_bare_cr(text)
        first = cut or [(0, 0, piece_bounds(text)[1])]
        head = Joined.of([text], first)
        said = said_at_end(text, self._find(text))
        if said is not None:  # what was said ends where `loglens.freetext` says: no wrap's evidence carries it on
            return self._said(said, text, spans, data, end)
        ahead = [t for t, _, _ in self._after(data, end, 2)]
        nxt = ahead[0] if ahead else None
        count = 0
        if nxt is None or not ends_every_walk(*ahead):  # else neither walk would take the next line
            if found := self._logical(text, first, spans, data, end):
                return found  # what joining the next lines shows: the evidence that they continue this one
            count = self.wraps.take(text, first, (t for t, _, _ in self._after(data, end)), nxt)
        if count:
            following = list(islice(self._after(data, end), count))
            group = [text, *(t for t, _, _ in following)]
            joined = Joined.of(group, [*first, *wrap_pieces(group)[1:]])
            per_line: list[list[Span3]] = [[] for _ in group]
            for s, e, ident in self.lines.detect(joined.text):
                for k, low, high in joined.split(s, e):
                    per_line[k].append((low, high, ident))
            spans.extend(per_line[0])
            return [((s, e), per_line[k + 1]) for k, (_, s, e) in enumerate(following)]
        return self._cut_token(head, text, spans, data, end)

    def _cut_token(self, head: Joined, text: str, spans: list[Span3], data: bytes, end: int) -> list[Group]:
        """The lines after this one that hold the rest of a token cut at its end (`cuttoken.join_wrap`): each piece
        gets the token's placeholder."""
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

    def runs_out(self, text: str, data: bytes, end: int) -> bool:
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

    def _after(self, data: bytes, end: int, most: int = MAX_LINES) -> Iterator[tuple[str, int, int]]:
        """The lines after the one that ends at `end`, decoded one at a time: (text, start, end)."""
        return lines_after(data, end, self.reader.errors, most)


class FixedWraps:
    """The lines a fixed-width hard wrap cut from a line (`take`), for redaction and `check` alike, so that both
    join the same lines. Remembers the widths a wrap cut earlier lines of the file to: evidence for the later ones.
    """

    def __init__(self, detectors: DetectorSet) -> None:
        self.detectors = detectors
        self.widths: set[int] = set()
        self._tail_gates = tuple(g for g in detectors.literal_gates if len(g) > 2)

    def take(self, text: str, first: list[Piece], following: Iterable[str], nxt: str | None) -> int:
        """How many of the `following` lines (`nxt` the first of them) go on with `text`, whose own pieces are
        `first` (more than one where a bare CR cut it): lines of the width of its last piece (`wrapped_counts`),
        or one more line where a label or the start of a value runs into the cut (`cuts_label`), that line being
        no sentence of its own (`ICE ufrag changed` then `Reconnecting now`)."""
        last = text[first[-1][1] :]
        widths = self.widths
        if len(first) > 1 and first[0][2] - first[0][1] == len(last):
            widths = widths | {len(last)}  # the pieces a bare CR cut are evidence of the width
        count, loose = wrapped_counts(last, following, widths)
        if count:
            self.widths.add(len(last) - prefix_length(last))
            return count
        if loose and self.cuts_label(last) and not (nxt is not None and reads_as_prose(nxt, piece_bounds(nxt)[0])):
            return loose
        return 0

    def cuts_label(self, text: str) -> bool:
        """Whether a wrap seems to have cut a label or a value at the end of this line: a value shorter than any
        real one reaches the end, or a label sits in its last characters with no value after it."""
        body = text[: piece_bounds(text)[1]]
        if len(body) < MIN_WIDTH:
            return False
        own = placeholder_spans(body)
        spans = [s for s in self.detectors.find(body) if not (own and inside_placeholder(s, own))]
        short = (s for s in spans if s.end >= len(body) and s.end - s.start < MIN_FRAGMENT)
        if any(not is_complete(s.kind, s.value(body)) for s in short):  # `bob@studio.io` ends where it is whole
            return True
        after = max((s.end for s in spans), default=0)
        tail = body[max(after, len(body) - 24) :].lower()  # a gate that starts there lies wholly within it
        return any(gate in tail for gate in self._tail_gates)
