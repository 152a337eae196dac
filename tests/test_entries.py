"""Lines to entries: platform wrappers, stack frames, footers, color tags, wrapped pastes."""

from __future__ import annotations

import io

import pytest

from loglens import models as m
from loglens.parse import body_text, is_frame, opens_entry, parse_entries, parse_footer, strip_color, unwrap
from loglens.sources import LineReader
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-1", room="room-w", exp=1_950_000_000, nbf=1_700_000_000)


def entries(text: str) -> list[m.Entry]:
    """Entries the way `analyze` builds them (the one pipeline: wrapped pastes rejoined first)."""
    return list(parse_entries(LineReader(io.BytesIO(text.encode("utf-8")))))


@pytest.mark.parametrize(
    ("line", "platform", "inner"),
    [
        # Android logcat, Unity tag
        ("03-14 10:22:01.123  4321  4390 I Unity   : [Info][SDK]: hi", "logcat", "[Info][SDK]: hi"),
        # logcat, another tag: still unwrapped (it simply will not parse as Convai)
        ("03-14 10:22:01.123  4321  4390 W AudioTrack: underrun", "logcat", "underrun"),
        # WebGL browser console
        ("Build.framework.js:3 [Debug][Transport]: x", "webgl", "[Debug][Transport]: x"),
        # another *.js:N file name
        ("MyGame.loader.js:1 loading", "webgl", "loading"),
        # an ES-module build of a browser library
        ("livekit-client.esm.mjs:1 signal connected", "webgl", "signal connected"),
        # a plain Unity line is left alone
        ("[Debug][Transport]: x", "unity", "[Debug][Transport]: x"),
        # a file name that merely mentions .js is not a prefix
        ("Loaded main.js:abc from cache", "unity", "Loaded main.js:abc from cache"),
        # a date-like start that is not logcat
        ("12-2 is not a date", "unity", "12-2 is not a date"),
    ],
)
def test_unwrap(line: str, platform: str, inner: str) -> None:
    assert unwrap(line) == (platform, inner)


@pytest.mark.parametrize(
    ("line", "color", "rest"),
    [
        ("<color=#FF5555>[Error][SDK]: x</color>", "#FF5555", "[Error][SDK]: x"),  # the whole entry wrapped
        ("<color=grey>[Info][Character]: msg", "grey", "[Info][Character]: msg"),  # closes on a later line
        ("[Info][SDK]: y</color>", None, "[Info][SDK]: y"),  # the closing tag alone
        ("[Info][SDK]: <b>bold</b>", None, "[Info][SDK]: <b>bold</b>"),  # rich text inside stays
    ],
)
def test_strip_color(line: str, color: str | None, rest: str) -> None:
    assert strip_color(line) == (color, rest)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("UnityEngine.Debug:Log (object)", True),  # engine frame
        ("Convai.Runtime.Foo:Bar () (at Assets/Convai/Runtime/Foo.cs:12)", True),  # script frame
        ("  at Convai.Grpc.Client.MoveNext () [0x00012] in <0a1b2c3d>:0", True),  # exception frame
        ("[Stack Trace - Method: MoveNext, at Line: 145 in File: C:\\x\\ConvaiGRPCAPI.cs]", True),  # v3
        ("RpcException: Status(StatusCode=Unavailable)", True),  # exception line inside an entry
        ("</color>", True),  # the closing tag on its own line
        ("Convai.Runtime.Logging.UnityConsoleSink:Write(LogEntry)", True),  # Android frames have no space
        ("Player moved to (1.0, 0.0, 2.0)", False),  # parentheses alone do not make a frame
        ("[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 2 connecting character x (mode=create)", False),
        ("Refreshing native plugins compatible for Editor in 1.2 ms, found 3 plugins.", False),  # noise
        ("", False),  # blank
    ],
)
def test_is_frame(line: str, expected: bool) -> None:
    assert is_frame(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("(Filename: Assets/Convai/Scripts/Foo.cs Line: 42)", m.Footer(path="Assets/Convai/Scripts/Foo.cs", line=42)),
        ("(Filename: C:/Users/Jane Doe/Proj/Foo.cs Line: 7)", m.Footer(path="C:/Users/Jane Doe/Proj/Foo.cs", line=7)),
        (
            "(Filename: <cc54933d6df84ff08e916a4036d0b6c6> Line: 0)",
            m.Footer(path="<cc54933d6df84ff08e916a4036d0b6c6>", line=0),
        ),
        ("(Filename: weird)", m.Footer(path="weird")),
        ("Filename: not a footer", None),
    ],
)
def test_footer(line: str, expected: m.Footer | None) -> None:
    assert parse_footer(line) == expected


