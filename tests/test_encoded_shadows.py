"""Secrets in a line's encoded copies, with foreign characters inside them, in file names, behind allow rules (#8).

Every row is a shape a paste or a log gives a secret, and the value that must not survive: `redact` hides it and
its re-scan agrees, `check` flags the raw line, `analyze` shows no 16-character piece of it in any format or model.
Tokens are minted by LiveKit's own server SDK (tests/test_analyze_masking.py). A few representative rows run by
default; the full sweeps (every character class in every token shape and position) are marked slow.
"""

from __future__ import annotations

import base64
import io
import json
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner

from loglens import shadows
from loglens.cli import app
from loglens.detectors import mask
from loglens.redaction.blocks import BlockReader
from loglens.redaction.placeholders import PlaceholderTable
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions, build_rules
from loglens.redaction.verify import Checker, check_stream, verify
from tests.test_analyze_masking import (
    API_KEY,
    EMAIL,
    TOKEN,
    assert_analyze_clean,
    assert_clean,
    chain,
    leaks,
    renderings,
    report_of,
    room_details,
    token_summary,
)

USER_ID = "18353287ae56460c65748b4b7b49f0a3"
OS_USER = "zorbakowski"
ADDRESS = "198.51.77.123"
SAID = "my secret passphrase is 7278a125de75"


