"""Mint LiveKit-style room tokens for tests and sample logs, with the standard library only.

LiveKit room tokens are HS256 JWTs signed with the project's API secret. This module builds them the way
LiveKit's server SDKs do, so that loglens can be tested against realistic tokens without a network, a real
secret or a third-party package:

* header ``{"alg":"HS256","typ":"JWT"}`` (Go and Python SDKs), or ``{"alg":"HS256"}`` with the Node SDK
  (``node_style=True``), which also sets ``jti`` to the identity;
* claims ``iss`` (the API key id, ``API`` + 12 characters), ``sub`` (the participant identity), ``nbf``,
  ``exp``, optional ``name``, ``metadata`` (a string) and ``attributes`` (a string map), and the ``video``
  grant ``{"roomJoin": true, "room": ..., "canPublish": true, "canSubscribe": true, "canPublishData": true}``;
* every part base64url-encoded without padding; the signature is HMAC-SHA256 (43 characters).

Go-style tokens carry their claims in sorted key order (go-jose marshals a map); Node-style tokens keep the
order in which the Node SDK assigns them. Both are compact JSON. Nothing here reads the clock: ``exp`` and
``nbf`` are always given, so a token minted from the same arguments is the same string every time.

The default key and secret are fake and grant nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import TypeAlias

__all__ = ["decode_claims", "mint_token"]

JsonValue: TypeAlias = "str | int | bool | dict[str, JsonValue]"


def _b64url(data: bytes) -> str:
    """Base64url without padding, as JWT requires."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _json(value: Mapping[str, JsonValue]) -> bytes:
    """Compact JSON (no spaces), UTF-8, non-ASCII kept as is, keys in the order given."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def mint_token(
    *,
    identity: str,
    room: str,
    exp: int,
    nbf: int,
    api_key: str = "APIfake0000001",
    secret: str = "fake-secret-not-real",
    name: str | None = None,
    metadata: str | None = None,
    attributes: Mapping[str, str] | None = None,
    node_style: bool = False,
    room_join: bool = True,
) -> str:
    """Return a signed HS256 room token for ``identity`` in ``room``.

    ``exp`` and ``nbf`` are Unix seconds. ``room_join=False`` leaves ``roomJoin`` out of the grant (Go and
    Node omit a false permission), which makes a token that cannot join a room.
    """
    video: dict[str, JsonValue] = {}
    if room_join:
        video["roomJoin"] = True
    video.update({"room": room, "canPublish": True, "canSubscribe": True, "canPublishData": True})

    claims: dict[str, JsonValue] = {}
    if name is not None:
        claims["name"] = name
    if metadata is not None:
        claims["metadata"] = metadata
    if attributes is not None:
        attrs: dict[str, JsonValue] = {}
        for key in attributes if node_style else sorted(attributes):
            attrs[key] = attributes[key]
        claims["attributes"] = attrs
    claims["video"] = video
    claims["iss"] = api_key
    claims["exp"] = exp
    claims["nbf"] = nbf
    claims["sub"] = identity
    if node_style:
        claims["jti"] = identity

    if not node_style:
        # go-jose marshals the claims as a map (sorted keys); the video grant stays a struct (field order).
        claims = {key: claims[key] for key in sorted(claims)}
    header: dict[str, JsonValue] = {"alg": "HS256"} if node_style else {"alg": "HS256", "typ": "JWT"}
    signing_input = _b64url(_json(header)) + "." + _b64url(_json(claims))
    signature = hmac.new(secret.encode("utf-8"), signing_input.encode("ascii"), hashlib.sha256).digest()
    return signing_input + "." + _b64url(signature)


def decode_claims(token: str) -> dict[str, object]:
    """Read a token's claims without checking the signature (what loglens may do; proves nothing)."""
    payload = token.split(".")[1]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    claims = json.loads(raw)
    if not isinstance(claims, dict):
        raise ValueError("token payload is not a JSON object")
    return claims
