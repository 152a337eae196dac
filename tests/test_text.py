"""Log text made safe to show: what a terminal would act on becomes visible, line structure is kept on request."""

from __future__ import annotations

import pytest

from loglens.text import printable, printable_lines, valid_unicode


@pytest.mark.parametrize(
    ("text", "one_line", "lines"),
    [
        ("plain text", "plain text", "plain text"),  # nothing to do
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m", "\\x1b[31mred\\x1b[0m"),  # a color escape is shown, not run
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07", "\\x1b]0;title\\x07"),  # a title-setting sequence and its bell
        ("a\r\nb", "a\\x0d\\nb", "a\r\nb"),  # line breaks: escaped in one line, kept in lines
        ("tab\there", "tab\there", "tab\there"),  # a tab is harmless either way
        ("bad \udcff byte", "bad \ufffd byte", "bad \ufffd byte"),  # an undecodable byte becomes U+FFFD
        ("c1 \x9b control", "c1 \\x9b control", "c1 \\x9b control"),  # the 8-bit CSI some terminals honour
    ],
)
def test_printable(text: str, one_line: str, lines: str) -> None:
    assert printable(text) == one_line
    assert printable_lines(text) == lines


def test_valid_unicode_encodes() -> None:
    assert valid_unicode("x\udc80y").encode("utf-8") == "x\ufffdy".encode()
