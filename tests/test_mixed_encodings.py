"""A UTF-16 log with UTF-8 lines appended (`>>` from another tool, joined attachments): every gate refuses it.

Read as UTF-16, the appended ASCII turns into CJK-looking text that no detector sees, so the fail-closed pass
also scans the raw bytes of a UTF-16 input for a token's `eyJ` run and labelled 32-hex values.
"""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.redaction.checked import MemoryDestination, redact_checked
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import LeakFound, check_stream
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="guest-mixed-01", room="lobby-7", exp=1_935_000_000, nbf=1_750_000_000)
KEY = "0123456789abcdef0fedcba987654321"
BOMS = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}


def mixed(encoding: str, eol: str, appended: str, *, filler: int = 0) -> bytes:
    """A UTF-16 log (BOM first) and then `appended` as UTF-8, as `>>` from another tool leaves it."""
    wide = "".join(f"[Info][SDK]: line {i}{eol}" for i in range(filler + 1))
    return BOMS[encoding] + wide.encode(encoding) + appended.format(eol=eol).encode()


ROWS = [
    # PowerShell 5 `>` (UTF-16LE, CRLF), then a token line appended in UTF-8
    ("utf-16-le", "\r\n", "[Debug][Transport]: Token: " + TOKEN + "{eol}", "livekit-token (narrow)"),
    # the same with LF endings (Git Bash `>>` after a PowerShell log)
    ("utf-16-le", "\n", "[Debug][Transport]: Token: " + TOKEN + "{eol}", "livekit-token (narrow)"),
    # UTF-16BE with an appended API key header only
    ("utf-16-be", "\r\n", "X-API-Key: " + KEY + "{eol}", "api-key (narrow)"),
    # an odd number of appended bytes (no final newline) before the token
    ("utf-16-be", "\n", "x Token: " + TOKEN, "livekit-token (narrow)"),
]


@pytest.mark.parametrize(("encoding", "eol", "appended", "kind"), ROWS)
def test_check_flags_ascii_appended_to_utf16(encoding: str, eol: str, appended: str, kind: str) -> None:
    kinds = {f.kind for f in check_stream(io.BytesIO(mixed(encoding, eol, appended)))}
    assert kind in kinds


@pytest.mark.parametrize(("encoding", "eol", "appended", "kind"), ROWS)
def test_checked_redaction_refuses_and_keeps_nothing(encoding: str, eol: str, appended: str, kind: str) -> None:
    data = mixed(encoding, eol, appended, filler=3)
    out = MemoryDestination()
    with pytest.raises(LeakFound) as caught:
        redact_checked(io.BytesIO(data), out, RedactOptions(), what_happened="nothing was kept")
    assert caught.value.finding.kind == kind
    assert TOKEN[40:60] not in caught.value.message and KEY not in caught.value.message


@pytest.mark.parametrize(("encoding", "eol", "appended", "kind"), ROWS[::2])
def test_stdout_redaction_refuses_before_writing_the_block(encoding: str, eol: str, appended: str, kind: str) -> None:
    data = mixed(encoding, eol, appended)
    result = CliRunner().invoke(app, ["redact", "-"], input=data)
    assert result.exit_code == 1
    assert TOKEN.split(".")[1][:12].encode() not in result.stdout_bytes
    assert KEY[:12].encode() not in result.stdout_bytes


@pytest.mark.parametrize(
    "text",
    [
        "[Info][SDK]: 接続しました api key 0123456789abcdef0fedcba987654321\r\n",  # wide text holding hex: redacted
        "[Info][SDK]: start\r\n[Info][SDK]: done\r\n",  # plain PowerShell log
    ],
)
def test_wide_text_alone_is_not_flagged_as_narrow(text: str) -> None:
    for encoding, bom in BOMS.items():
        kinds = {f.kind for f in check_stream(io.BytesIO(bom + text.encode(encoding)))}
        assert not {k for k in kinds if k.endswith("(narrow)")}