@pytest.mark.parametrize(
    ("line", "body"),
    [
        ("[14:02:11.871][Debug][Transport]: Connecting to Room...", "Connecting to Room..."),
        ("[Warning][SDK]: [SessionMetrics] Session error: x.y", "[SessionMetrics] Session error: x.y"),
        ("[Info][Transport] custom sink", "custom sink"),
        ("[Debug][SDK][0123456789abcdef0123456789abcdef]: corr", "corr"),
    ],
)
def test_body_text(line: str, body: str) -> None:
    assert body_text(line) == body


@pytest.mark.parametrize(
    ("line", "opens"),
    [
        ("[Info][SDK]: [SessionMetrics] Session started", True),  # a Convai head
        ("<color=grey>[Info][Character]: hi", True),  # a colored Convai head
        ("06-09 17:00:55.771 21919 21952 E Unity   : x", True),  # a logcat prefix, whatever follows it
        ("Build.framework.js:3 anything", True),  # a browser-console prefix
        ("(Filename: Assets/X.cs Line: 12)", True),  # a footer
        ("  (Filename: Assets/X.cs Line: 12)", True),  # an indented footer
        ("[Licensing::Client] resolved", False),  # a bracket, but no Convai line
        ('[{"character_id":"c1"}],"token":"x"}', False),  # a piece of wrapped room-details JSON
        ("UnityEngine.Debug:Log (object)", False),  # a frame continues the entry above it
        ("ID (diagnostics): none; Request Trace ID: 3f40e", False),  # a piece of a wrapped Token summary
        ("Q4MzAwMjE2MDAsImlzcyI6IkFQSXNhbXBsZUtleTA0MiIsIm1ldG", False),  # a piece of a wrapped token
    ],
)
def test_opens_entry(line: str, opens: bool) -> None:
    """The one definition of a line that begins a record of its own (wrap rejoin and redaction's wrap check)."""
    assert opens_entry(line) is opens


@pytest.mark.parametrize(
    ("message", "rest", "context"),
    [
        ("Sent audio {chunk=3, bytes=640}", "Sent audio", {"chunk": "3", "bytes": "640"}),  # context block
        ("[Audio] Sent {chunk=3}", "[Audio] Sent", {"chunk": "3"}),  # after an inner tag
        ("Sent {chunk=, reason=mic off}  ", "Sent", {"chunk": "", "reason": "mic off"}),  # empty value, spaces
        ("Sent {a=b=c}", "Sent", {"a": "b=c"}),  # the first `=` splits key from value
        ('Payload {"a":1}', 'Payload {"a":1}', {}),  # JSON is not a context block
        ("Set {x}", "Set {x}", {}),  # braces without pairs
        ("Set {two words=1}", "Set {two words=1}", {}),  # a key holds no space
        ("Set {a=1} then more", "Set {a=1} then more", {}),  # only at the end of the line
        ("{a=1}", "{a=1}", {}),  # no message in front of it
    ],
)
def test_context_block(message: str, rest: str, context: dict[str, str]) -> None:
    """The grammar reads a trailing ` {k=v, ...}` block into the head; the message shows what comes before."""
    (entry,) = entries(f"[Info][Audio]: {message}\n")
    assert entry.event.kind == "message"
    assert entry.head is not None
    assert (entry.message, entry.head.context) == (rest, context)


