"""Sessions rebuilt from the lifecycle lines: where one begins, what it holds, how it ended."""

from __future__ import annotations

import io
import itertools
import json
import string
import tomllib
from datetime import UTC, datetime
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from loglens import credentials, timeline
from loglens import models as m
from loglens.credentials import CARRIED, Credentials, credentials_of, host_of
from loglens.parse import parse_entries
from loglens.render.report import write_text
from loglens.render.words import STARTED_BY
from loglens.report import analyze
from loglens.sessions import Session, SessionBuilder, SessionStart
from loglens.sources import LineReader
from loglens.timeline import PHRASES, Phrases
from tests.conftest import ROOT
from tests.support.spy import first_arguments
from tests.support.tokens import mint_token

CHAR = "9f1c2b3a-0001"
ADAPTER = "[Info][SDK]: [RoomConnectionRuntimeAdapter]"
TOKEN = mint_token(identity="u-7", room="room-from-token", exp=1_900_000_000, nbf=1_899_990_000)
FRESH = mint_token(identity="u-7", room="room-fresh", exp=1_900_003_600, nbf=1_899_999_000)

# Short names for the lifecycle lines, so that each table row reads as a story.
LINES = {
    "boot": "[10:00:00.000][Info][Bootstrap]: Convai Bootstrapper: Initializing...",
    "ready": "[10:00:00.010][Info][Bootstrap]: Convai Bootstrapper: Initialization complete.",
    "a1": f"[10:00:01.000]{ADAPTER} Attempt 1 connecting character {CHAR} (mode=create)",
    "a2": f"[10:00:02.000]{ADAPTER} Attempt 2 connecting character {CHAR} (mode=create)",
    "a3": f"[10:00:04.000]{ADAPTER} Attempt 3 connecting character {CHAR} (mode=create)",
    "a4": f"[10:00:08.000]{ADAPTER} Attempt 4 connecting character {CHAR} (mode=create)",
    "gave-up": f"[10:00:09.000][Error][SDK]: [RoomConnectionRuntimeAdapter] Failed to connect character {CHAR} after "
    "retry exhaustion.",
    "token": f"[10:00:01.500][Debug][Transport]: Token: {TOKEN}; Room Name: room-1; Room URL: "
    "wss://convai-technologies-lfslae7c.livekit.cloud; Session ID: s-1; Character Session ID: cs-1",
    "fresh-token": f"[10:00:41.500][Debug][Transport]: Token: {FRESH}; Room Name: room-2; Room URL: "
    "wss://convai-technologies-lfslae7c.livekit.cloud; Session ID: s-2; Character Session ID: cs-1",
    "started": "[10:00:01.600][Debug][SDK]: [SessionMetrics] Session started",
    "ok": f"[10:00:01.700][Info][SDK]: [RoomConnectionRuntimeAdapter] Character {CHAR} connected successfully "
    "(mode=create).",
    "timeout": "[10:00:01.100][Warning][SDK]: [SessionMetrics] Session error: connection.timeout",
    "ice": "[10:00:30.000][Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed",
    "r1": "[10:00:31.000][Debug][SDK]: [SessionMetrics] Reconnection attempt #1",
    "r2": "[10:00:33.000][Debug][SDK]: [SessionMetrics] Reconnection attempt #2",
    "r3": "[10:00:37.000][Debug][SDK]: [SessionMetrics] Reconnection attempt #3",
    "r-failed": "[10:00:38.000][Warning][SDK]: [SessionMetrics] Reconnection failed (error: transport.ice_failed)",
    "r-ok": "[10:00:42.000][Info][SDK]: [SessionMetrics] Reconnection successful (attempt #1, success rate: 100%)",
    "ended": "[10:05:00.000][Info][SDK]: [SessionMetrics] Session ended (user disconnect): duration=299.0s",
    "joined": "[10:00:42.000][Debug][Transport]: Connected to room via transport.",
    "noise": "Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.",
}


BOOT, METRICS, AGAIN, FIRST_CONNECT, ACTIVITY = (
    "bootstrap",
    "session-started",
    "connect-again",
    "connect-attempt",
    "first-activity",
)


