"""Redaction's block reader and the line reader are one reader of a log's bytes: they agree on every input."""

from __future__ import annotations

import codecs
import io

import pytest

from loglens.errors import LoglensError
from loglens.redaction.blocks import BlockReader
from loglens.redaction.verify import check_stream
from loglens.sources import LineReader

TEXT = "[Debug] first line\r\nsecond line\rthird line\n"


def lines_of(reader: LineReader) -> str:
    return "".join(line.text + line.ending for line in reader)


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode(),  # plain UTF-8, mixed endings
        codecs.BOM_UTF8 + TEXT.encode(),  # a UTF-8 BOM
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),  # Windows PowerShell's UTF-16
        TEXT.encode("utf-16-be"),  # UTF-16 without a BOM, told by its zero bytes
        b"caf\xe9 in Latin-1\n",  # undecodable bytes: kept as surrogate escapes
    ],
)
def test_both_readers_see_one_encoding_and_one_text(data: bytes) -> None:
    lines = LineReader(io.BytesIO(data))
    blocks = BlockReader(io.BytesIO(data), block_size=7)
    assert blocks.encoding == lines.encoding
    text = b"".join(block.data for block in blocks).decode("utf-8", blocks.errors)
    assert text.replace("\r\n", "\n") == lines_of(lines).replace("\r\n", "\n").replace("\r", "\n")
    assert blocks.bytes_read == len(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the input is empty"),  # nothing at all
        (b"\x00\x01\x02\x03" * 64, "binary data"),  # not text
    ],
)
def test_both_readers_refuse_alike(data: bytes, message: str) -> None:
    for make in (LineReader, BlockReader):
        with pytest.raises(LoglensError, match=message):
            list(make(io.BytesIO(data)))


def test_one_line_length_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lowering the one limit lowers it for both readers."""
    monkeypatch.setattr("loglens.encodings.MAX_LINE", 1000)
    for make in (LineReader, BlockReader):
        with pytest.raises(LoglensError, match="longer than"):
            list(make(io.BytesIO(b"x" * 5000), 256))


def test_the_last_line_without_its_newline_is_in_the_block_before_it() -> None:
    """A log's last line is read beside the lines before it, with or without its newline: the re-scan sees the
    metadata the line before it leaves open reach into it."""
    opened = '{"room_name":"<end-user-metadata-1>","end_user_metadata":[[['
    text = f"{opened}\n{opened}[Debug][Transport]: Room details received: \n" + '{"room_name":"Jordan Doe"}'
    assert [len(block.data) for block in BlockReader(io.BytesIO(text.encode()))] == [len(text)]
    for data in (text, text + "\n"):
        assert [(f.line, f.kind) for f in check_stream(io.BytesIO(data.encode()))] == [(2, "end-user-metadata")]