def raw(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def redacted(data: bytes, options: RedactOptions | None = None) -> str:
    """The redacted copy; its fail-closed re-scan must find nothing."""
    out, run = redact_bytes(data, options)
    assert verify(io.BytesIO(out), run.table, options or RedactOptions()) == []
    return out.decode("utf-8", "surrogateescape")


def flagged(data: bytes) -> list[str]:
    return [f.label for f in check_stream(io.BytesIO(data))]


# --- 1. percent-encoded lines --------------------------------------------------------------------------------

ENCODED = {
    # the end-user id after its label, every blank and the colon escaped
    "end-user-id": (f"[Debug][Transport]: Resolved End User ID: {USER_ID}", USER_ID),
    # a Windows profile path: `C%3A%5CUsers%5C<name>`
    "user-path": (f"(Filename: C:\\Users\\{OS_USER}\\Documents\\Game\\Assets\\Foo.cs Line: 12)", OS_USER),
    # an ICE candidate's address
    "ice-address": (f"candidate:842163049 1 udp 1694498815 {ADDRESS} 50522 typ srflx", ADDRESS),
    # what the player typed
    "player-text": (f"[Debug][SDK]: [ConvaiRoomManager] Sent user text message: {SAID}", SAID),
    # a non-ASCII e-mail, its UTF-8 bytes escaped one by one
    "email-utf8": ("contact jörg.müller@exämple.de now", "jörg.müller"),
}


# every shape percent-encoded; the two whose value holds blanks also with `+` for each blank (`urlencode`)
ENCODINGS = [(name, quote) for name in ENCODED] + [("end-user-id", quote_plus), ("player-text", quote_plus)]


@pytest.mark.parametrize(("name", "encode"), ENCODINGS, ids=[f"{name}-{encode.__name__}" for name, encode in ENCODINGS])
def test_a_percent_encoded_line_is_redacted(name: str, encode: Callable[..., str]) -> None:
    line, secret = ENCODED[name]
    written = encode(line, safe="")
    data = raw(f"report?log={written}\nnext line\n")
    assert flagged(data)
    out = redacted(data)
    assert encode(secret, safe="") not in out and secret not in out
    assert out.endswith("\nnext line\n") and out.startswith("report?log=")


def test_analyze_shows_nothing_of_an_encoded_line() -> None:
    """Every rendering and model of a report over percent-encoded and base64 copies of secret-bearing lines."""
    head = "[16:21:12.206][Error][Transport]: Transport connection failed: upload of"  # a line the timeline shows
    lines = [f"{head} report?log={quote_plus(line, safe='')}" for line, _ in ENCODED.values()]
    lines.append(f"{head} attachment: " + base64.b64encode(token_summary().encode()).decode())
    report = report_of(raw("\n".join(lines) + "\n"))
    for where, text in renderings(report):
        for _, secret in ENCODED.values():
            assert secret not in text and quote(secret, safe="") not in text, where
        assert_clean(text, where)


def test_a_percent_shadow_hides_only_the_value() -> None:
    """The label and every byte around the value stay as they were written."""
    line = quote(f"Resolved End User ID: {USER_ID}", safe="")
    assert mask(f"x?log={line}&y=1") == "x?log=Resolved%20End%20User%20ID%3A%20<end-user-id>&y=1"


# --- 2. foreign characters inside a token -----------------------------------------------------------------------

FOREIGN = {
    "soft-hyphen": "\u00ad",  # ticket systems insert it to allow a break
    "zero-width-space": "\u200b",
    "zero-width-non-joiner": "\u200c",
    "word-joiner": "\u2060",
    "byte-order-mark": "\ufeff",
    "cyrillic-e": "\u0435",  # a lookalike of `e`
    "nul": "\0",
    "lone-ff": "\udcff",  # an invalid byte, read as a surrogate escape
    "lone-c3": "\udcc3",  # a UTF-8 lead byte with nothing after it
    "lone-80": "\udc80",  # a continuation byte with nothing before it
    "no-break-space": "\u00a0",
    "line-separator": "\u2028",
    "fullwidth-stop": "\uff0e",
    "encoded-surrogate": "\udced\udca0\udc80",  # b"\xed\xa0\x80": UTF-8 for a surrogate, which is invalid
}
HEADER, PAYLOAD, SIGNATURE = TOKEN.split(".")
WHERE = {"header": 12, "payload": len(HEADER) + 1 + len(PAYLOAD) // 2, "signature": len(TOKEN) - 12}
TOKEN_SHAPES = {
    "summary": lambda t: token_summary().replace(TOKEN, t),
    "chain": chain,
    "bearer": lambda t: f"[Debug][SDK]: request headers: Authorization: Bearer {t}",
    "room-details": lambda t: room_details().replace(TOKEN, t),
    "url": lambda t: f"SignalClient connecting with url: wss://x.livekit.cloud/rtc?access_token={t}&auto_subscribe=1",
}


# past the bytes a reader sniffs for the encoding: a NUL there would make the whole input binary data
NOISE = "Refreshing native plugins compatible for Editor in 0.52 ms, found 3 plugins.\n" * 120


def _log(shape: str, char: str, where: str) -> bytes:
    at = WHERE[where]
    line = TOKEN_SHAPES[shape](TOKEN[:at] + char + TOKEN[at:])
    return raw(f"{NOISE if char == chr(0) else ''}{line}\nUnloading 4 unused Assets\n")


def _all_clean(data: bytes) -> None:
    assert "livekit-token" in " ".join(flagged(data))
    assert_clean(redacted(data), "redact")
    assert_analyze_clean(data)


@pytest.mark.parametrize(
    ("shape", "char", "where"),
    [
        ("summary", "fullwidth-stop", "payload"),  # redact left `.<signature>`
        ("chain", "no-break-space", "payload"),  # analyze printed the rest of the token
        ("chain", "encoded-surrogate", "payload"),  # ... and after an invalid UTF-8 sequence
    ],
)
def test_a_foreign_character_inside_a_token_does_not_end_it(shape: str, char: str, where: str) -> None:
    _all_clean(_log(shape, FOREIGN[char], where))


@pytest.mark.slow
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("char", FOREIGN)
@pytest.mark.parametrize("shape", TOKEN_SHAPES)
def test_every_foreign_character_in_every_token_shape(shape: str, char: str, where: str) -> None:
    _all_clean(_log(shape, FOREIGN[char], where))


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # a blank after a whole token ends it: the words after it stay
        (f"Token: {TOKEN}\u00a0and more words", "Token: <livekit-token>\u00a0and more words"),
        # a blank inside a signature that would then be too long ends the token there
        (f"Token: {TOKEN}\u2028abcdef", "Token: <livekit-token>\u2028abcdef"),
        # a blank after a header that is all there is: nothing joins it to the word after it
        (f"Token: {HEADER}\u00a0hello", "Token: <livekit-token>\u00a0hello"),
    ],
)
def test_a_blank_joins_a_token_only_where_its_parts_decode(text: str, masked: str) -> None:
    assert mask(text) == masked


