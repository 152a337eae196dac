"""The plain words the text and Markdown views of a report share: the summary line, the verdict, which sessions
show their timeline, and each session's row and heading. No styling here, so both views say the same thing."""

from __future__ import annotations

from typing import Literal

from loglens.attribution import describe
from loglens.lazyre import lazy
from loglens.render.words import STARTED_BY
from loglens.report import Report, SessionsOmitted
from loglens.sessions import Session

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
_CLOCK = lazy(r"(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?")


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
