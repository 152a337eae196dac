"""Large, deterministic Editor.log-like input for benchmarks and memory tests.

About 5% of the lines are Convai lines (with their stack traces and footers, as the Editor writes them); the rest
is Unity noise: asset imports, domain reloads, licensing chatter, other scripts' Debug.Log entries and frames.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import random
from collections.abc import Iterator
from pathlib import Path

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


# The secret-dense log: what a support desk's attachments look like. Same ~5% of Convai lines, but a third of them
# carry a LiveKit token (400 distinct ones, a fresh one per connect as the SDK logs it) or a Convai API key, 97 end
# users appear in the room details, and ~7% of stack frames point into a user's home folder. Fake values only.
DENSE_TOKENS = 400
DENSE_END_USERS = 97
DENSE_PEOPLE = ("jdoe", "maria.lopez", "kwame", "Li Wei", "sasha", "dev01", "oyelaran", "t.nguyen")

DENSE_SECRET = (
    "[{t}][Debug][Transport]: Token: {token}; Room Name: room-{n}; Room URL: "
    "wss://convai-technologies-lfslae7c.livekit.cloud; Session ID: s-{n}; Character Session ID: cs-{n}; "
    "Resolved End User ID: {user}",
    '[{t}][Debug][Transport]: Room details received: {{"token":"{token}","room_name":"room-{n}","session_id":"s-{n}",'
    '"request_trace_id":null,"room_url":"wss://convai-technologies-lfslae7c.livekit.cloud","character_session_id":'
    '"cs-{n}","speaker_id":null,"end_user_id":"{user}","end_user_metadata":{{"name":"Player {u}"}},'
    '"room_session_id":null,"active_membership_id":null,"route_epoch":null,"roster_epoch":null,'
    '"partial_dispatch":false,"characters":null,"transport":"livekit"}}',
    "[{t}][Debug][Transport]: POST https://live.convai.com/connect headers: X-API-Key: {key}; "
    "Content-Type: application/json",
    "[{t}][Debug][SDK]: [ConvaiRestClient] CONVAI-API-KEY: {key} (character 9f1c2b3a-{n:04d})",
)

# a busy project's Editor.log: the asset pipeline's long worker lines next to the usual noise
DENSE_NOISE = (
    *NOISE,
    "[Worker{m}] Start importing Assets/Art/Props/crate_{n}.fbx using Guid(3f2c{n:04d}e1b9a84c7d9e0f1a2b3c4d5e6f) "
    "Importer(-1,00000000000000000000000000000000)  -> (artifact id: '9b1d{n:04d}c0ffee{m:02d}0000000000000000') "
    "in {n}.{m} seconds",
    "Shader 'Universal Render Pipeline/Lit': {n} variants compiled, {m} variants skipped (prepass {m}.{n} ms, "
    "compile {n}.{m} ms) for platform StandaloneWindows64, keywords _MAIN_LIGHT_SHADOWS _ADDITIONAL_LIGHTS",
)

DENSE_FRAMES = (
    "Convai.Runtime.Transport.LiveKitTransport:ConnectAsync (Convai.Runtime.Room.RoomDetails) "
    "(at {root}Library/PackageCache/com.convai.sdk@4.2.1/Runtime/Transport/LiveKitTransport.cs:{m})",
    "Convai.Runtime.Room.ConvaiRoomManager:OnRoomDetails (string) "
    "(at {root}Library/PackageCache/com.convai.sdk@4.2.1/Runtime/Room/ConvaiRoomManager.cs:{n})",
    "Game.PlayerController:Update () (at {root}Assets/Scripts/PlayerController.cs:{n})",
)


@functools.cache
def dense_tokens() -> tuple[str, ...]:
    """The dense log's distinct room tokens, minted once (HS256 with the fake secret, as LiveKit signs them)."""
    return tuple(
        mint_token(
            identity=f"end-user-{i % DENSE_END_USERS:02d}",
            room=f"room-{i}",
            exp=1_950_000_000 + i,
            nbf=1_700_000_000,
            name=f"Player {i % DENSE_END_USERS}",
            metadata='{"character_id":"9f1c2b3a-' + f"{i:04d}" + '"}',
            attributes={"client": "convai-unity-sdk", "platform": "WindowsEditor", "sdk_version": "4.2.1"},
        )
        for i in range(DENSE_TOKENS)
    )


