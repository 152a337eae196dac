"""What a detector is: a kind of secret with its gates, pattern and validity check, and the span it finds."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from loglens.lazyre import LazyRegex, Regex


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str

    def value(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Detector:
    """One kind of secret: a kind name, gates, a pattern whose `secret` group is the value (or a `spans` function
    that picks several values out of one match) and an optional validity check.

    `gates` are lowercase literals: the pattern runs only on text whose lowercase form holds one. When whole blocks
    of lines are screened at once, `screen` (coarser literals) or `shapes` (regexes over lowercase text) stand in
    for the gates when given. A `folded` pattern is written in lowercase and runs over the lowercased text (same
    offsets; the value is read from the original), which keeps a literal at its start: CPython's regex engine finds
    a leading literal at C speed, where `(?i)` or a leading alternation makes it try every position. An
    `exclusive` detector's spans
    hold nothing else (a JWT), so the other detectors skip them. `needs` is a cheap regex that every match of the
    pattern implies (searched in the text the pattern runs over, lowercased for a folded detector): a gate that
    opens on a common word (`ip` in `Scripts`, `@` in `com.unity.x@1.2.3`) then costs one fast search, not a
    pattern tried at every position of the line. `leads` do the same for a block's screen, so such a line is not
    decoded, walked for wraps and rewritten at all.
    """

    kind: str
    gates: tuple[str, ...]
    pattern: Regex
    valid: Callable[[str], bool] | None = None
    spans: Callable[[re.Match[str]], Iterable[tuple[int, int]]] | None = None
    shapes: tuple[str, ...] = ()
    exclusive: bool = False
    folded: bool = False
    screen: tuple[str, ...] = ()  # coarser literals for whole-block screening, when the gates are very specific
    needs: Regex | None = None  # a shape every match holds, searched before the slower pattern runs
    # for block screening: (screen literal, shape) pairs. A line that holds the literal is worth a closer look for
    # this detector only where one of its shapes for it is in it (searched in the line as read): a value, or the start
    # of one that a cut or an escape may hide the rest of. A literal whose every detector has one picks only such
    # lines.
    leads: tuple[tuple[str, Regex], ...] = ()
    _anycase: Regex | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.folded:
            # for the rare line whose lowercase form is longer; compiled only then
            anycase = LazyRegex(self.pattern.pattern, self.pattern.flags | re.IGNORECASE)
            object.__setattr__(self, "_anycase", anycase)

    def lacks_shape(self, text: str, lowered: str) -> bool:
        """Whether the `needs` shape is missing, so no match can exist (False when the detector has none)."""
        return self.needs is not None and self.needs.search(lowered if self.folded else text) is None

    def scan(self, text: str, pos: int = 0, endpos: int | None = None, lowered: str | None = None) -> list[Span]:
        """Spans of this kind within `text[pos:endpos]`, gates not consulted. `lowered` is `text.lower()`.

        Where an exclusive run's `spans` cut it short (a blank that does not join a token's parts), the search goes
        on from where it ended: what followed is text again, and may start a run of its own. A list, not a
        generator: most runs find nothing, and a line asks a dozen detectors."""
        end = len(text) if endpos is None else endpos
        found: list[Span] = []
        matches = self._matches(text, pos, end, lowered)
        while True:
            for match in matches:
                pieces = self.spans(match) if self.spans is not None else (match.span("secret"),)
                reached = match.start()
                for start, stop in pieces:
                    if start < stop and (self.valid is None or self.valid(text[start:stop])):
                        found.append(Span(start, stop, self.kind))
                    reached = max(reached, stop)
                if self.exclusive and match.start() < reached < match.end():
                    matches = self._matches(text, reached, end, lowered)
                    break
            else:
                return found

    def _matches(self, text: str, pos: int, end: int, lowered: str | None) -> Iterator[re.Match[str]]:
        if not self.folded:
            return self.pattern.finditer(text, pos, end)
        if lowered is not None and len(lowered) == len(text):
            return self.pattern.finditer(lowered, pos, end)
        # lowercasing moved offsets (a few non-ASCII letters grow): match case-insensitively instead
        assert self._anycase is not None
        return self._anycase.finditer(text, pos, end)
