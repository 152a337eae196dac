"""The README is a user's guide that works as written: the quick start installs only what running needs, CI runs
its test command, the library example runs, the contributor's part comes last."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(lang: str, after: str) -> str:
    """The first fenced `lang` block after the heading `after`."""
    start = README.index(after)
    found = re.search(rf"```{lang}\n(.*?)```", README[start:], re.S)
    assert found, f"no {lang} block after {after}"
    return found.group(1)


def test_quick_start_installs_for_users_then_tests() -> None:
    for lang, sep in (("sh", "&&"), ("powershell", ";")):
        first, second = block(lang, "## Quick start").strip().splitlines()
        steps = [s.strip() for s in first.split(sep)]
        assert "pip install ." in steps, lang  # only what running needs: no extras, not editable
        assert not any("[test]" in s for s in steps), lang
        assert re.fullmatch(r"loglens analyze samples[/\\][\w.-]+", steps[-1]), lang
        assert (SAMPLES / re.split(r"[/\\]", steps[-1])[-1]).is_file()
        assert [s.strip() for s in second.split(sep)] == ["pip install -e '.[test]'", "python -m pytest"], lang


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pip install --quiet -e '.[test]'" in ci and re.search(r"^python -m pytest$", ci, re.M)


def test_the_guide_comes_first_and_the_contributor_part_last() -> None:
    headings = re.findall(r"^## (.+)$", README, re.M)
    assert headings[0] == "Quick start" and headings[-1] == "Development"
    development = README.index("## Development")
    for section in ("## Usage", "## Diagnosis rules", "## Library", "## Shell completion", "### Configuration"):
        assert README.index(section) < development, section
    for section in ("### Architecture", "### Performance"):
        assert README.index(section) > development, section


def test_the_readme_hooks_have_no_placeholder() -> None:
    assert "<owner>" not in README and "v0.1.0" not in README


def test_the_library_example_runs(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "editor-connected.log", tmp_path / "Editor.log")
    shutil.copy(SAMPLES / "player-ice-failed.log", tmp_path / "Player.log")
    code = block("python", "## Library")
    assert len(code.strip().splitlines()) <= 10
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "**********" in result.stdout and "eyJ" not in result.stdout


def test_completion_lines_work_as_documented() -> None:
    shells = re.findall(r"_LOGLENS_COMPLETE=(\w+)_source loglens", block("sh", "## Shell completion"))
    assert shells == ["bash", "zsh", "fish"]
    loglens = Path(sys.executable).parent / "loglens"
    for shell in shells:
        env = {**os.environ, "_LOGLENS_COMPLETE": f"{shell}_source"}
        out = subprocess.run([str(loglens)], env=env, capture_output=True, text=True, check=True).stdout
        assert "_LOGLENS_COMPLETE" in out and f"{shell}_complete" in out, shell
    assert "Register-ArgumentCompleter" in block("powershell", "## Shell completion")
