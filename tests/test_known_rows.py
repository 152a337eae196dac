"""Rows a block screen found nothing in (`memo.KnownRows`): a screen that takes them picks the lines a fresh screen
picks, block after block and in the re-scan after redaction; a screen set up otherwise never takes them."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from loglens.detectors import DETECTORS, STRICT_DETECTORS, DetectorSet
from loglens.memo import LONG_ROW, ROW_COST, KnownRows
from loglens.redaction.checked import MemoryDestination, redact_checked
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions, build_rules
from loglens.redaction.scan import BlockScreen
from loglens.redaction.verify import Checker, verify
from tests.support.tokens import mint_token

DEFAULT = DetectorSet(DETECTORS)
RESCAN = DetectorSet((*DETECTORS, *STRICT_DETECTORS))


def test_known_rows_stop_at_their_budget_and_skip_long_rows() -> None:
    known = KnownRows("setting", budget=2 * (ROW_COST + 4) + ROW_COST + 5)
    known.add([b"abcd", b"abcd", b"x" * (LONG_ROW + 1), b"efgh"])
    assert b"abcd" in known and b"efgh" in known and len(known) == 2
    assert b"x" * (LONG_ROW + 1) not in known
    known.add([b"ijklm", b"n"])  # `ijklm` does not fit: nothing more is kept from there on
    assert b"ijklm" not in known and b"n" not in known and len(known) == 2
    assert known.unknown([b"n", b"abcd", b"ijklm"]) == [b"n", b"ijklm"]


# rows that a gate, a lead, a shape, an escape or a base64 run picks, rows that only look like them, and plain ones
ROW_PIECES = [b"\n", b"\n", b"\n", b"user", b"Users", b"C:\\Users\\", b"key", b"API key: ", b"0123456789abcdef" * 2,
              b"@", b"com.convai.sdk@4.2.1/", b"bob@studio.io", b"Ke\\u0079: ", b"%41", b"&#", b"\xc2\xa0",
              b"eyJhbGciOiJIUzI1NiJ9", b"198.51.100.4", b"token", b"Token: ", b"frame ()", b" ", b"x"]  # fmt: skip
_blocks = st.lists(st.lists(st.sampled_from(ROW_PIECES), max_size=24).map(b"".join), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(_blocks)
def test_a_screen_that_knows_rows_picks_what_a_fresh_screen_picks(blocks: list[bytes]) -> None:
    shared = BlockScreen(DEFAULT, "surrogateescape")
    for block in blocks:
        assert shared.lines(block) == BlockScreen(DEFAULT, "surrogateescape").lines(block)
    # the re-scan's screen, with the strict detectors too, takes the rows the rewrite's screen found nothing in
    rescan = BlockScreen(RESCAN, "surrogateescape", shared.known)
    assert rescan.known is shared.known
    for block in reversed(blocks):
        assert rescan.lines(block) == BlockScreen(RESCAN, "surrogateescape").lines(block)


def test_a_screen_set_up_otherwise_screens_every_row_itself() -> None:
    row = b"the build log of dragonfly-nest says nothing"
    plain = BlockScreen(DEFAULT, "surrogateescape")
    assert plain.lines(row) == {} and row in plain.known
    literal = build_rules(literals=["dragonfly-nest"]).extra
    other = BlockScreen(DetectorSet((*DETECTORS, *literal)), "surrogateescape", plain.known)
    assert other.known is not plain.known
    assert other.lines(row) == {0: len(row)}
    assert BlockScreen(DEFAULT, "replace", plain.known).known is not plain.known  # the decoding counts too


def test_the_re_scan_takes_the_rewrite_s_rows_and_still_refuses_what_it_must() -> None:
    token = mint_token(identity="player-known", room="room-known", exp=1_950_000_000, nbf=1_700_000_000)
    frame = "UnityEngine.Debug:Log (object)"
    log = "\n".join([frame, f"Token: {token}", "frame () (at Room.cs:1)"] * 3) + "\n"
    destination = MemoryDestination()
    run = redact_checked(io.BytesIO(log.encode()), destination, RedactOptions(), what_happened="kept")
    assert frame.encode() in run.screen.known and token.encode() not in destination.data
    assert not any(row in run.screen.known for row in destination.data.split(b"\n") if b"<livekit-token" in row)


def test_a_known_row_that_holds_a_piece_of_a_redacted_value_is_still_refused() -> None:
    key = "5f3c9a0e1b2d4c6e8a7b9c0d1e2f3a4b"
    _, run = redact_bytes(f"X-API-Key: {key}\n".encode())
    options = RedactOptions()
    row = f"UnityEngine.Debug:Log ({key[:20]})".encode()
    known = Checker(options.detectors(), options.rules, run.table.fragments)._screen.known
    known.add([row])  # as if a screen had found nothing in it: the pieces of values are looked for all the same
    found = verify(io.BytesIO(row + b"\n"), run.table, options, known=known)
    assert [(f.line, f.kind, f.detail) for f in found] == [(1, "api-key", "fragment")]
