"""The real console script on terminals (ptys) and closed pipes: exit statuses, color variables, one Ctrl-D, and
nothing a terminal would act on, from log text or from file names."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from loglens.errors import ExitCode
from loglens.text import printable, printable_lines, terminal_json
from tests.conftest import SAMPLES
from tests.support.process import LOGLENS, run, run_into_closed_pipe
from tests.support.tokens import mint_token

# real terminals (ptys) and pipes around the console script: a process per case
pytestmark = pytest.mark.slow

TOKEN = mint_token(identity="player-3", room="room-tty", exp=1_950_000_000, nbf=1_700_000_000)
SAMPLE = str(SAMPLES / "player-ice-failed.log")
LIVEKIT_SAMPLE = str(SAMPLES / "editor-connected.log")
COLOR = re.compile(rb"\x1b\[(?:\d+;)*(?:3[0-79]|9[0-7]|38;[25])[;m]")  # a foreground color, any form
C1_AND_BIDI = ("\x9b", "\u202e", "\u2066")
HOSTILE = (
    "[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed a\x9b2Jb \u202eexe.gol\u202c c\u2066d\r\n"
)


# --- 9.10: a closed pipe ends output quietly, with the status the command would have had -------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["analyze", SAMPLE], 0),  # text view
        (["analyze", SAMPLE, "--format", "json"], 0),  # JSON
        (["explain", "transport.ice_failed"], 0),  # one code's page
        (["codes"], 0),  # the catalogue
        (["livekit", "--explain-test"], 0),  # the connection test guide
        (["livekit", LIVEKIT_SAMPLE], 0),  # the two fields
        (["redact", LIVEKIT_SAMPLE], 0),  # the redacted copy
        (["check", LIVEKIT_SAMPLE], 1),  # findings: the gate still fails
        (["schema"], 0),  # the JSON Schema
    ],
)
def test_a_closed_pipe_keeps_the_exit_status(args: list[str], code: int) -> None:
    ran = run_into_closed_pipe(args)
    assert ran.code == code, ran.err
    assert b"Traceback" not in ran.err and b"Exception ignored" not in ran.err


full_device = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs a device that is always full")


@full_device
@pytest.mark.parametrize(
    "args",
    [
        ["analyze", SAMPLE],  # text, to a full stdout
        ["analyze", SAMPLE, "--format", "json"],  # JSON
        ["redact", LIVEKIT_SAMPLE],  # the redacted copy on stdout
        ["check", LIVEKIT_SAMPLE],  # the findings
        ["redact", LIVEKIT_SAMPLE, "-o", "/dev/full"],  # the copy to a full device named by -o
    ],
)
def test_a_full_output_is_one_error_line(args: list[str]) -> None:
    """A write the disk cannot take (ENOSPC) is the place's problem: one line and exit 2, no traceback."""
    with open("/dev/full", "wb") as full:
        done = subprocess.run([*LOGLENS, *args], stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == ExitCode.INPUT, done.stderr
    said = done.stderr.decode().strip().splitlines()
    assert said == ["loglens: error: cannot write the output: No space left on device"]


# --- 9.11: NO_COLOR and FORCE_COLOR -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "tty", "colored"),
    [
        (["analyze", SAMPLE], {}, ("stdout",), True),  # a terminal gets color
        (["analyze", SAMPLE], {"NO_COLOR": "1"}, ("stdout",), False),  # unless NO_COLOR says no
        (["livekit", LIVEKIT_SAMPLE], {"NO_COLOR": "1"}, ("stdout",), False),  # in every view
        (["explain", "transport.ice_failed"], {"NO_COLOR": "1"}, ("stdout",), False),  # even the catalogue
        (["analyze", SAMPLE, "--color"], {"NO_COLOR": "1"}, ("stdout",), True),  # the flag wins over the variable
        (["analyze", SAMPLE], {"FORCE_COLOR": "1"}, (), True),  # FORCE_COLOR colors a pipe
        (["analyze", SAMPLE], {}, (), False),  # a pipe gets none by default
    ],
)
def test_color_variables(args: list[str], env: dict[str, str], tty: tuple[str, ...], colored: bool) -> None:
    ran = run(args, tty=tty, env=env)
    assert ran.code == 0, ran.err
    assert bool(COLOR.search(ran.out)) is colored


# --- 9.12: one Ctrl-D ends a paste ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["analyze", "livekit", "redact"])
def test_one_ctrl_d_ends_a_paste_on_a_terminal(command: str) -> None:
    text = Path(LIVEKIT_SAMPLE).read_bytes().replace(b"\r\n", b"\n")[:3000].rsplit(b"\n", 1)[0] + b"\n"
    ran = run([command, "-"], tty=("stdin",), keys=[text, b"\x04"], timeout=20)
    assert ran.code is not None, "still waiting after one Ctrl-D"
    assert ran.err.startswith(b"loglens: paste the Console text, then press Ctrl-D")


# --- 9.13: nothing a terminal acts on reaches it, from any view or any file name -----------------------------------


