"""The block screen's leads (`Detector.leads`): an `@` that no e-mail or URL credential can hang on (a package
version in every stack frame) is not picked, and every `@` that can still is, cut, escaped or wrapped."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest

from loglens.detectors import DetectorSet
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions, build_rules
from loglens.redaction.scan import BlockScreen
from loglens.redaction.verify import check_stream
from loglens.render.jsonout import report_json
from loglens.render.report import write_text
from loglens.report import analyze
from loglens.sources import LineReader
from tests.support.variants import AFTER, BEFORE, SHAPES, TOKEN, _ended, _pieces, pieces_of

FRAME = b"Convai.Runtime.Room.ConvaiRoomManager:OnRoomDetails (string) (at Library/PackageCache/com.convai.sdk@4.2.1/Runtime/Room/ConvaiRoomManager.cs:31)\n"  # noqa: E501


def _screen(options: RedactOptions | None = None) -> BlockScreen:
    return BlockScreen(DetectorSet((options or RedactOptions()).detectors()), "surrogateescape")


def test_a_package_version_after_an_at_sign_is_not_picked() -> None:
    assert _screen().lines(FRAME * 3) == {}


# each holds a value behind an `@` that only a lead keeps in view: the rest is on the next line, escaped, behind a
# format character or a break tag, or the scheme is on the line before
HIDDEN = [
    b"[00:01:02.003][Info][SDK]: contact support at jane.doe.support@exam\nple.org for help\n",
    b"mail: jane.doe.support@example\\u002eorg\n",
    b"mail: jane.doe.support@example%2Eorg\n",
    b"mail: jane.doe.support@example\xe2\x80\x8b.org now\n",
    b"mail jane.doe.support@example<br>.org x\n",
    b"mail jane.doe.support@exa<br>mple.o<br>rg x\n",  # HTML pasted as one line, the domain cut twice
    b"mail jane.doe.support@exa<BR>mple.or\n",
    b"mail jane.doe.support@example.org\r\n",
    b"connect wss://player:hunter22\n@rooms.example.net/ws now\n",
    b"url wss:\\/\\/player:hunter22@rooms.example.net\\/ws now\n",
]


@pytest.mark.parametrize("log", HIDDEN)
def test_every_at_sign_a_value_may_hang_on_is_still_redacted_and_checked(log: bytes) -> None:
    out, _ = redact_bytes(FRAME + log + FRAME)
    assert b"jane.doe" not in out and b"hunter22" not in out
    assert list(check_stream(io.BytesIO(FRAME + log + FRAME)))


_URL_HEAD = b"[00:00:05.043][Debug][Transport]: ICE server "  # puts each `@` past the line's first 40 characters
# each row names a URL credential's start that the `@` lead keeps in view, in the case and form a log may give it:
# the row is picked, while the same `@` behind none of them (a frame's package version) is not
URL_STARTS = [
    _URL_HEAD + b"turn:player:hunter22@relayhost:3478 now\n",  # `turn:`, found at its colon
    _URL_HEAD + b"TURNS:player:hunter22@relayhost:5349 now\n",  # `turns:` in capitals
    _URL_HEAD + b"wss%3A%2F%2Fplayer%3Ahunter22@relayhost now\n",  # the scheme percent-encoded, in capitals
    _URL_HEAD + b"wss:\\/\\/player:hunter22@relayhost now\n",  # the slashes JSON-escaped
    _URL_HEAD + b"https:\\\\player:hunter22@relayhost now\n",  # a backslash after the colon
    _URL_HEAD + b"wss&#58;//player:hunter22@relayhost now\n",  # an HTML entity
    b"  > hunter22@relayhost/ws and then something else entirely\n",  # an `@` near the line's start
]


@pytest.mark.parametrize("row", URL_STARTS)
def test_an_at_sign_after_a_url_credentials_start_is_picked(row: bytes) -> None:
    picked = _screen().lines(FRAME + row + FRAME)
    assert picked.get(len(FRAME)) == len(FRAME) + len(row) - 1
    assert 2 * len(FRAME) + len(row) not in picked  # the frame after it is not


def test_an_at_sign_past_the_lines_first_characters_is_not_picked_alone() -> None:
    row = b"Convai.Runtime.Room.ConvaiRoomManager:Join (string) (at Library/PackageCache/com.convai.sdk@4.2.1/x.cs)\n"
    assert b":/" not in row and row.index(b"@") > 40
    assert _screen().lines(row) == {}


def test_a_users_own_literal_with_an_at_sign_keeps_every_at_line_in_view() -> None:
    options = RedactOptions(rules=build_rules(literals=["sdk@4.2.1"]))
    assert _screen(options).lines(FRAME)
    out, _ = redact_bytes(FRAME, options)
    assert b"sdk@4.2.1" not in out


# --- `key`: a row whose only `key` starts a word (`keywords` in a shader line) may still lead to a key -------------

SHADER = "Shader 'Lit': 3 variants compiled for platform StandaloneWindows64, keywords _MAIN_LIGHT_SHADOWS\n"
HEX = "0123456789abcdef0123456789abcdef"
OPAQUE = "s3cr3tv4lu3xyz12"
WORDS = "Shader 'Lit': 3 variants compiled for platform StandaloneWindows64, keywords _MAIN_LIGHT_SHADOWS; "

# a key on a line whose only plain `key` is the shader's `keywords`: the label is escaped, cut by a break tag or a
# bare CR, has an invisible, fullwidth or Kelvin character in it, so only the line's shadow, its pieces joined or
# its lowercase form show it
KEY_HIDDEN = [
    WORDS + "X-API-Ke\\u0079: " + HEX,  # a JSON escape
    WORDS + "X-API-Ke%79: " + HEX,  # percent-encoded
    WORDS + "X-API-Ke&#121;: " + HEX,  # an HTML entity
    WORDS + "X-API-Ke\u00ady: " + HEX,  # a soft hyphen
    WORDS + "X-API-K\u200bey: " + HEX,  # a zero-width space
    WORDS + "X-API-Ke<br>y: " + HEX,  # HTML pasted as one line
    WORDS + "X-API-Ke\ry: " + HEX,  # a bare CR
    WORDS + "X-API-Ｋｅｙ: " + HEX,  # fullwidth
    WORDS + "X-API-\u212aey: " + HEX,  # a Kelvin sign, a `k` in the lowercase text the detectors read
    WORDS + '{\\"X-API-Ke\\u0079\\": \\"' + HEX + '\\"}',  # JSON inside JSON
    WORDS + "GET /v1?ke%79=" + OPAQUE,  # a URL's parameter
    WORDS + "GET /v1?ke\\u0079=" + OPAQUE,
    WORDS + "X-API-KEY: " + HEX,  # the plain label beside the word, in capitals
    WORDS + "X-API-KEY:",  # the label at the line's end, the key on the next line
]


@pytest.mark.parametrize("line", KEY_HIDDEN)
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_key_beside_a_shader_word_is_redacted_and_checked(line: str, ending: str) -> None:
    log = (SHADER + line + ending + (HEX + ending if line.endswith(":") else "") + SHADER).encode()
    secret = (OPAQUE if OPAQUE in line else HEX).encode()
    out, _ = redact_bytes(log)
    assert secret not in out
    assert list(check_stream(io.BytesIO(log)))


def _wrapped(
    words: str, width: int, build: Callable[[list[str]], str], ending: bool, label: str = "X-API-Ke\\u0079"
) -> bytes:
    line = words + label + ": " + HEX
    return _ended(SHADER + BEFORE + build(_pieces(line, width)) + AFTER, ending).encode()


def _leaves_the_key(out: bytes) -> bool:
    return any(piece.encode() in out for piece in pieces_of(HEX, 6))


@pytest.mark.parametrize("ending", [False, True])
def test_a_shader_words_row_may_begin_the_wrapped_group_that_holds_a_key(ending: bool) -> None:
    """Hard-wrapped at a paste's widths, quoted, indented, cut by a blank line or a bare CR: the row that holds
    `keywords` is the first of the group the screen picks, and the fixed-width walk from it is what joins the
    escaped label to its value. A screen that let that row go (a lead for `key` that wants a separator after it)
    would leave the key in the copy: at width 20 no later row shows the walk enough lines of that width."""
    for width in (20, 58, 76):
        for name, build in SHAPES.items():
            out, _ = redact_bytes(_wrapped(WORDS, width, build, ending))
            assert not _leaves_the_key(out), (width, name)


# a paste's widths and line endings: one of each in the default run, the whole matrix in the slow one
WIDTHS = [37, *(pytest.param(width, marks=pytest.mark.slow) for width in (20, 58, 76))]
ENDINGS = [pytest.param(False, id="lf"), pytest.param(True, id="crlf", marks=pytest.mark.slow)]


# the label of a key with one of its characters escaped, as a paste writes it: the row a wrap cut it to holds no
# plain `key`, and from the row that holds it, the walk sees too few lines of their width to join the rest
ESCAPED_LABELS = {
    "json": "X-API-Ke\\u0079",
    "percent": "X-API-Ke%79",
    "entity": "X-API-Ke&#121;",
    "soft-hyphen": "X-API-Ke\u00ady",
    "zero-width": "X-API-K\u200bey",
}
NO_GATE = WORDS.replace("keywords", "defines")  # no other gate before the label
ERROR = "[Error][Transport]: request failed with status 401; "  # an error line: what `analyze` shows


@pytest.mark.parametrize("label", ESCAPED_LABELS.values(), ids=ESCAPED_LABELS.keys())
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("words", [WORDS, NO_GATE, ERROR], ids=["keywords", "no-gate", "error"])
@pytest.mark.parametrize("ending", ENDINGS)
def test_a_wrapped_key_whose_escaped_label_is_the_first_gate_is_redacted(
    label: str, width: int, words: str, ending: bool
) -> None:
    """Hard-wrapped at a paste's widths in every paste shape, with or without `keywords` earlier in the line: the
    row that holds the escaped label (or the row a cut inside its escape ends) is picked, so the walk from it or
    from the row before joins the key; `check` finds it in the log, and nothing in the redacted copy."""
    for name, build in SHAPES.items():
        log = _wrapped(words, width, build, ending, label)
        out, _ = redact_bytes(log)
        assert not _leaves_the_key(out), name
        assert list(check_stream(io.BytesIO(log))), name
        assert not list(check_stream(io.BytesIO(out))), name


def _analyzed(log: bytes) -> tuple[str, str]:
    report = analyze(LineReader(io.BytesIO(log)), source="test.log")
    text = io.StringIO()
    write_text(report, text, color=False, width=4000)  # wide: a leak must not hide behind a line break
    return text.getvalue(), json.dumps(report_json(report))


@pytest.mark.parametrize("label", ESCAPED_LABELS.values(), ids=ESCAPED_LABELS.keys())
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("ending", ENDINGS)
def test_analyze_shows_no_piece_of_a_wrapped_key_whose_label_is_escaped(label: str, width: int, ending: bool) -> None:
    shown = 0
    for words in (WORDS, NO_GATE, ERROR):
        for name, build in SHAPES.items():
            text, data = _analyzed(_wrapped(words, width, build, ending, label))
            assert not _leaves_the_key(text.encode()), (name, "text")
            assert not _leaves_the_key(data.encode()), (name, "json")
            shown += "request failed" in text
    # the error line is in the report, so what it shows of the key is checked (at 20 columns its first row is only
    # the `[Error][Transport]: ` head)
    assert shown or width == 20


def test_the_row_that_holds_an_escaped_label_is_picked() -> None:
    """The screen reads a row's escapes as the detectors read its shadow: `Ke\\u0079` opens the `key` gate."""
    rows = _screen().lines(b"Refreshing native plugins\nN_LIGHT_SHADOWS; X-A\nPI-Ke\\u0079: 0123456\n789abcdef\n")
    assert 26 in rows and 47 in rows  # the label's row, and the row before it where the label began


