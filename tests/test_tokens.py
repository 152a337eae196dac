"""Decoding LiveKit room tokens: real ones from LiveKit's Python server SDK, Node-style ones, broken ones."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from livekit import api

from loglens.tokens import (
    Claims,
    decode_claims,
    is_jwt,
    is_whole,
    shape_problem,
    signature_complete,
    signature_length,
    trimmed,
)
from tests.support.tokens import mint_token

KEY = "APIq7Rk2Lm9Xw4Z"
SECRET = "test-secret-0123456789-abcdefghijklmnop"
LONG_IDENTITY = "device-" + "x7" * 600  # 1,207 characters: identities are not length-limited


def sdk_token(
    identity: str = "player-1",
    *,
    room: str = "convai-room-1",
    ttl: timedelta = timedelta(hours=6),
    grants: api.VideoGrants | None = None,
    name: str | None = None,
    metadata: str | None = None,
    attributes: dict[str, str] | None = None,
    kind: str | None = None,
) -> str:
    """A token minted by LiveKit's own Python server SDK, exactly as a Convai backend would."""
    token = api.AccessToken(KEY, SECRET).with_identity(identity).with_ttl(ttl)
    token = token.with_grants(grants or api.VideoGrants(room_join=True, room=room))
    if name is not None:
        token = token.with_name(name)
    if metadata is not None:
        token = token.with_metadata(metadata)
    if attributes is not None:
        token = token.with_attributes(attributes)
    if kind is not None:
        token = token.with_kind(kind)  # type: ignore[arg-type]
    return token.to_jwt()


def decoded(token: str) -> Claims:
    claims = decode_claims(token)
    assert claims is not None
    return claims


SDK_CASES: list[tuple[str, dict[str, Any]]] = [
    # the plain Convai case: identity, room, roomJoin
    ("plain", {}),
    # end-user metadata as a JSON string, as Convai puts the character id in it
    ("metadata", {"metadata": '{"character_id":"920f5922-6b9d","speaker":"Ada"}'}),
    # participant attributes: a string map
    ("attributes", {"attributes": {"team": "blue", "lang": "de-DE", "empty": ""}}),
    # a display name with non-ASCII characters
    ("name", {"name": "Zoë Ångström"}),
    # a long identity, longer than many whole tokens
    ("long identity", {"identity": LONG_IDENTITY}),
    # an identity with characters JSON has to escape
    ("escaped identity", {"identity": 'quote"back\\slash/ünï'}),
    # everything at once: the token runs to well over 1,500 characters
    (
        "everything",
        {
            "identity": LONG_IDENTITY,
            "name": "N",
            "metadata": "m" * 400,
            "attributes": {f"k{i}": "v" * 20 for i in range(10)},
        },
    ),
    # an agent participant, which LiveKit marks with `kind`
    ("kind", {"kind": "agent"}),
]


@pytest.mark.parametrize(("label", "kwargs"), SDK_CASES, ids=[c[0] for c in SDK_CASES])
def test_claims_of_sdk_tokens_match_what_the_sdk_verifies(label: str, kwargs: dict[str, Any]) -> None:
    token = sdk_token(**kwargs)
    verified = api.TokenVerifier(KEY, SECRET).verify(token)
    claims = decoded(token)
    assert claims.issuer == KEY
    assert claims.identity == verified.identity
    assert claims.kind == (verified.kind or None)
    assert (claims.name.get_secret_value() if claims.name else "") == verified.name
    assert (claims.metadata.get_secret_value() if claims.metadata else "") == verified.metadata
    assert {k: v.get_secret_value() for k, v in claims.attributes.items()} == (verified.attributes or {})
    assert claims.video is not None and verified.video is not None
    assert claims.video.room == verified.video.room == "convai-room-1"
    assert claims.video.room_join is True
    assert claims.algorithm == "HS256" and claims.token_type == "JWT"
    assert claims.expires_at is not None and claims.not_before is not None
    assert claims.expires_at - claims.not_before == timedelta(hours=6)
    assert is_whole(token)


def test_metadata_attributes_and_name_never_show_in_repr_or_dump() -> None:
    token = sdk_token(name="Ada Lovelace", metadata="secret-meta-7731", attributes={"email": "ada@example.com"})
    claims = decoded(token)
    assert claims.has_metadata
    for text in (repr(claims), str(claims), claims.model_dump_json()):
        for value in ("Ada Lovelace", "secret-meta-7731", "ada@example.com"):
            assert value not in text


