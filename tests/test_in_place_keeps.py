"""`redact --in-place`: the original is never kept inside a git working tree, and a file with other hard links says
that those names still hold it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from loglens.cli import app
from loglens.cli.inplace import working_tree
from loglens.errors import ExitCode
from tests.conftest import backups_of
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-4", room="room-keeps", exp=1_950_000_000, nbf=1_700_000_000)
LOG = f"[Debug][Transport]: Token: {TOKEN}; Room Name: room-keeps\ncontact bob@examplemail.org\n"


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(app, args, catch_exceptions=False)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "project" / ".git").mkdir(parents=True)  # what `git init` leaves: the working tree's mark
    log = tmp_path / "project" / "Logs" / "Editor.log"
    log.parent.mkdir()
    log.write_text(LOG, encoding="utf-8")
    return tmp_path / "project"


@pytest.mark.parametrize("where", ["relative", "absolute", "tree itself", "home in the tree", "worktree file"])
def test_a_backup_folder_inside_a_working_tree_is_refused(
    where: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    monkeypatch.delenv("LOGLENS_BACKUP_DIR")
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    if where == "relative":
        monkeypatch.setenv("LOGLENS_BACKUP_DIR", "loglens-backups")
    elif where == "absolute":
        monkeypatch.setenv("LOGLENS_BACKUP_DIR", str(project / "Logs" / "kept"))
    elif where == "tree itself":
        monkeypatch.setenv("LOGLENS_BACKUP_DIR", str(project))
    elif where == "home in the tree":
        monkeypatch.setenv("HOME", str(project))  # a home folder that is a dotfiles repository
    else:
        (project / ".git").rmdir()
        (project / ".git").write_text("gitdir: /elsewhere/.git/worktrees/p\n", encoding="utf-8")
        monkeypatch.setenv("LOGLENS_BACKUP_DIR", "kept")
    result = invoke(["redact", "--in-place", "Logs/Editor.log"])
    assert result.exit_code == ExitCode.INPUT, result.stderr
    assert "git working tree" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert TOKEN not in result.stderr and "bob@" not in result.stderr
    assert _files(project) == [project / "Logs" / "Editor.log"]  # no copy, no leftover temporary file
    assert (project / "Logs" / "Editor.log").read_text(encoding="utf-8") == LOG


def test_a_backup_folder_outside_the_tree_is_used(project: Path, tmp_path: Path) -> None:
    result = invoke(["redact", "--in-place", str(project / "Logs" / "Editor.log")])
    assert result.exit_code == 0, result.stderr
    assert TOKEN not in (project / "Logs" / "Editor.log").read_text(encoding="utf-8")
    assert len(_files(backups_of(tmp_path))) == 1 and _files(project) == [project / "Logs" / "Editor.log"]


def test_no_backup_inside_a_tree_still_redacts(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGLENS_BACKUP_DIR", str(project / "kept"))
    result = invoke(["redact", "--in-place", "--no-backup", str(project / "Logs" / "Editor.log")])
    assert result.exit_code == 0, result.stderr
    assert TOKEN not in (project / "Logs" / "Editor.log").read_text(encoding="utf-8")


def test_working_tree_is_the_nearest_folder_with_git(project: Path, tmp_path: Path) -> None:
    assert working_tree(project / "a" / "b") == project
    assert working_tree(project) == project
    assert working_tree(tmp_path / "elsewhere") is None


@pytest.mark.parametrize("links", [1, 2])
def test_in_place_on_a_hard_linked_file_says_the_other_names_keep_it(links: int, tmp_path: Path) -> None:
    log = tmp_path / "Editor.log"
    log.write_text(LOG, encoding="utf-8")
    others = [tmp_path / f"copy-{n}.log" for n in range(links)]
    for other in others:
        os.link(log, other)
    result = invoke(["redact", "--in-place", str(log)])
    assert result.exit_code == 0, result.stderr
    assert TOKEN not in log.read_text(encoding="utf-8")
    note = [line for line in result.stderr.splitlines() if "hard link" in line]
    assert len(note) == 1 and f"{links} more hard link" in note[0] and "still hold the original" in note[0]
    assert TOKEN not in result.stderr


def test_in_place_on_a_file_of_one_name_says_nothing_of_links(tmp_path: Path) -> None:
    log = tmp_path / "Editor.log"
    log.write_text(LOG, encoding="utf-8")
    result = invoke(["redact", "--in-place", str(log)])
    assert result.exit_code == 0 and "hard link" not in result.stderr
