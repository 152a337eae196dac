"""Config files as users expect them: found walking up to the repository root, always named when applied, errors
that point at the line, and no config that can switch redaction or its re-scan off."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from loglens.cli import app
from loglens.errors import ExitCode

LOG = "mail noreply@example.com\nplain\n"


def run(args: list[str]) -> Result:
    return CliRunner().invoke(app, args)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with a log two folders down."""
    root = tmp_path / "game"
    (root / ".git").mkdir(parents=True)
    (root / "Logs" / "today").mkdir(parents=True)
    (root / "Logs" / "today" / "Editor.log").write_text(LOG, encoding="utf-8")
    return root


ALLOW_EXAMPLE = "[redact]\nallow_patterns = ['.*@example\\.com']\n"


@pytest.mark.parametrize(
    ("where", "name", "text"),
    [
        (".", ".loglens.toml", ALLOW_EXAMPLE),  # at the repository root
        ("Logs", ".loglens.toml", ALLOW_EXAMPLE),  # in a folder between
        (".", "pyproject.toml", "[project]\nname = 'game'\n[tool.loglens.redact]\nallow = ['noreply@example.com']\n"),
    ],
)
def test_config_is_found_walking_up_and_named(
    repo: Path, monkeypatch: pytest.MonkeyPatch, where: str, name: str, text: str
) -> None:
    (repo / where / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(repo / "Logs" / "today")
    result = run(["check", "Editor.log"])
    assert result.exit_code == ExitCode.OK, result.output
    assert "loglens: using config " in result.stderr and name in result.stderr


def test_search_stops_at_the_repository_root(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo.parent / ".loglens.toml").write_text(ALLOW_EXAMPLE, encoding="utf-8")  # outside the repository
    monkeypatch.chdir(repo / "Logs" / "today")
    result = run(["check", "Editor.log"])
    assert result.exit_code == ExitCode.FINDINGS and "using config" not in result.stderr


def test_a_pyproject_without_our_table_is_passed_over(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "Logs" / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n", encoding="utf-8")
    (repo / ".loglens.toml").write_text(ALLOW_EXAMPLE, encoding="utf-8")
    monkeypatch.chdir(repo / "Logs" / "today")
    assert "using config ../../.loglens.toml" in run(["check", "Editor.log"]).stderr.replace("\\", "/")


def test_redact_and_check_json_name_the_config(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / ".loglens.toml").write_text(ALLOW_EXAMPLE, encoding="utf-8")
    monkeypatch.chdir(repo)
    assert "using config .loglens.toml" in run(["redact", "Logs/today/Editor.log"]).stderr
    assert '"config": ".loglens.toml"' in run(["check", "Logs/today/Editor.log", "--format", "json"]).stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[redact]\nprofile = 'public'\nalow = ['x']\n",
            ".loglens.toml:3: unknown key 'alow' in [redact]; did you mean 'allow'?",
        ),  # typo
        (
            "[redact]\nkeep-claims = true\n",
            ".loglens.toml:2: unknown key 'keep-claims' in [redact]; did you mean 'keep_claims'?",
        ),  # dash for underscore
        ("[redcat]\nallow = []\n", ".loglens.toml:1: unknown table [redcat]; did you mean 'redact'?"),  # misspelt table
        ("[redact]\nprofile = 'private'\n", ".loglens.toml:2: [redact] profile:"),  # a value not allowed
        ("[redact]\nallow = [\n  'a',\n  b\n]\n", ".loglens.toml:4: not valid TOML"),  # broken TOML points at its line
    ],
)
def test_config_errors_name_file_line_and_closest_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    (tmp_path / ".loglens.toml").write_text(text, encoding="utf-8")
    (tmp_path / "x.log").write_text(LOG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(["check", "x.log"])
    assert result.exit_code == ExitCode.INPUT and f"loglens: error: {message}" in result.stderr, result.stderr


@pytest.mark.parametrize(
    "pattern",
    [
        ".*",  # everything
        "(?s).*",  # everything, across lines
        "eyJ.*",  # every token
        "[0-9a-f]{32}",  # every API key
        "x?",  # matches empty text
    ],
)
@pytest.mark.parametrize("command", ["check", "redact"])
def test_a_config_cannot_switch_redaction_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pattern: str, command: str
) -> None:
    (tmp_path / ".loglens.toml").write_text(f"[redact]\nallow_patterns = ['{pattern}']\n", encoding="utf-8")
    (tmp_path / "x.log").write_text(LOG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run([command, "x.log"])
    assert result.exit_code == ExitCode.INPUT, result.output
    assert "would let real secrets through" in result.stderr and "noreply" not in result.stdout


@pytest.mark.parametrize(
    ("pattern", "what", "secret"),
    [
        (".+@.+", "any e-mail address", "maria.gonzalez@example-corp.com"),
        ("[a-z]+", "any user name", "mgonzalez"),
        (r"\\d+\\.\\d+\\.\\d+\\.\\d+", "any IP address", "203.0.113.45"),  # in TOML: \d+\.\d+...
        ("[0-9a-f-]{36}", "any end-user id", "maria.gonzalez"),
        ("[a-z ]+[0-9]*", "any user name", "maria.gonzalez"),
        ("[^<]*", "empty text", "maria.gonzalez"),
    ],
)
@pytest.mark.parametrize("command", ["check", "redact"])
def test_a_config_cannot_allow_a_whole_class_of_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pattern: str, what: str, secret: str, command: str
) -> None:
    """An allow pattern names specific values; one that matches an ordinary e-mail, user name, IP, end-user id or
    player text would switch that class off, and is refused with the file and the line it is on."""
    (tmp_path / ".loglens.toml").write_text(
        f'[redact]\nprofile = "default"\nallow_patterns = [\n  "noreply@example\\\\.com",\n  "{pattern}",\n]\n',
        encoding="utf-8",
    )
    (tmp_path / "x.log").write_text(
        "Resolved End User ID: maria.gonzalez@example-corp.com\n(Filename: C:/Users/mgonzalez/X.cs Line: 5)\n"
        "connected from 203.0.113.45\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = run([command, "x.log"])
    assert result.exit_code == ExitCode.INPUT, result.output
    assert result.stderr.splitlines()[-1] == (
        f"loglens: error: .loglens.toml:5: an allow pattern matches {what}; it would let real secrets through"
        " (allow specific values only)"
    )
    assert secret not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("pattern", "line"),
    [
        (r"noreply@example\\.com", "mail noreply@example.com"),
        (r"10\\.0\\.0\\.\\d+", "connected from 10.0.0.7"),
        (r"build-agent-0[1-9]", "(Filename: C:/Users/build-agent-03/X.cs Line: 5)"),
    ],
)
def test_an_allow_pattern_naming_specific_values_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pattern: str, line: str
) -> None:
    (tmp_path / ".loglens.toml").write_text(f'[redact]\nallow_patterns = ["{pattern}"]\n', encoding="utf-8")
    (tmp_path / "x.log").write_text(f"{line}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["check", "x.log"]).exit_code == ExitCode.OK
    (tmp_path / ".loglens.toml").unlink()
    assert run(["check", "x.log"]).exit_code == ExitCode.FINDINGS  # the pattern is what let it through


@pytest.mark.parametrize("command", ["check", "redact"])
def test_a_config_cannot_allow_a_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    from tests.support.tokens import mint_token

    token = mint_token(identity="p", room="r", exp=1_950_000_000, nbf=1_700_000_000)
    (tmp_path / ".loglens.toml").write_text(f"[redact]\nallow = ['{token}']\n", encoding="utf-8")
    (tmp_path / "x.log").write_text(f"Token: {token}; Room Name: r\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run([command, "x.log"])
    assert result.exit_code == ExitCode.INPUT and "allow value is a whole LiveKit token" in result.stderr
    assert token not in result.output


KEY = "3f9a0c1e5b7d2468ace0f13579bdf024"  # fake, shaped like a Convai API key
SECRET = "hunter2-Qx8zLm4v"  # fake, behind a `password=` label
ICE_PWD = "Qx8zLm4vTq2WnR7yBc5Hd1Js"  # fake, an ICE password: it authenticates a live media path


@pytest.mark.parametrize(
    ("line", "value"),
    [
        (f"[Debug][REST]: X-API-KEY: {KEY}", KEY),
        (f"[Debug][REST]: api_key={KEY}", KEY),
        (f"login password={SECRET}", SECRET),
        (f"a=ice-pwd:{ICE_PWD}", ICE_PWD),
    ],
)
def test_an_allow_value_never_excuses_a_credential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, value: str
) -> None:
    """As a `loglens: allow` mark in the log never excuses a credential, neither does an allow value, on the command
    line or in a config file from an unpacked bundle: check still reports it and redact still hides it."""
    (tmp_path / "x.log").write_text(f"{line}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["check", "x.log", "--allow", value]).exit_code == ExitCode.FINDINGS
    (tmp_path / ".loglens.toml").write_text(f'[redact]\nallow = ["{value}"]\n', encoding="utf-8")
    assert run(["check", "x.log"]).exit_code == ExitCode.FINDINGS
    result = run(["redact", "x.log"])
    assert result.exit_code == ExitCode.OK and value not in result.output
