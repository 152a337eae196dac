"""Redaction speed and memory on a generated 200,000-line Editor.log, next to a minimal redactor timed in the same run.

`pytest tests/test_bench_redact.py --benchmark-enable` prints the timings (group `redact`); `extra_info.mb_per_s`
holds the throughput of each (`--benchmark-json FILE` to read it). The README's figures come from here.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from loglens.redaction.blocks import BlockReader
from loglens.redaction.rewrite import Redaction
from loglens.redaction.verify import check_stream, verify
from tests.support.generate import TOKEN, generate_editor_log
from tests.support.minimal_redactor import baseline_redact

LINES = 200_000


def loglens_redact(source: Path, target: Path) -> Redaction:
    with source.open("rb") as src, target.open("wb") as out:
        run = Redaction(BlockReader(src))
        for chunk in run:
            out.write(chunk)
    return run


def loglens_redact_and_verify(source: Path, target: Path) -> Redaction:
    """What `loglens redact PATH -o OUT` does: write, then read the output back and scan it."""
    run = loglens_redact(source, target)
    with target.open("rb") as written:
        assert verify(written, run.table, run.options) == []
    return run


@pytest.fixture(scope="module")
def editor_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "Editor.log"
    path.write_bytes(generate_editor_log(LINES))
    return path


def _record(benchmark: Any, source: Path) -> None:
    if benchmark.stats is None:  # --benchmark-disable: the code ran once, untimed
        return
    size = source.stat().st_size
    benchmark.extra_info["mb_per_s"] = round(size / benchmark.stats.stats.min / 1e6, 1)
    benchmark.extra_info["lines_per_s"] = round(LINES / benchmark.stats.stats.min)


@pytest.mark.slow
@pytest.mark.benchmark(group="redact")
def test_baseline_redactor_benchmark(benchmark: Any, editor_log: Path, tmp_path: Path) -> None:
    replaced = benchmark(baseline_redact, editor_log, tmp_path / "baseline.log")
    assert replaced > 1000 and TOKEN.encode() not in (tmp_path / "baseline.log").read_bytes()
    _record(benchmark, editor_log)


@pytest.mark.slow
@pytest.mark.benchmark(group="redact")
def test_loglens_redact_benchmark(benchmark: Any, editor_log: Path, tmp_path: Path) -> None:
    run = benchmark(loglens_redact, editor_log, tmp_path / "out.log")
    out = (tmp_path / "out.log").read_bytes()
    assert run.report().lines == LINES and TOKEN.encode() not in out and out.count(b"\n") == LINES
    _record(benchmark, editor_log)


@pytest.mark.slow
@pytest.mark.benchmark(group="redact")
def test_loglens_redact_and_verify_benchmark(benchmark: Any, editor_log: Path, tmp_path: Path) -> None:
    run = benchmark(loglens_redact_and_verify, editor_log, tmp_path / "out.log")
    assert run.report().redactions > 1000
    _record(benchmark, editor_log)


@pytest.mark.slow
@pytest.mark.benchmark(group="redact")
def test_loglens_check_benchmark(benchmark: Any, editor_log: Path) -> None:
    """`loglens check` on the log before redaction: the gate that runs in CI (it lists every token line)."""

    def scan() -> int:
        with editor_log.open("rb") as src:
            return sum(1 for _ in check_stream(src))

    assert benchmark(scan) > 1000
    _record(benchmark, editor_log)


def _peak(source: Path, target: Path) -> int:
    tracemalloc.start()
    try:
        loglens_redact_and_verify(source, target)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_redaction_memory_stays_flat_as_the_log_grows(tmp_path: Path) -> None:
    """Redaction and its re-scan stream block by block: four times the input costs no more memory."""
    small, large = tmp_path / "small.log", tmp_path / "large.log"
    small.write_bytes(generate_editor_log(LINES // 2, seed=1))
    large.write_bytes(generate_editor_log(2 * LINES, seed=1))
    small_peak, large_peak = _peak(small, tmp_path / "a.out"), _peak(large, tmp_path / "b.out")
    assert large_peak < 1.15 * small_peak + (1 << 20), (small_peak, large_peak)
    assert large_peak < 48 << 20
