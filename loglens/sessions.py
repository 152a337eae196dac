"""Rebuild connection sessions from entries: attempts, credentials, errors, reconnects, how each ended.

A new session begins when the Bootstrapper initializes again, at `[SessionMetrics] Session started`, or at
connect attempt 1 after an earlier session; reconnects and the fresh credentials they fetch stay inside their
session (a reconnect's own connect attempt 1 does not open a new one). Fed one entry at a time, so it streams
with the parser; only the timeline grows with the log, one item per lifecycle line.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Generic, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import Field, SecretStr

from loglens import models as m
from loglens.masking import Masked, masked
from loglens.tokens import Claims, decode_claims

Outcome = Literal[
    "connected", "ended", "retries-exhausted", "reconnect-exhausted", "failed", "in-progress", "not-started"
]
Mark = Literal["ok", "failed", "warning", "info"]

# What one session keeps, however long it runs: the first and the latest items, and how many were left out between.
TIMELINE_HEAD, TIMELINE_TAIL = 20, 80
CREDENTIALS_HEAD, CREDENTIALS_TAIL = 10, 40
CODE_LINES_KEPT = 20

DEFAULT_MAX_RECONNECTS = 3  # the SDK's MaxReconnectAttempts; then the session state is Error
CONNECT_ATTEMPTS = 4  # the connect retry loop: at once, then after 1 s, 2 s and 4 s

SUCCESS_EVENTS = (m.ConnectSucceeded, m.TransportConnected, m.SessionConnected, m.ReconnectSucceeded)
FAILURE_EVENTS = (*m.CODE_EVENTS, m.RoomRequestFailed, m.TransportFailed, m.ConnectExhausted)
CREDENTIAL_KINDS = frozenset({"room-details", "token-summary"})
T = TypeVar("T")


class Credentials(m.Frozen):
    """The LiveKit room credentials one Connect API answer carried."""

    line: int
    source: Literal["room-details", "token-summary"]
    token: SecretStr | None = None
    room_name: Masked | None = None
    room_url: Masked | None = None
    url: SecretStr | None = Field(default=None, exclude=True, description="The room URL as logged, for `livekit`.")
    livekit_host: Masked | None = None
    session_id: Masked | None = None
    character_session_id: Masked | None = None
    token_room: Masked | None = Field(default=None, description="The room the token itself grants (video.room).")
    issuer: Masked | None = None
    not_before: datetime | None = None
    expires_at: datetime | None = None


class TimelineItem(m.Frozen):
    line: int
    time: Masked | None = None
    event: str = Field(description="The event kind, as in the parser's models.")
    text: Masked = Field(description="One short phrase; never a secret.")
    mark: Mark = "info"
    code: Masked | None = Field(default=None, description="The error code this line reported, if any.")


class SessionCode(m.Frozen):
    code: Masked
    lines: tuple[int, ...] = Field(description=f"The first {CODE_LINES_KEPT} lines that reported it.")
    count: int = Field(default=0, description="How often the session reported it.")
    last_line: int = 0


class Session(m.Frozen):
    index: int = Field(ge=1)
    start_line: int
    end_line: int
    started_by: str
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


class Kept(Generic[T]):
    """The first `head` and the latest `tail` items of a stream, and how many fell between them."""

    def __init__(self, head: int, tail: int) -> None:
        self.head: list[T] = []
        self.tail: deque[T] = deque(maxlen=tail)
        self._head_size = head
        self.omitted = 0

    def append(self, item: T) -> None:
        if len(self.head) < self._head_size:
            self.head.append(item)
            return
        if len(self.tail) == self.tail.maxlen:
            self.omitted += 1
        self.tail.append(item)

    def last(self) -> T | None:
        return self.tail[-1] if self.tail else (self.head[-1] if self.head else None)

    def items(self) -> tuple[T, ...]:
        return (*self.head, *self.tail)

    def __bool__(self) -> bool:
        return bool(self.head)


CLOUD_SUFFIXES = (".livekit.cloud", ".livekit.run")


def is_cloud_host(host: str) -> bool:
    """A LiveKit Cloud host (as opposed to a self-hosted LiveKit server)."""
    return host.endswith(CLOUD_SUFFIXES)


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def credentials_of(entry: m.Entry) -> Credentials | None:
    event = entry.event
    if not isinstance(event, m.RoomDetails | m.TokenSummary):
        return None
    claims: Claims | None = decode_claims(event.token.get_secret_value()) if event.token else None
    return Credentials(
        line=entry.line,
        source=event.kind,
        token=event.token,
        room_name=event.room_name,
        room_url=event.room_url,
        url=event.url,
        livekit_host=masked(host_of(event.url.get_secret_value() if event.url else None)),
        session_id=event.session_id,
        character_session_id=event.character_session_id,
        token_room=masked(claims.video.room if claims and claims.video else None),
        issuer=masked(claims.issuer if claims else None),
        not_before=claims.not_before if claims else None,
        expires_at=claims.expires_at if claims else None,
    )


def _describe(entry: m.Entry) -> tuple[str, Mark] | None:
    """The timeline phrase for an entry, or None when it does not belong on a timeline."""
    e = entry.event
    match e:
        case m.Bootstrap(stage="initializing"):
            return "Bootstrapper initializing", "info"
        case m.Bootstrap(stage="initialized"):
            return "Bootstrapper ready", "ok"
        case m.Bootstrap(stage="api-key-missing"):
            return "API key not configured", "failed"
        case m.Bootstrap(stage="settings-missing"):
            return "ConvaiSettings not found", "failed"
        case m.ConnectAttempt():
            mode = f" (mode={e.mode})" if e.mode else ""
            return f"connect attempt {e.attempt}{mode}", "info"
        case m.ConnectSucceeded():
            return "character connected", "ok"
        case m.ConnectExhausted():
            return "gave up after retry exhaustion", "failed"
        case m.RoomDetails() | m.TokenSummary():
            return f"credentials received for room {e.room_name or '?'}", "ok"
        case m.RoomRequestFailed():
            return f"room-details request failed: HTTP {e.status}", "failed"
        case m.RoomInitFailure():
            return f"room init failed ({e.code or e.failure_category or 'no code'})", "failed"
        case m.TransportConnecting():
            return "joining the LiveKit room", "info"
        case m.TransportConnected():
            return "joined the LiveKit room", "ok"
        case m.TransportFailed():
            return "LiveKit connection failed" + (f": {e.token_problem}" if e.token_problem else ""), "failed"
        case m.SessionStarted():
            return "session started", "info"
        case m.SessionConnected():
            return "session connected", "ok"
        case m.SessionError():
            return f"error {e.code}", "failed"
        case m.UnclassifiedResponse():
            return f"unclassified HTTP {e.status}, treated as {e.code}", "failed"
        case m.ReconnectAttempt():
            return f"reconnection attempt #{e.attempt}", "warning"
        case m.ReconnectSucceeded():
            return f"reconnected (attempt #{e.attempt})", "ok"
        case m.ReconnectionFailed():
            return f"reconnection failed: {e.code}", "failed"
        case m.SessionEnded():
            return "session ended" + (f" ({e.reason})" if e.reason else ""), "info"
        case m.InvalidStoredSession():
            return "stored character session rejected; retrying without it", "warning"
    return None


class _Draft:
    """A session being assembled; frozen into a `Session` when the next begins or the log ends."""

    def __init__(self, index: int, entry: m.Entry, started_by: str) -> None:
        self.index = index
        self.start_line = entry.line
        self.end_line = entry.end_line
        self.started_by = started_by
        self.characters: list[Masked] = []
        self.attempts = 0
        self.mode: Masked | None = None
        self.connected = False
        self.credentials: Kept[Credentials] = Kept(CREDENTIALS_HEAD, CREDENTIALS_TAIL)
        self.codes: dict[Masked, list[int]] = {}
        self.code_counts: dict[Masked, int] = {}
        self.code_last: dict[Masked, int] = {}
        self.last_error: Masked | None = None
        self.reconnect_attempts = 0
        self.reconnect_sequences = 0
        self.reconnects_ok = 0
        self.reconnects_failed = 0
        self.reconnecting = False
        self.sequence_attempt = 0  # the highest attempt number of the reconnect sequence under way
        self.exhausted = False
        self.failed_since_connect = False
        self.last_attempt = 0  # the number of the latest connect attempt
        self.last_attempt_line = 0
        self.last_reconnect_line = 0
        self.last_success_line = 0
        self.last_failure_line = 0
        self.ended: Masked | None = None
        self.has_ended = False
        self.seen_started = False
        self.seen_bootstrap = False
        self.timeline: Kept[TimelineItem] = Kept(TIMELINE_HEAD, TIMELINE_TAIL)

    def add(self, entry: m.Entry) -> None:
        e = entry.event
        self.end_line = max(self.end_line, entry.end_line)
        if isinstance(e, SUCCESS_EVENTS):
            self.connected = True
            self.failed_since_connect = False
            self.reconnecting = False
            self.last_success_line = entry.line
        elif isinstance(e, FAILURE_EVENTS):
            self.failed_since_connect = True
            self.last_failure_line = entry.line
        match e:
            case m.ConnectAttempt():
                self.attempts = max(self.attempts, e.attempt)
                self.last_attempt, self.last_attempt_line = e.attempt, entry.line
                self.mode = e.mode or self.mode
                if e.character_id not in self.characters:
                    self.characters.append(e.character_id)
            case m.ConnectExhausted():
                self.exhausted = True
            case m.ReconnectAttempt():
                if not self.reconnecting or e.attempt <= self.sequence_attempt:
                    self.reconnect_sequences += 1
                    self.sequence_attempt = 0
                self.reconnecting = True
                self.sequence_attempt = max(self.sequence_attempt, e.attempt)
                self.reconnect_attempts = max(self.reconnect_attempts, e.attempt)
                self.last_reconnect_line = entry.line
            case m.ReconnectSucceeded():
                self.reconnects_ok += 1
            case m.ReconnectionFailed():
                self.reconnects_failed += 1
            case m.SessionEnded():
                self.has_ended = True
                self.ended = e.reason
            case m.SessionStarted():
                self.seen_started = True
            case m.Bootstrap(stage="initializing"):
                self.seen_bootstrap = True
        code = e.code if isinstance(e, m.CODE_EVENTS) else None
        if code:
            where = self.codes.setdefault(code, [])
            if len(where) < CODE_LINES_KEPT:
                where.append(entry.line)
            self.code_counts[code] = self.code_counts.get(code, 0) + 1
            self.code_last[code] = entry.line
            self.last_error = code
        creds = credentials_of(entry)
        if creds is not None:
            self.credentials.append(creds)
        described = _describe(entry)
        if described is not None:
            text, mark = described
            last = self.timeline.last()
            if creds is not None and last is not None and last.event in CREDENTIAL_KINDS and last.text == text:
                return  # the Token summary right after its room details says the same: one timeline row is enough
            time = entry.head.time if entry.head else None
            self.timeline.append(
                TimelineItem(line=entry.line, time=time, event=e.kind, text=Masked(text), mark=mark, code=code or None)
            )

    def reconnect_exhausted(self) -> bool:
        """Reconnecting reached MaxReconnectAttempts and failed after its last attempt."""
        return (
            self.reconnecting
            and self.sequence_attempt >= DEFAULT_MAX_RECONNECTS
            and self.last_failure_line > self.last_reconnect_line
        )

    def retries_exhausted(self) -> bool:
        """The connect loop gave up: it said so, or its last attempt failed with nothing connecting after."""
        if self.exhausted:
            return True
        return (
            self.last_attempt >= CONNECT_ATTEMPTS
            and self.last_failure_line > self.last_attempt_line
            and self.last_success_line < self.last_attempt_line
        )

    def starts_new(self, entry: m.Entry) -> str | None:
        """Why `entry` opens a new session, or None when it belongs to this one.

        While the SDK is reconnecting, a connect attempt 1 or a SessionMetrics start belongs to the reconnect.
        """
        e = entry.event
        reconnecting = self.reconnecting and not self.reconnect_exhausted()
        match e:
            case m.Bootstrap(stage="initializing") if (
                self.seen_bootstrap or self.attempts or self.seen_started or self.has_ended
            ):
                return "Bootstrapper initialized"
            case m.SessionStarted() if (self.seen_started and not reconnecting) or self.has_ended:
                return "SessionMetrics session started"
            case m.ConnectAttempt(attempt=1) if (self.attempts and not reconnecting) or self.has_ended:
                return "connect attempt 1"
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
                SessionCode(code=c, lines=tuple(lines), count=self.code_counts[c], last_line=self.code_last[c])
                for c, lines in self.codes.items()
            ),
            reconnect_attempts=self.reconnect_attempts,
            reconnect_sequences=self.reconnect_sequences,
            reconnects_succeeded=self.reconnects_ok,
            reconnects_failed=self.reconnects_failed,
            last_error=self.last_error,
            outcome=self.outcome(),
            ended_reason=self.ended,
            timeline=self.timeline.items(),
            timeline_omitted=self.timeline.omitted,
        )


_FIRST_REASONS: dict[str, str] = {
    "bootstrap": "Bootstrapper initialized",
    "session-started": "SessionMetrics session started",
    "connect-attempt": "connect attempt",
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

    def add(self, entry: m.Entry) -> None:
        if isinstance(entry.event, m.UnparsedLine | m.LogMessage | m.ExceptionRaised | m.UserText):
            return
        current = self._current
        if current is None:
            reason = _FIRST_REASONS.get(entry.event.kind, "first Convai activity")
            self._current = current = _Draft(1, entry, reason)
        else:
            reason_new = current.starts_new(entry)
            if reason_new is not None:
                self._sink(current.freeze())
                self._current = current = _Draft(current.index + 1, entry, reason_new)
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
