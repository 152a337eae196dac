"""Rules about how sessions went: retry loops that gave up, connections that keep dropping, errors retried in vain."""

from __future__ import annotations

from collections.abc import Sequence

from loglens import models as m
from loglens.models import EventKind
from loglens.rules.engine import Hit, hit, rule
from loglens.rules.evidence import Evidence, last_success
from loglens.sessions import Outcome, Session

DROPS_FOR_A_STORM = 3
# Codes whose repetition is expected: the SDK itself retries without the stored session, and cancelling is the
# app's own decision.
EXPECTED_REPEATS = frozenset({"connection.connect_invalid_session_id", "session.cancelled"})
# What a dropped connection logs while the SDK tries to get it back.
RECONNECT_KINDS = frozenset({EventKind.RECONNECT_ATTEMPT, EventKind.RECONNECTION_FAILED, EventKind.SESSION_ERROR})
# The lines that begin a new connect within a Play run.
CONNECT_KINDS = frozenset({EventKind.CONNECT_ATTEMPT, EventKind.SESSION_STARTED})


def _ended(ev: Evidence, outcome: Outcome) -> list[Session]:
    return [s for s in ev.sessions if s.outcome == outcome]


@rule("retries-exhausted")
def retries_exhausted(ev: Evidence) -> Hit | None:
    """The connect attempts of each session that gave up, its verdict line, and the last error before it."""
    lines: list[int] = []
    final = None
    for session in _ended(ev, "retries-exhausted"):
        gave_up = [i.line for i in session.timeline if i.event is EventKind.CONNECT_EXHAUSTED]
        until = gave_up[0] if gave_up else session.end_line
        lines += [
            i.line for i in session.timeline if i.event is EventKind.CONNECT_ATTEMPT and i.line <= until
        ] + gave_up
        failures = [i for i in session.timeline if i.code and i.line <= until]
        if failures:
            lines.append(failures[-1].line)
        final = failures[-1].code if failures else final
    return hit(lines, values={"code": final or "the last error before it gave up"})


@rule("reconnect-exhausted")
def reconnect_exhausted(ev: Evidence) -> Hit | None:
    """The reconnect attempts and failures after each exhausted session last connected."""
    lines: list[int] = []
    final = None
    for session in _ended(ev, "reconnect-exhausted"):
        after = last_success(session)
        lines += [i.line for i in session.timeline if i.line > after and i.event in RECONNECT_KINDS]
        final = session.last_error or final
    return hit(lines, values={"code": final or "the error that dropped the connection"})


@rule("reconnect-storm")
def reconnect_storm(ev: Evidence) -> Hit | None:
    """The first attempt of every reconnect sequence in a session that dropped `DROPS_FOR_A_STORM` times or more."""
    lines: list[int] = []
    worst = 0
    for session in ev.sessions:
        if session.reconnect_sequences < DROPS_FOR_A_STORM:
            continue
        worst = max(worst, session.reconnect_sequences)
        reconnecting = False
        for item in session.timeline:
            if item.event is EventKind.RECONNECT_ATTEMPT and not reconnecting:
                lines.append(item.line)
            if item.event is EventKind.RECONNECT_ATTEMPT:
                reconnecting = True
            elif item.event in m.SUCCESS_KINDS:
                reconnecting = False
    return hit(lines, values={"drops": str(worst)})


def _play_runs(sessions: Sequence[Session]) -> list[list[Session]]:
    """Sessions grouped by Play run: a run begins whenever the Bootstrapper initializes."""
    runs: list[list[Session]] = []
    for session in sessions:
        if not runs or session.started_by == "bootstrap":
            runs.append([])
        runs[-1].append(session)
    return runs


@rule("non-retryable-retried")
def non_retryable_retried(ev: Evidence) -> Hit | None:
    """A code the SDK never retries, seen again after a new connect began within the same Play run."""
    final = {code for code, retry in ev.retryable.items() if retry is False} - EXPECTED_REPEATS
    if not final:
        return None
    lines: list[int] = []
    repeated: list[str] = []
    for run in _play_runs(ev.sessions):
        seen: dict[str, dict[int, list[int]]] = {}  # code -> which connect of the run -> lines
        connects = 0
        for item in (item for session in run for item in session.timeline):
            if item.event in CONNECT_KINDS:
                connects += 1
            elif item.code in final:
                seen.setdefault(item.code, {}).setdefault(connects, []).append(item.line)
        for code, by_connect in seen.items():
            if len(by_connect) > 1:
                lines += [line for where in by_connect.values() for line in where]
                repeated += [code] if code not in repeated else []
    return hit(lines, values={"codes": ", ".join(repeated)})
