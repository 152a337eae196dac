"""Shared pieces of the sample logs: fixed times, fake credentials, the two credential lines, writers.

Everything is derived from fixed seeds and fixed Unix times, so a build writes the same bytes every time.
All keys, tokens, ids, names and addresses are invented.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Literal

from tests.support.tokens import mint_token

ROOM_URL = "wss://convai-technologies-lfslae7c.livekit.cloud"
LIVEKIT_KEY = "APIsampleKey042"  # fake LiveKit API key id ("API" + 12 characters)
LIVEKIT_SECRET = "sample-secret-not-real"

# Fixed token lifetimes (Unix seconds): valid until 2031, expired in 2024, not valid before 2031.
NBF_VALID = 1_750_000_000  # 2025-06-15
EXP_VALID = 1_935_000_000  # 2031-04-26
NBF_EXPIRED = 1_716_978_400  # 2024-05-29, six hours before the expiry below
EXP_EXPIRED = 1_717_000_000  # 2024-05-29
NBF_FUTURE = 1_930_000_000  # 2031-02-27
EXP_FUTURE = 1_930_021_600  # six hours later

Lifetime = Literal["valid", "expired", "future"]
_TIMES: dict[Lifetime, tuple[int, int]] = {
    "valid": (NBF_VALID, EXP_VALID),
    "expired": (NBF_EXPIRED, EXP_EXPIRED),
    "future": (NBF_FUTURE, EXP_FUTURE),
}
_NAMESPACE = uuid.UUID("6f1d3c52-2b7e-4f0a-9c1d-5e8a7b6c4d30")


# The RoomConnectionRuntimeAdapter's async frame and source file, as the 4.x SDK logs them.
ADAPTER = "Convai.Runtime.Room.RoomConnectionRuntimeAdapter/<ConnectAsync>d__14:MoveNext () @ "
ADAPTER_FILE = "Room/RoomConnectionRuntimeAdapter.cs:"
ATTEMPT_FRAME = ADAPTER + ADAPTER_FILE + "112"


def attempt(character: str, n: int = 1) -> str:
    """The connect-attempt line of the 4.x SDK."""
    return f"[RoomConnectionRuntimeAdapter] Attempt {n} connecting character {character} (mode=create)"


def fake_uuid(seed: str) -> str:
    """A stable UUID for a seed (uuid5), so every sample id is reproducible."""
    return str(uuid.uuid5(_NAMESPACE, seed))


def fake_hex(seed: str, length: int = 32) -> str:
    """Stable lowercase hex for a seed: fake API keys, device ids, correlation ids."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class Connect:
    """What one Connect API answer carried: the LiveKit token and the ids around it."""

    seed: str
    token: str
    character_id: str
    room_name: str
    session_id: str
    character_session_id: str
    end_user_id: str
    end_user_name: str | None
    request_trace_id: str | None
    speaker_id: str | None


def make_connect(
    seed: str,
    *,
    character_id: str,
    lifetime: Lifetime = "valid",
    end_user_id: str | None = None,
    end_user_name: str | None = None,
    trace: bool = True,
    speaker: bool = False,
) -> Connect:
    """A fresh Connect answer; the seed makes the token, room and ids distinct from every other connect."""
    nbf, exp = _TIMES[lifetime]
    room = "convai-" + fake_uuid(seed + "/room")
    user = end_user_id or fake_hex(seed + "/device")
    metadata = json.dumps({"character_id": character_id}, separators=(",", ":"))
    token = mint_token(
        identity=user,
        room=room,
        exp=exp,
        nbf=nbf,
        api_key=LIVEKIT_KEY,
        secret=LIVEKIT_SECRET,
        name=end_user_name,
        metadata=metadata,
    )
    return Connect(
        seed=seed,
        token=token,
        character_id=character_id,
        room_name=room,
        session_id=fake_uuid(seed + "/session"),
        character_session_id=fake_uuid(seed + "/character-session"),
        end_user_id=user,
        end_user_name=end_user_name,
        request_trace_id=fake_uuid(seed + "/trace") if trace else None,
        speaker_id=fake_uuid(seed + "/speaker") if speaker else None,
    )


