"""`loglens check`: the CI and pre-commit gate. Lists file:line:kind, never a value; exit 1, 0 or 2."""

from __future__ import annotations

import codecs
import io
import re
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from loglens.cli import app
from loglens.cuttoken import join_wrap, wrap_start
from loglens.errors import ExitCode
from loglens.fixedwidth import wrapped_count, wrapped_counts
from loglens.paste import prefix_length
from loglens.redaction.blocks import BlockReader
from loglens.redaction.rules import build_rules
from loglens.redaction.verify import Checker, check_stream
from tests.conftest import ROOT, SAMPLES
from tests.support.spy import first_arguments
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-9", room="lobby-9", exp=1_935_000_000, nbf=1_750_000_000)
KEY = "0f3c9a7e21b84d6590ce1a2b3c4d5e6f"
FINDING = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<kind>[a-z-]+(?: \((?:fragment|wrapped|claims|continued)\))?)$")

# Which samples hold something secret (every sample is fake, but shaped like the real thing).
SAMPLE_HAS_SECRETS = {
    "app-errors-multi-session.txt": True,  # tokens, end-user data, player text
    "console-invalid-api-key.txt": True,  # an X-API-Key header
    "editor-connected.log": True,  # tokens, user name in paths, transcript
    "logcat-timeout.txt": False,  # timeouts only: no credentials were ever received
    "no-transport-debug.log": True,  # user name in paths, player text
    "player-ice-failed.log": True,  # tokens, ICE candidates
    "powershell-utf16.log": True,  # tokens in UTF-16
    "prebeta-room-details.log": True,  # pre-4.0 room details
    "rich-text-and-escapes.txt": True,  # tokens among rich text
    "v3-plugin.log": True,  # user name in v3 stack-trace lines
    "webgl-console.txt": True,  # access_token URL, IP in URL
    "windows-crlf-bom.log": True,  # C:\Users\<name>
    "wrapped-paste.txt": True,  # hard-wrapped credentials
    "android-studio-native.txt": True,  # a Token summary and ICE credentials
    "logcat-view-crash.txt": True,  # a Token summary
    "not-convai-game.log": False,  # build-machine paths and module ids only
    "livekit-client.txt": True,  # a signal URL's token, ICE credentials, an address
    "unreal-convai.log": False,
    "v3-grpc-failures.log": False,  # a project path without a user
}


def run(args: list[str], stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, ["check", *args], input=stdin)


def test_the_table_lists_every_sample() -> None:
    assert set(SAMPLE_HAS_SECRETS) == {p.name for p in SAMPLES.iterdir() if p.suffix != ".md"}


@pytest.mark.parametrize(("sample", "dirty"), sorted(SAMPLE_HAS_SECRETS.items()))
def test_samples_and_their_redacted_copies(sample: str, dirty: bool, tmp_path: Path) -> None:
    result = run([str(SAMPLES / sample)])
    assert result.exit_code == (ExitCode.FINDINGS if dirty else ExitCode.OK), result.output
    for line in result.stdout.splitlines():
        assert FINDING.match(line), line
    redacted = tmp_path / sample
    assert CliRunner().invoke(app, ["redact", str(SAMPLES / sample), "-o", str(redacted)]).exit_code == 0
    clean = run([str(redacted)])
    assert clean.exit_code == ExitCode.OK and clean.stdout == ""


def test_findings_name_file_line_and_kind_never_the_value(tmp_path: Path) -> None:
    path = tmp_path / "Player.log"
    path.write_bytes(f"ok\r\nX-API-Key: {KEY}\r\nok\r\nToken: {TOKEN}; Room Name: r\r\n".encode())
    result = run([str(path)])
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout.splitlines() == [f"{path}:2:api-key", f"{path}:4:livekit-token"]
    assert (
        KEY not in result.output
        and TOKEN not in result.output
        and "2 secrets in 1 file: api-key 1, livekit-token 1" in result.stderr
    )


def test_more_findings_than_one_write_holds_are_all_listed_in_order(tmp_path: Path) -> None:
    """Findings go to stdout in batches: every one is there, once, in line order, across two files."""
    from loglens.cli.check import WRITE_LINES

    count = WRITE_LINES * 2 + 7
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    first.write_bytes("".join(f"X-API-Key: {KEY}\nok\n" for _ in range(count)).encode())
    second.write_bytes(f"ok\nToken: {TOKEN}\n".encode())
    result = run([str(first), str(second)])
    assert result.exit_code == ExitCode.FINDINGS
    expected = [f"{first}:{2 * n + 1}:api-key" for n in range(count)] + [f"{second}:2:livekit-token"]
    assert result.stdout.splitlines() == expected


def test_line_numbers_in_utf16_with_a_bom() -> None:
    data = codecs.BOM_UTF16_LE + f"one\r\ntwo\r\nToken: {TOKEN}\r\n".encode("utf-16-le")
    assert [(f.line, f.label) for f in check_stream(io.BytesIO(data))] == [(3, "livekit-token")]


