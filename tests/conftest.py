"""Shared fixtures: golden files (regenerated with --update-goldens, never edited by hand) and sample paths."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests with a fixed seed, so a gate never flips on luck; locally they explore anew.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDENS = Path(__file__).resolve().parent / "goldens"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing against them",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """`--benchmark-enable` runs every test in this one process: a timing taken beside busy pytest-xdist workers
    measures them too (pytest-benchmark would switch itself off under xdist)."""
    if config.pluginmanager.hasplugin("xdist") and config.getoption("benchmark_enable", False):
        config.option.numprocesses = 0
        config.option.dist = "no"


@pytest.fixture(autouse=True)
def _private_backups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`redact --in-place` keeps originals in a private folder: in tests, one beside each test's tmp_path."""
    monkeypatch.setenv("LOGLENS_BACKUP_DIR", str(backups_of(tmp_path)))


def backups_of(tmp_path: Path) -> Path:
    """The private backup folder of the test whose tmp_path this is (outside tmp_path, as outside a project)."""
    return tmp_path.parent / f"{tmp_path.name}-backups"


def sample_paths() -> list[Path]:
    """Every sample log (the README in samples/ is not one)."""
    return sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.suffix != ".md")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """`golden(name, text)`: compare text with tests/goldens/<name>, or rewrite it under --update-goldens."""
    update = bool(request.config.getoption("--update-goldens"))

    def check(name: str, text: str) -> None:
        path = GOLDENS / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"golden file {name} is missing: run pytest --update-goldens and review it"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"output differs from golden {name} (run pytest --update-goldens if intended)"

    return check
