"""A line carried as base64 and wrapped the way an attachment is (PEM's 64 columns, MIME's 76, other widths): a full
line of base64 goes on on the next one, so a user name or an address that the end of a line cuts is hidden in both,
and `redact` writes a copy instead of refusing it."""

from __future__ import annotations

import base64
import io

import pytest

from loglens import shadows
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import check_stream, verify

NAME = "Vexmorqdka"
LINES = {
    "win-path": "[Error][SDK]: {pad}could not write C:\\Users\\" + NAME + "\\AppData\\LocalLow\\Studio\\convai.json",
    "mac-path": "[Error][SDK]: {pad}cannot open /Users/" + NAME + "/Library/Logs/Unity/Player.log",
    "linux-path": "[Error][SDK]: {pad}cannot open /home/" + NAME + "/.config/unity3d/Studio/Game/x.log",
}


def _rows(line: str, width: int) -> list[str]:
    run = base64.b64encode(line.encode()).decode()
    return [run[i : i + width] for i in range(0, len(run), width)]


@pytest.mark.parametrize("width", [64, 72, 76, 100])
@pytest.mark.parametrize("kind", sorted(LINES))
@pytest.mark.parametrize("pad", [0, 5, 11, 17, 26], ids=lambda n: f"pad{n}")
@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_a_name_in_a_wrapped_base64_line_is_hidden_in_a_copy_that_passes(
    width: int, kind: str, pad: int, ending: str
) -> None:
    rows = _rows(LINES[kind].format(pad="x" * pad + " "), width)
    data = ending.join(["Refreshing native plugins", "", *rows, "", "UnityEngine.Debug:Log (object)", ""]).encode()
    out, run = redact_bytes(data)
    assert verify(io.BytesIO(out), run.table, RedactOptions()) == []  # the copy is written, not refused
    assert not any(row.encode() in out for row in rows)
    assert list(check_stream(io.BytesIO(data)))
    assert list(check_stream(io.BytesIO(out))) == []


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("QUJD" * 16, True),  # 64 base64 characters
        ("QUJD" * 19, True),  # 76
        ("QUJD" * 15, False),  # too short to hold a line
        ("QUJD" * 18 + "QQ==", False),  # padded: the run's last line
        ("QUJD" * 16 + " x", False),  # something else on the line
    ],
)
def test_a_base64_line_is_one_that_goes_on(text: str, full: bool) -> None:
    assert shadows.base64_line(text) is full
