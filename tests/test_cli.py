"""Every analyze-side command through the CLI runner: output, exit codes, bad input, hostile log text."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.errors import ExitCode
from tests.conftest import ROOT
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-1", room="room-cli", exp=1_950_000_000, nbf=1_700_000_000)

LOG = (
    "[Info][Bootstrap]: Convai Bootstrapper: Initializing...\n"
    "[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character abc (mode=create)\n"
    '[Debug][Transport]: Room details received: {"token":"' + TOKEN + '","room_name":"room-cli",'
    '"session_id":"s-1","room_url":"wss://convai-technologies-lfslae7c.livekit.cloud","end_user_id":"eu-77"}\n'
    "[Debug][Transport]: Token: " + TOKEN + "; Room Name: room-cli; Room URL: "
    "wss://convai-technologies-lfslae7c.livekit.cloud; Session ID: s-1; Character Session ID: cs-1\n"
    "[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\n"
    "[Debug][Transport]: Room init failure outcome: category=RoomDetailsRequestFailed; responseCode=401; "
    "sessionErrorCode=connection.connect_invalid_api_key; sessionErrorRecoverable=False\n"
    "[Warning][SDK]: [SessionMetrics] Session error: connection.something_new\n"
    "[Debug][SDK]: [ConvaiRoomManager] Sent user text message: my secret plan\n"
)


def run(args: list[str], stdin: str | bytes | None = None) -> click.testing.Result:
    return CliRunner().invoke(app, args, input=stdin, catch_exceptions=False)


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "Editor.log"
    path.write_text(LOG, encoding="utf-8")
    return path


def test_analyze_text(log_file: Path) -> None:
    result = run(["analyze", str(log_file), "--no-color"])
    assert result.exit_code == 0
    out = result.stdout
    # config/connection problems come before transport ones: the first thing to fix first
    assert out.index("connection.connect_invalid_api_key") < out.index("transport.ice_failed")
    assert "not retried" in out and "retried by the SDK" in out
    assert "connection.something_new" in out and "Not in loglens's catalogue" in out
    assert "Session 1" in out
    assert TOKEN not in out and "eu-77" not in out and "my secret plan" not in out


def test_analyze_json_shape(log_file: Path) -> None:
    result = run(["analyze", str(log_file), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    errors = data["errors"]
    assert [e["code"] for e in errors] == [
        "transport.ice_failed",
        "connection.connect_invalid_api_key",
        "connection.something_new",
    ]
    first = errors[0]
    assert set(first) >= {"code", "category", "known", "retryable", "line", "message"}
    assert (first["category"], first["known"], first["retryable"], first["line"]) == ("transport", True, True, 5)
    assert first["message"] == "[SessionMetrics] Session error: transport.ice_failed"
    unknown = errors[2]
    assert (unknown["category"], unknown["known"], unknown["retryable"]) == ("connection", False, None)
    codes = {c["code"]: c for c in data["codes"]}
    assert codes["transport.ice_failed"]["count"] == 1 and codes["transport.ice_failed"]["lines"] == [5]
    assert data["diagnoses"] is not None and isinstance(data["sessions"], list) and len(data["sessions"]) == 1
    assert TOKEN not in result.stdout and "eu-77" not in result.stdout and "my secret plan" not in result.stdout


def test_analyze_markdown(log_file: Path) -> None:
    result = run(["analyze", str(log_file), "--format", "markdown"])
    assert result.exit_code == 0
    assert result.stdout.startswith("## loglens report")
    assert "| `transport.ice_failed` | 1 |" in result.stdout
    assert TOKEN not in result.stdout


def test_analyze_stdin() -> None:
    result = run(["analyze", "-", "--format", "json"], stdin=LOG)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["source"] == "<stdin>"


@cache
def _published_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(run(["schema"]).stdout)
    return jsonschema.validators.validator_for(schema)(schema)


@pytest.mark.slow
def test_published_schema_is_a_valid_json_schema() -> None:
    """Its own meta-schema accepts it (a third of a second, so with the slow tests)."""
    validator = _published_validator()
    validator.check_schema(validator.schema)


@pytest.mark.parametrize(
    "sample",
    [
        None,  # the table's own log: errors, codes, one session, credentials, user text
        "app-errors-multi-session.txt",  # many sessions, app-side codes
        "not-convai-game.log",  # no Convai lines: empty sections
    ],
)
def test_json_validates_against_published_schema(log_file: Path, sample: str | None) -> None:
    """The schema `loglens schema` prints, read by a JSON Schema validator, accepts what analyze writes."""
    path = log_file if sample is None else ROOT / "samples" / sample
    data = json.loads(run(["analyze", str(path), "--format", "json"]).stdout)
    errors = [e.message for e in _published_validator().iter_errors(data)]
    assert errors == []


@cache
def _analyzed_json() -> str:
    return run(["analyze", "-", "--format", "json"], stdin=LOG).stdout


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda d: d.update(surprise=1), "a key the schema does not name"),  # additionalProperties
        (lambda d: d["sessions"][0].update(outcome="exploded"), "an outcome outside its enum"),
        (lambda d: d["sessions"][0].update(index=0), "a session index below 1"),
        (lambda d: d["errors"][0].update(line="5"), "a line number as a string"),
    ],
)
def test_published_schema_rejects_what_analyze_never_writes(change: Callable[[dict[str, Any]], None], why: str) -> None:
    """The validator above can fail: the published schema is strict enough to catch a changed shape."""
    data = json.loads(_analyzed_json())
    change(data)
    assert list(_published_validator().iter_errors(data)), why


def test_markup_and_escapes_are_shown_literally(tmp_path: Path) -> None:
    path = tmp_path / "hostile.log"
    path.write_bytes(
        b"[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\n"
        b"[Error][UI]: [MyApp] Session error: connection.timeout \xe2\x80\x94 [bold red]boom[/bold red] "
        b"\x1b[2J\x1b]0;pwn\x07\n"
    )
    result = run(["analyze", str(path), "--color"])
    assert result.exit_code == 0
    assert "\x1b[2J" not in result.stdout and "\x1b]0;" not in result.stdout and "\x07" not in result.stdout
    markdown = run(["analyze", str(path), "--format", "markdown"]).stdout
    assert "\x1b" not in markdown
    data = json.loads(run(["analyze", str(path), "--format", "json"]).stdout)
    assert "[bold red]boom[/bold red]" in data["errors"][1]["message"]


def test_markup_in_the_source_name_stays_visible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich markup in the source name must print as typed (file names come from users)."""
    monkeypatch.chdir(tmp_path)  # a short relative name: the header line must not wrap, however deep tmp_path is
    path = Path("[bold]x[red].log")
    path.write_text("[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\n", encoding="utf-8")
    result = run(["analyze", str(path), "--no-color"])
    assert "[bold]x[red].log" in result.stdout


