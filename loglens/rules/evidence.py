"""What a rule may look at: error codes by line, the sessions, and the signals gathered while streaming."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

from loglens import models as m
from loglens.classify import CodeSeen, ErrorOccurrence
from loglens.credentials import Credentials
from loglens.rules.signals import Signals
from loglens.sessions import Session
from loglens.taxonomy import category_of


class Evidence:
    """Everything a rule may look at: error codes by line, sessions, and the streamed signals."""

    def __init__(
        self, signals: Signals, errors: Iterable[ErrorOccurrence | CodeSeen], sessions: Sequence[Session]
    ) -> None:
        self.signals = signals
        self.sessions = tuple(sessions)
        self._starts = [s.start_line for s in self.sessions]
        self.codes: dict[str, list[int]] = {}
        self.retryable: dict[str, bool | None] = {}
        for error in errors:
            self.codes.setdefault(error.code, []).append(error.line)
            self.retryable[error.code] = error.retryable

    def lines(self, *codes: str) -> list[int]:
        return [line for code in codes for line in self.codes.get(code, ())]

    def category(self, name: str) -> list[str]:
        return [code for code in self.codes if category_of(code) == name]

    def http(self, *statuses: int) -> list[int]:
        return [line for status in statuses for line in self.signals.http.get(status, ())]

    def session_at(self, line: int) -> Session | None:
        """The session whose lines include `line`."""
        index = bisect_right(self._starts, line) - 1
        if index < 0:
            return None
        session = self.sessions[index]
        return session if line <= session.end_line else None

    def latest_credentials(self, sessions: Iterable[Session] | None = None) -> Credentials | None:
        pool = self.sessions if sessions is None else tuple(sessions)
        for session in reversed(pool):
            if session.credentials:
                return session.credentials[-1]
        return None


def last_success(session: Session) -> int:
    """The line where the session last connected or reconnected; 0 when it never did."""
    return max((item.line for item in session.timeline if item.event in m.SUCCESS_KINDS), default=0)


def first_success(session: Session) -> int | None:
    return next((item.line for item in session.timeline if item.event in m.SUCCESS_KINDS), None)


def recovery(ev: Evidence, lines: Sequence[int]) -> tuple[list[Session], bool]:
    """The sessions these failure lines fall in, and whether each of them connected after its last failure."""
    last: dict[int, tuple[Session, int]] = {}
    recovered = True
    for line in lines:
        session = ev.session_at(line)
        if session is None:  # nothing around the line says it recovered
            recovered = False
        elif session.index not in last or last[session.index][1] < line:
            last[session.index] = (session, line)
    recovered = recovered and all(last_success(s) > line for s, line in last.values())
    return [s for s, _ in last.values()], recovered
