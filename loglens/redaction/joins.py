"""Whether joining a block's lines can make a gate that none of its lines holds, told without joining them.

A block screen joins a block's lines (their breaks, paste prefixes and logcat heads taken out) to find the gates a
line break cut (`scan.BlockScreen`): four searches of the whole block, and as many counts. Joining only takes bytes
out, so a gate the joined text holds and no line holds runs across a break: the bytes of a line up to its end
(before one blank and a carriage return at most) are the gate's first bytes, and the next line begins with the
rest of it, with a part of it and its own break, or with what a prefix or a head may start with. Where no break
in a block has that shape, no joined gate is new, and the joined text need not be made.
"""

from __future__ import annotations

import re

from loglens.paste import BREAK_TAG_BYTES

# what a line may start with where a paste prefix or a logcat head follows a line break (`scan._DECORATED_BREAK`:
# a blank, `>`, `&gt;`, a digit, a level letter and its slash, the Unity tag), over lowercase bytes
BREAK_START = rb"[ \t>&0-9]|[vdiwefa]/|unity[ \t]"


def cut_shapes(gates: tuple[bytes, ...]) -> re.Pattern[bytes] | None:
    """A line break where joining may make one of `gates` (lowercase letters, no two occurrences of one able to
    overlap), over lowercase bytes: the line before ends with the gate's first bytes (and a blank at most), and the
    line after begins with the rest, with a part of the rest and its own break, with `BREAK_START`, or is empty.
    None when the gates are not all so (then the lines are joined to tell)."""
    if not gates or not all(gate.isalpha() and gate.islower() and not _overlaps(gate) for gate in gates):
        return None
    branches: list[bytes] = []
    for gate in gates:
        for cut in range(1, len(gate)):
            head, rest = re.escape(gate[:cut]), gate[cut:]
            nexts = [re.escape(rest), *(re.escape(rest[:part]) + b" ?\r?\n" for part in range(1, len(rest)))]
            branches.append(_after(head) + b"(?=" + b"|".join([*nexts, BREAK_START, b"\r", b"\n"]) + b")")
    ends = re.escape(bytes(sorted({gate[cut - 1] for gate in gates for cut in range(1, len(gate))})))
    # the last letters first (or a blank or a carriage return, then one more byte): most breaks fail in two tests
    first = b"(?:(?<=[" + ends + b"]\n)|(?<=[" + ends + b" \r][ \r]\n))"
    return re.compile(b"\n" + first + b"(?:" + b"|".join(branches) + b")")


def _after(text: bytes) -> bytes:
    """A line break right after `text`: its newline, with a blank, a carriage return or both before it."""
    return b"(?:" + b"|".join(b"(?<=" + text + end + b"\n)" for end in (b"", b" ", b"\r", b" \r")) + b")"


def joins_no_gate(shapes: re.Pattern[bytes] | None, low: bytes) -> bool:
    """Whether joining the lines of `low` (a block's lowercase bytes) surely makes none of the gates `shapes` was
    made for (`cut_shapes`). Only line breaks are looked at: a block with a carriage return that ends no line,
    an HTML break tag or a browser's head (`.js:`) in it, each taken out too, is joined to tell."""
    if shapes is None or b".js:" in low or BREAK_TAG_BYTES.search(low) is not None:
        return False
    if b"\r" in low and low.count(b"\r") != low.count(b"\r\n"):
        return False
    return shapes.search(low) is None


def _overlaps(gate: bytes) -> bool:
    """Whether two occurrences of `gate` may overlap (it ends with its own first bytes): counts of it would not
    add up by its occurrences."""
    return any(gate[:size] == gate[-size:] for size in range(1, len(gate)))
