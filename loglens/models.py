"""Typed, frozen values that flow from the parser to the renderers.

Every event is a small closed model with a `kind` literal. Fields that hold a secret (a LiveKit token, an API
key, an end-user id or metadata, text a player typed) are `SecretStr`, so no repr, exception or JSON dump can
print them by accident. Every other string read from the log is `Masked` (`loglens.masking`): whatever a caller
passes there is masked on validation, and mypy flags a raw `str`.
"""

# No `from __future__ import annotations` here: pydantic would evaluate every field's annotation from its text
# when each model class is made, a fifth of the cost of defining these thirty-two (2 ms of a paste's analysis).
from enum import StrEnum
from typing import Annotated, Literal, get_args

from pydantic import Field, SecretStr

from loglens.frozen import Frozen as Frozen
from loglens.masking import Masked

Platform = Literal["unity", "logcat", "webgl"]


class LineHead(Frozen):
    """The bracketed head of a Convai line: `[time][Level][Category][correlation]: [Tag] ...`."""

    time: Masked | None = None
    level: Masked
    category: Masked
    correlation_id: Masked | None = None
    tag: Masked | None = Field(default=None, description="Inner tag such as SessionMetrics, without brackets.")
    color: Masked | None = Field(default=None, description="Unity rich-text color the entry was wrapped in.")
    context: dict[Masked, Masked] = Field(default_factory=dict, description="Trailing `{k=v, ...}` block.")


# --- events -----------------------------------------------------------------------------------------------


class EventKind(StrEnum):
    """What an entry says, one member per event model: the tag of the `Event` union and of timeline items.

    Modules compare against members, never against the words; the values are the `kind` strings of the JSON.
    """

    MESSAGE = "message"
    ROOM_DETAILS = "room-details"
    TOKEN_SUMMARY = "token-summary"
    SESSION_ERROR = "session-error"
    RECONNECTION_FAILED = "reconnection-failed"
    ROOM_INIT_FAILURE = "room-init-failure"
    UNCLASSIFIED_RESPONSE = "unclassified-response"
    CONNECT_ATTEMPT = "connect-attempt"
    CONNECT_SUCCEEDED = "connect-succeeded"
    CONNECT_EXHAUSTED = "connect-exhausted"
    ROOM_REQUEST_FAILED = "room-request-failed"
    TRANSPORT_CONNECTING = "transport-connecting"
    TRANSPORT_CONNECTED = "transport-connected"
    TRANSPORT_FAILED = "transport-failed"
    SESSION_STARTED = "session-started"
    SESSION_CONNECTED = "session-connected"
    RECONNECT_ATTEMPT = "reconnect-attempt"
    RECONNECT_SUCCEEDED = "reconnect-succeeded"
    SESSION_ENDED = "session-ended"
    BOOTSTRAP = "bootstrap"
    INVALID_STORED_SESSION = "invalid-stored-session"
    USER_TEXT = "user-text"
    EXCEPTION = "exception"
    UNPARSED = "unparsed"


# What several events carry right after their `kind` (a subclass narrows `kind` to its own member and keeps the
# field order, which the JSON and the published schema follow).


class _Coded(Frozen):
    """An event that always names an error code, right after its `kind`."""

    kind: EventKind
    code: Masked


class _MaybeCoded(Frozen):
    """An event that names an error code right after its `kind` when the SDK had one to give."""

    kind: EventKind
    code: Masked | None = None


class _Attempt(Frozen):
    """An event of a retry loop (connect or reconnect), numbered by its attempt right after its `kind`."""

    kind: EventKind
    attempt: int


class _ForCharacter(Frozen):
    """An outcome of the connect loop for one character, named right after the event's `kind`."""

    kind: EventKind
    character_id: Masked


class LogMessage(Frozen):
    """A Convai line with no more specific shape."""

    kind: Literal[EventKind.MESSAGE] = EventKind.MESSAGE


class RoomCharacter(Frozen):
    """One character of a multi-character room, as listed in the room details."""

    character_id: Masked | None = None
    session_id: Masked | None = None
    character_session_id: Masked | None = None


# The room URL exactly as logged, for `livekit`: secret (a LiveKit client's URL can embed the token), never dumped.
LoggedUrl = Annotated[SecretStr | None, Field(exclude=True, description="The room URL as logged, for `livekit`.")]
RoomDetailsForm = Literal["json", "escaped-json", "legacy"]
SessionErrorSource = Literal["session-metrics", "app", "sdk"]


class _Credentials(Frozen):
    """The token and the room both credentials lines carry, in the order both write them."""

    kind: EventKind
    token: SecretStr | None = None
    room_name: Masked | None = None
    room_url: Masked | None = None
    url: LoggedUrl = None
    session_id: Masked | None = None
    character_session_id: Masked | None = None


