"""Logs saved as UTF-32 with a byte-order mark (PowerShell `Out-File -Encoding utf32`, .NET `Encoding.UTF32`), both
byte orders: every command reads them as UTF-32 (the LE mark begins with the UTF-16 LE one), and `redact` writes
them back in UTF-32, BOM first, every byte that is not part of a secret unchanged."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.errors import ExitCode
from loglens.redaction.blocks import BlockReader
from loglens.redaction.rewrite import Redaction, redact_bytes
from loglens.redaction.verify import check_stream
from loglens.report import analyze
from loglens.sources import LineReader
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="guest-utf32-01", room="lobby-32", exp=1_935_000_000, nbf=1_750_000_000)
KEY = "3f9a2c7e5b1d4f8a6c0e2b9d7a5f3c1e"
BOMS = {"utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}
TEXT = (
    "[09:14:01.000][Info][SDK]: Convai Bootstrapper: café ✓ 😀\r\n"
    f"[09:14:03.192][Debug][Transport]: Token: {TOKEN}\r\n"
    f"X-API-Key: {KEY}\r\n"
    "[09:14:08.567][Debug][SDK]: [ConvaiRoomManager] Sent user text message: my locker code is 4471\r\n"
    "[09:14:09.000][Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\r\n"
)


def utf32(encoding: str, text: str = TEXT) -> bytes:
    return BOMS[encoding] + text.encode(encoding)


class Trickle(io.BytesIO):
    """A pipe that hands out 7 bytes a read: every code unit is cut somewhere."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(7)


@pytest.mark.parametrize("encoding", BOMS)
@pytest.mark.parametrize("stream", [io.BytesIO, Trickle])
def test_redact_writes_utf32_back_in_utf32(encoding: str, stream: type[io.BytesIO]) -> None:
    run = Redaction(BlockReader(stream(utf32(encoding))))
    out = b"".join(run)
    assert out.startswith(BOMS[encoding])
    text = out[4:].decode(encoding)
    expected, _ = redact_bytes(TEXT.encode())
    assert text == expected.decode()
    assert {k.kind for k in run.report().kinds} >= {"livekit-token", "api-key", "player-text"}
    assert "locker" not in text and TOKEN[:20] not in text and "café ✓ 😀\r\n" in text


@pytest.mark.parametrize("encoding", BOMS)
def test_check_and_analyze_read_utf32(encoding: str, tmp_path: Path) -> None:
    found = {(f.line, f.kind) for f in check_stream(io.BytesIO(utf32(encoding)))}
    assert found >= {(2, "livekit-token"), (3, "api-key"), (4, "player-text")}
    report = analyze(LineReader(io.BytesIO(utf32(encoding))), source="Editor.log")
    assert [c.code for c in report.codes] == ["transport.ice_failed"]
    path = tmp_path / "Editor.log"
    path.write_bytes(utf32(encoding))
    runner = CliRunner()
    assert runner.invoke(app, ["check", str(path)]).exit_code == ExitCode.FINDINGS
    done = runner.invoke(app, ["redact", str(path), "-o", str(tmp_path / "out.log")])
    assert done.exit_code == ExitCode.OK, done.stderr
    written = (tmp_path / "out.log").read_bytes()
    assert written.startswith(BOMS[encoding]) and "<livekit-token-1>".encode(encoding) in written
    assert runner.invoke(app, ["check", str(tmp_path / "out.log")]).exit_code == ExitCode.OK


@pytest.mark.parametrize("encoding", BOMS)
def test_a_file_cut_mid_character_keeps_its_last_bytes(encoding: str) -> None:
    out, _ = redact_bytes(utf32(encoding, "plain line\n") + b"\x00\x01")
    assert out == utf32(encoding, "plain line\n") + b"\x00\x01"


def test_bytes_that_are_not_utf32_after_the_mark_are_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "Editor.log"
    path.write_bytes(utf32("utf-32-le", "ok\n" * 5000) + f"X-API-Key: {KEY}\n".encode())  # UTF-8 appended
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == ExitCode.INPUT and "not valid UTF-32-LE" in result.stderr
    assert "Traceback" not in result.output and KEY not in result.output
