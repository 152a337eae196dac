"""analyze, livekit and redact read the same hard-wrapped paste as the same whole token.

Each command finds the token its own way (analyze and livekit rejoin the wrapped line before parsing, redact
joins the pieces it has to write back), and all of them ask `loglens.tokens` whether what they built is whole.
Here one paste goes through all three: analyze's credentials, livekit's pair and redact's placeholder table
must each hold exactly the token that was logged, and no piece of it may survive in the redacted copy.
"""

from __future__ import annotations

import json

import pytest

from loglens import api
from loglens.redaction.rewrite import redact_bytes
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-wrapped-7", room="room-agree", exp=1_950_000_000, nbf=1_700_000_000)
HEAD = "[14:02:11.871][Debug][Transport]: "
URL = "wss://convai-technologies-lfslae7c.livekit.cloud"
SHAPES = {
    "summary": f"{HEAD}Token: {TOKEN}; Room Name: room-agree; Room URL: {URL}; Session ID: s-1",
    "details": HEAD
    + "Room details received: "
    + json.dumps({"token": TOKEN, "room_name": "room-agree", "session_id": "s-1", "room_url": URL}),
}
AROUND = (
    "[Info][Bootstrap]: Convai Bootstrapper: Initializing...",
    "[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character abc (mode=create)",
)
AFTER = "[Debug][Transport]: Connected to room via transport."
LOGCAT = "06-09 17:00:55.771 21919 21952 I Unity   : "
PREFIXES = ("", "> ", ">> ", "  ", "    ", "\t")  # none, a mail quote, a nested quote, indents, a tab


def _wrapped(line: str, width: int, prefix: str) -> list[str]:
    """`line` cut every `width` characters; the pieces after the first behind the prefix a paste added."""
    pieces = [line[i : i + width] for i in range(0, len(line), width)]
    return [pieces[0], *(prefix + piece for piece in pieces[1:])]


def _after_token(shape: str) -> int:
    return SHAPES[shape].index(TOKEN) + len(TOKEN)


def _marker_end(shape: str) -> int:
    """Where the blank between the credentials marker and the token begins: a cut there splits the two."""
    return SHAPES[shape].index(TOKEN) - 1


ROWS = [
    pytest.param("summary", 76, "", "\n", id="summary-76"),  # a terminal's usual width
    pytest.param("details", 120, "", "\r\n", id="details-120-crlf"),  # a wide editor pane, Windows endings
    pytest.param("summary", _after_token("summary"), "", "\n", id="summary-cut-after-token"),  # nothing but token
    pytest.param("details", _after_token("details") - 1, "", "\n", id="details-cut-before-last"),  # 1 char left
    pytest.param("summary", 80, "> ", "\n", id="summary-quoted"),  # a mail quote on each piece
    pytest.param("details", 100, "    ", "\r\n", id="details-indented"),  # a ticket's code indent
    pytest.param("summary", 57, ">> ", "\r\n", id="summary-nested-57-crlf"),  # a reply to a reply, odd width
    pytest.param("details", 64, "\t", "\n", id="details-tab-64"),  # a tab-indented block
    pytest.param("summary", _marker_end("summary"), "> ", "\n", id="summary-quoted-cut-at-blank"),  # `Token:| eyJ`
]


def _agree(data: bytes) -> None:
    """analyze's credentials, livekit's pair and redact's table each hold the logged token, and none of it is left."""
    analyzed = [c.token.get_secret_value() for s in api.analyze(data).sessions for c in s.credentials if c.token]
    handed = api.livekit(data).pair.token.get_secret_value()
    out, run = redact_bytes(data)
    redacted = [value for name, value in run.table.private_map().items() if name.startswith("<livekit-token")]

    assert (analyzed, handed, redacted) == ([TOKEN], TOKEN, [TOKEN])
    text = out.decode()
    assert not [i for i in range(36, len(TOKEN) - 11) if TOKEN[i : i + 12] in text]  # past the common header


@pytest.mark.parametrize(("shape", "width", "prefix", "ending"), ROWS)
def test_every_command_reads_the_same_whole_token(shape: str, width: int, prefix: str, ending: str) -> None:
    lines = [*AROUND, *_wrapped(SHAPES[shape], width, prefix), AFTER]
    _agree(ending.join(lines).encode() + ending.encode())


@pytest.mark.parametrize(
    ("shape", "at"),
    [
        pytest.param("summary", 0.5, id="summary-split-in-token"),  # Android cut the message inside the token
        pytest.param("details", 0.3, id="details-split-early"),  # the cut lands early in the token
    ],
)
def test_a_logcat_split_reads_as_one_token(shape: str, at: float) -> None:
    line = SHAPES[shape]
    start = line.index(TOKEN)
    cut = start + int(len(TOKEN) * at)
    lines = [LOGCAT + text for text in (*AROUND, line[:cut], line[cut:], AFTER)]
    _agree("\n".join(lines).encode() + b"\n")


def _sweep() -> list[object]:
    rows: list[object] = []
    for shape in SHAPES:
        for width in range(40, 121, 3):
            for prefix in PREFIXES:
                for ending in ("\n", "\r\n"):
                    rows.append(pytest.param(shape, width, prefix, ending))
    return rows


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "width", "prefix", "ending"), _sweep())
def test_every_width_and_decoration_agrees(shape: str, width: int, prefix: str, ending: str) -> None:
    lines = [*AROUND, *_wrapped(SHAPES[shape], width, prefix), AFTER]
    _agree(ending.join(lines).encode() + ending.encode())
