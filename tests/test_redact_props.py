"""Properties of redaction, with generated secrets in every shape and context, embedded in random log text:
no secret survives, and text without secrets comes out byte for byte."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from loglens.errors import LoglensError
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.verify import check_stream
from tests.support.tokens import mint_token

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Realistic noise: lines a Unity log is full of (no secret in them), and random text in capitals and symbols,
# which cannot spell a generated secret (those always hold a lowercase letter and a digit).
POOL = [
    "UnityEngine.StackTraceUtility:ExtractStackTrace ()",
    "UnityEngine.Debug:Log (object)",
    "Game.PlayerController:Update () (at Assets/Scripts/PlayerController.cs:58)",
    "(Filename: Assets/Scripts/PlayerController.cs Line: 58)",
    "[Licensing::Client] Successfully resolved entitlement details",
    "Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.",
    "<color=#00D7FF>[09:14:03.118][Debug][SDK]: [SessionMetrics] Session started</color>",
    "[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed",
    "UnityEngine.Transform.get_rotation () (at <cc54933d6df84ff08e916a4036d0b6c6>:0)",
    "",
]
NOISE = st.one_of(
    st.sampled_from(POOL),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ .,;()[]{}<>|!?#*+-_'\"\t\x1bÉßЖ漢", max_size=60),
)
LOWER = "abcdefghijklmnopqrstuvwxyz"
ID_CHARS = LOWER + "0123456789-"


def _with_letter_and_digit(value: str) -> bool:
    return any(c in LOWER for c in value) and any(c.isdigit() for c in value)


IDS = st.text(alphabet=ID_CHARS, min_size=10, max_size=36).filter(_with_letter_and_digit)
HEX = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32).filter(_with_letter_and_digit)
WORDS = st.lists(st.text(alphabet=LOWER, min_size=2, max_size=9), min_size=2, max_size=8).map(" ".join)
NAMES = st.text(alphabet=LOWER + "0123456789._", min_size=3, max_size=16).filter(
    lambda s: _with_letter_and_digit(s) and s[0] in LOWER
)


@st.composite
def tokens(draw: st.DrawFn) -> str:
    return mint_token(
        identity=draw(IDS),
        room=draw(IDS),
        exp=draw(st.integers(1_600_000_000, 2_100_000_000)),
        nbf=draw(st.integers(1_500_000_000, 1_600_000_000)),
        name=draw(st.one_of(st.none(), WORDS)),
        node_style=draw(st.booleans()),
    )


def _escaped(text: str) -> str:
    return json.dumps(text)[1:-1]


TOKEN_CONTEXTS = [
    "[Debug][Transport]: Token: {s}; Room Name: lobby",
    'Room details received: {{"token":"{s}","room_name":"lobby"}}',
    "Room details received: " + _escaped('{{"token":"{s}","room_name":"lobby"}}'),
    "livekit-client.umd.min.js:1 [livekit] connecting to wss://h.livekit.cloud/rtc?access_token={s}&sdk=js",
    "Transport connection failed: could not establish signal connection: invalid token: {s}, error: token is expired",
    "Authorization: Bearer {s}",
    "URL-encoded: token%3D{u}",
]
KEY_CONTEXTS = ["X-API-Key: {s} | Body: {{}}", "CONVAI-API-KEY: {s}", "GET /x?api_key={s}&y=1", '{{"apiKey":"{s}"}}']
USER_CONTEXTS = ['"end_user_id":"{s}"', "; Resolved End User ID: {s}", _escaped('{{"end_user_id":"{s}"}}')]
PATH_CONTEXTS = ["(at C:/Users/{s}/Projects/Demo/Assets/A.cs:12)", "/home/{s}/.config/unity3d/Editor.log"]


@st.composite
def secret_lines(draw: st.DrawFn) -> tuple[str, list[str]]:
    """One line with one secret in one context; returns the line and the strings that must not survive."""
    kind = draw(st.sampled_from(["token", "key", "user", "email", "text", "path", "metadata"]))
    if kind == "token":
        secret = draw(tokens())
        line = draw(st.sampled_from(TOKEN_CONTEXTS)).format(s=secret, u=quote(secret, safe="").replace(".", "%2E"))
        gone = [secret[i : i + 16] for i in range(0, len(secret) - 15, 8)]
    elif kind == "key":
        secret = draw(HEX)
        line, gone = draw(st.sampled_from(KEY_CONTEXTS)).format(s=secret), [secret]
    elif kind == "user":
        secret = draw(IDS)
        line, gone = draw(st.sampled_from(USER_CONTEXTS)).format(s=secret), [secret]
    elif kind == "email":
        secret = f"{draw(NAMES)}@{draw(st.text(alphabet=LOWER, min_size=2, max_size=10))}.com"
        line, gone = f"contact {secret} about it", [secret]
    elif kind == "text":
        secret = draw(WORDS) + " 42"
        line, gone = f"[Debug][SDK]: [ConvaiRoomManager] Sent user text message: {secret}", [secret]
    elif kind == "path":
        secret = draw(NAMES)
        line, gone = draw(st.sampled_from(PATH_CONTEXTS)).format(s=secret), [f"/{secret}/"]
    else:
        secret = draw(WORDS) + " 7"
        line, gone = f'{{"end_user_metadata":{{"name":"{secret}","level":3}}}}', [secret]
    return line, gone


@st.composite
def logs(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    lines: list[str] = []
    gone: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        lines += draw(st.lists(NOISE, max_size=4))
        line, must_go = draw(secret_lines())
        before, after = draw(NOISE), draw(NOISE)
        lines.append(f"{before} {line} {after}" if draw(st.booleans()) else line)
        gone += must_go
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = ending.join(lines) + draw(st.sampled_from(["", ending]))
    return text.encode("utf-8"), gone


@st.composite
def wrapped_logs(draw: st.DrawFn) -> tuple[bytes, str]:
    """A credential line hard-wrapped at a fixed width, as a ticket system or a terminal does."""
    token = draw(tokens())
    line = draw(st.sampled_from(TOKEN_CONTEXTS[:3])).format(s=token)
    width = draw(st.integers(40, 120))
    pieces = [line[i : i + width] for i in range(0, len(line), width)]
    lines = [
        *draw(st.lists(st.sampled_from(POOL), max_size=3)),
        *pieces,
        *draw(st.lists(st.sampled_from(POOL), max_size=3)),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8"), token


@SETTINGS
@given(logs())
def test_no_secret_survives(case: tuple[bytes, list[str]]) -> None:
    data, gone = case
    out, _ = redact_bytes(data)
    text = out.decode("utf-8")
    for secret in gone:
        assert secret not in text
        assert secret.lower() not in text.lower() or "@" not in secret
    assert out.count(b"\n") == data.count(b"\n")  # no line added or lost
    assert list(check_stream(io.BytesIO(out))) == []  # and the gate agrees


@SETTINGS
@given(wrapped_logs())
def test_no_piece_of_a_wrapped_token_survives(case: tuple[bytes, str]) -> None:
    data, token = case
    out, _ = redact_bytes(data)
    flat = out.decode("utf-8").replace("\n", "")
    assert not any(token[i : i + 16] in flat for i in range(len(token) - 15))
    assert out.count(b"\n") == data.count(b"\n")


@SETTINGS
@given(logs())
def test_redacting_again_changes_nothing(case: tuple[bytes, list[str]]) -> None:
    once, _ = redact_bytes(case[0])
    twice, _ = redact_bytes(once)
    assert twice == once


@SETTINGS
@given(st.lists(st.one_of(NOISE, st.text(max_size=80)), max_size=30), st.sampled_from(["\n", "\r\n", "\r\r\n"]))
def test_text_without_secrets_comes_out_byte_identical(lines: list[str], ending: str) -> None:
    data = ending.join(lines).encode("utf-8", "surrogatepass")
    try:
        found = list(check_stream(io.BytesIO(data)))
    except (LoglensError, UnicodeDecodeError):
        assume(False)  # not text loglens reads (binary-looking): another test's business
        return
    assume(not found)
    assume(data)
    out, run = redact_bytes(data)
    assert out == data and run.report().redactions == 0


@SETTINGS
@given(st.binary(max_size=400), st.binary(max_size=400))
def test_undecodable_bytes_are_kept(head: bytes, tail: bytes) -> None:
    """Invalid UTF-8 around a secret: everything but the secret comes back byte for byte."""
    data = (
        head.replace(b"\x00", b" ") + b"\nX-API-Key: 0f3c9a7e21b84d6590ce1a2b3c4d5e6f\n" + tail.replace(b"\x00", b" ")
    )
    try:
        out, _ = redact_bytes(data)
    except LoglensError:
        assume(False)  # too many control bytes: refused as binary, which is right
        return
    assert out == data.replace(b"0f3c9a7e21b84d6590ce1a2b3c4d5e6f", b"<api-key-1>")


@given(
    cuts=st.lists(st.integers(0, 60), min_size=0, max_size=12, unique=True),
    start=st.integers(0, 60),
    length=st.integers(0, 20),
    custom=st.booleans(),
)
def test_inside_placeholder_is_the_plain_comparison_with_every_placeholder(
    cuts: list[int], start: int, length: int, custom: bool
) -> None:
    """The one-look-up forms give what comparing the span with every placeholder gives."""
    from loglens.detectors import Span
    from loglens.redaction.placeholders import inside_placeholder, redacted_before
    from loglens.redaction.rules import CUSTOM_KIND

    edges = sorted(cuts)
    own = list(zip(edges[0::2], edges[1::2], strict=False))  # in order and apart, as placeholder_spans gives
    span = Span(start, start + length, CUSTOM_KIND if custom else "email")
    plain = any((s <= span.start and span.end <= e) or (custom and span.start < e and s < span.end) for s, e in own)
    assert inside_placeholder(span, own) == plain
    assert redacted_before(span, own) == (plain or any(s == span.start for s, _ in own))
