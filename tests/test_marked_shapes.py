"""The shapes that stand in for a marked IPv4 address before its pattern runs (`shapes._MARKED_NEEDS` for a line,
`MARKED_IPV4_SHAPE` and `IPV4_SHAPE` for a block's lowercase bytes): every address the pattern finds holds them, with
one mark or several, a blank beside a dot and a mark next to it, so that no screen passes over one."""

from __future__ import annotations

import io
import random
import re

import pytest

from loglens.detectors.shapes import _MARKED_NEEDS, IPV4_SHAPE, MARKED_IP, MARKED_IPV4_SHAPE
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.verify import check_stream

MARKS = ("<b>", "</b>", "[b]", "[/color]", "**", "``", "\x1b[1m", "\u200b", "\ufeff", "\u0430", "\x00", " ", "\t")
BLOCK_SHAPES = tuple(re.compile(shape.encode("ascii")) for shape in (MARKED_IPV4_SHAPE, IPV4_SHAPE))


def _marked(rng: random.Random) -> str:
    """A dotted quad with up to two marks in each number and up to two beside each dot."""
    numbers = []
    for _ in range(4):
        number = str(rng.choice((4, 9, 23, 51, 100, 172, 198, 203)))
        for _ in range(rng.choice((0, 0, 1, 2))):
            if len(number) > 1:
                at = rng.randrange(1, len(number))
                number = number[:at] + rng.choice(MARKS) + number[at:]
        numbers.append(number)
    dots = []
    for _ in range(3):
        before = "".join(rng.choice(MARKS) for _ in range(rng.choice((0, 0, 1, 2))))
        after = "".join(rng.choice(MARKS) for _ in range(rng.choice((0, 0, 1, 2))))
        dots.append(before + "." + after)
    return numbers[0] + "".join(dot + number for dot, number in zip(dots, numbers[1:], strict=True))


def test_every_marked_address_found_holds_the_shapes_that_screen_for_it() -> None:
    rng = random.Random(7)
    found = 0
    for _ in range(20_000):
        line = rng.choice(("ip ", "x=", "", "[Debug] at ")) + _marked(rng) + rng.choice(("", " ok", ":80", "."))
        if not MARKED_IP.scan(line, 0, len(line), line.lower()):
            continue
        found += 1
        assert _MARKED_NEEDS.search(line) is not None, repr(line)
        lowered = line.lower().encode("utf-8", "surrogateescape")
        assert any(shape.search(lowered) for shape in BLOCK_SHAPES), repr(line)
    assert found > 5_000  # the generator makes addresses the detector takes, not only noise


@pytest.mark.parametrize("mark", ["<b>", "**", "\x1b[1m", "[b]"])
@pytest.mark.parametrize("blank", [" ", "\t"])
def test_a_blank_and_then_a_mark_before_a_dot_is_hidden(mark: str, blank: str) -> None:
    line = f"[Error][Transport]: could not connect to 198.51.100{blank}{mark}.47:443 (timeout)"
    data = f"ok\n{line}\nok\n".encode()
    out, _ = redact_bytes(data)
    assert b"100" not in out and b".47" not in out and b"<ip-address-1>" in out, out
    assert list(check_stream(io.BytesIO(data)))
    assert list(check_stream(io.BytesIO(out))) == []
