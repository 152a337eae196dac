"""Nothing read from a log reaches an analyze output or a library model unmasked (#8, items 1-4).

The secrets are minted with LiveKit's own server SDK (`livekit-api`), so their shape is the real one. Each
check looks for any 16-character piece of any secret in: every string of every model (walked field by field,
excluded fields too), `model_dump()`, `model_dump_json()`, `repr()`, the text, Markdown and JSON renderings,
and the CLI's `analyze`, `livekit --list` (text and JSON), `livekit --explain-test` and `explain`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from livekit import api
from pydantic import BaseModel, SecretStr

from loglens.cli import app
from loglens.models import Entry
from loglens.parse import parse_entries
from loglens.render.report import to_markdown, write_text
from loglens.report import Report, analyze
from loglens.sources import LineReader

KEY, SECRET = "APIq7Rk2Lm9Xw4Z", "livekit-test-secret-0123456789abcdef"
ROOM = "convai-61484c4b-115a-58bd-af57-5ad154ee2b55"
IDENTITY = "8ba0d128665571e9dfc1b7bb52a5735c"
EMAIL = "jordan.doe.player@example-studio.com"
API_KEY = "3f9c2a7b5e8d4c1a9b6e0f2d7c4a8b1e"
PASSWORD = "hunter2-Corr3ct-Horse-Battery"


def _mint(identity: str, hours: int) -> str:
    return (
        api.AccessToken(KEY, SECRET)
        .with_identity(identity)
        .with_name("Jordan Doe")
        .with_metadata('{"character_id":"920f5922-6b9d-5871-b2d8-8a4efec2bda0"}')
        .with_grants(api.VideoGrants(room_join=True, room=ROOM))
        .with_ttl(timedelta(hours=hours))
        .to_jwt()
    )


TOKEN = _mint(IDENTITY, 6)  # the token the log's credentials lines carry
OTHER = _mint("a7c3e9f1d2b4a6c8e0f2a4c6e8b0d2f4", 1)  # a token the log shows only inside an error
PAYLOAD, SIGNATURE = TOKEN.split(".")[1][8:], TOKEN.split(".")[2]  # pieces without `eyJ`
SECRETS = (TOKEN, OTHER, IDENTITY, EMAIL, API_KEY, PASSWORD)
CHARACTER = "6c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"


def pieces(secret: str) -> Iterator[str]:
    """Every 16-character piece of a secret (the whole secret when shorter)."""
    if len(secret) <= 16:
        yield secret
    yield from (secret[i : i + 16] for i in range(len(secret) - 15))


PIECES = frozenset(p for s in SECRETS for p in pieces(s))


def leaks(text: str) -> list[str]:
    """The pieces of secrets `text` shows: checked window by window, so it costs one set lookup per position."""
    return sorted({text[i : i + 16] for i in range(len(text) - 15)} & PIECES)


def assert_clean(text: str, where: str) -> None:
    found = leaks(text)
    assert not found, f"{where} shows {len(found)} piece(s) of a secret, e.g. {found[0][:4]}…"


# --- lines -------------------------------------------------------------------------------------------------------


URL = "wss://demo-lfslae7c.livekit.cloud"
HEAD = "[16:21:12.206][Error][Transport]: Transport connection failed:"
ADAPTER = "[16:20:06.754][Info][SDK]: [RoomConnectionRuntimeAdapter]"


def room_details(token: str = TOKEN, room: str = ROOM, url: str = URL, **more: object) -> str:
    data: dict[str, object] = {"token": token, "room_name": room, "room_url": url, "session_id": "8c6b4d1b"}
    data.update({"end_user_id": IDENTITY, **more})
    return f"[16:20:41.158][Debug][Transport]: Room details received: {json.dumps(data)}"


def token_summary(room: str = ROOM, session: str = "8c6b4d1b", url: str = "wss://demo-lfslae7c.livekit.cloud") -> str:
    return (
        f"[16:20:41.159][Debug][Transport]: Token: {TOKEN}; Room Name: {room}; Room URL: {url}; Session ID: {session}"
    )


def chain(value: str) -> str:
    return (
        "[16:21:12.205][Error][Transport]: Transport connection failed: connect failed, error: invalid token: "
        f"{value}, error: token is expired (exp)"
    )


SHAPES = {
    # LiveKit's error chain: the text after the first `, error: ` was kept as the token's problem
    "error-chain": chain,
    # `invalid token, error: <x>`
    "invalid-token-error": lambda v: (
        f"[16:21:12.206][Error][Transport]: Transport connection failed: invalid token, error: {v}"
    ),
    # `Session ended (<x>)`
    "session-ended": lambda v: (
        f"[16:21:13.858][Info][SDK]: [SessionMetrics] Session ended ({v}): duration=1.5s; errors=1"
    ),
    # `Room init failure outcome: category=<x>`
    "room-init-category": lambda v: (
        f"[16:20:39.254][Debug][Transport]: Room init failure outcome: category={v}; responseCode=401; "
        "sessionErrorCode=connection.connect_invalid_api_key; sessionErrorRecoverable=False; sessionErrorMessage=no"
    ),
    # `(mode=<x>)` on a connect attempt
    "connect-mode": lambda v: f"{ADAPTER} Attempt 1 connecting character {CHARACTER} (mode={v})",
    # `connecting character <x>` (JSON character_ids)
    "connect-character": lambda v: f"{ADAPTER} Attempt 1 connecting character {v} (mode=create)",
    # `Character <x> connected successfully (mode=<x>)`
    "connected-character": lambda v: f"{ADAPTER} Character {v} connected successfully (mode={v}).",
}
VALUES = {
    "known-token": TOKEN,  # the token the credentials line carried, whole
    "unknown-token": OTHER,  # a whole token the log never showed before
    "payload": PAYLOAD,  # a piece with no `eyJ`: only the known values can catch it
    "signature": SIGNATURE,  # the last piece of a wrapped token
}


def log_bytes(lines: list[str], ending: str = "\n") -> bytes:
    return (ending.join(lines) + ending).encode("utf-8")


def report_of(data: bytes) -> Report:
    return analyze(LineReader(io.BytesIO(data)), source="test.log")


def entries_of(data: bytes) -> list[Entry]:
    return list(parse_entries(LineReader(io.BytesIO(data))))


# --- what a report and its models show -------------------------------------------------------------------------


def strings(value: object) -> Iterator[str]:
    """Every string a model holds, field by field (excluded fields too); a SecretStr is its masked form."""
    if isinstance(value, SecretStr):
        yield str(value)
        yield repr(value)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings(getattr(value, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from strings(item)


def shown(model: BaseModel) -> Iterator[tuple[str, str]]:
    """Everything a model shows: its fields, its dumps, its repr."""
    yield "fields", "\n".join(strings(model))
    yield "model_dump()", "\n".join(strings(model.model_dump()))
    yield "model_dump_json()", model.model_dump_json()
    yield "repr()", repr(model)


def renderings(report: Report) -> Iterator[tuple[str, str]]:
    text = io.StringIO()
    write_text(report, text, color=False, width=4000)  # wide: a leak must not hide behind a line break
    yield "text", text.getvalue()
    yield "markdown", to_markdown(report)
    yield from shown(report)


def assert_analyze_clean(data: bytes) -> None:
    report = report_of(data)
    for where, text in renderings(report):
        assert_clean(text, where)
    for entry in entries_of(data):
        for where, text in shown(entry):
            assert_clean(text, f"entry at line {entry.line}: {where}")


# --- 8.1: error chains and the fields read out of them ---------------------------------------------------------


@pytest.mark.parametrize("value", VALUES.values(), ids=VALUES.keys())
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_fields_of_convai_lines_are_masked(shape: object, value: str) -> None:
    assert callable(shape)
    assert_analyze_clean(log_bytes([room_details(), token_summary(), shape(value)]))


def test_the_token_problem_is_still_reported() -> None:
    """Masking hides the token inside LiveKit's verdict, not the verdict."""
    report = report_of(log_bytes([room_details(), chain(TOKEN)]))
    texts = [item.text for item in report.sessions[0].timeline]
    assert any("token is expired (exp)" in text and "<livekit-token>" in text for text in texts), texts


