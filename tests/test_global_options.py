"""`-q/--quiet`, `-v/--verbose` and `--no-color` work on every command, before or after its name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from loglens.cli import COMMANDS, app
from loglens.errors import ExitCode

KEY = "0f3c9a7e21b84d6590ce1a2b3c4d5e6f"
LOG = (
    "[Warning][SDK]: [SessionMetrics] Session error: connection.timout\n"  # one typo from connection.timeout
    f"X-API-Key: {KEY}\n"
)


def run(args: list[str]) -> Result:
    return CliRunner().invoke(app, args)


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "x.log"
    path.write_text(LOG, encoding="utf-8")
    return path


def args_for(command: str, log: Path) -> list[str]:
    """A working invocation of each command (a new bundle folder each time: `ticket` never reuses one)."""
    bundle = log.parent / f"bundle-{len(list(log.parent.iterdir()))}"
    return {
        "network": ["network"],
        "ticket": ["ticket", str(log), "-o", str(bundle)],
        "analyze": ["analyze", str(log)],
        "check": ["check", str(log)],
        "codes": ["codes"],
        "explain": ["explain", "401"],
        "livekit": ["livekit", str(log), "--explain-test"],
        "redact": ["redact", str(log), "-o", str(log.with_suffix(".safe.log"))],
        "schema": ["schema"],
    }[command]


@pytest.mark.parametrize("flag", ["-q", "--quiet", "-v", "--verbose", "--no-color"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_takes_the_global_flags_on_either_side(log: Path, command: str, flag: str) -> None:
    plain = run(args_for(command, log))
    before = run([flag, *args_for(command, log)])
    after = run([*args_for(command, log), flag])
    assert before.exit_code == plain.exit_code != ExitCode.INPUT, before.output
    assert after.exit_code == plain.exit_code, after.output
    assert re.sub(r"bundle-\d+", "", before.stdout) == re.sub(r"bundle-\d+", "", after.stdout)
    assert "\x1b[" not in before.stdout if flag == "--no-color" else True


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_silences_stderr_reports(log: Path, where: str) -> None:
    def quietly(args: list[str]) -> Result:
        return run(["--quiet", *args] if where == "before" else [*args, "--quiet"])

    assert "did you mean connection.timeout" in run(["analyze", str(log)]).stderr
    assert quietly(["analyze", str(log)]).stderr == ""
    safe = log.with_suffix(".safe.log")
    assert "redacted 1 values" in run(["redact", str(log), "-o", str(safe)]).stderr
    assert quietly(["redact", str(log), "-o", str(safe)]).stderr == ""
    dirty = quietly(["check", str(log)])
    assert dirty.exit_code == ExitCode.FINDINGS and dirty.stderr == "" and dirty.stdout


def test_verbose_says_what_was_read(log: Path) -> None:
    assert "loglens: read 2 lines from" in run(["--verbose", "analyze", str(log)]).stderr
    clean = log.with_name("clean.log")
    clean.write_text("plain\n", encoding="utf-8")
    assert f"loglens: {clean}: clean" in run(["-v", "check", str(clean)]).stderr


def test_a_command_keeps_its_own_option_of_the_same_name(log: Path) -> None:
    """`analyze --no-color` is analyze's own; `-- -q` is a path, not a flag."""
    assert run(["analyze", str(log), "--no-color"]).exit_code == ExitCode.OK
    result = run(["check", "--", "-q"])
    assert result.exit_code == ExitCode.INPUT and "no such file: -q" in result.stderr
