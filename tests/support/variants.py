"""Pasted variants of secret-bearing lines: every way a ticket, an e-mail or a Markdown block can wrap them.

Each variant is one long line (a Token summary, a room-details JSON, a LiveKit `invalid token:` error, a signal
URL) hard-wrapped at a width, with what the paste adds to each line: an e-mail quote, an indent, a tab, a
trailing space, a blank line or a bare CR in a cut, or quoted-printable soft breaks. The secrets are returned
beside the text, so a test can look for every 16-character piece of each without asking loglens what they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from livekit import api

KEY = "APIv7Tq2Xk9Lm3Z"
SECRET = "variants-secret-0123456789abcdefghij"
USER = "c8f0d2b6a1e94f7d8b3a5c6e7f901234"
TOKEN = (
    api.AccessToken(KEY, SECRET)
    .with_identity("f3a9c2d81b7e4a6c9d0e1f2a3b4c5d6e")
    .with_name("Jordan Doe")
    .with_grants(api.VideoGrants(room_join=True, room="convai-61484c4b-115a-58bd-af57-5ad154ee2b55"))
    .with_ttl(timedelta(hours=6))
    .to_jwt()
)
SECRETS = (TOKEN, USER)

_DETAILS = {
    "token": TOKEN,
    "room_name": "convai-61484c4b-115a-58bd-af57-5ad154ee2b55",
    "session_id": "e3d919ed-2c94-5665-8528-d0a48e0dfceb",
    "room_url": "wss://convai-technologies-lfslae7c.livekit.cloud",
    "end_user_id": USER,
    "end_user_metadata": {"name": "Jordan Doe"},
}
LINES = {
    "details": "[Debug][Transport]: Room details received: " + json.dumps(_DETAILS, separators=(",", ":")),
    "summary": f"[Debug][Transport]: Token: {TOKEN}; Room Name: lobby; Session ID: s-1; Resolved End User ID: {USER}",
    "invalid": (
        "[Error][Transport]: Transport connection failed: could not establish signal connection: "
        f"invalid token: {TOKEN}, error: token is expired (exp)"
    ),
    "url": f"SignalClient connecting with url: wss://x.livekit.cloud/rtc?access_token={TOKEN}&auto_subscribe=1",
}
BEFORE = "Refreshing native plugins compatible for Editor in 0.52 ms, found 3 plugins.\n"
AFTER = "UnityEngine.Debug:Log (object)\n\n(Filename: ./Library/Foo.cs Line: 12)\n\nUnloading 4 unused Assets\n"


def _pieces(line: str, width: int) -> list[str]:
    return [line[i : i + width] for i in range(0, len(line), width)]


def _join(pieces: list[str], first: str = "", rest: str = "", tail: str = "", cut: str = "\n") -> str:
    lines = [(first if i == 0 else rest) + piece + tail for i, piece in enumerate(pieces)]
    return cut.join(lines) + "\n"


def _blank_cut(pieces: list[str]) -> str:
    return pieces[0] + "\n\n" + _join(pieces[1:])


def _cr_cut(pieces: list[str]) -> str:
    return pieces[0] + "\r" + _join(pieces[1:])


def _quoted_printable(line: str) -> str:
    encoded = line.replace("=", "=3D")
    return "=\n".join(_pieces(encoded, 75)) + "\n"


# how a paste treats each line of a wrapped text
SHAPES: dict[str, Callable[[list[str]], str]] = {
    "plain": lambda p: _join(p),
    "quote-continuation": lambda p: _join(p, rest="> "),
    "quote": lambda p: _join(p, "> ", "> "),
    "nested-quote": lambda p: _join(p, "> > ", "> > "),
    "indent-2": lambda p: _join(p, "  ", "  "),
    "indent-4": lambda p: _join(p, "    ", "    "),
    "indent-continuation": lambda p: _join(p, rest="    "),
    "tab": lambda p: _join(p, "\t", "\t"),
    "trailing-space": lambda p: _join(p, tail=" "),
    "blank-line": _blank_cut,
    "bare-cr": _cr_cut,
}


@dataclass(frozen=True)
class Variant:
    name: str
    text: str


def variants(
    widths: Iterator[int] | range | tuple[int, ...], crlf: tuple[bool, ...] = (False, True)
) -> Iterator[Variant]:
    """Every line kind x shape x width x line ending, and the quoted-printable form of each line kind."""
    for kind, line in LINES.items():
        for ending in crlf:
            qp = _quoted_printable(line)
            yield Variant(f"{kind}-qp-{'crlf' if ending else 'lf'}", _ended(BEFORE + qp + AFTER, ending))
            for width in widths:
                for shape, build in SHAPES.items():
                    body = build(_pieces(line, width))
                    name = f"{kind}-{shape}-{width}-{'crlf' if ending else 'lf'}"
                    yield Variant(name, _ended(BEFORE + body + AFTER, ending))


def _ended(text: str, crlf: bool) -> str:
    return text.replace("\n", "\r\n") if crlf else text


def pieces_of(secret: str, size: int = 16) -> set[str]:
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}
