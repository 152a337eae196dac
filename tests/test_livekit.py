"""`loglens livekit`: the token handed over is byte-for-byte the logged one, whatever wraps it; checks; CLI."""

from __future__ import annotations

import base64
import codecs
import hashlib
import hmac
import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
from _pytest.mark.structures import ParameterSet
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from livekit import api
from pydantic import SecretStr

from loglens import livekit as lk
from loglens.cli import app
from loglens.errors import ExitCode, LoglensError
from loglens.render.livekit import handoff_json, write_guide, write_handoff, write_pairs
from loglens.sources import LineReader, RawLine
from loglens.testguide import explain_test
from loglens.tokens import decode_claims, shape_problem
from loglens.wrap import WrapJoiner
from tests.conftest import ROOT, sample_paths
from tests.support.generate import generate_editor_log
from tests.support.tokens import mint_token

URL = "wss://convai-technologies-lfslae7c.livekit.cloud"
KEY = "APIq7Rk2Lm9Xw4Z"
SECRET = "livekit-test-secret-0123456789abcdef"
ROOM = "convai-61484c4b-115a-58bd-af57-5ad154ee2b55"
IDENTITY = "8ba0d128665571e9dfc1b7bb52a5735c"
NOW = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
NOW_S = int(NOW.timestamp())

# LiveKit's own server SDK, with metadata and attributes: ~700 characters
SDK_TOKEN = (
    api.AccessToken(KEY, SECRET)
    .with_identity(IDENTITY)
    .with_name("Jordan Doe")
    .with_metadata('{"character_id":"920f5922-6b9d-5871-b2d8-8a4efec2bda0"}')
    .with_attributes({"platform": "android", "build": "1.4.2"})
    .with_grants(api.VideoGrants(room_join=True, room=ROOM))
    .with_ttl(timedelta(hours=6))
    .to_jwt()
)
# a Node-style header, fixed times: valid at NOW
NODE_TOKEN = mint_token(
    identity=IDENTITY, room=ROOM, nbf=NOW_S - 600, exp=NOW_S + 6 * 3600, node_style=True, metadata='{"a":1}'
)


