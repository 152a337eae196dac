"""`redact` to stdout holds checked lines back, so a refusal leaves no line of the failing wrap on stdout.

A token hard-wrapped with HTML at each cut can slip past the joiner until a later line of the wrap trips the
check; by then the lines before that one must not have gone out.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from loglens.cli import app
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="guest-holdback-01", room="lobby-9", exp=1_935_000_000, nbf=1_750_000_000)
FILLER = "".join(f"[Info][SDK]: frame {i:04d} rendered\n" for i in range(300))


def wrap(text: str, width: int, cut: str) -> str:
    return cut.join(text[i : i + width] for i in range(0, len(text), width))


def pieces(out: str) -> list[str]:
    """Every 12-character piece of the token's payload and signature that `out` holds."""
    body = TOKEN.split(".", 1)[1]
    return [body[i : i + 12] for i in range(len(body) - 11) if body[i : i + 12] in out]


@pytest.mark.parametrize(
    "body",
    [
        "[Debug][Transport]: Token: " + wrap(TOKEN, 64, "<br>\n"),  # HTML line breaks at each line end
        "&gt; [Debug][Transport]: Token: " + wrap(TOKEN, 70, "\n&gt; "),  # an HTML-escaped quote prefix
        "[Debug][Transport]: Token: " + wrap(TOKEN, 76, "<br />\r\n"),  # XHTML breaks with CRLF
    ],
)
def test_stdout_keeps_no_line_of_a_refused_wrap(body: str) -> None:
    data = (FILLER + body + "\n[Info][SDK]: end\n").encode()
    result = CliRunner().invoke(app, ["redact", "-"], input=data)
    assert result.exit_code in (0, 1)
    assert not pieces(result.stdout_bytes.decode("utf-8", "replace"))
    if result.exit_code == 1:  # refused: what went out is the head of the filler, line for line
        assert FILLER.startswith(result.stdout_bytes.decode())


def test_clean_stdout_output_is_complete() -> None:
    """Held lines go out at the end: a clean log comes back whole."""
    data = (FILLER + "[Info][SDK]: end\r\n").encode()
    result = CliRunner().invoke(app, ["redact", "-"], input=data)
    assert result.exit_code == 0
    assert result.stdout_bytes == data
