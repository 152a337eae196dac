"""Write every file in `samples/` (README included) from code, byte for byte.

Run from the repository root: ``python -m tests.support.build_samples``. The samples hold exact bytes that a
text editor would quietly change (CRLF endings, a UTF-8 BOM, UTF-16LE, invalid UTF-8) and LiveKit-style tokens
with fixed `exp`/`nbf`, so they are produced here, deterministically (no clock, no randomness), and committed.
Every key, token, id, name, e-mail and address in them is invented.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from tests.support.samples_.console import build_console_invalid_api_key
from tests.support.samples_.editor import build_editor_connected
from tests.support.samples_.logcat import build_logcat_timeout, build_powershell_utf16
from tests.support.samples_.multi import build_app_errors_multi_session
from tests.support.samples_.notransport import build_no_transport_debug
from tests.support.samples_.player import build_player_ice_failed
from tests.support.samples_.prebeta import build_prebeta_room_details
from tests.support.samples_.readme import build_readme
from tests.support.samples_.reallogs import (
    build_android_studio_native,
    build_livekit_client,
    build_logcat_view_crash,
    build_not_convai_game,
    build_unreal_convai,
    build_v3_grpc_failures,
)
from tests.support.samples_.rich import build_rich_text_and_escapes
from tests.support.samples_.v3 import build_v3_plugin
from tests.support.samples_.webgl import build_webgl_console
from tests.support.samples_.windows import build_windows_crlf_bom
from tests.support.samples_.wrapped import build_wrapped_paste

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"

BUILDERS: dict[str, Callable[[], bytes]] = {
    "editor-connected.log": build_editor_connected,
    "console-invalid-api-key.txt": build_console_invalid_api_key,
    "player-ice-failed.log": build_player_ice_failed,
    "logcat-timeout.txt": build_logcat_timeout,
    "webgl-console.txt": build_webgl_console,
    "windows-crlf-bom.log": build_windows_crlf_bom,
    "powershell-utf16.log": build_powershell_utf16,
    "v3-plugin.log": build_v3_plugin,
    "prebeta-room-details.log": build_prebeta_room_details,
    "app-errors-multi-session.txt": build_app_errors_multi_session,
    "wrapped-paste.txt": build_wrapped_paste,
    "no-transport-debug.log": build_no_transport_debug,
    "rich-text-and-escapes.txt": build_rich_text_and_escapes,
    "android-studio-native.txt": build_android_studio_native,
    "logcat-view-crash.txt": build_logcat_view_crash,
    "not-convai-game.log": build_not_convai_game,
    "livekit-client.txt": build_livekit_client,
    "unreal-convai.log": build_unreal_convai,
    "v3-grpc-failures.log": build_v3_grpc_failures,
    "README.md": build_readme,
}

_TOKEN = re.compile(rb"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{43}")


def build(target: Path = SAMPLES_DIR) -> dict[str, bytes]:
    """Write every sample into `target`; return what was written, by file name."""
    target.mkdir(parents=True, exist_ok=True)
    written: dict[str, bytes] = {}
    for name, builder in BUILDERS.items():
        data = builder()
        (target / name).write_bytes(data)
        written[name] = data
    return written


def main() -> int:
    for name, data in build().items():
        text = data.decode("utf-16") if data.startswith(b"\xff\xfe") else data.decode("utf-8", "replace")
        # Join lines too, so that tokens in hard-wrapped pastes are counted once.
        raw = text.encode("utf-8", "replace")
        tokens = {t.decode("ascii") for t in _TOKEN.findall(raw) + _TOKEN.findall(raw.replace(b"\n", b""))}
        print(f"{name}: {len(text.splitlines())} lines, {len(tokens)} distinct tokens")
    return 0


if __name__ == "__main__":
    sys.exit(main())
