"""Unity's own output around Convai lines: stack frames, `(Filename: ...)` footers, editor and player noise."""

from __future__ import annotations

ENGINE_MVID = "cc54933d6df84ff08e916a4036d0b6c6"  # an assembly id in engine frames, not a secret

LOG_FRAMES = {
    "Log": "UnityEngine.Debug:Log (object)",
    "LogWarning": "UnityEngine.Debug:LogWarning (object)",
    "LogError": "UnityEngine.Debug:LogError (object)",
}


def convai_frames(cls: str, method: str, path: str, line: int, *, via: str = "Log") -> list[str]:
    """The frames below a Convai logger call, as the Console shows them (no ExtractStackTrace line)."""
    return [
        LOG_FRAMES[via],
        f"Convai.Runtime.Logging.UnityConsoleSink:Write (Convai.Runtime.Logging.LogEntry) "
        f"(at {path.rsplit('/Runtime/', 1)[0]}/Runtime/Logging/UnityConsoleSink.cs:57)",
        f"{cls}:{method} (at {path}:{line})",
    ]


def editor_entry(message: str, frames: list[str], footer_path: str, footer_line: int) -> list[str]:
    """An Editor.log / development Player.log entry: message, full stack, blank line, footer, blank line."""
    return [
        message,
        "UnityEngine.StackTraceUtility:ExtractStackTrace ()",
        "UnityEngine.DebugLogHandler:LogFormat (UnityEngine.LogType,UnityEngine.Object,string,object[])",
        "UnityEngine.Logger:Log (UnityEngine.LogType,object)",
        *frames,
        "",
        f"(Filename: {footer_path} Line: {footer_line})",
        "",
    ]


PLAYER_FOOTER = "./Runtime/Export/Debug/Debug.bindings.h"


def player_entry(message: str, footer_line: int, footer_path: str = PLAYER_FOOTER) -> list[str]:
    """A release Player.log entry: the message, a blank line, the footer, a blank line."""
    return [message, "", f"(Filename: {footer_path} Line: {footer_line})", ""]


def console_entry(message: str, frames: list[str]) -> list[str]:
    """A Unity Console copy: the message, its frames, then a blank separator line."""
    return [message, *frames, ""]


EDITOR_STARTUP = [
    "[Licensing::Module] Trying to connect to existing licensing client channel...",
    '[Licensing::IpcConnector] Successfully connected to: "LicenseClient-jdoe" at "2025-09-18T08:12:03.5512042Z"',
    "[Licensing::Client] Successfully resolved entitlement details",
    "[Licensing::Module] License group:",
    "  Id: 8079271184632-UnityPersXXXX",
    "  Product: Unity Personal",
    "  Type: Assigned",
    "Built from '2022.3/staging' branch; Version is '2022.3.45f1 (a13dfa44d684) revision 10567162'; "
    "Using compiler version '192829333'; Build Type 'Release'",
    "OS: 'Windows 11  (10.0.22631) 64bit Professional' Language: 'en' Physical Memory: 32534 MB",
    "COMMAND LINE ARGUMENTS:",
    "C:\\Program Files\\Unity\\Hub\\Editor\\2022.3.45f1\\Editor\\Unity.exe",
    "-projectpath",
    "C:/Users/jdoe/Projects/ConvaiDemo",
    "Successfully changed project path to: C:/Users/jdoe/Projects/ConvaiDemo",
]

DOMAIN_RELOAD = [
    "Reloading assemblies after forced synchronous recompile.",
    "Begin MonoManager ReloadAssembly",
    "- Loaded All Assemblies, in  0.914 seconds",
    "Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.",
    "Preloading 1 native plugins for Editor in 0.08 ms.",
    "Mono: successfully reloaded assembly",
    "- Finished resetting the current domain, in  0.004 seconds",
    "Domain Reload Profiling: 1873ms",
    "\tBeginReloadAssembly (412ms)",
    "\tLoadAllAssembliesAndSetupDomain (655ms)",
    "\tFinalizeReload (801ms)",
]


def asset_import(path: str, guid: str, seconds: str) -> list[str]:
    """An asset import block from the Editor's asset pipeline."""
    return [
        f"Start importing {path} using Guid({guid}) Importer(-1,00000000000000000000000000000000)  "
        f"-> (artifact id: '{guid[::-1]}') in {seconds} seconds",
    ]


ENTER_PLAY = [
    "Asset Pipeline Refresh (id=5c1e2b0f8d6a4e9b9f3c2a1d0e7b6c5a): Total: 0.512 seconds - Initiated by "
    "RefreshV2(NoUpdateAssetOptions)",
    "Unloading 4 Unused Serialized files (Serialized files now loaded: 0)",
    "Loaded scene 'Temp/__Backupscenes/0.backup'",
    "\tDeserialize:            1.404 ms",
    "\tIntegration:            48.221 ms",
    "UnloadTime: 0.812300 ms",
]

PLAYER_STARTUP = [
    "Mono path[0] = 'C:/Program Files/ConvaiDemo/ConvaiDemo_Data/Managed'",
    "Mono config path = 'C:/Program Files/ConvaiDemo/MonoBleedingEdge/etc'",
    "Initialize engine version: 2022.3.45f1 (a13dfa44d684)",
    "[Subsystems] Discovering subsystems at path C:/Program Files/ConvaiDemo/ConvaiDemo_Data/UnitySubsystems",
    "GfxDevice: creating device client; threaded=1; jobified=1",
    "Direct3D:",
    "    Version:  Direct3D 11.0 [level 11.1]",
    "    Renderer: NVIDIA GeForce RTX 3060 (ID=0x2503)",
    "    Vendor:   NVIDIA",
    "Begin MonoManager ReloadAssembly",
    "- Completed reload, in  0.187 seconds",
    "<RI> Initializing input.",
    "<RI> Input initialized.",
    "UnloadTime: 0.917500 ms",
]
