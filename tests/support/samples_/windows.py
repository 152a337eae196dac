"""`windows-crlf-bom.log`: a development Player.log re-saved on Windows: CRLF, UTF-8 BOM, mojibake, bad bytes."""

from __future__ import annotations

from tests.support.samples_.common import ATTEMPT_FRAME, Clock, attempt, colored, encode, fake_uuid, head

PROJECT = "C:/Users/renee.dubois/Projects/LibraryDemo"
SINK = f"{PROJECT}/Assets/Convai/Runtime/Logging/UnityConsoleSink.cs"
RAW_MARK = "@@RAW@@"  # replaced by invalid UTF-8 bytes after encoding
INVALID_BYTES = b"\xff\xfe\x80"


def mojibake(text: str) -> str:
    """UTF-8 text read back as cp1252: what a paste through the wrong code page produces."""
    return text.encode("utf-8").decode("cp1252")


class DevPlayerLog:
    """Development Player.log entries: message, stack from ExtractStackTrace, blank, footer, blank."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.lines: list[str] = []

    def convai(self, level: str, category: str, message: str, caller: str, *, ms: int = 13) -> None:
        via = {"Error": "LogError", "Warning": "LogWarning"}.get(level, "Log")
        method, path = caller.split(" @ ")
        self.lines += [
            colored(level, f"{head(level, category, time=self.clock.tick(ms))} {message}"),
            "UnityEngine.StackTraceUtility:ExtractStackTrace ()",
            f"UnityEngine.Debug:{via} (object)",
            f"Convai.Runtime.Logging.UnityConsoleSink:Write (Convai.Runtime.Logging.LogEntry) (at {SINK}:57)",
            f"{method} (at {PROJECT}/Assets/Convai/Runtime/{path})",
            "",
            f"(Filename: {SINK} Line: 57)",
            "",
        ]


def build_windows_crlf_bom() -> bytes:
    character = fake_uuid("windows-crlf-bom/character-typo")
    log = DevPlayerLog(Clock(21, 5, 44, 870))
    log.lines += [
        "Mono path[0] = 'C:/Program Files/LibraryDemo/LibraryDemo_Data/Managed'",
        "Mono config path = 'C:/Program Files/LibraryDemo/MonoBleedingEdge/etc'",
        "Initialize engine version: 2022.3.45f1 (a13dfa44d684)",
        "[Physics::Module] Initialized MultithreadedJobDispatcher with 15 workers.",
        "Loading settings from C:\\Users\\renee.dubois\\AppData\\LocalLow\\Example Studio\\LibraryDemo\\prefs.dat",
        f"Audio: output device 'Speakers (Realtek(R) Audio)', input device 'Headset {RAW_MARK} USB Audio'",
        "Input System module state changed to: Initialized.",
        "UnloadTime: 0.688400 ms",
    ]
    boot = "Convai.Runtime.Bootstrap.ConvaiBootstrapper:Awake () @ Bootstrap/ConvaiBootstrapper.cs:"
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initializing...", boot + "41")
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initialization complete.", boot + "78")
    log.lines += [
        mojibake("Localization: loaded locale fr-FR (« Bibliothèque municipale », 412 entrées)"),
        "",
    ]
    log.convai(
        "Info",
        "SDK",
        attempt(character),
        ATTEMPT_FRAME,
        ms=320,
    )
    client = "Convai.Runtime.Transport.ConnectApiClient/<RequestRoomDetailsAsync>d__9:MoveNext () @ "
    log.convai("Debug", "Transport", "Connecting to Room...", client + "Transport/ConnectApiClient.cs:77")
    log.convai(
        "Error",
        "Transport",
        "Room-details request failed with HTTP 404: Not Found Service response: "
        '{"detail":"Character not found or doesn\'t belong to user"}',
        client + "Transport/ConnectApiClient.cs:141",
        ms=402,
    )
    log.convai(
        "Debug",
        "Transport",
        "Room init failure outcome: category=RoomDetailsRequestFailed; responseCode=404; "
        "shouldPublishSessionError=True; sessionErrorCode=connection.connect_character_not_found; "
        "sessionErrorRecoverable=False; sessionErrorMessage=Character not found or doesn't belong to user; "
        "recovery={status=Failed; attempts=1; nextDelayMs=0}",
        "Convai.Runtime.Room.RoomInitFailureHandler:Report (Convai.Runtime.Room.RoomInitFailure) @ "
        "Room/RoomInitFailureHandler.cs:64",
    )
    log.convai(
        "Warning",
        "SDK",
        "[SessionMetrics] Session error: connection.connect_character_not_found",
        "Convai.Runtime.Diagnostics.SessionMetrics:OnSessionError (string,string) @ Diagnostics/SessionMetrics.cs:96",
    )
    log.convai(
        "Debug",
        "SDK",
        mojibake("[ConvaiRoomManager] Sent user text message: bonjour, où est le café ?"),
        "Convai.Runtime.Room.ConvaiRoomManager:SendTextMessage (string) @ Room/ConvaiRoomManager.cs:318",
        ms=2900,
    )
    log.convai(
        "Warning",
        "SDK",
        "[ConvaiRoomManager] Cannot send text: session state is Error",
        "Convai.Runtime.Room.ConvaiRoomManager:SendTextMessage (string) @ Room/ConvaiRoomManager.cs:305",
        ms=1,
    )
    log.convai(
        "Info",
        "SDK",
        "[SessionMetrics] Session ended (error): duration=0.0s; reconnects=0; errors=1",
        "Convai.Runtime.Diagnostics.SessionMetrics:OnSessionEnded (string) @ Diagnostics/SessionMetrics.cs:122",
        ms=5200,
    )
    log.lines += ["Setting up 8 worker threads for Enlighten.", "Memory Statistics:", "[ALLOC_TEMP_TLS] TLS Allocator"]
    data = encode(log.lines, crlf=True, bom=True)
    return data.replace(RAW_MARK.encode("ascii"), INVALID_BYTES)
