"""Rules about the LiveKit room Convai hands out: the WebRTC path to it and the room token."""

from __future__ import annotations

from loglens.credentials import is_cloud_host
from loglens.rules.engine import Hit, hit, register_lines, rule
from loglens.rules.evidence import Evidence, recovery

WEBRTC_CODES = ("transport.ice_failed", "transport.peer_connection_failed")


@rule("webrtc-blocked")
def webrtc_blocked(ev: Evidence) -> Hit | None:
    """ICE or peer-connection failures, with firewall steps for the room's own host: LiveKit Cloud's wildcards
    or a self-hosted server's ports (`self-hosted`); a warning when the session connected again (`recovered`)."""
    lines = ev.lines(*WEBRTC_CODES) + ev.signals.pc_failed
    if not lines:
        return None
    sessions, recovered = recovery(ev, lines)
    credentials = ev.latest_credentials(sessions) or ev.latest_credentials()
    host = credentials.livekit_host if credentials else None
    variants: tuple[str, ...] = ("self-hosted",) if host and not is_cloud_host(host) else ()
    variants += ("recovered",) if recovered else ()
    # the host goes in as a value, never into the template, so that braces in a log cannot break formatting
    return hit(lines, *variants, values={"room": f"`{host}`"} if host else {})


@rule("token-expired")
def token_expired(ev: Evidence) -> Hit | None:
    """The code or LiveKit's own words; the last token before the first failure adds its expiry (`dated`)."""
    lines = ev.lines("session.token_expired") + ev.signals.token_expired
    if not lines:
        return None
    first = min(lines)
    before = [c for s in ev.sessions for c in s.credentials if c.line < first]
    credentials = before[-1] if before else None
    if credentials is None or credentials.expires_at is None:
        return hit(lines)
    expiry = f"{credentials.expires_at:%Y-%m-%d %H:%M} UTC"
    return hit(lines, "dated", values={"token_line": str(credentials.line), "expiry": expiry})


register_lines(
    __name__,
    {
        "token-not-yet-valid": (
            "LiveKit's nbf refusal, which only its own message names.",
            lambda ev: ev.signals.token_not_yet_valid,
        ),
    },
)
