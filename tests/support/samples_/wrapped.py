"""`wrapped-paste.txt`: a Console copy pasted into a support ticket that hard-wrapped the two credential lines."""

from __future__ import annotations

from tests.support.samples_.common import (
    ATTEMPT_FRAME,
    attempt,
    encode,
    fake_uuid,
    head,
    make_connect,
    room_details_json,
    token_summary,
)
from tests.support.samples_.console import ASYNC_FRAMES, SINK_FRAME, ConsoleCopy

WIDTH = 76


def hard_wrap(line: str, width: int = WIDTH) -> list[str]:
    """Break a line every `width` characters, losing nothing (no spaces added or removed)."""
    return [line[i : i + width] for i in range(0, len(line), width)] or [""]


def build_wrapped_paste() -> bytes:
    character = fake_uuid("wrapped-paste/character")
    # This customer's token is not valid before 2031 (a device clock far ahead when it was requested).
    c = make_connect("wrapped-paste/1", character_id=character, lifetime="future", end_user_name="Priya")
    log = ConsoleCopy()
    log.lines += [
        "Hi support team,",
        "the character never answers in Play mode. Console output below (copied with",
        "Ctrl+C from the Unity Console).",
        "",
    ]
    boot = "Convai.Runtime.Bootstrap.ConvaiBootstrapper:Awake () @ Bootstrap/ConvaiBootstrapper.cs:"
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initializing...", boot + "41")
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initialization complete.", boot + "78")
    log.convai(
        "Info",
        "SDK",
        attempt(character),
        ATTEMPT_FRAME,
        is_async=True,
    )
    transport = "Convai.Runtime.Transport.LiveKitTransport/<ConnectAsync>d__22:MoveNext ()"
    path = "Assets/Convai/Runtime/Transport/LiveKitTransport.cs"
    log.convai("Debug", "Transport", "Connecting to Room...", f"{transport} @ Transport/LiveKitTransport.cs:63")
    for message, line in ((f"Room details received: {room_details_json(c)}", 88), (token_summary(c), 91)):
        log.lines += hard_wrap(f"{head('Debug', 'Transport')} {message}")
        log.lines += [
            "UnityEngine.Debug:Log (object)",
            SINK_FRAME,
            f"{transport} (at {path}:{line})",
            *ASYNC_FRAMES,
            "",
        ]
    log.convai(
        "Error",
        "Transport",
        f"Transport connection failed: could not establish signal connection: invalid token: {c.token}, "
        "error: token not valid yet (nbf)",
        f"{transport} @ Transport/LiveKitTransport.cs:131",
        is_async=True,
    )
    log.convai(
        "Warning",
        "SDK",
        "[SessionMetrics] Session error: transport.livekit_error",
        "Convai.Runtime.Diagnostics.SessionMetrics:OnSessionError (string,string) @ Diagnostics/SessionMetrics.cs:96",
    )
    log.app(
        "NPC Controller: waiting for Convai session before enabling dialogue",
        "Demo.NpcController:Update () (at Assets/Scripts/NpcController.cs:52)",
    )
    log.convai(
        "Info",
        "SDK",
        "[SessionMetrics] Session ended (error): duration=0.4s; reconnects=0; errors=1",
        "Convai.Runtime.Diagnostics.SessionMetrics:OnSessionEnded (string) @ Diagnostics/SessionMetrics.cs:122",
    )
    log.lines += [
        "Any idea what is wrong? The API key works in the playground.",
        "",
        "Thanks,",
        "Priya",
        "--",
        "Sent from the Example Studio helpdesk portal. Ticket #48213",
    ]
    return encode(log.lines)