class _InForm(Frozen):
    """How a room-details line wrote its JSON, right after its `kind` (a base of its own, so it stays there)."""

    kind: EventKind
    form: RoomDetailsForm = "json"


class RoomDetails(_Credentials, _InForm):
    """`Room details received: {json}`: the Connect API's answer, carrying the LiveKit room token."""

    kind: Literal[EventKind.ROOM_DETAILS] = EventKind.ROOM_DETAILS
    request_trace_id: Masked | None = None
    speaker_id: Masked | None = None
    end_user_id: SecretStr | None = None
    end_user_metadata: SecretStr | None = None
    transport: Masked | None = None
    characters: tuple[RoomCharacter, ...] = ()
    other_keys: tuple[Masked, ...] = Field(default=(), description="Keys this version of loglens does not know.")


class TokenSummary(_Credentials):
    """`Token: ...; Room Name: ...; Room URL: ...`: the readable twin of the room details."""

    kind: Literal[EventKind.TOKEN_SUMMARY] = EventKind.TOKEN_SUMMARY
    token: SecretStr
    speaker_id: Masked | None = None
    request_trace_id: Masked | None = None
    end_user_id: SecretStr | None = None
    other_keys: tuple[Masked, ...] = ()


# The fields both credentials lines declare (after `kind`), so that what reads one reads the other alike.
CREDENTIAL_FIELDS = tuple(
    name for name in TokenSummary.model_fields if name != "kind" and name in RoomDetails.model_fields
)


class SessionError(_Coded):
    """`Session error: <code>` from SessionMetrics, or from app code (`... Session error: <code> — msg`)."""

    kind: Literal[EventKind.SESSION_ERROR] = EventKind.SESSION_ERROR
    source: SessionErrorSource = "sdk"
    detail: Masked | None = None


class ReconnectionFailed(_Coded):
    """`[SessionMetrics] Reconnection failed (error: <code>)`."""

    kind: Literal[EventKind.RECONNECTION_FAILED] = EventKind.RECONNECTION_FAILED


class RoomInitFailure(_MaybeCoded):
    """`Room init failure outcome: k=v; ...`: why the SDK could not get a room."""

    kind: Literal[EventKind.ROOM_INIT_FAILURE] = EventKind.ROOM_INIT_FAILURE
    failure_category: Masked | None = None
    response_code: int | None = None
    recoverable: bool | None = None
    error_message: Masked | None = None


class UnclassifiedResponse(Frozen):
    """`[ConnectAPI] Unclassified response (418). Falling back to '<code>'.`"""

    kind: Literal[EventKind.UNCLASSIFIED_RESPONSE] = EventKind.UNCLASSIFIED_RESPONSE
    status: int
    code: Masked
    body: Masked | None = None


class ConnectAttempt(_Attempt):
    """`Attempt <n> connecting character <id> (mode=...)`."""

    kind: Literal[EventKind.CONNECT_ATTEMPT] = EventKind.CONNECT_ATTEMPT
    character_id: Masked
    mode: Masked | None = None


class ConnectSucceeded(_ForCharacter):
    """`Character <id> connected successfully (mode=...).`"""

    kind: Literal[EventKind.CONNECT_SUCCEEDED] = EventKind.CONNECT_SUCCEEDED
    mode: Masked | None = None


class ConnectExhausted(_ForCharacter):
    """The connect retry loop gave up (`... after retry exhaustion.`)."""

    kind: Literal[EventKind.CONNECT_EXHAUSTED] = EventKind.CONNECT_EXHAUSTED


class RoomRequestFailed(Frozen):
    """`Room-details request failed with HTTP <status>: <reason> Service response: <body>`."""

    kind: Literal[EventKind.ROOM_REQUEST_FAILED] = EventKind.ROOM_REQUEST_FAILED
    status: int
    reason: Masked | None = None
    body: Masked | None = None


class Milestone(Frozen):
    """A line that carries nothing but the step it marks: `Connecting to Room...` (transport connecting),
    `Connected to room via transport.` (transport connected), `[SessionMetrics] Session started` and
    `[SessionMetrics] Connected - starting duration timer` (session connected)."""

    kind: Literal[
        EventKind.TRANSPORT_CONNECTING,
        EventKind.TRANSPORT_CONNECTED,
        EventKind.SESSION_STARTED,
        EventKind.SESSION_CONNECTED,
    ]


class TransportFailed(Frozen):
    """`Transport connection failed: <reason>` (the reason is masked; it can echo the whole token)."""

    kind: Literal[EventKind.TRANSPORT_FAILED] = EventKind.TRANSPORT_FAILED
    reason: Masked
    token_problem: Masked | None = Field(
        default=None, description="LiveKit's verdict on the token, e.g. 'token is expired (exp)'."
    )


