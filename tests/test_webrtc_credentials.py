"""What a WebRTC stack logs of its credentials, in the shapes browsers, the WebGL build and native libraries give
them (#8): ICE passwords and ufrags under every label they carry, a TURN server's credential and the user in its
username, a STUN USERNAME; and the user name under other home roots than `/home`. `redact` hides each one and its
fail-closed verify agrees, `check` flags the original and passes the copy, `analyze` shows it in no format, the
library's masking hides it. An SDP block keeps every byte that is no secret. (What only looks like these stays:
`test_ice_and_build_paths.KEPT`.)
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.detectors import mask
from loglens.masking import mask_name
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import check_stream, verify

PWD = "Kq8v2LmN0pRsTuVwXyZa1B3c"  # an ICE password: 24 ICE characters, as browsers make them
TURN_SECRET = "Hf3Kd9sLq2Wm8Zx5Cv1Bn6Tr"
TURN_HMAC = "Q2x5ZGVzYmFyYmF6cXV4MTIz="  # a TURN REST credential: base64 of an HMAC
USER = "bartholomew"

# (id, the line's message, the values that must not survive)
ICE_CASES = [
    # the camelCase JSON a browser's RTCIceParameters and the WebGL build log; `iceUfrag` beside it
    ("icePwd-json", f'{{"iceUfrag":"Ty7u","icePwd":"{PWD}"}}', ["Ty7u", PWD]),
    ("RemotePwd=", f"RemoteUfrag=Pq9r RemotePwd={PWD}", ["Pq9r", PWD]),
    ("localPwd-colon", f"localUfrag: Pq9r, localPwd: {PWD}", ["Pq9r", PWD]),
    ("remote_ice_pwd", f"remote_ice_ufrag=Pq9r remote_ice_pwd={PWD}", ["Pq9r", PWD]),
    # a native library's dump: the words with blanks, no colon
    ("ufrag-X-pwd-Y", f"Remote ICE credentials: ufrag Pq9r pwd {PWD}", ["Pq9r", PWD]),
    # RTCIceCandidate.toJSON(), and the same object as a browser console prints it
    (
        "usernameFragment-json",
        '{"candidate":"candidate:1 1 udp 2122260223 192.0.2.5 54321 typ host","sdpMid":"0","sdpMLineIndex":0,'
        '"usernameFragment":"Hk2w"}',
        ["Hk2w"],
    ),
    (
        "usernameFragment-js",
        "RTCIceCandidate {candidate: 'candidate:1 1 udp 2122 192.0.2.5 5 typ host', sdpMid: '0', "
        "usernameFragment: 'Pq9r'}",
        ["Pq9r"],
    ),
    # the same JSON escaped into a string
    ("usernameFragment-escaped", f'{{\\"usernameFragment\\":\\"Hk2w\\",\\"icePwd\\":\\"{PWD}\\"}}', ["Hk2w", PWD]),
    # a native stack's snake_case (protobuf text)
    ("username_fragment", f'username_fragment: "Rr5e" password: "{PWD}"', ["Rr5e", PWD]),
]
TURN_CASES = [
    # RTCConfiguration's iceServers: a TURN REST username `<expiry>:<user>` and its credential
    (
        "turn-json",
        '{"iceServers":[{"urls":["turns:turn.example.net:443?transport=tcp"],'
        f'"username":"1700000000:{USER}","credential":"{TURN_SECRET}"}}]}}',
        [USER, TURN_SECRET],
    ),
    (
        "turn-js",
        f"{{urls: 'turn:turn.example.net:3478', username: '1700000000:{USER}', credential: '{TURN_SECRET}'}}",
        [USER, TURN_SECRET],
    ),
    (
        "turn-dump",
        f"ICE server turn:turn.example.net:3478?transport=udp username=1700000000:{USER} credential={TURN_HMAC}",
        [USER, TURN_HMAC],
    ),
    (
        "turn-words",
        f'{{"urls":"turn:turn.example.net","username":"Bart {USER}","credential":"{TURN_SECRET}"}}',
        [USER, TURN_SECRET],
    ),
    ("turn-escaped", f'{{\\"username\\":\\"{USER}\\",\\"credential\\":\\"{TURN_SECRET}\\"}}', [USER, TURN_SECRET]),
    # a STUN binding request's USERNAME: `<remote ufrag>:<local ufrag>`, both halves
    ("stun-USERNAME", "STUN binding request USERNAME=Kd8s:Lq2p", ["Kd8s", "Lq2p"]),
    # the same unquoted, after a bare colon: a JavaScript object or a dump, one opaque token a field
    (
        "turn-js-unquoted",
        f"iceServers: [{{urls: turn:turn.example.net, username: 1700000000:{USER}, credential: {TURN_SECRET}}}]",
        [USER, TURN_SECRET],
    ),
    ("turn-words-unquoted", f"TURN username: 1700000000:{USER} credential: {TURN_SECRET}", [USER, TURN_SECRET]),
    ("credential-colon", f"credential: {TURN_HMAC}", [TURN_HMAC]),
    ("stun-USERNAME-colon", "STUN binding request USERNAME: Kd8s:Lq2p", ["Kd8s", "Lq2p"]),
    ("username-colon", "ice: username: Kd8s:Lq2p", ["Kd8s", "Lq2p"]),
    # a quoted credential of a few words, up to its closing quote
    ("credential-words", f'{{"username": "x", "credential": "my {TURN_SECRET} words"}}', ["my", TURN_SECRET, "words"]),
    # a TURN URI with its user and password (no `//` after the scheme)
    ("turn-uri-userinfo", f"turn:{USER}:{TURN_SECRET}@turn.example.com:3478", [USER, TURN_SECRET]),
]
HOME_CASES = [
    # home roots besides /home: numbered ones, Solaris' /export/home, FreeBSD's /usr/home, a path through `..`
    ("home2", f"Failed to load /home2/{USER}/x.so", [USER]),
    ("home01", f"Failed to load /home01/{USER}/x.so", [USER]),
    ("export-home", f"Failed to load /export/home/{USER}/x.so", [USER]),
    ("usr-home", f"Failed to load /usr/home/{USER}/x.so", [USER]),
    ("dot-dot-home", f"Failed to load /root/../home/{USER}/x.so", [USER]),
    ("dot-home", f"Failed to load /./home/{USER}/x.so", [USER]),
    ("dot-dot-home2", f"Failed to load /opt/unity/../../home2/{USER}/x.so", [USER]),
    # a Synology or NFS server's /homes, an automounted host's home, doubled slashes
    ("homes", f"Failed to load /homes/{USER}/x.so", [USER]),
    ("nfs-homes", f"Failed to load /nfs/homes/{USER}/x.so", [USER]),
    ("net-host-home", f"Failed to load /net/fileserver/home/{USER}/x.so", [USER]),
    ("double-slashes", f"Failed to load //home//{USER}/x.so", [USER]),
    # a macOS volume whose name holds a blank
    ("volume-blank", f"(at /Volumes/Macintosh HD/Users/{USER}/Game/Assets/X.cs:12)", [USER]),
]
CASES = ICE_CASES + TURN_CASES + HOME_CASES
IDS = [case[0] for case in CASES]


def _line(message: str) -> str:
    return f"[16:20:41.158][Error][Transport]: {message}"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(("name", "message", "secrets"), CASES, ids=IDS)
def test_redact_hides_them_and_the_verify_agrees(name: str, message: str, secrets: list[str]) -> None:
    out, run = redact_bytes((_line(message) + "\n").encode())
    text = out.decode()
    assert [s for s in secrets if s in text] == [], text
    assert verify(io.BytesIO(out), run.table, RedactOptions()) == []
    assert text.startswith("[16:20:41.158][Error][Transport]: ")


@pytest.mark.parametrize(("name", "message", "secrets"), CASES, ids=IDS)
def test_check_flags_the_original_and_passes_the_copy(name: str, message: str, secrets: list[str]) -> None:
    data = (_line(message) + "\n").encode()
    out, run = redact_bytes(data)
    values = run.table.private_map()
    assert [s for s in secrets if not any(s in value for value in values.values())] == []
    hidden = [name.strip("<>").rsplit("-", 1)[0] for name in values]
    found = [finding.kind for finding in check_stream(io.BytesIO(data))]
    assert sorted(found) == sorted(hidden)  # `check` finds each value that holds a secret, one finding a value
    assert list(check_stream(io.BytesIO(out))) == []


@pytest.mark.parametrize(("name", "message", "secrets"), CASES, ids=IDS)
def test_the_library_masks_them(name: str, message: str, secrets: list[str]) -> None:
    shown = mask(_line(message))
    assert [s for s in secrets if s in shown] == [], shown


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_analyze_shows_them_in_no_format(tmp_path: Path, fmt: str) -> None:
    log = tmp_path / "Editor.log"
    log.write_text("".join(_line(message) + "\n" for _, message, _ in CASES), encoding="utf-8")
    code, output = _run("analyze", str(log), "--format", fmt, *(["--no-color"] if fmt == "text" else []))
    assert code == 0
    if fmt == "json":
        output = json.dumps(json.loads(output), ensure_ascii=False)
    assert "<ice-credential>" in output  # the error lines are reported, masked
    secrets = {s for _, _, values in CASES for s in values}
    assert sorted(s for s in secrets if s in output) == []


@pytest.mark.parametrize(
    "source",
    [
        f"/home2/{USER}/.config/unity3d/Editor.log",
        f"/export/home/{USER}/.config/unity3d/Editor.log",
        f"/srv/logs/usr/home/{USER}/Editor.log",
        f"/homes/{USER}/.config/unity3d/Editor.log",
        f"/nfs/homes/{USER}/Editor.log",
        f"//home//{USER}/Editor.log",
    ],
)
def test_a_file_name_under_another_home_root_is_masked(source: str) -> None:
    assert USER not in mask_name(source)


# An SDP block as Chrome writes it: a 4-character ufrag, then the ice-pwd line, then candidates
SDP = (
    "[Debug][Transport]: local offer sdp:\n"
    "v=0\n"
    "a=ice-ufrag:Xq3z\n"
    "a=ice-pwd:asd88fgpdd777uzZZUa5bzbK\n"
    "a=candidate:1 1 udp 2122260223 192.0.2.5 54321 typ host generation 0\n"
    "a=fingerprint:sha-256 AB:CD\n"
)


@pytest.mark.parametrize("ufrag", ["Xq3z", "Xq3zA", "Xq3zAb7kLm9pQr2s"])
def test_an_sdp_block_keeps_every_byte_that_is_no_secret(ufrag: str) -> None:
    sdp = SDP.replace("Xq3z", ufrag)
    out, run = redact_bytes(sdp.encode())
    text = out.decode()
    assert text == (
        "[Debug][Transport]: local offer sdp:\n"
        "v=0\n"
        "a=ice-ufrag:<ice-credential-1>\n"
        "a=ice-pwd:<ice-credential-2>\n"
        "a=candidate:1 1 udp 2122260223 <ip-address-1> 54321 typ host generation 0\n"
        "a=fingerprint:sha-256 AB:CD\n"
    )
    assert sorted(run.table.private_map().values()) == sorted([ufrag, "asd88fgpdd777uzZZUa5bzbK", "192.0.2.5"])
    assert verify(io.BytesIO(out), run.table, RedactOptions()) == []


# Firefox writes the session's ICE credentials right before the first media line, and every SDP carries the DTLS
# fingerprint of its certificate: 32 colon-separated hex bytes, no address
FINGERPRINT = ":".join(["4A", "AD", "B9", "B1", "3F", "82", "18", "3B"] * 4)
FIREFOX_SDP = (
    "v=0\n"
    "a=fingerprint:sha-256 " + FINGERPRINT + "\n"
    "a=ice-pwd:Qw3rTy12AsDf34ZxCv56BnMm\n"
    "a=ice-ufrag:Xy9z\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101\n"
    "c=IN IP4 0.0.0.0\n"
)


def test_a_firefox_sdp_keeps_its_media_line_and_fingerprint() -> None:
    out, run = redact_bytes(FIREFOX_SDP.encode())
    expected = FIREFOX_SDP.replace("Qw3rTy12AsDf34ZxCv56BnMm", "<ice-credential-1>")
    assert out.decode() == expected.replace(":Xy9z\n", ":<ice-credential-2>\n")
    assert sorted(run.table.private_map().values()) == sorted(["Qw3rTy12AsDf34ZxCv56BnMm", "Xy9z"])
    assert verify(io.BytesIO(out), run.table, RedactOptions()) == []


@pytest.mark.parametrize(
    "digest", ["sha-1 " + FINGERPRINT[:59], "sha-256 " + FINGERPRINT, "sha-512 " + FINGERPRINT * 2]
)
def test_a_dtls_fingerprint_is_no_address(digest: str) -> None:
    line = f"a=fingerprint:{digest}"
    assert mask(line) == line
    assert list(check_stream(io.BytesIO((line + "\n").encode()))) == []


def test_a_sentence_after_an_ice_value_keeps_its_first_word() -> None:
    out, _ = redact_bytes(b"[Debug][Transport]: ICE ufrag changed\nReconnecting now\n")
    assert out.decode().endswith("\nReconnecting now\n")
