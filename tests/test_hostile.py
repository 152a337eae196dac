"""Hostile input through every command: each ends in bounded time with exit 0, 1 or 2 and one line, never a trace.

The inputs are what a careless paste, a broken export or an attacker can hand loglens. Heavy ones are marked
`slow` (`python -m pytest -m slow`).
"""

from __future__ import annotations

import codecs
import io
import json
import random
import time
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from loglens.cli import app
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-h", room="room-h", exp=1_950_000_000, nbf=1_700_000_000)
URL = "wss://convai-technologies-lfslae7c.livekit.cloud"
HEAD = "[Debug][Transport]: "
ESCAPES = (
    "\x1b[2J\x1b]8;;http://example.invalid/\x1b\\link\x1b]8;;\x1b\\ [bold red]markup[/] \x1b]0;title\x07 \u009b31m"
)
BOUND_SECONDS = 60  # a generous bound for a loaded 2-core machine; a hang or a cubic path takes far longer


def token_with(room: str, identity: str) -> str:
    return mint_token(identity=identity, room=room, exp=1_950_000_000, nbf=1_700_000_000)


def summary(token: str, room: str = "room-h") -> str:
    return f"{HEAD}Token: {token}; Room Name: {room}; Room URL: {URL}; Session ID: s-1\n"


def details(**fields: object) -> str:
    return HEAD + "Room details received: " + json.dumps(fields) + "\n"


CASES: dict[str, Callable[[], bytes]] = {
    "empty": lambda: b"",
    "only-newlines": lambda: b"\n" * 5000,
    "nul-bytes": lambda: b"\x00" * 4096 + summary(TOKEN).encode(),
    "nul-inside-a-line": lambda: summary(TOKEN).encode().replace(b"Room Name", b"Room\x00Name"),
    "random-bytes": lambda: random.Random(9).randbytes(200_000),
    "invalid-utf8-next-to-tokens": lambda: b"\xff\xfe" + summary(TOKEN).encode().replace(b"; Room", b"\xc3; Room"),
    "invalid-utf8-inside-a-token": lambda: summary(TOKEN[:40] + "\xff" + TOKEN[40:]).encode("utf-8", "surrogateescape"),
    "bom-mid-file": lambda: (summary(TOKEN) + "\ufeff" + summary(TOKEN)).encode(),
    "utf16-bom-mid-file": lambda: codecs.BOM_UTF16_LE + (summary(TOKEN) * 2).encode("utf-16-le") + codecs.BOM_UTF16_LE,
    "lone-cr": lambda: summary(TOKEN).replace("\n", "\r").encode() * 50,
    "deep-json": lambda: (HEAD + "Room details received: " + "[" * 50_000 + "]" * 50_000 + "\n").encode(),
    "unbalanced-json": lambda: (
        HEAD + 'Room details received: {"token":"' + TOKEN + '",' + "{" * 50_000 + "\n"
    ).encode(),
    "deep-json-in-metadata": lambda: (
        details(token=TOKEN, room_name="r", room_url=URL)[:-2]
        + ', "end_user_metadata": '
        + "[" * 9000
        + "]" * 9000
        + "}\n"
    ).encode(),
    "unterminated-color": lambda: ("<color=" * 10_000 + "\n" + "<color=#ff0000>[Error][SDK]: x\n" * 100).encode(),
    "markup-and-escapes-in-messages": lambda: (
        f"[Error][Transport]: Transport connection failed: {ESCAPES}\n"
        f"[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed {ESCAPES}\n"
    ).encode(),
    "markup-and-escapes-in-room-names": lambda: (
        details(token=TOKEN, room_name=ESCAPES, room_url=URL + ESCAPES) + summary(TOKEN, room=ESCAPES)
    ).encode(),
    "markup-and-escapes-in-token-claims": lambda: summary(token_with(ESCAPES, ESCAPES)).encode(),
    "jwt-shaped-run-64k": lambda: ("eyJ" + "A" * 32_000 + ".eyJ" + "B" * 32_000 + ".sig\n").encode(),
    "200-distinct-tokens": lambda: "".join(summary(token_with(f"room-{i}", f"user-{i}")) for i in range(200)).encode(),
}