# --- 8.2: credentials fields -----------------------------------------------------------------------------------

CREDENTIALS = {
    # a URL that carries the token as a query parameter
    "url-access-token": [room_details(url=f"wss://demo-lfslae7c.livekit.cloud/rtc?access_token={TOKEN}")],
    # a URL with a user and password in it
    "url-userinfo": [room_details(url=f"wss://admin:{PASSWORD}@lk.selfhosted.dev")],
    # the same in the readable Token summary
    "summary-url-userinfo": [token_summary(url=f"wss://admin:{PASSWORD}@lk.selfhosted.dev")],
    # an e-mail address used as the room name, and as the session id
    "email-room": [room_details(room=EMAIL, session_id=EMAIL), token_summary(room=EMAIL, session=EMAIL)],
    # an e-mail in a character of a multi-character room
    "email-character": [room_details(characters=[{"character_id": EMAIL, "session_id": EMAIL}])],
}


@pytest.mark.parametrize("lines", CREDENTIALS.values(), ids=CREDENTIALS.keys())
def test_credentials_fields_are_masked(lines: list[str]) -> None:
    assert_analyze_clean(log_bytes(lines))


def test_livekit_still_hands_over_the_url_as_logged(tmp_path: Path) -> None:
    """The masked `room_url` is for reports; `livekit` hands over the URL the SDK used."""
    url = "wss://demo-lfslae7c.livekit.cloud"
    path = tmp_path / "Editor.log"
    path.write_bytes(log_bytes([room_details(url=url)]))
    result = CliRunner().invoke(app, ["livekit", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert url in result.stdout and TOKEN in result.stdout


# --- 8.3: a hard-wrapped token in the collapsed views ----------------------------------------------------------

WIDTHS = (20, 33, 47, 64, 76, 80, 100, 120)
DEFAULT_WIDTHS = (20, 76)  # the narrowest and a terminal's: the default run; every other width in the slow set
PREFIXES = {"none": "", "quote": "> ", "two-spaces": "  ", "four-spaces": "    ", "tab": "\t"}
ENDINGS = {"lf": "\n", "crlf": "\r\n"}


def wrapped(line: str, width: int, prefix: str) -> list[str]:
    """`line` hard-wrapped at `width` columns, each piece behind the prefix a paste adds to every line."""
    return [prefix + line[i : i + width] for i in range(0, len(line), width)]


def wrapped_log(width: int, prefix: str, known: bool) -> list[str]:
    """LiveKit retries with the same token, so the same wrapped pieces repeat."""
    lines = [room_details(), token_summary()] if known else []
    for attempt in range(3):
        lines += [f"[16:21:1{attempt}.205][Info][SDK]: retrying the connection", *wrapped(chain(TOKEN), width, prefix)]
    return lines


@pytest.mark.parametrize("known", [True, False], ids=["credentials-first", "only-wrapped"])
@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
@pytest.mark.parametrize("prefix", PREFIXES.values(), ids=PREFIXES.keys())
@pytest.mark.parametrize(
    "width", [pytest.param(w, marks=() if w in DEFAULT_WIDTHS else (pytest.mark.slow,), id=str(w)) for w in WIDTHS]
)
def test_pieces_of_a_wrapped_token_are_masked(width: int, prefix: str, ending: str, known: bool) -> None:
    assert_analyze_clean(log_bytes(wrapped_log(width, prefix, known), ending))


@pytest.mark.slow
@pytest.mark.parametrize("known", [True, False], ids=["credentials-first", "only-wrapped"])
def test_every_wrap_width(known: bool) -> None:
    """Every width from 20 to 120, the prefix and the line ending taking turns."""
    prefixes = list(PREFIXES.values())
    for width in range(20, 121):
        ending = "\r\n" if width % 2 else "\n"
        report = report_of(log_bytes(wrapped_log(width, prefixes[width % len(prefixes)], known), ending))
        for where, text in renderings(report):
            assert_clean(text, f"{where} at width {width}")


def test_a_piece_met_before_the_token_is_masked_in_the_report() -> None:
    """The noise view shows a line seen before the credentials line; the finished report is rescanned."""
    lines = [f"stray {SIGNATURE} line"] * 3 + [room_details()] + [f"stray {SIGNATURE} line"] * 2
    report = report_of(log_bytes(lines))
    assert any("<livekit-token>" in g.text for g in report.noise.groups)
    for where, text in renderings(report):
        assert_clean(text, where)


@pytest.mark.parametrize("tag", ["[/b]", "[/bold]", "[color=red]", "[bold red]"])
def test_a_token_with_a_bracket_tag_inside_is_masked_whole(tag: str) -> None:
    """A forum's or a console's bracket tag inside a token is read through like any markup: the payload and the
    signature after the tag are masked with the head, the tag with them."""
    token = _mint("c4d2e8f0a6b1c3d5e7f9a0b2c4d6e8f0", 2)
    head, payload, signature = token.split(".")
    rest = set(pieces(f"{payload[10:]}.{signature}"))
    report = report_of(log_bytes([chain(f"{head}.{payload[:10]}{tag}{payload[10:]}.{signature}")]))
    assert any("<livekit-token>" in text for _, text in renderings(report))
    for where, text in renderings(report):
        assert tag not in text, f"{where} shows the tag: the token was cut there"
        shown = {text[i : i + 16] for i in range(len(text) - 15)}
        assert not shown & rest, f"{where} shows a piece of the token after {tag}"


CUT_MAIL = "jordan.qswfz89@example-mail.com"


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
@pytest.mark.parametrize("prefix", ["", "> ", "\t"], ids=["none", "quote", "tab"])
@pytest.mark.parametrize("cut", range(CUT_MAIL.index("@") + 2, len(CUT_MAIL) - 1))
def test_an_email_a_wrap_cut_inside_its_domain_is_masked(cut: int, prefix: str, ending: str) -> None:
    """`analyze` reads one line at a time: the piece before the cut (`jordan.qswfz89@example`) is an address
    whose domain the line's end cut, masked by that shape."""
    line = f"[16:20:43.000][Error][SDK]: login failed for {CUT_MAIL} (401 Unauthorized)"
    at = line.index(CUT_MAIL) + cut
    report = report_of(log_bytes([prefix + line[:at], prefix + line[at:]], ending))
    for where, text in renderings(report):
        assert "jordan.qswfz89" not in text, f"{where} shows the address cut at {cut}"


def test_a_package_version_or_a_whole_address_at_a_line_end_is_not_taken_for_a_cut_one() -> None:
    lines = [
        "[16:20:43.000][Error][SDK]: resolving com.unity.textmeshpro@3.0.6",
        f"[16:20:44.000][Error][SDK]: {EMAIL}",
    ]
    text = io.StringIO()
    write_text(report_of(log_bytes(lines)), text, color=False, width=4000)
    assert "com.unity.textmeshpro@3.0.6" in text.getvalue()
    assert EMAIL not in text.getvalue() and "<email>" in text.getvalue()


# --- 8.4: everything, structurally -----------------------------------------------------------------------------

KITCHEN_SINK = [
    room_details(),
    token_summary(),
    room_details(url=f"wss://admin:{PASSWORD}@lk.selfhosted.dev/rtc?access_token={TOKEN}", room=EMAIL),
    "[16:20:42.000][Debug][Transport]: Room details received: "
    + json.dumps(json.dumps({"token": TOKEN, "room_name": EMAIL, "end_user_id": IDENTITY}))[1:-1],
    *(shape(value) for shape in SHAPES.values() for value in VALUES.values()),
    f"[16:20:43.000][Error][SDK]: [SessionMetrics] Session error: connection.connect_invalid_api_key — key {API_KEY}",
    f"[16:20:43.100][Error][SDK]: Session error: auth.invalid_token {TOKEN}",
    f"[16:20:43.200][Warning][SDK]: Room-details request failed with HTTP 401: Unauthorized Service response: "
    f'{{"error":"bad key","key":"{API_KEY}","user":"{EMAIL}"}}',
    f"[16:20:43.300][Warning][ConnectAPI]: Unclassified response (418). Falling back to 'connection.unknown'. {TOKEN}",
    f"[16:20:43.400][Info][SDK]: Sent user text message: my mail is {EMAIL}",
    f"[16:20:43.500][Info][SDK]: [Diagnostics] state changed {{token={TOKEN}, user={EMAIL}, key={API_KEY}}}",
    f"[16:20:43.600][Error][Transport]: NullReferenceException: {TOKEN} for {EMAIL}",
    f"  at Convai.Runtime.Transport.Connect (System.String token={TOKEN}) [0x00000] in <{PAYLOAD}>:0",
    f"Convai.Runtime.Auth:Login (string {EMAIL}) (at C:/Users/jdoe/dev/Assets/{SIGNATURE}.cs:12)",
    "",
    f"(Filename: C:/Users/jdoe/{PAYLOAD}/Runtime/Sink.cs Line: 57)",
    f"Unity noise with a token {TOKEN} and {API_KEY} and {EMAIL}",
    f"Unity noise with pieces {PAYLOAD} {SIGNATURE}",
    f"03-14 16:20:44.000  1234  1250 E Unity   : [Error][Transport]: Transport connection failed: {TOKEN}",
    f"Build.framework.js:3 [Error][Transport]: Transport connection failed: invalid token: {OTHER}",
    f"<color=#FF0000>[16:20:45.000][Error][Transport]: Transport connection failed: {PAYLOAD}</color>",
    *wrapped(chain(OTHER), 64, "> "),
]


def test_every_model_and_rendering_of_the_kitchen_sink_is_clean() -> None:
    data = log_bytes(KITCHEN_SINK)
    report = report_of(data)
    assert report.sessions and report.errors and report.noise.groups  # the walk has something to walk
    assert_analyze_clean(data)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_the_cli_shows_no_secret(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "Editor.log"
    path.write_bytes(log_bytes(KITCHEN_SINK))
    result = CliRunner().invoke(
        app, ["analyze", str(path), "--format", fmt, *(["--no-color"] if fmt == "text" else [])]
    )
    assert result.exit_code == 0, result.stderr
    assert_clean(result.stdout + result.stderr, f"analyze --format {fmt}")


@pytest.mark.parametrize("args", [["--list"], ["--list", "--format", "json"], ["--explain-test"]])
def test_livekit_without_the_token_shows_no_secret(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "Editor.log"
    path.write_bytes(log_bytes(KITCHEN_SINK))
    result = CliRunner().invoke(app, ["livekit", str(path), *args])
    assert_clean(result.stdout + result.stderr, f"livekit {' '.join(args)}")
    explained = CliRunner().invoke(app, ["explain", "connection.connect_invalid_api_key"])
    assert_clean(explained.stdout + explained.stderr, "explain")


# --- the input's own name: a path holds the OS user name -------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        r"C:\Users\Alice Smith\AppData\Local\Unity\Editor\Editor.log",  # Windows, a name with a space
        "C:/Users/alicesmith/AppData/Local/Unity/Editor/Editor.log",  # forward slashes
        "/Users/alicesmith/Library/Logs/Unity/Editor.log",  # macOS, as the README tells users to pass it
        "/home/alicesmith/.config/unity3d/Editor.log",  # Linux
    ],
)
def test_the_source_name_is_masked_in_every_view(source: str) -> None:
    report = analyze(LineReader(io.BytesIO(b"[Error][SDK]: Session error: connection.timeout\n")), source=source)
    for where, text in renderings(report):
        for name in ("Alice Smith", "Smith", "alicesmith"):
            assert name not in text, f"{name!r} in {where}"
    assert "Editor.log" in report.source  # the file name itself is kept: support needs to know which log it is
