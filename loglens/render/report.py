"""The analyze report as terminal text (rich) and as Markdown for a support ticket."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Literal, NamedTuple, TextIO

from rich.console import Console
from rich.text import Text

from loglens.attribution import describe
from loglens.collapse import CollapsedView
from loglens.models import Diagnosis
from loglens.render import Format
from loglens.render.console import indented_lines, lines_list, lit, make_console
from loglens.render.retry import retried_answer, retry_words
from loglens.render.words import STARTED_BY
from loglens.report import CodeSummary, Report, SessionsOmitted
from loglens.sessions import TIMELINE_HEAD, Session
from loglens.text import printable

SEVERITY_STYLE = {"blocker": "bold red", "error": "red", "warning": "yellow", "info": "cyan"}
MARK_STYLE = {"ok": "green", "failed": "red", "warning": "yellow", "info": "dim"}
MARK_WORD = {"ok": "ok", "failed": "FAILED", "warning": "retry", "info": ""}
FAILED_OUTCOMES = frozenset({"retries-exhausted", "reconnect-exhausted", "failed"})

# Which sessions show their timeline: the latest failing one and the latest one, every kept one, or one by number.
Timelines = Literal["summary", "all"] | int


def count(n: int, word: str, plural: str | None = None) -> str:
    """`1 line`, `2 lines`, `1 entry`, `0 entries`."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def summary_line(report: Report) -> str:
    s = report.summary
    parts = [
        count(s.lines, "line"),
        f"{count(s.entries, 'entry', 'entries')} ({s.convai_entries} Convai)",
        count(s.sessions, "session"),
    ]
    if s.errors:
        by_cat = ", ".join(f"{cat} {n}" for cat, n in s.errors_by_category.items())
        parts.append(f"{count(s.errors, 'error')} ({by_cat})")
    else:
        parts.append("no error codes")
    return " · ".join(parts)


def verdict(report: Report) -> str | None:
    """A plain sentence for a log with nothing to fix (notes of severity info do not count as problems)."""
    if report.codes or any(d.severity != "info" for d in report.diagnoses):
        return None
    if report.summary.convai_entries == 0:
        return describe(report.summary.log_kind, report.summary.lines)
    sessions = report.sessions
    connected = sum(1 for s in sessions if s.connected)
    where = f" ({len(sessions)} session{'s' if len(sessions) != 1 else ''}, {connected} connected)" if sessions else ""
    notes = len(report.diagnoses)
    after = f"; {notes} note{'s' if notes != 1 else ''} below" if notes else ""
    unknown = sum(u.count for u in report.unexplained)
    if unknown:
        lines = f"{unknown} error line{'s' if unknown != 1 else ''}"
        return (
            f"No error codes and no diagnosis{where}{after}, but {lines} that loglens cannot explain: "
            "see 'Unexplained error lines' below."
        )
    return f"No problems found{where}: no error codes, and no diagnosis rule found anything to fix{after}."


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
    console.print(header)
    # one line for whoever reads a pipe or a file (grep, CI logs); a terminal wraps it to fit
    console.print(Text(summary_line(report), style="dim"), soft_wrap=not console.is_terminal)
    plain = verdict(report)
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
    shown = shown_sessions(report, timelines)
    if len(report.sessions) > 1:
        _print_all(console, _sessions_table_text(report))
        console.print()
        console.print(Text(timelines_note(report, shown, timelines), style="dim"))
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


def omitted_sessions_line(o: SessionsOmitted) -> str:
    """One line for the sessions a long log has between the first and the latest ones shown."""
    outcomes = ", ".join(f"{n} {outcome}" for outcome, n in sorted(o.outcomes.items(), key=lambda kv: -kv[1]))
    codes = ", ".join(f"{code} ×{n}" for code, n in list(o.errors.items())[:5])
    return (
        f"… {o.count} more sessions not shown (sessions {o.first_index}-{o.last_index}, lines {o.first_line}-"
        f"{o.last_line}): {outcomes}; {o.connect_attempts} connect attempts" + (f"; errors: {codes}" if codes else "")
    )


def is_failing(s: Session) -> bool:
    return s.outcome in FAILED_OUTCOMES


def shown_sessions(report: Report, timelines: Timelines) -> tuple[Session, ...]:
    """The sessions whose timeline the views show: by default the latest failing one and the latest one.

    A session that only reported errors counts as failing when none ended in failure.
    """
    sessions = report.sessions
    if isinstance(timelines, int):
        return tuple(s for s in sessions if s.index == timelines)
    if timelines == "all" or len(sessions) <= 1:
        return sessions
    failing = next((s for s in reversed(sessions) if is_failing(s)), None)
    failing = failing or next((s for s in reversed(sessions) if s.errors), None)
    return tuple(s for s in sessions if s is failing or s is sessions[-1])


