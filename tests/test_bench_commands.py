"""Whole commands on generated logs of 10k, 200k and 2M lines, sparse and secret-dense, next to the minimal redactor
and the secret scanners users would reach for (detect-secrets, kingfisher), on the same files in the same run.

    python -m pytest -m slow tests/test_bench_commands.py --benchmark-enable

prints a table at the end (and writes it to the file it names): wall and CPU seconds, the CPU-time ratio to the
minimal redactor (1.00x is as fast as it; below is slower), lines/s and MB/s of CPU time, peak RSS of the command.
The README's Performance table comes from here. Without `--benchmark-enable` each command runs once (as in
`.ci/run`); with it, 10k-line runs take the best of three. A 2M-line case runs only when its 200k-line time
projects it under the budget (LOGLENS_BENCH_CASE_BUDGET seconds, default 60) and the suite's total stays under
LOGLENS_BENCH_BUDGET (default 240 s); detect-secrets is projected from its 10k-line run the same way. Skipped cases
say so in the table. Set LOGLENS_BENCH_TABLE=PATH to also write the table there. The generated logs are cached in
pytest's cache directory, keyed by the generator's source, so a second run does not build them again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support import generate, tokens
from tests.support.bench import Row, Run, Table, machine, run_command

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 200_000, 2_000_000)
KINDS = ("sparse", "dense")
MINIMAL = "minimal redactor"
IMPORTS = "import pydantic, rich, lark"
CASE_BUDGET = float(os.environ.get("LOGLENS_BENCH_CASE_BUDGET", "60"))
TOTAL_BUDGET = float(os.environ.get("LOGLENS_BENCH_BUDGET", "240"))
STARTED = time.monotonic()

Check = Callable[[Run, Path, Path], None]


def _bin(name: str) -> str | None:
    """A console script of this environment first (the venv may not be on PATH), then PATH."""
    return shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))


LOGLENS = [sys.executable, "-m", "loglens"]


def _lines_of(path: Path) -> int:
    with path.open("rb") as src:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: src.read(1 << 20), b""))


def _holds_token(path: Path) -> bool:
    with path.open("rb") as src:
        return any(b"eyJ" in chunk for chunk in iter(lambda: src.read(1 << 20), b""))


def _check_minimal(run: Run, log: Path, out: Path) -> None:
    assert run.returncode == 0 and not _holds_token(out.with_suffix(".redacted"))


def _check_analyze(run: Run, log: Path, out: Path) -> None:
    with out.open("rb") as report:
        head = report.read(4096)
    assert run.returncode == 0 and f'"lines": {_lines_of(log)},'.encode() in head


def _check_redact(run: Run, log: Path, out: Path) -> None:
    redacted = out.with_suffix(".redacted")
    assert run.returncode == 0 and not _holds_token(redacted) and _lines_of(redacted) == _lines_of(log)


def _check_check(run: Run, log: Path, out: Path) -> None:
    assert run.returncode == 1 and out.read_bytes().count(b":livekit-token") > 0  # file:line:kind per finding


def _check_livekit(run: Run, log: Path, out: Path) -> None:
    assert run.returncode == 0 and b"eyJ" in out.read_bytes()  # the one command that prints the token


def _check_kingfisher(run: Run, log: Path, out: Path) -> None:
    assert run.returncode in (0, 200), out.with_name(out.name + ".stderr").read_text()  # 200: findings
    assert json.loads(out.read_bytes())["findings"]


def _check_detect_secrets(run: Run, log: Path, out: Path) -> None:
    assert run.returncode == 0 and any(json.loads(out.read_bytes())["results"].values())


@dataclass(frozen=True)
class Tool:
    """A command line to time on a log, and what its output must show for the timing to count."""

    name: str
    argv: Callable[[Path, Path], list[str | Path]]  # (log, redacted output) -> argv
    check: Check
    binary: str = ""  # an external scanner, skipped when absent
    slow: bool = False  # projected from its smaller run even at 200k lines


TOOLS = (
    Tool(MINIMAL, lambda log, red: [sys.executable, "-m", "tests.support.minimal_redactor", log, red], _check_minimal),
    Tool("loglens analyze --format json", lambda log, _: [*LOGLENS, "analyze", "--format=json", log], _check_analyze),
    Tool("loglens redact -o", lambda log, red: [*LOGLENS, "redact", log, "-o", red], _check_redact),
    Tool("loglens check", lambda log, red: [*LOGLENS, "check", log], _check_check),
    Tool("loglens livekit", lambda log, red: [*LOGLENS, "livekit", log], _check_livekit),
    Tool(
        "kingfisher scan",
        lambda log, red: [
            *[_bin("kingfisher") or "kingfisher", "scan", log, "--no-validate", "--no-update-check"],
            *["--git-history", "none", "--format", "json", "-q"],
        ],
        _check_kingfisher,
        binary="kingfisher",
    ),
    Tool(
        "detect-secrets scan",
        # detect-secrets scans only files below its working folder (and, in a git checkout, only tracked ones
        # unless --all-files): run it from the log's own folder
        lambda log, red: [
            *["sh", "-c", 'cd "$1" && exec "$2" scan --all-files "$3"', "sh", log.parent],
            *[_bin("detect-secrets") or "detect-secrets", log.name],
        ],
        _check_detect_secrets,
        binary="detect-secrets",
        slow=True,
    ),
)


class Logs:
    """Generated logs, built once and cached by the generator's source (a 2M-line dense log takes ~25 s)."""

    def __init__(self, folder: Path) -> None:
        sources = b"".join(Path(module.__file__ or "").read_bytes() for module in (generate, tokens))
        self.folder, self.key = folder, hashlib.sha256(sources).hexdigest()[:12]
        self.per_line = 15e-6  # seconds to generate a line, until one generation has measured it

    def _path(self, kind: str, lines: int) -> Path:
        return self.folder / f"{kind}-{lines}-{self.key}.log"

    def cost(self, kind: str, lines: int) -> float:
        """Seconds `path` will take: 0 when the log is cached."""
        return 0.0 if self._path(kind, lines).exists() else lines * self.per_line

    def path(self, kind: str, lines: int) -> Path:
        path = self._path(kind, lines)
        if not path.exists():
            partial, start = path.with_suffix(".partial"), time.monotonic()
            generate.write_editor_log(partial, lines, dense=kind == "dense")
            partial.replace(path)
            self.per_line = (time.monotonic() - start) / lines
        return path


