"""The masking type: its only constructor masks, model fields mask what they are given, a `Masker` remembers.

Tokens are minted with LiveKit's own server SDK (see tests/test_analyze_masking.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loglens import masking
from loglens.lines import clock
from loglens.masking import Masked, Masker
from loglens.models import RoomCharacter
from tests.test_analyze_masking import EMAIL, IDENTITY, PAYLOAD, SIGNATURE, TOKEN

# --- the masking type itself -----------------------------------------------------------------------------------


def test_the_only_constructor_masks() -> None:
    assert Masked(f"token {TOKEN} for {EMAIL}") == "token <livekit-token> for <email>"
    assert Masked(Masked(f"x {TOKEN}")) == "x <livekit-token>"  # masking masked text changes nothing


def test_a_model_field_masks_a_plain_str() -> None:
    """A caller that passes raw text to a `Masked` field gets it masked, not stored."""
    character = RoomCharacter(character_id=f"{EMAIL}", session_id=TOKEN)
    assert character.character_id == "<email>" and character.session_id == "<livekit-token>"


MASKER_ROWS = {
    # a piece of a learned token, alone on a line
    "payload-piece": (TOKEN, PAYLOAD[5:40], "<livekit-token>"),
    # a piece glued to other text
    "glued": (TOKEN, "x" + SIGNATURE + ",", "x<livekit-token>,"),
    # 15 characters are not a piece
    "short": (TOKEN, "a " + PAYLOAD[:15] + " b", "a " + PAYLOAD[:15] + " b"),
    # an end-user id met in a credentials line, seen again in free text
    "end-user": (IDENTITY, f"user {IDENTITY} joined", "user <end-user-id> joined"),
}


@pytest.mark.parametrize(("secret", "text", "expected"), MASKER_ROWS.values(), ids=MASKER_ROWS.keys())
def test_the_masker_masks_pieces_of_what_it_learned(secret: str, text: str, expected: str) -> None:
    masker = Masker()
    kind = "end-user-id" if secret == IDENTITY else "livekit-token"
    with masking.active(masker):
        assert Masked(text) == text or not expected.startswith("<")  # nothing known yet: nothing to hide
        masker.learn(secret, kind)
        assert Masked(text) == expected


def test_outside_an_analysis_nothing_is_remembered() -> None:
    Masked(f"x {TOKEN}")  # seen, masked by the detectors
    assert Masked(SIGNATURE) == SIGNATURE  # but not learned: another log's masking knows nothing of this one


def _every_window(text: str, windows: set[str]) -> str:
    """What masking known pieces means, read the slow way: every 16-character window of `text` that is a piece
    the masker learned (none holds a blank) is hidden, overlapping and touching windows as one `<secret>`."""
    hidden = [False] * len(text)
    for pos in range(len(text) - masking.PIECE + 1):
        window = text[pos : pos + masking.PIECE]
        if window in windows and not any(ch.isspace() for ch in window):
            hidden[pos : pos + masking.PIECE] = [True] * masking.PIECE
    out, pos = [], 0
    while pos < len(text):
        if hidden[pos]:
            while pos < len(text) and hidden[pos]:
                pos += 1
            out.append("<secret>")
        else:
            out.append(text[pos])
            pos += 1
    return "".join(out)


# letters no detector reads as a secret (no hex, no digits, no `@`), with a token's dots and dashes
_PIECE_TEXT = st.text(alphabet="xyzXYZ.-_:/ ", min_size=16, max_size=48)
_CUT = st.tuples(st.integers(0, 2), st.integers(0, 48), st.integers(0, 48), st.text("xyzXYZ.-_:/ w", max_size=12))


@settings(max_examples=150, deadline=None)
@given(values=st.lists(_PIECE_TEXT, min_size=1, max_size=3), cuts=st.lists(_CUT, max_size=5))
def test_every_piece_of_a_learned_value_is_found_wherever_it_sits(
    values: list[str], cuts: list[tuple[int, int, int, str]]
) -> None:
    """The search for known pieces looks only near the slots that hold part of a learned value: it still finds
    every window a search at each position finds, glued to other text, cut anywhere, overlapping."""
    masker = Masker(cache_size=0)
    for value in values:
        masker.learn(value, "secret")
    text = "".join(values[i % len(values)][a : a + b] + glue for i, a, b, glue in cuts)
    assert masker.mask(text) == _every_window(text, set(masker._pieces))


# --- a head's time of day --------------------------------------------------------------------------------------

_CLOCKS = st.builds(
    lambda h, m, s, sep, frac: f"{h}:{m:02d}:{s:02d}" + (f"{sep}{frac}" if frac else ""),
    st.sampled_from([f"{n}" for n in range(10)] + [f"{n:02d}" for n in range(100)]),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(".,"),
    st.text("0123456789", max_size=6),
)


@settings(max_examples=400, deadline=None)
@given(_CLOCKS)
def test_a_time_of_day_is_what_masking_it_gives(time: str) -> None:
    """`lines.clock` takes a time as it is: the detectors find nothing in any shape of one, and a masker that has
    learned a value holding the very time (its pieces are longer than a time) leaves it alone too."""
    assert masking._ANALYZE_SET.find(time) == []
    masker, value = Masker(), f"said-at-{time}-the-passphrase"
    masker.learn(value, "player-text")
    with masking.active(masker):
        assert clock(time) == Masked(time) == time
        assert masker.mask(f"x {value} y") == "x <player-text> y"  # learned: the value is hidden


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # more than a time
        (f"12:00:00 {TOKEN}", "12:00:00 <livekit-token>"),
        # seven digits of a second: as long as a piece of a secret, so masked as any text is
        ("12:00:00.1234567", "<secret>"),
        # digits of another script are no time of day here
        ("\uff11\uff12:00:00", "\uff11\uff12:00:00"),
    ],
    ids=["token", "seven-digits", "fullwidth"],
)
def test_what_is_not_a_plain_time_of_day_is_masked(text: str, shown: str) -> None:
    masker = Masker()
    masker.learn("12:00:00.1234567-and-more", "secret")
    with masking.active(masker):
        assert clock(text) == Masked(text) == shown
