"""Platform prefixes: every Android copy format (and the browser console) is read alike by every command.

A table of prefix shapes (LOG-FORMATS.md sections 5 and 7) applied to the same Convai lines: the message behind
each is the line without it, `analyze` builds the same sessions, `livekit` hands over the same token, `redact`
removes it and keeps the prefix, `check` finds it and never takes a prefixed line for the rest of a wrapped one.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from loglens import livekit as lk
from loglens import models as m
from loglens.fixedwidth import wrapped_count
from loglens.parse import parse_entries
from loglens.prefixes import has_prefix, unwrap_line
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.verify import check_stream
from loglens.report import analyze
from loglens.sources import LineReader
from tests.support.tokens import mint_token

Prefix = Callable[[str, str, str], str]  # (tag, level letter, message) -> line

LEVEL_WORDS = {"V": "Verbose", "D": "Debug", "I": "Info", "W": "Warning", "E": "Error", "F": "Assert"}

ANDROID: dict[str, Prefix] = {
    # adb logcat -v threadtime (section 5)
    "threadtime": lambda tag, lv, text: f"06-09 17:00:55.771  21919  21952 {lv} {tag:<8}: {text}",
    # -v threadtime,year
    "threadtime-year": lambda tag, lv, text: f"2025-06-09 17:00:55.771  21919  21952 {lv} {tag:<8}: {text}",
    # -v usec: microseconds; -v zone: the offset after the time
    "threadtime-usec": lambda tag, lv, text: f"06-09 17:00:55.771204  21919  21952 {lv} {tag:<8}: {text}",
    "threadtime-zone": lambda tag, lv, text: f"06-09 17:00:55.771 +0200  21919  21952 {lv} {tag:<8}: {text}",
    # adb logcat -v time: the brief form behind the date (with the year too)
    "time": lambda tag, lv, text: f"06-09 17:00:55.771 {lv}/{tag:<8}(21919): {text}",
    "time-year": lambda tag, lv, text: f"2025-06-09 17:00:55.771 {lv}/{tag}( 1234): {text}",
    # Android Studio export, slashes in the date, the level as a word
    "studio-export": lambda tag, lv, text: f"2025/06/09 17:00:55.771 21919 21952 {LEVEL_WORDS[lv]} {tag} {text}",
    # Android Studio export, dashes in the date
    "studio-export-dash": lambda tag, lv, text: f"2023-05-01 20:07:49.375 24658 24695 {LEVEL_WORDS[lv]} {tag} {text}",
    # the Logcat view: PID-TID joined, tag and package padded, a one-letter level
    "studio-view": lambda tag, lv, text: f"2025-10-23 12:15:40.374 11012-11123 {tag:<7} com.studio.game   {lv}  {text}",
    # adb logcat -v brief
    "brief": lambda tag, lv, text: f"{lv}/{tag:<8}(27777): {text}",
    # adb logcat -v tag
    "tag": lambda tag, lv, text: f"{lv}/{tag}: {text}",
    # adb logcat -v process: the tag goes last
    "process": lambda tag, lv, text: f"{lv}(27777) {text}  ({tag})",
}
TAG_ONLY: dict[str, Prefix] = {
    # a copy of the tag and message columns only, padded
    "tag-only": lambda tag, lv, text: f"{tag:<8}{text}",
    # one space when a second tag follows
    "tag-only-one-space": lambda tag, lv, text: f"{tag} {text}",
}
BROWSER: dict[str, Prefix] = {"webgl": lambda tag, lv, text: f"Build.framework.js:3 {text}"}
ALL = {**ANDROID, **TAG_ONLY, **BROWSER}

NOW = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
NOW_S = int(NOW.timestamp())
TOKEN = mint_token(identity="prefix-user", room="convai-prefix-room", nbf=NOW_S - 60, exp=NOW_S + 3600)
URL = "wss://convai-technologies-lfslae7c.livekit.cloud"
CHARACTER = "6c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"
CONVAI = [
    ("I", f"[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character {CHARACTER} (mode=create)"),
    ("D", f"[Debug][Transport]: Token: {TOKEN}; Room Name: convai-prefix-room; Room URL: {URL}; Session ID: s-1"),
    ("D", "[Debug][Transport]: Connected to room via transport."),
    ("I", f"[Info][SDK]: [RoomConnectionRuntimeAdapter] Character {CHARACTER} connected successfully (mode=create)."),
    ("W", "[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed"),
]


def log(prefix: Prefix | None, rows: list[tuple[str, str]] = CONVAI, tag: str = "Unity") -> bytes:
    lines = [prefix(tag, lv, text) if prefix else text for lv, text in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def reader(data: bytes) -> LineReader:
    return LineReader(io.BytesIO(data))


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize(("level", "text"), CONVAI)
def test_the_message_behind_each_prefix_is_the_line_without_it(name: str, level: str, text: str) -> None:
    found = unwrap_line(ALL[name]("Unity", level, text))
    assert found.text == text
    assert found.platform == ("webgl" if name in BROWSER else "logcat")
    assert not found.foreign


@pytest.mark.parametrize("name", ANDROID)
@pytest.mark.parametrize("tag", ["nativeloader", "IL2CPP", "AndroidRuntime", "DEBUG", "ViewRootImpl@4a1b2c[Main]"])
def test_other_tags_are_foreign(name: str, tag: str) -> None:
    found = unwrap_line(ANDROID[name](tag, "E", "Load /data/app/~~3rn3H06c==/lib/arm64/libmain.so"))
    assert found.foreign and found.tag == tag


@pytest.mark.parametrize(
    "line",
    [
        "Unity Editor version:    2022.3.10f1",  # Unity's own banner, not a tag column
        "UnityEngine.Debug:Log (object)",  # a frame
        "[Info][SDK]: plain Convai line",
        "2025-06-09 build finished",  # a date alone is not a logcat prefix
        "Error loading scene",  # a level word alone is not one either
        "E: something",  # nor a letter
    ],
)
def test_lines_without_a_prefix_come_back_as_they_are(line: str) -> None:
    assert unwrap_line(line).platform == "unity" and unwrap_line(line).text == line
    assert not has_prefix(line)


def _shape(data: bytes) -> list[tuple[str, tuple[str, ...], int]]:
    report = analyze(reader(data), source="x")
    return [(s.outcome, tuple(t.event for t in s.timeline), len(s.credentials)) for s in report.sessions]


@pytest.mark.parametrize("name", ALL)
def test_analyze_reads_the_same_sessions_behind_any_prefix(name: str) -> None:
    plain = _shape(log(None))
    assert plain and plain[0][2] == 1
    assert _shape(log(ALL[name])) == plain


@pytest.mark.parametrize("name", ALL)
def test_livekit_hands_over_the_token_behind_any_prefix(name: str) -> None:
    handoff = lk.handoff(lk.read_log(reader(log(ALL[name]))), NOW)
    assert handoff.pair.token.get_secret_value() == TOKEN
    assert handoff.pair.url is not None and handoff.pair.url.get_secret_value() == URL


@pytest.mark.parametrize("name", ALL)
def test_redact_removes_the_token_and_keeps_the_prefix(name: str) -> None:
    data = log(ALL[name])
    out, _ = redact_bytes(data)
    assert TOKEN.encode() not in out
    prefix = ALL[name]("Unity", "D", "\0").split("\0")[0].encode()
    assert prefix in out
    assert [f.label for f in check_stream(io.BytesIO(data))].count("livekit-token") == 1
    assert list(check_stream(io.BytesIO(out))) == []


@pytest.mark.parametrize("name", [n for n in ALL if n not in TAG_ONLY])
def test_a_prefixed_line_never_continues_a_wrapped_line(name: str) -> None:
    width = 90
    short = ALL[name]("Unity", "I", "[Info][SDK]: x")
    nxt = ALL[name]("Unity", "I", "[Info][SDK]: x" + "y" * (width - len(short)))  # exactly the wrap's width
    assert len(nxt) == width
    assert wrapped_count("a" * width, ["b" * width, "c" * width, nxt, "d"]) == 2


@pytest.mark.parametrize("name", ANDROID)
@pytest.mark.parametrize(
    "frame",
    [
        "\tat java.lang.Runtime.loadLibrary0(Runtime.java:1077)",  # Java frame, tab
        "  at LiveKit.Internal.FfiClient.Initialize () [0x00000] in <d8e27b9b2f5e4c4a9b1c0d2e3f4a5b6c>:0",  # Mono
        "Convai.Runtime.Room.NativeRoomController:Connect(String)",  # Android's frame without a space
    ],
)
def test_frames_stay_with_their_entry_and_other_tags_never_join(name: str, frame: str) -> None:
    prefix = ANDROID[name]
    lines = [
        prefix("Unity", "E", "DllNotFoundException: Unable to load DLL 'livekit_ffi'"),
        prefix("nativeloader", "D", "Load /data/app/~~3rn3H06c==/com.studio.game-1/lib/arm64/libmain.so: ok"),
        prefix("Unity", "E", frame),
        prefix("Unity", "E", "UnityEngine.Debug:LogException(Exception)"),
    ]
    entries = list(parse_entries(reader(("\n".join(lines) + "\n").encode())))
    first = entries[0]
    assert isinstance(first.event, m.ExceptionRaised)
    assert first.frames == (frame.strip(), "UnityEngine.Debug:LogException(Exception)")
    assert [e.line for e in entries] == [1, 2]  # the foreign line is its own entry, after the Unity one


# --- LiveKit clients' signal URLs ------------------------------------------------------------------------------------

SIGNAL_HOST = "convai-technologies-lfslae7c.livekit.cloud"
SIGNAL_LINES = [
    # LiveKit's Unity SDK, through Unity's log
    (
        "SignalClient connecting with url: wss://{host}/rtc?access_token={token}&auto_subscribe=1&sdk=unity",
        "wss://{host}",
    ),
    # the JS client in a browser console, the token not first
    (
        "Build.framework.js:3 connecting to wss://{host}/rtc?protocol=9&access_token={token}&auto_subscribe=1",
        "wss://{host}",
    ),
    # Android, another tag
    ("D/LiveKit (27777): SignalClient connecting with url: wss://{host}/rtc?access_token={token}", "wss://{host}"),
    # a Rust client quotes the URL
    ('livekit::rtc_engine: connecting to "wss://{host}/rtc?access_token={token}&auto_subscribe=1"', "wss://{host}"),
    # a self-hosted server on a port, plain ws
    ("connecting to ws://10.0.0.5:7880/rtc?access_token={token}&adaptive_stream=1", "ws://10.0.0.5:7880"),
]


@pytest.mark.parametrize(("line", "url"), SIGNAL_LINES)
def test_a_signal_url_gives_both_connection_test_fields(line: str, url: str) -> None:
    data = f"Refreshing native plugins\n{line.format(host=SIGNAL_HOST, token=TOKEN)}\n".encode()
    handoff = lk.handoff(lk.read_log(reader(data)), NOW)
    assert handoff.pair.token.get_secret_value() == TOKEN
    assert handoff.pair.url is not None and handoff.pair.url.get_secret_value() == url.format(host=SIGNAL_HOST)
    assert handoff.pair.sources == ("signal-url",) and handoff.pair.lines == (2,)
    assert handoff.expired is False


def test_a_signal_urls_token_expiry_is_checked() -> None:
    old = mint_token(identity="u", room="r", nbf=NOW_S - 7200, exp=NOW_S - 3600)
    data = f"SignalClient connecting with url: wss://{SIGNAL_HOST}/rtc?access_token={old}\n".encode()
    handoff = lk.handoff(lk.read_log(reader(data)), NOW)
    assert handoff.expired is True and any(n.level == "error" for n in handoff.warnings)


def test_convai_room_details_win_over_a_signal_url() -> None:
    other = mint_token(identity="u", room="r", nbf=NOW_S - 60, exp=NOW_S + 60)
    data = log(None) + f"SignalClient connecting with url: wss://{SIGNAL_HOST}/rtc?access_token={other}\n".encode()
    assert lk.handoff(lk.read_log(reader(data)), NOW).pair.token.get_secret_value() == TOKEN


# --- a long message that Android cut into several entries ---------------------------------------------------------

_DETAILS = '[Debug][Transport]: Room details received: {"token": "' + TOKEN + '", "room_name": "convai-prefix-room"}'


@pytest.mark.parametrize("name", ANDROID)
@pytest.mark.parametrize("size", [60, 100, 400])
def test_a_token_that_logcat_cut_into_several_entries_is_one_placeholder(name: str, size: int) -> None:
    """Each piece behind a head of its own, the time going up by a millisecond: the pieces join into the one token
    (for `-v process`, whose tag follows each piece, the copy may be refused instead), and `check` flags it."""
    pieces = [_DETAILS[i : i + size] for i in range(0, len(_DETAILS), size)]
    rows = [ANDROID[name]("Unity", "D", piece).replace(".771", f".{771 + n}") for n, piece in enumerate(pieces)]
    data = ("\n".join(rows) + "\n").encode()
    assert list(check_stream(io.BytesIO(data)))
    out, _ = redact_bytes(data)
    leftover = list(check_stream(io.BytesIO(out)))
    if name == "process" and leftover:
        return  # the re-scan refuses such a copy: nothing leaves in clear
    assert leftover == []
    text = out.decode()
    assert not [i for i in range(0, len(TOKEN) - 12, 4) if TOKEN[i : i + 12] in text]
    assert "<livekit-token-1>" in text and "<livekit-token-2>" not in text