@pytest.fixture(scope="session")
def logs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Logs:
    cache = getattr(request.config, "cache", None)
    return Logs(cache.mkdir("loglens-bench") if cache is not None else tmp_path_factory.mktemp("logs"))


def _report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, tables: list[Table]) -> None:
    """At the end of the session: the tables on the terminal and in a file."""
    rows = [table for table in tables if table.rows]
    if not rows:
        return
    text = f"Machine: {machine()}\n\n" + "\n".join(table.markdown() for table in rows)
    target = tmp_path_factory.getbasetemp() / "bench-table.md"
    target.write_text(text, encoding="utf-8")
    if os.environ.get("LOGLENS_BENCH_TABLE"):
        Path(os.environ["LOGLENS_BENCH_TABLE"]).write_text(text, encoding="utf-8")
    reporter: Any = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", "loglens command benchmarks")
        for line in text.splitlines():
            reporter.write_line(line)
        reporter.write_line(f"(written to {target})")


@pytest.fixture(scope="session")
def tables(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Table]]:
    result = {"throughput": Table(MINIMAL), "startup": Table(IMPORTS, times_floor=True)}
    yield result
    _report(request, tmp_path_factory, list(result.values()))


def _projection(table: Table, kind: str, lines: int, tool: Tool) -> float | None:
    """Seconds this case should take, from the same command on the next smaller log (None: measure it)."""
    smaller = [size for size in SIZES if size < lines]
    if not smaller or (lines < SIZES[-1] and not tool.slow):
        return None
    previous = table.find(kind, smaller[-1], tool.name)
    if previous is None:
        return None
    return (previous.run.wall if previous.run else previous.projected) * lines / smaller[-1]


def _timed(
    benchmark: Any, argv: list[str | Path], stdout: Path, env: dict[str, str], rounds: int, repeat: int = 1
) -> Run:
    """Run through pytest-benchmark (one round when it is disabled), `repeat` times a round; keep the fastest."""
    runs: list[Run] = []

    def once() -> None:
        runs.extend(run_command(argv, stdout, cwd=ROOT, env=env) for _ in range(repeat))

    benchmark.pedantic(once, rounds=rounds, iterations=1)
    return min(runs, key=lambda run: run.wall)


CASES = [(kind, lines, tool) for lines in SIZES for kind in KINDS for tool in TOOLS]


