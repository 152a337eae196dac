"""End-user data and player text in the shapes a log or a paste gives their labels, and ordinary text next to
them left alone (#8).

Each secret row is checked three ways: `redact -o` keeps no piece of it (and leaves the bytes around it), `check`
flags the original and passes the output, and `analyze --format json` shows no piece of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.errors import ExitCode

H = "[09:14:03.192][Debug][Transport]: "
SAID = "[09:14:08.567][Debug][SDK]: [ConvaiRoomManager] "
EUID = "8ba0d128665571e9dfc1b7bb52a5735c"
NAME = "Maria Gonzalez"
TEXT = "my locker code is 4411 and I live on Quarry Lane"
LOGCAT = (
    "10-23 12:15:40.374 11012 11123 D Unity   : ",
    "2025/06/09 17:00:55.771 21919 21952 Debug Unity ",
    "2025-10-23 12:15:40.374 11012-11123 Unity   com.studio.game   D  ",
)
ROOM = (
    '[09:14:03.191][Debug][Transport]: Room details received: {"token":"x","room_name":"convai-x","session_id":"s1",'
    '"room_url":"wss://convai-technologies-lfslae7c.livekit.cloud","end_user_id":"' + EUID + '",'
    '"end_user_metadata":{"name":"' + NAME + '"},"transport":"livekit"}'
)


def _run(tmp_path: Path, data: bytes) -> tuple[Path, bytes]:
    log, out = tmp_path / "Editor.log", tmp_path / "out.log"
    log.write_bytes(data)
    result = CliRunner().invoke(app, ["redact", str(log), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return log, out.read_bytes()


def _check(path: Path) -> int:
    return CliRunner().invoke(app, ["check", str(path)]).exit_code


def _pieces(secret: str) -> list[str]:
    return [secret] if len(secret) <= 12 else [secret[i : i + 12] for i in range(len(secret) - 11)]


def _kept(secret: str, text: str) -> bool:
    return any(piece in text for piece in _pieces(secret))


SECRETS = [
    # a C# KeyValuePair (`Debug.Log` of a dictionary entry), an XML element
    pytest.param((H + f"[end_user_id, {EUID}]\n").encode(), EUID, id="keyvaluepair"),
    pytest.param((H + f"KeyValuePair: [EndUserId,  {EUID}]\n").encode(), EUID, id="keyvaluepair-camel"),
    pytest.param((H + f"<end_user_id>{EUID}</end_user_id>\n").encode(), EUID, id="xml"),
    pytest.param((H + f"<end_user_metadata>{NAME}</end_user_metadata>\n").encode(), NAME, id="xml-metadata"),
    pytest.param((H + f"<EndUserMetadata>{NAME}, Quarry Lane</EndUserMetadata>\n").encode(), NAME, id="xml-camel"),
    # a Python repr: single-quoted metadata, a name with an apostrophe in double quotes, a list of strings
    pytest.param((H + f"{{'session': 's1', 'end_user_metadata': {{'name': '{NAME}'}}}}\n").encode(), NAME, id="repr"),
    pytest.param(
        (H + "{'end_user_metadata': {'name': \"O'Brien-Gonzalez\", 'n': 3}}\n").encode(),
        "Brien-Gonzalez",
        id="repr-apostrophe",
    ),
    pytest.param(
        (H + "{'end_user_metadata': {'aliases': ['mg-private-handle']}}\n").encode(),
        "mg-private-handle",
        id="repr-list",
    ),
    # the player-text label with a no-break space, all no-break spaces, a doubled space, lower case, a tab
    pytest.param((SAID + "Sent user text\u00a0message: " + TEXT + "\n").encode(), TEXT, id="said-nbsp"),
    pytest.param((SAID + "Sent\u00a0user\u00a0text\u00a0message:\u00a0" + TEXT + "\n").encode(), TEXT, id="said-nbsps"),
    pytest.param((SAID + "Sent  user text message: " + TEXT + "\n").encode(), TEXT, id="said-doubled"),
    pytest.param((SAID + "sent user text message: " + TEXT + "\n").encode(), TEXT, id="said-lower"),
    pytest.param((SAID + "SENT USER\tTEXT MESSAGE: " + TEXT + "\n").encode(), TEXT, id="said-upper-tab"),
    pytest.param((SAID + "[TRANSCRIPT]: You: " + TEXT + "\n").encode(), TEXT, id="said-transcript-upper"),
    pytest.param(
        (H + "Resolved End\u00a0User  ID: u-acct-77310-maria\n").encode(), "u-acct-77310-maria", id="resolved"
    ),
    # a byte that is no UTF-8 (Windows-1252 no-break space, NEL) between a label and its value
    pytest.param(b'{"token":"x","end_user_id":\xa0"' + EUID.encode() + b'"}\n', EUID, id="cp1252-nbsp"),
    pytest.param(b'{"end_user_id":\x85"u-acct-77310-maria.gonzalez"}\n', "u-acct-77310-maria", id="cp1252-nel"),
    pytest.param(b'{"end_user_id" :\xa0\xa0"' + EUID.encode() + b'"}\n', EUID, id="cp1252-two"),
    pytest.param(b'{"end_user_metadata":\xa0{"name":"' + NAME.encode() + b'"}}\n', NAME, id="cp1252-metadata"),
    pytest.param(SAID.encode() + b"Sent user text message:\xa0" + TEXT.encode() + b"\n", TEXT, id="cp1252-said"),
    pytest.param(SAID.encode() + b"Sent user\xa0text message: " + TEXT.encode() + b"\n", TEXT, id="cp1252-label"),
]


@pytest.mark.parametrize(("data", "secret"), SECRETS)
def test_labelled_value_is_redacted_and_checked(tmp_path: Path, data: bytes, secret: str) -> None:
    log, out = _run(tmp_path, data)
    text = out.decode("utf-8", "replace")
    assert not _kept(secret, text), text
    assert _check(log) == ExitCode.FINDINGS
    assert _check(tmp_path / "out.log") == ExitCode.OK
    # the byte that stood for a blank stays where it was: only the value is replaced
    for byte in (b"\xa0", b"\x85"):
        assert out.count(byte) == data.count(byte)
    assert out.startswith(data[: data.index(secret.encode()[:6]) - 2])


@pytest.mark.parametrize(("data", "secret"), SECRETS)
def test_analyze_json_masks_the_value(tmp_path: Path, data: bytes, secret: str) -> None:
    # as an error entry's message, which analyze shows
    body = data[data.index(b"]: ") + 3 :] if data.startswith(b"[") else data
    log = tmp_path / "Editor.log"
    log.write_bytes(b"[09:14:03.192][Error][Transport]: request failed: " + body)
    result = CliRunner().invoke(app, ["analyze", str(log), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "request failed" in result.stdout
    assert not _kept(secret, json.dumps(json.loads(result.stdout), ensure_ascii=False))


# the metadata as an XML element: attributes, CDATA, nested elements, over several lines (#8)
XML_METADATA = [
    [f'<end_user_metadata type="json"><![CDATA[{{"name": "{NAME}"}}]]></end_user_metadata>'],
    [f"<end_user_metadata><name>{NAME}</name><city>Quarry Lane</city></end_user_metadata> sent"],
    ["<end_user_metadata>", f"  <name>{NAME}</name>", "  <city>Quarry Lane</city>", "</end_user_metadata>"],
    ['<end_user_metadata type="json"><![CDATA[', f'{{"name": "{NAME}",', ' "city": "Quarry Lane"}',
     "]]></end_user_metadata>"],
    [f"<end_user_metadata>{NAME}"],  # no closing tag: the rest of the line, and the line after may go on with it
]  # fmt: skip


@pytest.mark.parametrize("lines", XML_METADATA)
def test_metadata_as_xml_keeps_none_of_its_content(tmp_path: Path, lines: list[str]) -> None:
    data = ("\n".join([H + "Room details received:", *lines, "Unity noise after it", ""])).encode()
    log, out = _run(tmp_path, data)
    text = out.decode()
    assert not _kept(NAME, text) and "Quarry" not in text, text
    assert text.endswith("Unity noise after it\n") or "</end_user_metadata>" not in data.decode()
    assert _check(log) == ExitCode.FINDINGS and _check(tmp_path / "out.log") == ExitCode.OK
    result = CliRunner().invoke(app, ["analyze", str(log), "--format", "json"])
    assert result.exit_code == 0 and not _kept(NAME, result.stdout) and "Quarry" not in result.stdout


@pytest.mark.parametrize(
    "line",
    [
        "missing end_user_id, falling back to the device id",  # a comma after the label, no KeyValuePair
        "<end_user_id> element is empty",  # no closing tag
        "Present user text message: nothing said",  # another label
    ],
)
def test_label_shapes_without_their_frame_keep_the_text(tmp_path: Path, line: str) -> None:
    _, out = _run(tmp_path, (H + line + "\n").encode())
    assert out.decode() == H + line + "\n"


# lines that end in an e-mail address, an end-user id or an asset name with an `@`, then an ordinary line; whether
# the first line is itself kept as it is
ORDINARY = [
    (H + "Resolved End User ID: maria.gonzalez@example-corp.com", "Loaded scene MainMenu", False),
    (H + "Resolved End User ID: " + EUID, "Loaded scene MainMenu", False),
    ("Project owner bob@studio.io", "GameManager ready", False),
    ("Assets/Sprites/hero@idle.anim", "Loaded Roboto@Bold.ttf", True),
    ("Loaded font NotoSans@Regular.otf", "Assets/Characters/avatar@Medium.asset", True),
    ("Playing clip Audio/voice@en.wav", "Scene loaded in 42 ms", True),
]


@pytest.mark.parametrize(("first", "second", "kept"), ORDINARY)
def test_the_line_after_a_whole_value_is_not_joined_to_it(tmp_path: Path, first: str, second: str, kept: bool) -> None:
    _, out = _run(tmp_path, (first + "\n" + second + "\nnext line\n").encode())
    lines = out.decode().splitlines()
    assert lines[1:] == [second, "next line"]
    assert (lines[0] == first) == kept


def test_asset_names_with_an_at_sign_are_kept(tmp_path: Path) -> None:
    names = ["Roboto@Bold.ttf", "NotoSans@Regular.otf", "hero@idle.anim", "avatar@Medium.asset", "voice@en.wav"]
    data = "".join(f"Loaded Assets/Art/{name} in 3 ms\n" for name in names).encode()
    _, out = _run(tmp_path, data)
    assert out == data


def _logcat_wrapped(head: str, width: int, cut: int, eol: str) -> bytes:
    start = cut % width
    chunks = ([ROOM[:start]] if start else []) + [ROOM[i : i + width] for i in range(start, len(ROOM), width)]
    return (eol.join(head + chunk for chunk in chunks) + eol).encode()


# the default run: the first head with LF and the last with CRLF; every other head and ending in the slow set
_CUT_DEFAULT = {(LOGCAT[0], "\n"), (LOGCAT[-1], "\r\n")}
_CUT_CASES = [
    pytest.param(head, eol, marks=() if (head, eol) in _CUT_DEFAULT else (pytest.mark.slow,))
    for head in LOGCAT
    for eol in ("\n", "\r\n")
]


@pytest.mark.parametrize(("head", "eol"), _CUT_CASES)
@pytest.mark.parametrize("label", ["end_user_id", "end_user_metadata"])
def test_a_logcat_cut_inside_a_label_keeps_no_value(tmp_path: Path, head: str, label: str, eol: str) -> None:
    for offset in range(1, len(label) + 2):  # every cut inside the label and just after it
        for width in (29, 64):
            _, out = _run(tmp_path, _logcat_wrapped(head, width, ROOM.index(label) + offset, eol))
            joined = "".join(line[len(head) :] for line in out.decode().splitlines())
            assert not _kept(EUID, joined) and not _kept(NAME, joined), (offset, width, joined)
            assert _check(tmp_path / "out.log") == ExitCode.OK
