"""The allowlist and the firewall checklist as terminal text, Markdown (for an IT ticket), CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import TextIO

from rich.text import Text

from loglens.endpoints import ALL_LIVEKIT, Rule
from loglens.network import NetworkReport, Step
from loglens.render.console import lines_list, lit, make_console, print_indented
from loglens.render.livekit import indented
from loglens.render.markdown import md
from loglens.text import printable

JSON_SCHEMA = "loglens.network/1"
STATUS_WORD = {"ok": "ok", "failed": "FAILED", "not-seen": "not seen", "unknown": "check by hand"}
STATUS_STYLE = {"ok": "green", "failed": "bold red", "not-seen": "yellow", "unknown": "dim"}
CSV_FIELDS = ("section", "host", "port", "protocol", "tier", "purpose", "step", "status", "evidence", "lines")


def _where(report: NetworkReport) -> str:
    if report.source is None:
        return "General list (no log given): the room's LiveKit host is Convai's Cloud deployment."
    if report.livekit_host is None:
        return "The log names no LiveKit host: Convai's Cloud deployment stands in for the room's host."
    kind = "a self-hosted LiveKit server" if report.self_hosted else "LiveKit Cloud"
    return f"The room's LiveKit host, from the log: {printable(report.livekit_host)} ({kind})."


def _rule_words(rule: Rule) -> str:
    seen = " (seen in the log)" if rule.seen_in_log else ""
    return f"{rule.protocol} {rule.port} to {printable(rule.host)}{seen}: {rule.purpose}"


def _evidence(step: Step) -> str:
    at = f" (line {lines_list(step.lines)})" if step.lines else ""
    return f"{step.evidence}{at}"


def write_text(report: NetworkReport, file: TextIO, *, color: bool | None = None, width: int | None = None) -> None:
    console = make_console(file, color=color, width=width)
    console.print(Text("Outbound allowlist for a Convai Unity session", style="bold"))
    print_indented(console, lit(_where(report), "dim"), 0)
    for tier, title in (("required", "Required"), ("optional", "Where UDP is permitted (direct media)")):
        console.print()
        console.print(Text(title, style="bold"))
        for rule in (r for r in report.rules if r.tier == tier):
            indented(console, Text("- ").append_text(lit(_rule_words(rule))), 2, 2)
    console.print()
    console.print(Text("Firewall validation checklist", style="bold"))
    for step in report.checklist:
        print_indented(console, lit(f"{step.number}. {step.action}"), 0)
        if report.source is not None:
            mark = Text("log: ", style="dim").append(STATUS_WORD[step.status], style=STATUS_STYLE[step.status])
            indented(console, mark.append(" · ").append_text(lit(_evidence(step))), 3, 2)
    console.print()
    print_indented(console, lit("No inbound port needs to be opened on the machine that runs Unity.", "dim"), 0)


def to_markdown(report: NetworkReport) -> str:
    out = ["## Outbound allowlist for a Convai Unity session", "", _md_words(_where(report)), ""]
    out += ["| host | port | protocol | needed | purpose |", "|---|---|---|---|---|"]
    for r in report.rules:
        seen = " (seen in the log)" if r.seen_in_log else ""
        host = r.host if r.host == ALL_LIVEKIT else md(r.host)
        out.append(f"| {host}{seen} | {r.port} | {r.protocol} | {r.tier} | {r.purpose} |")
    out += ["", "No inbound port needs to be opened on the machine that runs Unity.", ""]
    out += ["### Firewall validation checklist", ""]
    for step in report.checklist:
        out.append(f"{step.number}. {_md_words(step.action)}")
        if report.source is not None:
            out.append(f"   - Log: **{STATUS_WORD[step.status]}**. {_md_words(_evidence(step))}")
    return "\n".join(out) + "\n"


def _md_words(text: str) -> str:
    """A sentence that may hold a host from the log: no Markdown markup survives in it."""
    return printable(text).replace("`", "'").replace("*", "\\*").replace("_", "\\_").replace("|", "\\|")


def to_csv(report: NetworkReport) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in report.rules:
        row = {"section": "allowlist", "host": printable(r.host), "port": r.port, "protocol": r.protocol}
        writer.writerow({**row, "tier": r.tier, "purpose": r.purpose, "status": "seen" * r.seen_in_log})
    for s in report.checklist:
        lines = " ".join(str(n) for n in s.lines)
        row = {"section": "checklist", "step": str(s.number), "purpose": s.action, "status": s.status}
        writer.writerow({**row, "evidence": printable(s.evidence), "lines": lines})
    return buffer.getvalue()


def to_json(report: NetworkReport) -> str:
    data = {"schema": JSON_SCHEMA, **report.model_dump(mode="json")}
    return json.dumps(data, indent=2) + "\n"
