"""Several files in one run: globs expanded by loglens, a report and a result per file, one bad file never stops
the others, and `--jobs` keeps the input order."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.cli.many import expand, is_redacted_name, redacted_name
from tests.conftest import SAMPLES

CONNECTED = SAMPLES / "editor-connected.log"
FAILED = SAMPLES / "console-invalid-api-key.txt"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A support engineer's attachments: two logs and a text export, in a folder and a subfolder."""
    shutil.copy(CONNECTED, tmp_path / "b.log")
    shutil.copy(FAILED, tmp_path / "a.log")
    (tmp_path / "sub").mkdir()
    shutil.copy(FAILED, tmp_path / "sub" / "c.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        (["*.log"], ["a.log", "b.log"]),  # sorted, as a shell would
        (["b.log", "*.log"], ["b.log", "a.log"]),  # each file once, first mention wins
        (["**/*.txt"], [os.path.join("sub", "c.txt")]),  # recursive
        (["*.gz"], ["*.gz"]),  # no match: kept, to be reported as a missing file
        (["sub"], ["sub"]),  # a folder named as typed is kept (and refused later with its own message)
    ],
)
def test_expand(folder: Path, patterns: list[str], expected: list[str]) -> None:
    assert expand(patterns) == expected


def test_a_file_named_like_a_glob_is_taken_as_typed(folder: Path) -> None:
    (folder / "[x].log").write_text("x\n")
    assert expand(["[x].log"]) == ["[x].log"]


@pytest.mark.parametrize(
    ("path", "copy"),
    [
        ("Editor.log", "Editor.redacted.log"),  # still *.log for check and the pre-commit hook
        ("logs/Player-prev.txt", os.path.join("logs", "Player-prev.redacted.txt")),
        ("logcat", "logcat.redacted"),  # no extension
        (".log", ".log.redacted"),  # a dot file is all stem
    ],
)
def test_redacted_names(path: str, copy: str) -> None:
    assert redacted_name(path) == copy and is_redacted_name(copy) and not is_redacted_name(path)


def test_analyze_several_files(folder: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", "*.log", "missing.log", "--no-color"])
    assert result.exit_code == 2  # one file was missing; the others were still read
    out = result.stdout
    assert out.index("loglens a.log") < out.index("loglens b.log") < out.index("\nFiles\n")
    table = out[out.index("\nFiles\n") :].splitlines()
    assert table[3].startswith("a.log") and "[blocker] invalid-api-key" in table[3]
    assert table[4].startswith("b.log") and table[-1] == "not read: missing.log"
    assert result.stderr.strip() == "loglens: error: missing.log: no such file: missing.log"


def test_analyze_several_files_as_json(folder: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", "a.log", "b.log", "nope.log", "--format", "json"])
    files = json.loads(result.stdout)["files"]
    assert [f["file"] for f in files] == ["a.log", "b.log", "nope.log"]
    assert files[0]["report"]["codes"][0]["code"] == "connection.connect_invalid_api_key"
    assert files[2] == {"file": "nope.log", "error": "no such file: nope.log"}


def test_one_file_keeps_its_output(folder: Path) -> None:
    """A glob that finds one file gives the single-file report: no table, no separator."""
    runner = CliRunner()
    one = runner.invoke(app, ["analyze", "a.log", "--no-color"])
    globbed = runner.invoke(app, ["analyze", "a*.log", "--no-color"])
    assert one.exit_code == globbed.exit_code == 0
    assert one.stdout == globbed.stdout and "\nFiles\n" not in one.stdout


def test_redact_several_files_beside_their_inputs(folder: Path) -> None:
    result = CliRunner().invoke(app, ["redact", "*.log", "gone.log"])
    assert result.exit_code == 2
    assert sorted(p.name for p in folder.glob("*.redacted.log")) == ["a.redacted.log", "b.redacted.log"]
    assert "loglens: error: gone.log: no such file: gone.log" in result.stderr
    assert "loglens: b.log: redacted" in result.stderr
    # the copies are not redacted again by the next glob, and they pass check
    again = CliRunner().invoke(app, ["redact", "*.log"])
    assert again.exit_code == 0 and not list(folder.glob("*.redacted.redacted.log"))
    assert CliRunner().invoke(app, ["check", "*.redacted.log"]).exit_code == 0


def test_redact_several_files_into_a_folder(folder: Path) -> None:
    result = CliRunner().invoke(app, ["redact", "a.log", "sub/c.txt", "-o", "safe"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (folder / "safe").iterdir()) == ["a.redacted.log", "c.redacted.txt"]
    clash = CliRunner().invoke(app, ["redact", "a.log", "sub/c.txt", str(folder / "a.log"), "-o", "safe"])
    assert clash.exit_code == 2 and "would both be written to" in clash.stderr


def test_check_several_files_reports_each_and_goes_on(folder: Path) -> None:
    (folder / "clean.log").write_text("nothing here\n")
    result = CliRunner().invoke(app, ["check", "*.log", "absent.log", "-q"])
    assert result.exit_code == 2  # unreadable wins over findings
    names = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert names == {"a.log", "b.log"}
    assert "loglens: error: absent.log" in result.stderr
    assert CliRunner().invoke(app, ["check", "*.log", "-q"]).exit_code == 1


@pytest.mark.slow
@pytest.mark.parametrize("command", ["analyze", "check", "redact"])
def test_jobs_give_the_same_results_in_order(folder: Path, command: str) -> None:
    for n in range(6):
        shutil.copy(FAILED if n % 2 else CONNECTED, folder / f"f{n}.log")
    runner = CliRunner()
    serial = runner.invoke(app, [command, "f*.log"])
    parallel = runner.invoke(app, [command, "f*.log", "--jobs", "3"])
    assert serial.exit_code == parallel.exit_code
    assert serial.stdout == parallel.stdout and serial.stderr == parallel.stderr


def test_redact_several_files_in_place_quietly(folder: Path) -> None:
    """--quiet drops the counts but never where each original went."""
    result = CliRunner().invoke(app, ["-q", "redact", "a.log", "b.log", "--in-place"])
    assert result.exit_code == 0, result.stderr
    said = result.stderr.splitlines()
    assert [line.split(":", 2)[1] for line in said] == [" a.log", " b.log"]
    assert all("the original (with its secrets) is kept at" in line for line in said)
    assert CliRunner().invoke(app, ["check", "a.log", "b.log"]).exit_code == 0


EMAIL = "alice.smith77@example.org"


@pytest.mark.parametrize(
    "args",
    [
        ["redact", f"Player-{EMAIL}.log", "a.log", "-o", "safe"],  # the status line of each file
        ["analyze", f"Player-{EMAIL}.log", "a.log", "--format", "json"],  # the report list and the table
        ["analyze", f"Missing-{EMAIL}.log", "a.log"],  # the error line of a file that is not there
    ],
)
def test_file_names_are_masked_in_what_several_files_print(folder: Path, args: list[str]) -> None:
    """A file named after its owner's e-mail: the lines about it must not print the address."""
    shutil.copy(CONNECTED, folder / f"Player-{EMAIL}.log")
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 2), result.output
    assert EMAIL not in result.output
    assert "<email>.log" in result.output  # the file is still named, with the address masked
