"""The pre-commit hook with the real `pre-commit` tool, in a throwaway Git repository: a staged log holding a
token is refused (with the command that fixes it), its redacted copy passes. Both forms the README gives."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-hook", room="room-hook", exp=1_950_000_000, nbf=1_700_000_000)
LOG = f"[Debug][Transport]: Token: {TOKEN}; Room Name: room-hook\nplain line\n"
BIN = Path(sys.executable).parent  # where this environment installed `loglens` and `pre-commit`


def readme_yaml(marker: str) -> str:
    """The README's YAML block that holds `marker`, exactly as a user would paste it."""
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    (block,) = [b for b in blocks if marker in b]
    return block


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "game"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "dev@example.invalid")
    git(repo, "config", "user.name", "dev")
    (repo / "Logs").mkdir()
    (repo / "Logs" / "Editor.log").write_text(LOG, encoding="utf-8")
    git(repo, "add", "Logs/Editor.log")
    return repo


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
    }
    return subprocess.run(
        [str(BIN / "pre-commit"), *args], cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=900
    )


def redact_staged(repo: Path) -> None:
    """What the refusal says to do, then stage the result again."""
    safe = repo / "Logs" / "Editor.redacted.log"
    subprocess.run([str(BIN / "loglens"), "redact", "Logs/Editor.log", "-o", str(safe)], cwd=repo, check=True)
    git(repo, "rm", "-q", "--cached", "Logs/Editor.log")
    (repo / "Logs" / "Editor.log").unlink()
    git(repo, "add", "Logs/Editor.redacted.log")


def assert_refused(result: subprocess.CompletedProcess[str]) -> None:
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Logs/Editor.log:1:livekit-token" in out
    assert out.count("loglens redact Logs/Editor.log --in-place") == 1  # the fix, said once, after the list
    assert TOKEN not in out and TOKEN[-20:] not in out


@pytest.mark.slow
def test_the_local_hook_as_pasted_from_the_readme(repo: Path) -> None:
    (repo / ".pre-commit-config.yaml").write_text(readme_yaml("repo: local"), encoding="utf-8")
    git(repo, "add", ".pre-commit-config.yaml")
    assert_refused(pre_commit(repo, "run"))
    redact_staged(repo)
    passed = pre_commit(repo, "run")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


@pytest.mark.slow
def test_the_hook_of_this_repository_with_try_repo(repo: Path) -> None:
    """`language: python`: pre-commit builds an environment from the checkout (pip, from the package index)."""
    assert "id: loglens-check" in readme_yaml("rev:")
    assert_refused(pre_commit(repo, "try-repo", str(ROOT), "loglens-check"))
    redact_staged(repo)
    passed = pre_commit(repo, "try-repo", str(ROOT), "loglens-check")
    assert passed.returncode == 0, passed.stdout + passed.stderr
