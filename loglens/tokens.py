"""Read a LiveKit room token's claims locally. Decoding proves nothing about validity; it never leaves here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import Field

from loglens.detectors import b64url_json
from loglens.models import Frozen


class VideoGrant(Frozen):
    """The `video` grant of a LiveKit token (only the parts loglens reasons about)."""

    room: str | None = None
    room_join: bool | None = None
    can_publish: bool | None = None
    can_subscribe: bool | None = None


class Claims(Frozen):
    """What a LiveKit token says about itself. `iss` is the LiveKit API key id, which is not a secret."""

    issuer: str | None = None
    identity: str | None = Field(default=None, description="`sub`: the participant identity.")
    name: str | None = None
    not_before: datetime | None = None
    expires_at: datetime | None = None
    video: VideoGrant | None = None
    has_metadata: bool = False
    algorithm: str | None = None

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


def decode_claims(token: str) -> Claims | None:
    """The claims of a JWT-shaped token, or None when it is not one."""
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
    video = payload.get("video")
    grant = None
    if isinstance(video, dict):
        room = video.get("room")
        grant = VideoGrant(
            room=room if isinstance(room, str) else None,
            room_join=_bool(video.get("roomJoin")),
            can_publish=_bool(video.get("canPublish")),
            can_subscribe=_bool(video.get("canSubscribe")),
        )
    sub, iss, name = payload.get("sub"), payload.get("iss"), payload.get("name")
    alg = header.get("alg")
    return Claims(
        issuer=iss if isinstance(iss, str) else None,
        identity=sub if isinstance(sub, str) else None,
        name=name if isinstance(name, str) else None,
        not_before=_time(payload.get("nbf")),
        expires_at=_time(payload.get("exp")),
        video=grant,
        has_metadata=bool(payload.get("metadata")),
        algorithm=alg if isinstance(alg, str) else None,
    )
