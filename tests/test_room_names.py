"""`--profile public` pseudonymises a room name whole: every word of it, to its closing quote in JSON, to the line's
end or the next field otherwise. A room named after its player keeps no word of the name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import Profile, RedactOptions
from tests.support.tokens import mint_token

PUBLIC = RedactOptions(profile=Profile.PUBLIC)
TOKEN = mint_token(identity="player-1", room="Lobby Two", exp=1_950_000_000, nbf=1_700_000_000)
NAME = "Lobby Of Bartholomew Quist"


def redact_text(text: str, options: RedactOptions | None = None) -> str:
    return redact_bytes(text.encode("utf-8"), options)[0].decode("utf-8")


@pytest.mark.parametrize(
    ("line", "written"),
    [
        (f"Room Name: {NAME}; Room URL: wss://a", "Room Name: <room-name-1>; Room URL: wss://a"),
        (f"Room Name: {NAME}", "Room Name: <room-name-1>"),
        (f"Room Name: {NAME}  ", "Room Name: <room-name-1>  "),
        (f"room_name={NAME}, session=x", "room_name=<room-name-1>, session=x"),
        (f'{{"room_name":"{NAME}","session_id":"s2"}}', '{"room_name":"<room-name-1>","session_id":"<session-id-1>"}'),
        (f'{{"room_name": "{NAME}"}}', '{"room_name": "<room-name-1>"}'),
        (f'{{\\"room_name\\":\\"{NAME}\\"}}', '{\\"room_name\\":\\"<room-name-1>\\"}'),
        (f"<room_name>{NAME}</room_name>", "<room_name><room-name-1></room_name>"),
        (f"roomName:\t{NAME}\tsessionId: s1", "roomName:\t<room-name-1>\tsessionId: <session-id-1>"),
        ("Room Name: lobby session_id=s1", "Room Name: <room-name-1> session_id=<session-id-1>"),
        ("Room Name: O'Brien Lobby Of Bartholomew Quist", "Room Name: <room-name-1>"),
        ("Room Name: Bartholomew's Lobby", "Room Name: <room-name-1>"),
        ("Room Name: Bartholomew\u2019s Lobby", "Room Name: <room-name-1>"),
        ("""{"room_name":"Bart's Lobby Of Quist"}""", """{"room_name":"<room-name-1>"}"""),
        ("""{\\"room_name\\":\\"O'Brien Lobby\\"}""", """{\\"room_name\\":\\"<room-name-1>\\"}"""),
        ("room_name='O'Brien Lobby' session_id=s1", "room_name='<room-name-1>' session_id=<session-id-1>"),
    ],
)
def test_every_word_of_a_room_name_is_one_value(line: str, written: str) -> None:
    out = redact_text(line + "\n", PUBLIC)
    assert out == written + "\n"


@pytest.mark.parametrize("line", ["Room Name: O'Brien Lobby Of Quist", """{"room_name":"Bart's Lobby Of Quist"}"""])
def test_an_apostrophe_ends_no_room_name_with_claims_kept(line: str) -> None:
    out = redact_text(line + "\n", RedactOptions(profile=Profile.PUBLIC, keep_claims=True))
    assert not {"Brien", "Bart", "Lobby", "Quist"} & set(out.replace("<", " ").replace("'", " ").split())
    assert "<room-name-1>" in out


def test_the_default_profile_keeps_the_room_name() -> None:
    line = f"Room Name: {NAME}; Session ID: s1\n"
    assert redact_text(line) == line


@pytest.mark.parametrize("command", ["redact", "ticket"])
def test_redact_and_ticket_keep_no_word_of_a_room_name(command: str, tmp_path: Path) -> None:
    log = tmp_path / "Editor.log"
    details = json.dumps({"token": TOKEN, "room_name": "Bartholomew Quist", "session_id": "s2"}, separators=(",", ":"))
    log.write_text(
        f"[Debug][Transport]: Token: {TOKEN}; Room Name: {NAME}; Room URL: wss://p.livekit.cloud; Session ID: s1\n"
        f"[Debug][Transport]: Room details received: {details}\n",
        encoding="utf-8",
    )
    args = [command, "--profile", "public", str(log)]
    if command == "ticket":
        args += ["-o", str(tmp_path / "tk")]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    written = [result.stdout]
    if command == "ticket":
        written += [p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "tk").iterdir()]
    for text in written:
        assert "Bartholomew" not in text and "Quist" not in text
