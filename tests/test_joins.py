"""A block screen tells that joining its lines makes no new gate without joining them (`redaction.joins`): where
it says so, joining them finds no gate a line break cut, and the gates it finds are the ones it found before."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from loglens.detectors import DETECTORS, DetectorSet
from loglens.redaction.joins import cut_shapes, joins_no_gate
from loglens.redaction.scan import BlockScreen

DEFAULT = DetectorSet(DETECTORS)

# pieces of the cuttable gates, line breaks, blanks, and what paste prefixes and logcat heads start with
PIECES = [b"\n", b"\n", b" \n", b"  \n", b"\r\n", b"\r\n", b" \r\n", b"\r", b"<br>", b" ", b"\t", b"> ", b"&gt; ", b"0",
          b"u", b"us", b"use", b"user", b"ser", b"er", b"r", b"k", b"ke", b"key", b"ey", b"y", b"Bea", b"rer",
          b"bearer", b"Auth", b"orization", b"Unity ", b"Unityx", b"I/Unity: ",
          b"01-02 12:00:00.000  1  2 I Unity   : ",
          b"x.js:1 ", b"C:\\", b"eyJ", b"x", b"&#"]  # fmt: skip


def _joined_screen() -> BlockScreen:
    screen = BlockScreen(DEFAULT, "surrogateescape")
    screen._cut_shapes = None  # every block's lines joined to tell, as before the shortcut
    return screen


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20).map(b"".join))
@example(b"C:\\Us\nrs\\name")
@example(b"Bea\n  rer abc")
@example(b"ke \ny: 0123")
@example(b"u\ns\ner")
@example(b"us \r\ne\r\nr\r\n")
@example(b"use\n01-02 12:00:00.000  1  2 I Unity   : r")
def test_the_gates_a_break_cuts_are_found_as_by_joining_the_lines(data: bytes) -> None:
    screen, joined = BlockScreen(DEFAULT, "surrogateescape"), _joined_screen()
    for escaped in (False, True):
        assert screen._straddle_gates(data, escaped) == joined._straddle_gates(data, escaped)
    if joins_no_gate(screen._cut_shapes, data.lower()):
        assert joined._straddle_gates(data, False) == ()


def test_a_cut_gate_is_seen_and_a_line_without_one_is_passed() -> None:
    shapes = cut_shapes((b"bearer", b"key", b"user"))
    assert not joins_no_gate(shapes, b"authorization: bea\nrer abc")
    assert not joins_no_gate(shapes, b"x-api-ke \ny: 0123")
    assert not joins_no_gate(shapes, b"c:\\us\n> ers\\name")  # a prefix may stand between the pieces
    assert not joins_no_gate(shapes, b"c:\\us\r\ners\\name")
    assert not joins_no_gate(shapes, b"c:\\users\r\\name\r\n")  # a carriage return inside a line: joined to tell
    assert joins_no_gate(shapes, b"end user id: 0123ab\r\nunityengine.debug:log (object)\r\n")
    assert joins_no_gate(shapes, b"end user id: 0123ab\nunityengine.debug:log (object)\n")
    assert joins_no_gate(shapes, b"the key\nis here\n")


def test_gates_whose_counts_do_not_add_up_are_always_joined() -> None:
    assert cut_shapes((b"abab",)) is None  # two occurrences may overlap
    assert cut_shapes((b"key=",)) is None and cut_shapes(()) is None
    assert not joins_no_gate(None, b"anything\n")