def test_a_long_source_path_stays_whole_on_its_line(tmp_path: Path) -> None:
    """The header names the file on one line, however long its path, so it can be copied from the report."""
    path = tmp_path / ("a" * 70) / ("b" * 70) / "Editor.log"
    path.parent.mkdir(parents=True)
    path.write_text("[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\n", encoding="utf-8")
    result = run(["analyze", str(path), "--no-color"])
    assert f"loglens {path}" in result.stdout.splitlines()


def _zipped(data: bytes) -> bytes:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Player.log", data)
    return packed.getvalue()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no such file"),  # missing file
        (lambda p: p.mkdir(), "is a directory"),  # a directory
        (lambda p: p.write_bytes(bytes(range(256)) * 64), "binary"),  # binary junk
        (lambda p: p.write_bytes(b""), "empty"),  # empty input
        # a ticket's packed attachment: named, so the reader knows to unpack it
        (lambda p: p.write_bytes(gzip.compress(b"[Info][SDK]: x\n" * 500)), "packed with gzip"),
        (lambda p: p.write_bytes(_zipped(b"[Info][SDK]: x\n" * 500)), "packed with zip"),
        (lambda p: p.write_bytes(bz2.compress(b"[Info][SDK]: x\n" * 500)), "packed with bzip2"),
        (lambda p: p.write_bytes(lzma.compress(b"[Info][SDK]: x\n" * 500)), "packed with xz"),
    ],
)
def test_unusable_input(tmp_path: Path, setup: object, message: str) -> None:
    path = tmp_path / "input.log"
    setup(path)  # type: ignore[operator]
    result = run(["analyze", str(path)])
    assert result.exit_code == ExitCode.INPUT
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("loglens: error:")


