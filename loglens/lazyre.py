"""Regular expressions compiled on first use, so importing a table of them costs nothing.

The detector tables hold about seventy patterns; a command that masks a short paste opens the gates of a few of
them, and `loglens --help` of none. Compiling them all at import was a sixth of a paste's start-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "split")


class LazyRegex:
    """A pattern's text and flags, compiled the first time one of `re.Pattern`'s methods is looked up.

    The methods are slots that stay empty until then; the first lookup misses them, lands in `__getattr__`,
    compiles, and fills every slot with the compiled pattern's own bound method, so a pattern in use costs one
    attribute read per call, like an `re.Pattern`.
    """

    __slots__ = ("pattern", "flags", *_METHODS)

    pattern: str
    flags: int
    search: Callable[..., re.Match[str] | None]
    match: Callable[..., re.Match[str] | None]
    fullmatch: Callable[..., re.Match[str] | None]
    finditer: Callable[..., Iterator[re.Match[str]]]
    findall: Callable[..., list[Any]]
    sub: Callable[..., str]
    split: Callable[..., list[str | Any]]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        if name not in _METHODS:
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"

    def __eq__(self, other: object) -> bool:  # as `re.Pattern` compares: by text and flags
        return isinstance(other, LazyRegex) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __reduce__(self) -> tuple[type[LazyRegex], tuple[str, int]]:  # a copy (or another process) compiles its own
        return (LazyRegex, (self.pattern, self.flags))


def lazy(pattern: str, flags: int = 0) -> LazyRegex:
    """`re.compile(pattern, flags)`, put off until the pattern is first used."""
    return LazyRegex(pattern, flags)


Regex = re.Pattern[str] | LazyRegex  # what a detector's pattern may be: a user's rules come compiled
