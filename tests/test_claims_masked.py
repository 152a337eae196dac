"""A token's claims reach no output unmasked (#8): `redact --keep-claims` writes the room claim into the token's
placeholder, which the fail-closed re-scan does not read, so every secret in it is named by its own placeholder
(or the claim is left out); the identity (`sub`) is an end-user id placeholder. `analyze` (every format) and
`livekit --list` (text and JSON) show the room claim masked as a name.

Each row mints a token whose `room` and `sub` claims hold one kind of secret, the way the SDKs do
(tests/support/tokens.py); the output is searched for the secret and checked by the fail-closed verify (the
independent checks included) and by `check`.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import Profile, RedactOptions
from loglens.redaction.verify import verify
from tests.support.tokens import mint_token

INNER = mint_token(identity="inner-guest-7", room="lobby", exp=1_935_000_000, nbf=1_750_000_000)
KEY = "3f9c2a7b5e8d4c1a9b6e0f2d7c4a8b1e"
# (a claim's text, the part of it that must not survive)
SECRETS = {
    "email": ("alice.w@example.com", "alice.w"),
    "email-then-digit": ("alice.w@example.com-2", "alice.w"),
    "email-in-a-room": ("lobby-bob.k@studio-mail.net", "bob.k"),
    "api-key-bare": (KEY, KEY[:16]),
    "api-key-labelled": ("api_key=" + KEY, KEY[8:24]),
    "windows-user-path": ("C:\\Users\\alicew\\rooms\\lobby", "alicew"),
    "unix-home": ("/home/alicew/rooms/lobby", "alicew"),
    "relative-users-folder": ("Assets/Users/alicew/lobby", "alicew"),
    "token": (INNER, INNER.split(".")[2][:16]),
    "ip-address": ("room-203.0.113.45", "203.0.113.45"),
    "password": ("password=hunter2Horse", "hunter2Horse"),
    "access-token": ("access_token=Zk9xV2pLbU5QcVJz", "Zk9xV2pLbU5QcVJz"),
}
IDS = list(SECRETS)
URL = "wss://demo-lfslae7c.livekit.cloud"


CLAIMS = ["room", "sub"]


def _log(claim: str, which: str = "room", other: str = "guest-1") -> str:
    """A log whose token's `room` (or `sub`) claim is `claim`, the other one `other`."""
    room, identity = (claim, other) if which == "room" else ("lobby", claim)
    token = mint_token(identity=identity, room=room, exp=1_935_000_000, nbf=1_750_000_000)
    details = {"token": token, "room_name": "lobby", "room_url": URL, "session_id": "8c6b4d1b"}
    return (
        f"[16:20:41.158][Debug][Transport]: Room details received: {json.dumps(details)}\n"
        f"[16:20:41.159][Debug][Transport]: Token: {token}; Room Name: lobby; Room URL: {URL}\n"
        "[16:21:12.206][Error][Transport]: Transport connection failed: invalid token, error: token is expired\n"
    )


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("which", CLAIMS)
@pytest.mark.parametrize("profile", [Profile.DEFAULT, Profile.PUBLIC], ids=["default", "public"])
@pytest.mark.parametrize(("claim", "secret"), SECRETS.values(), ids=IDS)
def test_keep_claims_writes_no_secret_of_a_claim(claim: str, secret: str, profile: Profile, which: str) -> None:
    options = RedactOptions(keep_claims=True, profile=profile)
    out, run = redact_bytes(_log(claim, which).encode(), options)
    text = out.decode()
    assert secret not in text
    assert "<livekit-token-1 " in text and " identity=" in text  # the claims are kept, masked
    assert verify(io.BytesIO(out), run.table, options) == []


@pytest.mark.parametrize(("claim", "secret"), SECRETS.values(), ids=IDS)
def test_the_room_claim_names_each_secret_by_its_placeholder(claim: str, secret: str) -> None:
    out, _ = redact_bytes(_log(claim).encode(), RedactOptions(keep_claims=True))
    room = out.decode().split("<livekit-token-1 ", 1)[1].split(">", 1)[0]
    assert room.startswith("room=") or room.startswith("exp=")  # the room, or no room when it could hide one
    assert secret not in room and "@" not in room


def test_a_plain_room_claim_is_kept_and_one_that_could_hide_an_address_is_left_out() -> None:
    options = RedactOptions(keep_claims=True)
    out, _ = redact_bytes(_log("convai-61484c4b-115a-58bd").encode(), options)
    assert "<livekit-token-1 room=convai-61484c4b-115a-58bd exp=" in out.decode()
    out, _ = redact_bytes(_log("jo@localhost").encode(), options)  # no domain: no e-mail
    assert "<livekit-token-1 exp=" in out.decode() and "jo_localhost" not in out.decode()


@pytest.mark.parametrize(("claim", "secret"), SECRETS.values(), ids=IDS)
@pytest.mark.parametrize("which", CLAIMS)
def test_check_passes_the_copy_redact_keep_claims_writes(tmp_path: Path, claim: str, secret: str, which: str) -> None:
    log, out = tmp_path / "Editor.log", tmp_path / "out.log"
    log.write_text(_log(claim, which), encoding="utf-8")
    assert _run("redact", str(log), "-o", str(out), "--keep-claims")[0] == 0
    assert secret not in out.read_text(encoding="utf-8")
    assert _run("check", str(out))[0] == 0


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "--format", "text"],
        ["analyze", "--format", "markdown"],
        ["analyze", "--format", "json"],
        ["livekit", "--list"],
        ["livekit", "--list", "--format", "json"],
    ],
    ids=["analyze-text", "analyze-markdown", "analyze-json", "livekit-list", "livekit-list-json"],
)
@pytest.mark.parametrize(("claim", "secret"), SECRETS.values(), ids=IDS)
@pytest.mark.parametrize("which", CLAIMS)
def test_analyze_and_livekit_list_show_no_claim_unmasked(
    tmp_path: Path, claim: str, secret: str, args: list[str], which: str
) -> None:
    log = tmp_path / "Editor.log"
    log.write_text(_log(claim, which), encoding="utf-8")
    code, output = _run(args[0], str(log), *args[1:])
    assert code == 0
    assert secret not in output


@pytest.mark.parametrize(("claim", "secret"), SECRETS.values(), ids=IDS)
def test_a_room_mismatch_notice_names_the_claim_masked(tmp_path: Path, claim: str, secret: str) -> None:
    """The hand-off carries the token itself; its notices (`Notice.message`) carry no personal value."""
    log = tmp_path / "Editor.log"
    log.write_text(_log(claim), encoding="utf-8")
    code, output = _run("livekit", str(log), "--format", "json")
    assert code == 0
    warnings = json.loads(output)["warnings"]
    assert "room-mismatch" in [w["id"] for w in warnings]
    assert [w for w in warnings if secret in w["message"]] == []
