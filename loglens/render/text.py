"""The analyze report as terminal text (rich): diagnoses, codes, sessions and the collapsed lines, each a block of
indented rows printed in one call."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from rich.console import Console
from rich.text import Text

from loglens.collapse import CollapsedView
from loglens.models import Diagnosis
from loglens.render import summary
from loglens.render.console import indented_lines, lines_list, lit, make_console
from loglens.render.retry import retry_words
from loglens.render.summary import Timelines
from loglens.report import CodeSummary, Report
from loglens.sessions import TIMELINE_HEAD, Session

SEVERITY_STYLE = {"blocker": "bold red", "error": "red", "warning": "yellow", "info": "cyan"}
MARK_STYLE = {"ok": "green", "failed": "red", "warning": "yellow", "info": "dim"}


# --- text ---------------------------------------------------------------------------------------------------------


def write_text(
    report: Report,
    file: TextIO,
    *,
    color: bool | None = None,
    width: int | None = None,
    timelines: Timelines = "summary",
) -> None:
    """The report for a terminal. A long log's sessions are a table; `timelines` picks whose timeline is shown."""
    console = make_console(file, color=color, width=width)
    header = Text("loglens ", style="bold")
    header.append_text(lit(report.source, "bold"))
    console.print(header, soft_wrap=True)  # a long path stays one line, whole, to copy
    # one line for whoever reads a pipe or a file (grep, CI logs); a terminal wraps it to fit
    console.print(Text(summary.summary_line(report), style="dim"), soft_wrap=not console.is_terminal)
    plain = summary.verdict(report)
    if plain:
        console.print()
        console.print(Text(plain, style="green"))
    if report.diagnoses:
        console.print()
        console.rule(Text("Diagnoses, most blocking first", style="bold"), align="left")
        for index, diagnosis in enumerate(report.diagnoses, 1):
            if index > 1:
                console.print()
            _print_all(console, _diagnosis_text(index, diagnosis))
    if report.codes:
        console.print()
        console.rule(Text("Error codes, first thing to fix first", style="bold"), align="left")
        category = None
        for code in report.codes:
            if code.category != category:
                category = code.category
                console.print(Text(f"{category}", style="bold underline"))
            _print_all(console, _code_text(code))
    if report.sessions:
        console.print()
        console.rule(Text("Sessions", style="bold"), align="left")
        _print_sessions(console, report, timelines)
    if report.unexplained:
        console.print()
        console.rule(Text("Unexplained error lines (no code or diagnosis covers them)", style="bold"), align="left")
        _print_all(console, _unexplained_text(report))
    if report.error_lines.groups:
        console.print()
        console.rule(
            Text("Error lines, collapsed (repeats differ only in numbers and ids)", style="bold"), align="left"
        )
        _print_all(console, _collapsed_text(report.error_lines, "error lines"))
    if report.noise.groups:
        console.print()
        console.rule(Text("Most repeated other lines, collapsed", style="bold"), align="left")
        _print_all(console, _collapsed_text(report.noise, "other lines"))


Row = tuple[int, Text]


def _print_all(console: Console, rows: Iterator[Row]) -> None:
    """Print rows indented as a block, so wrapped lines stay under their first line.

    One `print` for the whole block: rich's cost is per call, and a long log has thousands of rows.
    """
    lines = [line for indent, text in rows for line in indented_lines(console, text, indent)]
    if lines:
        console.print(Text("\n").join(lines), soft_wrap=True)


def _print_sessions(console: Console, report: Report, timelines: Timelines) -> None:
    """More than one session: a table of them all, then the timelines `timelines` picks; one: its timeline."""
    shown = summary.shown_sessions(report, timelines)
    if len(report.sessions) > 1:
        _print_all(console, _sessions_table_text(report))
        console.print()
        console.print(Text(summary.timelines_note(report, shown, timelines), style="dim"))
    for index, session in enumerate(shown):
        if index or len(report.sessions) > 1:
            console.print()
        _print_all(console, _session_text(session))


def _diagnosis_text(index: int, d: Diagnosis) -> Iterator[Row]:
    title = Text(f"{index}. ")
    title.append(f"[{d.severity}] ", style=SEVERITY_STYLE[d.severity])
    title.append_text(lit(d.title, "bold"))
    title.append(f"  ({d.rule})", style="dim")
    yield 0, title
    yield 3, lit(d.cause)
    yield 3, Text("Fix:", style="bold")
    for step, text in enumerate(d.fix, 1):
        yield 5, Text(f"{step}. ").append_text(lit(text))
    yield 3, Text("Verify: ", style="bold").append_text(lit(d.verify))
    if d.lines:
        yield 3, Text(f"Evidence: line {lines_list(d.lines, total=len(d.lines) + d.lines_omitted)}", style="dim")


