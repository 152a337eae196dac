"""Android logcat (`adb logcat -v threadtime`): `logcat-timeout.txt` and the logcat body of the UTF-16 sample."""

from __future__ import annotations

from tests.support.samples_.common import Clock, encode, fake_uuid, head, make_connect, room_details_json, token_summary
from tests.support.samples_.common import attempt as attempt_line

PACKAGE = "com.example.librarydemo"
LEVELS = {"Error": "E", "Warning": "W"}  # Debug.Log (Info, Debug, Trace) is written at I


class Logcat:
    """Collects logcat lines; Unity lines are `MM-DD HH:MM:SS.mmm  PID  TID L Unity   : message`."""

    def __init__(self, date: str, clock: Clock, pid: int) -> None:
        self.date = date
        self.clock = clock
        self.pid = pid
        self.lines: list[str] = []

    def raw(
        self, level: str, tag: str, message: str, *, pid: int | None = None, tid: int | None = None, ms: int = 3
    ) -> None:
        p = pid if pid is not None else self.pid
        t = tid if tid is not None else p + 44
        self.lines.append(f"{self.date} {self.clock.tick(ms)} {p:5d} {t:5d} {level} {tag:<8}: {message}")

    def unity(self, level: str, message: str, *, ms: int = 3) -> None:
        self.raw(level, "Unity", message, ms=ms)

    def convai(self, level: str, category: str, message: str, *, ms: int = 9, stack: list[str] | None = None) -> None:
        """A Convai line at the matching logcat level; errors carry the IL2CPP stack Unity appends."""
        letter = LEVELS.get(level, "I")
        self.unity(letter, f"{head(level, category)} {message}", ms=ms)
        if stack:
            via = {"E": "LogError", "W": "LogWarning"}.get(letter, "Log")
            frames = [
                "UnityEngine.DebugLogHandler:Internal_Log(LogType, LogOption, String, Object)",
                "UnityEngine.DebugLogHandler:LogFormat(LogType, Object, String, Object[])",
                "UnityEngine.Logger:Log(LogType, Object)",
                f"UnityEngine.Debug:{via}(Object)",
                "Convai.Runtime.Logging.UnityConsoleSink:Write(LogEntry)",
                *stack,
                "",
            ]
            for frame in frames:
                self.unity(letter, frame, ms=0)


def app_start(log: Logcat) -> None:
    """The system and Unity lines of an app launch."""
    log.raw(
        "I",
        "ActivityManager",
        f"Start proc {log.pid}:{PACKAGE}/u0a231 for top-activity {{{PACKAGE}/com.unity3d.player.UnityPlayerActivity}}",
        pid=1432,
        tid=1460,
    )
    log.unity("I", "SystemInfo CPU = ARM64 FP ASIMD AES, Cores = 8, Memory = 7643mb", ms=640)
    log.unity("I", "SystemInfo ARM big.LITTLE configuration: 2 big (mask: 0xc0), 6 little (mask: 0x3f)")
    log.unity("D", "SetWindow 0 0xb400007a3c0e1e10")
    log.unity("D", "Sensor :        Accelerometer ( 1) ; 0.002394 ; 0.002000 ; Vendor : STMicroelectronics")
    log.unity("I", "onResume")
    log.raw("W", "AudioRecord", "AUDIO_INPUT_FLAG_FAST denied by server; frameCount 0 -> 1924", ms=40)
    log.unity("I", "[BuildInfo] LibraryDemo 1.4.2 (development)")


def build_logcat_timeout() -> bytes:
    character = fake_uuid("logcat-timeout/character")
    log = Logcat("09-18", Clock(14, 3, 20, 4), 8123)
    app_start(log)
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initializing...", ms=210)
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initialization complete.")
    log.raw("D", "ConnectivityManager", "requestNetwork; CallingUid : 10231, CallingPid : 8123", pid=1432, tid=2011)
    adapter = "Convai.Runtime.Room.RoomConnectionRuntimeAdapter/<ConnectAsync>d__14:MoveNext()"
    for attempt, delay in ((1, 0), (2, 1000), (3, 2000), (4, 4000)):
        log.convai(
            "Info",
            "SDK",
            attempt_line(character, attempt),
            ms=delay + 12,
        )
        log.convai("Debug", "Transport", "Connecting to Room...")
        log.raw("I", "chatty", f"uid=10231({PACKAGE}) UnityMain identical 2 lines", ms=9000)
        log.convai(
            "Warning",
            "REST",
            "[ConnectAPI] POST https://live.convai.com/connect did not answer within 30000 ms; request cancelled",
            ms=21_000,
        )
        last = attempt == 4
        recovery = "status=Exhausted; attempts=4" if last else f"status=Retrying; attempt={attempt}; nextDelayMs="
        if not last:
            recovery += str(1000 * 2 ** (attempt - 1))
        log.convai(
            "Debug",
            "Transport",
            "Room init failure outcome: category=RoomDetailsRequestFailed; responseCode=0; "
            f"shouldPublishSessionError={last}; sessionErrorCode=connection.timeout; sessionErrorRecoverable=True; "
            f"sessionErrorMessage=Connect did not complete within the timeout window; recovery={{{recovery}}}",
        )
        log.raw("W", "System.err", "java.net.SocketTimeoutException: timeout", ms=1)
    log.convai("Warning", "SDK", "[SessionMetrics] Session error: connection.timeout")
    log.convai(
        "Error",
        "SDK",
        f"[RoomConnectionRuntimeAdapter] Failed to connect character {character} after retry exhaustion.",
        stack=[adapter, "System.Runtime.CompilerServices.AsyncMethodBuilderCore+MoveNextRunner:Run()"],
    )
    log.convai(
        "Error",
        "SDK",
        "[ConvaiRoomManager] Connect failed; state -> Error",
        stack=[
            "Convai.Runtime.Room.ConvaiRoomManager:SetState(SessionState)",
            "Convai.Runtime.Room.ConvaiRoomManager:OnConnectFailed(String, String)",
        ],
    )
    log.unity("I", "UI: showing 'Check your connection' toast", ms=30)
    log.raw(
        "I", "ActivityManager", f"Process {PACKAGE} (pid {log.pid}) has died: fg  TOP ", pid=1432, tid=1460, ms=64_000
    )
    return encode(log.lines)


