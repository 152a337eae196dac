"""Inputs that crashed a command once: undecodable text in JSON, deep JSON, truncated UTF-16, lone-CR endings."""

from __future__ import annotations

import codecs
import io
import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.jsonload import MAX_DEPTH, loads
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.verify import check_stream
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-9", room="room-9", exp=1_950_000_000, nbf=1_700_000_000)
URL = "wss://convai-technologies-lfslae7c.livekit.cloud"
ENDINGS = re.compile(rb"\r\n|\r|\n")  # what ends a line, read independently of loglens
DEEP = "[" * 50_000 + "1" + "]" * 50_000  # under the parse limit of a line, far over Python's recursion limit


def run(args: list[str]) -> click.testing.Result:
    return CliRunner().invoke(app, args, catch_exceptions=False)


def write(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "Player.log"
    path.write_bytes(data)
    return str(path)


def details(**fields: object) -> str:
    return "[Debug][Transport]: Room details received: " + json.dumps(fields, separators=(",", ":"))


# --- any bytes in, valid JSON out (#9.1) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "room"),
    [
        # a lone surrogate spelled as a JSON escape, in pure ASCII input
        (
            b'[Debug][Transport]: Room details received: {"token":"t","room_name":"r\\ud800x","room_url":"'
            + URL.encode()
            + b'","session_id":"s"}\n',
            "r\ufffdx",
        ),
        # invalid UTF-8 inside the room name
        (
            b'[Debug][Transport]: Room details received: {"token":"t","room_name":"r\xff\xfex","room_url":"'
            + URL.encode()
            + b'","session_id":"s"}\n',
            "r\ufffd\ufffdx",
        ),
        # a lone surrogate in UTF-16 text (PowerShell keeps what it was given)
        (
            codecs.BOM_UTF16_LE
            + ("[Debug][Transport]: Token: t; Room Name: r\ud800x; Room URL: " + URL + "; Session ID: s\r\n").encode(
                "utf-16-le", "surrogatepass"
            ),
            "r\ufffdx",
        ),
    ],
)
def test_json_report_is_valid_whatever_the_bytes(tmp_path: Path, data: bytes, room: str) -> None:
    result = run(["analyze", write(tmp_path, data), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["sessions"][0]["credentials"][0]["room_name"] == room


def test_json_report_with_undecodable_error_message(tmp_path: Path) -> None:
    """Undecodable bytes next to an error code: the message is shown as the text view shows it."""
    data = b"[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed \xc3(\n"
    result = run(["analyze", write(tmp_path, data), "--format", "json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["errors"][0]["code"] == "transport.ice_failed"
    assert "\ufffd(" in report["errors"][0]["message"]


# --- deep JSON (#9.2) -------------------------------------------------------------------------------------------

DEEP_LINES = [
    # nested inside a room-details key the parser reads
    details(token=TOKEN, room_name="room-9", room_url=URL, session_id="s")[:-1] + ',"characters":' + DEEP + "}",
    # inside end_user_metadata, which is kept as a secret string
    details(token=TOKEN, room_name="room-9", room_url=URL, session_id="s")[:-1] + ',"end_user_metadata":' + DEEP + "}",
    # the pre-4.0 spelling of the line
    "🔑 ROOM DETAILS RECEIVED: "
    + json.dumps({"token": TOKEN, "room_name": "room-9", "room_url": URL})[:-1]
    + ',"x":'
    + DEEP
    + "}",
]


@pytest.mark.parametrize("line", DEEP_LINES, ids=["characters", "end-user-metadata", "prebeta"])
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_deep_json_analyze(tmp_path: Path, line: str, fmt: str) -> None:
    result = run(["analyze", write(tmp_path, line.encode() + b"\n"), "--format", fmt, "--no-color"])
    assert result.exit_code == 0, result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("line", DEEP_LINES, ids=["characters", "end-user-metadata", "prebeta"])
def test_deep_json_livekit_still_finds_the_token(tmp_path: Path, line: str) -> None:
    result = run(["livekit", write(tmp_path, line.encode() + b"\n"), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["token"] == TOKEN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # shallow JSON loads as json.loads would
        ('{"a":[1,{"b":"[{"}]}', {"a": [1, {"b": "[{"}]}),
        # brackets inside strings do not count as depth
        ('{"a":"' + "[" * 100 + '"}', {"a": "[" * 100}),
        # the level below the bound becomes null; the keys beside it stay
        ('{"t":"x","d":' + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "}", {"t": "x", "d": None}),
    ],
)
def test_bounded_loads(text: str, expected: object) -> None:
    got = loads(text)
    if isinstance(expected, dict) and expected.get("d", 0) is None:
        node = got["d"]  # type: ignore[index]
        depth = 1
        while isinstance(node, list) and node:
            node, depth = node[0], depth + 1
        assert node is None and depth == MAX_DEPTH
        assert got["t"] == "x"  # type: ignore[index]
    else:
        assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "[" * 50_000,  # unbalanced, deep
        '{"a":"' + "\\" * 3 + '"',  # an unterminated string after an escape
        "]" * 40 + "[" * 40,  # closed before opened
    ],
)
def test_bounded_loads_refuses_what_is_not_json(text: str) -> None:
    with pytest.raises(ValueError):
        loads(text)


# --- UTF-16 cut short (#9.3) ------------------------------------------------------------------------------------

UTF16_ODD = (
    codecs.BOM_UTF16_LE
    + (
        "[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\r\n"
        f"[Debug][Transport]: Token: {TOKEN}; Room Name: room-9; Room URL: {URL}; Session ID: s\r\n"
    ).encode("utf-16-le")
    + b"["  # the file ends half-way through a character
)


def test_utf16_odd_length_analyze_and_livekit(tmp_path: Path) -> None:
    path = write(tmp_path, UTF16_ODD)
    analyzed = run(["analyze", path, "--format", "json"])
    assert analyzed.exit_code == 0, analyzed.stderr
    report = json.loads(analyzed.stdout)
    assert report["summary"]["lines"] == 3 and report["errors"][0]["code"] == "transport.ice_failed"
    handed = run(["livekit", path, "--format", "json"])
    assert handed.exit_code == 0 and json.loads(handed.stdout)["token"] == TOKEN


def test_utf16_odd_length_redact_keeps_the_odd_byte(tmp_path: Path) -> None:
    out, _ = redact_bytes(UTF16_ODD)
    assert out.endswith(b"[")
    expected = UTF16_ODD.replace(TOKEN.encode("utf-16-le"), "<livekit-token-1>".encode("utf-16-le"))
    assert out == expected
    assert [f.line for f in check_stream(io.BytesIO(UTF16_ODD))] == [2]
    target = tmp_path / "out.log"
    result = run(["redact", write(tmp_path, UTF16_ODD), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes() == expected
    assert run(["check", str(target)]).exit_code == 0


# --- lone-CR line endings (#9.14) -------------------------------------------------------------------------------

LONE_CR = (
    "[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character abc (mode=create)\r"
    f"[Debug][Transport]: Token: {TOKEN}; Room Name: room-9; Room URL: {URL}; Session ID: s\r"
    "[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\r"
).encode()


def test_lone_cr_lines_are_lines_for_analyze_and_livekit(tmp_path: Path) -> None:
    path = write(tmp_path, LONE_CR)
    report = json.loads(run(["analyze", path, "--format", "json"]).stdout)
    assert report["summary"]["lines"] == 3
    assert [e["line"] for e in report["errors"]] == [3]
    assert report["sessions"][0]["credentials"][0]["line"] == 2
    handed = run(["livekit", path, "--format", "json"])
    assert handed.exit_code == 0 and json.loads(handed.stdout)["token"] == TOKEN


@pytest.mark.parametrize(
    "data",
    [
        LONE_CR,  # every line ends in a lone CR
        LONE_CR.replace(b"\r", b"\r\n", 1),  # CRLF and lone CR mixed
        b"noise\r" * 200_000 + LONE_CR + b"tail",  # over several blocks, the last line unterminated
    ],
    ids=["lone", "mixed", "blocks"],
)
def test_lone_cr_redact_is_byte_exact(data: bytes) -> None:
    out, run_ = redact_bytes(data)
    assert out == data.replace(TOKEN.encode(), b"<livekit-token-1>")
    findings = list(check_stream(io.BytesIO(data)))
    before = data[: data.index(TOKEN.encode())]
    assert [(f.line, f.label) for f in findings] == [(len(ENDINGS.findall(before)) + 1, "livekit-token")]
    assert run_.report().lines == len(ENDINGS.findall(data)) + (0 if data.endswith((b"\r", b"\n")) else 1)


@pytest.mark.parametrize(
    "head",
    [
        codecs.BOM_UTF16_LE,  # FF FE before ASCII text: junk bytes, not PowerShell's UTF-16
        codecs.BOM_UTF16_BE,  # FE FF likewise
    ],
)
def test_utf16_bom_before_narrow_text_still_redacts(head: bytes) -> None:
    data = head + f"[Debug][Transport]: Token: {TOKEN}\udcff; Room Name: room-9\n".encode("utf-8", "surrogateescape")
    out, _ = redact_bytes(data)
    assert TOKEN.encode() not in out and out.startswith(head)
    assert [f.label for f in check_stream(io.BytesIO(data))] == ["livekit-token"]
