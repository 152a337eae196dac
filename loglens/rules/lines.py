"""Evidence is a bounded list of line numbers: enough to cite, never a copy of a huge log."""

from __future__ import annotations

KEEP = 50  # evidence lines kept per signal, and listed per diagnosis; a report shows a dozen


def note(where: list[int], line: int) -> None:
    """Keep `line` as evidence unless `where` already holds its share."""
    if len(where) < KEEP:
        where.append(line)
