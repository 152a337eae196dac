"""What a player typed over several lines: every line of the message is player text, behind whatever head each
line carries, in `redact`, `check` and `analyze`; the lines around it stay as they are."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.redaction.blocks import BlockReader
from loglens.redaction.rewrite import Redaction, redact_bytes
from loglens.redaction.verify import Checker

SAID = "[Debug][SDK]: [ConvaiRoomManager] Sent user text message: "
NEXT = "[Debug][SDK]: [SessionMetrics] Session started"
NOISE = "HUD: character portrait shown"

# How each log format writes one line of a message: the line's text in, the line out.
Head = Callable[[str], str]
FORMATS: dict[str, Head] = {
    "plain": lambda body: body,
    "threadtime": lambda body: "10-23 12:15:40.374 11012 11123 I Unity   : " + body,
    "studio-export": lambda body: "2025/06/09 17:00:55.771 21919 21952 Info Unity " + body,
    "studio-export-dashes": lambda body: "2023-05-01 20:07:49.375 24658 24695 Debug Unity " + body,
    "studio-view": lambda body: "2025-10-23 12:15:40.374 11012-11123 Unity   com.studio.game   I  " + body,
    "brief": lambda body: "I/Unity   (27777): " + body,
    "tag": lambda body: "I/Unity: " + body,
    "process": lambda body: f"I(27777) {body}  (Unity)",
    "tag-only": lambda body: "Unity   " + body,
    "quoted": lambda body: "> " + body,
    "timestamped": lambda body: "[16:20:43.400]" + body if body.startswith("[") else "[16:20:43.400] " + body,
}


def _private(message: int, line: int) -> str:
    return f"private words {message}-{line} of the player zqxj"


def _message(head: Head, message: int, continued: int) -> list[str]:
    """A message of `continued` more lines; the last of them reads like a Convai error (the parser would take it
    for one, and analyze would show it in every format). Behind a timestamp that line opens an entry of its own."""
    lines = [SAID + _private(message, 0), *(_private(message, k) for k in range(1, continued + 1))]
    if head is not FORMATS["timestamped"]:
        lines[-1] = "Session error: connection.timeout — " + lines[-1]
    return [head(line) for line in lines]


def _log(head: Head, continued: int, ending: str = "\n") -> tuple[str, list[str]]:
    """Two messages of `continued` extra lines, each followed by an entry and a noise line; and the lines that
    must come out as they went in."""
    kept = [head(NEXT), head(NOISE)]
    lines = [*_message(head, 1, continued), *kept, *_message(head, 2, continued), *kept]
    return ending.join(lines) + ending, kept


def _editor_log(continued: int) -> tuple[str, list[str]]:
    """Editor.log: the message, its stack trace, a blank line and the footer."""
    trace = [
        "UnityEngine.Debug:Log (object)",
        "Convai.Scripts.Runtime.Core.ConvaiRoomManager:SendUserText (string) (at Assets/Convai/Room.cs:212)",
        "",
        "(Filename: Assets/Convai/Room.cs Line: 212)",
        "",
    ]
    lines = [*_message(FORMATS["plain"], 1, continued), *trace, *_message(FORMATS["plain"], 2, continued), *trace]
    return "\n".join(lines) + "\n", [t for t in trace if t]


CASES = [
    *((name, n, *_log(head, n)) for name, head in FORMATS.items() for n in (1, 2, 5)),
    *((f"crlf-{name}", n, *_log(FORMATS[name], n, "\r\n")) for name in ("plain", "threadtime") for n in (1, 3)),
    *((f"editor-log-{n}", n, *_editor_log(n)) for n in (1, 2, 3, 4, 5)),
]
IDS = [f"{name}-{n}" if not name.startswith("editor") else name for name, n, _, _ in CASES]


def _words(text: str) -> list[str]:
    return re.findall(r"private words \d-\d", text)


@pytest.mark.parametrize(("name", "continued", "log", "kept"), CASES, ids=IDS)
def test_redact_hides_every_line_of_a_message(name: str, continued: int, log: str, kept: list[str]) -> None:
    out, _ = redact_bytes(log.encode())
    text = out.decode()
    assert _words(text) == [] and "zqxj" not in text
    rows = text.splitlines()
    assert len(rows) == len(log.splitlines())
    # one message is one value: its first line and each line after it carry one placeholder; the next, another
    for number in (1, 2):
        holders = [row for row in rows if f"<player-text-{number}>" in row]
        assert len(holders) == continued + 1
    assert "<player-text-3>" not in text
    for line in kept:  # the entry, the frames and the noise after a message come out byte for byte
        assert line in rows
    ending = "\r\n" if "\r\n" in log else "\n"
    assert text.count(ending) == log.count(ending)


@pytest.mark.parametrize(("name", "continued", "log", "kept"), CASES, ids=IDS)
def test_check_flags_every_line_of_a_message(
    name: str, continued: int, log: str, kept: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes(log.encode())
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    flagged = {int(row.split(":")[-2]) for row in result.stdout.splitlines()}
    private = {i for i, line in enumerate(log.splitlines(), 1) if "zqxj" in line}
    assert flagged == private
    redacted = tmp_path / "safe.txt"
    redacted.write_bytes(redact_bytes(log.encode())[0])
    assert CliRunner().invoke(app, ["check", str(redacted)]).exit_code == 0


@pytest.mark.parametrize(("name", "continued", "log", "kept"), CASES, ids=IDS)
@pytest.mark.parametrize("form", ["text", "json"])
def test_analyze_shows_no_line_of_a_message(
    name: str, continued: int, log: str, kept: list[str], form: str, tmp_path: Path
) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes((log * 3).encode())  # repeated, so the noise view would list the lines if they were noise
    result = CliRunner().invoke(app, ["analyze", "--format", form, str(path)])
    assert result.exit_code == 0, result.output
    assert "zqxj" not in result.stdout and _words(result.stdout) == []
    if form == "json":
        json.loads(result.stdout)


def test_the_noise_after_a_message_still_shows_in_analyze(tmp_path: Path) -> None:
    """A noise line of a later logcat record is not part of the message: analyze still counts it."""
    later = "10-23 12:15:41.002 11012 11123 I Unity   : " + NOISE
    path = tmp_path / "log.txt"
    path.write_text("\n".join([*_message(FORMATS["threadtime"], 1, 2), later, later]) + "\n")
    result = CliRunner().invoke(app, ["analyze", str(path)])
    assert NOISE in result.stdout and "zqxj" not in result.stdout


@pytest.mark.parametrize(
    "lines",
    [
        [NEXT, NOISE, "Loading scene Main"],  # no player text: nothing goes
        [SAID + "hi there", "UnityEngine.Debug:Log (object)", NOISE],  # a frame ends the message
        [SAID + "hi there", "", NOISE],  # a blank line ends it
        [SAID + "hi there", NEXT, NOISE],  # an entry ends it
        ["<color=cyan>" + SAID + "hi there</color>", NOISE],  # the entry's color closed on its own line
        [SAID + "hi there", "  at Convai.Room.Send () [0x00000] in <00000000000000000000000000000000>:0"],
        [SAID + "hi there", "0x00007ff6c1c8bdec (Unity) StackWalker::GetCurrentCallstack"],
        [SAID + "hi there", "\tat java.lang.Runtime.loadLibrary0(Runtime.java:1077)"],
        [SAID + "hi there", "Convai.Room.Send (System.String text) (at Assets/Convai/Room.cs:344)"],
        # logcat: a line of another record (a later time, another tag or level) is not part of the message
        [f"10-23 12:15:40.374 11012 11123 I Unity   : {SAID}hi", f"10-23 12:15:41.100 11012 11123 I Unity   : {NOISE}"],
        [f"10-23 12:15:40.374 11012 11123 I Unity   : {SAID}hi", f"10-23 12:15:40.374 11012 11123 W Unity   : {NOISE}"],
        [f"10-23 12:15:40.374 11012 11123 I Unity   : {SAID}hi", "10-23 12:15:40.374  1432  1460 I ActivityManager: x"],
        [f"I/Unity   (27777): {SAID}hi", f"I/Unity   (27777): {NEXT}"],
    ],
)
def test_what_follows_a_message_stays_byte_for_byte(lines: list[str]) -> None:
    log = "\n".join(lines) + "\n"
    out = redact_bytes(log.encode())[0].decode()
    assert out.splitlines()[1:] == log.splitlines()[1:]


def test_colored_message_ends_where_its_color_closes() -> None:
    log = f"<color=cyan>{SAID}first words\nsecond words zqxj\nthird words zqxj</color>\n{NOISE}\n"
    out = redact_bytes(log.encode())[0].decode()
    assert out.splitlines() == [
        f"<color=cyan>{SAID}<player-text-1>",
        "<player-text-1>",
        "<player-text-1></color>",
        NOISE,
    ]


def test_transcripts_share_the_mechanism() -> None:
    log = "[Info][Transcript]: Curator Leo: first words\nsecond words zqxj\nthird words zqxj\n\n" + NOISE + "\n"
    out = redact_bytes(log.encode())[0].decode()
    assert out.splitlines() == [
        "[Info][Transcript]: Curator Leo: <transcript-1>",
        "<transcript-1>",
        "<transcript-1>",
        "",
        NOISE,
    ]


def test_different_messages_are_different_values() -> None:
    """Two messages that begin alike but go on differently are two values; the same message twice is one."""
    first = f"{SAID}same start\ngoes on alike\nends one way zqxj\n{NEXT}\n"
    other = f"{SAID}same start\ngoes on alike\nends another way zqxj\n{NEXT}\n"
    out = redact_bytes((first + other + first).encode())[0].decode().splitlines()
    assert out[0:3] == [f"{SAID}<player-text-1>", "<player-text-1>", "<player-text-1>"]
    assert out[4:7] == [f"{SAID}<player-text-2>", "<player-text-2>", "<player-text-2>"]
    assert out[8:11] == out[0:3]


def test_a_message_across_the_end_of_a_block() -> None:
    """The lines of one message that the next block of the reader holds are still the message's."""
    filler = "".join(f"Unity noise line number {i:05d} that is long enough\n" for i in range(40))
    message = f"{SAID}first words\n" + "".join(f"more words {k} zqxj\n" for k in range(30)) + NEXT + "\n"
    data = (filler + message + filler).encode()
    for size in (1024, 2048, 2100, 2500):
        run = Redaction(BlockReader(io.BytesIO(data), block_size=size), check_each_block=True)
        out = b"".join(run).decode()
        assert "zqxj" not in out and out.count("<player-text-1>") == 31
        checker = Checker()
        found = list(checker.scan(BlockReader(io.BytesIO(data), block_size=size)))
        assert len({f.line for f in found}) == 31