def _concurrency_failure(log: Logcat, attempt: int) -> None:
    log.convai(
        "Error",
        "Transport",
        "Room-details request failed with HTTP 429: Too Many Requests Service response: "
        '{"detail":"Concurrent session limit reached for your plan (2 of 2 in use)"}',
        ms=380,
    )
    log.convai(
        "Debug",
        "Transport",
        "Room init failure outcome: category=RoomDetailsRequestFailed; responseCode=429; "
        "shouldPublishSessionError=False; sessionErrorCode=connection.connect_concurrency_limit_reached; "
        "sessionErrorRecoverable=True; sessionErrorMessage=Concurrent session limit reached; "
        f"recovery={{status=Retrying; attempt={attempt}; nextDelayMs={1000 * 2 ** (attempt - 1)}}}",
    )


def build_powershell_utf16() -> bytes:
    """`adb logcat > log.txt` in PowerShell 5: UTF-16LE with a BOM and CRLF; a 429 retried, then connected."""
    character = fake_uuid("powershell-utf16/character")
    c = make_connect("powershell-utf16/1", character_id=character, end_user_name="Sam")
    log = Logcat("10-02", Clock(11, 27, 51, 640), 21877)
    log.lines.append("--------- beginning of main")
    app_start(log)
    log.lines.append("--------- beginning of system")
    log.raw("I", "WindowManager", f"Changing focus from null to Window{{8c2d1f0 u0 {PACKAGE}}}", pid=1432, tid=1511)
    log.unity("D", "PlayerConnection::CleanupMemory Statistics:")
    log.unity("D", "[ALLOC_TEMP_TLS] TLS Allocator")
    log.unity("I", "Input system: touchscreen device added (id=1)")
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initializing...", ms=180)
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initialization complete.")
    for attempt, delay in ((1, 0), (2, 1000), (3, 2000)):
        log.convai(
            "Info",
            "SDK",
            attempt_line(character, attempt),
            ms=delay + 15,
        )
        log.convai("Debug", "Transport", "Connecting to Room...")
        if attempt < 3:
            _concurrency_failure(log, attempt)
            log.raw("D", "NetworkMonitor", "NetworkAgentInfo [WIFI () - 101] validation passed", pid=1432, tid=2210)
    log.convai("Debug", "Transport", f"Room details received: {room_details_json(c)}", ms=455)
    log.convai("Debug", "Transport", token_summary(c), ms=1)
    log.raw("I", "AudioRecord", "start(): session id 2945", ms=40)
    log.raw("D", "AudioFlinger", "mixer(0xb400007b4a2c1a40) throttle end: throttle time(11)", pid=998, tid=3301)
    log.raw("W", "libc", 'Access denied finding property "vendor.audio.offload.buffer.size.kb"', ms=2)
    log.convai("Debug", "Transport", "Connected to room via transport.", ms=410)
    log.convai("Debug", "SDK", "[SessionMetrics] Session started")
    log.convai(
        "Info", "SDK", f"[RoomConnectionRuntimeAdapter] Character {character} connected successfully (mode=create)."
    )
    log.convai("Debug", "SDK", "[SessionMetrics] Connected - starting duration timer")
    log.unity("I", "HUD: character portrait shown", ms=20)
    log.convai("Debug", "SDK", "[ConvaiRoomManager] Sent user text message: what time does the museum close?", ms=6400)
    log.convai("Info", "Transcript", "Curator Leo: At six, but the east wing closes at five.", ms=1900)
    log.unity("I", "onPause", ms=30_000)
    log.convai("Info", "SDK", "[SessionMetrics] Session ended (app paused): duration=41.9s; reconnects=0; errors=0")
    log.raw("I", "ActivityManager", f"Displayed {PACKAGE}/.MainActivity: +812ms", pid=1432, tid=1460)
    return encode(log.lines, crlf=True, utf16=True)
