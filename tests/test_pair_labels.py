"""A credential, an end-user id or what the player typed, named by a name/value pair (a HAR export's headers,
cookies and query string, a Postman collection), by a call's or a tuple's first quoted argument, by a table row's
first cell, or by a tab or an arrow, and under the Convai REST API's `userText` field (#8).

Each row is checked the ways a user meets it: `redact -o` keeps no piece of it (and passes its own verify),
`check` flags the original and passes the output, and `analyze` shows no piece of it in any format.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.detectors import mask
from loglens.errors import ExitCode

KEY = "3f9a1c0b7d2e4f6a8b9c0d1e2f3a4b5c"
AUTH = "zzTopSecretAuth9876543"
SID, EUID, PIN, ADDRESS = "k3j4h5g6f7d8s9a0qwertyuiop", "bartholomew-43", "my pin is 4455", "12 Elm Street"
REST = "https://api.convai.com/character/getResponse"
H = "[09:14:03.192][Error][Network]: request failed: "

PRETTY_HAR = (
    '        "headers": [\n          {\n            "name": "CONVAI-API-KEY",\n            "value": "' + KEY + '"\n'
    '          },\n          {\n            "name": "API-AUTH-TOKEN",\n            "value": "' + AUTH + '"\n'
    "          }\n        ],\n"
)

# (the log, the values none of which may survive)
CASES = [
    pytest.param(PRETTY_HAR, (KEY, AUTH), id="har-pretty"),
    pytest.param(
        H + '{"headers":[{"name":"CONVAI-API-KEY","value":"' + KEY + '"},{"name":"API-AUTH-TOKEN","value":"'
        + AUTH + '"}]}\n',
        (KEY, AUTH),
        id="har-compact",
    ),
    pytest.param(
        H + '{"header":[{"key":"X-API-Key","value":"' + KEY + '","type":"text"},{"key":"API-AUTH-TOKEN","value":"'
        + AUTH + '","type":"text"}]}\n',
        (KEY, AUTH),
        id="postman",
    ),
    pytest.param(H + '{"name":"Authorization","value":"Bearer ' + AUTH + '"}\n', (AUTH,), id="har-authorization"),
    pytest.param(H + f"metadata: [('api-auth-token', '{AUTH}'), ('convai-api-key', '{KEY}')]\n", (KEY, AUTH),
                 id="metadata-tuples"),
    pytest.param(f"| CONVAI-API-KEY | {KEY} |\n| API-AUTH-TOKEN | {AUTH} |\n", (KEY, AUTH), id="header-table"),
    pytest.param(f"CONVAI-API-KEY\t{KEY}\nAPI-AUTH-TOKEN\t{AUTH}\n", (KEY, AUTH), id="tab-separated"),
    pytest.param(H + f"API-AUTH-TOKEN -> {AUTH}\n", (AUTH,), id="arrow"),
    pytest.param(H + f"API-AUTH-TOKEN => {AUTH}\n", (AUTH,), id="fat-arrow"),
    pytest.param(H + f"Key(api-auth-token): {AUTH}\n", (AUTH,), id="parenthesised"),
    pytest.param(H + f'setRequestHeader("API-AUTH-TOKEN", "{AUTH}")\n', (AUTH,), id="set-request-header"),
    pytest.param(H + f'"cookies": [{{"name": "sessionid", "value": "{SID}"}}]\n', (SID,), id="har-cookie"),
    pytest.param(H + f'"queryString": [{{"name": "end_user_id", "value": "{EUID}"}}]\n', (EUID,), id="query"),
    pytest.param(H + f"POST {REST} userText={PIN}&charID=abc\n", (PIN,), id="user-text-form"),
    pytest.param(H + f'{{"userText":"I live at {ADDRESS}","charID":"abc"}}\n', (ADDRESS,), id="user-text-json"),
]  # fmt: skip


def _kept(secrets: tuple[str, ...], text: str) -> list[str]:
    return [secret for secret in secrets if any(secret[i : i + 8] in text for i in range(len(secret) - 7))]


@pytest.mark.parametrize(("log", "secrets"), CASES)
def test_redact_and_check_hide_the_value(tmp_path: Path, log: str, secrets: tuple[str, ...]) -> None:
    source, out = tmp_path / "x.log", tmp_path / "out.log"
    source.write_text(log)
    result = CliRunner().invoke(app, ["redact", str(source), "-o", str(out)])
    assert result.exit_code == ExitCode.OK, result.output
    assert not _kept(secrets, out.read_text()), out.read_text()
    assert CliRunner().invoke(app, ["check", str(source)]).exit_code == ExitCode.FINDINGS
    assert CliRunner().invoke(app, ["check", str(out)]).exit_code == ExitCode.OK


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize(("log", "secrets"), CASES)
def test_analyze_shows_no_piece_of_the_value(tmp_path: Path, log: str, secrets: tuple[str, ...], fmt: str) -> None:
    source = tmp_path / "x.log"
    source.write_text(log if log.startswith(H) else H + log)  # an error entry's message, which analyze shows
    result = CliRunner().invoke(app, ["analyze", str(source), "--format", fmt, "--no-color"])
    assert result.exit_code == ExitCode.OK, result.output
    assert "request failed" in result.stdout
    assert not _kept(secrets, result.stdout), result.stdout


@pytest.mark.parametrize(
    "line",
    [
        '{"name": "Content-Type", "value": "application/json"}',
        '{"name": "Accept", "value": "text/html,application/xhtml+xml"}',
        '"cookies": [{"name": "theme", "value": "dark"}]',
        'Debug.Log("api_key", "missing")',
        "| kind | occurrences | distinct values |",
        "| end-user-id | 1 | 1 |",
    ],
)
def test_ordinary_pairs_are_kept(tmp_path: Path, line: str) -> None:
    source, out = tmp_path / "x.log", tmp_path / "out.log"
    source.write_text(line + "\n")
    assert CliRunner().invoke(app, ["redact", str(source), "-o", str(out)]).exit_code == ExitCode.OK
    assert out.read_text() == line + "\n"


def test_a_short_pair_name_on_its_own_line_takes_the_value_on_the_next(tmp_path: Path) -> None:
    # `"key":"apikey",` is shorter than any wrap: only its shape says that the next line holds its value
    source, out = tmp_path / "x.log", tmp_path / "out.log"
    source.write_text('{\n"key":"apikey",\n"value":"' + AUTH + '"\n}\n')
    assert CliRunner().invoke(app, ["redact", str(source), "-o", str(out)]).exit_code == ExitCode.OK
    assert out.read_text().splitlines()[1] == '"key":"apikey",' and AUTH not in out.read_text()
    assert CliRunner().invoke(app, ["check", str(source)]).exit_code == ExitCode.FINDINGS


def test_a_line_of_cookie_arrays_is_read_once() -> None:
    # each array is searched up to its end or the next one, not to the end of the line
    line = '"cookies": [' * 30_000
    started = time.perf_counter()
    assert mask(line) == line
    assert time.perf_counter() - started < 5