@pytest.mark.parametrize(
    ("kind", "lines", "tool"), CASES, ids=[f"{kind}-{lines // 1000}k-{tool.name}" for kind, lines, tool in CASES]
)
def test_command_on_generated_log(
    benchmark: Any,
    logs: Logs,
    tables: dict[str, Table],
    installed: dict[str, str],
    tmp_path: Path,
    kind: str,
    lines: int,
    tool: Tool,
) -> None:
    """Each command as a user runs it, with its modules' bytecode kept as an installed package keeps it
    (`installed`), so no run compiles loglens's source again."""
    table = tables["throughput"]
    if tool.binary and _bin(tool.binary) is None:
        pytest.skip(f"{tool.binary} is not installed (it is in the test extra)")
    row = Row(kind, lines, 0, tool.name)
    table.add(row)
    projected = _projection(table, kind, lines, tool)
    elapsed = time.monotonic() - STARTED
    if projected is not None and (
        projected > CASE_BUDGET or elapsed + projected + logs.cost(kind, lines) > TOTAL_BUDGET
    ):
        budget = "case" if projected > CASE_BUDGET else "suite"
        row.projected, row.skipped = projected, f"skipped: projected {projected:.0f} s, over the {budget} budget"
        pytest.skip(f"{tool.name} on {lines:,} lines would take about {projected:.0f} s: over the {budget} budget")
    path = logs.path(kind, lines)
    row.size = path.stat().st_size
    out = tmp_path / "stdout"
    run = _timed(
        benchmark, tool.argv(path, out.with_suffix(".redacted")), out, installed, rounds=3 if lines <= 10_000 else 1
    )
    tool.check(run, path, out)
    row.run = run
    benchmark.group = f"{kind} {lines:,} lines"
    benchmark.extra_info.update(cpu_s=round(run.cpu, 3), peak_rss_mb=round(run.peak_mb))


# A paste: 30 lines around the room details of a connected session, as someone copies them from the Console.
PASTE = (ROOT / "samples" / "editor-connected.log").read_bytes().splitlines(keepends=True)[70:100]
STARTUP_RUNS = 10

# What a paste's analysis imports of its libraries, and the one model build that loads pydantic's plugin finder
# (importlib.metadata with it): the floor under the paste's row, however little loglens does of its own.
LIBRARIES = """
import os
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
import click
from lark import Lark
from pydantic import BaseModel, Field, SecretStr
from rich.console import Console
from rich.text import Text
class Built(BaseModel):
    n: int = Field(ge=1)
print(Built(n=1), Lark, Console, Text, SecretStr, click)
"""

STARTUP = (
    (IMPORTS, lambda paste: [sys.executable, "-c", "import pydantic, rich, lark; print(lark.__version__)"]),
    ("the libraries a paste's analysis imports", lambda paste: [sys.executable, "-c", LIBRARIES]),
    ("loglens --help", lambda paste: [*LOGLENS, "--help"]),
    ("loglens analyze (30-line paste)", lambda paste: [*LOGLENS, "analyze", paste]),
)


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment in which every module's bytecode is kept, as an installed package has it (pip compiles it):
    with PYTHONDONTWRITEBYTECODE set, each run would compile loglens's source again and time that too. The
    bytecode goes to a folder of its own, never beside the sources."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path_factory.mktemp("pycache"))
    folder = tmp_path_factory.mktemp("warm")
    paste = folder / "paste.log"
    paste.write_bytes(b"".join(PASTE))
    for index, tool in enumerate(TOOLS):  # each command once, on a paste: the bytecode every timed run then reads
        if not tool.binary:
            run = run_command(
                tool.argv(paste, folder / f"{index}.redacted"), folder / f"{index}.out", cwd=ROOT, env=env
            )
            assert run.returncode in (0, 1), f"{tool.name} failed on the paste"
    return env


@pytest.mark.parametrize(("name", "argv"), STARTUP, ids=[name for name, _ in STARTUP])
def test_first_response(
    benchmark: Any,
    tables: dict[str, Table],
    installed: dict[str, str],
    tmp_path: Path,
    name: str,
    argv: Callable[[Path], list[str | Path]],
) -> None:
    """Start-up dominates a paste: the median of ten runs (after one that writes the bytecode), next to importing
    the three libraries loglens needs; the table's ratio column is the goal's measure (CPU time, not wall)."""
    paste = tmp_path / "paste.log"
    paste.write_bytes(b"".join(PASTE))
    stdout = tmp_path / "stdout"
    run_command(argv(paste), stdout, cwd=ROOT, env=installed)  # compiles and keeps every module's bytecode
    runs: list[Run] = []

    def once() -> None:
        runs.extend(run_command(argv(paste), stdout, cwd=ROOT, env=installed) for _ in range(STARTUP_RUNS))

    benchmark.pedantic(once, rounds=1, iterations=1)
    assert all(run.returncode == 0 for run in runs) and stdout.read_bytes()
    run = Run(
        wall=statistics.median(r.wall for r in runs),
        cpu=statistics.median(r.cpu for r in runs),
        peak_mb=max(r.peak_mb for r in runs),
        returncode=0,
    )
    tables["startup"].add(Row("30-line paste", 30, 0, name, run))
    benchmark.extra_info.update(cpu_s=round(run.cpu, 3), peak_rss_mb=round(run.peak_mb))
