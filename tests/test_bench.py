"""Parsing speed and memory on a generated 200,000-line Editor.log (5% Convai lines, the rest Unity noise).

`pytest tests/test_bench.py --benchmark-enable` prints the timings; the figures in the README come from here.
"""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

import loglens.events as events_module
from loglens.parse import could_be_convai, parse_entries, unwrap
from loglens.report import analyze
from loglens.sources import LineReader
from tests.support.generate import generate_editor_log

LINES = 200_000


@pytest.fixture(scope="module")
def editor_log() -> bytes:
    return generate_editor_log(LINES)


def _consume(data: bytes) -> int:
    """Bytes to entries through the same pipeline `analyze` reads with."""
    return sum(1 for _ in parse_entries(LineReader(io.BytesIO(data))))


def _record(benchmark: Any, data: bytes) -> None:
    if benchmark.stats is None:  # --benchmark-disable: the code ran once, untimed
        return
    mean = benchmark.stats.stats.mean
    benchmark.extra_info["lines_per_s"] = round(LINES / mean)
    benchmark.extra_info["mb_per_s"] = round(len(data) / mean / 1e6, 1)


@pytest.mark.slow
def test_parse_benchmark(benchmark: Any, editor_log: bytes) -> None:
    entries = benchmark(_consume, editor_log)
    assert entries > LINES // 10
    _record(benchmark, editor_log)


@pytest.mark.slow
def test_analyze_benchmark(benchmark: Any, editor_log: bytes) -> None:
    report = benchmark(lambda: analyze(LineReader(io.BytesIO(editor_log))))
    assert report.summary.lines == LINES and report.summary.errors > 0
    _record(benchmark, editor_log)


@pytest.mark.slow
def test_generated_log_is_about_five_percent_convai(editor_log: bytes) -> None:
    lines = editor_log.decode().splitlines()
    convai = sum(1 for line in lines if could_be_convai(unwrap(line)[1]))
    assert 0.03 < convai / len(lines) < 0.08


@pytest.mark.slow
def test_only_gated_lines_reach_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Lark parser sees the lines that can be Convai lines, and none of the noise around them."""
    data = generate_editor_log(20_000, seed=3)
    seen: list[str] = []
    real: Callable[[str], Any] = events_module.parse_line

    def counting(text: str) -> Any:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(events_module, "parse_line", counting)
    _consume(data)
    lines = data.decode().splitlines()
    gated = sum(1 for line in lines if could_be_convai(unwrap(line)[1]))
    assert 0 < len(seen) <= gated
    assert all(could_be_convai(text) for text in seen)


def _peak(data: bytes) -> int:
    tracemalloc.start()
    try:
        _consume(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_memory_stays_flat_as_the_log_grows() -> None:
    """Parsing streams: past the bounded line cache, twice the input costs no more memory."""
    small = generate_editor_log(LINES, seed=1)
    large = generate_editor_log(2 * LINES, seed=1)
    small_peak, large_peak = _peak(small), _peak(large)
    assert large_peak < 1.1 * small_peak, (small_peak, large_peak)
    assert large_peak < 32 << 20
