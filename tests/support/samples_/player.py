"""`player-ice-failed.log`: a release Player.log where ICE fails, three reconnects fail, and the session ends."""

from __future__ import annotations

from tests.support.samples_.common import (
    Clock,
    Connect,
    attempt,
    colored,
    encode,
    fake_uuid,
    head,
    make_connect,
    room_details_json,
    token_summary,
)
from tests.support.samples_.unity import PLAYER_STARTUP, player_entry


class PlayerLog:
    """A release Player.log: every entry is the message, a blank line and the `(Filename: ...)` footer."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.lines: list[str] = []

    def convai(self, level: str, category: str, message: str, *, ms: int = 11) -> None:
        text = colored(level, f"{head(level, category, time=self.clock.tick(ms))} {message}")
        self.lines += player_entry(text, 35)

    def app(self, message: str) -> None:
        self.lines += player_entry(message, 35)

    def credentials(self, c: Connect) -> None:
        self.convai("Debug", "Transport", "Connecting to Room...")
        self.convai("Debug", "Transport", f"Room details received: {room_details_json(c)}", ms=512)
        self.convai("Debug", "Transport", token_summary(c), ms=1)

    def ice(self, port: int) -> None:
        """The native room controller echoing the local ICE candidates it gathered."""
        tag = "[NativeRoomController] Local ICE candidate:"
        self.convai("Debug", "Transport", f"{tag} candidate:1467250027 1 udp 2122260223 192.168.1.23 {port} typ host")
        self.convai(
            "Debug",
            "Transport",
            f"{tag} candidate:842163049 1 udp 1694498815 198.51.100.10 {port} typ srflx "
            f"raddr 192.168.1.23 rport {port}",
        )


def build_player_ice_failed() -> bytes:
    character = fake_uuid("player-ice-failed/character")
    user = "player-7d41c0"
    log = PlayerLog(Clock(18, 42, 7, 301))
    log.lines += PLAYER_STARTUP
    log.app("[BuildInfo] LibraryDemo 1.4.2 (release, CONVAI_DEBUG_LOGGING)")
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initializing...", ms=0)
    log.convai("Info", "Bootstrap", "Convai Bootstrapper: Initialization complete.")
    log.convai("Info", "SDK", attempt(character))
    log.credentials(make_connect("player-ice-failed/1", character_id=character, end_user_id=user))
    log.ice(50522)
    log.convai("Debug", "Transport", "Connected to room via transport.", ms=388)
    log.convai("Debug", "SDK", "[SessionMetrics] Session started")
    log.convai(
        "Info", "SDK", f"[RoomConnectionRuntimeAdapter] Character {character} connected successfully (mode=create)."
    )
    log.convai("Debug", "SDK", "[SessionMetrics] Connected - starting duration timer")
    log.app("Player entered trigger 'LibraryDoor'")
    log.convai("Debug", "SDK", "[ConvaiRoomManager] Sent user text message: is the reading room open tonight?", ms=8120)
    log.convai(
        "Warning", "Transport", "[NativeRoomController] ICE connection state: Connected -> Disconnected", ms=14_902
    )
    log.convai("Warning", "Transport", "[NativeRoomController] ICE connection state: Disconnected -> Failed", ms=5003)
    log.convai("Warning", "SDK", "[SessionMetrics] Session error: transport.ice_failed")
    for n, delay in ((1, 1000), (2, 2000), (3, 4000)):
        log.convai("Debug", "SDK", f"[SessionMetrics] Reconnection attempt #{n}", ms=delay)
        log.credentials(make_connect(f"player-ice-failed/{n + 1}", character_id=character, end_user_id=user))
        log.ice(50522 + n * 16)
        log.convai(
            "Error",
            "Transport",
            "Transport connection failed: could not establish pc connection (ICE state: Failed after 15000 ms)",
            ms=15_004,
        )
        log.convai("Warning", "SDK", "[SessionMetrics] Reconnection failed (error: transport.ice_failed)")
    log.convai("Error", "SDK", "[ConvaiRoomManager] Reconnect attempts exhausted (3 of 3); state -> Error")
    log.convai(
        "Info",
        "SDK",
        "[SessionMetrics] Session ended (error recovery): duration=83.6s; reconnects=3; reconnect_success_rate=0%; "
        "last_error=ice",
    )
    log.app("UI: showing 'Connection lost' dialog")
    log.lines += ["Setting up 8 worker threads for Enlighten.", "Memory Statistics:", "[ALLOC_TEMP_TLS] TLS Allocator"]
    return encode(log.lines)