def build(*names: str) -> list[Session]:
    """Sessions of a log made of the named lines, one per line, in order."""
    data = ("\n".join(LINES[n] for n in names) + "\n").encode()
    builder = SessionBuilder()
    for entry in parse_entries(LineReader(io.BytesIO(data))):
        builder.add(entry)
    return builder.sessions()


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        # one Play run, one connect
        (("boot", "ready", "a1", "token", "started", "ok"), [(1, BOOT)]),
        # the Bootstrapper initializing again is a new Play run
        (
            ("boot", "a1", "ok", "boot", "a1", "ok"),
            [(1, BOOT), (4, BOOT)],
        ),
        # SessionMetrics starting after an earlier session ended
        (
            ("started", "ok", "ended", "started", "ok"),
            [(1, METRICS), (4, METRICS)],
        ),
        # connect attempt 1 after an earlier connect: the app connected again
        (("a1", "timeout", "a2", "ok", "a1", "ok"), [(1, FIRST_CONNECT), (5, AGAIN)]),
        # retries 2..4 stay in their session
        (("boot", "a1", "timeout", "a2", "timeout", "a3", "timeout", "a4", "ok"), [(1, BOOT)]),
        # a reconnect that calls the Connect API again (attempt 1, fresh credentials) stays in its session
        (("boot", "a1", "token", "ok", "ice", "r1", "a1", "fresh-token", "r-ok"), [(1, BOOT)]),
        # so does a SessionMetrics start during the reconnect
        (("a1", "started", "ok", "ice", "r1", "started", "r-ok"), [(1, FIRST_CONNECT)]),
        # after reconnecting gave up, connect attempt 1 is the app starting over
        (
            ("a1", "ok", "ice", "r1", "r-failed", "r2", "r-failed", "r3", "r-failed", "a1", "ok"),
            [(1, FIRST_CONNECT), (10, AGAIN)],
        ),
        # a reconnect that ends with the transport joining the room is over: a later attempt 1 is a new connect
        (
            ("a1", "ok", "ice", "r1", "joined", "a1", "ok"),
            [(1, FIRST_CONNECT), (6, AGAIN)],
        ),
        # noise before the first Convai line does not start a session
        (("noise", "noise", "token", "ok"), [(3, ACTIVITY)]),
        # no Convai lifecycle line at all: no session
        (("noise",), []),
    ],
)
def test_where_sessions_begin(story: tuple[str, ...], expected: list[tuple[int, SessionStart]]) -> None:
    assert [(s.start_line, s.started_by) for s in build(*story)] == expected


@pytest.mark.parametrize(
    ("story", "outcome"),
    [
        # connected and nothing went wrong after
        (("a1", "ok"), "connected"),
        # ended by the app or the user
        (("a1", "ok", "ended"), "ended"),
        # the SDK said it gave up
        (("a1", "timeout", "gave-up"), "retries-exhausted"),
        # four attempts, the last one failed, nothing connected after it
        (("a1", "timeout", "a2", "timeout", "a3", "timeout", "a4", "timeout"), "retries-exhausted"),
        # the fourth attempt connected
        (("a1", "timeout", "a2", "timeout", "a3", "timeout", "a4", "ok"), "connected"),
        # three reconnection attempts, the last failed
        (("a1", "ok", "ice", "r1", "r-failed", "r2", "r-failed", "r3", "r-failed"), "reconnect-exhausted"),
        # ... even when SessionMetrics then closes the session
        (("a1", "ok", "ice", "r1", "r-failed", "r2", "r-failed", "r3", "r-failed", "ended"), "reconnect-exhausted"),
        # two failed reconnection attempts and the log stops: it failed, but the SDK may still be trying
        (("a1", "ok", "ice", "r1", "r-failed", "r2", "r-failed"), "failed"),
        # an error after connecting that nothing recovered from
        (("a1", "ok", "ice"), "failed"),
        # an error after connecting, then a successful reconnect
        (("a1", "ok", "ice", "r1", "r-ok"), "connected"),
        # still trying when the log ends
        (("a1",), "in-progress"),
        # a Bootstrapper and nothing else
        (("boot", "ready"), "not-started"),
    ],
)
def test_how_a_session_ended(story: tuple[str, ...], outcome: str) -> None:
    (session,) = build(*story)
    assert session.outcome == outcome


