"""`editor-connected.log`: the Editor.log of a healthy 4.x session, colored lines, full stacks and footers."""

from __future__ import annotations

from tests.support.samples_.common import (
    ADAPTER,
    ADAPTER_FILE,
    ATTEMPT_FRAME,
    Clock,
    attempt,
    colored,
    encode,
    fake_hex,
    fake_uuid,
    head,
    make_connect,
    room_details_json,
    token_summary,
)
from tests.support.samples_.unity import DOMAIN_RELOAD, EDITOR_STARTUP, ENGINE_MVID, ENTER_PLAY, asset_import

SDK = "C:/Users/jdoe/dev/convai-unity-sdk/Runtime"
VIA = {"Error": "LogError", "Warning": "LogWarning"}


class EditorLog:
    """Collects Editor.log lines; each Convai entry gets Unity's full stack and footer."""

    def __init__(self, clock: Clock, sdk: str = SDK, *, hex_colors: bool = True) -> None:
        self.clock = clock
        self.sdk = sdk
        self.sink = f"{sdk}/Logging/UnityConsoleSink.cs"
        self.hex_colors = hex_colors
        self.lines: list[str] = []

    def noise(self, lines: list[str]) -> None:
        self.lines.extend(lines)

    def convai(
        self,
        level: str,
        category: str,
        message: str,
        caller: str,
        *,
        ms: int = 9,
        corr: str | None = None,
        extra: list[str] | None = None,
        engine_frame: str | None = None,
    ) -> None:
        """One colored entry; `extra` lines follow the message and the last one carries `</color>`."""
        text = f"{head(level, category, time=self.clock.tick(ms), corr=corr)} {message}"
        if extra:
            self.lines.append(colored(level, text, hex_colors=self.hex_colors, close=False))
            self.lines.extend(extra[:-1])
            self.lines.append(extra[-1] + "</color>")
        else:
            self.lines.append(colored(level, text, hex_colors=self.hex_colors))
        cls_method, path_line = caller.split(" @ ")
        self.lines += [
            "UnityEngine.StackTraceUtility:ExtractStackTrace ()",
            "UnityEngine.DebugLogHandler:LogFormat (UnityEngine.LogType,UnityEngine.Object,string,object[])",
            "UnityEngine.Logger:Log (UnityEngine.LogType,object)",
            f"UnityEngine.Debug:{VIA.get(level, 'Log')} (object)",
            f"Convai.Runtime.Logging.UnityConsoleSink:Write (Convai.Runtime.Logging.LogEntry) (at {self.sink}:57)",
            f"{cls_method} (at {self.sdk}/{path_line})",
        ]
        if engine_frame:
            self.lines.append(f"{engine_frame} (at <{ENGINE_MVID}>:0)")
        self.lines += ["", f"(Filename: {self.sink} Line: 57)", ""]

    def app_log(self, message: str, frame: str) -> None:
        """An ordinary Debug.Log from the game's own scripts."""
        self.lines += [
            message,
            "UnityEngine.StackTraceUtility:ExtractStackTrace ()",
            "UnityEngine.Debug:Log (object)",
            frame,
            "",
            f"(Filename: {frame.rsplit('(at ', 1)[1].rsplit(':', 1)[0]} Line: {frame.rsplit(':', 1)[1][:-1]})",
            "",
        ]


