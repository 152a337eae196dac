"""`v3-plugin.log`: an Editor.log from a project on the older v3 (gRPC) plugin, ending in an RpcException."""

from __future__ import annotations

from tests.support.samples_.common import encode, fake_hex
from tests.support.samples_.unity import DOMAIN_RELOAD, ENTER_PLAY, asset_import

WIN_SCRIPTS = "C:\\Users\\mkowalski\\Documents\\Unity Projects\\TavernDemo\\Assets\\Convai\\Scripts\\Runtime"
SCRIPTS = "Assets/Convai/Scripts/Runtime"
MVID = "4f6a0c2e9b8d47d1a3e5f7091b2c3d4e"  # the Convai assembly id in exception frames
COLORS = {"Info": "grey", "Debug": "cyan", "Warning": "yellow", "Error": "red", "Exception": "red"}
GRPC = "Core\\ConvaiGRPCAPI.cs"
NPC = "Core\\ConvaiNPC.cs"


def v3_entry(level: str, category: str, message: str, method: str, line: int, file: str) -> list[str]:
    """A v3 logger entry: colored message, the logger's `[Stack Trace - ...]` line, Unity's stack, footer."""
    via = {"Error": "LogError", "Warning": "LogWarning", "Exception": "LogError"}.get(level, "Log")
    cls = file.rsplit("\\", 1)[1].removesuffix(".cs")
    return [
        f"<color={COLORS[level]}>[{level}][{category}]: {message}</color>",
        f"[Stack Trace - Method: {method}, at Line: {line} in File: {WIN_SCRIPTS}\\{file}]",
        "UnityEngine.StackTraceUtility:ExtractStackTrace ()",
        f"UnityEngine.Debug:{via} (object)",
        f"Convai.Scripts.Runtime.LoggerSystem.ConvaiLogger:Log (string,Convai.Scripts.Runtime.LoggerSystem.LogLevel,"
        f"Convai.Scripts.Runtime.LoggerSystem.LogCategory) (at {SCRIPTS}/LoggerSystem/ConvaiLogger.cs:88)",
        f"Convai.Scripts.Runtime.Core.{cls}/<{method}>d__27:MoveNext () "
        f"(at {SCRIPTS}/{file.replace(chr(92), '/')}:{line})",
        "",
        f"(Filename: {SCRIPTS}/LoggerSystem/ConvaiLogger.cs Line: 88)",
        "",
    ]


def build_v3_plugin() -> bytes:
    character = fake_hex("v3/character")
    lines: list[str] = [
        "[Licensing::Client] Successfully resolved entitlement details",
        "Built from '2021.3/staging' branch; Version is '2021.3.33f1 (ee5a2aa03ab2) revision 15620778'",
        "Successfully changed project path to: C:/Users/mkowalski/Documents/Unity Projects/TavernDemo",
        *asset_import(
            "Assets/Convai/Plugins/Grpc.Core/runtimes/win/x64/grpc_csharp_ext.dll", fake_hex("g/dll"), "0.0041"
        ),
        *DOMAIN_RELOAD[:6],
        *ENTER_PLAY,
    ]
    lines += v3_entry("Info", "Character", f'NPC "Bartender Gus" ready (character id {character})', "Start", 96, NPC)
    lines += v3_entry("Debug", "GRPC", "Creating gRPC channel to stream.convai.com:443", "Awake", 71, GRPC)
    lines += v3_entry("Info", "GRPC", "Starting GetResponse stream (session id -1)", "MoveNext", 145, GRPC)
    lines += ["Tavern: ambient track 'fireplace_loop' started", ""]
    lines += v3_entry("Info", "Character", "Player text: what's on tap tonight?", "SendTextData", 318, NPC)
    lines += v3_entry("Info", "GRPC", f"Session ID received: {fake_hex('v3/session')}", "MoveNext", 188, GRPC)
    lines += v3_entry(
        "Info",
        "Character",
        "Bartender Gus: Stout, cider, and a honey ale that won't last the night.",
        "MoveNext",
        203,
        GRPC,
    )
    lines += v3_entry("Warning", "GRPC", "Response stream closed by server; reconnecting (1/3)", "MoveNext", 231, GRPC)
    lines += [
        '<color=red>[Exception][GRPC]: RpcException: Status(StatusCode="Unavailable", '
        'Detail="failed to connect to all addresses; last error: UNAVAILABLE: ipv4:203.0.113.24:443: '
        'Socket closed")',
        "  at Convai.Scripts.Runtime.Core.ConvaiGRPCAPI+<ReceiveResultFromServer>d__31.MoveNext () [0x00012] in "
        f"<{MVID}>:0 ",
        "  at Convai.Scripts.Runtime.Core.ConvaiGRPCAPI+<ProcessResponse>d__27.MoveNext () [0x000a4] in "
        f"<{MVID}>:0 </color>",
        f"[Stack Trace - Method: MoveNext, at Line: 145 in File: {WIN_SCRIPTS}\\{GRPC}]",
        "UnityEngine.StackTraceUtility:ExtractStackTrace ()",
        "UnityEngine.Debug:LogError (object)",
        "Convai.Scripts.Runtime.Core.ConvaiGRPCAPI/<ProcessResponse>d__27:MoveNext () "
        f"(at {SCRIPTS}/Core/ConvaiGRPCAPI.cs:145)",
        "",
        f"(Filename: {SCRIPTS}/LoggerSystem/ConvaiLogger.cs Line: 88)",
        "",
        'RpcException: Status(StatusCode="Unavailable", Detail="failed to connect to all addresses")',
        "  at Grpc.Core.Internal.AsyncCall`2[TRequest,TResponse].UnaryCall (TRequest msg) [0x000c2] in "
        "<7b5d1c0e9a2f4e6b8c3d1a0f2e4b6c8d>:0 ",
        f"  at Convai.Scripts.Runtime.Core.ConvaiGRPCAPI.InitializeSession () [0x00031] in <{MVID}>:0 ",
        f"  at Convai.Scripts.Runtime.Core.ConvaiNPC.Reconnect () [0x00012] in <{MVID}>:0 ",
        "UnityEngine.UnitySynchronizationContext:ExecuteTasks ()",
        "",
        "(Filename: <7b5d1c0e9a2f4e6b8c3d1a0f2e4b6c8d> Line: 0)",
        "",
    ]
    lines += v3_entry(
        "Error", "GRPC", "Could not reach the Convai gRPC service after 3 attempts", "MoveNext", 262, GRPC
    )
    lines += [
        "Tavern: NPC dialogue UI disabled",
        "",
        "Unloading 6 unused Assets to reduce memory usage. Loaded Objects now: 3312.",
    ]
    return encode(lines)