def signed_by(token: str, secret: str) -> bool:
    """Check the HS256 signature: any changed, missing or added byte makes it fail."""
    head, _, signature = token.rpartition(".")
    digest = hmac.new(secret.encode(), head.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == signature


def facts_of(data: bytes) -> lk.LogFacts:
    return lk.read_log(LineReader(io.BytesIO(data)))


def encode(lines: list[str], encoding: str) -> bytes:
    ending = "\n" if encoding == "utf-8" else "\r\n"
    text = ending.join(lines) + ending
    if encoding == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return (codecs.BOM_UTF8 if encoding == "utf-8-bom-crlf" else b"") + text.encode("utf-8")


# --- line shapes ------------------------------------------------------------------------------------------------


def room_json(token: str, *, full: bool = True) -> str:
    data: dict[str, object] = {"token": token, "room_name": ROOM, "session_id": "8c6b4d1b-f03c"}
    if full:
        data["request_trace_id"] = None
    data["room_url"] = URL
    if full:
        data.update(
            character_session_id="cs-1",
            speaker_id=None,
            end_user_id=IDENTITY,
            end_user_metadata={"name": "Jordan Doe"},
            characters=[{"character_id": "c1", "session_id": "s1", "character_session_id": "cs1"}],
            transport="livekit",
        )
    return json.dumps(data, separators=(",", ":"))


def summary(token: str, tail: str = "") -> str:
    fields = f"Room Name: {ROOM}; Room URL: {URL}; Session ID: 8c6b4d1b-f03c; Character Session ID: cs-1"
    return f"Token: {token}; {fields}{tail}"


HEAD = "[14:02:11.871][Debug][Transport]: "
SHAPES: dict[str, Callable[[str], str]] = {
    # 4.x room details JSON with every key
    "json": lambda t: HEAD + "Room details received: " + room_json(t),
    # an older SDK's four keys
    "json-short": lambda t: HEAD + "Room details received: " + room_json(t, full=False),
    # the same JSON re-exported with escaped quotes
    "json-escaped": lambda t: HEAD + "Room details received: " + room_json(t).replace('"', '\\"'),
    # the pre-4.0 beta, without a head
    "legacy": lambda t: "🔑 ROOM DETAILS RECEIVED: " + room_json(t, full=False),
    # the pre-4.0 beta at Info, escaped
    "legacy-escaped": lambda t: "[Info][Transport]: 🔑 ROOM DETAILS RECEIVED: " + room_json(t).replace('"', '\\"'),
    # the Token summary as 4.x prints it
    "summary": lambda t: HEAD + summary(t),
    # with the diagnostics fields after it
    "summary-diagnostics": lambda t: (
        HEAD
        + summary(
            t, f"; Resolved Speaker ID (diagnostics): none; Request Trace ID: tr-1; Resolved End User ID: {IDENTITY}"
        )
    ),
    # an older SDK's empty last field
    "summary-old": lambda t: HEAD + summary(t, "; Resolved Speaker ID: "),
    # WebGL's inner tag, no time, a correlation id
    "webgl-tag": lambda t: "[Debug][Transport][0f1e2d3c4b5a69788796a5b4c3d2e1f0]: [WebGLRoomController] " + summary(t),
    # WebGL's inner tag on the JSON
    "webgl-json": lambda t: "[Debug][Transport]: [WebGLRoomController] Room details received: " + room_json(t),
    # Unity rich-text color around the whole line
    "color": lambda t: "<color=#00D7FF>" + HEAD + "Room details received: " + room_json(t) + "</color>",
    # color around a Token summary
    "color-summary": lambda t: "<color=cyan>" + HEAD + summary(t) + "</color>",
}
WRAPPERS: dict[str, str] = {
    "console": "",  # a Unity Console copy or Editor.log
    "logcat": "11-21 14:02:11.871  4312  4388 D Unity   : ",  # Android logcat
    "webgl": "Build.framework.js:3 ",  # a browser console export
}
ENCODINGS = ["utf-8", "crlf", "utf-8-bom-crlf", "utf-16"]


def log_around(line: str, prefix: str) -> list[str]:
    """A credential line with the lines a log has around it: other entries, stack frames, a footer."""
    return [
        prefix
        + "[14:02:10.002][Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character c1 (mode=create)",
        prefix + "UnityEngine.Debug:Log (object)",
        "",
        prefix + line,
        prefix + "UnityEngine.StackTraceUtility:ExtractStackTrace ()",
        prefix + "Convai.Runtime.Logging.ConvaiLogger:Write (string) (at Packages/com.convai.sdk/Logger.cs:12)",
        "",
        "(Filename: Packages/com.convai.sdk/Logger.cs Line: 12)",
        "",
        prefix + "[14:02:12.100][Debug][Transport]: Connected to room via transport.",
    ]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("wrapper", WRAPPERS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("token", [SDK_TOKEN, NODE_TOKEN], ids=["sdk", "node"])
def test_token_and_url_are_the_logged_bytes(shape: str, wrapper: str, encoding: str, token: str) -> None:
    data = encode(log_around(SHAPES[shape](token), WRAPPERS[wrapper]), encoding)
    pair = lk.pick(facts_of(data))
    assert pair.token.get_secret_value() == token
    assert pair.url is not None and pair.url.get_secret_value() == URL
    assert pair.line == 4
    assert pair.room_name == ROOM


def hard_wrap(line: str, width: int) -> list[str]:
    return [line[i : i + width] for i in range(0, len(line), width)]


def wrap_widths(line: str, token: str) -> list[int]:
    """Common fixed widths, plus widths that break right after the token and inside the URL."""
    after_token = line.index(token) + len(token)
    in_url = line.index(URL) + 12 if URL in line else after_token + 5
    return [72, 76, 80, 100, 120, 160, after_token, after_token + 1, in_url]


# The default run: every shape and wrapper at a terminal's width in each encoding, and cut right after the token
# and inside the URL in UTF-8; every other width and encoding in the slow set.
DEFAULT_WIDTHS = {"utf-8": (1, 6, 8), "crlf": (1,), "utf-16": (1,)}  # indexes into wrap_widths


def wrapped_cases() -> Iterator[ParameterSet]:
    for encoding, kept in DEFAULT_WIDTHS.items():
        for shape, build in SHAPES.items():
            for wrapper, prefix in WRAPPERS.items():
                line = prefix + build(SDK_TOKEN)
                for index, width in enumerate(wrap_widths(line, SDK_TOKEN)):
                    marks = () if index in kept else (pytest.mark.slow,)
                    ident = f"{shape}-{wrapper}-{width}-{encoding}"
                    yield pytest.param(shape, wrapper, width, encoding, marks=marks, id=ident)


@pytest.mark.parametrize(("shape", "wrapper", "width", "encoding"), list(wrapped_cases()))
def test_hard_wrapped_lines_give_the_whole_token(shape: str, wrapper: str, width: int, encoding: str) -> None:
    lines = log_around(SHAPES[shape](SDK_TOKEN), WRAPPERS[wrapper])
    lines[3:4] = hard_wrap(lines[3], width)
    pair = lk.pick(facts_of(encode(lines, encoding)))
    assert pair.token.get_secret_value() == SDK_TOKEN
    assert pair.url is not None and pair.url.get_secret_value() == URL
    assert pair.token_problem is None


def test_a_token_cut_short_is_not_glued_to_the_next_line() -> None:
    cut = SDK_TOKEN[:-10]
    lines = [f"{HEAD}Token: {cut}", "[14:02:12.100][Debug][Transport]: Connecting to Room...", "plain noise"]
    pair = lk.pick(facts_of(encode(lines, "utf-8")))
    assert pair.token.get_secret_value() == cut
    notices = {n.id: n for n in lk.check(pair, NOW)}
    assert "token-cut-off" in notices
    assert "33 characters" in notices["token-cut-off"].message


def test_a_whole_summary_keeps_its_last_field_when_noise_follows() -> None:
    line = HEAD + summary(SDK_TOKEN, "; Resolved End User ID: abc")
    lines = [line, "Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins."]
    facts = facts_of(encode(lines, "utf-8"))
    assert facts.sessions[0].credentials[0].character_session_id == "cs-1"
    assert lk.pick(facts).lines == (1,)


def test_the_joiner_leaves_logs_without_wrapped_credentials_alone() -> None:
    data = generate_editor_log(3000, seed=7)
    joined = list(WrapJoiner(LineReader(io.BytesIO(data))))
    plain = list(LineReader(io.BytesIO(data)))
    assert joined == plain


PIECES = st.sampled_from(
    [
        *hard_wrap(SHAPES["summary"](SDK_TOKEN), 80),
        *hard_wrap(SHAPES["json"](NODE_TOKEN), 100),
        "UnityEngine.Debug:Log (object)",
        "",
        "[Debug][Transport]: Connecting to Room...",
        "(Filename: Logger.cs Line: 12)",
        "Refreshing native plugins",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40))
def test_the_joiner_never_loses_or_invents_text(texts: list[str]) -> None:
    lines = [RawLine(n, text, "\n") for n, text in enumerate(texts, 1)]
    out = list(WrapJoiner(lines))
    assert "".join(r.text for r in out) == "".join(texts)
    numbers = [r.number for r in out]
    assert numbers == sorted(set(numbers)) and set(numbers) <= set(range(1, len(texts) + 1))


# --- the samples ---------------------------------------------------------------------------------------------------

SAMPLE_SECRET = "sample-secret-not-real"  # tests/support/samples_/common.py signs every sample token with it
MARKERS = ("Token: eyJ", "Room details received:", "ROOM DETAILS RECEIVED:", "access_token=eyJ")


def credential_lines(path: Path) -> set[int]:
    """Lines that start a credentials line carrying a token, found without the parser."""
    return {
        raw.number for raw in LineReader(path.open("rb")) if "eyJ" in raw.text and any(m in raw.text for m in MARKERS)
    }


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.name)
def test_samples(path: Path) -> None:
    with path.open("rb") as stream:
        facts = lk.read_log(LineReader(stream))
    expected = credential_lines(path)
    pairs = lk.all_pairs(facts) or list(facts.signal_pairs)  # a LiveKit client's signal URL when Convai logged none
    if lk.all_pairs(facts):  # Convai's own credentials win: signal URLs beside them are not handed over
        expected -= {line for pair in facts.signal_pairs for line in pair.lines}
    if not expected:
        with pytest.raises(LoglensError) as error:
            lk.pick(facts)
        assert error.value.code == ExitCode.FINDINGS
        assert error.value.message.startswith("no LiveKit credentials: ")
        return
    assert expected <= {line for pair in pairs for line in pair.lines}
    with path.open("rb") as stream:
        flat = "".join(raw.text for raw in LineReader(stream))  # every line, line breaks (and wraps) removed
    for pair in pairs:
        token = pair.token.get_secret_value()
        assert signed_by(token, SAMPLE_SECRET), f"line {pair.line}: the token is not the one that was logged"
        assert pair.url is not None and pair.url.get_secret_value().startswith("wss://")
        assert token in flat


@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.name)
def test_sample_cli_json_hands_over_the_signed_token(path: Path, cli: Callable[..., Result]) -> None:
    result = cli("livekit", str(path), "--format", "json")
    if not credential_lines(path):
        assert result.exit_code == ExitCode.FINDINGS
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1
        return
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert signed_by(data["token"], SAMPLE_SECRET)
    assert data["url"] == URL


