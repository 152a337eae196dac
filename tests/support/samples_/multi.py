"""`app-errors-multi-session.txt`: a timed Console copy of three sessions, with the game's own error listener."""

from __future__ import annotations

from tests.support.samples_.common import (
    ADAPTER,
    ADAPTER_FILE,
    Clock,
    Connect,
    Lifetime,
    attempt,
    encode,
    make_connect,
    room_details_json,
    token_summary,
)
from tests.support.samples_.console import ConsoleCopy

CHARACTER = "6c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"
EMAIL = "jordan.doe@example.com"  # fake; the end user id this game uses


def metrics(method: str, line: int) -> str:
    return f"Convai.Runtime.Diagnostics.SessionMetrics:{method} @ Diagnostics/SessionMetrics.cs:{line}"


TRANSPORT = "Convai.Runtime.Transport.LiveKitTransport/<ConnectAsync>d__22:MoveNext () @ Transport/LiveKitTransport.cs:"
BOOT = "Convai.Runtime.Bootstrap.ConvaiBootstrapper:Awake () @ Bootstrap/ConvaiBootstrapper.cs:"
LISTENER = [
    "UnityEngine.Debug:LogError (object)",
    "Demo.ErrorListener:OnError (Convai.Runtime.Presentation.Events.SessionErrorRelayData) "
    "(at Assets/Scripts/ErrorListener.cs:19)",
]


class MultiLog(ConsoleCopy):
    def __init__(self) -> None:
        super().__init__()
        self.clock = Clock(16, 20, 3, 412)

    def at(self, level: str, category: str, message: str, caller: str, *, ms: int = 14) -> None:
        self.convai(level, category, message, caller, time=self.clock.tick(ms))

    def app_error(self, code: str, message: str) -> None:
        """The docs' error listener: `Debug.LogError($"[MyApp] Session error: {code} — {message}")`."""
        self.lines += [f"[MyApp] Session error: {code} — {message}", *LISTENER, ""]

    def session_error(self, code: str, message: str | None) -> None:
        """The SDK's SessionMetrics line, then the game's listener line unless `message` is None."""
        caller = metrics("OnSessionError (string,string)", 96)
        self.at("Warning", "SDK", f"[SessionMetrics] Session error: {code}", caller)
        if message is not None:
            self.app_error(code, message)

    def boot(self, *, key_missing: bool = False) -> None:
        self.at("Info", "Bootstrap", "Convai Bootstrapper: Initializing...", BOOT + "41", ms=900)
        if key_missing:
            self.at(
                "Warning",
                "Bootstrap",
                "Convai Bootstrapper: API key not configured. Please set your API key in Edit > Project Settings > "
                "Convai SDK.",
                BOOT + "59",
            )
        self.at("Info", "Bootstrap", "Convai Bootstrapper: Initialization complete.", BOOT + "78")

    def attempt(self, n: int, *, ms: int = 30) -> None:
        self.at(
            "Info",
            "SDK",
            attempt(CHARACTER, n),
            ADAPTER + ADAPTER_FILE + "112",
            ms=ms,
        )
        self.at("Debug", "Transport", "Connecting to Room...", TRANSPORT + "63")

    def credentials(self, c: Connect, *, escaped: bool = False) -> None:
        blob = room_details_json(c)
        if escaped:
            blob = blob.replace('"', '\\"')
        self.at("Debug", "Transport", f"Room details received: {blob}", TRANSPORT + "88", ms=610)
        self.at("Debug", "Transport", token_summary(c), TRANSPORT + "91", ms=1)

    def connected(self) -> None:
        self.at("Debug", "Transport", "Connected to room via transport.", TRANSPORT + "120", ms=390)
        self.at("Debug", "SDK", "[SessionMetrics] Session started", metrics("OnSessionStarted ()", 54))
        self.at(
            "Info",
            "SDK",
            f"[RoomConnectionRuntimeAdapter] Character {CHARACTER} connected successfully (mode=create).",
            ADAPTER + ADAPTER_FILE + "139",
        )
        self.at("Debug", "SDK", "[SessionMetrics] Connected - starting duration timer", metrics("OnConnected ()", 71))

    def ended(self, reason: str, snapshot: str) -> None:
        self.at(
            "Info",
            "SDK",
            f"[SessionMetrics] Session ended ({reason}): {snapshot}",
            metrics("OnSessionEnded (string)", 122),
        )


def connect(n: int, *, lifetime: Lifetime = "valid") -> Connect:
    return make_connect(
        f"app-errors-multi-session/{n}",
        character_id=CHARACTER,
        end_user_id=EMAIL,
        end_user_name="Jordan Doe",
        lifetime=lifetime,
    )