def room_details_json(c: Connect, *, full: bool = True, characters: list[dict[str, str]] | None = None) -> str:
    """The Connect API answer as the SDK logs it: the full 4.x key set, or the four keys older SDKs print."""
    data: dict[str, object] = {
        "token": c.token,
        "room_name": c.room_name,
        "session_id": c.session_id,
    }
    if full:
        data["request_trace_id"] = c.request_trace_id
    data["room_url"] = ROOM_URL
    if full:
        data.update(
            {
                "character_session_id": c.character_session_id,
                "speaker_id": c.speaker_id,
                "end_user_id": c.end_user_id,
                "end_user_metadata": {"name": c.end_user_name} if c.end_user_name else {},
                "room_session_id": None,
                "active_membership_id": None,
                "route_epoch": None,
                "roster_epoch": None,
                "partial_dispatch": False,
                "characters": characters,
                "transport": "livekit",
            }
        )
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


SummaryStyle = Literal["plain", "diagnostics", "old-empty"]


def token_summary(c: Connect, style: SummaryStyle = "diagnostics") -> str:
    """`Token: ...; Room Name: ...` as the SDK prints it after the room details (message part only)."""
    text = (
        f"Token: {c.token}; Room Name: {c.room_name}; Room URL: {ROOM_URL}; Session ID: {c.session_id}; "
        f"Character Session ID: {c.character_session_id}"
    )
    if style == "diagnostics":
        text += (
            f"; Resolved Speaker ID (diagnostics): {c.speaker_id or 'none'}; "
            f"Request Trace ID: {c.request_trace_id or 'none'}; Resolved End User ID: {c.end_user_id}"
        )
    elif style == "old-empty":
        text += "; Resolved Speaker ID: "
    return text


class Clock:
    """A deterministic `HH:mm:ss.fff` clock that only moves forward by the steps it is given."""

    def __init__(self, hour: int, minute: int, second: int, millis: int = 0) -> None:
        self.ms = ((hour * 60 + minute) * 60 + second) * 1000 + millis

    def tick(self, ms: int = 7) -> str:
        self.ms += ms
        return self.now()

    def now(self) -> str:
        total = self.ms
        h, rest = divmod(total // 1000, 3600)
        return f"{h % 24:02d}:{rest // 60:02d}:{rest % 60:02d}.{total % 1000:03d}"


def encode(lines: list[str], *, crlf: bool = False, bom: bool = False, utf16: bool = False) -> bytes:
    """Join lines with LF or CRLF (a final newline included) and encode as UTF-8 (optional BOM) or UTF-16LE+BOM."""
    ending = "\r\n" if crlf else "\n"
    text = ending.join(lines) + ending
    if utf16:
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


HEX_COLORS = {"Error": "#FF5555", "Warning": "#FFCC00", "Info": "#A0A0A0", "Debug": "#00D7FF", "Trace": "#808080"}
NAMED_COLORS = {"Error": "red", "Warning": "yellow", "Info": "grey", "Debug": "cyan", "Trace": "gray"}


def head(level: str, category: str, *, time: str | None = None, corr: str | None = None) -> str:
    """The bracketed head `[time][Level][Category][corr]:` of a 4.x console-sink line."""
    parts = [time, level, category, corr]
    return "".join(f"[{p}]" for p in parts if p is not None) + ":"


def colored(level: str, text: str, *, hex_colors: bool = False, close: bool = True) -> str:
    """Wrap a line in `<color=...>`; `close=False` leaves the closing tag for a later line."""
    color = (HEX_COLORS if hex_colors else NAMED_COLORS)[level]
    return f"<color={color}>{text}" + ("</color>" if close else "")