def test_the_entry_holds_the_lines_of_its_message() -> None:
    """For library users: the further lines of a message are part of its entry, in no entry's text."""
    from loglens.parse import parse_entries
    from loglens.sources import LineReader

    log, _ = _log(FORMATS["threadtime"], 3)
    entries = list(parse_entries(LineReader(io.BytesIO(log.encode()))))
    assert [(e.line, e.end_line) for e in entries][:3] == [(1, 4), (5, 5), (6, 6)]
    assert not any("zqxj" in e.model_dump_json() or "zqxj" in repr(e) for e in entries)


# Lines a player can type that have the shape of an exception's header or a loose frame (#8)
HEADER_SHAPED = [
    "NullReferenceException: my email is bob dot smith zqxj",
    "Error: my secret plan zqxj",
    "System.Exception: my words zqxj",
    "Rethrow as FooException: my words zqxj",
    "Caused by: java.lang.Foo: my words zqxj",
    " ---> InnerException: my words zqxj",
    "ArgumentException: my words zqxj (Parameter)",
    "my words zqxj UnityException",
    "at the park zqxj",
    "  at the park zqxj",
]
AFTER_SHAPED = {
    "text": ["more words zqxj"],
    "end": [],
    "blank": ["", NOISE],
    "log-call": ["UnityEngine.Debug:Log (object)", "", "(Filename: Assets/Convai/Room.cs Line: 212)"],
}


