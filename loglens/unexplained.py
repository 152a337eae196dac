"""Error lines that no error code and no diagnosis explains, for every report format alike.

The text view collapses every error line; Markdown and JSON are built without that view (it costs time), so
before this list they could say "no problems" about a log whose text view shows an exception nobody explains.
The tally is kept while the log streams (error entries only, grouped modulo numbers and ids, a bounded number of
lines per group) and filtered once the diagnoses are known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import Field

from loglens import models as m
from loglens.collapse import collapse_key, shown

MAX_GROUPS = 1_000
LINES_KEPT = 64  # per group: enough to meet the first lines a diagnosis or a code cites
SHOWN = 30


class Unexplained(m.Frozen):
    """A group of error lines that differ only in numbers and ids, none of them cited by a code or diagnosis."""

    line: int = Field(ge=1, description="The first line of the group.")
    level: str = Field(description="The Convai level (Error, Exception...), or Exception for a bare exception.")
    message: str = Field(description="The first occurrence, secrets masked, control characters made visible.")
    count: int = Field(ge=1)


@dataclass(slots=True)
class _Group:
    level: str
    text: str
    count: int = 0
    lines: list[int] = field(default_factory=list)


class ErrorTally:
    """Feed error entries with `add`; `unexplained(cited)` returns the groups none of whose lines is cited."""

    def __init__(self) -> None:
        self._groups: dict[str, _Group] = {}

    def add(self, entry: m.Entry) -> None:
        key = collapse_key(entry.message)
        group = self._groups.get(key)
        if group is None:
            if len(self._groups) >= MAX_GROUPS:
                return
            level = entry.head.level if entry.head else "Exception"
            group = self._groups[key] = _Group(level, shown(entry.message))
        group.count += 1
        if len(group.lines) < LINES_KEPT:
            group.lines.append(entry.line)

    def unexplained(self, cited: set[int], limit: int = SHOWN) -> tuple[Unexplained, ...]:
        found = [
            Unexplained(line=g.lines[0], level=g.level, message=g.text, count=g.count)
            for g in self._groups.values()
            if cited.isdisjoint(g.lines)
        ]
        return tuple(found[:limit])
