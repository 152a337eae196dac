"""Reading bytes into numbered lines: encodings, endings, junk, and nothing lost on the way."""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable

import pytest

from loglens.errors import EmptyInput, ExitCode, LoglensError
from loglens.redaction.blocks import BlockReader
from loglens.redaction.verify import check_stream
from loglens.sources import CHUNK, LineReader, sniff_encoding


def read(data: bytes) -> tuple[LineReader, list[tuple[int, str, str]]]:
    reader = LineReader(io.BytesIO(data))
    return reader, [(line.number, line.text, line.ending) for line in reader]


def roundtrip(data: bytes) -> bytes:
    """Write the lines back the way redaction does; must equal the input."""
    reader = LineReader(io.BytesIO(data))
    return reader.encoding.bom + b"".join(reader.encoding.encode(line.text + line.ending) for line in reader)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # plain LF lines, last one unterminated
        (b"a\nb\nc", [(1, "a", "\n"), (2, "b", "\n"), (3, "c", "")]),
        # Windows CRLF endings are reported, not stripped into the text
        (b"a\r\nb\r\n", [(1, "a", "\r\n"), (2, "b", "\r\n")]),
        # mixed endings and blank lines keep their numbers
        (b"a\n\r\n\nb", [(1, "a", "\n"), (2, "", "\r\n"), (3, "", "\n"), (4, "b", "")]),
        # a UTF-8 BOM is not part of the first line's text
        (codecs.BOM_UTF8 + b"[Info][SDK]: x\n", [(1, "[Info][SDK]: x", "\n")]),
        # undecodable bytes survive as surrogate escapes
        (b"ok \xff\xfe\x80 end\n", [(1, "ok \udcff\udcfe\udc80 end", "\n")]),
        # a lone CR ends a line (old macOS, some exporters), and is written back as it was
        (b"a\rb\n", [(1, "a", "\r"), (2, "b", "\n")]),
        # lone-CR endings only, the last line unterminated
        (b"a\rb\rc", [(1, "a", "\r"), (2, "b", "\r"), (3, "c", "")]),
        # a lone CR before a CRLF: one line ended by CR, then an empty line ended by CRLF
        (b"a\r\r\n", [(1, "a", "\r"), (2, "", "\r\n")]),
        # a lone CR as the very last byte still ends its line
        (b"a\r", [(1, "a", "\r")]),
    ],
)
def test_lines(data: bytes, expected: list[tuple[int, str, str]]) -> None:
    assert read(data)[1] == expected
    assert roundtrip(data) == data


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),  # what PowerShell 5's `>` writes
        ("utf-16-be", codecs.BOM_UTF16_BE),  # rare, but a BOM says so
    ],
)
def test_utf16_with_bom(encoding: str, bom: bytes) -> None:
    text = "[Info][SDK]: héllo 🔑\r\nsecond\r\n"
    data = bom + text.encode(encoding)
    reader, lines = read(data)
    assert reader.encoding.name == encoding
    assert lines == [(1, "[Info][SDK]: héllo 🔑", "\r\n"), (2, "second", "\r\n")]
    assert roundtrip(data) == data


@pytest.mark.parametrize("repeats", [1, 5, 9])
def test_stray_bom_bytes_around_ascii_keep_it_narrow(repeats: int) -> None:
    """UTF-16 BOM bytes repeated before and after one ASCII line: read as UTF-16, the line (a token in it) would
    turn into CJK-looking characters that no detector sees, so the file is narrow text with junk around it."""
    junk = b"\xff\xfe" * repeats
    data = junk + b"\nToken: abc.def.ghi; Room Name: r\n" + junk
    reader, lines = read(data)
    assert reader.encoding.name == "utf-8"
    assert any("Token: abc.def.ghi" in text for _, text, _ in lines)
    assert roundtrip(data) == data


def test_utf16_without_bom_is_recognised() -> None:
    data = "[Info][SDK]: plain ascii text in utf-16\n".encode("utf-16-le") * 20
    reader, lines = read(data)
    assert reader.encoding.name == "utf-16-le"
    assert lines[0][1] == "[Info][SDK]: plain ascii text in utf-16"


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 40,  # every byte value, NULs included
        b"\x00\x01\x02\x03" * 3000,  # control-character soup
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 4000,  # an executable header
    ],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(LoglensError, match="binary"):
        LineReader(io.BytesIO(data))


