"""Fuzzing, kept: every crash the coverage-guided run found, replayed, and properties over arbitrary bytes.

`python -m tests.support.fuzz` (atheris) explores; each input it crashed on is copied into tests/cases/fuzz/ and
replayed here through `exercise`, which runs every command's library path.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from loglens.errors import LoglensError
from loglens.redaction.rewrite import redact_bytes
from loglens.render.jsonout import report_json
from loglens.report import analyze
from loglens.sources import LineReader
from tests.support.exercise import exercise
from tests.support.tokens import mint_token

CASES = sorted((Path(__file__).parent / "cases" / "fuzz").glob("*"))
TOKEN = mint_token(identity="player-f", room="room-f", exp=1_950_000_000, nbf=1_700_000_000)
PLACEHOLDER = re.compile(rb"<[a-z-]+-\d+[^>]*>")

# log-shaped pieces for hypothesis to combine with arbitrary bytes
PIECES = [
    b"[Debug][Transport]: Room details received: ",
    b'{"token":"' + TOKEN.encode() + b'","room_name":"r\\ud800","end_user_metadata":[[[',
    b"[Debug][Transport]: Token: " + TOKEN.encode() + b"; Room Name: r; Room URL: wss://a.livekit.cloud",
    b"[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed",
    b"[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character c (mode=create)",
    b"<color=#ff0000>",
    b"\r",
    b"\r\n",
    b"\n",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x1b]8;;x\x1b\\",
]
LOGS = st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=40)), max_size=30).map(b"".join)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# room details whose metadata is left open, over three lines, the last without its newline: the reader hands that
# line out as a block of its own, and the open metadata of the first line reaches into it
OPEN_DETAILS = PIECES[1] + b"\r" + PIECES[1] + PIECES[0] + b"\r" + PIECES[1]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_fuzz_crash_stays_fixed(path: Path) -> None:
    exercise(path.read_bytes())


def test_every_fuzz_case_is_kept() -> None:
    assert len(CASES) >= 1


@PROPERTY
@given(LOGS)
def test_any_bytes_give_valid_json(data: bytes) -> None:
    try:
        report = analyze(LineReader(io.BytesIO(data)))
    except LoglensError:
        return
    json.loads(report_json(report))


@PROPERTY
@given(LOGS)
@example(OPEN_DETAILS)
def test_redaction_is_idempotent(data: bytes) -> None:
    try:
        once, _ = redact_bytes(data)
    except LoglensError:
        return
    twice, _ = redact_bytes(once)
    assert twice == once


@PROPERTY
@given(st.lists(st.sampled_from([p for p in PIECES if TOKEN.encode() not in p]), max_size=20).map(b"".join))
def test_bytes_outside_secrets_are_unchanged(prefix: bytes) -> None:
    """Around a token, every byte is written back as it was; the token alone becomes its placeholder."""
    data = prefix + b"\nToken: " + TOKEN.encode() + b"; rest\n" + prefix
    try:
        out, _ = redact_bytes(data)
    except LoglensError:
        return
    assert TOKEN.encode() not in out
    assert PLACEHOLDER.sub(b"T", out) == PLACEHOLDER.sub(b"T", data.replace(TOKEN.encode(), b"T"))
