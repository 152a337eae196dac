"""Names a user gives (input paths, `explain` arguments) are echoed masked, by the one `mask_name` (#8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.masking import mask_name
from tests.support.tokens import mint_token

KEY = "0123456789abcdef" + "fedcba9876543210"
EMAIL = "alice.smith77@example.org"
USER = "jdoe77private"
TOKEN = mint_token(identity="player-8", room="lobby-8", exp=1_935_000_000, nbf=1_750_000_000)
BODY = f"[Debug][Transport]: Token: {TOKEN}; Room Name: r; Room URL: wss://p.livekit.cloud; Session ID: s1\n"


def _pieces(secret: str) -> list[str]:
    return [secret[i : i + 12] for i in range(len(secret) - 11)]


def _leaks(secret: str, text: str) -> list[str]:
    return [piece for piece in _pieces(secret) if piece in text]


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        (f"/tmp/x/Player-{KEY}.log", KEY),  # a bare API key in the file name
        (f"/tmp/{EMAIL}/Editor.log", EMAIL),  # an e-mail folder (a support engineer's inbox layout)
        (f"/Volumes/Data/Users/{USER}/Library/Logs/Unity/Editor.log", USER),  # home folder on a second volume
        (f"/tmp/t/Users/{USER}/Editor.log", USER),  # a Users folder at any depth
        (f"D:\\Users\\{USER}\\AppData\\Editor.log", USER),  # Windows, another drive
        (f"\\\\srv\\share\\Users\\{USER}\\Editor.log", USER),  # UNC share
        (f"/var/home/{USER}/Editor.log", USER),  # Fedora Silverblue home
        (f"/tmp/a/home/{USER}/Editor.log", USER),  # a home folder under a chroot or mount
        (f"/tmp/x-{TOKEN[:40]}.log", TOKEN[:40]),  # the start of a token
    ],
)
def test_mask_name_hides_a_secret_in_any_part_of_a_path(name: str, secret: str) -> None:
    assert not _leaks(secret, mask_name(name))


@pytest.mark.parametrize(
    "name",
    [
        "Logs/Editor.log",  # an ordinary relative path is kept as it is
        "Assets/Users/Shared/notes.log",  # a shared profile name is not a user
        "build-2024.log",  # digits that are not a key
    ],
)
def test_mask_name_keeps_an_ordinary_path(name: str) -> None:
    assert mask_name(name) == name


def _write(tmp_path: Path, secret_part: str) -> Path:
    path = tmp_path / secret_part / "Editor.log"
    path.parent.mkdir(parents=True)
    path.write_text(BODY, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        (["check"], False),  # text: path:line:kind and the fix hint
        (["check", "--format", "json"], False),  # json file fields
        (["check", "--format", "sarif"], False),  # artifactLocation.uri
        (["analyze", "--format", "json"], False),  # the report's source
        (["analyze"], True),  # can't read this file
        (["check"], True),
        (["livekit"], True),
        (["redact"], True),
    ],
)
@pytest.mark.parametrize("secret", [KEY, EMAIL])
def test_no_command_echoes_a_secret_from_the_input_path(
    tmp_path: Path, args: list[str], missing: bool, secret: str
) -> None:
    path = _write(tmp_path, f"logs-{secret}")
    given = str(path) + ".old" if missing else str(path)
    result = CliRunner().invoke(app, [*args, given])
    assert result.exit_code == (2 if missing else result.exit_code)
    assert not _leaks(secret, result.output + result.stderr)


@pytest.mark.parametrize("secret", [KEY, EMAIL])
def test_ticket_bundle_holds_no_secret_from_the_input_name(tmp_path: Path, secret: str) -> None:
    path = _write(tmp_path, f"logs-{secret}")
    out = tmp_path / "bundle"
    result = CliRunner().invoke(app, ["ticket", str(path), "-o", str(out)])
    assert not _leaks(secret, result.output + result.stderr)
    for written in out.rglob("*"):
        if written.is_file():
            assert not _leaks(secret, written.read_text(encoding="utf-8", errors="replace")), written.name


@pytest.mark.parametrize(
    "arg",
    [
        TOKEN,  # a bare token
        f"invalid token: {TOKEN}, error: token is expired",  # the error line as the user saw it
        KEY,  # a bare API key
        EMAIL,  # an e-mail
    ],
)
def test_explain_does_not_echo_a_secret_argument(arg: str) -> None:
    result = CliRunner().invoke(app, ["explain", arg])
    assert result.exit_code == 2
    secret = TOKEN if TOKEN in arg else arg
    assert not _leaks(secret, result.output + result.stderr)


@pytest.mark.parametrize(
    "arg",
    [
        f"[Error][Transport]: transport.ice_failed: ICE failed, token {TOKEN}",  # a pasted line with its token
        "error code TRANSPORT.ICE_FAILED seen",  # any case
    ],
)
def test_explain_explains_a_known_code_inside_a_pasted_line(arg: str) -> None:
    result = CliRunner().invoke(app, ["explain", arg])
    assert result.exit_code == 0, result.stderr
    assert "transport.ice_failed" in result.output
    assert not _leaks(TOKEN, result.output)


@pytest.mark.parametrize("secret", [KEY, EMAIL])
def test_an_error_never_carries_a_secret_in_its_message(secret: str) -> None:
    """The one error type for a user keeps its message masked, printed or raised in a library caller's code."""
    from loglens.errors import LoglensError

    error = LoglensError(f"no such folder: /tmp/{secret}/x")
    assert not _leaks(secret, error.message) and not _leaks(secret, str(error))