def timelines_note(report: Report, shown: tuple[Session, ...], timelines: Timelines) -> str:
    """Says whose timelines follow, and how to see the others."""
    if timelines == "all":
        return f"Timelines of all {count(len(shown), 'session')} kept:"
    if isinstance(timelines, int):
        return f"Timeline of session {timelines}:"
    latest = report.sessions[-1]
    which = " and ".join(f"session {s.index} ({'latest' if s is latest else 'latest failing'})" for s in shown)
    return f"Timeline{'s' * (len(shown) > 1)} of {which}; `--sessions all` or `--session N` shows the others:"


def session_row(s: Session) -> tuple[str, ...]:
    """One session in the table: number, lines, outcome, connect and reconnect attempts, errors, duration."""
    errors = sum(e.count or len(e.lines) for e in s.errors)
    return (
        str(s.index),
        f"{s.start_line}-{s.end_line}",
        s.outcome,
        str(s.connect_attempts),
        str(s.reconnect_attempts),
        str(errors),
        duration(s),
    )


SESSION_COLUMNS = ("#", "lines", "outcome", "connects", "reconnects", "errors", "duration")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?")


def _seconds(time: str | None) -> float | None:
    """Seconds since midnight of a log time (`16:20:04.312`, with or without a date before it)."""
    found = _CLOCK.search(time or "")
    if found is None:
        return None
    hours, minutes, secs, fraction = found.groups()
    return int(hours) * 3600 + int(minutes) * 60 + int(secs) + float(f"0.{fraction or 0}")


def duration(s: Session) -> str:
    """From the first to the last timed timeline item; `-` when the log carries no times."""
    times = [t for t in (_seconds(i.time) for i in s.timeline) if t is not None]
    if len(times) < 2:
        return "-"
    spent = (times[-1] - times[0]) % 86_400  # a session that runs past midnight
    if spent < 60:
        return f"{spent:.1f}s"
    if spent < 3600:
        return f"{int(spent // 60)}m{int(spent % 60):02d}s"
    return f"{int(spent // 3600)}h{int(spent % 3600 // 60):02d}m"


def _sessions_table_text(report: Report) -> Iterator[Row]:
    """A plain-text table: one call per column width, no rich Table (its layout costs more than the rows)."""
    rows = [SESSION_COLUMNS, *(session_row(s) for s in report.sessions)]
    widths = [max(len(row[col]) for row in rows) for col in range(len(SESSION_COLUMNS))]
    omitted = report.sessions_omitted
    for number, row in enumerate(rows):
        if number and omitted and report.sessions[number - 1].index == omitted.last_index + 1:
            yield 0, Text(omitted_sessions_line(omitted), style="dim")
        padded = [row[col].ljust(w) if col in (1, 2) else row[col].rjust(w) for col, w in enumerate(widths)]
        # the right-aligned counts' headers are wider than their values: one blank between them is enough
        text = Text(("  ".join(padded[:4]) + " " + " ".join(padded[4:])).rstrip())
        if not number:
            text.stylize("bold")
        elif row[2] in FAILED_OUTCOMES:
            text.stylize(MARK_STYLE["failed"])
        yield 0, text


def session_heading(s: Session) -> str:
    return (
        f"Session {s.index}: lines {s.start_line}-{s.end_line}, started by {STARTED_BY[s.started_by]}; "
        f"outcome: {s.outcome}"
        + (
            f"; {s.connect_attempts} connect attempt{'s' if s.connect_attempts != 1 else ''}"
            if s.connect_attempts
            else ""
        )
        + (
            f"; {s.reconnect_attempts} reconnect attempt{'s' if s.reconnect_attempts != 1 else ''}"
            if s.reconnect_attempts
            else ""
        )
    )


def _session_text(s: Session) -> Iterator[Row]:
    yield 0, lit(session_heading(s), "bold")
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
        word = MARK_WORD[item.mark]
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


# --- markdown -------------------------------------------------------------------------------------------------------


def retried_cell(c: CodeSummary) -> str:
    """The answer only: the column's header already asks the question."""
    return retried_answer(c.retryable, c.known)


def md(text: str) -> str:
    """Log-derived text inside Markdown: printable, and inline code so nothing renders as markup."""
    clean = printable(text).replace("`", "'")
    return f"`{clean}`"


