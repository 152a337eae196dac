"""Samples shaped like what users paste in public threads (LOG-FORMATS.md section 7).

Android in the copy formats other than threadtime, the LiveKit native library failing, a game's own exceptions,
a LiveKit client's log, Convai's Unreal plugin, and the v3 plugin's gRPC failures. Every value is invented.
"""

from __future__ import annotations

from tests.support.samples_.common import (
    EXP_EXPIRED,
    LIVEKIT_KEY,
    LIVEKIT_SECRET,
    NBF_EXPIRED,
    ROOM_URL,
    Clock,
    encode,
    fake_uuid,
    head,
    make_connect,
    token_summary,
)
from tests.support.samples_.common import attempt as attempt_line
from tests.support.tokens import mint_token

PACKAGE = "com.studio.game"
INSTALL = f"/data/app/~~3rn3H06cQ2xAbCdEfGhIjK==/{PACKAGE}-9ZkLmNoPqRsTuVwXyZ12==/lib/arm64"
MVID = "<d8e27b9b2f5e4c4a9b1c0d2e3f4a5b6c>:0"
WORDS = {"V": "Verbose", "D": "Debug", "I": "Info", "W": "Warning", "E": "Error", "A": "Assert"}
UFRAG, PWD = "kQ3v", "Ty8uWq2ZxN4mLp7RsB1cVd6e"


def build_android_studio_native() -> bytes:
    """Android Studio export (date first, level as a word): Convai connects, then livekit_ffi fails to load."""
    clock = Clock(17, 0, 55, 100)
    character = fake_uuid("studio/character")
    connect = make_connect("studio/1", character_id=character)
    lines: list[str] = []

    def out(level: str, tag: str, message: str, pid: int = 21919, tid: int = 21952) -> None:
        lines.append(f"2025/06/09 {clock.tick(11)} {pid} {tid} {WORDS[level]} {tag} {message}")

    out("I", "ActivityManager", f"Start proc 21919:{PACKAGE}/u0a231 for top-activity", pid=1432, tid=1460)
    out("D", "nativeloader", f"Load {INSTALL}/libmain.so using ns clns-7: ok")
    out("I", "Unity", f"{head('Info', 'Bootstrap')} Convai Bootstrapper: Initializing...")
    out("I", "Unity", f"{head('Info', 'SDK')} {attempt_line(character)}")
    out("D", "Unity", f"{head('Debug', 'Transport')} {token_summary(connect)}")
    out("D", "IL2CPP", "JNI_OnLoad: registered natives")
    out("E", "Unity", f"Failed to load native plugin: Unable to load library '{INSTALL}/liblivekit_ffi.so'")
    out("E", "Unity", "DllNotFoundException: Unable to load DLL 'livekit_ffi'. Tried the load the following dynamic")
    out("E", "Unity", f"  at LiveKit.Internal.FFIClient.Initialize () [0x00000] in {MVID}")
    out(
        "E", "Unity", "  at Convai.Infrastructure.Networking.Native.NativeRoomController.Connect () [0x0001a] in <a1>:0"
    )
    out("W", "ViewRootImpl@4a1b2c[UnityPlayerActivity]", "dispatchDetachedFromWindow")
    out("D", "libwebrtc", f"Set ICE ufrag: {UFRAG} pwd: {PWD}")
    out("E", "Unity", f"{head('Error', 'Transport')} Transport connection failed: native library not loaded")
    out("E", "Unity", "\tat java.lang.Runtime.loadLibrary0(Runtime.java:1077)")
    return encode(lines)


def build_logcat_view_crash() -> bytes:
    """The Android Studio Logcat view (padded, PID-TID): a connected session, then a crash in liblivekit_ffi.so."""
    clock = Clock(12, 15, 40, 300)
    character = fake_uuid("view/character")
    connect = make_connect("view/1", character_id=character)
    lines: list[str] = []

    def out(level: str, tag: str, message: str, ids: str = "11012-11123", package: str = PACKAGE) -> None:
        lines.append(f"2025-10-23 {clock.tick(13)} {ids:<11} {tag:<12} {package:<17} {level}  {message}")

    out("I", "Unity", f"{head('Info', 'SDK')} {attempt_line(character)}")
    out("I", "Unity", f"{head('Debug', 'Transport')} {token_summary(connect)}")
    out("I", "Unity", f"{head('Debug', 'Transport')} Connected to room via transport.")
    out(
        "I",
        "Unity",
        f"{head('Info', 'SDK')} [RoomConnectionRuntimeAdapter] Character {character} connected "
        "successfully (mode=create).",
    )
    out("E", "Unity", "Exception: Unknown request type: LiveKit.Proto.E2eeRequest")
    out(
        "E",
        "Unity",
        f"  at LiveKit.Internal.FfiClient.SendRequest (LiveKit.Proto.FfiRequest request) [0x0003c] in {MVID}",
    )
    out(
        "A",
        "libc",
        "Fatal signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0 in tid 11123 (tokio-runtime-w), "
        f"pid 11012 ({PACKAGE})",
    )
    out("A", "DEBUG", "backtrace:", ids="11130-11130", package="pid-11130")
    out(
        "A",
        "DEBUG",
        f"      #00 pc 00000000004f3a8c  {INSTALL}/liblivekit_ffi.so (BuildId: 4f1e2d3c)",
        ids="11130-11130",
        package="pid-11130",
    )
    out(
        "A",
        "DEBUG",
        f"      #01 pc 0000000000a1b2c4  {INSTALL}/libunity.so (BuildId: 9a8b7c6d)",
        ids="11130-11130",
        package="pid-11130",
    )
    return encode(lines)