# --- picking, pairs, sessions -------------------------------------------------------------------------------------


def connect_lines(n: int, token: str, *, room: str = ROOM, url: str = URL, attempt: bool = True) -> list[str]:
    """A connect attempt (which opens a session) and the two credential lines; a reconnect has no attempt."""
    payload = json.dumps({"token": token, "room_name": room, "session_id": f"s-{n}", "room_url": url})
    first = [f"[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character c{n} (mode=create)"]
    return [
        *(first if attempt else []),
        f"[Debug][Transport]: Room details received: {payload}",
        f"[Debug][Transport]: Token: {token}; Room Name: {room}; Room URL: {url}; Session ID: s-{n}",
    ]


def token_for(
    n: int, *, room: str | None = None, exp: int = NOW_S + 3600, nbf: int | None = None, room_join: bool = True
) -> str:
    """A Go-style token for `room-n`, valid until an hour after NOW unless told otherwise."""
    return mint_token(
        identity=IDENTITY,
        room=room or f"room-{n}",
        exp=exp,
        nbf=min(NOW_S - 60, exp - 6 * 3600) if nbf is None else nbf,
        room_join=room_join,
    )


THREE_SESSIONS = [
    *connect_lines(1, token_for(1), room="room-1"),
    *connect_lines(2, token_for(2), room="room-2"),
    "[Warning][SDK]: [SessionMetrics] Reconnection failed (error: transport.ice_failed)",
    *connect_lines(2, token_for(22), room="room-2", attempt=False),
    "[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character c3 (mode=create)",
    "[Warning][SDK]: [SessionMetrics] Session error: connection.connect_invalid_api_key",
]


