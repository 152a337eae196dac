"""`prebeta-room-details.log`: an Editor.log from a pre-4.0 beta SDK (2024), with the emoji room-details line."""

from __future__ import annotations

import json

from tests.support.samples_.common import ROOM_URL, Connect, colored, encode, fake_uuid, head, make_connect
from tests.support.samples_.unity import DOMAIN_RELOAD, ENTER_PLAY

RUNTIME = "Packages/com.convai.convaiunitysdk/Runtime"


def entry(level: str, category: str | None, message: str, frame: str) -> list[str]:
    """An Editor.log entry from the beta: colored (when it went through the logger), stack, footer."""
    text = colored(level, f"{head(level, category)} {message}") if category else message
    via = {"Error": "LogError", "Warning": "LogWarning"}.get(level, "Log")
    method, path = frame.split(" @ ")
    return [
        text,
        "UnityEngine.StackTraceUtility:ExtractStackTrace ()",
        f"UnityEngine.Debug:{via} (object)",
        f"{method} (at {RUNTIME}/{path})",
        "",
        f"(Filename: {RUNTIME}/{path.rsplit(':', 1)[0]} Line: {path.rsplit(':', 1)[1]})",
        "",
    ]


def legacy_json(c: Connect) -> str:
    data = {"token": c.token, "room_name": c.room_name, "session_id": c.session_id, "room_url": ROOM_URL}
    return json.dumps(data, separators=(",", ":"))


def legacy_summary(c: Connect) -> str:
    return (
        f"Token: {c.token}; Room Name: {c.room_name}; Room URL: {ROOM_URL}; Session ID: {c.session_id}; "
        f"Character Session ID: {c.character_session_id}; Resolved Speaker ID: "
    )


def build_prebeta_room_details() -> bytes:
    character = fake_uuid("prebeta/character")
    first = make_connect("prebeta/1", character_id=character, lifetime="expired", trace=False)
    second = make_connect("prebeta/2", character_id=character, lifetime="expired", trace=False)
    room = "Convai.RoomManager/<ConnectToRoom>d__18:MoveNext () @ Scripts/RoomManager.cs:"
    lines: list[str] = [
        "[Licensing::Client] Successfully resolved entitlement details",
        "Built from '2022.3/staging' branch; Version is '2022.3.20f1 (61c2feb0970d) revision 6405935'",
        *DOMAIN_RELOAD,
        *ENTER_PLAY,
    ]
    lines += entry("Info", "SDK", f"[ConvaiRoomManager] Connecting character {character}", room + "74")
    lines += entry("Info", "Transport", f"🔑 ROOM DETAILS RECEIVED: {legacy_json(first)}", room + "101")
    lines += entry("Info", "Transport", legacy_summary(first), room + "104")
    lines += entry("Info", "Transport", "Connected to room via transport.", room + "131")
    lines += entry(
        "Debug",
        "SDK",
        "[SessionMetrics] Session started",
        "Convai.SessionMetrics:Start () @ Scripts/SessionMetrics.cs:33",
    )
    lines += ["Shop: inventory loaded (42 items)", ""]
    lines += entry("Info", "Character", "Merchant Ilse: Welcome back! The lanterns are half price today.", room + "188")
    lines += entry("Warning", "Transport", "Signal connection lost; reconnecting", room + "207")
    lines += entry(
        "Debug",
        "SDK",
        "[SessionMetrics] Reconnection attempt #1",
        "Convai.SessionMetrics:OnReconnect () @ Scripts/SessionMetrics.cs:61",
    )
    lines += entry("Info", None, f"🔑 ROOM DETAILS RECEIVED: {legacy_json(second)}", room + "101")
    lines += entry("Info", "Transport", legacy_summary(second), room + "104")
    lines += entry(
        "Info",
        "SDK",
        "[SessionMetrics] Reconnection successful (attempt #1, success rate: 100%)",
        "Convai.SessionMetrics:OnReconnected () @ Scripts/SessionMetrics.cs:70",
    )
    lines += ["Shop: player bought 'Brass Lantern' x1", ""]
    lines += entry(
        "Info",
        "SDK",
        "[SessionMetrics] Session ended (user disconnect): duration=212.7s; reconnects=1",
        "Convai.SessionMetrics:End (string) @ Scripts/SessionMetrics.cs:88",
    )
    lines += ["Unloading 3 unused Assets to reduce memory usage. Loaded Objects now: 2987."]
    return encode(lines)
