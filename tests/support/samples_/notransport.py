"""`no-transport-debug.log`: a macOS Editor.log of a session that connects, with the Transport category muted."""

from __future__ import annotations

from tests.support.samples_.common import ADAPTER, ATTEMPT_FRAME, Clock, attempt, encode, fake_hex, fake_uuid
from tests.support.samples_.editor import EditorLog
from tests.support.samples_.unity import DOMAIN_RELOAD, ENTER_PLAY, asset_import

SDK = "/Users/akim/Projects/Museum/Packages/com.convai.sdk/Runtime"


def metrics(method: str, line: int) -> str:
    return f"Convai.Runtime.Diagnostics.SessionMetrics:{method} @ Diagnostics/SessionMetrics.cs:{line}"


def build_no_transport_debug() -> bytes:
    character = fake_uuid("no-transport-debug/character")
    log = EditorLog(Clock(10, 2, 51, 77), SDK, hex_colors=False)
    log.noise(
        [
            "[Licensing::Client] Successfully resolved entitlement details",
            "Built from '6000.0/staging' branch; Version is '6000.0.23f1 (1c4764c07fb4) revision 1853284'",
            "OS: 'macOS 14.6.1 (23G93)' Language: 'en' Physical Memory: 16384 MB",
            "Successfully changed project path to: /Users/akim/Projects/Museum",
        ]
    )
    log.noise(asset_import("Assets/Exhibits/Dinosaur.prefab", fake_hex("guid/dino"), "0.0310"))
    log.noise(DOMAIN_RELOAD)
    log.noise(ENTER_PLAY)
    boot = "Convai.Runtime.Bootstrap.ConvaiBootstrapper:Awake () @ Bootstrap/ConvaiBootstrapper.cs:"
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initializing...", boot + "41", ms=0)
    log.convai(
        "Info",
        "SDK",
        "[ConvaiRuntime] Log levels: SDK=Debug, Transport=Warning, Character=Info, Audio=Warning",
        "Convai.Runtime.ConvaiRuntime:ApplyLogSettings () @ ConvaiRuntime.cs:97",
    )
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initialization complete.", boot + "78")
    log.app_log(
        "Museum: 12 exhibits registered", "Museum.ExhibitRegistry:Awake () (at Assets/Scripts/ExhibitRegistry.cs:18)"
    )
    log.convai(
        "Info",
        "SDK",
        attempt(character),
        ATTEMPT_FRAME,
        ms=350,
    )
    log.convai("Debug", "SDK", "[SessionMetrics] Session started", metrics("OnSessionStarted ()", 54), ms=1210)
    log.convai(
        "Info",
        "SDK",
        f"[RoomConnectionRuntimeAdapter] Character {character} connected successfully (mode=create).",
        ADAPTER + "Room/RoomConnectionRuntimeAdapter.cs:139",
    )
    log.convai("Debug", "SDK", "[SessionMetrics] Connected - starting duration timer", metrics("OnConnected ()", 71))
    log.convai(
        "Info",
        "Character",
        "Docent Rae: Welcome to the hall of fossils!",
        "Convai.Runtime.Characters.ConvaiCharacter:OnUtterance (string) @ Characters/ConvaiCharacter.cs:240",
        ms=2300,
    )
    log.app_log(
        "Museum: visitor entered 'Jurassic' wing",
        "Museum.WingTrigger:OnTriggerEnter (UnityEngine.Collider) (at Assets/Scripts/WingTrigger.cs:25)",
    )
    log.convai(
        "Debug",
        "SDK",
        "[ConvaiRoomManager] Sent user text message: how old is this skeleton?",
        "Convai.Runtime.Room.ConvaiRoomManager:SendTextMessage (string) @ Room/ConvaiRoomManager.cs:318",
        ms=7400,
    )
    log.convai(
        "Info",
        "SDK",
        "[SessionMetrics] Session ended (user disconnect): duration=63.1s; reconnects=0; errors=0",
        metrics("OnSessionEnded (string)", 122),
        ms=52_000,
    )
    log.noise(["Unloading 7 unused Assets to reduce memory usage. Loaded Objects now: 5120."])
    return encode(log.lines)