# a token whose signature a blank split, and the shapes a search for the rest of a signature after a blank must
# cross in linear time: dotted words, cut tokens before words, whole tokens before tabs
_H, _P, _S = TOKEN.split(".")
SPLIT_PIECES = {
    "dotted-words": "a.b ",
    "split-signatures": f"{_H}.{_P}.{_S[:20]} {_S[20:]} ",
    "cut-signatures-and-words": f"{_H}.{_P[:40]}.{_S[:20]} {_S[:30]} ",
    "cut-tokens-and-words": "eyJhbGciOi.eyJ.ab cd ",
    "tokens-and-tabs": f"{TOKEN}\t",
}
CASES.update(
    {
        f"{name}-200k": lambda p=piece: (HEAD + p * (200_000 // len(p)) + "\n").encode()
        for name, piece in SPLIT_PIECES.items()
    }
)

SLOW_CASES: dict[str, Callable[[], bytes]] = {
    "line-of-20-mb": lambda: b"[Info][SDK]: " + b"a" * (20 << 20) + b"\n",
    "jwt-shaped-run-2-mb": lambda: ("eyJ" + "A" * (1 << 20) + ".eyJ" + "B" * (1 << 20) + ".sig\n").encode(),
    **{
        f"{name}-1-mb": lambda p=piece: (HEAD + p * ((1 << 20) // len(p)) + "\n").encode()
        for name, piece in SPLIT_PIECES.items()
    },
    "10000-distinct-tokens": lambda: "".join(
        summary(token_with(f"room-{i}", f"user-{i}")) for i in range(10_000)
    ).encode(),
}

COMMANDS: dict[str, list[str]] = {
    "analyze-text": ["analyze", "{path}", "--no-color"],
    "analyze-markdown": ["analyze", "{path}", "--format", "markdown"],
    "analyze-json": ["analyze", "{path}", "--format", "json"],
    "redact": ["redact", "{path}", "-o", "{out}"],
    "check": ["check", "{path}"],
    "livekit": ["livekit", "{path}", "--no-color"],
    "livekit-json": ["livekit", "{path}", "--format", "json"],
    "livekit-list": ["livekit", "{path}", "--list", "--no-color"],
}


def run_command(tmp_path: Path, data: bytes, command: str) -> click.testing.Result:
    path = tmp_path / "hostile.log"
    path.write_bytes(data)
    args = [a.format(path=path, out=tmp_path / "out.log") for a in COMMANDS[command]]
    started = time.process_time()  # CPU time: another process on the machine does not count
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    elapsed = time.process_time() - started
    assert elapsed < BOUND_SECONDS, f"{command} took {elapsed:.0f} s"
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if result.exit_code:  # a refusal is one line, never a dump
        assert result.stderr.count("\n") <= 2, result.stderr
    if command.endswith("json") and result.exit_code == 0:
        json.loads(result.stdout)
    if command == "redact" and result.exit_code == 0:
        assert TOKEN.encode() not in (tmp_path / "out.log").read_bytes()
    if not command.startswith("livekit") and not command.startswith("redact"):
        assert TOKEN not in result.stdout
    return result


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES)
def test_hostile_input(tmp_path: Path, case: str, command: str) -> None:
    run_command(tmp_path, CASES[case](), command)


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", SLOW_CASES)
def test_hostile_input_heavy(tmp_path: Path, case: str, command: str) -> None:
    run_command(tmp_path, SLOW_CASES[case](), command)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["analyze-json", "check"])
def test_200_mb_of_one_repeated_line(tmp_path: Path, command: str) -> None:
    """A 200 MB file, streamed: written in chunks here too, so the test itself stays small."""
    path = tmp_path / "hostile.log"
    line = b"[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\n"
    chunk = line * ((8 << 20) // len(line))
    with path.open("wb") as out:
        for _ in range(25):
            out.write(chunk)
    args = [a.format(path=path, out=tmp_path / "out.log") for a in COMMANDS[command]]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.stderr
    if command == "analyze-json":
        report = json.loads(result.stdout)
        assert report["codes"][0]["count"] == 25 * len(chunk) // len(line)
        assert len(result.stdout) < 200_000


@pytest.mark.parametrize(
    "code",
    [
        ESCAPES,  # terminal escapes and markup as the code asked about
        "transport." + "x" * 100_000,  # a very long unknown code
        "\x00\udcff",  # a NUL and an undecodable byte
    ],
)
def test_explain_hostile_code(code: str) -> None:
    result = CliRunner().invoke(app, ["explain", code], catch_exceptions=False)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and "\x1b" not in result.stderr


@pytest.mark.parametrize(
    ("piece", "per_finding"),
    [
        ("C:\\Users\\", 1),
        ("C:\\Users\\zeb\\a ", 1),
        ("eyJhbGciOi.", 3),  # three runs and their dots read as one token's header, payload and signature
        (f"invalid token: {TOKEN} ", 1),
    ],
)
def test_one_long_repetitive_line_is_checked_with_linear_work(
    piece: str, per_finding: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of findings on one line: the re-scan looks at the whole line a bounded number of times, not once
    per finding (hashing it for each fingerprint, finding its placeholders for each span was quadratic)."""
    from loglens.redaction import verify
    from loglens.redaction.fingerprints import Fingerprints

    looked: list[int] = []
    real = verify.placeholder_spans
    monkeypatch.setattr(verify, "placeholder_spans", lambda *a: looked.append(len(a[-1])) or real(*a))
    of = Fingerprints.of
    monkeypatch.setattr(Fingerprints, "of", lambda self, *a: looked.append(len(a[1])) or of(self, *a))
    repeats = 20_000 // len(piece)
    line = piece * repeats + "\n"
    found = list(verify.check_stream(io.BytesIO(line.encode()), prints=Fingerprints()))
    assert len(found) >= repeats // per_finding - 1  # every piece is still found
    assert sum(looked) < 20 * len(line)


def test_one_long_line_of_user_paths_is_still_redacted() -> None:
    from loglens import redact_file

    data, _ = redact_file(("C:\\Users\\zeb\\a " * 2000 + "\n").encode())
    assert b"zeb" not in data and data.count(b"C:\\Users\\<user-name-1>\\a ") == 2000


class _Walked(list[tuple[int, int]]):
    """A line's placeholders that count how often something walks them all."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        _Walked.walks += 1
        return super().__iter__()


def test_redacting_a_long_redacted_line_again_does_not_walk_its_placeholders_per_span(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second pass over a line of thousands of placeholders and values: each span finds its placeholder by one
    look-up, not by comparing itself with every placeholder of the line (quadratic: 25 s for 1 MB)."""
    from loglens import redact_file
    from loglens.redaction import placeholders, unwrap, verify

    for module in (unwrap, verify):
        monkeypatch.setattr(module, "placeholder_spans", lambda text: _Walked(placeholders.placeholder_spans(text)))
    _Walked.walks = 0
    data, _ = redact_file(("C:\\Users\\<user-name-1>\\a zeb@example.org <email-1> " * 2000 + "\n").encode())
    assert b"zeb@" not in data and data.count(b"<email-2>") == 2000
    assert _Walked.walks < 100


_HEADER_STARTS = [
    "eyJhbGciOi.",  # a JWT header's start, then a dot
    "eyJhbGciOi. ",  # a blank after the dot: each run ends there, and the next one starts a token of its own
    "eyJhbGciOiJIUzI1NiJ9.",  # a whole header, then a dot
    "eyJhbGciOiJIUzI1NiJ9. ",
    "x eyJhbGciOi ",  # a header start among words
    "eyJabcd ",  # the shortest run the re-scan takes for a token
]


@pytest.mark.parametrize("piece", _HEADER_STARTS)
def test_a_line_of_repeated_token_starts_is_redacted_not_refused(piece: str) -> None:
    """Every run the fail-closed re-scan calls a token is one redaction replaced (a run of `eyJ` and 4 or more
    characters), however many a line repeats, in linear time."""
    from loglens import redact_file
    from loglens.redaction import verify

    line = (piece * 10_000 + "\n").encode()
    began = time.monotonic()
    data, _ = redact_file(line)
    assert time.monotonic() - began < BOUND_SECONDS / 4
    assert b"eyJ" not in data and b"<livekit-token-1>" in data
    assert not list(verify.check_stream(io.BytesIO(data)))


def _redact_cpu(line: bytes) -> tuple[float, bytes]:
    from loglens import redact_file

    began = time.process_time()  # the work done, whatever else the machine runs (a shared 2-core box)
    data, _ = redact_file(line)
    return time.process_time() - began, data


@pytest.mark.slow
@pytest.mark.parametrize("piece", _HEADER_STARTS[:4])
def test_a_megabyte_of_repeated_token_starts_is_redacted_in_linear_time(piece: str) -> None:
    """A megabyte line of token starts (87,000 tokens for the shortest piece) against an eighth of it, on the
    same machine: linear work takes about 8 times as long; work that re-reads the line for each token (a re-scan,
    a placeholder search, a shadow pass per finding) takes 64 times and more. A ratio, not seconds: a slower
    machine slows both halves alike."""
    _redact_cpu(b"eyJhbGciOi.\n")  # the patterns compiled
    count = (1 << 20) // len(piece)
    small, _ = min(_redact_cpu((piece * (count // 8) + "\n").encode()) for _ in range(2))
    large, data = _redact_cpu((piece * count + "\n").encode())
    assert b"eyJ" not in data
    assert large < 16 * small + 0.25, f"{large:.2f} s for 1 MiB against {small:.2f} s for 128 KiB"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SPLIT_PIECES))
def test_a_megabyte_of_split_signatures_and_dotted_words_is_redacted_in_linear_time(name: str) -> None:
    """The rest of a signature after a blank is looked for in a bounded run after each token, never by reading the
    line again from each blank: a megabyte line against an eighth of it, as above."""
    piece = SPLIT_PIECES[name]
    _redact_cpu(b"eyJhbGciOi.\n")  # the patterns compiled
    count = (1 << 20) // len(piece)
    small, _ = min(_redact_cpu((piece * (count // 8) + "\n").encode()) for _ in range(2))
    large, data = _redact_cpu((piece * count + "\n").encode())
    assert _S[20:].encode() not in data
    assert large < 16 * small + 0.25, f"{large:.2f} s for 1 MiB against {small:.2f} s for 128 KiB"
