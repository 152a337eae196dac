"""A progress bar on stderr for big inputs: only on a terminal, never with --quiet, never on a pipe."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from loglens.cli.progress import BIG, size_of, wants_bar, watched
from loglens.progress import Counting
from tests.support.generate import generate_editor_log


@pytest.mark.parametrize(
    ("size", "quiet", "terminal", "bar"),
    [
        (BIG, False, True, True),  # a big file, stderr on a terminal
        (BIG - 1, False, True, False),  # small enough to finish at once
        (BIG, True, True, False),  # --quiet
        (BIG, False, False, False),  # stderr is a pipe or a file
        (None, False, True, False),  # stdin from a pipe: no size, no bar
    ],
)
def test_when_a_bar_is_shown(size: int | None, quiet: bool, terminal: bool, bar: bool) -> None:
    assert wants_bar(size, quiet=quiet, terminal=terminal) is bar


def test_counting_reports_bytes_read_so_far() -> None:
    seen: list[int] = []
    stream = Counting(io.BytesIO(b"x" * 10), seen.append)
    assert stream.read(4) == b"xxxx" and stream.read() == b"x" * 6 and stream.read(3) == b""
    assert seen == [4, 10, 10]
    assert stream.seekable()  # everything else is the stream's own


def test_size_of(tmp_path: Path) -> None:
    big = tmp_path / "big.log"
    with big.open("wb") as out:
        out.truncate(BIG)  # sparse: no need to write 5 MB
    with big.open("rb") as stream:
        assert size_of(stream) == BIG
    assert size_of(io.BytesIO(b"abc")) is None


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.log"
    with big.open("wb") as out:
        out.truncate(BIG)
    with big.open("rb") as stream, watched("big.log", stream, quiet=False) as read:
        assert read is stream  # not wrapped: nothing counts, nothing draws
    assert capsys.readouterr().err == ""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "bar"),
    [
        (["analyze", "{log}", "--format", "json"], True),  # the report goes to stdout, the bar to the terminal
        (["check", "{log}"], True),
        (["redact", "{log}", "-o", "{out}"], True),
        (["-q", "check", "{log}"], False),  # --quiet
        (["check", "{log}", "--quiet"], False),  # check's own --quiet
    ],
)
def test_a_bar_on_a_terminal(tmp_path: Path, args: list[str], bar: bool) -> None:
    from tests.support.process import run

    log = tmp_path / "big.log"
    log.write_bytes(generate_editor_log(110_000))  # about 6 MB
    assert log.stat().st_size > BIG
    out = tmp_path / "safe.log"
    ran = run([a.format(log=log, out=out) for a in args], tty=("stderr",), timeout=300)
    assert b"Traceback" not in ran.err
    assert (b"MB/s" in ran.err or b"kB/s" in ran.err) is bar
    assert (b"/6.0 MB" in ran.err) is bar  # bytes read of the file's size
