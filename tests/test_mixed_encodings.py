"""Logs whose encoding changes mid-stream: UTF-16 with UTF-8 lines appended (`>>` from another tool,
`Add-Content -Encoding utf8`), UTF-8 with UTF-16 appended (PowerShell 5's `>>`), `cat a b` with a BOM at the
join. Each part is read in its own encoding, so redact, check, analyze and livekit see the appended lines, and
redaction writes every part back in its own encoding; where the switch cannot be told, the raw-byte checks refuse.
"""

from __future__ import annotations

import codecs
import io

import pytest
from click.testing import CliRunner

from loglens import livekit as lk
from loglens.cli import app
from loglens.redaction.blocks import BlockReader
from loglens.redaction.checked import MemoryDestination, redact_checked
from loglens.redaction.rewrite import Redaction, redact_bytes
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import LeakFound, check_stream
from loglens.report import analyze
from loglens.sources import LineReader
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="guest-mixed-01", room="lobby-7", exp=1_935_000_000, nbf=1_750_000_000)
KEY = "0123456789abcdef0fedcba987654321"
LE, BE, U8 = "utf-16-le", "utf-16-be", "utf-8"
BOM = {LE: codecs.BOM_UTF16_LE, BE: codecs.BOM_UTF16_BE, U8: codecs.BOM_UTF8}
URL = "wss://convai-technologies-lfslae7c.livekit.cloud"
Part = tuple[str, bytes, str]  # encoding, the BOM written before it (or none), text


def plain(eol: str, count: int = 2) -> str:
    return "".join(f"[Info][SDK]: Convai Bootstrapper: step {i}{eol}" for i in range(count))


def secrets(eol: str) -> str:
    return (
        f"[Debug][Transport]: Token: {TOKEN}; Room Name: lobby-7; Room URL: {URL}; Session ID: s-1{eol}"
        f"X-API-Key: {KEY}{eol}"
        f"[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed{eol}"
    )


def build(parts: list[Part]) -> bytes:
    return b"".join(bom + text.encode(encoding) for encoding, bom, text in parts)


def expected(parts: list[Part]) -> bytes:
    """The same log redacted as if it were one UTF-8 file, then each part written back in its own encoding."""
    out, _ = redact_bytes("".join(text for _, _, text in parts).encode())
    lines = out.decode().splitlines(keepends=True)
    pieces, at = [], 0
    for encoding, bom, text in parts:
        count = len(text.splitlines())
        pieces.append(bom + "".join(lines[at : at + count]).encode(encoding))
        at += count
    return b"".join(pieces)


def mixed(first: str, then: str, eol: str, *, join_bom: bool, tail: str | None = None) -> list[Part]:
    """`first` (with its BOM when UTF-16), then the secrets in `then` (with its BOM at the join if `join_bom`),
    then, if `tail`, a third part in that encoding."""
    parts: list[Part] = [(first, BOM[first] if first != U8 else b"", plain(eol, 3))]
    parts.append((then, BOM[then] if join_bom else b"", secrets(eol)))
    if tail:
        parts.append((tail, b"", plain(eol)))
    return parts


CASES = {
    # PowerShell 5 `>` (UTF-16LE, CRLF), then another tool's `>>` appends UTF-8 lines holding the secrets
    "le-then-utf8": mixed(LE, U8, "\r\n", join_bom=False),
    # UTF-16BE with LF, then `Add-Content -Encoding utf8` style: a UTF-8 BOM at the join
    "be-then-utf8-bom": mixed(BE, U8, "\n", join_bom=True),
    # an Editor.log (UTF-8), then PowerShell 5's `>>` appends UTF-16LE without a BOM
    "utf8-then-le": mixed(U8, LE, "\r\n", join_bom=False),
    # `cat a b`: a UTF-8 log, then a UTF-16BE file with its BOM at the join
    "utf8-then-be-bom": mixed(U8, BE, "\n", join_bom=True),
    # UTF-16 resumes after the UTF-8 lines (an odd number of bytes between them)
    "le-utf8-le": [*mixed(LE, U8, "\r\n", join_bom=False, tail=LE), (U8, b"", "odd\n")],
    # `cat` of two PowerShell logs: a second UTF-16LE BOM in the middle
    "le-bom-le": mixed(LE, LE, "\r\n", join_bom=True),
}


def no_secret_in(data: bytes) -> None:
    for encoding in (U8, LE, BE):
        assert TOKEN.split(".")[1][:16].encode(encoding) not in data
        assert KEY[:16].encode(encoding) not in data


@pytest.mark.parametrize("case", CASES)
def test_redact_writes_each_part_back_in_its_own_encoding(case: str) -> None:
    parts = CASES[case]
    out, run = redact_bytes(build(parts))
    assert out == expected(parts)
    assert {k.kind for k in run.report().kinds} >= {"livekit-token", "api-key"}
    no_secret_in(out)


@pytest.mark.parametrize("case", ["le-then-utf8", "utf8-then-be-bom", "le-utf8-le"])
def test_checked_redaction_keeps_the_copy(case: str) -> None:
    out = MemoryDestination()
    redact_checked(io.BytesIO(build(CASES[case])), out, RedactOptions(), what_happened="nothing was kept")
    assert out.data == expected(CASES[case])


@pytest.mark.parametrize("case", ["le-then-utf8", "utf8-then-le", "le-bom-le"])
def test_check_finds_the_secrets_on_their_lines(case: str) -> None:
    found = {(f.line, f.kind) for f in check_stream(io.BytesIO(build(CASES[case])))}
    assert found >= {(4, "livekit-token"), (5, "api-key")}
    assert not [f for f in check_stream(io.BytesIO(expected(CASES[case])))]


