"""Whole commands measured in subprocesses: wall time, CPU time and peak memory of that one child, and the table.

Each command runs as users run it (interpreter start-up included), started by a small launcher process that reaps
it with `os.wait4`: that returns the resource usage of that child alone, its CPU time and its own peak RSS (not
the largest of every child so far, as `RUSAGE_CHILDREN` would). The launcher exists because Linux counts the
memory of the process a child was forked from into the child's peak: forked from pytest, every command would
report pytest's size; forked from the launcher, the floor is the launcher's few MB. Ratios are taken on CPU time
(user + system), which a busy machine disturbs far less than wall time; the table shows both.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One command's cost and exit code."""

    wall: float
    cpu: float
    peak_mb: float
    returncode: int


# argv[1]: where to write the usage; argv[2:]: the command. No site import: the launcher stays small.
_LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    json.dump([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status)], out)
"""


def run_command(argv: Sequence[str | Path], stdout: Path, *, cwd: Path, env: Mapping[str, str] | None = None) -> Run:
    """Run `argv` with stdout into `stdout` (stderr beside it), in `env` if given, and return what it cost."""
    errors, usage = stdout.with_name(stdout.name + ".stderr"), stdout.with_name(stdout.name + ".usage")
    with stdout.open("wb") as out, errors.open("wb") as err:
        launcher = [sys.executable, "-S", "-c", _LAUNCHER, str(usage), *map(str, argv)]
        subprocess.run(launcher, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, env=env, check=True)
    wall, cpu, peak_kb, returncode = json.loads(usage.read_text())
    return Run(wall, cpu, peak_kb / 1024, returncode)


def machine() -> str:
    """Cores, CPU model and Python: what a reader needs to compare these figures with theirs."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f} at the end"
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()} ({sys.platform}){load}"


@dataclass
class Row:
    """A measured (or skipped) command on one log."""

    log: str
    lines: int
    size: int
    tool: str
    run: Run | None = None
    skipped: str = ""
    projected: float = 0.0  # seconds a skipped case was expected to take


@dataclass
class Table:
    """Every row of a benchmark session, rendered as Markdown at its end."""

    floor: str
    times_floor: bool = False  # start-up: how many times the floor's time; throughput: the floor's speed ratio
    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def find(self, log: str, lines: int, tool: str) -> Row | None:
        return next((r for r in self.rows if (r.log, r.lines, r.tool) == (log, lines, tool)), None)

    def markdown(self) -> str:
        ratio = f"CPU time / {self.floor}" if self.times_floor else f"speed vs {self.floor} (CPU)"
        head = (
            f"| log | lines | MB | command | wall s | CPU s | {ratio} | lines/s | MB/s | peak RSS MB |\n"
            "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n"
        )
        return head + "".join(self._line(row) for row in self.rows)

    def _line(self, row: Row) -> str:
        size = f"{row.size / 1e6:.1f}" if row.size else ""
        start = f"| {row.log} | {row.lines:,} | {size} | {row.tool} |"
        if row.run is None:
            return f"{start} {row.skipped} | | | | | |\n"
        run = row.run
        floor = self.find(row.log, row.lines, self.floor)
        ratio = ""
        if floor and floor.run and run.cpu and floor.run.cpu:
            ratio = f"{(run.cpu / floor.run.cpu if self.times_floor else floor.run.cpu / run.cpu):.2f}x"
        rates = f"{row.lines / run.cpu:,.0f} | {row.size / run.cpu / 1e6:.1f}" if run.cpu and row.size else " | "
        return f"{start} {run.wall:.2f} | {run.cpu:.2f} | {ratio} | {rates} | {run.peak_mb:.0f} |\n"