@pytest.mark.parametrize("after", list(AFTER_SHAPED))
@pytest.mark.parametrize("shaped", HEADER_SHAPED)
def test_a_line_shaped_like_an_exception_inside_a_message_is_what_was_said(
    shaped: str, after: str, tmp_path: Path
) -> None:
    """Not followed by frames of its own, a line that looks like an exception's header is the player's text."""
    from loglens.parse import parse_entries
    from loglens.sources import LineReader

    log = "\n".join([SAID + "hi there", shaped, *AFTER_SHAPED[after]]) + "\n"
    out = redact_bytes(log.encode())[0].decode()
    assert "zqxj" not in out
    path = tmp_path / "log.txt"
    path.write_text(log)
    result = CliRunner().invoke(app, ["check", str(path)])
    flagged = {int(row.split(":")[-2]) for row in result.stdout.splitlines()}
    assert flagged == {i for i, line in enumerate(log.splitlines(), 1) if "zqxj" in line or i == 1}
    entries = list(parse_entries(LineReader(io.BytesIO(log.encode()))))
    assert "zqxj" not in repr(entries) and all("zqxj" not in str(e.model_dump()) for e in entries)


@pytest.mark.parametrize(
    "frame",
    [
        "  at Convai.Room.Send () [0x00000] in <00000000000000000000000000000000>:0",
        "Convai.Room.Send (System.String text) (at Assets/Convai/Room.cs:344)",
        "\tat java.lang.Runtime.loadLibrary0(Runtime.java:1077)",
    ],
)
def test_an_exception_followed_by_its_frames_ends_the_message(frame: str) -> None:
    log = "\n".join([SAID + "hi there", "NullReferenceException: Object reference not set", frame]) + "\n"
    out = redact_bytes(log.encode())[0].decode()
    assert out.splitlines()[1:] == log.splitlines()[1:]


