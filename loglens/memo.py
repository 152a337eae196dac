"""Per-line memos: logs repeat their lines (stack frames, progress lines, the same Convai line per session), and
redaction asks the same questions of one line several times (its rewrite, the wrap walks, the re-scan).

`per_line` remembers a pure function of one line in two tiers: the last `lines` distinct lines of up to `SHORT`
characters (nearly every line of a log), and the last `lines // LONG_SHARE` of up to `chars` (a token line, a long
JSON line). Memory stays bounded by about `2 * lines * SHORT` characters of keys, whatever the log; longer lines are
worked out each time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
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
