"""The catalogue is data with its own tests: complete, consistent with the SDK, and self-classifying."""

from __future__ import annotations

import io

import pytest

from loglens.classify import classify
from loglens.lookup import code_list
from loglens.parse import parse_entries
from loglens.render.catalogue import write_explain
from loglens.sources import LineReader
from loglens.taxonomy import CodeInfo, load_taxonomy, parse_taxonomy

TAXONOMY = load_taxonomy()

# Every code on Convai's public error-code page.
DOCUMENTED = {
    "config.api_key_missing", "config.character_id_missing",
    "connection.connect_invalid_api_key", "connection.auth_failed", "connection.invalid_token",
    "connection.connect_invalid_session_id", "connection.connect_character_not_found",
    "connection.connect_realtime_not_allowed", "connection.connect_concurrency_limit_reached",
    "connection.connect_speaker_limit_reached", "connection.connect_bot_start_failed",
    "connection.connect_unhandled_server_exception", "connection.timeout", "connection.network_error",
    "connection.rate_limited", "connection.service_unavailable", "connection.server_error", "connection.not_found",
    "connection.bad_request", "connection.connect_validation_error", "connection.failed",
    "transport.ice_failed", "transport.peer_connection_failed", "transport.livekit_error",
    "transport.signal_disconnected",
    "server.usage_limit_reached", "server.fatal_error", "server.error",
    "session.token_expired", "session.invalid_state", "session.cancelled",
    "protocol.message_invalid", "protocol.parse_failed",
}  # fmt: skip

# Codes the SDK source defines beyond that page.
SOURCE_ONLY = {
    "config.auth_token_provider_missing", "config.auth_token_endpoint_invalid", "config.auth_token_mode_required",
    "connection.auth_token_fetch_failed", "connection.connect_multi_character_not_allowed",
    "connection.connect_multi_character_roster_limit",
    "audio.mic_unavailable", "audio.mic_permission_denied", "audio.mic_publish_failed",
    *(f"vision.{d}" for d in (
        "camera_lost", "camera_not_found", "camera_disabled", "device_not_found", "device_unavailable",
        "device_disconnected", "render_texture_failed", "gpu_resources_failed", "publish_failed",
        "room_not_connected", "track_manager_not_ready", "permission_denied", "permission_timeout",
        "frame_source_null", "already_stopped", "unknown", "device_init_timeout", "render_texture_timeout",
    )),
}  # fmt: skip

# The SDK source's IsRecoverable list: exactly these are retried.
RETRIED = {
    "connection.timeout", "connection.network_error", "connection.server_error", "connection.service_unavailable",
    "connection.rate_limited", "connection.auth_token_fetch_failed", "connection.connect_concurrency_limit_reached",
    "connection.connect_bot_start_failed", "connection.connect_unhandled_server_exception", "transport.ice_failed",
    "transport.signal_disconnected", "server.error", "vision.device_init_timeout", "vision.render_texture_timeout",
}  # fmt: skip

# The SDK's HTTP status mapping for Connect API failures.
STATUS = {
    "connection.connect_validation_error": 422,
    "connection.connect_invalid_api_key": 401,
    "connection.connect_character_not_found": 404,
    "connection.service_unavailable": 503,
}


def test_every_code_is_catalogued() -> None:
    codes = {info.code for info in TAXONOMY.codes}
    assert codes >= DOCUMENTED | SOURCE_ONLY
    assert codes - (DOCUMENTED | SOURCE_ONLY) == set(), "a code with no source"


def test_documented_flag_matches_the_page() -> None:
    assert {i.code for i in TAXONOMY.codes if i.documented} == DOCUMENTED


def test_retry_follows_the_sdk_source() -> None:
    assert {i.code for i in TAXONOMY.codes if i.retryable is True} == RETRIED
    assert {i.code for i in TAXONOMY.codes if i.retryable is None} == {"connection.failed"}


def test_speaker_limit_is_not_retried() -> None:
    """The docs page once said otherwise; the SDK source is the authority."""
    info = TAXONOMY.get("connection.connect_speaker_limit_reached")
    assert info is not None and info.retryable is False