def _code_text(c: CodeSummary) -> Iterator[Row]:
    head = Text()
    head.append_text(lit(c.code, "bold red" if c.retryable is False else "bold yellow"))
    head.append(f"  ×{c.count}", style="bold")
    head.append(f"  {retry_words(c.retryable, c.known)}", style="dim")
    head.append(f"  line {lines_list(c.lines, total=c.count)}", style="dim")
    yield 2, head
    if not c.known:
        yield 4, Text("Not in loglens's catalogue; its family is ").append_text(lit(c.category, "bold"))
        return
    if c.title:
        yield 4, lit(c.title, "italic")
    if c.meaning:
        yield 4, Text("What it means: ", style="bold").append_text(lit(c.meaning))
    if c.retry_note:
        yield 4, Text("Retry: ", style="bold").append_text(lit(c.retry_note))
    if c.fix:
        yield 4, Text("Fix:", style="bold")
        for step, text in enumerate(c.fix, 1):
            yield 6, Text(f"{step}. ").append_text(lit(text))
    if c.verify:
        yield 4, Text("Verify: ", style="bold").append_text(lit(c.verify))


def _sessions_table_text(report: Report) -> Iterator[Row]:
    """A plain-text table: one call per column width, no rich Table (its layout costs more than the rows)."""
    rows = [summary.SESSION_COLUMNS, *(summary.session_row(s) for s in report.sessions)]
    widths = [max(len(row[col]) for row in rows) for col in range(len(summary.SESSION_COLUMNS))]
    omitted = report.sessions_omitted
    for number, row in enumerate(rows):
        if number and omitted and report.sessions[number - 1].index == omitted.last_index + 1:
            yield 0, Text(summary.omitted_sessions_line(omitted), style="dim")
        padded = [row[col].ljust(w) if col in (1, 2) else row[col].rjust(w) for col, w in enumerate(widths)]
        # the right-aligned counts' headers are wider than their values: one blank between them is enough
        text = Text(("  ".join(padded[:4]) + " " + " ".join(padded[4:])).rstrip())
        if not number:
            text.stylize("bold")
        elif row[2] in summary.FAILED_OUTCOMES:
            text.stylize(MARK_STYLE["failed"])
        yield 0, text


def _session_text(s: Session) -> Iterator[Row]:
    yield 0, lit(summary.session_heading(s), "bold")
    for c in s.credentials[-1:]:
        where = c.livekit_host or "?"
        expiry = f", token expires {c.expires_at:%Y-%m-%d %H:%M} UTC" if c.expires_at else ""
        yield 2, Text("room ").append_text(lit(f"{c.room_name or '?'} on {where}{expiry}", "cyan"))
    for number, item in enumerate(s.timeline):
        if s.timeline_omitted and number == TIMELINE_HEAD:
            yield 2, Text(f"{'…':>14}  {s.timeline_omitted} more timeline items not shown", style="dim")
        when = item.time or f"line {item.line}"
        row = Text(f"{when:>14}  ", style="dim")
        row.append_text(lit(item.text, MARK_STYLE[item.mark]))
        word = summary.MARK_WORD[item.mark]
        if word:
            row.append(f"  {word}", style=MARK_STYLE[item.mark])
        if item.time:
            row.append(f"  (line {item.line})", style="dim")
        yield 2, row


def _unexplained_text(report: Report) -> Iterator[Row]:
    for u in report.unexplained:
        row = Text(f"×{u.count}  ", style="bold" if u.count > 1 else "dim")
        row.append_text(lit(f"[{u.level}] ", "red")).append_text(lit(u.message))
        row.append(f"  (line {u.line})", style="dim")
        yield 2, row


def _collapsed_text(view: CollapsedView, what: str) -> Iterator[Row]:
    """Unity Console style: a count badge, the first occurrence, and where the group starts and ends."""
    width = len(str(max(g.count for g in view.groups)))
    for g in view.groups:
        row = Text(f"×{g.count:<{width}}  ", style="bold" if g.count > 1 else "dim")
        row.append_text(lit(g.text))
        where = f"line {g.first_line}" if g.count == 1 else f"lines {g.first_line}-{g.last_line}"
        row.append(f"  ({where})", style="dim")
        yield 2, row
    shown = sum(g.count for g in view.groups)
    rest = view.total - shown
    if rest > 0:
        yield 2, Text(f"… {rest} more {what} not shown ({view.distinct} distinct in all)", style="dim")