# A player typed an exception and a frame: by their shapes (a header, then a frame only a stack trace writes) the
# message ends there, and the frames join its entry; what the player typed after them is an ordinary line. Every
# secret in any of those lines is still found by its own shape, in every output (#8).
_TYPED_EMAIL = "alice.w77@example.org"
_TYPED_USER = "alicew77"
_TYPED_KEY = "0123456789abcdef" + "fedcba9876543210"
_TYPED_TRACES = {
    "mono": [
        "NullReferenceException: x",
        f"  at Foo.Bar () [0x0] in C:\\Users\\{_TYPED_USER}\\proj\\Foo.cs:12",
    ],
    "mono-mail-in-header": [
        f"NullReferenceException: write to {_TYPED_EMAIL}",
        f"  at Foo.Bar () [0x00012] in /Users/{_TYPED_USER}/proj/Foo.cs:44 ",
    ],
    "unity": [
        "ArgumentException: x",
        f"Foo.Bar () (at C:\\Users\\{_TYPED_USER}\\Assets\\X.cs:3)",
        "Foo.Baz () (at Assets/Convai/Foo.cs:12)",
    ],
    "java": ["java.lang.IllegalStateException: x", f"\tat a.B.c(/home/{_TYPED_USER}/B.java:1)"],
}
_TYPED_AFTER = [
    f"please mail me at {_TYPED_EMAIL} my folder C:\\Users\\{_TYPED_USER}\\x",
    f"Session error: connection.timeout — reach me at {_TYPED_EMAIL}",  # shaped like an error analyze shows
    f"my api key: {_TYPED_KEY}",
]
_TYPED_HEADS = {
    "user-text": SAID + "hi there",
    "transcript": "[Debug][Transcript]: Player transcript: hi there",
    "threadtime": FORMATS["threadtime"](SAID + "hi there"),
}


