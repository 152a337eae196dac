"""What would make LiveKit's connection test fail for a reason other than the network: the token's shape, times
and grant, and the URL's scheme, path and host."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlsplit

from loglens.credentials import is_cloud_host
from loglens.livekit.model import CONVAI_CLOUD_URL, SOON_SECONDS, Notice, Pair
from loglens.tokens import Claims


def span(seconds: float) -> str:
    """A duration in its two largest units: `2 years 40 days`, `3 days 2 h`, `2 h 5 min`, `4 min`, `30 s`."""
    s = int(abs(seconds))
    years, rest = divmod(s, 365 * 86_400)
    if years:
        days = rest // 86_400
        return f"{years} year{'s' if years != 1 else ''}" + (f" {days} day{'s' if days != 1 else ''}" if days else "")
    days, rest = divmod(rest, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


def utc(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def check(pair: Pair, now: datetime) -> Iterator[Notice]:
    """Everything that would make the connection test fail for a reason other than the network."""
    yield from _check_token(pair, now)
    yield from _check_url(pair)
    yield Notice(
        id="same-identity",
        level="note",
        message="this token joins as the Unity client's own participant, and LiveKit disconnects the earlier "
        "participant when the same identity joins again: stop Play mode (or quit the player) before running "
        "the test.",
    )


def _check_token(pair: Pair, now: datetime) -> Iterator[Notice]:
    where = f"line {pair.line}"
    if pair.token_problem is not None:
        yield Notice(
            id="token-cut-off",
            level="error",
            message=f"the token on {where} is not whole: {pair.token_problem}. The log was probably cut or "
            "wrapped; copy the line again from the Console or from Editor.log.",
        )
    claims = pair.claims
    if claims is None:
        return
    if claims.expires_at is None:
        yield Notice(
            id="token-no-expiry",
            level="error",
            message="the token has no expiry (exp); LiveKit servers refuse such tokens.",
        )
    elif claims.expired(now):
        ago = span((now - claims.expires_at).total_seconds())
        yield Notice(
            id="token-expired",
            level="error",
            message=f"the token expired at {utc(claims.expires_at)}, {ago} ago: the test would fail on the token "
            "(`token is expired`), not on the network. Enter Play mode again so the SDK fetches a fresh token, "
            "then rerun loglens on the new log.",
        )
    elif (claims.expires_at - now).total_seconds() < SOON_SECONDS:
        left = span((claims.expires_at - now).total_seconds())
        yield Notice(
            id="token-expires-soon",
            level="warning",
            message=f"the token expires in {left} (at {utc(claims.expires_at)}): run the test now.",
        )
    if claims.not_yet_valid(now) and claims.not_before is not None:
        wait = span((claims.not_before - now).total_seconds())
        yield Notice(
            id="token-not-yet-valid",
            level="error",
            message=f"the token is valid only from {utc(claims.not_before)}, {wait} from now by this computer's "
            "clock: LiveKit would refuse it (`token not valid yet`). Check this computer's date and time, or "
            "wait.",
        )
    yield from _check_grant(pair, claims)


def _check_grant(pair: Pair, claims: Claims) -> Iterator[Notice]:
    video = claims.video
    if video is None or video.room_join is not True:
        state = "has no video grant" if video is None else "does not grant roomJoin"
        yield Notice(
            id="room-join-missing",
            level="error",
            message=f"the token {state}, so it cannot join a room: the test would fail on the token.",
        )
    token_room = pair.token_room  # masked, as the log's room name beside it is
    if token_room and pair.room_name and token_room != pair.room_name:
        yield Notice(
            id="room-mismatch",
            level="warning",
            message=f"the token grants room {token_room!r} but the log names room {pair.room_name!r} beside it; "
            "the test joins the token's room.",
        )


def is_local_host(host: str) -> bool:
    """A host that only a development LiveKit server would use: loopback, a private network, `*.local`."""
    if host == "localhost" or host.endswith((".localhost", ".local", ".lan", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified


def _check_url(pair: Pair) -> Iterator[Notice]:
    if pair.url is None:
        yield Notice(
            id="url-missing",
            level="error",
            message=f"no Room URL was logged with this token (older SDKs leave it out of the room details). "
            f"Convai's LiveKit Cloud URL is {CONVAI_CLOUD_URL}.",
        )
        return
    try:
        parts = urlsplit(pair.url.get_secret_value())
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        host = None
    if not host:
        yield Notice(id="url-invalid", level="error", message="the logged Room URL is not a URL with a host.")
        return
    local = is_local_host(host)
    yield from _check_scheme(parts.scheme.lower(), host, local)
    if (parts.path not in ("", "/")) or parts.query:
        yield Notice(
            id="url-path",
            level="warning",
            message=f"the Room URL has a path or query after the host; the test wants only the server: wss://{host}.",
        )
    if host.endswith(("convai.com", "convai.ai")):
        yield Notice(
            id="url-not-livekit",
            level="error",
            message=f"{host} is a Convai API host, not a LiveKit server: the test cannot connect to it.",
        )
    elif not local and not is_cloud_host(host):
        yield Notice(
            id="url-not-livekit",
            level="warning",
            message=f"{host} is not a LiveKit Cloud host (*.livekit.cloud, *.livekit.run); that is right only "
            "if you run your own LiveKit server there.",
        )


def _check_scheme(scheme: str, host: str, local: bool) -> Iterator[Notice]:
    """The test needs wss:// (ws:// only for a local server); http(s):// is turned into ws(s):// by clients."""
    if scheme in ("http", "https"):
        yield Notice(
            id="url-scheme",
            level="warning",
            message=f"the Room URL starts {scheme}://; LiveKit clients turn it into ws(s)://, but give the test "
            f"{'ws' if scheme == 'http' else 'wss'}://{host} to be sure.",
        )
    elif scheme == "ws" and not local:
        yield Notice(
            id="url-scheme",
            level="error",
            message=f"the Room URL uses ws:// (unencrypted) for {host}: only a local development server accepts "
            "that; LiveKit Cloud and production servers need wss://.",
        )
    elif scheme not in ("ws", "wss"):
        yield Notice(
            id="url-scheme",
            level="error",
            message=f"the Room URL's scheme is {scheme or 'missing'}; the test needs wss:// (ws:// for a local "
            "server).",
        )
