"""Detectors that need the same shape (`Detector.needs`) share one search of it per line: the spans are the ones
that asking each detector (`Detector.lacks_shape`) finds."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from loglens.detectors import DETECTORS, STRICT_DETECTORS, DetectorSet, Span
from loglens.detectors.screen import _first_wins, gate_view

SETS = (DetectorSet(DETECTORS), DetectorSet((*DETECTORS, *STRICT_DETECTORS)))

PIECES = ["End User ID: ", "end_user_metadata", "value", "Value=", "key", "api key: ", "0123456789abcdef" * 2,
          "C:\\Users\\", "vexmoor", "/Users/", "<user-name-1>", "\\", "198.51.100.4", "fe80::1", "://", "turn:",
          "@studio.io", "%40", " ", ": ", "\"", "x"]  # fmt: skip


def _plain_asking_each(detectors: DetectorSet, text: str) -> list[Span]:
    """`DetectorSet._plain` as each detector is asked whether its shape is there."""
    lowered = text.lower()
    spans: list[Span] = []
    for detector in detectors._first:
        if not detector.gates or any(gate in lowered for gate in detector.gates):
            spans += detector.scan(text, 0, len(text), lowered)
    assert not spans  # the pieces hold no token
    opened = detectors.opened(gate_view(lowered))
    for index, detector in enumerate(detectors._rest):
        if opened >> index & 1 and not detector.lacks_shape(text, lowered):
            spans += detector.scan(text, 0, len(text), lowered)
    return _first_wins(spans)


def test_detectors_that_need_one_shape_share_its_slot() -> None:
    for detectors in SETS:
        slots = {}
        for detector, need in zip(detectors._rest, detectors._needs, strict=True):
            assert (need is None) == (detector.needs is None)
            if need is not None:
                key = (detector.needs.pattern, detector.needs.flags, detector.folded)
                assert slots.setdefault(key, need[0]) == need[0]
        assert len(set(slots.values())) == len(slots) < sum(need is not None for need in detectors._needs)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
@example('Resolved End User ID: 945c4c09ce6af0ff60ffae51f564a33b; end_user_metadata: {"value": "x"}')
@example("X-API-Key: 0123456789abcdef0123456789abcdef at C:\\Users\\vexmoor\\AppData")
def test_a_line_s_spans_are_the_ones_each_detector_asked_finds(text: str) -> None:
    for detectors in SETS:
        assert detectors._plain(text) == _plain_asking_each(detectors, text)
