"""What diagnosing costs: analyze on a generated 200,000-line Editor.log, with and without the rules.

`pytest tests/test_bench_diagnose.py --benchmark-enable` prints both timings; diagnosing must stay within 20% of
the run without it (compare the two means; a benchmark never asserts on time).
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from loglens.report import analyze
from loglens.sources import LineReader
from tests.support.generate import generate_editor_log

LINES = 200_000


@pytest.fixture(scope="module")
def editor_log() -> bytes:
    return generate_editor_log(LINES)


def _run(benchmark: Any, data: bytes, diagnose: bool) -> Any:
    benchmark.group = "analyze: diagnoses on and off"
    report = benchmark(lambda: analyze(LineReader(io.BytesIO(data)), diagnose=diagnose))
    if benchmark.stats is not None:  # None under --benchmark-disable, where the body runs once as a plain test
        benchmark.extra_info["lines_per_s"] = round(LINES / benchmark.stats.stats.mean)
    return report


@pytest.mark.slow
def test_analyze_with_diagnoses(benchmark: Any, editor_log: bytes) -> None:
    report = _run(benchmark, editor_log, diagnose=True)
    # the generated log has ICE failures and reconnect failures: the rules have real work to do
    assert {"webrtc-blocked"} <= {d.rule for d in report.diagnoses}


@pytest.mark.slow
def test_analyze_without_diagnoses(benchmark: Any, editor_log: bytes) -> None:
    report = _run(benchmark, editor_log, diagnose=False)
    assert report.diagnoses == () and report.summary.errors > 0
