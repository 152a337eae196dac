"""`summary.md` of a support bundle: environment, diagnoses, codes, the failing session, what was redacted."""

from __future__ import annotations

from loglens.render.console import lines_list
from loglens.render.markdown import md
from loglens.render.retry import retry_words
from loglens.render.summary import MARK_WORD, session_heading, summary_line, verdict
from loglens.text import printable
from loglens.ticket import TicketSummary


def to_markdown(t: TicketSummary) -> str:
    out = [f"# Convai Unity SDK support bundle: {md(t.source)}", ""]
    out += _environment(t)
    out += [summary_line(t.report), ""]
    plain = verdict(t.report)
    if plain:
        out += [f"**{plain}**", ""]
    out += _diagnoses(t) + _codes(t) + _timeline(t) + _redaction(t)
    return "\n".join(out).rstrip() + "\n"


def _environment(t: TicketSummary) -> list[str]:
    if not t.environment.facts:
        return []
    rows = [f"- **{f.name}:** {md(f.value)} (line {f.line})" for f in t.environment.facts]
    return ["## Environment", "", *rows, ""]


def _diagnoses(t: TicketSummary) -> list[str]:
    if not t.report.diagnoses:
        return []
    out = ["## Diagnoses (most blocking first)", ""]
    for index, d in enumerate(t.report.diagnoses, 1):
        out.append(f"{index}. **[{d.severity}] {printable(d.title)}** (`{d.rule}`)")
        out.append(f"   - Cause: {printable(d.cause)}")
        out += [f"   - Fix {step}: {printable(text)}" for step, text in enumerate(d.fix, 1)]
        out.append(f"   - Verify: {printable(d.verify)}")
        if d.lines:
            out.append(f"   - Lines: {lines_list(d.lines)}")
    return [*out, ""]


def _codes(t: TicketSummary) -> list[str]:
    if not t.report.codes:
        return []
    out = ["## Error codes", "", "| code | count | retried by the SDK | lines |", "|---|---|---|---|"]
    for c in t.report.codes:
        out.append(f"| {cell(c.code)} | {c.count} | {retry_words(c.retryable, c.known)} | {lines_list(c.lines)} |")
    return [*out, ""]


def _timeline(t: TicketSummary) -> list[str]:
    s = t.failing_session
    if s is None:
        return []
    out = ["## Failing session timeline", "", f"**{printable(session_heading(s))}**", ""]
    out += ["| when | event | result |", "|---|---|---|"]
    for item in s.timeline:
        when = f"{item.time} (line {item.line})" if item.time else f"line {item.line}"
        out.append(f"| {when} | {cell(item.text)} | {MARK_WORD[item.mark] or '-'} |")
    return [*out, ""]


def _redaction(t: TicketSummary) -> list[str]:
    r = t.redaction
    out = ["## Redaction", ""]
    if not r.redactions:
        out.append(f"Nothing secret was found in {r.lines} lines (profile `{r.profile}`).")
        return [*out, ""]
    out.append(
        f"{r.redactions} values replaced on {r.lines_changed} of {r.lines} lines (profile `{r.profile}`); "
        "every file in this bundle passed `loglens check`."
    )
    out += ["", "| kind | occurrences | distinct values |", "|---|---|---|"]
    out += [f"| {k.kind} | {k.occurrences} | {k.distinct} |" for k in r.kinds]
    return [*out, ""]


def cell(text: str) -> str:
    """Log text in a table cell: inline code, with `|` escaped so it cannot end the cell (GFM reads `\\|` there)."""
    return md(text).replace("|", "\\|")
