"""Rules about Convai's answer to the connect request: the key, the character, the plan, and reaching Convai."""

from __future__ import annotations

from loglens.rules.engine import Hit, hit, register_lines, rule
from loglens.rules.evidence import Evidence, recovery

ENDPOINT_CODES = ("connection.timeout", "connection.network_error")


register_lines(
    __name__,
    {
        "invalid-api-key": (
            "Either SDK code, a Connect API 401, or the v3 plugin's gRPC `Unauthenticated`.",
            lambda ev: (
                ev.lines("connection.connect_invalid_api_key", "connection.auth_failed")
                + ev.http(401)
                + ev.signals.native.status("Unauthenticated")
            ),
        ),
        "character-not-found": (
            "Either SDK code, or a Connect API 404.",
            lambda ev: ev.lines("connection.connect_character_not_found", "connection.not_found") + ev.http(404),
        ),
        "realtime-not-allowed": (
            "The plan's 403: nothing in the project can change it.",
            lambda ev: ev.lines("connection.connect_realtime_not_allowed"),
        ),
        "usage-limit": ("The server's quota code.", lambda ev: ev.lines("server.usage_limit_reached")),
        "concurrency-limit": (
            "Both 429 limits share their advice: fewer sessions or speakers at once.",
            lambda ev: ev.lines(
                "connection.connect_concurrency_limit_reached", "connection.connect_speaker_limit_reached"
            ),
        ),
        "rate-limited": (
            "The SDK backs off by itself; the rule is about app code that keeps calling.",
            lambda ev: ev.lines("connection.rate_limited"),
        ),
        "tls-inspection": (
            "Certificate words in a failure, or UnityWebRequest's certificate verdict.",
            lambda ev: ev.signals.tls,
        ),
    },
)


@rule("convai-endpoint-blocked")
def endpoint_blocked(ev: Evidence) -> Hit | None:
    """Timeouts and network errors, or gRPC `Unavailable`. A gRPC status alone gets the v3 plugin's words
    (`grpc`); when every session connected after its failures, the path is unreliable, not blocked
    (`recovered`)."""
    grpc = ev.signals.native.status("Unavailable")
    lines = ev.lines(*ENDPOINT_CODES)
    if grpc and not lines:
        return hit(grpc, "grpc")
    lines += grpc
    _, recovered = recovery(ev, lines)
    return hit(lines, "recovered") if recovered else hit(lines)