class ReconnectAttempt(_Attempt):
    """`[SessionMetrics] Reconnection attempt #<n>`."""

    kind: Literal[EventKind.RECONNECT_ATTEMPT] = EventKind.RECONNECT_ATTEMPT


class ReconnectSucceeded(_Attempt):
    """`[SessionMetrics] Reconnection successful (attempt #<n>, success rate: <p>%)`."""

    kind: Literal[EventKind.RECONNECT_SUCCEEDED] = EventKind.RECONNECT_SUCCEEDED
    success_rate: Masked | None = None


class SessionEnded(Frozen):
    """`[SessionMetrics] Session ended (...): <reason>`."""

    kind: Literal[EventKind.SESSION_ENDED] = EventKind.SESSION_ENDED
    reason: Masked | None = None


BootstrapStage = Literal["initializing", "initialized", "api-key-missing", "settings-missing", "other"]


class Bootstrap(Frozen):
    """A `Convai Bootstrapper: ...` line."""

    kind: Literal[EventKind.BOOTSTRAP] = EventKind.BOOTSTRAP
    stage: BootstrapStage


class InvalidStoredSession(Frozen):
    """The stored character_session_id was rejected; the SDK retries without it."""

    kind: Literal[EventKind.INVALID_STORED_SESSION] = EventKind.INVALID_STORED_SESSION


class UserText(Frozen):
    """`Sent user text message: <text>`: what the player typed is personal data."""

    kind: Literal[EventKind.USER_TEXT] = EventKind.USER_TEXT
    text: SecretStr


class ExceptionRaised(Frozen):
    """`SomethingException: message` (its `at ...` frames are the entry's frames)."""

    kind: Literal[EventKind.EXCEPTION] = EventKind.EXCEPTION
    type: Masked


class UnparsedLine(Frozen):
    """Any line that is not a Convai line: Unity noise, other plugins, the user's own logs."""

    kind: Literal[EventKind.UNPARSED] = EventKind.UNPARSED


Event = Annotated[
    LogMessage
    | RoomDetails
    | TokenSummary
    | SessionError
    | ReconnectionFailed
    | RoomInitFailure
    | UnclassifiedResponse
    | ConnectAttempt
    | ConnectSucceeded
    | ConnectExhausted
    | RoomRequestFailed
    | Milestone
    | TransportFailed
    | ReconnectAttempt
    | ReconnectSucceeded
    | SessionEnded
    | Bootstrap
    | InvalidStoredSession
    | UserText
    | ExceptionRaised
    | UnparsedLine,
    Field(discriminator="kind"),
]

CODE_EVENTS = (SessionError, ReconnectionFailed, RoomInitFailure, UnclassifiedResponse)
# What says a connection (or a reconnection) went through: the connect loop, the transport, the session timer.
SUCCESS_KINDS = frozenset(
    {
        EventKind.CONNECT_SUCCEEDED,
        EventKind.TRANSPORT_CONNECTED,
        EventKind.SESSION_CONNECTED,
        EventKind.RECONNECT_SUCCEEDED,
    }
)


def kinds_of(model: type[Frozen]) -> tuple[EventKind, ...]:
    """The kinds an event model stands for: its own one, or the several a milestone marks."""
    return get_args(model.model_fields["kind"].annotation)


# The model that reads each kind of event.
EVENT_MODELS: dict[EventKind, type[Frozen]] = {
    kind: model for model in get_args(get_args(Event)[0]) for kind in kinds_of(model)
}


class Footer(Frozen):
    """`(Filename: <path> Line: N)` under an entry in Editor.log and Player.log."""

    path: Masked
    line: int | None = None


class Entry(Frozen):
    """One log entry: a message line with its continuation lines, stack frames and footer.

    `message` (the text after the line head, or the whole line of an unparsed entry), `frames` and the footer
    are masked; the raw line is not kept, so nothing secret travels further than the parser.
    """

    line: int = Field(ge=1, description="1-based number of the entry's first line.")
    end_line: int = Field(ge=1)
    platform: Platform = "unity"
    head: LineHead | None = None
    event: Event
    message: Masked
    frames: tuple[Masked, ...] = ()
    footer: Footer | None = None


# --- findings ---------------------------------------------------------------------------------------------

Severity = Literal["blocker", "error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"blocker": 0, "error": 1, "warning": 2, "info": 3}


class Diagnosis(Frozen):
    """One rule that fired: what is wrong, why, what to do, how to check, and the lines it saw."""

    rule: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    severity: Severity
    title: Masked
    cause: Masked
    fix: tuple[Masked, ...]
    verify: Masked
    lines: tuple[int, ...] = Field(description="The first lines the rule saw (a bounded few).")
    lines_omitted: int = Field(default=0, description="Lines the rule saw that `lines` leaves out.")