@pytest.mark.parametrize("secret", [KEY, EMAIL])
def test_error_messages_mask_an_output_folder_a_config_key_and_an_option_value(tmp_path: Path, secret: str) -> None:
    log = tmp_path / "Editor.log"
    log.write_text("[Info][SDK]: Session started\n", encoding="utf-8")
    config = tmp_path / "cfg.toml"
    config.write_text(f'[redact]\n"unknown_{secret}" = 1\n', encoding="utf-8")
    runs = [
        ["redact", str(log), "-o", str(tmp_path / secret / "x" / "safe.log")],  # "no such folder"
        ["redact", str(log), "--config", str(config)],  # "unknown key"
        ["analyze", str(log), "--format", secret],  # click's "Invalid value for '--format'"
        ["redact", str(log), f"--{secret}"],  # click's "No such option"
    ]
    for args in runs:
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, args
        assert not _leaks(secret, result.output), args


@pytest.mark.parametrize("secret", [KEY, EMAIL])
def test_notes_about_files_never_carry_a_secret_from_their_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    """The notes `redact` writes to stderr (the map, the kept original) name files by the one masked `shown`."""
    home = tmp_path / "home" / USER
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("LOGLENS_BACKUP_DIR", str(home / f"kept-{secret}"))
    path = _write(tmp_path, f"logs-{secret}")
    runner = CliRunner()
    mapped = runner.invoke(app, ["redact", str(path), "-o", str(path) + ".out", "--map", str(path) + ".map"])
    in_place = runner.invoke(app, ["redact", str(path), "--in-place"])
    assert mapped.exit_code == 0 and in_place.exit_code == 0, mapped.stderr + in_place.stderr
    assert "placeholder map written to" in mapped.stderr and "is kept at ~" in in_place.stderr
    assert not _leaks(secret, mapped.stderr + in_place.stderr)
    assert USER not in in_place.stderr  # the kept original is named from `~`, which names nobody


# what click quotes back before any command runs: the group's own options and the command name
_GROUP_ERRORS = [
    ["--{s}"],  # "No such option '--<what was typed>'"
    ["--{s}", "analyze"],
    ["--{s}=x", "analyze"],
    ["--colr", "{s}"],  # a mistyped option, then a value
    ["--color={s}"],  # a flag given a value
    ["--version={s}"],
    ["nosuchcommand", "{s}"],
    ["{s}"],  # the secret typed as the command
    ["{s}", "x.log"],
    ["-q", "--{s}", "check"],
    ["check", "--{s}"],  # a command's own options, for comparison
    ["analyze", "--format", "{s}"],  # a bad choice
]


@pytest.mark.parametrize("args", _GROUP_ERRORS)
@pytest.mark.parametrize("secret", [TOKEN, KEY, EMAIL])
def test_no_usage_error_echoes_a_secret_argument(args: list[str], secret: str) -> None:
    result = CliRunner().invoke(app, [arg.format(s=secret) for arg in args])
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output
    assert not _leaks(secret, result.output + result.stderr)


@pytest.mark.parametrize("secret", [TOKEN, KEY, EMAIL])
def test_the_console_script_masks_a_group_level_usage_error(secret: str) -> None:
    import subprocess

    from tests.support.process import LOGLENS

    for args in (["--{s}"], ["--{s}=1", "analyze"], ["{s}"]):
        ran = subprocess.run(
            [*LOGLENS, *(arg.format(s=secret) for arg in args)], capture_output=True, timeout=60, check=False
        )
        assert ran.returncode == 2, ran.stderr
        assert b"Error:" in ran.stderr
        assert not _leaks(secret, (ran.stdout + ran.stderr).decode("utf-8", "replace")), args
