"""Rules about Convai's answer to the connect request: the key, the character, the plan, and reaching Convai."""

from __future__ import annotations

from loglens.rules.engine import Hit, hit, rule
from loglens.rules.evidence import Evidence, recovery

ENDPOINT_CODES = ("connection.timeout", "connection.network_error")


@rule("invalid-api-key")
def invalid_api_key(ev: Evidence) -> Hit | None:
    """Either SDK code, a Connect API 401, or the v3 plugin's gRPC `Unauthenticated`."""
    codes = ev.lines("connection.connect_invalid_api_key", "connection.auth_failed")
    return hit(codes + ev.http(401) + ev.signals.native.status("Unauthenticated"))


@rule("character-not-found")
def character_not_found(ev: Evidence) -> Hit | None:
    """Either SDK code, or a Connect API 404."""
    codes = ev.lines("connection.connect_character_not_found", "connection.not_found")
    return hit(codes + ev.http(404))


@rule("realtime-not-allowed")
def realtime_not_allowed(ev: Evidence) -> Hit | None:
    """The plan's 403: nothing in the project can change it."""
    return hit(ev.lines("connection.connect_realtime_not_allowed"))


@rule("usage-limit")
def usage_limit(ev: Evidence) -> Hit | None:
    """The server's quota code."""
    return hit(ev.lines("server.usage_limit_reached"))


@rule("concurrency-limit")
def concurrency_limit(ev: Evidence) -> Hit | None:
    """Both 429 limits share their advice: fewer sessions or speakers at once."""
    return hit(ev.lines("connection.connect_concurrency_limit_reached", "connection.connect_speaker_limit_reached"))


@rule("rate-limited")
def rate_limited(ev: Evidence) -> Hit | None:
    """The SDK backs off by itself; the rule is about app code that keeps calling."""
    return hit(ev.lines("connection.rate_limited"))


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


@rule("tls-inspection")
def tls_inspection(ev: Evidence) -> Hit | None:
    """Certificate words in a failure, or UnityWebRequest's certificate verdict."""
    return hit(ev.signals.tls)
