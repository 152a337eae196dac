"""What analyze remembers across a log's repeats gives what working each line out again would give.

A masker remembers what the detectors found in each distinct text for the whole analysis (learning a value no
longer sends it through the detectors again), the line parser keeps short and long lines in tiers of their own,
and the entry loop tells a line's kind once per distinct line. Each test here fails if what is remembered is used
where it no longer holds (a value learned since, another masker's log, an entry around the line that changes what
it does) or is pushed out by what will not come again.
"""

from __future__ import annotations

import io

import pytest

from loglens import api, events, masking
from loglens import models as m
from loglens.events import LineParser
from loglens.masking import Masked, Masker
from loglens.parse import parse_entries
from loglens.sources import LineReader
from tests.support.spy import first_arguments
from tests.support.tokens import mint_token
from tests.support.variants import SECRETS, pieces_of, variants
from tests.test_analyze_masking import PAYLOAD, SIGNATURE, TOKEN

# a credentials line with a token of its own: the masker learns it, so every text masked before is worked out again
OTHER = mint_token(identity="player-other-3", room="room-other", exp=1_950_000_000, nbf=1_700_000_000)
LEARN_OTHER = f"[Debug][Transport]: Token: {OTHER}; Room Name: room-other; Session ID: s-9\n"
REPEATS = [pytest.param(v.text, id=v.name) for v in variants((20, 76))]


@pytest.mark.parametrize("text", REPEATS)
def test_a_secret_line_seen_again_after_learning_leaves_no_piece(text: str) -> None:
    """Each paste shape of a credentials line, then a line that teaches the masker another token, then the paste
    twice more: the repeats come from what was remembered (detected texts, parses, line kinds), and no piece of
    a secret may reach the report."""
    report = api.analyze((text + LEARN_OTHER + text + text).encode("utf-8"))
    out = report.model_dump_json()
    assert not [p for secret in SECRETS for p in pieces_of(secret) if p in out]


def test_a_text_seen_before_a_value_is_learned_hides_its_pieces_after() -> None:
    """The detectors' findings are remembered across learning, the masked text is not: a piece of a value learned
    since is hidden the next time the same text is masked."""
    masker = Masker()
    text = f"frame ({PAYLOAD[5:40]}) at line 12"
    assert masker.mask(text) == text
    masker.learn(TOKEN, "livekit-token")
    assert masker.mask(text) == "frame (<livekit-token>) at line 12"


def test_each_masker_learns_from_a_text_another_one_has_seen() -> None:
    """What one masker remembers of a text is its own: a second analysis of the same text learns its token."""
    first, second = Masker(), Masker()
    line = f"[Debug][App]: sending token {TOKEN} now"
    assert "<livekit-token>" in first.mask(line)
    assert second.mask(f"x {SIGNATURE} y") == f"x {SIGNATURE} y"  # nothing learned by this one yet
    assert "<livekit-token>" in second.mask(line)
    assert second.mask(f"x {SIGNATURE} y") == "x <livekit-token> y"


def test_the_detected_texts_a_masker_keeps_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(masking, "FOUND_SIZE", 8)
    masker = Masker()
    for number in range(50):
        masker.mask(f"Loaded scene {number} in {number * 3} ms")
    assert 0 < len(masker._found) <= 8


def test_a_masked_text_is_not_reused_once_a_value_is_learned() -> None:
    """Frames and noise lines get the same `Masked` object while nothing new is learned, a new one after."""
    masker = Masker()
    text = f"noise ({PAYLOAD[5:40]}) line"
    with masking.active(masker):
        before = Masked(text)
        assert Masked(text) is before and before == text
        masker.learn(TOKEN, "livekit-token")
        assert Masked(text) == "noise (<livekit-token>) line"


def test_a_recorded_parse_sees_every_text_it_masks() -> None:
    """The line parser checks a cached parse against what its fields masked to: a text remembered as a `Masked`
    object must still reach the journal while a parse is recorded."""
    masker = Masker()
    with masking.active(masker):
        Masked("Connecting to Room...")
        with masker.recording() as journal:
            Masked("Connecting to Room...")
    assert journal == [("Connecting to Room...", "Connecting to Room...")]


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return first_arguments(monkeypatch, events, "parse_line")


def test_long_lines_cannot_push_short_ones_out_of_the_parse_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A credentials line is long and its token seldom logged twice: many of them in a row leave the short lines
    (status, retries) in the cache, and a long line repeated soon is still read once."""
    parsed = _counting(monkeypatch)
    parser = LineParser(cache_size=16)  # one long line at a time
    short = "[Debug][Transport]: Connecting to Room..."
    long_lines = [f"[Debug][Transport]: Token: {OTHER}; Room Name: room-{n}; Session ID: s-{n}" for n in range(40)]
    with masking.active(Masker()):
        assert parser(short) is not None
        for line in long_lines:
            assert parser(line) is not None
        assert parser(long_lines[-1]) is not None
        assert parser(short) is not None
    assert parsed.count(short) == 1
    assert parsed.count(long_lines[-1]) == 1


def test_the_parse_cache_holds_as_many_short_lines_as_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _counting(monkeypatch)
    parser = LineParser(cache_size=64)
    lines = [f"[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt {n} connecting character c-{n}" for n in range(64)]
    with masking.active(Masker()):
        for _ in range(2):
            for line in lines:
                assert parser(line) is not None
    assert len(parsed) == len(lines)


EXCEPTION = "NullReferenceException: Object reference not set to an instance of an object"


def _entries(text: str) -> list[m.Entry]:
    return list(parse_entries(LineReader(io.BytesIO(text.encode("utf-8")))))


def test_a_line_read_once_as_a_frame_opens_an_entry_where_it_does() -> None:
    """A line's kind is worked out once, what it does in its entry is not: the same exception line is a frame
    under a Convai entry and opens an entry of its own after Unity noise, in either order."""
    convai = "[Error][SDK]: Connection lost\n"
    noise = "Refreshing native plugins compatible for Editor in 0.52 ms\n"
    first = _entries(convai + EXCEPTION + "\n" + noise + EXCEPTION + "\n")
    second = _entries(noise + EXCEPTION + "\n" + convai + EXCEPTION + "\n")
    assert [len(e.frames) for e in first] == [1, 0, 0]
    assert [len(e.frames) for e in second] == [0, 0, 1]
    assert first[2].message == second[1].message == EXCEPTION


def test_a_text_masked_before_its_value_is_learned_is_masked_in_the_report_when_the_cache_no_longer_held_it() -> None:
    """A text is masked, a first value learned empties the cache, then the value the text holds a piece of is
    learned: the report, rescanned once built, hides the piece (a check of the cache alone would not see it)."""
    masker = Masker()
    piece = OTHER.split(".")[1][5:40]
    with masking.active(masker):
        shown = Masked(f"frame ({piece}) at line 12")
    assert shown == f"frame ({piece}) at line 12"
    masker.learn(TOKEN, "livekit-token")
    masker.learn(OTHER, "livekit-token")
    assert masker.rescan((shown,)) == ("frame (<livekit-token>) at line 12",)
