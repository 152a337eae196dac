"""Large, deterministic Editor.log-like input for benchmarks and memory tests.

About 5% of the lines are Convai lines (with their stack traces and footers, as the Editor writes them); the rest
is Unity noise: asset imports, domain reloads, licensing chatter, other scripts' Debug.Log entries and frames.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from tests.support.tokens import mint_token

TOKEN = mint_token(identity="bench-user", room="bench-room-1", exp=1_950_000_000, nbf=1_700_000_000)

CONVAI = (
    "[{t}][Debug][Transport]: Connecting to Room...",
    "[{t}][Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt {n} connecting character 9f1c2b3a-{n:04d} (mode=create)",
    "[{t}][Debug][SDK]: [SessionMetrics] Session started",
    "[{t}][Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed",
    "[{t}][Debug][SDK]: [SessionMetrics] Reconnection attempt #{n}",
    "[{t}][Warning][SDK]: [SessionMetrics] Reconnection failed (error: transport.signal_disconnected)",
    "[{t}][Info][Character]: Character is speaking (utterance {n})",
    "[{t}][Debug][Transport]: Token: " + TOKEN + "; Room Name: bench-room-{n}; Room URL: "
    "wss://convai-technologies-lfslae7c.livekit.cloud; Session ID: s-{n}; Character Session ID: cs-{n}",
    '[{t}][Debug][Transport]: Room details received: {{"token":"' + TOKEN + '","room_name":"bench-room-{n}",'
    '"session_id":"s-{n}","room_url":"wss://convai-technologies-lfslae7c.livekit.cloud"}}',
    "[{t}][Info][SDK]: [RoomConnectionRuntimeAdapter] Character 9f1c2b3a-{n:04d} connected successfully (mode=create).",
)

NOISE = (
    "Refreshing native plugins compatible for Editor in {n}.{m} ms, found {m} plugins.",
    "Preloading {m} native plugins for Editor in {n}.{m} ms.",
    "[Licensing::Client] Successfully resolved entitlement details",
    "Start importing Assets/Art/Props/crate_{n}.fbx using Guid(3f2c{n:04d}e1b9a84c7d9e0f1a2b3c4d5e6f) "
    "Importer(-1,00000000000000000000000000000000)",
    "Reloading assemblies after forced synchronous recompile.",
    "Begin MonoManager ReloadAssembly",
    "- Completed reload, in  {n}.{m} seconds",
    "Player moved to ({n}.{m}, 0.0, {m}.{n})",
    "Unloading {n} Unused Serialized files (Serialized files now loaded: 0)",
    "Asset Pipeline Refresh (id={n}): Total: {n}.{m} seconds - Initiated by RefreshV2(NoUpdateAssetOptions)",
)

FRAMES = (
    "UnityEngine.StackTraceUtility:ExtractStackTrace ()",
    "UnityEngine.DebugLogHandler:LogFormat (UnityEngine.LogType,UnityEngine.Object,string,object[])",
    "UnityEngine.Logger:Log (UnityEngine.LogType,object)",
    "UnityEngine.Debug:Log (object)",
    "Game.PlayerController:Update () (at Assets/Scripts/PlayerController.cs:{n})",
    "Convai.Runtime.Logging.ConvaiLogger:Write (string) "
    "(at Packages/com.convai.sdk/Runtime/Logging/ConvaiLogger.cs:{m})",
)


def _lines(n_lines: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    produced = 0
    second = 0
    while produced < n_lines:
        second += 1
        n, m = rng.randrange(1, 999), rng.randrange(1, 99)
        time = f"{(second // 3600) % 24:02d}:{(second // 60) % 60:02d}:{second % 60:02d}.{m:03d}"
        convai = rng.random() < 0.25  # an entry is ~4-5 lines with its frames: this gives ~5% Convai lines
        first = rng.choice(CONVAI).format(t=time, n=n) if convai else rng.choice(NOISE).format(n=n, m=m)
        entry = [first]
        if convai or rng.random() < 0.3:
            frames = rng.randrange(3, 6)
            entry += [f.format(n=n, m=m) for f in FRAMES[:frames]]
            entry += ["", f"(Filename: Assets/Scripts/PlayerController.cs Line: {n})", ""]
        for line in entry:
            yield line
            produced += 1
            if produced >= n_lines:
                return


def generate_editor_log(n_lines: int, seed: int = 0) -> bytes:
    """`n_lines` lines of Editor.log-like text, the same bytes for the same arguments."""
    return ("\n".join(_lines(n_lines, seed)) + "\n").encode("utf-8")
