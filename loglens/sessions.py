"""Rebuild connection sessions from entries: attempts, credentials, errors, reconnects, how each ended.

A new session begins when the Bootstrapper initializes again, at `[SessionMetrics] Session started`, or at
connect attempt 1 after an earlier session; reconnects and the fresh credentials they fetch stay inside their
session (a reconnect's own connect attempt 1 does not open a new one). Fed one entry at a time, so it streams
with the parser; only the timeline grows with the log, one item per lifecycle line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field

from loglens import models as m
from loglens.credentials import CREDENTIAL_KINDS, Credentials, GrantedOf, TokenClaims, credentials_of, granted
from loglens.masking import Masked
from loglens.timeline import Kept, TimelineItem, describe

Outcome = Literal[
    "connected", "ended", "retries-exhausted", "reconnect-exhausted", "failed", "in-progress", "not-started"
]

# What one session keeps, however long it runs: the first and the latest items, and how many were left out between.
TIMELINE_HEAD, TIMELINE_TAIL = 20, 80
CREDENTIALS_HEAD, CREDENTIALS_TAIL = 10, 40
CODE_LINES_KEPT = 20

DEFAULT_MAX_RECONNECTS = 3  # the SDK's MaxReconnectAttempts; then the session state is Error
CONNECT_ATTEMPTS = 4  # the connect retry loop: at once, then after 1 s, 2 s and 4 s

FAILURE_EVENTS = (*m.CODE_EVENTS, m.RoomRequestFailed, m.TransportFailed, m.ConnectExhausted)


# What opened a session: the Bootstrapper initializing (a Play run begins), `[SessionMetrics] Session started`,
# a connect attempt (the log's first session), connect attempt 1 after an earlier connect (the app connected
# again), or some other Convai line (the log's first session). A Literal, so that mypy flags a comparison with
# anything else; the report's words for each are in `render.words`.
SessionStart = Literal["bootstrap", "session-started", "connect-attempt", "connect-again", "first-activity"]


class SessionCode(m.Frozen):
    code: Masked
    lines: tuple[int, ...] = Field(description=f"The first {CODE_LINES_KEPT} lines that reported it.")
    count: int = Field(default=0, description="How often the session reported it.")
    last_line: int = 0


class Session(m.Frozen):
    index: int = Field(ge=1)
    start_line: int
    end_line: int
    started_by: SessionStart
    character_ids: tuple[Masked, ...] = ()
    connect_attempts: int = 0
    connect_mode: Masked | None = None
    connected: bool = False
    credentials: tuple[Credentials, ...] = ()
    credentials_omitted: int = Field(default=0, description="Credentials received between the first and latest kept.")
    errors: tuple[SessionCode, ...] = ()
    reconnect_attempts: int = Field(default=0, description="The highest reconnection attempt number seen.")
    reconnect_sequences: int = Field(default=0, description="How often the connection dropped and reconnecting began.")
    reconnects_succeeded: int = 0
    reconnects_failed: int = 0
    last_error: Masked | None = Field(default=None, description="The last error code the session reported.")
    outcome: Outcome
    ended_reason: Masked | None = None
    timeline: tuple[TimelineItem, ...] = ()
    timeline_omitted: int = Field(
        default=0, description=f"Timeline items left out after the first {TIMELINE_HEAD} (the latest are kept)."
    )


class _CodeTally:
    """One error code within a session: its first lines, how often, and where last."""

    __slots__ = ("count", "last_line", "lines")

    def __init__(self) -> None:
        self.lines: list[int] = []
        self.count = 0
        self.last_line = 0

    def add(self, line: int) -> None:
        if len(self.lines) < CODE_LINES_KEPT:
            self.lines.append(line)
        self.count += 1
        self.last_line = line


class _Reconnects:
    """The reconnect loop within a session: sequences of attempts, and how they ended."""

    __slots__ = ("active", "failed", "highest", "last_line", "sequence_attempt", "sequences", "succeeded")

    def __init__(self) -> None:
        self.highest = 0  # the highest attempt number seen
        self.sequences = 0
        self.succeeded = 0
        self.failed = 0
        self.active = False  # a sequence is under way: nothing has connected since its first attempt
        self.sequence_attempt = 0  # the highest attempt number of the sequence under way
        self.last_line = 0

    def attempt(self, number: int, line: int) -> None:
        if not self.active or number <= self.sequence_attempt:
            self.sequences += 1
            self.sequence_attempt = 0
        self.active = True
        self.sequence_attempt = max(self.sequence_attempt, number)
        self.highest = max(self.highest, number)
        self.last_line = line


class _Draft:
    """A session being assembled from the facts its lines give; `freeze` turns them into a `Session`."""

    def __init__(self, index: int, entry: m.Entry, started_by: SessionStart, claims_of: GrantedOf = granted) -> None:
        self.index, self.started_by = index, started_by
        self._claims_of = claims_of
        self.start_line, self.end_line = entry.line, entry.end_line
        self.characters: list[Masked] = []
        self.attempts = 0  # the highest connect attempt number
        self.mode: Masked | None = None
        self.last_attempt = self.last_attempt_line = 0  # the number and line of the latest connect attempt
        self.exhausted = False
        self.credentials: Kept[Credentials] = Kept(CREDENTIALS_HEAD, CREDENTIALS_TAIL)
        self.codes: dict[Masked, _CodeTally] = {}
        self.reconnects = _Reconnects()
        self.last_success_line = self.last_failure_line = 0
        self.end: m.SessionEnded | None = None
        self.seen_started = self.seen_bootstrap = False
        self.timeline: Kept[TimelineItem] = Kept(TIMELINE_HEAD, TIMELINE_TAIL)
        self.credentials_room: Masked | None = None  # the room of the latest credentials line

    @property
    def connected(self) -> bool:
        return self.last_success_line > 0

    @property
    def failed_since_connect(self) -> bool:
        return self.last_failure_line > self.last_success_line

    @property
    def has_ended(self) -> bool:
        return self.end is not None

    def add(self, entry: m.Entry) -> None:
        e = entry.event
        self.end_line = max(self.end_line, entry.end_line)
        if e.kind in m.SUCCESS_KINDS:
            self.last_success_line = entry.line
            self.reconnects.active = False
        elif isinstance(e, FAILURE_EVENTS):
            self.last_failure_line = entry.line
        self._count(e, entry.line)
        code = e.code if isinstance(e, m.CODE_EVENTS) else None
        if code:
            self.codes.setdefault(code, _CodeTally()).add(entry.line)
        creds = credentials_of(entry, self._claims_of)
        if creds is not None:
            self.credentials.append(creds)
        self._note(entry, code or None, creds)

    def _count(self, e: m.Event, line: int) -> None:
        match e:
            case m.ConnectAttempt():
                self.attempts = max(self.attempts, e.attempt)
                self.last_attempt, self.last_attempt_line = e.attempt, line
                self.mode = e.mode or self.mode
                if e.character_id not in self.characters:
                    self.characters.append(e.character_id)
            case m.ConnectExhausted():
                self.exhausted = True
            case m.ReconnectAttempt():
                self.reconnects.attempt(e.attempt, line)
            case m.ReconnectSucceeded():
                self.reconnects.succeeded += 1
            case m.ReconnectionFailed():
                self.reconnects.failed += 1
            case m.SessionEnded():
                self.end = e
            case m.Milestone(kind=m.EventKind.SESSION_STARTED):
                self.seen_started = True
            case m.Bootstrap(stage="initializing"):
                self.seen_bootstrap = True

    def _note(self, entry: m.Entry, code: Masked | None, creds: Credentials | None) -> None:
        """Put the entry on the timeline, unless it has no phrase or repeats the credentials just before it."""
        described = describe(entry.event)
        if described is None:
            return
        text, mark = described
        last = self.timeline.last()
        if creds is not None:
            same_room, self.credentials_room = creds.room_name == self.credentials_room, creds.room_name
            if same_room and last is not None and last.event in CREDENTIAL_KINDS:
                return  # the Token summary right after its room details is the same room: one row is enough
        time = entry.head.time if entry.head else None
        self.timeline.append(
            TimelineItem(line=entry.line, time=time, event=entry.event.kind, text=Masked(text), mark=mark, code=code)
        )

    def reconnect_exhausted(self) -> bool:
        """Reconnecting reached MaxReconnectAttempts and failed after its last attempt."""
        r = self.reconnects
        return r.active and r.sequence_attempt >= DEFAULT_MAX_RECONNECTS and self.last_failure_line > r.last_line

    def retries_exhausted(self) -> bool:
        """The connect loop gave up: it said so, or its last attempt failed with nothing connecting after."""
        if self.exhausted:
            return True
        return (
            self.last_attempt >= CONNECT_ATTEMPTS
            and self.last_failure_line > self.last_attempt_line
            and self.last_success_line < self.last_attempt_line
        )

    def starts_new(self, entry: m.Entry) -> SessionStart | None:
        """What `entry` opens a new session as, or None when it belongs to this one.

        While the SDK is reconnecting, a connect attempt 1 or a SessionMetrics start belongs to the reconnect.
        """
        e = entry.event
        reconnecting = self.reconnects.active and not self.reconnect_exhausted()
        match e:
            case m.Bootstrap(stage="initializing") if (
                self.seen_bootstrap or self.attempts or self.seen_started or self.has_ended
            ):
                return "bootstrap"
            case m.Milestone(kind=m.EventKind.SESSION_STARTED) if (
                self.seen_started and not reconnecting
            ) or self.has_ended:
                return "session-started"
            case m.ConnectAttempt(attempt=1) if (self.attempts and not reconnecting) or self.has_ended:
                return "connect-again"
        return None

    def outcome(self) -> Outcome:
        if self.retries_exhausted():
            return "retries-exhausted"
        if self.reconnect_exhausted():
            return "reconnect-exhausted"
        if self.has_ended:
            return "ended"
        if self.connected and not self.failed_since_connect:
            return "connected"
        if self.codes or self.failed_since_connect:
            return "failed"
        if self.attempts or self.seen_started:
            return "in-progress"
        return "not-started"

    def freeze(self) -> Session:
        """The one place where a session's facts become the fields of `Session`."""
        latest = max(self.codes.items(), key=lambda kv: kv[1].last_line, default=None)
        return Session(
            index=self.index,
            start_line=self.start_line,
            end_line=self.end_line,
            started_by=self.started_by,
            character_ids=tuple(self.characters),
            connect_attempts=self.attempts,
            connect_mode=self.mode,
            connected=self.connected,
            credentials=self.credentials.items(),
            credentials_omitted=self.credentials.omitted,
            errors=tuple(
                SessionCode(code=c, lines=tuple(t.lines), count=t.count, last_line=t.last_line)
                for c, t in self.codes.items()
            ),
            reconnect_attempts=self.reconnects.highest,
            reconnect_sequences=self.reconnects.sequences,
            reconnects_succeeded=self.reconnects.succeeded,
            reconnects_failed=self.reconnects.failed,
            last_error=latest[0] if latest else None,
            outcome=self.outcome(),
            ended_reason=self.end.reason if self.end else None,
            timeline=self.timeline.items(),
            timeline_omitted=self.timeline.omitted,
        )