def test_an_escape_that_decodes_to_a_lone_surrogate_is_screened() -> None:
    rows = _screen().lines(b'{"room_name":"r\\ud800","ke\\u0079": "x"}\nnext\n')
    assert list(rows) == [0]


# a LiveKit token behind an escaped label, hard-wrapped: `"to\u006ben"` at width 20 was left in the copy
TOKEN_LINES = {
    "summary": "[Debug][Transport]: Token\\u003a " + TOKEN + "; Room Name: lobby; Session ID: s-1",
    "details": '[Debug][Transport]: Room details received: {"to\\u006ben": "' + TOKEN + '", "room_name": "lobby"}',
    "bare-details": 'Room details received: {"to\\u006ben": "' + TOKEN + '"}',
}


@pytest.mark.parametrize("line", TOKEN_LINES.values(), ids=TOKEN_LINES.keys())
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("ending", ENDINGS)
def test_a_wrapped_token_whose_label_is_escaped_is_redacted_and_checked(line: str, width: int, ending: bool) -> None:
    for name, build in SHAPES.items():
        log = _ended(BEFORE + build(_pieces(line, width)) + AFTER, ending).encode()
        out, _ = redact_bytes(log)
        assert not any(piece.encode() in out for piece in pieces_of(TOKEN)), name
        assert list(check_stream(io.BytesIO(log))), name
        assert not list(check_stream(io.BytesIO(out))), name


# a Kelvin sign is a `k` in the lowercase text the detectors read, not in the lowercase bytes a block is screened in
KELVIN = "[Debug][REST]: X-API-\u212aey: " + HEX


@pytest.mark.parametrize("cut", [None, 18, 21, 22, 23, 25])
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_label_with_a_kelvin_sign_is_redacted_and_checked(cut: int | None, ending: str) -> None:
    line = KELVIN if cut is None else KELVIN[:cut] + ending + KELVIN[cut:]
    log = ("Refreshing native plugins\n" + line + ending + "Unloading 4 unused Assets\n").encode()
    out, _ = redact_bytes(log)
    assert not _leaves_the_key(out)
    assert list(check_stream(io.BytesIO(log)))
    assert not list(check_stream(io.BytesIO(out)))
