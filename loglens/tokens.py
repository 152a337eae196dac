"""Read a LiveKit room token's claims locally. Decoding proves nothing about validity; it never leaves here.

A room token is an HS256 JWT: `header.payload.signature`, each part base64url without padding. Its claims say
which room it joins (`video.room`), as whom (`sub`), under which API key (`iss`, a key id, not a secret) and
when it is valid (`nbf`, `exp`). `metadata`, `attributes` and `name` can carry personal data, so they are kept
as `SecretStr`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import Field, SecretStr

from loglens import jsonload
from loglens.frozen import Frozen

_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

# Signature length in base64url characters for each JWS algorithm (RSA assumes a 2048-bit key): a shorter one
# means the token was cut off.
SIGNATURE_LENGTHS = {
    "HS256": 43,
    "HS384": 64,
    "HS512": 86,
    "ES256": 86,
    "ES384": 128,
    "ES512": 176,
    "EdDSA": 86,
    "RS256": 342,
    "RS384": 342,
    "RS512": 342,
    "PS256": 342,
    "PS384": 342,
    "PS512": 342,
}

_KNOWN_CLAIMS = frozenset({"iss", "sub", "jti", "nbf", "exp", "iat", "name", "metadata", "attributes", "kind", "video"})


# The yes/no permissions of the `video` grant, by their claim names, in LiveKit's order.
PERMISSIONS = (
    "roomJoin",
    "canPublish",
    "canSubscribe",
    "canPublishData",
    "canUpdateOwnMetadata",
    "hidden",
    "recorder",
    "agent",
    "roomCreate",
    "roomList",
    "roomRecord",
    "roomAdmin",
    "ingressAdmin",
)


class VideoGrant(Frozen):
    """The `video` grant of a LiveKit token. A permission that is not set is absent (LiveKit treats it as
    allowed, except `roomJoin`, which must be true to join)."""

    room: str | None = None
    destination_room: str | None = None
    can_publish_sources: tuple[str, ...] | None = None
    granted: dict[str, bool] = Field(
        default_factory=dict, description="The permissions the token sets, by claim name, in LiveKit's order."
    )

    @property
    def room_join(self) -> bool | None:
        return self.granted.get("roomJoin")

    def permissions(self) -> dict[str, bool]:
        """The permissions the token sets, by their LiveKit names, in LiveKit's order."""
        return dict(self.granted)


class Claims(Frozen):
    """What a LiveKit token says about itself. `iss` is the LiveKit API key id, which is not a secret."""

    algorithm: str | None = None
    token_type: str | None = Field(default=None, description="The header's `typ`; the Node SDK leaves it out.")
    issuer: str | None = None
    identity: str | None = Field(default=None, description="`sub`: the participant identity.")
    jwt_id: str | None = Field(default=None, description="`jti`: the Node SDK sets it to the identity.")
    name: SecretStr | None = None
    kind: str | None = None
    not_before: datetime | None = None
    expires_at: datetime | None = None
    video: VideoGrant | None = None
    metadata: SecretStr | None = None
    attributes: dict[str, SecretStr] = Field(default_factory=dict)
    other_claims: tuple[str, ...] = Field(default=(), description="Names of claims loglens does not read.")

    @property
    def has_metadata(self) -> bool:
        return bool(self.metadata and self.metadata.get_secret_value())

    def expired(self, now: datetime) -> bool | None:
        return None if self.expires_at is None else now >= self.expires_at

    def not_yet_valid(self, now: datetime) -> bool | None:
        return None if self.not_before is None else now < self.not_before


def _time(value: Any) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _secret(value: Any) -> SecretStr | None:
    return SecretStr(value) if isinstance(value, str) and value else None


def _grant(video: dict[str, Any]) -> VideoGrant:
    sources = video.get("canPublishSources")
    return VideoGrant(
        room=_str(video.get("room")),
        destination_room=_str(video.get("destinationRoom")),
        can_publish_sources=tuple(s for s in sources if isinstance(s, str)) if isinstance(sources, list) else None,
        granted={claim: value for claim in PERMISSIONS if (value := _bool(video.get(claim))) is not None},
    )


