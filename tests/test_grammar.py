"""Table tests for the grammar: one row per line shape of the SDK, with what it must turn into."""

from __future__ import annotations

from typing import Any

import pytest

from loglens import models as m
from loglens.parse import LineParser, parse_line
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-1", room="room-abc", exp=1_950_000_000, nbf=1_700_000_000)

# (line, event kind, expected event fields, expected head fields or None for a bare line)
ROWS: list[tuple[str, str, dict[str, Any], dict[str, Any] | None]] = [
    # 4.x room details, full key set, time in the head
    (
        '[14:02:11.871][Debug][Transport]: Room details received: {"token":"' + TOKEN + '","room_name":"room-abc",'
        '"session_id":"s-1","request_trace_id":null,"room_url":"wss://convai-technologies-lfslae7c.livekit.cloud",'
        '"character_session_id":"cs-1","speaker_id":null,"end_user_id":"u-1","end_user_metadata":{"name":"Ann"},'
        '"room_session_id":null,"partial_dispatch":false,"characters":null,"transport":"livekit","new_key":1}',
        "room-details",
        {
            "room_name": "room-abc",
            "session_id": "s-1",
            "character_session_id": "cs-1",
            "transport": "livekit",
            "other_keys": ("new_key",),
            "form": "json",
        },
        {"time": "14:02:11.871", "level": "Debug", "category": "Transport"},
    ),
    # older SDKs: only the first four keys
    (
        '[Debug][Transport]: Room details received: {"token":"' + TOKEN + '","room_name":"r","session_id":"s",'
        '"room_url":"wss://x.livekit.cloud"}',
        "room-details",
        {"room_name": "r", "room_url": "wss://x.livekit.cloud", "other_keys": ()},
        {"time": None, "level": "Debug"},
    ),
    # re-exported log: the JSON arrives with escaped quotes
    (
        '[Debug][Transport]: Room details received: {\\"token\\":\\"' + TOKEN + '\\",\\"room_name\\":\\"esc\\"}',
        "room-details",
        {"room_name": "esc", "form": "escaped-json"},
        {"category": "Transport"},
    ),
    # WebGL builds prefix the message with their controller tag
    (
        '[Debug][Transport]: [WebGLRoomController] Room details received: {"token":"' + TOKEN + '","room_name":"w"}',
        "room-details",
        {"room_name": "w"},
        {"tag": "WebGLRoomController"},
    ),
    # multi-character rooms list their characters
    (
        '[Debug][Transport]: Room details received: {"token":"t.t.t","room_name":"mc","characters":'
        '[{"character_id":"c1","session_id":"s1","character_session_id":"cs1"},{"character_id":"c2"}]}',
        "room-details",
        {
            "characters": (
                m.RoomCharacter(character_id="c1", session_id="s1", character_session_id="cs1"),
                m.RoomCharacter(character_id="c2"),
            )
        },
        {},
    ),
    # pre-4.0 beta, bare line with the key emoji
    (
        '🔑 ROOM DETAILS RECEIVED: {"token":"' + TOKEN + '","room_name":"legacy","session_id":"s","room_url":"u"}',
        "room-details",
        {"room_name": "legacy", "form": "legacy"},
        None,
    ),
    # pre-4.0 beta at Info level with a head
    (
        '[Info][Transport]: 🔑 ROOM DETAILS RECEIVED: {"token":"' + TOKEN + '","room_name":"legacy2"}',
        "room-details",
        {"room_name": "legacy2", "form": "legacy"},
        {"level": "Info"},
    ),
    # Token summary with every optional suffix
    (
        "[Debug][Transport]: Token: " + TOKEN + "; Room Name: room-abc; Room URL: wss://h.livekit.cloud; "
        "Session ID: s-1; Character Session ID: cs-1; Resolved Speaker ID (diagnostics): sp-1; "
        "Request Trace ID: tr-1; Resolved End User ID: eu-1",
        "token-summary",
        {
            "room_name": "room-abc",
            "room_url": "wss://h.livekit.cloud",
            "session_id": "s-1",
            "character_session_id": "cs-1",
            "speaker_id": "sp-1",
            "request_trace_id": "tr-1",
        },
        {"level": "Debug"},
    ),
    # older Token summary: `Resolved Speaker ID:` with an empty value
    (
        "[Info][Transport]: Token: " + TOKEN + "; Room Name: r; Room URL: wss://h; Session ID: s; "
        "Character Session ID: c; Resolved Speaker ID: ",
        "token-summary",
        {"room_name": "r", "speaker_id": None},
        {"level": "Info"},
    ),
    # SessionMetrics session error
    (
        "[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed",
        "session-error",
        {"code": "transport.ice_failed", "source": "session-metrics"},
        {"tag": "SessionMetrics"},
    ),
    # app code from the docs, no Convai head, em dash and message
    (
        "[MyApp] Session error: connection.timeout — Connect did not complete within the timeout window",
        "session-error",
        {"code": "connection.timeout", "source": "app", "detail": "Connect did not complete within the timeout window"},
        None,
    ),
    # app code logged through a Convai head
    (
        "[Error][SDK]: [MyApp] Session error: connection.network_error — DNS failed",
        "session-error",
        {"code": "connection.network_error", "source": "app", "detail": "DNS failed"},
        {"tag": "MyApp"},
    ),
    # unknown codes are still codes
    (
        "[Warning][SDK]: [SessionMetrics] Session error: connection.something_new",
        "session-error",
        {"code": "connection.something_new"},
        {},
    ),
    # reconnection failed with its code
    (
        "[Warning][SDK]: [SessionMetrics] Reconnection failed (error: transport.signal_disconnected)",
        "reconnection-failed",
        {"code": "transport.signal_disconnected"},
        {},
    ),
    # room init failure outcome: key=value pairs, one value braced with its own semicolons
    (
        "[Debug][Transport]: Room init failure outcome: category=RoomDetailsRequestFailed; responseCode=401; "
        "shouldPublishSessionError=True; sessionErrorCode=connection.connect_invalid_api_key; "
        "sessionErrorRecoverable=False; sessionErrorMessage=Invalid API key; recovery={status=Failed; attempts=1}",
        "room-init-failure",
        {
            "code": "connection.connect_invalid_api_key",
            "response_code": 401,
            "recoverable": False,
            "failure_category": "RoomDetailsRequestFailed",
            "error_message": "Invalid API key",
        },
        {},
    ),
    # unclassified Connect API response
    (
        "[Warning][Bootstrap]: [ConnectAPI] Unclassified response (418). Falling back to 'connection.bad_request'. "
        'Raw response: {"detail":"teapot"}',
        "unclassified-response",
        {"status": 418, "code": "connection.bad_request", "body": '{"detail":"teapot"}'},
        {"tag": "ConnectAPI"},
    ),
    # connect attempt with its mode
    (
        "[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 2 connecting character 3f9a-77 (mode=create)",
        "connect-attempt",
        {"attempt": 2, "character_id": "3f9a-77", "mode": "create"},
        {},
    ),
    # connect success
    (
        "[Info][SDK]: [RoomConnectionRuntimeAdapter] Character 3f9a-77 connected successfully (mode=resume).",
        "connect-succeeded",
        {"character_id": "3f9a-77", "mode": "resume"},
        {},
    ),
    # retry exhaustion
    (
        "[Error][SDK]: [RoomConnectionRuntimeAdapter] Failed to connect character 3f9a-77 after retry exhaustion.",
        "connect-exhausted",
        {"character_id": "3f9a-77"},
        {"level": "Error"},
    ),
    # room-details HTTP failure with status, reason and body
    (
        '[Error][Transport]: Room-details request failed with HTTP 404: Not Found Service response: {"detail":"x"}',
        "room-request-failed",
        {"status": 404, "reason": "Not Found", "body": '{"detail":"x"}'},
        {},
    ),
    # room-details HTTP failure without a body
    (
        "[Error][Transport]: Room-details request failed with HTTP 503: Service Unavailable",
        "room-request-failed",
        {"status": 503, "reason": "Service Unavailable", "body": None},
        {},
    ),
    # transport lifecycle
    ("[Debug][Transport]: Connecting to Room...", "transport-connecting", {}, {}),
    ("[Debug][Transport]: Connected to room via transport.", "transport-connected", {}, {}),
    # LiveKit echoes the token in its error: the reason is masked, the verdict kept
    (
        "[Error][Transport]: Transport connection failed: could not establish signal connection: invalid token: "
        + TOKEN
        + ", error: token is expired (exp)",
        "transport-failed",
        {
            "token_problem": "token is expired (exp)",
            "reason": "could not establish signal connection: invalid token: <livekit-token>, "
            "error: token is expired (exp)",
        },
        {},
    ),
    # SessionMetrics lifecycle
    ("[Debug][SDK]: [SessionMetrics] Session started", "session-started", {}, {}),
    ("[Debug][SDK]: [SessionMetrics] Connected - starting duration timer", "session-connected", {}, {}),
    ("[Debug][SDK]: [SessionMetrics] Reconnection attempt #2", "reconnect-attempt", {"attempt": 2}, {}),
    (
        "[Info][SDK]: [SessionMetrics] Reconnection successful (attempt #1, success rate: 100%)",
        "reconnect-succeeded",
        {"attempt": 1, "success_rate": "100%"},
        {},
    ),
    (
        "[Info][SDK]: [SessionMetrics] Session ended (error recovery): duration=12s",
        "session-ended",
        {"reason": "error recovery"},
        {},
    ),
    # bootstrapper stages
    ("[Info][Bootstrap]: Convai Bootstrapper: Initializing...", "bootstrap", {"stage": "initializing"}, {}),
    ("[Info][Bootstrap]: Convai Bootstrapper: Initialization complete.", "bootstrap", {"stage": "initialized"}, {}),
    (
        "[Warning][Bootstrap]: Convai Bootstrapper: API key not configured. Please set your API key in "
        "Edit > Project Settings > Convai SDK.",
        "bootstrap",
        {"stage": "api-key-missing"},
        {"level": "Warning"},
    ),
    (
        "[Error][Bootstrap]: Convai Bootstrapper: ConvaiSettings not found! Please configure settings via "
        "Edit > Project Settings > Convai SDK.",
        "bootstrap",
        {"stage": "settings-missing"},
        {},
    ),
    # stored session rejected
    (
        "[Warning][Transport]: Invalid stored character_session_id. Clearing and retrying without session.",
        "invalid-stored-session",
        {},
        {},
    ),
    # what the player typed is a secret-typed field
    (
        "[Debug][SDK]: [ConvaiRoomManager] Sent user text message: my address is 1 Main St",
        "user-text",
        {},
        {"tag": "ConvaiRoomManager"},
    ),
    # exceptions outside a Convai head
    (
        "NullReferenceException: Object reference not set to an instance of an object",
        "exception",
        {"type": "NullReferenceException"},
        None,
    ),
    # custom file sink: no colon, no time
    ("[Info][Transport] Custom sink says hello", "message", {}, {"level": "Info", "category": "Transport"}),
    # v3 plugin level and category
    (
        "[Exception][GRPC]: RpcException: Status(StatusCode=Unavailable)",
        "message",
        {},
        {"level": "Exception", "category": "GRPC"},
    ),
    # correlation id as a fourth bracket
    (
        "[Debug][SDK][0123456789abcdef0123456789abcdef]: hello",
        "message",
        {},
        {"correlation_id": "0123456789abcdef0123456789abcdef"},
    ),
    # rich markup in a message is just text
    ("[Info][UI]: [bold]x[/bold] saved settings.json", "message", {}, {"category": "UI"}),
    # a code-shaped word outside a code context is not a code
    ("[Info][SDK]: loaded connection.ini and settings.json", "message", {}, {}),
    # a Session error whose value is not code-shaped falls back to a plain message
    ("[Warning][SDK]: [SessionMetrics] Session error: something odd happened", "message", {}, {}),
    # a keyword followed by more than its shape falls back too
    ("[Info][SDK]: [SessionMetrics] Session started early, twice", "message", {}, {}),
    # a bootstrapper line the grammar knows no stage of
    ("[Info][Bootstrap]: Convai Bootstrapper: Loading characters", "bootstrap", {"stage": "other"}, {}),
    # a bootstrapper line with nothing after the colon
    ("[Info][Bootstrap]: Convai Bootstrapper:", "bootstrap", {"stage": "other"}, {}),
    # LiveKit's problem with the token is what follows the first `, error: ` (invalid token named after it)
    (
        "[Error][Transport]: Transport connection failed: connect failed, error: invalid token: abc, error: late",
        "transport-failed",
        {
            "reason": "connect failed, error: invalid token: abc, error: late",
            "token_problem": "invalid token: abc, error: late",
        },
        {},
    ),
    # `, error: ` with nothing after it: the reason keeps it, there is no problem to report
    (
        "[Error][Transport]: Transport connection failed: invalid token: abc, error: ",
        "transport-failed",
        {"reason": "invalid token: abc, error:", "token_problem": None},
        {},
    ),
    # an error chain that does not name an invalid token has no token problem
    (
        "[Error][Transport]: Transport connection failed: dial failed, error: connection refused",
        "transport-failed",
        {"reason": "dial failed, error: connection refused", "token_problem": None},
        {},
    ),
    # no reason at all
    ("[Error][Transport]: Transport connection failed:", "transport-failed", {"reason": "", "token_problem": None}, {}),
    # a trailing context block is read by the grammar, after the inner tag
    ("[Debug][Audio]: [Mic] Sent audio {chunk=3, bytes=640}", "message", {}, {"tag": "Mic"}),
    # the tag in front of a Session error says who raised it
    ("[Error][Game]: [MyApp] Session error: connection.timeout", "session-error", {"source": "app"}, {"tag": "MyApp"}),
    ("[Error][SDK]: Session error: connection.timeout", "session-error", {"source": "sdk"}, {"tag": None}),
]


