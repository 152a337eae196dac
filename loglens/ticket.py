"""A support ticket's bundle as data: the environment, the analyze report of the redacted log, the redaction's
counts, and the leftover check over every file of the bundle.

`loglens ticket` writes the files; this module decides what goes in them and whether they are safe to send.
Everything here is built from the redacted log, never from the original, so no secret can reach it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from loglens.environment import Environment
from loglens.models import Frozen
from loglens.redaction.rewrite import RedactionReport
from loglens.redaction.rules import Rules
from loglens.redaction.verify import check_stream
from loglens.report import Report
from loglens.sessions import Session

REDACTED_LOG = "redacted.log"
SUMMARY = "summary.md"
FINDINGS = "findings.json"
FAILED_OUTCOMES = ("retries-exhausted", "reconnect-exhausted", "failed")


class TicketSummary(Frozen):
    """What `summary.md` says, in the order support reads it."""

    source: str
    environment: Environment
    report: Report
    redaction: RedactionReport
    failing_session: Session | None = None


def failing_session(report: Report) -> Session | None:
    """The session support should look at: the last one that failed, else the last with an error, else the last."""
    sessions = report.sessions
    picks = (
        [s for s in sessions if s.outcome in FAILED_OUTCOMES],
        [s for s in sessions if s.errors],
        list(sessions),
    )
    for found in picks:
        if found:
            return found[-1]
    return None


def summarize(report: Report, environment: Environment, redaction: RedactionReport) -> TicketSummary:
    return TicketSummary(
        source=report.source,
        environment=environment,
        report=report,
        redaction=redaction,
        failing_session=failing_session(report),
    )


@dataclass(frozen=True, slots=True)
class Leftover:
    """A secret still in one file of the bundle: which file, line and kind, never the value."""

    file: str
    line: int
    kind: str


def check_bundle(files: Iterable[tuple[str, BinaryIO]], rules: Rules | None = None) -> list[Leftover]:
    """Run the `check` gate over every file of the bundle; an empty list means every file is clean."""
    return [Leftover(name, f.line, f.label) for name, stream in files for f in check_stream(stream, rules)]