def b64url_json(part: str) -> object:
    """Decode one base64url JWT segment into JSON; raise ValueError when it is not one."""
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return jsonload.loads(raw)
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not a base64url JSON segment") from exc


def header_of(token: str) -> dict[str, Any] | None:
    """The JOSE header of a JWT-shaped value (its first segment): a JSON object naming an algorithm, or None."""
    try:
        header = b64url_json(token.split(".", 1)[0])
    except ValueError:
        return None
    return header if isinstance(header, dict) and "alg" in header else None


def is_jwt(value: str) -> bool:
    """A JWT begins with a header that decodes to a JSON object naming an algorithm (the rest may be cut off)."""
    return header_of(value) is not None


def signature_length(token: str) -> int | None:
    """How long the signature of a JWT with this header must be, when its algorithm says so."""
    header = header_of(token)
    alg = header.get("alg") if header else None
    return SIGNATURE_LENGTHS.get(alg) if isinstance(alg, str) else None


def _parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str] | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = b64url_json(parts[0])
        payload = b64url_json(parts[1])
    except ValueError:
        return None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        return None
    return header, payload, parts[2]


# (claim, field, reader) for the claims that hold one value: a string, a secret string or a time.
_SCALAR_CLAIMS: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
    ("iss", "issuer", _str),
    ("sub", "identity", _str),
    ("jti", "jwt_id", _str),
    ("name", "name", _secret),
    ("kind", "kind", _str),
    ("nbf", "not_before", _time),
    ("exp", "expires_at", _time),
    ("metadata", "metadata", _secret),
)


def decode_claims(token: str) -> Claims | None:
    """The claims of a JWT-shaped token, or None when it is not one."""
    parts = _parts(token)
    if parts is None:
        return None
    header, payload, _ = parts
    video = payload.get("video")
    attributes = payload.get("attributes")
    return Claims(
        algorithm=_str(header.get("alg")),
        token_type=_str(header.get("typ")),
        **{name: read(payload.get(claim)) for claim, name, read in _SCALAR_CLAIMS},
        video=_grant(video) if isinstance(video, dict) else None,
        attributes=(
            {k: SecretStr(v) for k, v in attributes.items() if isinstance(v, str)}
            if isinstance(attributes, dict)
            else {}
        ),
        other_claims=tuple(sorted(k for k in payload if k not in _KNOWN_CLAIMS)),
    )


def shape_problem(token: str) -> str | None:
    """Why `token` is not a whole JWT, in words, or None when it looks whole.

    A token cut off by a hard-wrapped paste still starts `eyJ` and may still decode, so its signature must be
    at least as long as the header's algorithm makes one (`SIGNATURE_LENGTHS`, which redaction's wrap check
    reads too). The answer never quotes the token.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return f"it has {len(parts)} dot-separated part{'s' if len(parts) != 1 else ''}, not 3"
    if any(not part or not set(part) <= _B64URL for part in parts):
        return "a part is empty or holds characters that base64url does not use"
    decoded = _parts(token)
    if decoded is None:
        return "its header or claims do not decode as JSON"
    header, _, signature = decoded
    expected = signature_length(token)
    if expected is not None and len(signature) < expected:
        return f"its signature is {len(signature)} characters; {header['alg']} signatures are {expected}"
    return None


def is_whole(token: str) -> bool:
    return shape_problem(token) is None


def signature_complete(token: str) -> bool:
    """Nothing is missing at the end: a third segment as long as the header's algorithm makes a signature (any
    length when the header does not say). What a hard-wrap join asks of the value it has built so far."""
    parts = token.split(".")
    if len(parts) < 3 or not parts[2]:
        return False
    expected = signature_length(token)
    return expected is None or len(parts[2]) >= expected


def trimmed(token: str) -> str | None:
    """`header.payload.signature` with the signature cut to its algorithm's length (what follows a whole token
    on a wrapped line is not part of it); None unless the header names an algorithm and the payload decodes to
    a JSON object."""
    parts = token.split(".")
    if len(parts) < 3 or header_of(token) is None:
        return None
    try:
        payload = b64url_json(parts[1])
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    expected = signature_length(token)
    signature = parts[2][:expected] if expected else parts[2]
    return f"{parts[0]}.{parts[1]}.{signature}"