# --- 3. names of the input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Editor-alice.smith42@example-mail.com.log", "<email>.log"),  # an address before a file's extension
        ("logs/jordan@example.co.uk.txt", "logs/<email>.txt"),
        ("Button@2x.png", "Button@2x.png"),  # an asset: no domain once its extension is gone
    ],
)
def test_an_email_in_a_file_name_is_masked(text: str, masked: str) -> None:
    assert mask(text) == masked


NAMES = {
    "email": (f"Editor-{EMAIL}.log", EMAIL),
    "windows-profile": (f"C:\\Users\\{OS_USER}\\AppData\\Local\\Unity\\Editor\\Editor.log", OS_USER),
}


def _named_log(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(raw(token_summary() + "\n"))
    return path


def test_analyze_json_does_not_show_the_name_of_the_input(tmp_path: Path) -> None:
    path = _named_log(tmp_path, NAMES["email"][0])
    result = CliRunner().invoke(app, ["analyze", str(path), "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    assert EMAIL not in result.stdout + result.stderr
    assert json.loads(result.stdout)["source"].endswith("<email>.log")


@pytest.mark.slow
@pytest.mark.parametrize(("name", "secret"), NAMES.values(), ids=NAMES.keys())
def test_no_output_shows_the_name_of_the_input(tmp_path: Path, name: str, secret: str) -> None:
    path = _named_log(tmp_path, name)
    runner = CliRunner()
    for fmt in ("text", "markdown", "json"):
        result = runner.invoke(app, ["analyze", str(path), "--format", fmt])
        assert secret not in result.stdout + result.stderr, fmt
    bundle = tmp_path / "bundle"
    result = runner.invoke(app, ["ticket", str(path), "-o", str(bundle)])
    assert secret not in result.stdout + result.stderr
    for written in bundle.iterdir():
        if written.suffix in (".md", ".json", ".log", ".txt"):
            assert secret not in written.read_text("utf-8", "replace"), written.name
            assert runner.invoke(app, ["check", str(written)]).exit_code == 0, written.name


# --- 4. base64 attachments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        f"[Debug][Transport]: Token: {TOKEN}; Room Name: room-1",  # a whole token in the encoded line
        "x" + room_details(),  # the room-details JSON, one byte in: another alignment of the encoding
        # a `{"` on a multiple of three bytes encodes as `eyJ`: the start of a token inside the run, not the run
        *("ab"[:shift] + '[Info][SDK]: {"user":' + room_details() for shift in range(3)),
        f"POST /v1 X-API-Key: {API_KEY}",  # a fixed-shape key
    ],
)
def test_a_base64_attachment_holding_a_secret_is_replaced_whole(line: str) -> None:
    encoded = base64.b64encode(line.encode()).decode()
    data = raw(f"attachment: {encoded}\nnext line\n")
    assert flagged(data)
    out = redacted(data)
    assert encoded not in out and not leaks(out)
    assert out.startswith("attachment: <") and out.endswith(">\nnext line\n")


def test_the_independent_pass_decodes_base64_by_itself() -> None:
    """With no detector but the strict shapes, the bytes check still finds a token inside an attachment."""
    encoded = base64.b64encode(f"Token: {TOKEN}; x".encode()).decode()
    data = raw(f"attachment: {encoded}\n")
    assert [f.label for f in Checker(detectors=()).scan(BlockReader(io.BytesIO(data)))] == ["livekit-token (encoded)"]
    assert list(Checker(detectors=(), independent=False).scan(BlockReader(io.BytesIO(data)))) == []
    assert verify(io.BytesIO(data), PlaceholderTable(), RedactOptions())


def _attachment(text: str) -> bytes:
    encoded = base64.b64encode(raw(text)).decode()
    return raw(f"[Info][SDK]: start\nattachment: {encoded}\nend\n")


FILLER = "[Info][SDK]: filler line\n"
# runs longer than one decoding window (small windows here, to stay fast: 8,192 characters of the run, sharing 2,048)
LONG_RUNS = [
    # the token past the first window
    FILLER * 600 + f"Token: {TOKEN}\n",
    # the first window (6,144 decoded bytes) ends inside the label: only the overlap shows label and id together
    FILLER * 240 + "z" * 133 + f"\nResolved End User ID: {USER_ID}\n" + FILLER * 600,
    # three-byte characters before it: the second and third windows begin and end inside one
    "日本語のログ " * 420 + f"Token: {TOKEN}\n" + "日本語のログ " * 900,
    # a labelled key in the last window, after an odd-length filler
    "x" + FILLER * 1000 + f"X-API-Key: {API_KEY}\n",
]


@pytest.mark.parametrize("text", LONG_RUNS, ids=["past-first", "across-edge", "cut-characters", "key-last"])
def test_a_base64_run_longer_than_a_window_is_decoded_whole(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shadows, "MAX_RUN", 8192)
    monkeypatch.setattr(shadows, "OVERLAP", 2048)
    data = _attachment(text)
    assert flagged(data)
    out = redacted(data)
    assert out.startswith("[Info][SDK]: start\nattachment: <") and out.endswith(">\nend\n")


def test_a_base64_run_past_the_real_window_is_decoded() -> None:
    """The finding's shape at full size: a 95,000-character run, the token at its end."""
    data = _attachment(FILLER * 2800 + f"[Debug][Transport]: Token: {TOKEN}\n")
    assert "livekit-token" in flagged(data)
    assert redacted(data).startswith("[Info][SDK]: start\nattachment: <livekit-token-1>\nend")


def test_a_binary_run_is_kept_as_it_was() -> None:
    """Every byte value, as an image has: no text in any window, so nothing to hide."""
    data = _attachment("".join(chr(0xDC00 + b) if b > 127 else chr(b) for b in bytes(range(256)) * 400))
    assert redacted(data) == data.decode("utf-8", "surrogateescape")


def test_the_independent_pass_decodes_a_long_run_in_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    from loglens import independent, shadows

    monkeypatch.setattr(independent, "MAX_DECODED", 8192)
    monkeypatch.setattr(shadows, "OVERLAP", 2048)
    data = _attachment(FILLER * 600 + f"Token: {TOKEN}\n")
    found = [f.label for f in Checker(detectors=()).scan(BlockReader(io.BytesIO(data)))]
    assert found == ["livekit-token (encoded)"]


@pytest.mark.slow
def test_a_long_base64_run_costs_linear_work() -> None:
    """Every window of a run is decoded and read once: four times the run, about four times the CPU time."""

    def cost(lines: int) -> float:
        data = _attachment("[Info][SDK]: filler line 1234 C:/x/y.cs\n" * lines)
        best = float("inf")
        for _ in range(2):
            start = time.process_time()
            redact_bytes(data)
            best = min(best, time.process_time() - start)
        return best

    assert cost(40_000) < 6 * cost(10_000)


# --- 5. allow rules never let a token through ----------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        TOKEN.replace(".", r"\."),  # the very token, as a pattern
        HEADER + r"\..*",  # every token with this header
    ],
)
def test_an_allow_pattern_never_lets_a_token_through(pattern: str) -> None:
    options = RedactOptions(rules=build_rules(allow_patterns=[pattern]))
    data = raw(token_summary() + "\n")
    out = redacted(data, options)
    assert not leaks(out)
    assert [f.label for f in check_stream(io.BytesIO(data), options.rules)] != []


