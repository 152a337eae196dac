"""The LiveKit room credentials a Connect API answer carried, read from a credentials line (room details or a Token
summary): the fields both lines write, the host of the room's URL, and what the token itself grants (its claims,
decoded once per distinct token). A session (`loglens.sessions`) keeps the ones its lines gave."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr

from loglens import models as m
from loglens.masking import Masked, masked, masked_name
from loglens.tokens import Claims, decode_claims

CredentialSource = Literal[m.EventKind.ROOM_DETAILS, m.EventKind.TOKEN_SUMMARY]
CREDENTIAL_KINDS = frozenset({m.EventKind.ROOM_DETAILS, m.EventKind.TOKEN_SUMMARY})


class Credentials(m.Frozen):
    """The LiveKit room credentials one Connect API answer carried."""

    line: int
    source: CredentialSource
    token: SecretStr | None = None
    room_name: Masked | None = None
    room_url: Masked | None = None
    url: m.LoggedUrl = None
    livekit_host: Masked | None = None
    session_id: Masked | None = None
    character_session_id: Masked | None = None
    token_room: Masked | None = Field(default=None, description="The room the token itself grants (video.room).")
    issuer: Masked | None = None
    not_before: datetime | None = None
    expires_at: datetime | None = None


CLOUD_SUFFIXES = (".livekit.cloud", ".livekit.run")


def is_cloud_host(host: str) -> bool:
    """A LiveKit Cloud host (as opposed to a self-hosted LiveKit server)."""
    return host.endswith(CLOUD_SUFFIXES)


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


# What a credentials line hands on as it is: the fields of both credentials events that `Credentials` has too.
CARRIED = tuple(name for name in m.CREDENTIAL_FIELDS if name in Credentials.model_fields)


ClaimsOf = Callable[[str], Claims | None]


class TokenClaims:
    """`decode_claims`, remembered per distinct token for one log: a session's retries, its room details and
    their Token summary carry the same token, decoded once. Bounded; lives and dies with its builder."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._seen: dict[str, Claims | None] = {}

    def __call__(self, token: str) -> Claims | None:
        if token in self._seen:
            return self._seen[token]
        if len(self._seen) >= self._size:
            self._seen.clear()
        claims = self._seen[token] = decode_claims(token)
        return claims


def credentials_of(entry: m.Entry, claims_of: ClaimsOf = decode_claims) -> Credentials | None:
    event = entry.event
    if not isinstance(event, m.RoomDetails | m.TokenSummary):
        return None
    claims: Claims | None = claims_of(event.token.get_secret_value()) if event.token else None
    return Credentials(
        line=entry.line,
        source=event.kind,
        **{name: getattr(event, name) for name in CARRIED},
        livekit_host=masked(host_of(event.url.get_secret_value() if event.url else None)),
        token_room=masked_name(claims.video.room if claims and claims.video else None),
        issuer=masked(claims.issuer if claims else None),
        not_before=claims.not_before if claims else None,
        expires_at=claims.expires_at if claims else None,
    )