def test_many_files_one_unusable(tmp_path: Path) -> None:
    dirty, clean, binary = tmp_path / "a.log", tmp_path / "b.log", tmp_path / "c.log"
    dirty.write_text("Sent user text message: hello\n", encoding="utf-8")
    clean.write_text("nothing here\n", encoding="utf-8")
    binary.write_bytes(b"\x00\x01\x02" * 400)
    result = run([str(dirty), str(clean), str(binary), str(tmp_path / "missing.log"), str(tmp_path)])
    assert result.exit_code == ExitCode.INPUT  # unusable input wins: the gate cannot vouch for those files
    assert result.stdout.splitlines() == [f"{dirty}:1:player-text"]
    assert result.stderr.count("loglens: error:") == 3 and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", ExitCode.OK),  # an empty file holds nothing
        (b"only noise\n", ExitCode.OK),  # clean
        (b"a@example.com\n", ExitCode.FINDINGS),  # an e-mail address
    ],
)
def test_exit_codes(tmp_path: Path, data: bytes, code: int) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    assert run([str(path)]).exit_code == code


def test_stdin() -> None:
    result = run(["-"], stdin=f"api_key={KEY}\n".encode())
    assert result.exit_code == ExitCode.FINDINGS and result.stdout == "<stdin>:1:api-key\n"


