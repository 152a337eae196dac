"""`samples/README.md`: what each sample is for. Written by the build so the folder is regenerated as a whole."""

from __future__ import annotations

README = """\
# Sample logs

Made-up Convai Unity SDK logs for trying `loglens` and for tests. They are generated, byte for byte, by
`python -m tests.support.build_samples` (run from the repository root); edit the generator, not the files.

**Every secret here is fake.** Tokens are signed with a made-up LiveKit key and secret and grant nothing;
API keys, ids, names, e-mail addresses, IP addresses (documentation and private ranges) and user paths are invented.

| file | platform / format | what it shows |
|---|---|---|
| `editor-connected.log` | Windows Editor.log, timed, `<color=#hex>` | a healthy 4.x session: attempt 1, full room details + Token summary, text message, clean end; correlation id, `{k=v}` context, multi-line entry closing `</color>` late, engine frame `<mvid>:0` |
| `console-invalid-api-key.txt` | Console copy, no times | HTTP 401, `connection.connect_invalid_api_key` (room init failure + SessionMetrics), request dump with an `X-API-Key` |
| `player-ice-failed.log` | release Player.log (message, blank, footer) | connected, then `transport.ice_failed`; three reconnects, each with a fresh token, all fail; ICE candidates with IPs |
| `logcat-timeout.txt` | Android logcat | four attempts, each `connection.timeout`, then retry exhaustion; other logcat tags in between |
| `webgl-console.txt` | Chrome console export (`*.js:N` prefixes) | page served over `http://`; `[WebGLRoomController]` credentials, LiveKit `access_token=` URL, `audio.mic_permission_denied` |
| `windows-crlf-bom.log` | dev Player.log, CRLF + UTF-8 BOM | HTTP 404, `connection.connect_character_not_found`; mojibake, invalid UTF-8 bytes, `C:\\Users\\...` path |
| `powershell-utf16.log` | logcat saved by PowerShell 5 (UTF-16LE + BOM, CRLF) | `connection.connect_concurrency_limit_reached` twice (retried), then connected |
| `v3-plugin.log` | Editor.log, v3 (gRPC) plugin | `[Stack Trace - ...]` lines, `GRPC` category, `[Exception]` level, `RpcException` frames; no error codes |
| `prebeta-room-details.log` | Editor.log, pre-4.0 beta | `🔑 ROOM DETAILS RECEIVED` (four keys) and old Token summary; one reconnect; both tokens expired (2024) |
| `app-errors-multi-session.txt` | Console copy, timed | three sessions: 418 fallback to `connection.bad_request`, `connection.timeout`, `protocol.parse_failed`, unknown `connection.something_new`, `session.token_expired` (expired token echoed), `server.usage_limit_reached`; escaped room-details JSON; words like `settings.json` that are not codes |
| `wrapped-paste.txt` | Console copy pasted into a ticket | room details and Token summary hard-wrapped at 76 columns; token not valid before 2031; `transport.livekit_error` |
| `no-transport-debug.log` | macOS Editor.log | a session that connects with Transport logging muted: no credential lines, no tokens |
| `rich-text-and-escapes.txt` | Console copy | `<b>`/`<i>`/`<size>`, `[bold]` markup, ANSI escapes, a custom file-sink excerpt, a multi-character room, then HTTP 429 `connection.connect_speaker_limit_reached` |
| `android-studio-native.txt` | Android Studio export (date, level word) | Convai lines behind the prefix, other tags between, `livekit_ffi` not loaded (`DllNotFoundException`, Java frame), ICE ufrag/pwd |
| `logcat-view-crash.txt` | Android Studio Logcat view (PID-TID, package) | a connected session, `Unknown request type: LiveKit.Proto.*`, then a native crash in `liblivekit_ffi.so` (tombstone) |
| `not-convai-game.log` | Editor.log without Convai | a Firebase `DllNotFoundException`, a game's `NullReferenceException`, native callstacks, Unity's build-machine paths |
| `livekit-client.txt` | `adb logcat -v brief` / `-v tag` / `-v process` | a LiveKit client only: signal URL with an expired `access_token=`, ICE credentials, a candidate |
| `unreal-convai.log` | Unreal Engine log | Convai's Unreal plugin (`LogConvai`, `LogHttp` to `api.convai.com`): named, not diagnosed |
| `v3-grpc-failures.log` | Editor.log, v3 (gRPC) plugin | `Grpc.Core.Api ... will not be loaded`, then `Unauthenticated`, `Unavailable`, `DeadlineExceeded`, `ResourceExhausted`, `PermissionDenied` |
"""  # noqa: E501 (a Markdown table keeps one row per line)


def build_readme() -> bytes:
    return README.encode("utf-8")
