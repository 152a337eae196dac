"""`webgl-console.txt`: a Chrome console export of a WebGL build served over plain http, mic permission denied."""

from __future__ import annotations

from tests.support.samples_.common import (
    ROOM_URL,
    attempt,
    colored,
    encode,
    fake_uuid,
    head,
    make_connect,
    room_details_json,
    token_summary,
)

FRAMEWORK = "Build.framework.js:3"
LOADER = "Build.loader.js:1"
HOST = "http://192.168.1.40:8080"


def build_webgl_console() -> bytes:
    character = fake_uuid("webgl-console/character")
    c = make_connect("webgl-console/1", character_id=character, end_user_id="guest-4f2a9c61e0b7", speaker=True)
    lines: list[str] = [
        f"Navigated to {HOST}/",
        f"{LOADER} [UnityCache] '{HOST}/Build/Build.data.unityweb' successfully downloaded and stored in the "
        "indexedDB cache",
        f"{FRAMEWORK} [UnityMemory] Configuration Parameters - Can be set up in boot.config",
        '    "memorysetup-bucket-allocator-granularity=16"',
        '    "memorysetup-bucket-allocator-bucket-count=8"',
        '    "memorysetup-main-allocator-block-size=16777216"',
        f"{FRAMEWORK} Loading player data from data.unity3d",
        f"{FRAMEWORK} Initialize engine version: 2022.3.45f1 (a13dfa44d684)",
        f"{FRAMEWORK} Creating WebGL 2.0 context.",
        f"{FRAMEWORK} Renderer: WebKit WebGL",
        f"{FRAMEWORK} Vendor:   WebKit",
        f"{FRAMEWORK} Version:  OpenGL ES 3.0 (WebGL 2.0 (OpenGL ES 3.0 Chromium))",
        f"{FRAMEWORK} UnloadTime: 0.415000 ms",
        f"{FRAMEWORK} [WebGLHost] Page served from {HOST}/ over plain http (not a secure context): browsers block "
        "microphone access on insecure origins",
    ]

    def convai(level: str, category: str, message: str, *, color: bool = True) -> None:
        text = f"{head(level, category)} {message}"
        lines.append(f"{FRAMEWORK} {colored(level, text) if color else text}")

    convai("Info", "Bootstrap", "Convai Bootstrapper: Initializing...")
    convai("Info", "Bootstrap", "Convai Bootstrapper: Initialization complete.")
    lines.append(f"{FRAMEWORK} MenuController: start screen shown")
    convai("Info", "SDK", attempt(character))
    convai("Debug", "Transport", "[WebGLRoomController] Connecting to Room...")
    convai("Debug", "Transport", f"[WebGLRoomController] Room details received: {room_details_json(c)}", color=False)
    convai("Debug", "Transport", f"[WebGLRoomController] {token_summary(c)}", color=False)
    lines.append(
        f"livekit-client.umd.min.js:1 [livekit] connecting to {ROOM_URL}/rtc?access_token={c.token}&auto_subscribe=1"
        "&sdk=js&version=2.5.7&protocol=15&adaptive_stream=1"
    )
    lines.append(
        "livekit-client.umd.min.js:1 [livekit] connected to Livekit Server {region: 'us-east', version: '1.8.4'}"
    )
    convai("Debug", "Transport", "[WebGLRoomController] Connected to room via transport.")
    convai("Debug", "SDK", "[SessionMetrics] Session started")
    convai("Info", "SDK", f"[RoomConnectionRuntimeAdapter] Character {character} connected successfully (mode=create).")
    convai("Debug", "SDK", "[SessionMetrics] Connected - starting duration timer")
    lines += [
        f"{FRAMEWORK} Uncaught (in promise) TypeError: Cannot read properties of undefined (reading 'getUserMedia')",
        "    at Object.startMicrophone (Build.framework.js:3:91522)",
        "    at _JS_ConvaiMic_Start (Build.framework.js:3:91840)",
        "    at Build.wasm:0x1c2f3a1",
    ]
    convai(
        "Error",
        "Audio",
        "[WebGLMicrophone] Microphone start failed: NotAllowedError: Permission denied (navigator.mediaDevices "
        "is unavailable on insecure origins)",
    )
    convai("Warning", "SDK", "[SessionMetrics] Session error: audio.mic_permission_denied")
    lines.append(
        f"{FRAMEWORK} [MyApp] Session error: audio.mic_permission_denied — Microphone permission was denied by "
        "the user or browser"
    )
    lines.append(f"{FRAMEWORK} HUD: microphone icon set to 'blocked'")
    convai("Debug", "SDK", "[ConvaiRoomManager] Sent user text message: can you hear me? typing instead")
    convai("Info", "Transcript", "Guide Mira: I can read your messages. Try enabling the microphone over https.")
    lines.append(f"{FRAMEWORK} Input: switched to text chat")
    convai("Info", "SDK", "[SessionMetrics] Session ended (user disconnect): duration=48.0s; reconnects=0; errors=1")
    lines.append("livekit-client.umd.min.js:1 [livekit] disconnected from room {reason: 'CLIENT_INITIATED'}")
    lines.append(f"{FRAMEWORK} [UnityMemory] Memory usage: 212.4 MB (peak 248.9 MB)")
    return encode(lines)
