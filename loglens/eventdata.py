"""Events built from the data a Convai line carries: a room-details JSON, a Token summary's pairs, room-init pairs.

The grammar finds where such data begins and ends; what its keys mean, which values are secrets (learned by
the analysis under way, so their pieces are masked anywhere) and which are shown masked is decided here, away
from the transformer that handles each rule's shape.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import SecretStr

from loglens import jsonload, masking
from loglens import models as m
from loglens.detectors import clean_token
from loglens.masking import Masked, masked
from loglens.tokens import is_jwt


def _plain(value: object) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value)
    return text or None


def masked_value(value: object) -> Masked | None:
    return masked(_plain(value))


def secret_value(value: object, kind: str | None = None) -> SecretStr | None:
    """A secret value; with a `kind`, the analysis under way learns it, so its pieces are masked anywhere."""
    text = _plain(value)
    if text is None:
        return None
    if kind == "end-user-metadata":
        masking.current().learn_json(text, kind)
    elif kind is not None:
        masking.current().learn(text, kind)
    return SecretStr(text)


def token_value(value: object) -> SecretStr | None:
    """A credentials line's token, learned as the log wrote it, and kept as it was before a paste touched it
    (`detectors.clean_token`: blanks beside its dots, invisible characters and markup inside it dropped), so it
    decodes; a value that is no JWT even then is kept as written."""
    written = secret_value(value, "livekit-token")
    text = written.get_secret_value() if written is not None else ""
    clean = clean_token(text.strip())
    if clean != text and is_jwt(clean):
        return secret_value(clean, "livekit-token")
    return written


def load_room_json(blob: str) -> tuple[dict[str, Any], m.RoomDetailsForm] | None:
    """Room details are plain JSON or JSON whose quotes were escaped on the way (`{\\"token\\":...}`)."""
    try:
        value = jsonload.loads(blob)
        if isinstance(value, dict):
            return value, "json"
    except json.JSONDecodeError:
        pass
    if '\\"' in blob:
        try:
            value = jsonload.loads(json.loads('"' + blob + '"'))
            if isinstance(value, dict):
                return value, "escaped-json"
        except json.JSONDecodeError:
            pass
    return None


ROOM_KEYS = frozenset((
    "token", "room_name", "room_url", "session_id", "character_session_id", "request_trace_id", "speaker_id",
    "end_user_id", "end_user_metadata", "transport", "characters", "room_session_id", "active_membership_id",
    "route_epoch", "roster_epoch", "partial_dispatch",
))  # fmt: skip

SUMMARY_KEYS = {
    "Room Name": "room_name",
    "Room URL": "room_url",
    "Session ID": "session_id",
    "Character Session ID": "character_session_id",
    "Resolved Speaker ID (diagnostics)": "speaker_id",
    "Resolved Speaker ID": "speaker_id",
    "Request Trace ID": "request_trace_id",
    "Resolved End User ID": "end_user_id",
}

# the fields a room-details JSON and a Token summary share, shown masked
_SHOWN = tuple(n for n in m.CREDENTIAL_FIELDS if m.RoomDetails.model_fields[n].annotation == Masked | None)


def room_details_event(data: dict[str, Any], form: m.RoomDetailsForm) -> m.RoomDetails:
    token = token_value(data.get("token"))  # learned before any other field is masked
    end_user_id = secret_value(data.get("end_user_id"), "end-user-id")
    end_user_metadata = secret_value(data.get("end_user_metadata"), "end-user-metadata")
    characters = tuple(
        m.RoomCharacter(
            character_id=masked_value(c.get("character_id")),
            session_id=masked_value(c.get("session_id")),
            character_session_id=masked_value(c.get("character_session_id")),
        )
        for c in data.get("characters") or ()
        if isinstance(c, dict)
    )
    shown: dict[str, Any] = {name: masked_value(data.get(name)) for name in _SHOWN}
    return m.RoomDetails(
        form=form,
        token=token,
        url=secret_value(data.get("room_url")),
        end_user_id=end_user_id,
        end_user_metadata=end_user_metadata,
        transport=masked_value(data.get("transport")),
        characters=characters,
        other_keys=tuple(sorted(Masked(k) for k in data if k not in ROOM_KEYS)),
        **shown,
    )


def token_summary_event(token: str, pairs: tuple[tuple[str, str | None], ...]) -> m.TokenSummary:
    """The `Token: ...; Room Name: ...` summary; the first non-empty value of a key wins."""
    fields: dict[str, Any] = {}
    other: list[str] = []
    for key, value in pairs:
        name = SUMMARY_KEYS.get(key)
        if name is None:
            other.append(key)
        elif name not in fields or fields[name] is None:
            fields[name] = value
    secret = token_value(token) or SecretStr(token)
    end_user = secret_value(fields.pop("end_user_id", None), "end-user-id")
    url = secret_value(fields.get("room_url"))
    shown: dict[str, Any] = {name: masked(value) for name, value in fields.items()}
    others = tuple(Masked(key) for key in other)
    return m.TokenSummary(token=secret, end_user_id=end_user, url=url, other_keys=others, **shown)


def room_init_failure_event(pairs: dict[str, str | None]) -> m.RoomInitFailure:
    code = pairs.get("sessionErrorCode")
    status = pairs.get("responseCode")
    recoverable = pairs.get("sessionErrorRecoverable")
    return m.RoomInitFailure(
        code=masked(code if code and "." in code else None),
        failure_category=masked(pairs.get("category")),
        response_code=int(status) if status and status.lstrip("-").isdigit() else None,
        recoverable={"true": True, "false": False}.get((recoverable or "").lower()),
        error_message=masked(pairs.get("sessionErrorMessage")),
    )
