"""Secret-bearing lines cut the ways a paste cuts them: hard wraps at any width with every decoration a paste adds,
quoted-printable soft breaks, labels cut mid-word, and Android logcat splitting one message into two entries.

Each case carries its secrets, so a test can look for every 12-character piece of each without asking loglens
what they are. Tokens are minted by LiveKit's own server SDK; every other value is fake.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from livekit import api

TOKEN = (
    api.AccessToken("APIw9Rk2Lq7Tz4X", "wraps-secret-0123456789abcdefghijkl")
    .with_identity("dev-7c1e9a0b3d5f2468")
    .with_name("Alice")
    .with_metadata(json.dumps({"name": "Alice Smithson", "bio": "plays on weekends " * 12}))
    .with_attributes({"k": "9f" * 40})
    .with_grants(api.VideoGrants(room_join=True, room="room-1"))
    .with_ttl(timedelta(hours=2))
    .to_jwt()
)
BODY = TOKEN.split(".", 1)[1]  # the header is the same in every HS256 token: not a secret of its own
KEY = "5a0c8e2f4b6d1a3c5e7f9b0d2c4e6a81"
USER = "d41f6b8e0a2c4e6f8b1d3a5c7e9f0b2d"
AUTH = "aat_Qw3rTy7uIo9pAs2dFg4hJk6lZx"
EMAIL = "alice.smith42@example-mail.com"
SAID = "my secret passphrase is 7f3a9c01e2d4"
IP = "198.51.77.123"
NAME = "Alice Smithson"
URL_HEAD = "SignalClient connecting with url: wss://convai-technologies-lfslae7c.livekit.cloud/rtc?access_token="

# one long line per shape, and the secret it carries
LINES: dict[str, tuple[str, str]] = {
    "api-key": (f"[Debug][REST]: POST https://live.convai.com/connect X-API-Key: {KEY} CONVAI-API-KEY: {KEY}", KEY),
    "end-user-id": (f"[Debug][Transport]: Resolved End User ID: {USER}", USER),
    "auth-token": (f'[Debug][REST]: API-AUTH-TOKEN: {AUTH} body {{"apiAuthToken": "{AUTH}"}}', AUTH),
    "email": (f"[Info][SDK]: logged in as {EMAIL} ok", EMAIL),
    "player-text": (f"[Debug][SDK]: [ConvaiRoomManager] Sent user text message: {SAID}", SAID),
    "ice": (f"candidate:842163049 1 udp 1694498815 {IP} 50522 typ srflx raddr 10.0.0.5 rport 50522", IP),
    "details": (
        "[Debug][Transport]: Room details received: "
        + json.dumps({"room_name": "lobby", "end_user_id": USER, "end_user_metadata": {"name": NAME, "level": 3}}),
        NAME,
    ),
    "bearer": (f"[Debug][REST]: GET /v1/rooms Authorization: Bearer {TOKEN} accept: json", BODY),
}
# what a paste puts in front of each line (the first line too, or only the lines after it) and after it
PREFIXES = {"none": "", "quote": "> ", "nested": ">> ", "indent-2": "  ", "indent-4": "    ", "tab": "\t"}
# the logcat head formats of LOG-FORMATS sections 5 and 7, and `adb logcat -v time`
HEADS = (
    "06-09 17:00:55.771 21919 21952 I Unity   : ",
    "06-09 17:00:55.771 E/Unity   (21919): ",
    "2025/06/09 17:00:55.771 21919 21952 Error Unity ",
    "2025-10-23 12:15:40.374 11012-11123 Unity   com.studio.game   E  ",
    "E/Unity   (27777): ",
    "E/Unity: ",
    "Unity   ",
)
BEFORE = "[Info][SDK]: start"
AFTER = "[Info][SDK]: end"


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    secrets: tuple[str, ...]


def hard_wrap(line: str, width: int, prefix: str = "", *, first: bool = True, trail: str = "", eol: str = "\n") -> str:
    """`line` cut every `width` characters; each piece gets `prefix` (the first one only when `first`) and
    `trail`, and the whole sits between two ordinary entries."""
    pieces = [line[i : i + width] for i in range(0, len(line), width)]
    body = [(prefix if first or i else "") + piece + trail for i, piece in enumerate(pieces)]
    return eol.join([BEFORE, *body, AFTER]) + eol


def quoted_printable(line: str, eol: str = "\n") -> str:
    encoded = line.replace("=", "=3D")
    pieces = [encoded[i : i + 75] for i in range(0, len(encoded), 75)]
    return eol.join([BEFORE, ("=" + eol).join(pieces), AFTER]) + eol


def blank_in_cut(line: str, width: int, prefix: str = ">> ", eol: str = "\n") -> str:
    """A hard wrap whose cut after the first piece holds a line with nothing but the prefix on it."""
    wrapped = hard_wrap(line, width, prefix, eol=eol).split(eol)
    return eol.join([*wrapped[:2], prefix, *wrapped[2:]])


def logcat_split(line: str, head: str, at: int | None = None) -> str:
    """One message logged as two logcat entries, each behind its own head (Android cuts long messages)."""
    cut = len(line) // 2 if at is None else at
    return "".join(head + part + "\n" for part in (BEFORE, line[:cut], line[cut:], AFTER))


def token_url(width: int, last: int = 13) -> str:
    """A signal URL whose token, wrapped at `width`, leaves `last` characters on its last line."""
    pad = (last - len(URL_HEAD) - len(TOKEN) - len("[Debug] sid= ")) % width
    return "[Debug] sid=" + "s" * pad + " " + URL_HEAD + TOKEN + "&auto_subscribe=1&sdk=unity"


def cut_label(line: str, label: str, keep: int) -> int:
    """The wrap width that cuts `label` after its first `keep` characters (the label's first occurrence)."""
    return line.index(label) + keep


def sweep(widths: range | tuple[int, ...] = range(20, 121)) -> Iterator[Case]:
    """Every shape x width x decoration x line ending, the quoted-printable form, and a logcat split per head."""
    for shape, (line, secret) in LINES.items():
        for eol in ("\n", "\r\n"):
            ending = "crlf" if eol != "\n" else "lf"
            yield Case(f"{shape}-qp-{ending}", quoted_printable(line, eol), (secret,))
            for width in widths:
                for name, prefix in PREFIXES.items():
                    yield Case(f"{shape}-{name}-{width}-{ending}", hard_wrap(line, width, prefix, eol=eol), (secret,))
                yield Case(f"{shape}-cont-{width}-{ending}", hard_wrap(line, width, "> ", first=False), (secret,))
                yield Case(f"{shape}-trail-{width}-{ending}", hard_wrap(line, width, trail=" ", eol=eol), (secret,))
        for index, head in enumerate(HEADS):
            yield Case(f"{shape}-logcat-{index}", logcat_split(line, head), (secret,))
    for width in widths:
        yield Case(f"url-{width}", hard_wrap(token_url(width), width), (BODY,))


def pieces(secret: str, size: int = 12) -> set[str]:
    """Every `size`-character piece of `secret` (the whole of a shorter one)."""
    if len(secret) <= size:
        return {secret}
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}
