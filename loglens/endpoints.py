"""The hosts and ports a Convai Unity session needs: the one place loglens keeps them.

Taken from Convai's network requirements page and LiveKit's firewall guide. `network` prints them as an allowlist,
`livekit --explain-test` and the diagnoses write their firewall advice from them, so a port is never spelled twice.
"""

from __future__ import annotations

from string import Template
from typing import Literal

from pydantic import Field

from loglens.credentials import is_cloud_host
from loglens.models import Frozen

CONNECT_API_HOST = "live.convai.com"  # the Connect API: session setup and room credentials
REST_HOST = "api.convai.com"  # REST: character metadata, and the WebGL emotion preflight
CONVAI_LIVEKIT_HOST = "convai-technologies-lfslae7c.livekit.cloud"  # one Convai deployment's room URL host
CONVAI_LIVEKIT_URL = f"wss://{CONVAI_LIVEKIT_HOST}"
CLOUD_SIGNAL = "*.livekit.cloud"
CLOUD_TURN = "*.turn.livekit.cloud"
CLOUD_TURN_UDP = "*.host.livekit.cloud"
ALL_LIVEKIT = "all LiveKit hosts"

HTTPS = 443
TURN_UDP = 3478
MEDIA_UDP = "50000-60000"
ICE_TCP = 7881
# a self-hosted LiveKit server listens on its own ports (LiveKit's firewall guide)
SELF_API = 7880
SELF_ICE_UDP_MUX = 7882
SELF_TURN_TLS = 5349

Protocol = Literal["TCP", "UDP"]
Tier = Literal["required", "optional"]


class Rule(Frozen):
    """One outbound allowlist row. `tier` follows Convai's page: `required` is the minimum a session needs,
    `optional` the direct media paths to add where UDP is permitted or the connection test asks for them."""

    host: str
    port: str
    protocol: Protocol
    purpose: str
    tier: Tier
    seen_in_log: bool = Field(default=False, description="The host was filled in from the log's room URL.")


def allowlist(livekit_host: str | None = None) -> tuple[Rule, ...]:
    """Every row an IT team needs, with the room's own LiveKit host when the log named one.

    A host outside LiveKit Cloud is a self-hosted server: its signaling row names it, and LiveKit Cloud's wildcard
    rows still follow, since a Convai account may be moved to Convai's Cloud deployment at any time.
    """
    signal_host = livekit_host or CONVAI_LIVEKIT_HOST
    seen = livekit_host is not None
    return (*_common(signal_host, seen), *(() if is_cloud_host(signal_host) else _self_hosted(signal_host)))


def _self_hosted(host: str) -> tuple[Rule, ...]:
    """A self-hosted server's own media ports (LiveKit's firewall guide), all on the room's host."""
    rows: tuple[tuple[str, Protocol, str], ...] = (
        (str(ICE_TCP), "TCP", "ICE over TCP"),
        (str(SELF_ICE_UDP_MUX), "UDP", "ICE over UDP, multiplexed"),
        (MEDIA_UDP, "UDP", "ICE over UDP"),
        (str(SELF_TURN_TLS), "TCP", "TURN over TLS, if the server runs TURN"),
        (str(TURN_UDP), "UDP", "TURN over UDP, if the server runs TURN"),
    )
    return tuple(
        Rule(host=host, port=port, protocol=proto, purpose=f"self-hosted LiveKit: {what}", tier="optional")
        for port, proto, what in rows
    )


def _common(signal_host: str, seen: bool) -> tuple[Rule, ...]:
    """The rows every session needs, in Convai's order; only the room's signaling row can come from the log."""
    rows: tuple[tuple[str, int | str, Protocol, str, Tier, bool], ...] = (
        (CONNECT_API_HOST, HTTPS, "TCP", "Connect API (HTTPS)", "required", False),
        (REST_HOST, HTTPS, "TCP", "Convai REST API (HTTPS)", "required", False),
        (signal_host, HTTPS, "TCP", "the room's LiveKit signaling (WSS)", "required", seen),
        (CLOUD_SIGNAL, HTTPS, "TCP", "LiveKit signaling (WSS)", "required", False),
        (CLOUD_TURN, HTTPS, "TCP", "TURN over TLS, the fallback when UDP is blocked", "required", False),
        (CLOUD_TURN_UDP, TURN_UDP, "UDP", "TURN over UDP", "optional", False),
        (ALL_LIVEKIT, MEDIA_UDP, "UDP", "WebRTC media", "optional", False),
        (ALL_LIVEKIT, ICE_TCP, "TCP", "WebRTC over TCP", "optional", False),
    )
    return tuple(
        Rule(host=host, port=str(port), protocol=proto, purpose=purpose, tier=tier, seen_in_log=from_log)
        for host, port, proto, purpose, tier, from_log in rows
    )


# The names the catalogue and the rule texts use for these values (`${connect_api_host}`), so that their prose
# never spells a host or port itself.
PLACEHOLDERS: dict[str, str] = {
    "connect_api_host": CONNECT_API_HOST,
    "rest_host": REST_HOST,
    "cloud_signal": CLOUD_SIGNAL,
    "cloud_turn": CLOUD_TURN,
    "cloud_turn_udp": CLOUD_TURN_UDP,
    "https": str(HTTPS),
    "turn_udp": str(TURN_UDP),
    "media_udp": MEDIA_UDP,
    "ice_tcp": str(ICE_TCP),
    "self_api": str(SELF_API),
    "self_ice_udp_mux": str(SELF_ICE_UDP_MUX),
    "self_turn_tls": str(SELF_TURN_TLS),
}


def fill(text: str) -> str:
    """`text` with every `${name}` replaced by its host or port; an unknown name raises ValueError (a typo in
    a data file fails its load instead of reaching a user)."""
    try:
        return Template(text).substitute(PLACEHOLDERS)
    except KeyError as unknown:
        raise ValueError(f"no host or port is called {unknown}") from None