def test_a_session_records_attempts_mode_errors_and_reconnects() -> None:
    (s,) = build("boot", "a1", "timeout", "a2", "token", "ok", "ice", "r1", "r-failed", "r2", "fresh-token", "r-ok")
    assert s.connect_attempts == 2 and s.connect_mode == "create" and s.character_ids == (CHAR,)
    assert s.connected
    assert [(e.code, e.lines) for e in s.errors] == [("connection.timeout", (3,)), ("transport.ice_failed", (7, 9))]
    assert s.last_error == "transport.ice_failed"
    assert (s.reconnect_attempts, s.reconnect_sequences, s.reconnects_succeeded, s.reconnects_failed) == (2, 1, 1, 1)
    assert [c.room_name for c in s.credentials] == ["room-1", "room-2"]  # the reconnect's fresh pair stays here


def test_reconnect_sequences_count_the_drops() -> None:
    (s,) = build("a1", "ok", "ice", "r1", "r-ok", "ice", "r1", "r-failed", "r2", "r-ok", "ice", "r1", "r-ok")
    assert s.reconnect_sequences == 3 and s.reconnects_succeeded == 3 and s.outcome == "connected"


def test_credentials_come_with_the_tokens_own_claims() -> None:
    (s,) = build("a1", "token", "ok")
    (c,) = s.credentials
    assert c.livekit_host == "convai-technologies-lfslae7c.livekit.cloud"
    assert c.token_room == "room-from-token"
    assert c.issuer == "APIfake0000001"
    assert c.expires_at == datetime.fromtimestamp(1_900_000_000, tz=UTC)
    assert c.not_before == datetime.fromtimestamp(1_899_990_000, tz=UTC)
    assert c.token is not None and c.token.get_secret_value() == TOKEN
    assert TOKEN not in repr(c) and TOKEN not in s.model_dump_json()


