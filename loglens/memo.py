"""Per-line memos: logs repeat their lines (stack frames, progress lines, the same Convai line per session), and
redaction asks the same questions of one line several times (its rewrite, the wrap walks, the re-scan).

`per_line` remembers a pure function of one line in two tiers: the last `lines` distinct lines of up to `SHORT`
characters (nearly every line of a log), and the last `lines // LONG_SHARE` of up to `chars` (a token line, a long
JSON line). Memory stays bounded by about `2 * lines * SHORT` characters of keys, whatever the log; longer lines are
worked out each time.

`KnownRows` remembers, for a block screen, the rows of a log known to hold nothing it looks for, within a budget
of bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from itertools import filterfalse
from typing import TypeVar

T = TypeVar("T")

LINES = 4096  # distinct short lines remembered per function
CHARS = 2048  # longer lines are rare in a log, and keeping them would let memory grow with their size
SHORT = 256
LONG_SHARE = 8  # the long tier holds an eighth as many lines: at most as many characters as the short one


def per_line(function: Callable[[str], T], lines: int = LINES, chars: int = CHARS) -> Callable[[str], T]:
    """`function` remembered for its recent distinct arguments, as the module says. The result must be
    immutable: every caller gets the same object."""
    short = lru_cache(maxsize=lines)(function)
    long = lru_cache(maxsize=max(1, lines // LONG_SHARE))(function)

    def call(line: str) -> T:
        size = len(line)
        if size <= SHORT:
            return short(line)
        return long(line) if size <= chars else function(line)

    call.__doc__ = function.__doc__
    call.__name__ = getattr(function, "__name__", "call")
    return call


ROW_BUDGET = 2 << 20  # bytes a `KnownRows` may take: a few megabytes of distinct lines, whatever the log
ROW_COST = 64  # what keeping a row takes besides its bytes: the object's header and its slot in the set
LONG_ROW = 2048  # a longer row is seldom seen twice, and keeping it would spend the budget on one line


class KnownRows:
    """Rows of a log (bytes, no newline) known to hold nothing a block screen looks for, under the screen's
    setting `key`: logs repeat their rows from block to block, and redaction's re-scan reads again every row the
    rewrite left as it was. A screen set up the same way (the same `key`) asks this before it screens a row.

    Bounded: once the rows take `budget` bytes (each its length and `ROW_COST`), no more are added, and rows
    longer than `LONG_ROW` never are.
    """

    def __init__(self, key: Hashable, budget: int = ROW_BUDGET) -> None:
        self.key = key
        self._rows: set[bytes] = set()
        self._left = budget

    def __contains__(self, row: bytes) -> bool:
        return row in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def unknown(self, rows: list[bytes]) -> list[bytes]:
        """The `rows` not kept here, in their order (a test per row at C speed)."""
        return list(filterfalse(self._rows.__contains__, rows)) if self._rows else rows

    def add(self, rows: Iterable[bytes]) -> None:
        """Keep `rows` (each known to hold nothing), as far as the budget goes."""
        for row in rows:
            size = len(row) + ROW_COST
            if size > LONG_ROW + ROW_COST or row in self._rows:
                continue
            if size >= self._left:
                self._left = 0
                return
            self._rows.add(row)
            self._left -= size