def test_grants_are_read_by_their_livekit_names() -> None:
    grants = api.VideoGrants(
        room_join=True,
        room="r",
        can_publish=False,
        can_subscribe=True,
        can_publish_data=False,
        hidden=True,
        can_update_own_metadata=True,
        can_publish_sources=["microphone"],
    )
    video = decoded(sdk_token(grants=grants)).video
    assert video is not None
    assert video.permissions() == {
        "roomJoin": True,
        "canPublish": False,
        "canSubscribe": True,
        "canPublishData": False,
        "canUpdateOwnMetadata": True,
        "hidden": True,
    }
    assert video.can_publish_sources == ("microphone",)


def test_a_token_without_room_join() -> None:
    video = decoded(sdk_token(grants=api.VideoGrants(room="r"))).video
    assert video is not None
    assert video.room_join is None
    assert "roomJoin" not in video.permissions()


NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
NOW_S = int(NOW.timestamp())

LIFETIME_CASES = [
    # valid for another hour
    (NOW_S - 3600, NOW_S + 3600, False, False),
    # expired a second ago
    (NOW_S - 3600, NOW_S - 1, True, False),
    # expires exactly now: no longer usable
    (NOW_S - 3600, NOW_S, True, False),
    # not valid for another minute
    (NOW_S + 60, NOW_S + 3600, False, True),
    # valid from exactly now
    (NOW_S, NOW_S + 3600, False, False),
]


@pytest.mark.parametrize(("nbf", "exp", "expired", "not_yet"), LIFETIME_CASES)
@pytest.mark.parametrize("node_style", [False, True], ids=["go-style", "node-style"])
def test_expired_and_not_yet_valid(nbf: int, exp: int, expired: bool, not_yet: bool, node_style: bool) -> None:
    claims = decoded(mint_token(identity="u", room="r", nbf=nbf, exp=exp, node_style=node_style))
    assert claims.expired(NOW) is expired
    assert claims.not_yet_valid(NOW) is not_yet
    assert claims.expires_at == datetime.fromtimestamp(exp, UTC)


def test_expired_sdk_token() -> None:
    claims = decoded(sdk_token(ttl=timedelta(seconds=-120)))
    assert claims.expired(datetime.now(UTC)) is True


def test_node_style_header_and_jti() -> None:
    token = mint_token(
        identity="node-user",
        room="r",
        nbf=NOW_S,
        exp=NOW_S + 60,
        node_style=True,
        metadata='{"a":1}',
        attributes={"z": "1", "a": "2"},
    )
    claims = decoded(token)
    assert claims.token_type is None and claims.algorithm == "HS256"
    assert claims.jwt_id == claims.identity == "node-user"
    assert [k for k in claims.attributes] == ["z", "a"]
    assert claims.has_metadata
    assert is_whole(token)


def test_claims_without_times_or_grant() -> None:
    # a token whose exp is a string decodes, with no expiry
    header = "eyJhbGciOiJIUzI1NiJ9"  # {"alg":"HS256"}
    payload = "eyJleHAiOiJzb29uIiwic3ViIjoieCJ9"  # {"exp":"soon","sub":"x"}
    bare = decoded(f"{header}.{payload}.{'A' * 43}")
    assert bare.expires_at is None and bare.video is None and bare.identity == "x"
    assert bare.expired(NOW) is None and bare.not_yet_valid(NOW) is None


WHOLE = mint_token(identity="u", room="r", nbf=NOW_S, exp=NOW_S + 60)

SHAPE_CASES = [
    # a whole token
    (WHOLE, None),
    # the signature lost its last character (a cut-off paste)
    (WHOLE[:-1], "signature is 42 characters"),
    # cut right after the second dot
    (WHOLE[: WHOLE.rindex(".") + 1], "empty"),
    # cut inside the claims
    (WHOLE[: WHOLE.index(".") + 20], "2 dot-separated parts"),
    # only the header
    (WHOLE[:20], "1 dot-separated part,"),
    # a space inside
    (WHOLE[:50] + " " + WHOLE[51:], "characters that base64url does not use"),
    # base64url, but the claims are not JSON
    ("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24." + "A" * 43, "do not decode"),
    # four parts
    (WHOLE + ".AAAA", "4 dot-separated parts"),
]


@pytest.mark.parametrize(("token", "problem"), SHAPE_CASES)
def test_shape_problem(token: str, problem: str | None) -> None:
    found = shape_problem(token)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found
        assert token not in found


