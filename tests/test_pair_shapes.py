"""Name/value pairs in the shapes exports and code also give them (#8): the value before the name (`{"value": ...,
"name": "X-API-Key"}`, on one line or pretty-printed), another member between the name and the value (a HAR's
`"comment": ""`), a template literal as a call's second argument; and the doc tables and prose that only name a
label (`| password | Password of the account |`, `userText: ...` in a field list), which keep their words.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.errors import ExitCode

KEY = "3f9a1c0b7d2e4f6a8b9c0d1e2f3a4b5c"
AUTH = "Zk9xQ2hTbW9rZVRlc3RBdXRoVG9rZW4xMjM0NQ"


def _redact(tmp_path: Path, log: str) -> str:
    source, out = tmp_path / "x.log", tmp_path / "out.log"
    source.write_text(log)
    result = CliRunner().invoke(app, ["redact", str(source), "-o", str(out)])
    assert result.exit_code == ExitCode.OK, result.output
    return out.read_text()


@pytest.mark.parametrize(
    ("log", "secret"),
    [
        pytest.param('{"value": "@", "name": "X-API-Key"}\n'.replace("@", KEY), KEY, id="value-first-key"),
        pytest.param('{"value": "@", "name": "API-AUTH-TOKEN"}\n'.replace("@", AUTH), AUTH, id="value-first-token"),
        pytest.param(
            '{\n  "value": "@",\n  "name": "API-AUTH-TOKEN"\n}\n'.replace("@", AUTH), AUTH, id="value-first-pretty"
        ),
        pytest.param('{"value": "@", "key": "API-AUTH-TOKEN"}\n'.replace("@", AUTH), AUTH, id="value-first-postman"),
        pytest.param(
            '{"value": "@", "comment": "", "name": "password"}\n'.replace("@", AUTH), AUTH, id="value-first-member"
        ),
        pytest.param(
            '{\n  "name": "API-AUTH-TOKEN",\n  "comment": "",\n  "value": "@"\n}\n'.replace("@", AUTH),
            AUTH,
            id="member-pretty",
        ),
        pytest.param('{"name": "API-AUTH-TOKEN", "comment": "", "value": "@"}\n'.replace("@", AUTH), AUTH, id="member"),
        pytest.param('headers.set("API-AUTH-TOKEN", `@`);\n'.replace("@", AUTH), AUTH, id="template-literal"),
    ],
)
def test_the_value_is_hidden(tmp_path: Path, log: str, secret: str) -> None:
    out = _redact(tmp_path, log)
    assert secret[:12] not in out, out
    assert CliRunner().invoke(app, ["check", str(tmp_path / "x.log")]).exit_code == ExitCode.FINDINGS


@pytest.mark.parametrize(
    "line",
    [
        '{"value": "application/json", "name": "Content-Type"}',
        '{"value": "keep-alive", "comment": "", "name": "Connection"}',
        '{"name": "Accept", "comment": "", "value": "text/html"}',
        # a doc: a table cell or an arrow's target that is a word of the doc (or more words of it) holds no value
        "| API-AUTH-TOKEN | required for every call |",
        "| API-AUTH-TOKEN | required |",
        "| X-API-Key | optional |",
        "| password | Password of the account |",
        "| password | Password |",
        "| api_key | string |",
        "| secret | yes |",
        "username -> empty",
        "username: none",
        "Set ICE ufrag length to 4",
        "pwd: /opt/unity",
    ],
)
def test_ordinary_pairs_and_docs_keep_their_words(tmp_path: Path, line: str) -> None:
    assert _redact(tmp_path, line + "\n") == line + "\n"


SID, CSRF = "k3j4h5g6f7d8s9a0qwertyuiop", "Hq8vN2kLmP4rT6wXzY1bC3dF"
PRETTY_COOKIES = (
    '        "cookies": [\n          {\n            "name": "sessionid",\n            "value": "' + SID + '",\n'
    '            "path": "/",\n            "domain": ".convai.com",\n            "expires": "2026-12-31T00:00:00Z",\n'
    '            "httpOnly": true,\n            "secure": true,\n            "sameSite": "Lax"\n          },\n'
    '          {\n            "name": "csrftoken",\n            "value": "' + CSRF + '",\n            "path": "/"\n'
    '          },\n          {\n            "name": "theme",\n            "value": "dark"\n          }\n        ],\n'
)


def test_pretty_printed_har_cookies_lose_their_values(tmp_path: Path) -> None:
    # how a browser's "Save as HAR" writes them: each member on a line of its own
    out = _redact(tmp_path, PRETTY_COOKIES)
    assert SID[:12] not in out and CSRF[:12] not in out, out
    assert '"name": "sessionid",' in out and '"value": "dark"' in out and '"path": "/",' in out
    assert len(out.splitlines()) == len(PRETTY_COOKIES.splitlines())
    assert CliRunner().invoke(app, ["check", str(tmp_path / "x.log")]).exit_code == ExitCode.FINDINGS


@pytest.mark.parametrize(
    "log",
    [
        "userText: hello there\nplain line after\n",
        "| field | meaning |\n| userText | what the player typed |\n| sessionID | the session |\n"
        "Connection closed by peer\nReconnecting in 2 s\n",
        "The userText field holds what the player typed.\nNext line stays.\n",
    ],
)
def test_user_text_named_in_a_doc_keeps_its_lines(tmp_path: Path, log: str) -> None:
    # only the REST API's own shapes (`userText=...&`, `"userText": "..."`) hold what a player typed
    assert _redact(tmp_path, log) == log


def test_user_text_in_the_rest_shapes_is_still_hidden(tmp_path: Path) -> None:
    # encoded in a form or a JSON string, a newline the player typed is no line break: the next line is the log's
    log = 'POST /x userText=my pin is 4455&charID=abc\n{"userText": "I live at 12 Elm Street"}\nnext line\n'
    log += "POST /x userText=my pin is 4455\nplain line after\n"
    out = _redact(tmp_path, log)
    assert "4455" not in out and "Elm" not in out
    assert out.splitlines()[2] == "next line" and out.endswith("plain line after\n"), out


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("| API-AUTH-TOKEN | " + AUTH + " |", AUTH),
        ("| password | hunter2hunter |", "hunter2hunter"),
        ("| X-API-Key | " + KEY + " |", KEY),
        ("| CONVAI-API-KEY | " + KEY, KEY),
        ("username -> bartq", "bartq"),
        ("a=ice-pwd:/Xy9zQwErTy12abcdEFGH34", "/Xy9zQwErTy12abcdEFGH34"),
    ],
)
def test_a_value_in_its_own_cell_is_still_hidden(tmp_path: Path, line: str, secret: str) -> None:
    assert secret not in _redact(tmp_path, line + "\n")
