"""The LiveKit room credentials a Connect API answer carried, read from a credentials line (room details or a Token
summary): the fields both lines write, the host of the room's URL, and what the token itself grants (its claims,
decoded once per distinct token while the log comes back to it). A session (`loglens.sessions`) keeps the ones its
lines gave."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal, NamedTuple
from urllib.parse import urlsplit

from pydantic import Field, SecretStr

from loglens import models as m
from loglens.masking import Masked, masked, masked_name
from loglens.tokens import decode_claims

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


class Granted(NamedTuple):
    """What credentials take from a token's claims: the room it grants, its issuer, when it is valid. Kept as
    read from the token: it is masked where credentials are built, by what the log has taught the masker then."""

    room: str | None
    issuer: str | None
    not_before: datetime | None
    expires_at: datetime | None


def granted(token: str) -> Granted | None:
    """`Granted` of a JWT-shaped token, or None when it is not one."""
    claims = decode_claims(token)
    if claims is None:
        return None
    room = claims.video.room if claims.video else None
    return Granted(room, claims.issuer, claims.not_before, claims.expires_at)


GrantedOf = Callable[[str], Granted | None]
MEMO_TOKENS = 1024


class TokenClaims:
    """`granted`, remembered for the most recently met distinct tokens of one log: a session's retries, its room
    details and their Token summary carry the same token, decoded once. Bounded: what it keeps per token is its
    text and four short values, about 1 KB (the whole decoded claims took 9 KB); lives and dies with its
    builder."""

    def __init__(self, size: int = MEMO_TOKENS) -> None:
        self._size = size
        self._seen: dict[str, Granted | None] = {}  # least recently met first

    def __call__(self, token: str) -> Granted | None:
        seen = self._seen
        if token in seen:
            found = seen[token] = seen.pop(token)  # now the most recently met
            return found
        if len(seen) >= self._size:
            del seen[next(iter(seen))]
        found = seen[token] = granted(token)
        return found


def credentials_of(entry: m.Entry, granted_of: GrantedOf = granted) -> Credentials | None:
    event = entry.event
    if not isinstance(event, m.RoomDetails | m.TokenSummary):
        return None
    claims = granted_of(event.token.get_secret_value()) if event.token else None
    return Credentials(
        line=entry.line,
        source=event.kind,
        **{name: getattr(event, name) for name in CARRIED},
        livekit_host=masked(host_of(event.url.get_secret_value() if event.url else None)),
        token_room=masked_name(claims.room if claims else None),
        issuer=masked(claims.issuer if claims else None),
        not_before=claims.not_before if claims else None,
        expires_at=claims.expires_at if claims else None,
    )