def _segment(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


HS512 = _segment({"alg": "HS512"}) + "." + _segment({"sub": "x"})
NO_ALG = _segment({"typ": "JWT"}) + "." + _segment({"sub": "x"})
HEAD, BODY, SIG = WHOLE.split(".")
NODE = mint_token(identity="u", room="r", nbf=NOW_S, exp=NOW_S + 60, node_style=True)

# (value, is_jwt, signature_length, signature_complete, trimmed): the one reading of "a whole JWT" that
# analyze, livekit, check and redaction's wrap join share
JWT_CASES: list[tuple[str, bool, int | None, bool, str | None]] = [
    (WHOLE, True, 43, True, WHOLE),  # a whole HS256 token
    (NODE, True, 43, True, NODE),  # the Node SDK's header has no `typ`
    ("eyJub3QgYSBqd3Q.x.y", False, None, True, None),  # a header that decodes, but names no algorithm
    (WHOLE[:-1], True, 43, False, WHOLE[:-1]),  # its signature lost a character: decodes, but is not complete
    (WHOLE + "AAAA", True, 43, True, WHOLE),  # what a wrapped line put after it is cut off
    (f"{HEAD}.{BODY}.", True, 43, False, f"{HEAD}.{BODY}."),  # cut right after the second dot
    (HEAD, True, 43, False, None),  # only the header: a JWT begins, but there is nothing to trim
    (f"{HEAD}.{BODY[:-3]}.{SIG}", True, 43, True, None),  # claims that no longer decode
    (HS512 + "." + "A" * 86, True, 86, True, HS512 + "." + "A" * 86),  # another algorithm, another length
    (HS512 + "." + "A" * 43, True, 86, False, HS512 + "." + "A" * 43),  # ... where 43 characters are short
    (NO_ALG + ".sig", False, None, True, None),  # a header without an algorithm is no JWT
    ("a.b.c", False, None, True, None),  # three parts that are not base64 JSON
    ("", False, None, False, None),  # nothing
]


@pytest.mark.parametrize(("value", "jwt", "length", "complete", "trim"), JWT_CASES)
def test_the_one_definition_of_a_whole_jwt(
    value: str, jwt: bool, length: int | None, complete: bool, trim: str | None
) -> None:
    assert (is_jwt(value), signature_length(value), signature_complete(value), trimmed(value)) == (
        jwt,
        length,
        complete,
        trim,
    )


NOT_TOKENS = [
    "",  # empty
    "eyJ",  # a prefix only
    "a.b.c",  # three parts that are not base64 JSON
    "eyJhbGciOiJIUzI1NiJ9.WzEsMl0.sig",  # claims that are a JSON list, not an object
    "W10.eyJzdWIiOiJ4In0.sig",  # a header that is a JSON list
]


@pytest.mark.parametrize("text", NOT_TOKENS)
def test_decode_claims_rejects_what_is_not_a_jwt(text: str) -> None:
    assert decode_claims(text) is None


@given(st.text(max_size=300))
def test_decoding_never_raises(text: str) -> None:
    decode_claims(text)
    shape_problem(text)
    trimmed(text)
    signature_complete(text)


@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_out_of_range_times_are_dropped(value: int) -> None:
    payload = base64.urlsafe_b64encode(json.dumps({"exp": value, "nbf": value}).encode()).rstrip(b"=").decode()
    claims = decoded(f"eyJhbGciOiJIUzI1NiJ9.{payload}.{'A' * 43}")
    if claims.expires_at is not None:
        assert int(claims.expires_at.timestamp()) == value


# (the SDK's keyword, the claim name in the token) for every yes/no grant loglens reads, in LiveKit's order
YES_NO_GRANTS = [
    ("room_join", "roomJoin"),
    ("can_publish", "canPublish"),
    ("can_subscribe", "canSubscribe"),
    ("can_publish_data", "canPublishData"),
    ("can_update_own_metadata", "canUpdateOwnMetadata"),
    ("hidden", "hidden"),
    ("recorder", "recorder"),
    ("agent", "agent"),
    ("room_create", "roomCreate"),
    ("room_list", "roomList"),
    ("room_record", "roomRecord"),
    ("room_admin", "roomAdmin"),
    ("ingress_admin", "ingressAdmin"),
]


@pytest.mark.parametrize("value", [True, False])
def test_every_yes_no_grant_is_read_in_livekits_order(value: bool) -> None:
    grants = api.VideoGrants(room="r", **{keyword: value for keyword, _ in YES_NO_GRANTS})
    video = decoded(sdk_token(grants=grants)).video
    assert video is not None
    assert list(video.permissions().items()) == [(claim, value) for _, claim in YES_NO_GRANTS]
    assert video.room_join is value
