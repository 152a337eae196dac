"""The analyze report as text for the caller that prints it: one report in a format, and the table of several files.

The views themselves live beside it: `summary` (the words both share), `text` (rich), `markdown`; their names used
elsewhere are importable from here too.
"""

from __future__ import annotations

import io
from typing import NamedTuple

from loglens.render import Format
from loglens.render.markdown import md, to_markdown
from loglens.render.summary import (
    MARK_WORD,
    Timelines,
    duration,
    session_heading,
    shown_sessions,
    summary_line,
    verdict,
)
from loglens.render.text import write_text
from loglens.report import Report
from loglens.text import printable

__all__ = [
    "FILE_COLUMNS",
    "MARK_WORD",
    "FileRow",
    "Timelines",
    "duration",
    "files_table",
    "md",
    "render_report",
    "session_heading",
    "shown_sessions",
    "summary_line",
    "to_markdown",
    "verdict",
    "write_text",
]

# --- several files --------------------------------------------------------------------------------------------------


class FileRow(NamedTuple):
    """One file of a multi-file `analyze`, in the table that compares them."""

    file: str
    sessions: int
    codes: int
    errors: int
    top: str  # the most blocking diagnosis, `[severity] rule`, or `-`


FILE_COLUMNS = ("file", "sessions", "codes", "errors", "top diagnosis")


def render_report(
    report: Report, fmt: Format, *, color: bool = False, width: int | None = None, timelines: Timelines = "summary"
) -> str:
    """One report as the text `analyze` prints, for a caller that prints it later (or in another process)."""
    if fmt is Format.JSON:
        from loglens.render.jsonout import report_json

        return report_json(report)
    if fmt is Format.MARKDOWN:
        return to_markdown(report, timelines=timelines)
    out = io.StringIO()
    write_text(report, out, color=color, width=width, timelines=timelines)
    return out.getvalue()


def files_table(rows: list[FileRow], failed: list[str], *, markdown: bool) -> str:
    """The files side by side, after their reports; files that could not be read are named below it."""
    cells = [FILE_COLUMNS, *((printable(r.file), str(r.sessions), str(r.codes), str(r.errors), r.top) for r in rows)]
    if markdown:
        lines = ["", "---", "", "### Files", "", "| " + " | ".join(FILE_COLUMNS) + " |", "|---|---|---|---|---|"]
        lines += [f"| {md(c[0])} | {c[1]} | {c[2]} | {c[3]} | {c[4]} |" for c in cells[1:]]
        lines += [f"- not read: {md(name)}" for name in failed]
        return "\n".join(lines) + "\n"
    widths = [max(len(c[col]) for c in cells) for col in range(len(FILE_COLUMNS) - 1)]
    lines = ["", "Files"]
    for c in cells:
        lines.append(
            "  ".join([c[0].ljust(widths[0]), *(c[col].rjust(widths[col]) for col in range(1, 4)), c[4]]).rstrip()
        )
    lines += [f"not read: {name}" for name in failed]
    return "\n".join(lines) + "\n"