@pytest.mark.parametrize(("code", "status"), sorted(STATUS.items()))
def test_http_status(code: str, status: int) -> None:
    info = TAXONOMY.get(code)
    assert info is not None and status in info.http_status


@pytest.mark.parametrize("info", TAXONOMY.codes, ids=lambda i: i.code)
def test_entry_is_complete(info: CodeInfo) -> None:
    assert info.meaning.strip() and info.verify.strip() and info.title.strip()
    assert info.causes and all(c.strip() for c in info.causes)
    assert info.fix and all(step.strip() for step in info.fix)
    assert TAXONOMY.category(info.category) is not None


@pytest.mark.parametrize("info", TAXONOMY.codes, ids=lambda i: i.code)
def test_example_line_classifies_to_its_own_code(info: CodeInfo) -> None:
    reader = LineReader(io.BytesIO((info.example + "\n").encode("utf-8")))
    found = [o for e in parse_entries(reader) if (o := classify(e, TAXONOMY)) is not None]
    assert [o.code for o in found] == [info.code]
    assert found[0].known and found[0].retryable == info.retryable


@pytest.mark.parametrize(
    ("gives", "shown"),
    [
        (False, "Not retried. Nothing changes until a key is entered."),
        (True, "Nothing changes until a key is entered."),
    ],
)
def test_the_entry_says_whether_its_retry_note_gives_the_verdict(gives: bool, shown: str) -> None:
    """The yes, no or depends goes before the note unless the entry says the note gives it, whatever its words."""
    info = TAXONOMY.get("config.api_key_missing")
    assert info is not None and info.retry == "no"
    info = info.model_copy(
        update={"retry_note": "Nothing changes until a key is entered.", "retry_note_gives_verdict": gives}
    )
    out = io.StringIO()
    write_explain(info, TAXONOMY, out, color=False)
    assert shown in [line.strip() for line in out.getvalue().splitlines()]
    assert all("retry_note_gives_verdict" not in code for code in code_list(TAXONOMY))  # how to show it, not data


def test_categories_are_ranked_config_first() -> None:
    order = [c.name for c in sorted(TAXONOMY.categories, key=lambda c: c.rank)]
    assert order[:3] == ["config", "connection", "transport"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # an entry missing its fix steps is rejected at load
        (
            '[[category]]\nname="x"\nrank=0\nlayer="a layer description"\n[[code]]\ncode="x.y"\ntitle="t t"\n'
            'meaning="m" \nretry="no"\ncauses=["c"]\nfix=[]\nverify="v"\nexample="e"\ndocumented=false\n',
            "fix",
        ),
        # a code whose family is not declared
        (
            '[[category]]\nname="x"\nrank=0\nlayer="a layer description"\n[[code]]\ncode="zz.y"\ntitle="ttt"\n'
            'meaning="a meaning that is long enough"\nretry="no"\ncauses=["c"]\nfix=["f"]\nverify="verify long"\n'
            'example="example line"\ndocumented=false\n',
            "category",
        ),
        # a retry value outside yes/no/depends
        (
            '[[category]]\nname="x"\nrank=0\nlayer="a layer description"\n[[code]]\ncode="x.y"\ntitle="ttt"\n'
            'meaning="a meaning that is long enough"\nretry="maybe"\ncauses=["c"]\nfix=["f"]\nverify="verify long"\n'
            'example="example line"\ndocumented=false\n',
            "retry",
        ),
        # a note said to give the verdict, without a note
        (
            '[[category]]\nname="x"\nrank=0\nlayer="a layer description"\n[[code]]\ncode="x.y"\ntitle="ttt"\n'
            'meaning="a meaning that is long enough"\nretry="no"\nretry_note_gives_verdict=true\ncauses=["c"]\n'
            'fix=["f"]\nverify="verify long"\nexample="example line"\ndocumented=false\n',
            "without a retry_note",
        ),
    ],
)
def test_invalid_catalogue_is_rejected(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_taxonomy(text)