def test_each_distinct_token_is_decoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A session's retries log the same token again and again: its claims are read once per log, and every
    credentials row still carries them."""
    decoded = first_arguments(monkeypatch, credentials, "decode_claims")
    story = build("a1", "token", "ok", "ice", "r1", "token", "r-ok", "r2", "fresh-token", "token", "r-ok")
    assert sorted(set(decoded)) == sorted({TOKEN, FRESH}) and len(decoded) == 2
    rooms = [c.token_room for s in story for c in s.credentials]
    assert rooms == ["room-from-token", "room-from-token", "room-fresh", "room-from-token"]


def test_credentials_of_ignores_other_events() -> None:
    entry = next(iter(parse_entries(LineReader(io.BytesIO(LINES["ok"].encode())))))
    assert credentials_of(entry) is None


@pytest.mark.parametrize(
    ("url", "host"),
    [
        # Convai's LiveKit Cloud project
        ("wss://convai-technologies-lfslae7c.livekit.cloud", "convai-technologies-lfslae7c.livekit.cloud"),
        # a path and a port do not belong to the host
        ("wss://rtc.example.org:7880/rtc?x=1", "rtc.example.org"),
        # no URL
        (None, None),
        # not a URL at all
        ("", None),
        # a broken IPv6 literal must not raise
        ("wss://[::1", None),
    ],
)
def test_host_of(url: str | None, host: str | None) -> None:
    assert host_of(url) == host


def test_timeline_items_carry_time_event_outcome_and_code() -> None:
    (s,) = build("a1", "timeout", "a2", "ok")
    assert [(i.line, i.time, i.event, i.mark, i.code) for i in s.timeline] == [
        (1, "10:00:01.000", "connect-attempt", "info", None),
        (2, "10:00:01.100", "session-error", "failed", "connection.timeout"),
        (3, "10:00:02.000", "connect-attempt", "info", None),
        (4, "10:00:01.700", "connect-succeeded", "ok", None),
    ]


def test_json_sessions_carry_the_timeline_the_text_shows() -> None:
    data = ("\n".join(LINES[n] for n in ("boot", "a1", "token", "ok", "ice", "r1", "r-ok")) + "\n").encode()
    report = analyze(LineReader(io.BytesIO(data)))
    payload = json.loads(report.model_dump_json())
    (session,) = payload["sessions"]
    assert [i["text"] for i in session["timeline"]] == [i.text for i in report.sessions[0].timeline]
    assert session["outcome"] == "connected" and session["reconnect_sequences"] == 1
    assert session["credentials"][0]["token"] == "**********"
    out = io.StringIO()
    write_text(report, out, color=False, width=200)
    text = out.getvalue()
    for item in report.sessions[0].timeline:
        assert item.text in text
    assert TOKEN not in json.dumps(payload) and TOKEN not in text


STORY_LINES = sorted(LINES)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(STORY_LINES), max_size=40))
def test_sessions_are_ordered_and_never_overlap(story: list[str]) -> None:
    sessions = build(*story) if story else []
    for s in sessions:
        assert s.start_line <= s.end_line
        assert all(s.start_line <= i.line <= s.end_line for i in s.timeline)
    for before, after in itertools.pairwise(sessions):
        assert before.end_line < after.start_line
        assert after.index == before.index + 1


def test_the_token_summary_twin_of_room_details_takes_one_timeline_row() -> None:
    details = (
        f'[10:00:01.400][Debug][Transport]: Room details received: {{"token":"{TOKEN}","room_name":"room-1",'
        '"room_url":"wss://convai-technologies-lfslae7c.livekit.cloud","session_id":"s-1"}'
    )
    LINES["details"] = details
    try:
        (s,) = build("a1", "details", "token", "ok", "ice", "r1", "fresh-token", "r-ok")
    finally:
        del LINES["details"]
    rows = [i.text for i in s.timeline if i.event in ("room-details", "token-summary")]
    assert rows == ["credentials received for room room-1", "credentials received for room room-2"]
    assert [c.line for c in s.credentials] == [2, 3, 7]  # every pair is still kept as credentials


def test_every_session_start_has_the_reports_words() -> None:
    """The JSON names what opened a session; the text report words it, for every member."""
    assert set(STARTED_BY) == set(get_args(SessionStart))
    assert len(set(STARTED_BY.values())) == len(STARTED_BY)


def test_event_kinds_are_exactly_the_models_tags() -> None:
    """Each event model is tagged by its own `EventKind` member, so timeline items and rules compare members."""
    models = get_args(get_args(m.Event)[0])
    tags = [kind for cls in models for kind in m.kinds_of(cls)]
    assert all(isinstance(tag, m.EventKind) for tag in tags)
    assert sorted(tags) == sorted(m.EventKind)
    assert all(m.EVENT_MODELS[kind] is cls for cls in models for kind in m.kinds_of(cls))


@pytest.mark.parametrize("kind", sorted(PHRASES))
def test_timeline_templates_name_only_plain_fields(kind: m.EventKind) -> None:
    """A phrase template may name a number or a masked string of its own event, never a secret field."""
    template, model = PHRASES[kind][0], m.EVENT_MODELS[kind]
    for _, name, _, _ in string.Formatter().parse(template):
        if name:
            assert name in model.model_fields, f"{model.__name__} has no field {name}"
            assert "SecretStr" not in str(model.model_fields[name].annotation)


@pytest.mark.parametrize(
    "data",
    [
        {"phrases": {"no-such-kind": {"text": "x", "mark": "ok"}}, "bootstrap": {}},  # a kind no event has
        {"phrases": {"session-started": {"text": "x", "mark": "good"}}, "bootstrap": {}},  # a mark no view shows
        {"phrases": {}, "bootstrap": {"no-such-stage": {"text": "x", "mark": "ok"}}},  # a stage the parser never reads
        {"phrases": {"session-started": {"mark": "ok"}}, "bootstrap": {}},  # a phrase without its words
    ],
)
def test_timeline_words_are_validated(data: dict[str, object]) -> None:
    """`timeline.toml` is checked on load: a typo in it is an error, not a phrase that silently never shows."""
    with pytest.raises(ValidationError):
        Phrases.model_validate(data)


def test_every_timeline_phrase_is_loaded() -> None:
    """Each row of `timeline.toml` reaches the tables `describe` reads, keyed by its event model or stage."""
    raw = tomllib.loads((ROOT / "loglens" / "timeline.toml").read_text(encoding="utf-8"))
    assert {m.EventKind(k): (v["text"], v["mark"]) for k, v in raw["phrases"].items()} == PHRASES
    assert {k: (v["text"], v["mark"]) for k, v in raw["bootstrap"].items()} == timeline._BOOTSTRAP_PHRASES


@pytest.mark.parametrize("model", [m.RoomDetails, m.TokenSummary, Credentials])
def test_carried_credential_fields_exist_on_both_sides(model: type[m.Frozen]) -> None:
    assert set(CARRIED) <= set(model.model_fields)
