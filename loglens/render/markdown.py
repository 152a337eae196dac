"""The analyze report as Markdown for a support ticket: log text as inline code, catalogue and rule text with
its markup characters escaped."""

from __future__ import annotations

import re

from loglens.render import summary
from loglens.render.console import lines_list
from loglens.render.retry import retried_answer
from loglens.render.summary import Timelines
from loglens.report import CodeSummary, Report
from loglens.sessions import TIMELINE_HEAD
from loglens.text import printable

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
    out = ["| " + " | ".join(summary.SESSION_COLUMNS) + " |", "|" + "---|" * len(summary.SESSION_COLUMNS)]
    omitted = report.sessions_omitted
    for s in report.sessions:
        if omitted and s.index == omitted.last_index + 1:
            line = prose(summary.omitted_sessions_line(omitted))
            out.append(f"| … | {line} |" + " |" * (len(summary.SESSION_COLUMNS) - 2))
        out.append("| " + " | ".join(summary.session_row(s)) + " |")
    return [*out, ""]


def to_markdown(report: Report, *, timelines: Timelines = "summary") -> str:
    """The report for a ticket; sessions as in `write_text`."""
    out = [f"## loglens report: {md(report.source)}", "", summary.summary_line(report), ""]
    plain = summary.verdict(report)
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
        shown = summary.shown_sessions(report, timelines)
        if len(report.sessions) > 1:
            out += _sessions_table_md(report)
            out += [prose(summary.timelines_note(report, shown, timelines)), ""]
        for s in shown:
            out += [f"**{prose(summary.session_heading(s))}**", "", "| when | event | result |", "|---|---|---|"]
            for number, item in enumerate(s.timeline):
                if s.timeline_omitted and number == TIMELINE_HEAD:
                    out.append(f"| … | {s.timeline_omitted} more timeline items not shown | - |")
                when = f"{item.time} (line {item.line})" if item.time else f"line {item.line}"
                out.append(f"| {when} | {cell(item.text)} | {summary.MARK_WORD[item.mark] or '-'} |")
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
