"""A logger that cuts a long message into pieces and writes its head or label again in front of each one.

The token before such a piece is cut short, so the piece is its rest even behind the repeated head (`[..][Debug]
[Transport]: `) or label (`"token": `, `token=`, `Token: `): redact gives the whole token one placeholder and
leaves no piece of it, whatever the width of the pieces and the line endings.
"""

from __future__ import annotations

import pytest

from loglens.redaction.rewrite import redact_bytes
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-chunked-3", room="room-chunked", exp=1_950_000_000, nbf=1_700_000_000)
HEADS = (
    "[12:00:00.000][Debug][Transport]: ",  # a Convai head
    '"token": ',  # a quoted JSON label
    "token=",  # a dump's label
    "Token: ",  # the Token summary's label
    "> [12:00:00.000][Debug][Transport]: ",  # a mail quote in front of the head
)


def _chunked(head: str, width: int, ending: str) -> bytes:
    return "".join(head + TOKEN[i : i + width] + ending for i in range(0, len(TOKEN), width)).encode()


@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("width", [40, 60, 100, 150, 200, 250, 300])
@pytest.mark.parametrize("head", HEADS)
def test_every_piece_behind_a_repeated_head_is_the_token(head: str, width: int, ending: str) -> None:
    out, run = redact_bytes(_chunked(head, width, ending))
    text = out.decode()
    tokens = [v for k, v in run.table.private_map().items() if k.startswith("<livekit-token")]
    assert tokens == [TOKEN]
    assert not [i for i in range(36, len(TOKEN) - 7) if TOKEN[i : i + 8] in text]  # past the common header
    assert text.count(head) == text.count(ending) == -(-len(TOKEN) // width)  # every head written back


def test_a_repeated_head_after_a_whole_token_stays_text() -> None:
    """A whole token ends its line: the next entry behind the same head is a line of its own."""
    data = f"[12:00:00.000][Debug][Transport]: {TOKEN}\n[12:00:00.001][Debug][Transport]: Connected0\n".encode()
    out, _ = redact_bytes(data)
    assert out.decode().splitlines()[1] == "[12:00:00.001][Debug][Transport]: Connected0"