# What the first session of a log opened as, by the kind of its first lifecycle entry.
_FIRST_REASONS: dict[m.EventKind, SessionStart] = {
    m.EventKind.BOOTSTRAP: "bootstrap",
    m.EventKind.SESSION_STARTED: "session-started",
    m.EventKind.CONNECT_ATTEMPT: "connect-attempt",
}


class SessionBuilder:
    """Feed entries in order with `add`; `sessions()` returns what was rebuilt.

    Given `done`, each finished session goes there instead of into a list (call `finish` at the end), so a
    caller can keep a bounded few of a long log's sessions.
    """

    def __init__(self, done: Callable[[Session], None] | None = None) -> None:
        self._done: list[Session] = []
        self._sink = done or self._done.append
        self._current: _Draft | None = None
        self._claims = TokenClaims()

    def add(self, entry: m.Entry) -> None:
        if isinstance(entry.event, m.UnparsedLine | m.LogMessage | m.ExceptionRaised | m.UserText):
            return
        current = self._current
        if current is None:
            reason = _FIRST_REASONS.get(entry.event.kind, "first-activity")
            self._current = current = _Draft(1, entry, reason, self._claims)
        else:
            reason_new = current.starts_new(entry)
            if reason_new is not None:
                self._sink(current.freeze())
                self._current = current = _Draft(current.index + 1, entry, reason_new, self._claims)
        current.add(entry)

    @property
    def started(self) -> int:
        """How many sessions have begun so far, the one under way included."""
        return self._current.index if self._current is not None else len(self._done)

    def finish(self) -> None:
        """Hand the session under way to `done`: the log has ended."""
        if self._current is not None:
            self._sink(self._current.freeze())
            self._current = None

    def sessions(self) -> list[Session]:
        if self._current is None:
            return list(self._done)
        return [*self._done, self._current.freeze()]