def _typed_log(head: str, trace: str) -> str:
    wrap = FORMATS["threadtime"] if head == "threadtime" else FORMATS["plain"]
    lines = [_TYPED_HEADS[head], *map(wrap, _TYPED_TRACES[trace] + _TYPED_AFTER), wrap(NEXT)]
    return "\n".join(lines) + "\n"


def _typed_leaks(text: str) -> list[str]:
    return [secret for secret in (_TYPED_EMAIL, _TYPED_USER, _TYPED_KEY) if secret in text]


@pytest.mark.parametrize("trace", list(_TYPED_TRACES))
@pytest.mark.parametrize("head", list(_TYPED_HEADS))
def test_a_typed_exception_and_frame_leak_nothing_in_any_output(head: str, trace: str, tmp_path: Path) -> None:
    from loglens.parse import parse_entries
    from loglens.sources import LineReader

    log = _typed_log(head, trace)
    path = tmp_path / "Editor.log"
    path.write_text(log, encoding="utf-8")
    redacted = redact_bytes(log.encode())[0].decode()
    assert not _typed_leaks(redacted) and "hi there" not in redacted
    assert len(redacted.splitlines()) == len(log.splitlines())
    runner = CliRunner()
    check = runner.invoke(app, ["check", str(path)])
    assert check.exit_code == 1 and not _typed_leaks(check.output)
    flagged = {int(row.split(":")[-2]) for row in check.stdout.splitlines()}
    secret_lines = {i for i, line in enumerate(log.splitlines(), 1) if _typed_leaks(line) or "hi there" in line}
    assert flagged == secret_lines
    for form in ("text", "markdown", "json"):
        result = runner.invoke(app, ["analyze", "--format", form, str(path)])
        assert result.exit_code == 0, result.output
        assert not _typed_leaks(result.output), form
    assert "connection.timeout" in result.output  # the typed error line is read, masked
    bundle = tmp_path / "bundle"
    assert runner.invoke(app, ["ticket", str(path), "-o", str(bundle)]).exit_code == 0
    for written in bundle.rglob("*"):
        if written.is_file():
            assert not _typed_leaks(written.read_text(encoding="utf-8", errors="replace")), written.name
    entries = list(parse_entries(LineReader(io.BytesIO(log.encode()))))
    assert not any(_typed_leaks(repr(e)) or _typed_leaks(e.model_dump_json()) for e in entries)
    # the typed trace is the frames of the message's entry, not text of an entry of its own
    first = entries[0]
    assert first.end_line == len(_TYPED_TRACES[trace]) + 1 and len(first.frames) == len(_TYPED_TRACES[trace])


@pytest.mark.parametrize("head", list(_TYPED_HEADS))
def test_a_typed_exception_header_without_its_frame_stays_in_the_message(head: str) -> None:
    """The shapes say a header without a frame after it is what the player typed: all of it is the message's."""
    wrap = FORMATS["threadtime"] if head == "threadtime" else FORMATS["plain"]
    lines = [_TYPED_HEADS[head], wrap("NullReferenceException: x"), *map(wrap, _TYPED_AFTER[:1]), wrap(NEXT)]
    log = "\n".join(lines) + "\n"
    redacted = redact_bytes(log.encode())[0].decode().splitlines()
    kind = "transcript" if head == "transcript" else "player-text"
    assert all(f"<{kind}-1>" in row and "Exception" not in row for row in redacted[:3])
    assert redacted[3] == lines[3]