def test_editor_log_entry_with_frames_and_footer() -> None:
    text = (
        "Refreshing native plugins compatible for Editor in 12.31 ms, found 3 plugins.\n"
        "[14:02:11.871][Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\n"
        "UnityEngine.StackTraceUtility:ExtractStackTrace ()\n"
        "Convai.Runtime.Logging.ConvaiLogger:Write (string) (at Packages/com.convai/Runtime/ConvaiLogger.cs:88)\n"
        "\n"
        "(Filename: Packages/com.convai/Runtime/ConvaiLogger.cs Line: 88)\n"
        "\n"
        "Begin MonoManager ReloadAssembly\n"
    )
    got = entries(text)
    assert [e.event.kind for e in got] == ["unparsed", "session-error", "unparsed"]
    err = got[1]
    assert (err.line, err.end_line) == (2, 6)
    assert err.frames[0] == "UnityEngine.StackTraceUtility:ExtractStackTrace ()"
    assert len(err.frames) == 2
    assert err.footer == m.Footer(path="Packages/com.convai/Runtime/ConvaiLogger.cs", line=88)
    assert err.message == "[SessionMetrics] Session error: transport.ice_failed"
    assert got[2].line == 8


def test_multi_line_colored_entry_closes_on_last_line() -> None:
    text = (
        "<color=#FF5555>[Error][Transport]: Transport connection failed: boom\n"
        "NullReferenceException: Object reference not set\n"
        "  at Convai.Transport.Room.Connect () [0x00012] in <0a1b2c3d4e5f>:0</color>\n"
        "[Debug][Transport]: Connecting to Room...\n"
    )
    got = entries(text)
    assert [e.event.kind for e in got] == ["transport-failed", "transport-connecting"]
    assert got[0].head is not None and got[0].head.color == "#FF5555"
    assert got[0].frames[-1] == "at Convai.Transport.Room.Connect () [0x00012] in <0a1b2c3d4e5f>:0"
    assert got[0].end_line == 3


def test_logcat_lines_are_separate_entries() -> None:
    text = (
        "03-14 10:22:01.100  4321  4390 I Unity   : [Info][SDK]: [RoomConnectionRuntimeAdapter] "
        "Attempt 1 connecting character abc (mode=create)\n"
        "03-14 10:22:31.100  4321  4390 W Unity   : "
        "[Warning][SDK]: [SessionMetrics] Session error: connection.timeout\n"
        "03-14 10:22:31.101  4321  4390 I Unity   : UnityEngine.Debug:LogWarning (object)\n"
    )
    got = entries(text)
    assert [e.event.kind for e in got] == ["connect-attempt", "session-error"]
    assert all(e.platform == "logcat" for e in got)
    assert got[1].frames == ("UnityEngine.Debug:LogWarning (object)",)


def test_other_logcat_tags_are_not_frames() -> None:
    text = (
        "03-14 10:22:31.100  4321  4390 W Unity   : "
        "[Warning][SDK]: [SessionMetrics] Session error: connection.timeout\n"
        "03-14 10:22:31.102  4321  4400 W System.err: java.net.SocketTimeoutException: timeout\n"
        "03-14 10:22:31.103  4321  4390 W Unity   : Convai.Runtime.Logging.UnityConsoleSink:Write(LogEntry)\n"
    )
    got = entries(text)
    assert [e.event.kind for e in got] == ["session-error", "unparsed"]
    assert got[0].frames == ("Convai.Runtime.Logging.UnityConsoleSink:Write(LogEntry)",)
    assert (got[0].end_line, got[1].line) == (3, 2)


def test_v3_stack_trace_line_joins_its_entry() -> None:
    text = (
        "<color=grey>[Info][Character]: Character is ready</color>\n"
        "[Stack Trace - Method: MoveNext, at Line: 145 in File: C:\\Users\\jdoe\\Proj\\ConvaiGRPCAPI.cs]\n"
    )
    got = entries(text)
    assert len(got) == 1 and got[0].frames[0].startswith("[Stack Trace - Method: MoveNext")


