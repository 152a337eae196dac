"""Per-line memos (`loglens.memo`): a repeated line is worked out once, memory stays bounded whatever the log."""

from __future__ import annotations

from loglens import memo
from loglens.detectors import DetectorSet
from loglens.detectors.table import DETECTORS
from loglens.logical import body_bounds
from loglens.paste import piece_bounds


def test_a_repeated_line_is_worked_out_once_and_a_long_one_each_time() -> None:
    calls: list[str] = []

    def length(line: str) -> int:
        calls.append(line)
        return len(line)

    remembered = memo.per_line(length, lines=4, chars=1000)
    short, long, longer = "x" * 10, "y" * 500, "z" * 1001
    for _ in range(3):
        assert [remembered(short), remembered(long), remembered(longer)] == [10, 500, 1001]
    assert calls.count(short) == 1 and calls.count(long) == 1 and calls.count(longer) == 3


def test_each_tier_keeps_only_its_most_recent_lines() -> None:
    calls: list[str] = []
    remembered = memo.per_line(lambda line: calls.append(line) or line, lines=16, chars=memo.SHORT * 4)
    lines = [f"{n:04d}" for n in range(17)] + [f"{n:04d}".ljust(memo.SHORT + 1) for n in range(3)]
    for line in lines:
        remembered(line)
    remembered(lines[0])  # the short tier held 16: the first was let go
    remembered(lines[-3])  # the long tier holds 16 // 8 = 2: the first long one was let go
    remembered(lines[-1])
    assert calls.count(lines[0]) == 2 and calls.count(lines[-3]) == 2 and calls.count(lines[-1]) == 1


def test_the_per_line_helpers_of_the_wrap_walk_and_the_detectors_remember() -> None:
    line = "> Convai.Runtime.Room:Connect () (at Assets/Scripts/Room.cs:12)   "
    assert piece_bounds(line) is piece_bounds(line[:] + "")  # the same object: remembered, not worked out again
    assert body_bounds(line) is body_bounds(str(line))
    detectors = DetectorSet(DETECTORS)
    text = "[00:00:01.000][Info][SDK]: mail jane.doe@example.org"
    assert detectors.find(text) == detectors.find(text)
    assert detectors._memo(text) is detectors._memo(text)
