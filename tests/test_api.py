"""The library API, used only as a user would: `from loglens import analyze, redact_text, redact_file, livekit`."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

import loglens
from loglens import analyze, livekit, redact_file, redact_text
from loglens.errors import LoglensError
from tests.conftest import ROOT, SAMPLES
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-api", room="room-api", exp=1_950_000_000, nbf=1_700_000_000)
KEY = "0f3c9a7e21b84d6590ce1a2b3c4d5e6f"
LOG = (
    "[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character abc (mode=create)\n"
    "[Debug][Transport]: Token: " + TOKEN + "; Room Name: room-api; Room URL: "
    "wss://convai-technologies-lfslae7c.livekit.cloud; Session ID: s-1; Character Session ID: cs-1\n"
    "[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\n"
)


def test_the_public_names() -> None:
    assert set(loglens.__all__) == {"__version__", "analyze", "livekit", "redact_file", "redact_text"}
    assert (Path(loglens.__file__).parent / "py.typed").is_file()


def test_import_is_cheap() -> None:
    """Importing the package loads none of the parser, models or renderers: a script pays only for what it uses."""
    heavy = "{'lark', 'pydantic', 'rich', 'click'}"
    probe = f"import sys, loglens; print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("path", id="str path"),  # a path as a string
        pytest.param("pathlike", id="Path"),  # a pathlib.Path
        pytest.param("bytes", id="bytes"),  # the log's bytes
        pytest.param("lines", id="lines without endings"),  # text.splitlines()
        pytest.param("stringio", id="a text stream"),  # io.StringIO, or an open text file
    ],
)
def test_analyze_takes_every_kind_of_source(tmp_path: Path, source: str) -> None:
    path = tmp_path / "Editor.log"
    path.write_text(LOG, encoding="utf-8")
    given = {
        "path": str(path),
        "pathlike": path,
        "bytes": LOG.encode(),
        "lines": LOG.splitlines(),
        "stringio": io.StringIO(LOG),
    }[source]
    report = analyze(given)
    assert [c.code for c in report.codes] == ["transport.ice_failed"]
    assert report.summary.lines == 3 and report.summary.sessions == 1
    assert TOKEN not in report.model_dump_json()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"X-API-Key: {KEY}", "X-API-Key: <api-key-1>"),  # no line break at all
        (f"a\nX-API-Key: {KEY}\n", "a\nX-API-Key: <api-key-1>\n"),  # LF
        (f"a\r\nX-API-Key: {KEY}\r\nb", "a\r\nX-API-Key: <api-key-1>\r\nb"),  # CRLF, no final break
        (f"\n\nmail {KEY[:4]}@example.org\n\n", "\n\nmail <email-1>\n\n"),  # blank lines kept
        ("nothing secret\n", "nothing secret\n"),  # unchanged
        ("", ""),  # empty
    ],
)
def test_redact_text_keeps_line_breaks(text: str, expected: str) -> None:
    assert redact_text(text) == expected


def test_redact_file_keeps_the_encoding_and_reports_counts() -> None:
    data, report = redact_file(SAMPLES / "powershell-utf16.log")
    original = (SAMPLES / "powershell-utf16.log").read_bytes()
    assert data[:2] == original[:2] and data.count(b"\r\x00\n\x00") == original.count(b"\r\x00\n\x00")
    assert report.redactions > 0 and report.check == "after-writing"
    text = data.decode("utf-16")
    assert "eyJ" not in text and "<livekit-token-1>" in text


def test_livekit_returns_the_connection_test_fields(tmp_path: Path) -> None:
    path = tmp_path / "Editor.log"
    path.write_text(LOG, encoding="utf-8")
    fields = livekit(path)
    assert fields.pair.token.get_secret_value() == TOKEN
    assert fields.pair.url is not None
    assert fields.pair.url.get_secret_value() == "wss://convai-technologies-lfslae7c.livekit.cloud"
    assert TOKEN not in repr(fields) and TOKEN not in str(fields)


def test_livekit_without_credentials_says_why() -> None:
    with pytest.raises(Exception, match=r"credentials|token") as caught:
        livekit(SAMPLES / "logcat-timeout.txt")
    assert "Traceback" not in str(caught.value) and str(caught.value)


def _chain(error: BaseException | None) -> str:
    """Everything an exception and the ones behind it would show in a traceback or a log."""
    parts: list[str] = []
    while error is not None:
        parts += [str(error), repr(error), str(error.args)]
        error = error.__cause__ or error.__context__
    return "\n".join(parts)


@pytest.mark.parametrize("call", [analyze, livekit, redact_file])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(LOG, "looks like log text", id="the log's text"),
        pytest.param(
            "[Error][Transport]: invalid token: " + TOKEN, "no such file|cannot open", id="one line, no break"
        ),
    ],
)
def test_a_str_that_is_log_text_is_refused_without_showing_it(call: object, text: str, message: str) -> None:
    """A str is a path; given the log's text instead, the error (and nothing chained to it) shows no token."""
    with pytest.raises(LoglensError, match=message) as caught:
        call(text)  # type: ignore[operator]
    shown = _chain(caught.value)
    assert TOKEN[:16] not in shown and TOKEN.split(".")[2][:16] not in shown
    assert len(str(caught.value)) < 200


def test_nul_padding_at_the_start_is_redacted_around_and_kept_byte_for_byte() -> None:
    padding = b"\x00" * 16  # a crashed Unity's padding
    data, report = redact_file(padding + LOG.encode() + padding + b"\n")
    assert data.startswith(padding + b"[Info][SDK]") and data.endswith(padding + b"\n")
    assert TOKEN.encode() not in data and b"<livekit-token-1>" in data and report.redactions > 0