def test_the_config_allow_list_does_not_reach_the_re_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `.loglens.toml` that allows the token: `check` still fails on the raw log, and `redact` hides the token
    (it used to keep it and then fail closed on its own output)."""
    (tmp_path / ".loglens.toml").write_text(f"[redact]\nallow_patterns = [{json.dumps(TOKEN[:40] + '.*')}]\n")
    log = _named_log(tmp_path, "Editor.log")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    checked = runner.invoke(app, ["check", str(log)])
    assert checked.exit_code == 1, checked.stdout + checked.stderr
    done = runner.invoke(app, ["redact", str(log)])
    assert done.exit_code == 0, done.stderr
    assert "<livekit-token-1>" in done.stdout and not leaks(done.stdout)


# --- 6. escapes of other encodings, format characters, double percent-encoding --------------------------------

ESCAPED = [
    # a soft hyphen, which ticket systems insert, after the 16th hex digit of a key
    (f"X-API-Key: {API_KEY[:16]}\u00ad{API_KEY[16:]}", API_KEY[16:]),
    # a zero-width space inside an end-user id
    (f"[Debug][Transport]: Resolved End User ID: {USER_ID[:16]}\u200b{USER_ID[16:]}", USER_ID[16:]),
    # a soft hyphen inside the label, not the value: of a key, and of a profile folder's root
    (f"[Debug][REST]: X-API-K\u00adey: {API_KEY}", API_KEY),
    (f"C:\\Us\u00aders\\{OS_USER}\\x.cs", OS_USER),
    # a byte-order mark inside a JSON key value
    (f'{{"api_key": "{API_KEY[:16]}\ufeff{API_KEY[16:]}"}}', API_KEY[16:]),
    # escaped slashes (`json_encode`) in a macOS profile path
    (f'{{"path":"\\/Users\\/{OS_USER}\\/Library\\/Logs\\/Unity\\/Editor.log"}}', OS_USER),
    # a Windows path with every backslash written as `\u005c`
    (f'{{"path":"C:\\u005cUsers\\u005c{OS_USER}\\u005cAppData"}}', OS_USER),
    # the underscores of the label written as `\u005f`
    (f'{{"end\\u005fuser\\u005fid":"{USER_ID}"}}', USER_ID),
    # the colon after the key's label written as `\u003a`
    (f"Session ended (X-API-Key\\u003a {API_KEY})", API_KEY),
    # a forum copy: the JSON quotes as named entities
    (f"{{&quot;end_user_id&quot;:&quot;{USER_ID}&quot;}}", USER_ID),
    # the same with decimal entities, and a key
    (f"{{&#34;api_key&#34;:&#34;{API_KEY}&#34;}}", API_KEY),
    # an e-mail whose `@` is a hex entity
    ("[Info][SDK]: signed in as " + EMAIL.replace("@", "&#x40;"), EMAIL.split("@")[0]),
    # a path percent-encoded twice
    (f"report?log=C%253A%255CUsers%255C{OS_USER}%255CDocuments", OS_USER),
    # a label percent-encoded twice
    (f"report?log=Resolved%2520End%2520User%2520ID%253A%2520{USER_ID}", USER_ID),
]


@pytest.mark.parametrize(("line", "secret"), ESCAPED)
def test_an_escaped_or_interrupted_value_is_hidden_whole(line: str, secret: str) -> None:
    data = raw(f"[Info][SDK]: start\n{line}\nnext line\n")
    assert flagged(data)
    out = redacted(data)
    assert secret not in out and out.startswith("[Info][SDK]: start\n") and out.endswith(" line\n")
    assert secret not in mask(line)


INTERRUPTED = [
    # a soft hyphen after the 16th hex digit of a key
    ESCAPED[0][0],
    # a zero-width space inside an end-user id
    ESCAPED[1][0],
    # one hex digit of a key percent-encoded
    f"X-API-Key: {API_KEY[:16]}%{ord(API_KEY[16]):02x}{API_KEY[17:]}",
    # ... as a JSON `\\u` escape
    f"X-API-Key: {API_KEY[:16]}\\u00{ord(API_KEY[16]):02x}{API_KEY[17:]}",
    # ... as a decimal HTML entity
    f"X-API-Key: {API_KEY[:16]}&#{ord(API_KEY[16])};{API_KEY[17:]}",
]


@pytest.mark.parametrize("line", INTERRUPTED)
def test_the_line_after_a_value_with_a_format_character_is_kept(line: str) -> None:
    """A 32-hex value is whole once its shadow reads it: the walk that joins wrapped lines does not carry it onto
    the next line (whose first word used to get the value's placeholder)."""
    assert redacted(raw(f"{line}\nnext line\n")).endswith("-1>\nnext line\n")


def test_a_value_past_the_first_shadow_window_is_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line longer than one window is decoded in overlapping windows (small ones here, to stay fast)."""
    monkeypatch.setattr(shadows, "MAX_SHADOW", 4096)
    monkeypatch.setattr(shadows, "OVERLAP", 512)
    filler = "a%20" * 3000  # 12,000 characters: the value sits in the third window
    line = f"report?log={filler}Resolved%20End%20User%20ID%3A%20{USER_ID}%20done"
    assert USER_ID not in redacted(raw(line + "\n"))
    assert USER_ID not in mask(line)


@pytest.mark.slow
def test_a_value_past_the_first_mebibyte_of_a_line_is_hidden() -> None:
    line = "report?log=" + "a%20" * (shadows.MAX_SHADOW // 4 + 100) + f"Resolved%20End%20User%20ID%3A%20{USER_ID}"
    assert USER_ID not in redacted(raw(line + "\n"))