@pytest.mark.parametrize("case", ["be-then-utf8-bom", "utf8-then-le"])
def test_analyze_and_livekit_read_the_appended_lines(case: str) -> None:
    data = build(CASES[case])
    report = analyze(LineReader(io.BytesIO(data)), source="mixed.log")
    assert [c.code for c in report.codes] == ["transport.ice_failed"]
    pair = lk.pick(lk.read_log(LineReader(io.BytesIO(data))))
    assert pair.token.get_secret_value() == TOKEN and pair.line == 4


def test_cli_redact_to_stdout_and_check() -> None:
    parts = CASES["le-then-utf8"]
    result = CliRunner().invoke(app, ["redact", "-"], input=build(parts))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == expected(parts)
    checked = CliRunner().invoke(app, ["check", "-"], input=build(parts))
    assert checked.exit_code == 1 and ":4:livekit-token" in checked.stdout


UNDECIDED = [
    # the UTF-16 part ends without a newline, so the UTF-8 bytes go on inside a UTF-16 line
    (BOM[LE] + "[Info][SDK]: no newline".encode(LE) + f" Token: {TOKEN}\n".encode(), "livekit-token (narrow)"),
    # NUL padding (a crash) runs into a UTF-16 line inside a UTF-8 log: neither byte order holds the NULs
    (b"[Info][SDK]: start\n" * 500 + b"\x00" * 40 + f"X-API-Key: {KEY}\n".encode(LE), "api-key (wide)"),
]


@pytest.mark.parametrize(("data", "kind"), UNDECIDED)
def test_a_switch_that_cannot_be_told_is_refused(data: bytes, kind: str) -> None:
    assert kind in {f.label for f in check_stream(io.BytesIO(data))}
    with pytest.raises(LeakFound, match="UTF-16") as caught:
        redact_checked(io.BytesIO(data), MemoryDestination(), RedactOptions(), what_happened="nothing was kept")
    assert caught.value.finding.label == kind and "\n" not in caught.value.message
    assert TOKEN[40:60] not in caught.value.message and KEY not in caught.value.message
    result = CliRunner().invoke(app, ["redact", "-"], input=data)
    assert result.exit_code == 1
    no_secret_in(result.stdout_bytes)


@pytest.mark.parametrize(
    "data",
    [
        b"\r\xef\xbb\xbf\n",  # a BOM after a lone CR, then a newline: not a run of its own (it would split a CRLF)
        b"a\n\xef\xbb\xbf\xff\xfe\n",  # a UTF-8 BOM, then UTF-16 BOM bytes before narrow text: junk kept as text
        b"a\n\xef\xbb\xbfb\n\xef\xbb\xbf",  # a UTF-8 BOM in the middle, and one at the very end
        b"\x00\n\xff\xfe",  # UTF-16BE (one empty line), then a UTF-16LE BOM with nothing after it
    ],
)
def test_bom_bytes_come_out_where_they_were(data: bytes) -> None:
    assert redact_bytes(data)[0] == data


@pytest.mark.parametrize(
    "text",
    [
        "[Info][SDK]: 接続しました api key 0123456789abcdef0fedcba987654321\r\n",  # wide text holding hex: redacted
        "[Info][SDK]: start\r\n[Info][SDK]: done\r\n",  # plain PowerShell log
        "上海\n海上\n[Info][SDK]: 一\n",  # lines with no ASCII (a 0A byte inside a character) stay UTF-16
    ],
)
def test_wide_text_alone_stays_one_part(text: str) -> None:
    for encoding in (LE, BE):
        data = BOM[encoding] + text.encode(encoding)
        assert not [f for f in check_stream(io.BytesIO(data)) if f.detail in ("narrow", "wide")]
        assert [line.text for line in LineReader(io.BytesIO(data))] == text.splitlines()
        assert not [b for b in BlockReader(io.BytesIO(data)) if b.runs]


SWEEP = [
    (first, then, eol, join_bom, size, filler)
    for first, then in ((LE, U8), (BE, U8), (U8, LE), (U8, BE))
    for eol in ("\r\n", "\n")
    for join_bom in (False, True)
    for size in (7, 64, 1000)
    for filler in (0, 1, 5)
]


@pytest.mark.slow
@pytest.mark.parametrize(("first", "then", "eol", "join_bom", "size", "filler"), SWEEP)
def test_sweep_where_the_join_falls_in_a_block(
    first: str, then: str, eol: str, join_bom: bool, size: int, filler: int
) -> None:
    parts = mixed(first, then, eol, join_bom=join_bom, tail=first)
    parts[0] = (parts[0][0], parts[0][1], parts[0][2] + "x" * filler + eol)
    data = build(parts)
    run = Redaction(BlockReader(io.BytesIO(data), block_size=size))
    assert b"".join(run) == expected(parts)
    text = "".join(t for _, _, t in parts)
    assert [line.text for line in LineReader(io.BytesIO(data), size)] == text.splitlines()


@pytest.mark.parametrize(
    "head",
    [b"\r\n\xff\xfe\r\n\xef\xbb\xbf", b"\n\xff\xfe\n", b"x\r\n\xfe\xff\r\n"],
    ids=["utf16-bom-then-utf8-bom", "utf16-bom-mid-file", "utf16be-bom-mid-file"],
)
def test_the_engine_alone_never_hands_out_a_block_whose_decoding_hid_a_secret(head: bytes) -> None:
    """Without its check attached, the rewrite still stops where the raw bytes show a secret it cannot reach."""
    data = head + b"\nToken: " + TOKEN.encode() + b"; rest\n" + head
    try:
        out, _ = redact_bytes(data)
    except LeakFound as error:
        assert TOKEN[:16] not in str(error)
        return
    assert TOKEN.encode() not in out