def test_latest_pair_and_older_session_note() -> None:
    facts = facts_of(encode(THREE_SESSIONS, "utf-8"))
    assert [s.index for s in facts.sessions] == [1, 2, 3]
    h = lk.handoff(facts, NOW)
    assert h.pair.token.get_secret_value() == token_for(22)
    assert h.pair.lines == (8, 9) and h.pair.sources == ("room-details", "token-summary")
    assert h.pair.session == 2 and h.pair_count == 3 and h.session_count == 3
    older = [n for n in h.warnings if n.id == "older-session"]
    assert older and "connection.connect_invalid_api_key" in older[0].message


def test_session_option_picks_an_earlier_session() -> None:
    facts = facts_of(encode(THREE_SESSIONS, "utf-8"))
    assert lk.pick(facts, 1).token.get_secret_value() == token_for(1)
    assert lk.pick(facts, 2).token.get_secret_value() == token_for(22)
    assert [p.token.get_secret_value() for p in lk.all_pairs(facts, 2)] == [token_for(2), token_for(22)]


SESSION_ERRORS = [
    # a session that exists but logged no credentials: a finding
    (3, ExitCode.FINDINGS, "session 3 (lines 10-11) logged no LiveKit credentials; it failed with"),
    # a session that does not exist: a usage error
    (4, ExitCode.INPUT, "the log has 3 sessions; --session takes 1 to 3"),
]


@pytest.mark.parametrize(("session", "code", "message"), SESSION_ERRORS)
def test_session_option_errors(session: int, code: ExitCode, message: str) -> None:
    facts = facts_of(encode(THREE_SESSIONS, "utf-8"))
    with pytest.raises(LoglensError) as error:
        lk.pick(facts, session)
    assert error.value.code == code
    assert error.value.message.startswith(message)


NO_CREDENTIALS = [
    # not a Convai log at all
    (["Refreshing native plugins", "Begin MonoManager ReloadAssembly"], "No Convai SDK lines found in this log"),
    # a game's own exception is not a Convai line: no advice about Convai's Transport logging
    (
        ["NullReferenceException: Object reference not set", "Game.Player.Update () (at Assets/Player.cs:3)"],
        "this is a Unity log of something else",
    ),
    # LiveKit's SDK on its own
    (["LiveKit: FfiClient initialized"], "this is a LiveKit-only log"),
    # Convai's Unreal plugin
    (["[2024.05.01-10.00.00:123][  0]LogConvai: Warning: no character"], "Convai's Unreal Engine plugin"),
    # Convai lines, but Transport below Debug
    (
        ["[Info][Bootstrap]: Convai Bootstrapper: Initializing...", "[Info][SDK]: [SessionMetrics] Session started"],
        "Global Log Level to Debug, or add a Category Override with Category Transport and Level Debug.",
    ),
    # Transport at Debug, but the log stops before the room details
    (["[Debug][Transport]: Connecting to Room..."], "no room details were logged"),
    # the Connect API refused: nothing to test yet
    (
        [
            "[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character c1 (mode=create)",
            "[Warning][SDK]: [SessionMetrics] Session error: connection.connect_invalid_api_key",
        ],
        "session 1 failed with connection.connect_invalid_api_key (line 2)",
    ),
    # room details without a token
    (['[Debug][Transport]: Room details received: {"token":null,"room_name":"r"}'], "line 1 carry no token"),
    # the v3 plugin
    (["<color=cyan>[Debug][GRPC]: Creating gRPC channel to stream.convai.com:443</color>"], "v3 plugin"),
]