def build_not_convai_game() -> bytes:
    """An Editor.log of a game with no Convai in it: its own exceptions, Firebase's, Unity's build-machine paths."""
    return encode(
        [
            "Initialize engine version: 2022.3.10f1 (ff3792e53c62)",
            "Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.",
            "DllNotFoundException: FirebaseCppApp-11_0_0 assembly:<unknown assembly> type:<unknown type> member:(null)",
            "Firebase.AppUtilPINVOKE+SWIGExceptionHelper..cctor () "
            "(at /Users/bokken/buildslave/firebase/AppUtil.cs:12)",
            "Rethrow as TypeInitializationException: The type initializer threw an exception.",
            "Firebase.FirebaseApp.CreateAndTrack (Firebase.FirebaseApp+CreateDelegate create) (at Z:/tmp/App.cs:1)",
            "",
            "NullReferenceException: Object reference not set to an instance of an object",
            "Game.Player.Move (UnityEngine.Vector3 delta) (at Assets/Scripts/Player.cs:344)",
            "Game.Player.Update () (at Assets/Scripts/Player.cs:57)",
            "",
            "0x00007ff6c1c8bdec (Unity) StackWalker::GetCurrentCallstack",
            "0x0000025933c2fcdb (Mono JIT Code) UnityEngine.Debug:LogError (object)",
            "(Filename: /home/builduser/buildslave/unity/build/Runtime/Export/Debug/Debug.bindings.h Line: 35)",
            "",
            "(Filename: C:\\buildslave\\unity\\build\\Runtime\\Export\\Debug\\Debug.bindings.h Line: 35)",
            f"UnityEngine.Transform.get_rotation () (at {MVID})",
            "Refreshing native plugins compatible for Editor in 0.87 ms, found 3 plugins.",
        ]
    )


def build_livekit_client() -> bytes:
    """A LiveKit client's own log (`adb logcat -v brief`, `-v tag`, `-v process`): a signal URL with its token,
    an SDP with ICE credentials and a candidate; no Convai line. The token has expired."""
    host = ROOM_URL.removeprefix("wss://")
    token = mint_token(
        identity="player-7",
        room="lobby-1",
        exp=EXP_EXPIRED,
        nbf=NBF_EXPIRED,
        api_key=LIVEKIT_KEY,
        secret=LIVEKIT_SECRET,
    )
    return encode(
        [
            "I/Unity   (27777): LiveKit: FfiClient initialized",
            f"D/LiveKit (27777): SignalClient connecting with url: wss://{host}/rtc?access_token={token}"
            "&auto_subscribe=1&sdk=unity&version=1.2.0&protocol=15",
            f"D/libwebrtc: a=ice-ufrag:{UFRAG}",
            f"D/libwebrtc: a=ice-pwd:{PWD}",
            f"D(27777) candidate:842163049 1 udp 1677729535 203.0.113.7 50522 typ srflx raddr 0.0.0.0 rport 0 ufrag "
            f"{UFRAG} network-id 1  (libwebrtc)",
            "E/Unity   (27777): LiveKit: could not establish signal connection: token is expired (exp)",
        ]
    )


def build_unreal_convai() -> bytes:
    """Convai's Unreal Engine plugin: loglens names it and reads nothing from it."""
    return encode(
        [
            "[2024.05.01-10.00.00:123][  0]LogInit: Display: Running engine for game: ConvaiDemo",
            "[2024.05.01-10.00.01:001][ 12]LogConvai: Warning: Character ID is empty",
            "[2024.05.01-10.00.01:210][ 14]LogHttp: Warning: 000001F2: request failed, libcurl error: 28 (Timeout was "
            "reached) https://api.convai.com/character/get",
            "ConvaiSubsystemLog: Warning: failed to fetch the character",
        ]
    )


def build_v3_grpc_failures() -> bytes:
    """The v3 plugin: an assembly conflict at load, then gRPC statuses (no dotted codes)."""
    stack = (
        "[Stack Trace - Method: MoveNext, at Line: 145 in File: C:\\Game\\Assets\\Convai\\Scripts\\ConvaiGRPCAPI.cs]"
    )
    return encode(
        [
            "Assembly 'Assets/Convai/Plugins/Grpc.Core.Api/lib/net45/Grpc.Core.Api.dll' will not be loaded due to "
            "errors:",
            "Grpc.Core.Api references strong named System.Memory Assembly references: 4.0.1.1 "
            "Found in project: 4.0.1.2.",
            "",
            '<color=red>[Exception][GRPC]: Grpc.Core.RpcException: Status(StatusCode="Unauthenticated", '
            'Detail="Invalid API key") Please check if API Key is correct.</color>',
            stack,
            '<color=red>[Exception][GRPC]: Grpc.Core.RpcException: Status(StatusCode="Unavailable", '
            'Detail="failed to connect to all addresses")</color>',
            stack,
            '<color=red>[Exception][GRPC]: Grpc.Core.RpcException: Status(StatusCode="DeadlineExceeded", '
            'Detail="Deadline Exceeded")</color>',
            '<color=red>[Exception][GRPC]: Grpc.Core.RpcException: Status(StatusCode="ResourceExhausted", '
            'Detail="quota exceeded")</color>',
            '<color=red>[Exception][GRPC]: Grpc.Core.RpcException: Status(StatusCode="PermissionDenied", '
            'Detail="not allowed")</color>',
        ]
    )