def test_allow_also_and_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.log"
    path.write_text("mail noreply@example.com\nticket-482913\n", encoding="utf-8")
    assert run([str(path)]).stdout == f"{path}:1:email\n"
    assert run([str(path), "--allow", "noreply@example.com"]).exit_code == ExitCode.OK
    assert run([str(path), "--also", r"ticket-\d{6}"]).stdout.splitlines() == [f"{path}:1:email", f"{path}:2:custom"]
    (tmp_path / ".loglens.toml").write_text('[redact]\nallow_patterns = [".*@example\\\\.com"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run([str(path)]).exit_code == ExitCode.OK


def test_a_token_wrapped_right_after_its_first_letters_is_found() -> None:
    for cut, ending in ((1, "\n"), (2, "\n"), (1, "\r\n"), (2, "\r\n")):  # `e` | `yJhbGci...`, `ey` | `JhbGci...`
        data = f"Token: {TOKEN[:cut]}{ending}{TOKEN[cut:]}; Room Name: r{ending}".encode()
        found = [(f.line, f.label) for f in check_stream(io.BytesIO(data))]
        assert found == [(1, "livekit-token (wrapped)"), (2, "livekit-token")]  # line 2 still holds the payload
        # the kind and how it was found are two fields: counts by kind and SARIF rules read the first alone
        assert [(f.kind, f.detail) for f in check_stream(io.BytesIO(data))] == [
            ("livekit-token", "wrapped"),
            ("livekit-token", None),
        ]


def test_a_cut_token_reads_only_the_lines_that_may_continue_it() -> None:
    """The wrap check of a line that ends in a cut token reads the next lines, not a copy of the rest of the block."""
    first = f"Token: {TOKEN[:30]}\n".encode()
    data = first + f"{TOKEN[30:]}; Room Name: r\n".encode() + b"an ordinary line of the log\n" * 40_000
    checker = Checker()
    tracemalloc.start()
    try:
        found = checker._wrapped(data, len(first) - 1, first.decode().rstrip("\n"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == [("livekit-token", "wrapped")]
    assert peak < len(data) // 4  # the block is over 1 MiB; a window of lines is a few KiB


def test_placeholders_and_rich_text_do_not_count_but_secrets_inside_tags_do() -> None:
    checker = Checker()
    assert checker.line("Sent user text message: <player-text-1>") == []
    assert checker.line("Token: <livekit-token-1 room=x exp=2031-01-01T00:00:00Z identity=end-user-id-1>; x") == []
    assert checker.line("Sent user text message: <b>hello</b>") == [("player-text", None)]


def test_reader_refuses_a_line_without_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("loglens.encodings.MAX_LINE", 1000)
    with pytest.raises(Exception, match="longer than"):
        list(BlockReader(io.BytesIO(b"x" * 5000), block_size=256))


WRAPPED_ROWS = [
    ("a" * 76, ["b" * 76, "c" * 76, "d" * 20, "next"], 3),  # three full lines, then a shorter one
    ("a" * 76, ["b" * 76, "c" * 20, "next"], 0),  # two lines of one length happen by chance
    ("a" * 76, ["b" * 20, "next"], 0),  # one full line only: no evidence of a width
    ("a" * 12, ["b" * 12, "c" * 12, "d"], 0),  # too narrow to be a wrap
    ("a" * 20, ["b" * 20, "c" * 20, "d"], 3),  # a narrow terminal still wraps (#8)
    ("a" * 76, ["> " + "b" * 76, "> " + "c" * 76, "> d", "e"], 3),  # an e-mail quote is not part of the width
    ("  " + "a" * 76, ["  " + "b" * 76, "  " + "c" * 76, "  d", "e"], 3),  # nor is a Markdown indent
    ("a" * 76, ["b" * 76, "", "c" * 76, "d", "e"], 4),  # a blank line inside one cut is taken along
    ("a" * 76, ["b" * 76, "", "", "c" * 76, "d"], 0),  # two blank lines end it
    ("a" * 76, ["b" * 80, "c"], 0),  # the next line is wider: not a wrap
    ("a" * 76, ["a" * 76, "a" * 76, "d"], 0),  # the same line repeated: a log, not a wrap
    ("a" * 76, ["b" * 76, "c" * 76, "[Debug][SDK]: x", "d"], 2),  # a Convai line opens an entry: not taken
    ("a" * 76, ["b" * 76, "c" * 76, "UnityEngine.Debug:Log (object)"], 2),  # nor is a frame
]


@pytest.mark.parametrize(("text", "following", "count"), WRAPPED_ROWS)
def test_wrapped_count(text: str, following: list[str], count: int) -> None:
    assert wrapped_count(text, following) == count


def test_wrapped_count_trusts_a_width_seen_before() -> None:
    assert wrapped_count("a" * 76, ["b" * 20, "next"], {76}) == 1


@pytest.mark.parametrize(("text", "following", "count"), WRAPPED_ROWS)
@pytest.mark.parametrize("widths", [set(), {76}, {20}])
def test_one_walk_counts_with_and_without_the_line_s_own_width(
    text: str, following: list[str], count: int, widths: set[int]
) -> None:
    """Redaction asks both (a wrap of the line's own width is evidence when a label runs into the cut), walking
    the following lines once for the two."""
    width = len(text) - prefix_length(text)
    expected = (wrapped_count(text, following, widths), wrapped_count(text, following, widths | {width}))
    assert wrapped_counts(text, iter(following), widths) == expected


def test_wrap_helpers_only_join_what_decodes() -> None:
    line = f"Token: {TOKEN[:50]}"
    begin = wrap_start(line)
    assert begin == len("Token: ")
    wrap = join_wrap(line[begin:], [TOKEN[50:120], f"{TOKEN[120:]}; Room Name: r"])
    assert wrap is not None and wrap.token == TOKEN and wrap.pieces == ((0, 0, 70), (1, 0, len(TOKEN) - 120))
    assert wrap_start(f"Token: {TOKEN}") is None  # whole: nothing to join
    assert join_wrap(line[begin:], ["UnityEngine.Debug:Log (object)"]) is None  # not the rest of a token


def test_pre_commit_hook_definition() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert re.search(r"^- id: loglens-check$", text, re.M)
    assert re.search(r"^  entry: loglens check$", text, re.M) and re.search(r"^  language: python$", text, re.M)
    files = re.compile(re.search(r"^  files: '(.+)'$", text, re.M).group(1))  # type: ignore[union-attr]
    for name, checked in [("Editor.log", True), ("logs/Player.log", True), ("console.txt", True), ("Foo.cs", False)]:
        assert bool(files.search(name)) is checked, name


def test_rules_reject_patterns_that_match_everything() -> None:
    with pytest.raises(Exception, match="matches empty text"):
        build_rules(also=["x*"])


# (first line, the line after it, which ends every walk)
ENDS_WALKS = [
    ("[00:00:05.043][Debug][Transport]: Token: " + "a" * 80, "UnityEngine.StackTraceUtility:ExtractStackTrace ()"),
    ("a" * 76, "[00:00:06.000][Debug][SDK]: next entry"),  # a Convai head
    ("b" * 40, "(Filename: Assets/Scripts/PlayerController.cs Line: 990)"),  # a footer
    ("x-api-key:", "System.Net.Http.HttpClient:SendAsync ()"),  # a label that ends its line, then a frame
]


@pytest.mark.parametrize(("text", "after"), ENDS_WALKS)
def test_a_line_that_ends_every_walk_is_taken_by_neither(text: str, after: str) -> None:
    from loglens.logical import ends_every_walk, extend

    following = [after, "b" * len(text), "c" * len(text)]
    assert ends_every_walk(after)
    assert extend(text, iter(following), lambda _: ()).count == 0
    assert wrapped_counts(text, iter(following), {len(text)}) == (0, 0)


@pytest.mark.parametrize("after", ["", "> UnityEngine.Debug:Log (object)", "Convai.Runtime.Room:OnRoomDetails ()"])
def test_a_blank_a_quoted_or_an_ordinary_line_may_be_taken(after: str) -> None:
    from loglens.logical import ends_every_walk

    assert not ends_every_walk(after)


def test_redaction_starts_no_walk_before_a_line_that_ends_every_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    from loglens.redaction import rewrite, unwrap

    walks = first_arguments(monkeypatch, unwrap, "extend")
    log = f"[00:00:05.043][Debug][Transport]: Token: {TOKEN}\nUnityEngine.StackTraceUtility:ExtractStackTrace ()\n"
    out, _ = rewrite.redact_bytes(log.encode())
    assert b"<livekit-token-1" in out and TOKEN.encode() not in out
    assert walks == []