@pytest.mark.parametrize(
    ("text", "one_line", "lines"),
    [
        ("c1 \x9b2J", "c1 \\x9b2J", "c1 \\x9b2J"),  # the one-byte CSI
        ("a\u202eb", "a\\u202eb", "a\\u202eb"),  # right-to-left override
        ("a\u2066b\u2069", "a\\u2066b\\u2069", "a\\u2066b\\u2069"),  # isolates
        ("over\rprint", "over\\x0dprint", "over\\x0dprint"),  # a lone CR overprints
        ("ends\r", "ends\\x0d", "ends\\x0d"),  # even at the very end
        ("line\r\nnext", "line\\x0d\\nnext", "line\r\nnext"),  # CRLF is a line ending
        ("sep\u2028x", "sep\\u2028x", "sep\\u2028x"),  # Unicode line separator
    ],
)
def test_escaping_table(text: str, one_line: str, lines: str) -> None:
    assert printable(text) == one_line
    assert printable_lines(text) == lines


def test_terminal_json_is_the_same_value() -> None:
    data = {"message": HOSTILE, "plain": "é ok"}
    shown = terminal_json(json.dumps(data, ensure_ascii=False))
    assert not any(c in shown for c in C1_AND_BIDI) and json.loads(shown) == data and "é ok" in shown


@pytest.fixture
def hostile_log(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.log"
    path.write_bytes(HOSTILE.encode("utf-8") * 3)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "{log}"],  # text
        ["analyze", "{log}", "--format", "markdown"],  # Markdown
        ["analyze", "{log}", "--format", "json"],  # JSON on a terminal
        ["redact", "{log}"],  # the redacted copy on a terminal
    ],
)
def test_no_c1_or_bidi_control_reaches_a_terminal(args: list[str], hostile_log: Path) -> None:
    ran = run([a.format(log=hostile_log) for a in args], tty=("stdout",))
    assert ran.code == 0, ran.err
    shown = ran.out.decode("utf-8")
    assert "exe.gol" in shown or "markdown" in args  # the text is there, made safe (Markdown shows codes only)
    assert not any(c in shown for c in C1_AND_BIDI), shown
    assert not re.search(r"\r(?!\n)", shown)
    if "json" in args:  # still the same JSON value as through a pipe
        piped = run([a.format(log=hostile_log) for a in args], tty=()).out
        assert json.loads(shown) == json.loads(piped)


def test_json_through_a_pipe_stays_exact(hostile_log: Path) -> None:
    ran = run(["analyze", str(hostile_log), "--format", "json"], tty=())
    assert "\u202eexe.gol\u202c" in json.loads(ran.out)["errors"][0]["message"]
    assert "\u202e".encode() in ran.out  # as the log has it, not escaped


@pytest.mark.parametrize(
    "name",
    [
        "x\x1b]8;;http://x/\x1b\\y",  # an OSC 8 hyperlink
        "clear\x1b[2J",  # CSI 2J clears the screen
        "rlo\u202egol.exe",  # right-to-left override
    ],
)
@pytest.mark.parametrize("command", ["analyze", "check", "livekit", "redact"])
def test_file_names_in_errors_are_escaped(name: str, command: str, tmp_path: Path) -> None:
    missing = tmp_path / name
    folder = tmp_path / f"dir-{name.replace('/', '_')}"
    folder.mkdir()
    for target in (missing, folder):
        ran = run([command, str(target)], tty=("stderr",))
        assert ran.code == 2, ran.err
        shown = ran.err.decode("utf-8")
        assert "\x1b" not in shown and "\u202e" not in shown, shown
        assert shown.count("\n") == 1


def test_a_newline_in_a_file_name_makes_no_fake_check_line(tmp_path: Path) -> None:
    path = tmp_path / "a.log\nfake.log:1:livekit-token"
    path.write_text(f"[Debug][Transport]: Token: {TOKEN}; Room Name: r\n", encoding="utf-8")
    ran = run(["check", str(path)], tty=())
    assert ran.code == 1
    lines = ran.out.decode().splitlines()
    assert lines and all(line.startswith(str(tmp_path) + "/a.log\\nfake.log") for line in lines)


# --- a log whose encoding changes at a line (UTF-16 with UTF-8 appended, or the reverse) on a terminal ---------------


def _mixed_case(name: str) -> list[tuple[str, bytes, str]]:
    from tests.test_mixed_encodings import BOM, CASES, LE, U8, secrets

    if name != "accents":
        return CASES[name]
    # PowerShell 5's `>` (UTF-16LE) and then UTF-8 appended, both with letters outside ASCII
    return [(LE, BOM[LE], "[Info][SDK]: café au lait\r\n"), (U8, b"", "[Info][SDK]: thé vert\r\n" + secrets("\r\n"))]


@pytest.mark.parametrize(
    ("case", "shown"),
    [("le-then-utf8", "utf-8"), ("utf8-then-be-bom", "utf-8"), ("le-utf8-le", "utf-8"), ("accents", "utf-8"),
     ("accents", "latin-1")],
)  # fmt: skip
def test_redact_shows_every_run_of_a_mixed_log_as_text(case: str, shown: str, tmp_path: Path) -> None:
    """Through a pipe each run goes back in its own encoding; a terminal is shown every run decoded, in its own
    encoding, with no BOM and no NUL between the letters."""
    from loglens.redaction.rewrite import redact_bytes
    from tests.test_mixed_encodings import build

    parts = _mixed_case(case)
    path = tmp_path / "mixed.log"
    path.write_bytes(build(parts))
    ran = run(["redact", str(path)], tty=("stdout",), env={"PYTHONIOENCODING": shown})
    assert ran.code == 0, ran.err
    text = redact_bytes("".join(text for _, _, text in parts).encode())[0].decode()
    assert ran.out == text.encode(shown), ran.out[:200]
    piped = run(["redact", str(path)], tty=())
    assert piped.code == 0 and piped.out != ran.out and b"\x00" in piped.out
