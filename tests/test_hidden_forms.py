"""Secrets written in forms that used to pass redaction, `check` and `analyze`, one row each: JSON escaped twice
(`\\\\u002e` between a token's parts, `\\\\u0040` for an e-mail's at sign), a Windows path as a Japanese or Korean
console shows it, with a yen or won sign for each backslash, a label with a Cyrillic letter that passes for a Latin
one (`X-API-\u041aey`), a line gzipped and then base64-encoded by a crash reporter, and a profile path in Windows'
long UNC form (`\\\\?\\UNC\\server\\Users\\`) or in a `file:` URL that names a host (`file://localhost/Users/`).

Every value is made up; the token is minted by LiveKit's own server SDK (tests/support/variants.py).
"""

from __future__ import annotations

import base64
import gzip
import io

import pytest

from loglens import inflate, shadows
from loglens.detectors import mask
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import check_stream, verify
from tests.support.variants import TOKEN, USER, pieces_of

BODY = TOKEN.split(".", 1)[1]
EMAIL = "ilse.vandermoot@example-mail.com"
NAME = "Qorvathine"
KEY = "7d2e9b41c0a85f63e1d4b27a9c086f35"


def _gzipped(line: str) -> str:
    return base64.b64encode(gzip.compress(line.encode(), mtime=0)).decode()


SUMMARY_RUN = _gzipped(f"[Debug][Transport]: Token: {TOKEN}; Resolved End User ID: {USER}")
KEY_RUN = _gzipped(f"[Error][REST]: 401 X-API-Key: {KEY}")
ROWS = {
    "token-dots-escaped-twice": ('{"m":"{\\\\"token\\\\":\\\\"' + TOKEN.replace(".", "\\\\u002e") + '\\\\"}"}', BODY),
    "token-dots-escaped-twice-bare": ("[Debug][Transport]: got " + TOKEN.replace(".", "\\\\u002e") + " ok", BODY),
    "email-at-escaped-twice": ('{"m":"login failed for ' + EMAIL.replace("@", "\\\\u0040") + '"}', EMAIL),
    # the run itself is the secret: any piece of it gives part of the line back
    "gzip-base64-summary": ("[Error][SDK]: crash report: " + SUMMARY_RUN, SUMMARY_RUN),
    "gzip-base64-key": ("report=" + KEY_RUN, KEY_RUN),
    "long-unc-users": (f"[Error][SDK]: cannot open \\\\?\\UNC\\fileserver\\Users\\{NAME}\\Documents\\x.log", NAME),
    "long-unc-slashes": (f"[Error][SDK]: cannot open //?/UNC/fileserver/Users/{NAME}/x.log", NAME),
    "long-unc-share": (f"[Error][SDK]: cannot open \\\\?\\UNC\\fileserver\\backup\\Users\\{NAME}\\x.log", NAME),
    "unc-share": (f"[Error][SDK]: cannot open \\\\fileserver\\backup\\Users\\{NAME}\\x.log", NAME),
    "file-url-localhost": (f"[Error][SDK]: open file://localhost/Users/{NAME}/Library/Logs/x.log", NAME),
    "file-url-host": (f"[Error][SDK]: open file://fileserver/Users/{NAME}/x.log", NAME),
    "file-url-unc": (f"[Error][SDK]: open file:////fileserver/Users/{NAME}/x.log", NAME),
    "yen-backslash": (f"[Error][SDK]: could not write C:\u00a5Users\u00a5{NAME}\u00a5AppData\u00a5x.json", NAME),
    "won-backslash": (f"[Error][SDK]: could not write C:\u20a9Users\u20a9{NAME}\u20a9AppData\u20a9x.json", NAME),
    "key-label-cyrillic-ka": (f"[Error][REST]: 401 X-API-\u041aey: {KEY}", KEY),
    "key-label-cyrillic-ie": (f"[Debug][REST]: GET /v1?api_k\u0435y={KEY}&sdk=unity", KEY),
}


def _survives(secret: str, text: str) -> bool:
    return any(piece in text for piece in pieces_of(secret)) if len(secret) > 16 else secret in text


def _data(line: str) -> bytes:
    return f"[Info][SDK]: start\n{line}\n[Info][SDK]: end\n".encode()


@pytest.mark.parametrize("name", ROWS)
def test_redact_hides_the_value_and_its_copy_passes_the_re_scan(name: str) -> None:
    line, secret = ROWS[name]
    out, run = redact_bytes(_data(line))
    assert verify(io.BytesIO(out), run.table, RedactOptions()) == []
    text = out.decode("utf-8", "surrogateescape")
    assert not _survives(secret, text), text
    assert text.startswith("[Info][SDK]: start\n") and text.endswith("\n[Info][SDK]: end\n")


@pytest.mark.parametrize("name", ROWS)
def test_check_flags_the_raw_line(name: str) -> None:
    line, _ = ROWS[name]
    assert {finding.line for finding in check_stream(io.BytesIO(_data(line)))} == {2}


@pytest.mark.parametrize("name", ROWS)
def test_analyze_masks_the_value(name: str) -> None:
    line, secret = ROWS[name]
    assert not _survives(secret, mask(line))


@pytest.mark.parametrize(
    "line",
    [
        "[Error][SDK]: \u041e\u0448\u0438\u0431\u043a\u0430 \u0441\u0435\u0442\u0438: Key 0123456789abcdef0123 ok",
        "[Info][SDK]: price \u00a51200, \u20a9900 paid",
        '{"m":"C:\\\\Games\\\\Convai\\\\x.json"}',
        "[Error][SDK]: open \\\\fileserver\\builds\\Game\\Users\\UserList.cs",
    ],
)
def test_text_that_only_looks_like_these_forms_is_kept(line: str) -> None:
    """A Russian word, a price and a path escaped twice with no user folder hold nothing to hide."""
    assert mask(line) == line
    out, _ = redact_bytes(_data(line))
    assert out == _data(line)


def test_a_gzip_run_gives_text_in_proportion_to_its_length() -> None:
    """A bomb (5 MiB of one letter in a few kilobytes) gives no more text than `INFLATED_PER_CHAR` characters for
    each of its own, and a short run with a key near its start still gives the key."""
    bomb = _gzipped("A" * (5 << 20))
    given = sum(len(window) - shadows.OVERLAP for window in shadows.decoded_windows(bomb))
    assert 0 < given <= inflate.INFLATED_PER_CHAR * len(bomb) + shadows.MAX_RUN
    assert any(KEY in window for window in shadows.decoded_windows(KEY_RUN))
