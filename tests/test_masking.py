"""The masking type: its only constructor masks, model fields mask what they are given, a `Masker` remembers.

Tokens are minted with LiveKit's own server SDK (see tests/test_analyze_masking.py).
"""

from __future__ import annotations

import pytest

from loglens import masking
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