@pytest.mark.slow
def test_huge_single_line(tmp_path: Path) -> None:
    """A 5 MB line is read, not parsed, and the user is told why in one line."""
    path = tmp_path / "one-line.log"
    # a cut-off token run of base64 letters: the worst case for any pattern that backtracks
    path.write_bytes(b"[Debug][Transport]: Token: eyJ" + b"A" * 5_000_000)
    text = run(["analyze", str(path), "--no-color"])
    assert text.exit_code == ExitCode.OK and "AAAAAAAA" * 100 not in text.stdout
    result = run(["analyze", str(path), "--format", "json"])
    assert result.exit_code == ExitCode.OK
    notes = [line for line in result.stderr.splitlines() if "not parsed" in line]
    assert len(notes) == 1 and "line 1" in notes[0]
    assert json.loads(result.stdout)["summary"]["lines"] == 1


def test_empty_stdin() -> None:
    result = run(["analyze", "-"], stdin="")
    assert result.exit_code == ExitCode.INPUT and "empty" in result.stderr


def test_clipboard_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # no clipboard tool to be found
    result = run(["analyze", "--clipboard"])
    assert result.exit_code == ExitCode.INPUT
    assert "xclip" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_clipboard_paste(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("loglens.cli.clipboard.paste", lambda: LOG)
    result = run(["analyze", "--clipboard", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["source"] == "<clipboard>" and data["summary"]["errors"] == 3


def test_clipboard_and_path_conflict(log_file: Path) -> None:
    result = run(["analyze", str(log_file), "--clipboard"])
    assert result.exit_code == ExitCode.INPUT and "not both" in result.stderr


def test_explain() -> None:
    result = run(["explain", "connection.connect_speaker_limit_reached", "--no-color"])
    assert result.exit_code == 0
    for section in ("What it means", "Retried by the SDK", "Likely causes", "Fix", "Verify", "Example line"):
        assert section in result.stdout
    assert "Not retried" in result.stdout


def test_explain_unknown_suggests() -> None:
    result = run(["explain", "transport.ice_faild"])
    assert result.exit_code == ExitCode.INPUT
    assert "transport.ice_failed" in result.stderr and result.stdout == ""


def test_codes_table_and_json() -> None:
    result = run(["codes", "--category", "transport", "--no-color"])
    assert result.exit_code == 0
    assert "transport.ice_failed" in result.stdout and "connection.timeout" not in result.stdout
    data = json.loads(run(["codes", "--format", "json"]).stdout)
    by_code = {c["code"]: c for c in data}
    assert by_code["connection.failed"]["retryable"] is None
    assert by_code["transport.livekit_error"]["retryable"] is False


def test_codes_unknown_category() -> None:
    result = run(["codes", "--category", "nope"])
    assert result.exit_code == ExitCode.INPUT and "known: config" in result.stderr


def test_usage_error_exit_code() -> None:
    result = CliRunner().invoke(app, ["analyze", "--format", "yaml"])
    assert result.exit_code == ExitCode.INPUT


def test_internal_error_is_one_line(monkeypatch: pytest.MonkeyPatch, log_file: Path) -> None:
    """A bug shows as one line naming the exception type, never its text (it could quote a secret)."""
    import loglens.report as module  # where the command finds `analyze` when it runs

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"leaked {TOKEN}")

    monkeypatch.setattr(module, "analyze", boom)
    monkeypatch.delenv("LOGLENS_DEBUG", raising=False)
    result = run(["analyze", str(log_file)])
    assert result.exit_code == ExitCode.INTERNAL
    assert result.stderr.strip() == ("loglens: internal error (RuntimeError); rerun with LOGLENS_DEBUG=1 and report it")
    assert TOKEN not in result.stderr + result.stdout


def _commands(group: click.Group) -> list[str]:
    return sorted(group.commands)


def test_every_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in _commands(app):
        command = app.commands[name]
        assert command.help and len(command.help) > 40, name
        assert "Example" in command.help, name
        assert re.search(rf"`loglens {name}\b", readme), f"{name} is not documented in the README"
        result = run([name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.stdout


def test_python_dash_m_runs_from_another_directory(tmp_path: Path, log_file: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "loglens", "analyze", str(log_file), "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["errors"] == 3