@pytest.mark.parametrize("width", [40, 76, 120])
def test_hard_wrapped_room_details_are_rejoined(width: int) -> None:
    line = (
        '[Debug][Transport]: Room details received: {"token":"' + TOKEN + '","room_name":"room-w",'
        '"session_id":"s-9","room_url":"wss://convai-technologies-lfslae7c.livekit.cloud"}'
    )
    wrapped = "\n".join(line[i : i + width] for i in range(0, len(line), width))
    text = "noise before\n" + wrapped + "\n\nnoise after\n"
    got = entries(text)
    kinds = [e.event.kind for e in got]
    assert kinds == ["unparsed", "room-details", "unparsed"]
    details = got[1].event
    assert isinstance(details, m.RoomDetails) and details.token is not None
    assert details.token.get_secret_value() == TOKEN
    assert details.room_name == "room-w"
    assert got[1].end_line == 1 + len(wrapped.splitlines())


def test_hard_wrapped_token_summary_is_rejoined() -> None:
    line = (
        "[Debug][Transport]: Token: " + TOKEN + "; Room Name: room-w; Room URL: wss://x.livekit.cloud; "
        "Session ID: s-9; Character Session ID: cs-9"
    )
    wrapped = "\n".join(line[i : i + 76] for i in range(0, len(line), 76))
    got = entries(wrapped + "\n\n[Debug][Transport]: Connecting to Room...\n")
    summary = got[0].event
    assert isinstance(summary, m.TokenSummary)
    assert summary.token.get_secret_value() == TOKEN
    assert summary.character_session_id == "cs-9"
    assert got[1].event.kind == "transport-connecting"


def test_unfinished_wrapped_line_gives_back_what_it_read() -> None:
    """A truncated room-details line that never completes must not swallow the lines after it."""
    text = (
        '[Debug][Transport]: Room details received: {"token":"eyJhbGciOi\n'
        "[Debug][Transport]: Connecting to Room...\n"
        "[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\n"
    )
    kinds = [e.event.kind for e in entries(text)]
    assert kinds == ["message", "transport-connecting", "session-error"]


def test_messages_are_masked() -> None:
    text = f"[Error][Transport]: Transport connection failed: wss://h/rtc?access_token={TOKEN}&auto_subscribe=1\n"
    (entry,) = entries(text)
    assert TOKEN not in entry.message and TOKEN not in entry.model_dump_json()
    assert "<livekit-token>" in entry.message


def test_room_details_message_is_a_summary() -> None:
    text = (
        '[Debug][Transport]: Room details received: {"token":"'
        + TOKEN
        + '","room_name":"r1","end_user_id":"me@x.io"}\n'
    )
    (entry,) = entries(text)
    assert entry.message == "Room details received (room r1, session ?)"
    assert "me@x.io" not in entry.model_dump_json()


SPOKEN = "the vault code is under the third painting"


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (f"[Info][Transcript]: Librarian Ava: {SPOKEN}", "Librarian Ava: <transcript>"),
        (f"[09:14:09.947][Info][Transcript]: {SPOKEN}", "<transcript>"),
        (f"<color=#A0A0A0>[Info][Transcript]: Ava: {SPOKEN}</color>", "Ava: <transcript>"),
        (f"05-12 10:00:00.000  1234  1250 I Unity   : [Info][Transcript]: Leo: {SPOKEN}", "Leo: <transcript>"),
        ("[Info][Transcript]: ok", "<transcript>"),
    ],
)
def test_an_entry_never_holds_what_a_transcript_said(line: str, shown: str) -> None:
    """The label of a transcript is its head, which the entry's message leaves out: the message is masked whole."""
    (entry,) = parse_entries(LineReader(io.BytesIO((line + "\n").encode())))
    assert entry.message == shown
    assert SPOKEN not in repr(entry) and SPOKEN not in entry.model_dump_json()
