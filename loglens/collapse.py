"""Collapse repeated lines the way Unity's Console "Collapse" does, but modulo numbers and ids.

`Refreshing native plugins ... in 2.41 ms` and `... in 0.87 ms` are one line seen twice. Each group keeps the
first occurrence's text (masked and made printable once, when the group is created), a count, and its first
and last line numbers. The number of groups is capped so that a log of a million distinct lines cannot grow
memory without bound: past the cap, lines that match no group are only counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from loglens import models as m
from loglens.lazyre import lazy
from loglens.masking import PIECE, Masked
from loglens.text import printable

# A run of hex digits holding at least one decimal digit: numbers, durations, GUIDs, assembly ids, instance
# ids. A word made of letters only (`deadbeef` aside) is left alone, so different messages stay apart.
# A match may only start where a run starts, and its leading letters are taken possessively: each run is read
# once, so a long line of letters costs linear time, not quadratic.
_VARYING = lazy(r"(?<![0-9A-Fa-f])[A-Fa-f]*+[0-9][0-9A-Fa-f]*")
KEY_CHARS = 4096  # lines that agree this far are the same line as far as collapsing goes
MAX_GROUPS = 10_000
MAX_SHOWN_CHARS = 300

Order = Literal["first", "count"]


ERROR_LEVELS = frozenset({"Error", "Exception"})
ERROR_EVENTS = (m.ExceptionRaised, *m.CODE_EVENTS)


def is_error_line(entry: m.Entry) -> bool:
    """Entries the errors view collapses: exceptions, Error-level Convai lines, and every error code."""
    event = entry.event
    if isinstance(event, ERROR_EVENTS):
        return True
    return entry.head is not None and entry.head.level in ERROR_LEVELS


def collapse_key(text: str) -> str:
    """What two lines must share to collapse: the text with every number and id replaced by `#`."""
    return _VARYING.sub("#", text.strip()[:KEY_CHARS])


class CollapsedLine(m.Frozen):
    """One group of lines that differ only in numbers and ids."""

    text: Masked = Field(description="The first occurrence, secrets masked, control characters made visible.")
    count: int = Field(ge=1)
    first_line: int = Field(ge=1)
    last_line: int = Field(ge=1)


class CollapsedView(m.Frozen):
    """Some groups of a collapsed stream, and how much of the stream they stand for."""

    total: int = Field(default=0, description="Lines fed in.")
    distinct: int = Field(default=0, description="Groups formed (at most the cap).")
    ungrouped: int = Field(default=0, description="Lines that arrived after the cap and matched no group.")
    groups: tuple[CollapsedLine, ...] = ()


@dataclass(slots=True)
class _Group:
    text: Masked
    count: int
    first_line: int
    last_line: int


# a line that is one run of PIECE or more letters and digits, both, after a paste's prefix (`_lone_run_hidden`)
_LONE_RUN = lazy(rf"[>\s]*((?=[A-Za-z0-9]*?[0-9])(?=[A-Za-z0-9]*?[A-Za-z])[A-Za-z0-9]{{{PIECE},}})\s*")


def _lone_run_hidden(line: Masked) -> Masked:
    """A log line as a report shows it on its own: where the whole line is one run of letters and digits (no word
    has digits), `<secret>`. It is the piece a hard wrap cut from a key or an id on the line before, which no label
    marks; `redact` joins it to that line, `analyze` masks a line at a time. Fields (ids a report shows) keep theirs."""
    lone = _LONE_RUN.fullmatch(line)
    if lone is None:
        return line
    return Masked.trusted(line[: lone.start(1)] + "<secret>" + line[lone.end(1) :])


def shown(text: str) -> Masked:
    """A line as it may be shown: secrets masked, escapes visible, long lines cut."""
    safe = printable(_lone_run_hidden(Masked(text.strip())))
    return Masked(safe if len(safe) <= MAX_SHOWN_CHARS else safe[: MAX_SHOWN_CHARS - 1] + "…")


class Collapser:
    """Feed lines in order with `add`; `view` returns the groups."""

    def __init__(self, max_groups: int = MAX_GROUPS) -> None:
        self._groups: dict[str, _Group] = {}
        self._max = max_groups
        self.total = 0
        self.ungrouped = 0

    def add(self, line: int, text: str) -> None:
        self.total += 1
        key = collapse_key(text)
        group = self._groups.get(key)
        if group is not None:
            group.count += 1
            group.last_line = line
        elif len(self._groups) < self._max:
            # masking runs once per group, not once per line: most lines join a group that already exists
            self._groups[key] = _Group(shown(text), 1, line, line)
        else:
            self.ungrouped += 1

    def view(self, *, order: Order = "first", limit: int | None = None, min_count: int = 1) -> CollapsedView:
        """Groups with at least `min_count` lines, in order of first appearance or most repeated first."""
        groups = [g for g in self._groups.values() if g.count >= min_count]
        if order == "count":
            groups.sort(key=lambda g: (-g.count, g.first_line))
        kept = groups if limit is None else groups[:limit]
        return CollapsedView(
            total=self.total,
            distinct=len(self._groups),
            ungrouped=self.ungrouped,
            groups=tuple(
                CollapsedLine(text=g.text, count=g.count, first_line=g.first_line, last_line=g.last_line) for g in kept
            ),
        )
