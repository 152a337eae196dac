"""The sessions `analyze` keeps of a long log: the first and the latest whole, the rest counted as they pass.

A support desk's log can hold thousands of sessions; keeping each whole made memory grow with the log. The pool
keeps a window of sessions for the diagnosis rules (wider than the report's), and what falls out of it is
folded into a summary the moment it does, so memory stays flat however long the log is.
"""

from __future__ import annotations

from collections import Counter, deque

from pydantic import Field

from loglens import models as m
from loglens.sessions import Session

SESSIONS_HEAD, SESSIONS_TAIL = 10, 40  # sessions the report keeps whole: the first and the latest
RULES_HEAD, RULES_TAIL = 50, 250  # sessions the diagnosis rules look at whole: the first and the latest


class SessionsOmitted(m.Frozen):
    """The sessions between the first and the latest ones kept whole, summarised."""

    count: int
    first_index: int
    last_index: int
    first_line: int
    last_line: int
    outcomes: dict[str, int] = Field(description="How many of them ended each way.")
    connected: int
    connect_attempts: int
    errors: dict[str, int] = Field(description="Error codes they reported, with how often.")


class _Tally:
    """Running totals over sessions that are not kept: what `SessionsOmitted` says about them."""

    def __init__(self) -> None:
        self.count = self.connected = self.attempts = 0
        self.first: Session | None = None
        self.last: Session | None = None
        self.outcomes: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()

    def add(self, session: Session) -> None:
        self.count += 1
        if self.first is None or session.index < self.first.index:
            self.first = session
        if self.last is None or session.index > self.last.index:
            self.last = session
        self.outcomes[session.outcome] += 1
        self.connected += session.connected
        self.attempts += session.connect_attempts
        self.errors.update({e.code: e.count or len(e.lines) for e in session.errors})

    def merge(self, other: _Tally) -> None:
        """Fold in a later stretch of sessions (keys keep the order in which they were first met)."""
        for session in (other.first, other.last):
            if session is not None:
                self.first = session if self.first is None or session.index < self.first.index else self.first
                self.last = session if self.last is None or session.index > self.last.index else self.last
        self.count += other.count
        self.connected += other.connected
        self.attempts += other.attempts
        self.outcomes.update(other.outcomes)
        self.errors.update(other.errors)

    def summary(self) -> SessionsOmitted | None:
        if not self.count or self.first is None or self.last is None:
            return None
        return SessionsOmitted(
            count=self.count,
            first_index=self.first.index,
            last_index=self.last.index,
            first_line=self.first.start_line,
            last_line=self.last.end_line,
            outcomes=dict(self.outcomes),
            connected=self.connected,
            connect_attempts=self.attempts,
            errors=dict(self.errors.most_common()),
        )


class SessionPool:
    """Takes each finished session (`add`, in order); keeps the first `RULES_HEAD` and latest `RULES_TAIL`."""

    def __init__(self, head: int = RULES_HEAD, tail: int = RULES_TAIL) -> None:
        self._head: list[Session] = []
        self._head_size = head
        self._tail: deque[Session] = deque(maxlen=tail)
        self._dropped = _Tally()  # sessions that left the window: all of them fall in the report's middle too
        self.count = 0

    def add(self, session: Session) -> None:
        self.count += 1
        if len(self._head) < self._head_size:
            self._head.append(session)
            return
        if len(self._tail) == self._tail.maxlen:
            self._dropped.add(self._tail[0])
        self._tail.append(session)

    @property
    def dropped(self) -> int:
        """Sessions the rules do not see whole."""
        return self._dropped.count

    def window(self) -> list[Session]:
        """The sessions kept whole, in order, for the rules: all of them unless `dropped`."""
        return [*self._head, *self._tail]

    def kept(self) -> tuple[Session, ...]:
        """The report's sessions: the first `SESSIONS_HEAD` and the latest `SESSIONS_TAIL`."""
        window = self.window()
        if self.count <= SESSIONS_HEAD + SESSIONS_TAIL:
            return tuple(window)
        return (*window[:SESSIONS_HEAD], *window[-SESSIONS_TAIL:])

    def omitted(self) -> SessionsOmitted | None:
        """What the report says of the sessions between the ones it keeps, in the order they came."""
        if self.count <= SESSIONS_HEAD + SESSIONS_TAIL:
            return None
        early, late = _Tally(), _Tally()
        last_of_head = self._head[-1].index  # the dropped sessions came after it
        for session in self.window()[SESSIONS_HEAD:-SESSIONS_TAIL]:
            (early if session.index <= last_of_head else late).add(session)
        early.merge(self._dropped)
        early.merge(late)
        return early.summary()
