"""Flat memory: every command's peak RSS on a secret-dense log is the same at 200k and at 600k lines, and far
under 100 MB.

Each command runs in its own process (tests/support/bench.py reaps it with `os.wait4`, so the peak is that
command's alone). 600k lines hold about three times the sessions, tokens and error lines of 200k: a command that
kept any of them per line or per session would show it here (before sessions were pooled, analyze grew by about
18 MB per 200k dense lines, livekit by 27 MB). The 2M-line figures come from the benchmark run
(tests/test_bench_commands.py).

    python -m pytest -m slow tests/test_bench_memory.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.support import generate
from tests.support.bench import Run, run_command

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "wait4"), reason="peak memory of one child needs os.wait4"),
]

SMALL, LARGE = 200_000, 600_000
CEILING_MB = 100
GROWTH_MB = 6  # what 400k more lines may add: buffers and caches filling up to their bounds, allocator slack

LOGLENS = [sys.executable, "-m", "loglens"]
COMMANDS = [
    # the text report: collapsed views of errors and noise on top of the analysis
    pytest.param(["analyze", "{log}"], id="analyze-text"),
    # Markdown for a ticket: the same data as text
    pytest.param(["analyze", "--format", "markdown", "{log}"], id="analyze-markdown"),
    # JSON: everything the report keeps within its bounds
    pytest.param(["analyze", "--format", "json", "{log}"], id="analyze-json"),
    # redaction plus its re-scan of the written file
    pytest.param(["redact", "{log}", "-o", "{out}/redacted.log"], id="redact"),
    # one token out of every session's credentials
    pytest.param(["livekit", "{log}"], id="livekit"),
    # redaction, analysis of the redacted log and the check of every file in the bundle
    pytest.param(["ticket", "{log}", "-o", "{out}/ticket"], id="ticket"),
]


@pytest.fixture(scope="module")
def dense_logs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("dense")
    return {n: generate.write_editor_log(folder / f"dense-{n}.log", n, dense=True) for n in (SMALL, LARGE)}


def _peak(argv: list[str], log: Path, out: Path) -> Run:
    out.mkdir()
    args = [part.format(log=log, out=out) for part in argv]
    run = run_command([*LOGLENS, *args], out / "stdout", cwd=out)
    assert run.returncode in (0, 1), (out / "stdout.stderr").read_text()[-2000:]
    return run


@pytest.mark.parametrize("argv", COMMANDS)
def test_peak_memory_does_not_grow_with_the_log(argv: list[str], dense_logs: dict[int, Path], tmp_path: Path) -> None:
    small = _peak(argv, dense_logs[SMALL], tmp_path / "small")
    large = _peak(argv, dense_logs[LARGE], tmp_path / "large")
    assert large.returncode == small.returncode
    assert large.peak_mb < CEILING_MB
    assert large.peak_mb - small.peak_mb < GROWTH_MB, f"{small.peak_mb:.1f} MB -> {large.peak_mb:.1f} MB"