def _dense_user_root(rng: random.Random) -> str:
    """The project root a frame's path starts with: a user's home folder in ~7% of frames, else relative."""
    if rng.random() >= 0.07:
        return ""
    person = rng.choice(DENSE_PEOPLE)
    return f"C:/Users/{person}/Projects/ConvaiDemo/" if rng.random() < 0.7 else f"/Users/{person}/Unity/ConvaiDemo/"


# the sparse log's Convai lines without its one token: in the dense log, secrets come from DENSE_SECRET only
_DENSE_PLAIN = tuple(line for line in CONVAI if "oken" not in line)


def _dense_first(rng: random.Random, time: str, n: int, m: int, connects: Iterator[int]) -> tuple[str, bool]:
    """An entry's first line and whether it is a Convai one; a third of the Convai ones hold a secret."""
    if rng.random() >= 0.29:  # with ~9 lines per Convai entry, this gives ~5% Convai lines
        return rng.choice(DENSE_NOISE).format(n=n, m=m), False
    if rng.random() >= 1 / 3:
        return rng.choice(_DENSE_PLAIN).format(t=time, n=n), True
    template = rng.choice(DENSE_SECRET)
    # each connect logs the next token, round robin, with the end user the token was minted for
    connect = next(connects) if "{token}" in template else 0
    u = connect % DENSE_END_USERS
    fields = {
        "t": time,
        "n": n,
        "u": u,
        "token": dense_tokens()[connect % DENSE_TOKENS],
        "user": hashlib.md5(f"end-user-{u:02d}".encode()).hexdigest(),  # a device id: 32 hex
        "key": hashlib.md5(f"convai-key-{n % 5}".encode()).hexdigest(),  # five projects' API keys: 32 hex
    }
    return template.format_map(fields), True


def _dense_lines(n_lines: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    connects = itertools.count()
    produced = 0
    second = 0
    while produced < n_lines:
        second += 1
        n, m = rng.randrange(1, 999), rng.randrange(1, 99)
        time = f"{(second // 3600) % 24:02d}:{(second // 60) % 60:02d}:{second % 60:02d}.{m:03d}"
        first, convai = _dense_first(rng, time, n, m, connects)
        entry = [first]
        if convai or rng.random() < 0.3:
            entry += [f.format(n=n, m=m) for f in FRAMES[: rng.randrange(3, 5)]]
            entry += [rng.choice(DENSE_FRAMES).format(n=n, m=m, root=_dense_user_root(rng)) for _ in range(3)]
            entry += ["", f"(Filename: {_dense_user_root(rng)}Assets/Scripts/PlayerController.cs Line: {n})", ""]
        for line in entry:
            yield line
            produced += 1
            if produced >= n_lines:
                return


def generate_dense_editor_log(n_lines: int, seed: int = 0) -> bytes:
    """`n_lines` lines of a secret-dense Editor.log, the same bytes for the same arguments."""
    return ("\n".join(_dense_lines(n_lines, seed)) + "\n").encode("utf-8")


def write_editor_log(path: Path, n_lines: int, *, dense: bool, seed: int = 0) -> Path:
    """Stream a generated log (sparse or dense) to `path` without holding it in memory; the bytes match
    `generate_editor_log` / `generate_dense_editor_log` for the same arguments."""
    lines = _dense_lines(n_lines, seed) if dense else _lines(n_lines, seed)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) == 10_000:
                out.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            out.write("\n".join(batch) + "\n")
    return path