@pytest.mark.parametrize(
    "reader",
    [
        LineReader,  # analyze, livekit, ticket
        BlockReader,  # redact and check
    ],
)
def test_empty_is_refused_as_its_own_type(reader: Callable[[io.BytesIO], object]) -> None:
    """Callers tell an empty input from other bad input by its type, not by the words of its message."""
    with pytest.raises(EmptyInput, match="the input is empty") as caught:
        reader(io.BytesIO(b""))
    assert isinstance(caught.value, LoglensError) and caught.value.code == ExitCode.INPUT


@pytest.mark.parametrize(
    ("data", "clean"),
    [
        (b"", True),  # an empty log holds no secret
        (b"\x00\x01\x02\x03" * 3000, False),  # binary data is still refused, not taken for an empty log
    ],
)
def test_check_takes_only_an_empty_input_as_clean(data: bytes, clean: bool) -> None:
    if clean:
        assert list(check_stream(io.BytesIO(data))) == []
    else:
        with pytest.raises(LoglensError, match="binary"):
            list(check_stream(io.BytesIO(data)))


def test_escape_sequences_are_text() -> None:
    """ANSI colors in a log are text to keep, not a reason to refuse the file."""
    data = b"\x1b[31mred\x1b[0m [Error][SDK]: x\n"
    assert sniff_encoding(data).name == "utf-8"
    assert roundtrip(data) == data


def test_line_split_across_chunks() -> None:
    long_line = b"x" * (CHUNK + 123)
    data = b"first\n" + long_line + b"\nlast\n"
    _, lines = read(data)
    assert [n for n, _, _ in lines] == [1, 2, 3]
    assert lines[1][1] == long_line.decode()
    assert roundtrip(data) == data


def test_crlf_split_across_chunks() -> None:
    """A CR at the end of one chunk and LF at the start of the next is still one CRLF ending."""
    data = b"a" * (CHUNK - 1) + b"\r\n" + b"tail\r\n"
    _, lines = read(data)
    assert lines[0][2] == "\r\n" and lines[1] == (2, "tail", "\r\n")


def test_multibyte_character_split_across_chunks() -> None:
    data = b"a" * (CHUNK - 1) + "é".encode() + b"\n"
    _, lines = read(data)
    assert lines[0][1].endswith("é")


def test_bytes_read_counts_everything() -> None:
    data = b"line\n" * 100_000
    reader = LineReader(io.BytesIO(data))
    assert sum(1 for _ in reader) == 100_000
    assert reader.bytes_read == len(data)


@pytest.mark.parametrize(
    ("padding", "encoding"),
    [
        (b"\x00" * 16, "utf-8"),  # what Unity leaves at the start of a log after a crash
        (b"\x00" * 4096, "utf-8"),  # a whole block of it
        (b"\x00" * 16, "utf-16-le"),  # before UTF-16 without a BOM, which is still read as UTF-16
    ],
)
def test_nul_padding_at_the_start_is_not_binary(padding: bytes, encoding: str) -> None:
    data = padding + "[Info][SDK]: ordinary line after the padding\n".encode(encoding) * 20
    reader, lines = read(data)
    assert reader.encoding.name == encoding
    assert lines[-1][1] == "[Info][SDK]: ordinary line after the padding"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + b"\x00" * 64 + b"\x08\x06\x00\x01IDATx\x9c" * 200,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 32 + b"\x9c\x01\x00\x17ab" * 500,  # a zip
        b"\x00" * 64 + b"\x7fELF\x02\x01\x01\x00\x03\x00>\x00\x01\x00" * 300,  # padding does not excuse a binary
    ],
)
def test_binary_with_nul_runs_is_still_refused(data: bytes) -> None:
    with pytest.raises(LoglensError, match=r"binary|packed with zip"):
        LineReader(io.BytesIO(data))
