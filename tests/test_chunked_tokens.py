"""A logger that cuts a long message into pieces and writes its head or label again in front of each one.

The token before such a piece is cut short, so the piece is its rest even behind the repeated head (`[..][Debug]
[Transport]: `) or label (`"token": `, `token=`, `Token: `): redact gives the whole token one placeholder and
leaves no piece of it, whatever the width of the pieces and the line endings.
"""

from __future__ import annotations

import io

import pytest

from loglens import api
from loglens.paste import repeated_lead
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.verify import check_stream
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


@pytest.mark.parametrize(
    ("first", "line", "shared"),
    [
        ("[12:00:00.000][Debug][Transport]: eyJx", "[12:00:00.001][Debug][Transport]: abc", 34),  # time differs
        ('"token": eyJx', '"token": abc', 9),  # a quoted label and its blank
        ("token=eyJx", "token=abc", 6),  # a dump's label
        ("[12:00:00.000][Debug][Transport]: Token: eyJx", "[12:00:00.000][Debug][Transport]: Tail", 34),  # the head
        ("Connecting with eyJx", "Connecting again", 0),  # words, no head or label
        ("tokenA=eyJx", "tokenB=abc", 0),  # another label
    ],
)
def test_the_repeated_lead_ends_at_a_head_or_a_label(first: str, line: str, shared: int) -> None:
    assert repeated_lead(first, first.index("eyJ") if "eyJ" in first else len(first), line, 0) == shared


@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("width", [40, 100, 200, 300])
@pytest.mark.parametrize("head", HEADS[:3])
def test_the_recheck_finds_a_piece_left_behind_a_repeated_head(head: str, width: int, ending: str) -> None:
    """What an older redaction wrote: the first piece replaced, the rest behind the head in clear. The re-scan's
    own checks (no detector sees a piece without its header) flag it, so the output is not kept."""
    pieces = [TOKEN[i : i + width] for i in range(0, len(TOKEN), width)]
    left = head + "<livekit-token-1>" + ending + "".join(head + piece + ending for piece in pieces[1:])
    assert list(check_stream(io.BytesIO(left.encode())))


@pytest.mark.parametrize("size", [40, 60, 100])
def test_the_tail_of_a_payload_decodes_to_claims(size: int) -> None:
    """The last characters of a payload hold only the `video` grant's names: a token's claims all the same."""
    tail = TOKEN.split(".")[1][-size:]
    assert [f.label for f in check_stream(io.BytesIO(f"note: {tail} end\n".encode()))] == ["livekit-token (claims)"]


URL = "wss://convai-technologies-lfslae7c.livekit.cloud"
SUMMARY = f"Token: {TOKEN}; Room Name: room-chunked; Room URL: {URL}; Session ID: s-1"
HEAD = "[12:00:00.000][Debug][Transport]: "


@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("width", [40, 60, 100, 150, 200, 250, 300])
def test_every_command_reads_a_chunked_summary_whole(width: int, ending: str) -> None:
    """A Token summary cut into pieces behind its repeated head: analyze and livekit join it (wrap.py) and read the
    whole token and the room's URL; redact gives the token one placeholder and leaves no piece."""
    lines = [
        "[12:00:00.000][Info][Bootstrap]: Convai Bootstrapper: Initializing...",
        *(HEAD + SUMMARY[i : i + width] for i in range(0, len(SUMMARY), width)),
        "[12:00:00.100][Debug][Transport]: Connected to room via transport.",
    ]
    data = (ending.join(lines) + ending).encode()
    analyzed = [c.token.get_secret_value() for s in api.analyze(data).sessions for c in s.credentials if c.token]
    pair = api.livekit(data).pair
    out, run = redact_bytes(data)
    redacted = [v for k, v in run.table.private_map().items() if k.startswith("<livekit-token")]
    assert (analyzed, pair.token.get_secret_value(), redacted) == ([TOKEN], TOKEN, [TOKEN])
    assert pair.url is not None and pair.url.get_secret_value() == URL
    assert not [i for i in range(36, len(TOKEN) - 7) if TOKEN[i : i + 8] in out.decode()]
