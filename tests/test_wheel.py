"""The wheel a user installs carries the grammar and the catalogue, and runs from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES

# builds and installs the wheel
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("loglens-*.whl")
    return built


def test_wheel_ships_grammar_and_catalogue(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"loglens/grammars/convai.lark", "loglens/taxonomy.toml", "loglens/py.typed"} <= names
    assert {"loglens/rules.toml", "loglens/testguide.toml"} <= names  # the rules' words and the test guide
    assert "loglens/timeline.toml" in names  # the timeline phrases


def test_installed_wheel_analyzes_a_sample_from_elsewhere(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-m", "loglens", "analyze", str(SAMPLES / "logcat-timeout.txt"), "--format", "json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {c["code"] for c in report["codes"]} == {"connection.timeout"}
    probe = subprocess.run(
        [sys.executable, "-c", "import loglens.grammar as g; print(g.grammar_path())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip().startswith(str(target))


def test_wheel_carries_the_license_and_the_metadata(wheel: Path) -> None:
    """The license text travels with every install; the metadata says who, where and what, as PyPI shows it."""
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    (license_file,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    text = archive.read(license_file).decode()
    assert text.startswith("MIT License") and "the loglens authors" in text
    assert text == (ROOT / "LICENSE").read_text(encoding="utf-8")
    (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    metadata = archive.read(metadata_name).decode()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
    assert "Author: the loglens authors" in metadata
    assert "Project-URL: Repository, https://" in metadata and "Project-URL: Issues, https://" in metadata
    assert (
        "Classifier: Typing :: Typed" in metadata and "Classifier: Programming Language :: Python :: 3.11" in metadata
    )