# `_` inside a word (`session_id`) never makes emphasis, so only the others need the backslash
_MARKUP = re.compile(r"([\\*<\[\]]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


def prose(text: str) -> str:
    """Catalogue and rule text inside Markdown: printable, its `code spans` kept, and the characters that would
    turn into emphasis, links or HTML (`*.livekit.cloud`, `<room>`) escaped, so it reads as written."""
    parts = printable(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: nothing is code
        parts = ["'".join(parts)]
    escaped = [part if index % 2 else _MARKUP.sub(r"\\\1", part) for index, part in enumerate(parts)]
    return "`".join(escaped)


def cell(text: str) -> str:
    """Log text in a table cell: inline code, with `|` escaped so it cannot end the cell (GFM reads `\\|`)."""
    return md(text).replace("|", "\\|")


def _sessions_table_md(report: Report) -> list[str]:
    out = ["| " + " | ".join(SESSION_COLUMNS) + " |", "|" + "---|" * len(SESSION_COLUMNS)]
    omitted = report.sessions_omitted
    for s in report.sessions:
        if omitted and s.index == omitted.last_index + 1:
            out.append(f"| … | {prose(omitted_sessions_line(omitted))} |" + " |" * (len(SESSION_COLUMNS) - 2))
        out.append("| " + " | ".join(session_row(s)) + " |")
    return [*out, ""]


def to_markdown(report: Report, *, timelines: Timelines = "summary") -> str:
    """The report for a ticket; sessions as in `write_text`."""
    out = [f"## loglens report: {md(report.source)}", "", summary_line(report), ""]
    plain = verdict(report)
    if plain:
        out += [f"**{plain}**", ""]
    if report.diagnoses:
        out += ["### Diagnoses (most blocking first)", ""]
        for index, d in enumerate(report.diagnoses, 1):
            out.append(f"{index}. **[{d.severity}] {prose(d.title)}** (`{d.rule}`)")
            out.append(f"   - Cause: {prose(d.cause)}")
            out.append("   - Fix:")
            out += [f"     {step}. {prose(text)}" for step, text in enumerate(d.fix, 1)]
            out.append(f"   - Verify: {prose(d.verify)}")
            if d.lines:
                out.append(f"   - Evidence: line {lines_list(d.lines)}")
        out.append("")
    if report.codes:
        out += ["### Error codes", "", "| code | count | retried by the SDK | lines |", "|---|---|---|---|"]
        for c in report.codes:
            lines = lines_list(c.lines, total=c.count)
            out.append(f"| {cell(c.code)} | {c.count} | {retried_cell(c)} | {lines} |")
        out.append("")
        for c in report.codes:
            if not c.known:
                continue
            out.append(f"**{md(c.code)}**: {prose(c.meaning or '')}")
            out += [f"{step}. {prose(text)}" for step, text in enumerate(c.fix, 1)]
            # a paragraph of its own: indented under the list, it would read as part of the last step
            out += ["", f"Verify: {prose(c.verify or '')}", ""]
    if report.sessions:
        out += ["### Sessions", ""]
        shown = shown_sessions(report, timelines)
        if len(report.sessions) > 1:
            out += _sessions_table_md(report)
            out += [prose(timelines_note(report, shown, timelines)), ""]
        for s in shown:
            out += [f"**{prose(session_heading(s))}**", "", "| when | event | result |", "|---|---|---|"]
            for number, item in enumerate(s.timeline):
                if s.timeline_omitted and number == TIMELINE_HEAD:
                    out.append(f"| … | {s.timeline_omitted} more timeline items not shown | - |")
                when = f"{item.time} (line {item.line})" if item.time else f"line {item.line}"
                out.append(f"| {when} | {cell(item.text)} | {MARK_WORD[item.mark] or '-'} |")
            out.append("")
    if report.unexplained:
        out += ["### Unexplained error lines", "", "| line | level | count | message |", "|---|---|---|---|"]
        out += [f"| {u.line} | {md(u.level)} | {u.count} | {md(u.message)} |" for u in report.unexplained]
        out.append("")
    if report.error_lines.groups:
        out += ["### Error lines (collapsed)", "", "| count | lines | first occurrence |", "|---|---|---|"]
        for g in report.error_lines.groups:
            where = str(g.first_line) if g.count == 1 else f"{g.first_line}-{g.last_line}"
            out.append(f"| {g.count} | {where} | {cell(g.text)} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


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