@pytest.mark.parametrize(("line", "kind", "fields", "head"), ROWS, ids=[f"row{i}" for i in range(len(ROWS))])
def test_line_shapes(line: str, kind: str, fields: dict[str, Any], head: dict[str, Any] | None) -> None:
    parsed = parse_line(line)
    assert parsed is not None
    got_head, body = parsed
    assert body.event.kind == kind
    for name, value in fields.items():
        assert getattr(body.event, name) == value, name
    if head is None:
        assert got_head is None
    else:
        assert got_head is not None
        merged = got_head.model_copy(update={"tag": body.tag, "context": body.context})
        for name, value in head.items():
            assert getattr(merged, name) == value, name


# Lines that are not Convai lines at all: the parser must say so, not raise.
NOT_CONVAI = [
    "Refreshing native plugins compatible for Editor in 12.3 ms, found 3 plugins.",  # Unity noise
    "[Licensing::Client] Successfully resolved entitlement details",  # bracket but not a level
    "",  # empty
    "[Debug]",  # a level alone has no category
    "Session error: ",  # the marker with nothing after it
]


@pytest.mark.parametrize("line", NOT_CONVAI)
def test_not_convai(line: str) -> None:
    assert parse_line(line) is None


def test_secrets_are_secret_typed() -> None:
    parsed = parse_line(ROWS[0][0])
    assert parsed is not None
    event = parsed[1].event
    assert isinstance(event, m.RoomDetails)
    assert event.token is not None and event.token.get_secret_value() == TOKEN
    assert TOKEN not in repr(event) and TOKEN not in event.model_dump_json()
    assert event.end_user_id is not None and "u-1" not in event.model_dump_json()
    assert "Ann" not in repr(event) and "Ann" not in event.model_dump_json()


def test_cached_parser_restores_each_time() -> None:
    """The line parser caches by the text after the time; each result must carry its own time."""
    parser = LineParser()
    first = parser("[10:00:00.001][Debug][Transport]: Connecting to Room...")
    second = parser("[11:30:59.999][Debug][Transport]: Connecting to Room...")
    assert first is not None and second is not None
    assert first[0] is not None and first[0].time == "10:00:00.001"
    assert second[0] is not None and second[0].time == "11:30:59.999"
    assert second[1].event.kind == "transport-connecting"


def test_huge_line_is_not_parsed() -> None:
    assert parse_line("[Info][SDK]: " + "x" * 300_000) is None
