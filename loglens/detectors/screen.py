"""Detectors compiled together: the gates that screen a line (or a block) before any pattern runs, the spans
found with the first one winning, and `mask`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cached_property

from loglens.detectors.base import Detector, Span
from loglens.detectors.jwt import JWT
from loglens.detectors.predicates import FREE_TEXT, is_placeholder
from loglens.detectors.shapes import BLANK
from loglens.detectors.table import DETECTORS
from loglens.lazyre import Regex, lazy
from loglens.memo import per_line
from loglens.shadows import BASE64_SHAPE, MIN_RUN, base64_runs, bracket_shadow, decoded_shadow, may_escape, windows

MEMO_LINES = 8_192  # distinct short lines whose spans a set remembers (`loglens.memo`: 4 MB of keys at most)


class DetectorSet:
    """Detectors compiled together. Per line, each runs only if one of its gates is in the lowercased text
    (exclusive ones first; the rest look only between their spans). `literal_gates` and `shapes` screen whole
    blocks of lines before any line is looked at."""

    def __init__(self, detectors: Iterable[Detector]) -> None:
        # a detector given twice (the re-scan's strict API-key shape is also a default one) finds the same spans
        # twice: it runs once, where it first stands
        self.detectors = tuple(dict.fromkeys(detectors))
        self.always = any(not d.gates for d in self.detectors)
        screens = {gate for d in self.detectors if not d.shapes for gate in d.screen or d.gates}
        # a gate that contains another gate adds nothing to a screen: any text holding it holds the other
        self.literal_gates = tuple(sorted(g for g in screens if not any(o != g and o in g for o in screens)))
        self.shapes = tuple(sorted({shape for d in self.detectors for shape in d.shapes}))
        self._first = tuple(d for d in self.detectors if d.exclusive)
        self._rest = tuple(d for d in self.detectors if not d.exclusive)
        self._gates = tuple(sorted({gate for d in self._rest for gate in d.gates}))
        # which of the other detectors each gate opens (`_opens`, built at the first line), as bits of their
        # positions: a line costs the gate tests and then only the detectors it opened
        self._ungated = sum(1 << i for i, d in enumerate(self._rest) if not d.gates)
        self._needs = _shared_needs(self._rest)
        # the sets that redact, check and mask with (they find tokens) also read a line's encoded shadows
        self.decodes = any(d is JWT for d in self.detectors)
        if self.decodes:
            self.shapes = (*self.shapes, BASE64_SHAPE)
        # logs repeat their lines (frames, progress, the same Convai line per session), and redaction asks about
        # one line several times (its rewrite, the wrap checks, the re-scan): each distinct short line is found once
        self._memo = per_line(self._found, MEMO_LINES)

    def find(self, text: str) -> list[Span]:
        """Every span, earliest first; where spans overlap the earlier (then longer) one wins. A set that finds
        tokens also reads the line's shadows (`loglens.shadows`): escapes decoded, and its base64 runs decoded; a
        shadow's span that reaches past a line's span it overlaps widens it."""
        return list(self._memo(text))

    def _found(self, text: str) -> tuple[Span, ...]:
        spans = self._decoded(text)
        opened = bracket_shadow(text, is_placeholder) if "<" in text else None
        if opened is not None:  # read once, not again for the brackets it still holds: bounded work per line
            # free text (what a player said) runs to its line's end in either reading: only the shadow's values
            found = (
                Span(*opened.span(s.start, s.end), s.kind)
                for s in self._decoded(opened.text)
                if s.kind not in FREE_TEXT
            )
            extra = [s for s in found if not _inside(s, spans)]
            if extra:
                spans = _merged(spans + extra)
        return tuple(spans)

    def _decoded(self, text: str) -> list[Span]:
        spans = self._plain(text)
        if self.decodes and (len(text) >= MIN_RUN or may_escape(text)):
            extra = [s for s in self._shadowed(text, spans) if not _inside(s, spans)]
            if extra:
                spans = _merged(spans + extra)
        return spans

    def _plain(self, text: str) -> list[Span]:
        lowered = text.lower()
        spans: list[Span] = []
        for detector in self._first:
            if not detector.gates or any(gate in lowered for gate in detector.gates):
                spans += detector.scan(text, 0, len(text), lowered)
        if spans:  # blank out what the exclusive detectors took, keeping every offset
            text, lowered = _blanked(text, spans), _blanked(lowered, spans)
            compact = lowered.replace("\0" * 8, "")
        else:
            compact = lowered
        opened = self.opened(gate_view(compact))
        rest, needs = self._rest, self._needs
        shown: dict[int, bool] = {}  # whether each shape detectors need (`Detector.needs`) is in the line
        while opened:  # in the detectors' order, as before
            low = opened & -opened
            opened ^= low
            index = low.bit_length() - 1
            need = needs[index]
            if need is not None:  # `Detector.lacks_shape`, each shape searched once however many need it
                slot, shape, folded = need
                there = shown.get(slot)
                if there is None:
                    there = shown[slot] = shape.search(lowered if folded else text) is not None
                if not there:
                    continue
            spans += rest[index].scan(text, 0, len(text), lowered)
        return _first_wins(spans)

    @cached_property
    def _opens(self) -> Opens:
        return _grouped([(gate, _bits(self._rest, gate)) for gate in self._gates])

    def opened(self, compact: str) -> int:
        """The detectors past the exclusive ones that `compact` (a line's `gate_view`) opens, as bits of their
        positions: those that have no gate, and those one of whose gates it holds."""
        opened = self._ungated
        for anchor, bits, members in self._opens:
            if anchor in compact:
                opened |= bits
                for gate, more in members:
                    if gate in compact:
                        opened |= more
        return opened

    def _shadowed(self, text: str, spans: list[Span] | None = None) -> Iterator[Span]:
        """Spans of what the line's shadows hold, in the line's offsets: a decoded value where its
        escapes are, a base64 run whole (its kind the first secret in it) unless a span in `spans` touches it."""
        for offset, window in windows(text):
            shadow = decoded_shadow(window)
            if shadow is not None:
                for span in self._plain(shadow.text):
                    start, end = shadow.span(span.start, span.end)
                    yield Span(offset + start, offset + end, span.kind)
        for start, end, pieces in base64_runs(text, [(s.start, s.end) for s in spans or ()]):
            for decoded in pieces:
                inner = self._plain(decoded)
                inner += self._shadowed(decoded) if not inner and "%" in decoded else ()
                if inner:
                    yield Span(start, end, inner[0].kind)
                    break


# what a fixed label's space may be in a paste (`fixed_label`): a run of blanks, a no-break space, a byte that is
# no UTF-8; the gates are written with one space
_GATE_BLANKS = lazy(BLANK + "{2,}|[^\\S ]|[\\udc80-\\udcff\\ufffd]")


def gate_view(lowered: str) -> str:
    """A line's lowercase text as its gates are looked for in it: every run of blanks one space, as the detectors'
    fixed labels read it (`fixed_label`). Offsets are not kept: only whether a gate is there counts."""
    if lowered.isascii() and "  " not in lowered and "\t" not in lowered:
        return lowered
    return _GATE_BLANKS.sub(" ", lowered)


Need = tuple[int, Regex, bool]  # a shape's slot (one per pattern, flags and reading), the shape, whether folded


def _shared_needs(detectors: tuple[Detector, ...]) -> tuple[Need | None, ...]:
    """Each detector's `needs` shape with a slot that detectors needing the same shape in the same reading (the
    lowercase text for a folded one) share: a line is searched for it once."""
    slots: dict[tuple[str, int, bool], int] = {}
    found: list[Need | None] = []
    for detector in detectors:
        shape = detector.needs
        if shape is None:
            found.append(None)
            continue
        slot = slots.setdefault((shape.pattern, shape.flags, detector.folded), len(slots))
        found.append((slot, shape, detector.folded))
    return tuple(found)


def _bits(detectors: tuple[Detector, ...], gate: str) -> int:
    """The detectors `gate` opens, one bit per position."""
    return sum(1 << i for i, d in enumerate(detectors) if gate in d.gates)


Opens = tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...]


def _grouped(opens: list[tuple[str, int]], least: int = 3) -> Opens:
    """(anchor, its bits, members) for a line's gate tests: gates that share a piece of text (`token` in sixteen
    of them, `user`, `sig`) are looked for only in a line that holds the piece, since each holds it. An anchor
    that is no gate opens nothing itself; a gate no other gate shares a piece with is its own anchor."""
    bits = dict(opens)
    left = sorted(bits)
    pieces = {gate: {gate[i : i + n] for n in (3, 4, 5) for i in range(len(gate) - n + 1)} for gate in left}
    groups: list[tuple[str, int, tuple[tuple[str, int], ...]]] = []
    while True:
        shared = Counter(piece for gate in left for piece in pieces[gate])
        best = max(shared, key=lambda piece: (shared[piece], len(piece), piece), default=None)
        if best is None or shared[best] < least:
            break
        members = tuple((gate, bits[gate]) for gate in left if best in gate and gate != best)
        groups.append((best, bits.get(best, 0), members))
        left = [gate for gate in left if best not in gate]
    return (*groups, *((gate, bits[gate], ()) for gate in left))


def _inside(span: Span, spans: list[Span]) -> bool:
    return any(other.start <= span.start and span.end <= other.end for other in spans)


def _merged(spans: list[Span]) -> list[Span]:
    """Spans earliest first; overlapping spans join into one, of the earliest one's kind: a shadow that reads a
    value across a format character or an escape sees more of it than the line does, and all of it is hidden."""
    spans.sort(key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            if span.end > kept[-1].end:
                kept[-1] = Span(kept[-1].start, span.end, kept[-1].kind)
            continue
        kept.append(span)
    return kept


def _first_wins(spans: list[Span]) -> list[Span]:
    """Spans earliest first; where spans overlap the earlier (then longer) one wins."""
    if len(spans) < 2:
        return spans
    spans.sort(key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def _blanked(text: str, spans: list[Span]) -> str:
    """`text` with every span overwritten by NUL characters (nothing matches them, offsets stay put)."""
    out: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.end <= pos:
            continue
        start = max(span.start, pos)
        out += [text[pos:start], "\0" * (span.end - start)]
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


_DEFAULT_SET = DetectorSet(DETECTORS)


def mask(text: str) -> str:
    """`text` with every secret replaced by `<kind>`: safe to show in a report."""
    spans = _DEFAULT_SET.find(text)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for span in spans:
        out.append(text[pos : span.start])
        out.append(f"<{span.kind}>")
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
