"""A blank (a space, a tab) that a paste put inside a token's signature: the piece after it is the rest of the
signature when it completes it to its algorithm's length exactly, and is hidden with the token by every command.

An HS256 signature is 43 characters. Each row splits one at a place and puts the line in each shape a paste gives
it; `redact`, `check` and `analyze` (text and JSON) must keep no piece of either half. A word after a whole token,
or one that does not complete a cut one, stays text.
"""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import check_stream, verify
from tests.support.tokens import mint_token
from tests.support.wraps import HEADS

TOKEN = mint_token(identity="player-split", room="room-split", exp=1_950_000_000, nbf=1_700_000_000)
HEADER, PAYLOAD, SIGNATURE = TOKEN.split(".")
PIECE = 8  # no piece this long of either half may survive


def split(at: int, blank: str = " ") -> str:
    """The token with `blank` inside its signature after its first `at` characters."""
    return f"{HEADER}.{PAYLOAD}.{SIGNATURE[:at]}{blank}{SIGNATURE[at:]}"


# the lines a token is logged on, `{t}` where it stands
LINES = {
    "summary": "[Debug][Transport]: Token: {t}; Room Name: lobby; Session ID: s-1",
    "invalid": "[Error][Transport]: could not connect: invalid token: {t}, error: token is expired (exp)",
    "details": '[Debug][Transport]: Room details received: {{"token":"{t}","room_name":"lobby"}}',
    "bearer": "[Debug][REST]: GET /v1/rooms Authorization: Bearer {t}",
    "end": "[Debug][Transport]: Token: {t}",
}
# what a paste puts around the line, `{}` where the line stands
SHAPES = {
    "plain": "{}",
    "quote": "> {}",
    "nested": "> > {}",
    "indent": "    {}",
    "tab": "\t{}",
    "console": "<color=cyan>[14:02:11.871]{}</color>",
    **{f"logcat-{index}": head + "{}" for index, head in enumerate(HEADS)},
}
PLACES = (5, 14, 21, 30, 35)  # where the blank falls: each half is PIECE characters or more


def _pieces(text: str) -> set[str]:
    return {text[i : i + PIECE] for i in range(len(text) - PIECE + 1)}


def _kept(at: int, out: str) -> set[str]:
    """The pieces of the signature's halves (and of the whole) that `out` still holds."""
    return {p for p in _pieces(SIGNATURE[:at]) | _pieces(SIGNATURE[at:]) | _pieces(SIGNATURE) if p in out}


def _analyzed(data: bytes, form: str) -> str:
    result = CliRunner().invoke(app, ["analyze", "--format", form, "--sessions", "all", "-"], input=data)
    assert result.exit_code in (0, 1), result.stderr
    if form == "json":
        json.loads(result.stdout)
    return result.stdout + result.stderr


def _assert_hidden_everywhere(data: bytes, at: int) -> None:
    out, run = redact_bytes(data)
    text = out.decode("utf-8", "surrogateescape")
    assert _kept(at, text) == set(), text
    assert verify(io.BytesIO(out), run.table, RedactOptions()) == []
    assert list(check_stream(io.BytesIO(data)))
    assert list(check_stream(io.BytesIO(out))) == []
    for form in ("text", "json"):
        assert _kept(at, _analyzed(data, form)) == set(), form


@pytest.mark.parametrize("at", PLACES)
@pytest.mark.parametrize("line", sorted(LINES))
@pytest.mark.parametrize("blank", [" ", "\t"], ids=["space", "tab"])
def test_a_blank_inside_the_signature_is_read_through(at: int, line: str, blank: str) -> None:
    data = f"ok\n{LINES[line].format(t=split(at, blank))}\nok\n".encode()
    _assert_hidden_everywhere(data, at)


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_a_split_signature_is_read_through_in_every_shape_a_paste_gives(shape: str, ending: str) -> None:
    lines = [SHAPES[shape].format(LINES[name].format(t=split(21))) for name in ("summary", "invalid")]
    data = ending.join(["ok", *lines, "ok", ""]).encode()
    _assert_hidden_everywhere(data, 21)


@pytest.mark.parametrize("markup", ["<b>{}</b>", "<color=red>{}</color>", "**{}**", "\x1b[36m{}\x1b[0m"])
def test_a_split_signature_inside_markup_is_read_through(markup: str) -> None:
    data = f"ok\n[Debug][Transport]: Token: {markup.format(split(14))}; Room Name: lobby\nok\n".encode()
    _assert_hidden_everywhere(data, 14)


@pytest.mark.parametrize(
    "signature",
    [
        f"{SIGNATURE[:10]} {SIGNATURE[10:25]} {SIGNATURE[25:]}",  # two blanks, three pieces
        f"{SIGNATURE[:10]}  {SIGNATURE[10:]}",  # a doubled blank
        f"{SIGNATURE[:10]} \u00a0{SIGNATURE[10:]}",  # a space and a no-break space
        f"{SIGNATURE[:12]}\t{SIGNATURE[12:30]} {SIGNATURE[30:]}",  # a tab, then a space
    ],
)
@pytest.mark.parametrize("after", ["; Room Name: lobby", " Retrying now", ""], ids=["field", "words", "end"])
def test_a_signature_in_several_pieces_is_read_through(signature: str, after: str) -> None:
    data = f"ok\n[Error][Transport]: invalid token: {HEADER}.{PAYLOAD}.{signature}{after}\nok\n".encode()
    out, _ = redact_bytes(data)
    assert _kept(21, out.decode()) == set() and after.encode() in out
    assert list(check_stream(io.BytesIO(out))) == []


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        # a word after a whole token is text
        (f"[Error][Transport]: invalid token: {TOKEN} Retrying now", "Retrying now"),
        (f"[Error][Transport]: invalid token: {TOKEN}\tRetrying", "\tRetrying"),
        # a word after a cut token that does not complete its signature to 43 characters
        (f"[Error][Transport]: invalid token: {TOKEN[:-13]} then retried", " then retried"),
        (f"[Error][Transport]: invalid token: {TOKEN[:-4]} Retrying", " Retrying"),
        # a longer run than the rest of a signature
        (f"[Error][Transport]: invalid token: {TOKEN[:-5]} {'x' * 50}", "x" * 50),
    ],
)
def test_a_word_after_a_token_stays_text(line: str, kept: str) -> None:
    out, _ = redact_bytes(f"{line}\n".encode())
    assert kept.encode() in out and b"<livekit-token-1>" in out


def test_the_rest_of_the_signature_joins_the_same_placeholder_as_the_whole_token() -> None:
    data = f"Token: {TOKEN}; Room Name: a\nToken: {split(21)}; Room Name: a\n".encode()
    out, _ = redact_bytes(data)
    assert out == b"Token: <livekit-token-1>; Room Name: a\nToken: <livekit-token-1>; Room Name: a\n"


@pytest.mark.parametrize("width", [33, 47, 64, 76])
@pytest.mark.parametrize("prefix", ["", "> ", "    "], ids=["bare", "quote", "indent"])
@pytest.mark.parametrize("line", ["summary", "invalid", "end"])
def test_a_split_signature_is_read_through_where_a_hard_wrap_cuts_the_line(width: int, prefix: str, line: str) -> None:
    text = LINES[line].format(t=split(21))
    pieces = [prefix + text[i : i + width] for i in range(0, len(text), width)]
    _assert_hidden_everywhere(("\n".join(["ok", *pieces, "ok"]) + "\n").encode(), 21)
