"""Unity Console copies: each entry is the message, its frames, then a blank line; no times, no footers."""

from __future__ import annotations

from tests.support.samples_.common import ATTEMPT_FRAME, attempt, colored, encode, fake_hex, fake_uuid, head

RUNTIME = "Assets/Convai/Runtime"
SINK_FRAME = (
    "Convai.Runtime.Logging.UnityConsoleSink:Write (Convai.Runtime.Logging.LogEntry) "
    f"(at {RUNTIME}/Logging/UnityConsoleSink.cs:57)"
)
ASYNC_FRAMES = [
    "System.Runtime.CompilerServices.AsyncMethodBuilderCore/MoveNextRunner:Run ()",
    "UnityEngine.UnitySynchronizationContext:ExecuteTasks ()",
]
VIA = {"Error": "LogError", "Warning": "LogWarning"}


class ConsoleCopy:
    """Collects a Console copy; `caller` is `Ns.Class:Method (args) @ Relative/Path.cs:N` under the runtime."""

    def __init__(self, *, color: bool = False) -> None:
        self.color = color
        self.lines: list[str] = []

    def convai(
        self, level: str, category: str, message: str, caller: str, *, is_async: bool = False, time: str | None = None
    ) -> None:
        text = f"{head(level, category, time=time)} {message}"
        if self.color:
            text = colored(level, text)
        method, path = caller.split(" @ ")
        frames = [f"UnityEngine.Debug:{VIA.get(level, 'Log')} (object)", SINK_FRAME, f"{method} (at {RUNTIME}/{path})"]
        self.lines += [text, *frames, *(ASYNC_FRAMES if is_async else []), ""]

    def app(self, message: str, frame: str, *, via: str = "Log") -> None:
        """A message from the game's own scripts (or from another package)."""
        self.lines += [message, f"UnityEngine.Debug:{via} (object)", frame, ""]


def build_console_invalid_api_key() -> bytes:
    character = fake_uuid("console-invalid-api-key/character")
    api_key = fake_hex("console-invalid-api-key/api-key")  # fake: 32 lowercase hex, like a Convai key
    log = ConsoleCopy()
    log.app(
        "Localization: loaded 14 string tables for en-US",
        "Demo.Localization.TableLoader:Awake () (at Assets/Scripts/Localization/TableLoader.cs:33)",
    )
    boot = "Convai.Runtime.Bootstrap.ConvaiBootstrapper:Awake () @ Bootstrap/ConvaiBootstrapper.cs:"
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initializing...", boot + "41")
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initialization complete.", boot + "78")
    log.app(
        "The referenced script (Unknown) on this Behaviour is missing!",
        "UnityEditor.EditorApplication:Internal_CallGlobalEventHandler ()",
        via="LogWarning",
    )
    log.convai(
        "Info",
        "SDK",
        attempt(character),
        ATTEMPT_FRAME,
        is_async=True,
    )
    client = "Convai.Runtime.Transport.ConnectApiClient/<RequestRoomDetailsAsync>d__9:MoveNext () @ "
    log.convai(
        "Debug", "Transport", "Connecting to Room...", client + "Transport/ConnectApiClient.cs:77", is_async=True
    )
    body = (
        f'{{"character_id":"{character}","connection_type":"audio","llm_provider":"dynamic",'
        '"blocking_mode":"none","invocation_mode":"create"}'
    )
    log.convai(
        "Debug",
        "REST",
        f"[ConnectAPI] Request: POST https://live.convai.com/connect | Content-Type: application/json | "
        f"X-API-Key: {api_key} | Body: {body}",
        client + "Transport/ConnectApiClient.cs:96",
        is_async=True,
    )
    log.convai(
        "Error",
        "Transport",
        'Room-details request failed with HTTP 401: Unauthorized Service response: {"detail":"Invalid API key"}',
        client + "Transport/ConnectApiClient.cs:141",
        is_async=True,
    )
    log.convai(
        "Debug",
        "Transport",
        "Room init failure outcome: category=RoomDetailsRequestFailed; responseCode=401; "
        "shouldPublishSessionError=True; sessionErrorCode=connection.connect_invalid_api_key; "
        "sessionErrorRecoverable=False; sessionErrorMessage=Invalid API key; "
        "recovery={status=Failed; attempts=1; nextDelayMs=0}",
        "Convai.Runtime.Room.RoomInitFailureHandler:Report (Convai.Runtime.Room.RoomInitFailure) @ "
        "Room/RoomInitFailureHandler.cs:64",
    )
    log.convai(
        "Warning",
        "SDK",
        "[SessionMetrics] Session error: connection.connect_invalid_api_key",
        "Convai.Runtime.Diagnostics.SessionMetrics:OnSessionError (string,string) @ Diagnostics/SessionMetrics.cs:96",
    )
    log.convai(
        "Warning",
        "SDK",
        "[ConvaiRoomManager] State changed: Connecting -> Error",
        "Convai.Runtime.Room.ConvaiRoomManager:SetState (Convai.Runtime.Room.SessionState) @ "
        "Room/ConvaiRoomManager.cs:402",
    )
    log.convai(
        "Info",
        "SDK",
        "[SessionMetrics] Session ended (error): duration=0.0s; reconnects=0; errors=1",
        "Convai.Runtime.Diagnostics.SessionMetrics:OnSessionEnded (string) @ Diagnostics/SessionMetrics.cs:122",
    )
    log.app(
        "UI: showing error banner 'Could not reach the librarian. Check your settings.'",
        "Demo.UI.ErrorBanner:Show (string) (at Assets/Scripts/UI/ErrorBanner.cs:21)",
    )
    log.app(
        "Player input enabled",
        "Demo.PlayerController:OnEnable () (at Assets/Scripts/PlayerController.cs:44)",
    )
    return encode(log.lines)
