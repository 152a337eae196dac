"""A line that HTML breaks (`<br>`) or bare carriage returns cut into many pieces costs work linear in its length:
each value found in the joined pieces looks only at the pieces and cuts it spans, never at all of them."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import SupportsIndex, overload

import pytest

from loglens.logical import value_end
from loglens.paste import Joined
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import verify

PIECE = "x eyJhbGciOiJIUzI1<br>"


class Counted(tuple[int, ...]):
    """A tuple that counts the items read from it, by index or in a loop."""

    reads = 0

    @overload
    def __getitem__(self, key: SupportsIndex) -> int: ...
    @overload
    def __getitem__(self, key: slice) -> tuple[int, ...]: ...
    def __getitem__(self, key: SupportsIndex | slice) -> int | tuple[int, ...]:
        Counted.reads += 1
        return super().__getitem__(key)

    def __iter__(self) -> Iterator[int]:
        for at in range(len(self)):
            Counted.reads += 1
            yield super().__getitem__(at)


def test_a_span_reads_only_the_pieces_it_covers() -> None:
    lines = ["ab" * 5_000]
    joined = Joined.of(lines, [(0, n, n + 2) for n in range(0, 10_000, 2)])
    joined = Joined(joined.text, joined.pieces, Counted(joined.offsets))
    Counted.reads = 0
    for start in range(0, 10_000, 20):
        assert joined.split(start, start + 3) == [(0, start, start + 2), (0, start + 2, start + 3)]
    assert Counted.reads < 500 * 30  # a binary search and a few reads a span, not one for each of the 5,000 pieces


def test_a_value_end_reads_only_the_cuts_inside_it() -> None:
    cuts = Counted(range(10, 100_000, 10))
    Counted.reads = 0
    for start in range(0, 100_000, 1_000):
        assert value_end("api-key", "x" * 100_000, start, start + 5, cuts) == start + 5
    assert Counted.reads < 100 * 40  # a binary search and one cut a value, not all 10,000 cuts each time


@pytest.mark.slow
def test_a_long_line_of_cut_token_heads_is_linear() -> None:
    """A 1 MB line of `x eyJhbGciOiJIUzI1<br>`: tens of seconds and more when each piece re-read every other."""
    data = (PIECE * 48_000 + "\n").encode()
    start = time.process_time()  # CPU time: another process on the machine does not count
    out, run = redact_bytes(data)
    assert verify(io.BytesIO(out), run.table, RedactOptions()) == []
    assert time.process_time() - start < 20
