"""`rich-text-and-escapes.txt`: a Console copy with rich text, markup-like text, ANSI escapes, a file-sink excerpt,
a multi-character room, and a 429 speaker limit in a second session."""

from __future__ import annotations

from tests.support.samples_.common import (
    ADAPTER,
    ADAPTER_FILE,
    ATTEMPT_FRAME,
    Connect,
    attempt,
    encode,
    fake_uuid,
    make_connect,
    room_details_json,
    token_summary,
)
from tests.support.samples_.console import ConsoleCopy

ESC = "\x1b"
CREW = ("captain", "navigator")
TRANSPORT = "Convai.Runtime.Transport.LiveKitTransport/<ConnectAsync>d__22:MoveNext () @ Transport/LiveKitTransport.cs:"
BOOT = "Convai.Runtime.Bootstrap.ConvaiBootstrapper:Awake () @ Bootstrap/ConvaiBootstrapper.cs:"


def metrics(method: str, line: int) -> str:
    return f"Convai.Runtime.Diagnostics.SessionMetrics:{method} @ Diagnostics/SessionMetrics.cs:{line}"


def crew_list(c: Connect) -> list[dict[str, str]]:
    """The `characters` list of a multi-character room: one entry per character, each with its own session."""
    return [
        {
            "character_id": fake_uuid(f"rich/{name}"),
            "session_id": fake_uuid(f"{c.seed}/{name}/session"),
            "character_session_id": fake_uuid(f"{c.seed}/{name}/character-session"),
        }
        for name in CREW
    ]


def boot(log: ConsoleCopy) -> None:
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initializing...", BOOT + "41")
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initialization complete.", BOOT + "78")


def multi_character_session(log: ConsoleCopy) -> None:
    captain = fake_uuid("rich/captain")
    c = make_connect("rich-text/1", character_id=captain, end_user_name="Mateo", speaker=True)
    boot(log)
    log.app(
        "Quest <color=#FFD700><b>The Golden Compass</b></color> accepted",
        "Pirates.Quests:Accept (string) (at Assets/Scripts/Quests.cs:40)",
    )
    log.convai(
        "Info",
        "SDK",
        attempt(captain),
        ATTEMPT_FRAME,
    )
    log.convai("Debug", "Transport", "Connecting to Room...", TRANSPORT + "63")
    log.convai(
        "Debug",
        "Transport",
        f"Room details received: {room_details_json(c, characters=crew_list(c))}",
        TRANSPORT + "88",
    )
    log.convai("Debug", "Transport", token_summary(c), TRANSPORT + "91")
    log.convai("Debug", "Transport", "Connected to room via transport.", TRANSPORT + "120")
    log.convai("Debug", "SDK", "[SessionMetrics] Session started", metrics("OnSessionStarted ()", 54))
    log.convai(
        "Info",
        "SDK",
        f"[RoomConnectionRuntimeAdapter] Character {captain} connected successfully (mode=create).",
        ADAPTER + ADAPTER_FILE + "139",
    )
    log.convai("Debug", "SDK", "[SessionMetrics] Connected - starting duration timer", metrics("OnConnected ()", 71))
    speech = "Convai.Runtime.Transcript.TranscriptRouter:Publish (Convai.Runtime.Transcript.TranscriptMessage) @ "
    speech += "Transcript/TranscriptRouter.cs:66"
    log.convai(
        "Info", "Transcript", "<b>Captain Vale</b>: <i>Welcome aboard, sailor!</i> <size=12>(gruffly)</size>", speech
    )
    log.convai("Info", "Transcript", "Navigator Ona: The [bold]north star[/bold] guides us; [dim]mostly[/dim].", speech)
    log.convai(
        "Warning",
        "Audio",
        f"{ESC}[31mMicrophone gain clipped{ESC}[0m (peak -0.1 dBFS); lowering input gain",
        "Convai.Runtime.Audio.MicrophoneInput:Update () @ Audio/MicrophoneInput.cs:140",
    )
    log.app(
        f"{ESC}[1;33m[ShipAudio]{ESC}[0m bell rings twice",
        "Pirates.ShipAudio:Ring (int) (at Assets/Scripts/ShipAudio.cs:12)",
    )
    log.convai(
        "Debug",
        "SDK",
        "[ConvaiRoomManager] Sent user text message: <b>where</b> is the [i]treasure[/i]?",
        "Convai.Runtime.Room.ConvaiRoomManager:SendTextMessage (string) @ Room/ConvaiRoomManager.cs:318",
    )
    log.convai(
        "Info",
        "SDK",
        "[SessionMetrics] Session ended (scene change): duration=301.7s; reconnects=0; errors=0",
        metrics("OnSessionEnded (string)", 122),
    )
    log.lines += [
        "--- excerpt from Logs/convai-session.log (custom file sink) ---",
        "[Info][Transport] Connected to room via transport.",
        "[Info][Character] Captain Vale joined the room",
        "[Warning][Audio] Microphone gain clipped (peak -0.1 dBFS); lowering input gain",
        "--- end of excerpt ---",
        "",
    ]


def speaker_limit_session(log: ConsoleCopy) -> None:
    """After the scene change the third character cannot join: the account's speaker limit (429, not retried)."""
    cook = fake_uuid("rich/cook")
    boot(log)
    log.convai(
        "Info",
        "SDK",
        attempt(cook),
        ATTEMPT_FRAME,
    )
    log.convai("Debug", "Transport", "Connecting to Room...", TRANSPORT + "63")
    client = "Convai.Runtime.Transport.ConnectApiClient/<RequestRoomDetailsAsync>d__9:MoveNext () @ "
    log.convai(
        "Error",
        "Transport",
        "Room-details request failed with HTTP 429: Too Many Requests Service response: "
        '{"detail":"Speaker limit reached: 2 of 2 active speakers in use"}',
        client + "Transport/ConnectApiClient.cs:141",
    )
    log.convai(
        "Debug",
        "Transport",
        "Room init failure outcome: category=RoomDetailsRequestFailed; responseCode=429; "
        "shouldPublishSessionError=True; sessionErrorCode=connection.connect_speaker_limit_reached; "
        "sessionErrorRecoverable=False; sessionErrorMessage=Speaker limit reached; "
        "recovery={status=Failed; attempts=1; nextDelayMs=0}",
        "Convai.Runtime.Room.RoomInitFailureHandler:Report (Convai.Runtime.Room.RoomInitFailure) @ "
        "Room/RoomInitFailureHandler.cs:64",
    )
    log.convai(
        "Warning",
        "SDK",
        "[SessionMetrics] Session error: connection.connect_speaker_limit_reached",
        metrics("OnSessionError (string,string)", 96),
    )
    log.app(
        "<i>Cook Bram</i> is <size=10>unavailable</size> right now",
        "Pirates.Crew:OnJoinFailed (string) (at Assets/Scripts/Crew.cs:88)",
        via="LogWarning",
    )
    log.convai(
        "Info",
        "SDK",
        "[SessionMetrics] Session ended (error): duration=0.0s; reconnects=0; errors=1",
        metrics("OnSessionEnded (string)", 122),
    )


def build_rich_text_and_escapes() -> bytes:
    log = ConsoleCopy()
    multi_character_session(log)
    speaker_limit_session(log)
    return encode(log.lines)
