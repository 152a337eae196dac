"""Masked text that no run of the known values' characters is in stays cached while values are learned, and is
masked again once a value brings characters of its own."""

from __future__ import annotations

from loglens.masking import Masker

LOWER = "qwertyuiopasdfghjklzxcvbnm"  # a value of lowercase letters only: the runs are of those
UPPER = "QWERTYUIOPASDFGHJKLZXCVBNM"


def test_text_without_a_run_is_masked_again_when_a_value_brings_its_characters() -> None:
    masker = Masker()
    masker.learn(LOWER, "secret")
    text = f"seen {UPPER} here"  # no run of lowercase letters 16 long: nothing learned so far can be in it
    assert masker.mask(text) == text
    assert str(masker.masked(text)) == text
    masker.learn(UPPER, "secret")  # new characters: the text now holds a run, and a piece of the value
    assert masker.mask(text) == "seen <secret> here"
    assert str(masker.masked(text)) == "seen <secret> here"


def test_text_without_a_run_is_kept_while_values_of_the_same_characters_are_learned() -> None:
    masker = Masker()
    masker.learn(LOWER, "secret")
    text = "a b c d e f g h"
    shown = masker.masked(text)
    masker.learn(LOWER[::-1], "secret")  # no new character: the text still holds no run
    assert masker.masked(text) is shown  # the same object, not masked again


def test_text_with_a_run_is_masked_again_after_a_value_of_the_same_characters() -> None:
    masker = Masker()
    masker.learn(LOWER, "secret")
    text = f"say {LOWER[::-1]} now"  # a run of the known characters, that holds no piece of the first value
    assert masker.mask(text) == text
    masker.learn(LOWER[::-1], "player-text")
    assert masker.mask(text) == "say <player-text> now"
