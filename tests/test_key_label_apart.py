"""An API key apart from its label: on the line after a label that ends its line (a request dump's headers, a
setting printed as `name=` then its value), or behind the name of a PlayerPrefs, shared_prefs or plist entry (#8).

Each row is checked three ways: `redact -o` keeps no piece of the key, `check` flags the original and passes the
output, and `analyze --format json` shows no piece of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.errors import ExitCode

KEY = "3f9a0c1e5b7d2468ace0f13579bdf024"  # fake, shaped like a Convai API key
START = "[14:02:10.000][Info][SDK]: [SessionMetrics] Session started\n"
LOGCAT = "10-23 12:15:40.374 11012 11123 D Unity   : "

APART = [
    pytest.param(f"X-API-KEY:\n    {KEY}\n", id="next-line-indented"),
    pytest.param(f"X-API-KEY:\n{KEY}\n", id="next-line"),
    pytest.param(f"Headers:\n  X-API-KEY:\n    {KEY}\n", id="request-dump"),
    pytest.param(f"api_key=\n{KEY}\n", id="equals"),
    pytest.param(f"api_key=\r\n{KEY}\r\n", id="crlf"),
    pytest.param(f"> X-API-KEY:\n> {KEY}\n", id="quoted"),
    pytest.param(f"{LOGCAT}X-API-KEY:\n{LOGCAT}{KEY}\n", id="logcat"),
    pytest.param(f'<pref name="convai_api_key" type="string">{KEY}</pref>\n', id="playerprefs"),
    pytest.param(f'<string name="convai_api_key">{KEY}</string>\n', id="shared-prefs"),
    pytest.param(f"<key>apiKey</key><string>{KEY}</string>\n", id="plist"),
    pytest.param(f"<key>apiKey</key>\n\t<string>{KEY}</string>\n", id="plist-lines"),
    pytest.param(f'<add key="ConvaiApiKey" value="{KEY}" />\n', id="dotnet-add"),
    pytest.param(f'<setting name="apiKey" value="{KEY}">\n', id="dotnet-setting"),
    pytest.param(f'<add value="{KEY}" key="ConvaiApiKey"/>\n', id="value-first"),
    pytest.param(f"<add key='ConvaiApiKey' value='{KEY}'/>\n", id="single-quotes"),
    pytest.param(f"apiKey: |\n  {KEY}\n", id="yaml-literal"),
    pytest.param(f"apiKey: >-\n  {KEY}\n", id="yaml-folded"),
    pytest.param(f"api_key: |2\n  {KEY}\n", id="yaml-indent-digit"),
    pytest.param(f"> apiKey: |\n>   {KEY}\n", id="yaml-quoted"),
    pytest.param(f"  convai:\n    apiKey: >+\n      {KEY}\n", id="yaml-nested"),
]


def _kept(text: str) -> bool:
    return any(KEY[i : i + 12] in text for i in range(len(KEY) - 11))


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


@pytest.mark.parametrize("text", APART)
def test_a_key_apart_from_its_label_is_redacted_and_checked(tmp_path: Path, text: str) -> None:
    log, out = tmp_path / "Editor.log", tmp_path / "out.log"
    log.write_bytes((START + text).encode())
    assert _run(["redact", str(log), "-o", str(out)])[0] == ExitCode.OK
    assert not _kept(out.read_text(encoding="utf-8")), out.read_text(encoding="utf-8")
    assert _run(["check", str(log)])[0] == ExitCode.FINDINGS
    assert _run(["check", str(out)])[0] == ExitCode.OK


@pytest.mark.parametrize("text", APART)
def test_analyze_shows_no_piece_of_a_key_apart_from_its_label(tmp_path: Path, text: str) -> None:
    log = tmp_path / "Editor.log"
    log.write_bytes(f"{START}[14:02:11.000][Error][REST]: request failed: {text}".encode())
    code, output = _run(["analyze", str(log), "--format", "json"])
    assert code == ExitCode.OK and "request failed" in output
    assert not _kept(json.dumps(json.loads(output), ensure_ascii=False))


@pytest.mark.parametrize(
    "text",
    [
        "Headers:\nContent-Type: application/json\n",  # a label line, then an ordinary header
        "api_key=\nLoaded scene MainMenu\n",  # a label with no value, then a log line
        f'<pref name="volume" type="int">{KEY[:8]}</pref>\n',  # a PlayerPrefs entry of no key
        '<add key="LogLevel" value="Debug"/>\n',  # a config setting of no key
        f'<add key="BuildHash" value="{KEY}"/>\n',  # 32 hex under a name that is no key
        "description: |\n  some prose\n",  # a YAML block of text
        f"checksum: |\n  {KEY}\n",  # 32 hex in a YAML block under no key's name
    ],
)
def test_a_label_at_a_line_end_leaves_an_ordinary_next_line_alone(tmp_path: Path, text: str) -> None:
    log, out = tmp_path / "Editor.log", tmp_path / "out.log"
    log.write_bytes((START + text).encode())
    assert _run(["redact", str(log), "-o", str(out)])[0] == ExitCode.OK
    assert out.read_bytes() == log.read_bytes()