def build_editor_connected() -> bytes:
    character = fake_uuid("editor-connected/character")
    c = make_connect("editor-connected/1", character_id=character, end_user_name="Jordan Doe")
    log = EditorLog(Clock(9, 14, 2, 118))
    log.noise(EDITOR_STARTUP)
    log.noise(asset_import("Assets/Scenes/LibraryDemo.unity", fake_hex("guid/scene"), "0.0183"))
    log.noise(asset_import("Assets/Art/Props/Fountain.fbx", fake_hex("guid/fountain"), "0.2410"))
    log.noise(DOMAIN_RELOAD)
    log.noise(ENTER_PLAY)
    boot = "Convai.Runtime.Bootstrap.ConvaiBootstrapper:Awake () @ Bootstrap/ConvaiBootstrapper.cs:41"
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initializing...", boot, ms=0)
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initialization complete.", boot.replace(":41", ":78"))
    log.app_log(
        "GameManager: scene LibraryDemo ready (3 NPCs)",
        "Demo.GameManager:Start () (at Assets/Scripts/GameManager.cs:27)",
    )
    log.convai(
        "Info",
        "SDK",
        attempt(character),
        ATTEMPT_FRAME,
        ms=412,
        engine_frame="UnityEngine.SetupCoroutine:InvokeMoveNext (System.Collections.IEnumerator,intptr)",
    )
    transport = "Convai.Runtime.Transport.LiveKitTransport/<ConnectAsync>d__22:MoveNext () @ "
    log.convai("Debug", "Transport", "Connecting to Room...", transport + "Transport/LiveKitTransport.cs:63")
    log.convai(
        "Debug",
        "Transport",
        f"Room details received: {room_details_json(c)}",
        transport + "Transport/LiveKitTransport.cs:88",
        ms=643,
    )
    log.convai("Debug", "Transport", token_summary(c), transport + "Transport/LiveKitTransport.cs:91", ms=1)
    log.convai(
        "Debug", "Transport", "Connected to room via transport.", transport + "Transport/LiveKitTransport.cs:120"
    )
    metrics = "Convai.Runtime.Diagnostics.SessionMetrics:"
    log.convai(
        "Debug",
        "SDK",
        "[SessionMetrics] Session started",
        metrics + "OnSessionStarted () @ Diagnostics/SessionMetrics.cs:54",
    )
    log.convai(
        "Info",
        "SDK",
        f"[RoomConnectionRuntimeAdapter] Character {character} connected successfully (mode=create).",
        ADAPTER + ADAPTER_FILE + "139",
    )
    log.convai(
        "Debug",
        "SDK",
        "[SessionMetrics] Connected - starting duration timer",
        metrics + "OnConnected () @ Diagnostics/SessionMetrics.cs:71",
    )
    log.convai(
        "Info",
        "Character",
        "Character ready {character=Librarian Ava, voice=en-US-aria, latency_ms=412}",
        "Convai.Runtime.Characters.ConvaiCharacter:OnRoomReady () @ Characters/ConvaiCharacter.cs:203",
        corr=fake_hex("editor-connected/corr"),
    )
    log.convai(
        "Warning",
        "Audio",
        "Microphone caps query failed; falling back to 16000 Hz",
        "Convai.Runtime.Audio.MicrophoneInput:ResolveSampleRate () @ Audio/MicrophoneInput.cs:91",
        ms=120,
        extra=[
            "System.ArgumentException: Invalid device name 'Headset (Jordan's AirPods)'",
            "  at UnityEngine.Microphone.GetDeviceCaps (System.String deviceName, System.Int32& minFreq, "
            f"System.Int32& maxFreq) [0x00011] in <{ENGINE_MVID}>:0",
            "  at Convai.Runtime.Audio.MicrophoneInput.ResolveSampleRate () [0x0002c] in "
            f"{SDK}/Audio/MicrophoneInput.cs:88",
        ],
    )
    log.app_log(
        "QuestTracker: objective 'find_library' started",
        "Demo.Quests.QuestTracker:Begin (string) (at Assets/Scripts/Quests/QuestTracker.cs:58)",
    )
    log.convai(
        "Debug",
        "SDK",
        "[ConvaiRoomManager] Sent user text message: Hi Ava, where can I find books about old ships?",
        "Convai.Runtime.Room.ConvaiRoomManager:SendTextMessage (string) @ Room/ConvaiRoomManager.cs:318",
        ms=5210,
    )
    log.convai(
        "Info",
        "Transcript",
        "Librarian Ava: Maritime history is on the second floor, past the globe.",
        "Convai.Runtime.Transcript.TranscriptRouter:Publish (Convai.Runtime.Transcript.TranscriptMessage) @ "
        "Transcript/TranscriptRouter.cs:66",
        ms=1380,
    )
    log.noise(["[Licensing::Client] Successfully updated license", "UnloadTime: 0.743100 ms"])
    log.convai(
        "Info",
        "SDK",
        "[SessionMetrics] Session ended (user disconnect): duration=94.2s; reconnects=0; errors=0",
        metrics + "OnSessionEnded (string) @ Diagnostics/SessionMetrics.cs:122",
        ms=88_430,
    )
    log.noise(
        [
            "Unloading 12 unused Assets to reduce memory usage. Loaded Objects now: 4821.",
            "Total: 4.218600 ms (FindLiveObjects: 0.312400 ms CreateObjectMapping: 0.118200 ms MarkObjects: "
            "3.611900 ms  DeleteObjects: 0.175200 ms)",
        ]
    )
    return encode(log.lines)