@pytest.mark.parametrize(("lines", "reason"), NO_CREDENTIALS)
def test_no_credentials_explains_why(lines: list[str], reason: str, cli: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "Editor.log"
    path.write_bytes(encode(lines, "utf-8"))
    result = cli("livekit", str(path))
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout == ""
    assert reason in result.stderr
    assert result.stderr.startswith("loglens: error: no LiveKit credentials: ")
    assert result.stderr.count("\n") == 1


# --- warnings -------------------------------------------------------------------------------------------------------


def make_pair(token: str, *, url: str | None = URL, room: str | None = ROOM) -> lk.Pair:
    return lk.Pair(
        session=1,
        lines=(7,),
        sources=("token-summary",),
        url=SecretStr(url) if url else None,
        host=None,
        token=SecretStr(token),
        room_name=room,
        claims=decode_claims(token),
        token_problem=shape_problem(token),
    )


GOOD = token_for(0, room=ROOM)

WARNING_CASES: list[tuple[lk.Pair, set[str]]] = [
    # all good: only the reminder about the identity
    (make_pair(GOOD), set()),
    # expired a minute ago
    (make_pair(token_for(0, room=ROOM, exp=NOW_S - 60)), {"token-expired"}),
    # not valid for another hour
    (make_pair(token_for(0, room=ROOM, nbf=NOW_S + 3600, exp=NOW_S + 7200)), {"token-not-yet-valid"}),
    # expires in five minutes
    (make_pair(token_for(0, room=ROOM, exp=NOW_S + 300)), {"token-expires-soon"}),
    # the token's room is not the logged one
    (make_pair(GOOD, room="another-room"), {"room-mismatch"}),
    # no roomJoin grant
    (make_pair(token_for(0, room=ROOM, room_join=False)), {"room-join-missing"}),
    # cut off
    (make_pair(GOOD[:-3]), {"token-cut-off"}),
    # no URL logged
    (make_pair(GOOD, url=None), {"url-missing"}),
    # ws:// to a cloud host
    (make_pair(GOOD, url="ws://convai-technologies-lfslae7c.livekit.cloud"), {"url-scheme"}),
    # ws:// to a local development server is right
    (make_pair(GOOD, url="ws://localhost:7880"), set()),
    # ws:// to a server on the LAN is right too
    (make_pair(GOOD, url="ws://192.168.1.20:7880"), set()),
    # https:// works in SDKs, but the test wants wss://
    (make_pair(GOOD, url="https://convai-technologies-lfslae7c.livekit.cloud"), {"url-scheme"}),
    # not a URL scheme LiveKit knows
    (make_pair(GOOD, url="ftp://convai-technologies-lfslae7c.livekit.cloud"), {"url-scheme"}),
    # a signal URL with the token in its query
    (make_pair(GOOD, url=f"{URL}/rtc?access_token={GOOD}"), {"url-path"}),
    # the Convai API, not LiveKit
    (make_pair(GOOD, url="wss://live.convai.com"), {"url-not-livekit"}),
    # a self-hosted server: a warning, since it may be right
    (make_pair(GOOD, url="wss://rtc.example.com"), {"url-not-livekit"}),
    # LiveKit Cloud's other domain
    (make_pair(GOOD, url="wss://proj-abc12345.livekit.run"), set()),
    # a URL without a host
    (make_pair(GOOD, url="wss://"), {"url-invalid"}),
    # two problems at once
    (
        make_pair(token_for(0, room="x", exp=NOW_S - 7200), url="ws://a.example.com"),
        {"token-expired", "room-mismatch", "url-scheme", "url-not-livekit"},
    ),
]


@pytest.mark.parametrize(("pair", "expected"), WARNING_CASES)
def test_warnings(pair: lk.Pair, expected: set[str]) -> None:
    notices = list(lk.check(pair, NOW))
    ids = {n.id for n in notices}
    assert ids == expected | {"same-identity"}
    for notice in notices:
        assert pair.token.get_secret_value() not in notice.message
        assert IDENTITY not in notice.message


def test_expiry_wording() -> None:
    pair = make_pair(token_for(0, room=ROOM, exp=NOW_S - 7500))
    message = next(n.message for n in lk.check(pair, NOW) if n.id == "token-expired")
    assert "2030-03-01 09:55:00 UTC, 2 h 5 min ago" in message


SPANS = [
    (30, "30 s"),  # seconds
    (300, "5 min"),  # minutes
    (3 * 3600 + 60, "3 h 1 min"),  # hours
    (86_400 * 2 + 3600, "2 days 1 h"),  # days
    (86_400 * 400, "1 year 35 days"),  # years
    (-90, "1 min"),  # the sign is the caller's business
]


@pytest.mark.parametrize(("seconds", "words"), SPANS)
def test_span(seconds: int, words: str) -> None:
    assert lk.span(seconds) == words


# --- the connection test explained ----------------------------------------------------------------------------------


def test_explain_test_fills_in_the_cloud_host() -> None:
    guide = explain_test("wss://acme-x1y2z3w4.livekit.cloud")
    assert guide.host == "acme-x1y2z3w4.livekit.cloud" and guide.from_log and guide.cloud
    names = [s.name for s in guide.steps]
    assert names == [
        "Connecting to signal connection via WebSocket",
        "Establishing WebRTC connection",
        "Can connect via TURN",
        "Resuming connection after interruption",
        "Can publish audio / video",
        "Connection via UDP vs TCP",
    ]
    signal = {f.rule for f in guide.steps[0].failures}
    assert "allow TCP 443 to acme-x1y2z3w4.livekit.cloud" in signal
    assert any("UDP 50000-60000 and TCP 7881" in (f.rule or "") for f in guide.steps[1].failures)
    assert any("*.turn.livekit.cloud" in (f.rule or "") for f in guide.steps[2].failures)


def test_explain_test_for_a_self_hosted_server() -> None:
    guide = explain_test("ws://10.0.0.5:7880")
    assert guide.host == "10.0.0.5" and not guide.cloud
    assert "allow TCP 7880 to 10.0.0.5" in {f.rule for f in guide.steps[0].failures}
    assert any("UDP 7882" in r for r in guide.rules)


def test_explain_test_without_a_log_uses_convais_host() -> None:
    guide = explain_test(None)
    assert guide.host == "convai-technologies-lfslae7c.livekit.cloud" and not guide.from_log


# --- rendering ------------------------------------------------------------------------------------------------------


GOLDEN_LOG = [
    *connect_lines(1, token_for(1, room="room-1", exp=NOW_S - 3600), room="room-1"),
    *connect_lines(2, NODE_TOKEN, room=ROOM),
]


def rendered(write: Callable[..., None], *args: object) -> str:
    out = io.StringIO()
    write(*args, out, color=False, width=100)
    return out.getvalue()


def test_text_golden(golden: Callable[[str, str], None]) -> None:
    h = lk.handoff(facts_of(encode(GOLDEN_LOG, "utf-8")), NOW)
    text = rendered(write_handoff, h)
    assert NODE_TOKEN + "\n" in text  # on a line of its own, unbroken
    golden("livekit/handoff.txt", text)


def test_warnings_golden(golden: Callable[[str, str], None]) -> None:
    h = lk.handoff(facts_of(encode(GOLDEN_LOG, "utf-8")), NOW, session=1)
    golden("livekit/handoff-expired.txt", rendered(write_handoff, h))


def test_list_golden(golden: Callable[[str, str], None]) -> None:
    facts = facts_of(encode(GOLDEN_LOG, "utf-8"))
    text = rendered(write_pairs, lk.all_pairs(facts), NOW)
    assert "eyJ" not in text
    golden("livekit/list.txt", text)


def test_explain_golden(golden: Callable[[str, str], None]) -> None:
    golden("livekit/explain.txt", rendered(write_guide, explain_test(URL)))


def test_a_long_token_is_never_broken_across_lines() -> None:
    h = lk.handoff(facts_of(encode(connect_lines(1, SDK_TOKEN), "utf-8")), NOW)
    out = io.StringIO()
    write_handoff(h, out, color=True, width=40)
    assert SDK_TOKEN in out.getvalue()
    assert not any(line.endswith(" ") for line in out.getvalue().splitlines())


def test_json_fields() -> None:
    h = lk.handoff(facts_of(encode(GOLDEN_LOG, "utf-8")), NOW)
    data = json.loads(handoff_json(h))
    assert data["url"] == URL
    assert data["token"] == NODE_TOKEN
    assert data["room"] == ROOM
    assert data["identity"] == IDENTITY
    assert data["expires_at"] == "2030-03-01T18:00:00Z"
    assert data["expired"] is False
    assert data["session_id"] == "s-2"
    assert data["line"] == 6
    assert [w["id"] for w in data["warnings"]] == ["same-identity"]
    assert data["grants"]["roomJoin"] is True


LOG_MARKUP = [
    *connect_lines(1, GOOD, room="[bold red]room\x1b[31m", url="wss://[link]\x1b]8;;x\x07.livekit.cloud"),
]


def test_markup_and_escapes_in_log_values_stay_inert() -> None:
    h = lk.handoff(facts_of(encode(LOG_MARKUP, "utf-8")), NOW)
    text = rendered(write_handoff, h)
    assert "\x1b" not in text and "\x07" not in text
    assert "[bold red]room" in text


# --- the command line -----------------------------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    monkeypatch.setattr("loglens.cli.livekit.now", lambda: NOW)

    def run(*args: str, input: bytes | None = None) -> Result:
        return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "Player.log"
    path.write_bytes(encode(GOLDEN_LOG, "crlf"))
    return path


@pytest.fixture
def clipboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A fake clipboard that records every copy, and a keypress that is recorded too."""
    events: list[str] = []
    monkeypatch.setattr("loglens.cli.clipboard.copy", lambda text: events.append(f"copy:{text}") or "fake")
    monkeypatch.setattr(click, "getchar", lambda *a, **k: events.append("key") or "x")
    return events


def test_cli_text(cli: Callable[..., Result], log_file: Path) -> None:
    result = cli("livekit", str(log_file))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[lines.index("LiveKit URL") + 1] == URL
    assert lines[lines.index("Room token") + 1] == NODE_TOKEN
    assert lk.TEST_PAGE in result.stdout


def test_cli_reads_stdin(cli: Callable[..., Result], log_file: Path) -> None:
    result = cli("livekit", "-", "--format", "json", input=log_file.read_bytes())
    assert json.loads(result.stdout)["token"] == NODE_TOKEN


def test_cli_reads_the_clipboard(cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("loglens.cli.clipboard.paste", lambda: "\n".join(GOLDEN_LOG))
    result = cli("livekit", "--clipboard", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["token"] == NODE_TOKEN


def test_cli_without_a_clipboard_to_read(cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # no clipboard tool to be found
    result = cli("livekit", "--clipboard")
    assert result.exit_code == ExitCode.INPUT
    assert "xclip or xsel" in result.stderr and "wl-clipboard" in result.stderr


def test_cli_session_and_list(cli: Callable[..., Result], log_file: Path) -> None:
    first = cli("livekit", str(log_file), "--session", "1", "--format", "json")
    data = json.loads(first.stdout)
    assert data["token"] == token_for(1, room="room-1", exp=NOW_S - 3600)
    assert data["expired"] is True
    assert data["warnings"][0]["id"] == "token-expired"
    listed = cli("livekit", str(log_file), "--list")
    assert listed.exit_code == 0
    assert "eyJ" not in listed.stdout and IDENTITY not in listed.stdout
    assert "expired" in listed.stdout and "valid" in listed.stdout
    as_json = json.loads(cli("livekit", str(log_file), "--list", "--format", "json").stdout)
    assert [(p["session"], p["lines"], p["expired"]) for p in as_json["pairs"]] == [
        (1, [2, 3], True),
        (2, [5, 6], False),
    ]
    assert "eyJ" not in json.dumps(as_json)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # --copy makes no sense with a listing
        (["--list", "--copy", "url"], "--copy goes with the plain command"),
        # nor with the explanation
        (["--explain-test", "--copy", "token"], "--copy goes with the plain command"),
        # two views at once
        (["--list", "--explain-test"], "either --list or --explain-test"),
        # a path and the clipboard
        (["--clipboard"], "either a path or --clipboard"),
    ],
)
def test_cli_usage_errors(cli: Callable[..., Result], log_file: Path, args: list[str], message: str) -> None:
    result = cli("livekit", str(log_file), *args)
    assert result.exit_code == ExitCode.INPUT
    assert message in result.stderr
    assert NODE_TOKEN not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02binary\xff" * 200, "binary data"),  # binary junk
        (b"", "the input is empty"),  # nothing
    ],
)
def test_cli_unusable_input(cli: Callable[..., Result], tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "x.log"
    path.write_bytes(data)
    result = cli("livekit", str(path))
    assert result.exit_code == ExitCode.INPUT
    assert message in result.stderr and result.stderr.count("\n") == 1


COPY_CASES = [
    # the URL only
    ("url", [f"copy:{URL}"]),
    # the token only
    ("token", [f"copy:{NODE_TOKEN}"]),
    # the URL, a keypress, then the token
    ("both", [f"copy:{URL}", "key", f"copy:{NODE_TOKEN}"]),
]


@pytest.mark.parametrize(("which", "events"), COPY_CASES)
def test_cli_copy(
    cli: Callable[..., Result], log_file: Path, clipboard: list[str], which: str, events: list[str]
) -> None:
    result = cli("livekit", str(log_file), "--copy", which)
    assert result.exit_code == 0
    assert clipboard == events
    assert NODE_TOKEN not in result.stderr


def test_cli_copy_both_without_a_terminal(
    cli: Callable[..., Result], log_file: Path, clipboard: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_tty(*args: object, **kwargs: object) -> str:
        raise OSError("no /dev/tty")

    monkeypatch.setattr(click, "getchar", no_tty)
    result = cli("livekit", str(log_file), "--copy", "both")
    assert result.exit_code == 0
    assert clipboard == [f"copy:{URL}"]
    assert "--copy token" in result.stderr


@pytest.mark.parametrize("which", ["url", "token", "both"])
def test_cli_copy_without_a_clipboard(
    cli: Callable[..., Result], log_file: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    monkeypatch.setenv("PATH", "")  # no clipboard tool to be found
    result = cli("livekit", str(log_file), "--copy", which, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["token"] == NODE_TOKEN  # the values are still printed
    assert "xclip or xsel" in result.stderr and "wl-clipboard" in result.stderr
    assert NODE_TOKEN not in result.stderr


def test_cli_explain_test(cli: Callable[..., Result], log_file: Path) -> None:
    with_log = cli("livekit", str(log_file), "--explain-test")
    assert with_log.exit_code == 0
    assert "The room's LiveKit host: convai-technologies-lfslae7c.livekit.cloud" in with_log.stdout
    assert "eyJ" not in with_log.stdout
    data = json.loads(cli("livekit", str(log_file), "--explain-test", "--format", "json").stdout)
    assert data["from_log"] is True
    assert "allow TCP 443 to convai-technologies-lfslae7c.livekit.cloud" in [
        f["rule"] for f in data["steps"][0]["failures"]
    ]
    without = cli("livekit", "--explain-test", "--format", "json")
    data = json.loads(without.stdout)
    assert data["from_log"] is False and len(data["steps"]) == 6


def test_cli_help_and_readme(cli: Callable[..., Result]) -> None:
    result = cli("livekit", "--help")
    assert result.exit_code == 0
    for option in ("--session", "--list", "--copy", "--clipboard", "--format", "--explain-test"):
        assert option in result.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "### `loglens livekit" in readme


def test_cli_never_prints_the_token_outside_the_handoff(cli: Callable[..., Result], tmp_path: Path) -> None:
    expired = token_for(5, room="other", exp=NOW_S - 10)
    path = tmp_path / "Editor.log"
    path.write_bytes(encode([*connect_lines(5, expired, room=ROOM, url="ws://example.com/rtc")], "utf-8"))
    for args in (["--list"], ["--list", "--format", "json"], ["--explain-test"], ["--session", "9"]):
        result = cli("livekit", str(path), *args)
        assert expired not in result.stdout + result.stderr, args
        assert IDENTITY not in result.stdout + result.stderr, args
    data = json.loads(cli("livekit", str(path), "--format", "json").stdout)
    assert data["token"] == expired
    assert {w["id"] for w in data["warnings"]} >= {"token-expired", "room-mismatch", "url-scheme", "url-path"}
    for warning in data["warnings"]:
        assert expired not in warning["message"] and IDENTITY not in warning["message"]


# --- speed ----------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_bench_read_log(benchmark: Callable[..., lk.LogFacts]) -> None:
    data = generate_editor_log(50_000, seed=3)
    facts = benchmark(lambda: lk.read_log(LineReader(io.BytesIO(data))))
    assert lk.all_pairs(facts)


# (sessions in the log, the one asked for), with `read_log` keeping 3 of each kind whole
MANY_SESSIONS = [
    (12, None),  # the latest pair, with every session and pair still counted
    (12, 1),  # an early session asked for is kept whole for it
]


@pytest.mark.parametrize(("count", "wanted"), MANY_SESSIONS)
def test_a_long_log_keeps_a_few_sessions_and_counts_the_rest(
    count: int, wanted: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("loglens.livekit.reading.KEEP_SESSIONS", 3)  # the module that keeps the sessions
    tokens = [token_for(1), token_for(2)]
    lines = [line for n in range(1, count + 1) for line in connect_lines(n, tokens[n % 2], room=f"room-{n % 2 + 1}")]
    facts = lk.read_log(LineReader(io.BytesIO(encode(lines, "utf-8"))), wanted)
    assert facts.session_count == count and facts.pair_count == count
    assert len(facts.sessions) == 3 + (wanted is not None)
    h = lk.handoff(facts, NOW, wanted)
    assert h.session_count == count and h.pair_count == count
    assert h.pair.session == (wanted or count)
    assert h.pair.token.get_secret_value() == tokens[(wanted or count) % 2]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", "<br>"),  # an HTML copy: a break tag at each line's end
        ("", "<br />"),  # the same, written self-closing
        ("&gt; ", ""),  # an HTML copy of an e-mail quote on every piece after the first
        ("&gt;&gt; ", "<br/>"),  # both, nested
    ],
)
def test_an_html_copy_of_a_wrap_gives_the_whole_token(before: str, after: str) -> None:
    lines = log_around(SHAPES["summary"](SDK_TOKEN), "")
    lines[3:4] = [(before if i else "") + piece + after for i, piece in enumerate(hard_wrap(lines[3], 76))]
    pair = lk.pick(facts_of(encode(lines, "crlf")))
    assert pair.token.get_secret_value() == SDK_TOKEN
    assert pair.url is not None and pair.url.get_secret_value() == URL