def first_session(log: MultiLog) -> None:
    """No API key yet: the Connect API answers 418, which the SDK maps to connection.bad_request."""
    log.app(
        "[MyApp] Loaded graphics preset 'High' from settings.json",
        "Demo.Settings:Load () (at Assets/Scripts/Settings.cs:30)",
    )
    log.boot(key_missing=True)
    log.at(
        "Info",
        "SDK",
        "[ConvaiRuntime] No connection.ini override found; using project settings",
        "Convai.Runtime.ConvaiRuntime:LoadOverrides () @ ConvaiRuntime.cs:148",
    )
    log.attempt(1, ms=2400)
    log.at(
        "Warning",
        "Bootstrap",
        "[ConnectAPI] Unclassified response (418). Falling back to 'connection.bad_request'. Raw response: "
        '{"error":"I\'m a teapot","hint":"request carried no X-API-Key header"}',
        "Convai.Runtime.Transport.ConnectApiClient:Classify (long,string) @ Transport/ConnectApiClient.cs:212",
        ms=330,
    )
    log.session_error("connection.bad_request", "Invalid parameters in the connect request")
    log.ended("error", "duration=0.0s; reconnects=0; errors=1")


def second_session(log: MultiLog) -> None:
    """Key set: a timeout, a stale character session, then connected; later the token expires and is renewed."""
    log.lines += ["Assets/Convai/connection.cs(14,9): warning CS0618: 'ConvaiRoomManager.Connect()' is obsolete", ""]
    log.boot()
    log.attempt(1, ms=1200)
    log.at(
        "Debug",
        "Transport",
        "Room init failure outcome: category=RoomDetailsRequestFailed; responseCode=0; shouldPublishSessionError=True; "
        "sessionErrorCode=connection.timeout; sessionErrorRecoverable=True; "
        "sessionErrorMessage=Connect did not complete within the timeout window; "
        "recovery={status=Retrying; attempt=1; nextDelayMs=1000}",
        "Convai.Runtime.Room.RoomInitFailureHandler:Report (Convai.Runtime.Room.RoomInitFailure) @ "
        "Room/RoomInitFailureHandler.cs:64",
        ms=30_000,
    )
    log.app_error("connection.timeout", "Connect did not complete within the timeout window")
    log.attempt(2, ms=1000)
    log.at(
        "Warning",
        "Transport",
        "Invalid stored character_session_id. Clearing and retrying without session.",
        "Convai.Runtime.Transport.ConnectApiClient/<RequestRoomDetailsAsync>d__9:MoveNext () @ "
        "Transport/ConnectApiClient.cs:166",
        ms=280,
    )
    stale = connect(1, lifetime="expired")
    log.credentials(stale, escaped=True)
    log.connected()
    log.at(
        "Debug",
        "SDK",
        f"[ConvaiRoomManager] Sent user text message: can you email the quest log to {EMAIL}?",
        "Convai.Runtime.Room.ConvaiRoomManager:SendTextMessage (string) @ Room/ConvaiRoomManager.cs:318",
        ms=9000,
    )
    log.app_error("protocol.parse_failed", "SDK could not parse a message from Convai")
    log.session_error("connection.something_new", None)
    log.at(
        "Error",
        "Transport",
        f"Transport connection failed: could not establish signal connection: invalid token: {stale.token}, "
        "error: token is expired (exp)",
        "Convai.Runtime.Transport.LiveKitTransport/<ResumeAsync>d__31:MoveNext () @ Transport/LiveKitTransport.cs:244",
        ms=21_600,
    )
    log.session_error("session.token_expired", "Session token has expired")
    log.at(
        "Debug", "SDK", "[SessionMetrics] Reconnection attempt #1", metrics("OnReconnectAttempt (int)", 102), ms=1000
    )
    log.credentials(connect(2))
    log.at(
        "Info",
        "SDK",
        "[SessionMetrics] Reconnection successful (attempt #1, success rate: 100%)",
        metrics("OnReconnected (int)", 110),
    )
    log.ended("user disconnect", "duration=1204.5s; reconnects=1; errors=4")


def third_session(log: MultiLog) -> None:
    """Connected again, then the account's quota runs out."""
    log.boot()
    log.attempt(1, ms=800)
    log.credentials(connect(3))
    log.connected()
    log.session_error("server.usage_limit_reached", "Daily or monthly usage quota exceeded")
    log.ended("error", "duration=12.3s; reconnects=0; errors=1")


def build_app_errors_multi_session() -> bytes:
    log = MultiLog()
    first_session(log)
    second_session(log)
    third_session(log)
    return encode(log.lines)
