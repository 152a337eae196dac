"""Redaction as a library and through the CLI: bytes kept, placeholders consistent, derived forms, wraps, profiles,
claims, user rules, fail-closed behaviour, and every way the command refuses to do harm."""

from __future__ import annotations

import codecs
import io
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from loglens.cli import app
from loglens.errors import ExitCode
from loglens.redaction.blocks import BlockReader
from loglens.redaction.lines import LineRedactor
from loglens.redaction.placeholders import PlaceholderTable, canonical
from loglens.redaction.rewrite import Redaction, redact_bytes
from loglens.redaction.rules import Profile, RedactOptions, build_rules
from loglens.redaction.verify import LeakFound, verify
from tests.conftest import SAMPLES, backups_of
from tests.support.tokens import mint_token

T1 = mint_token(identity="guest-4f2a9c61e0b7", room="lobby-7", exp=1_935_000_000, nbf=1_750_000_000)
T2 = mint_token(identity="guest-4f2a9c61e0b7", room="lobby-8", exp=1_935_000_600, nbf=1_750_000_000)
KEY = "0f3c9a7e21b84d6590ce1a2b3c4d5e6f"
USER = "e64e4c95f14ff0ff690e02ddffacfe32"


def room_details(token: str, user: str = USER, name: str = "Jordan Doe") -> str:
    data = {
        "token": token,
        "room_name": "lobby-7",
        "session_id": "e3d919ed-2c94-5665-8528-d0a48e0dfceb",
        "room_url": "wss://convai-technologies-lfslae7c.livekit.cloud",
        "end_user_id": user,
        "end_user_metadata": {"name": name, "level": 3, "vip": True},
        "characters": None,
    }
    return "[Debug][Transport]: Room details received: " + json.dumps(data, separators=(",", ":"))


def summary(token: str) -> str:
    return (
        f"[Debug][Transport]: Token: {token}; Room Name: lobby-7; Room URL: wss://convai-technologies-lfslae7c."
        f"livekit.cloud; Session ID: s-1; Character Session ID: cs-1; Resolved End User ID: {USER}"
    )


def redact_text(text: str, options: RedactOptions | None = None) -> str:
    out, _ = redact_bytes(text.encode("utf-8"), options)
    return out.decode("utf-8")


# --- bytes are kept -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"plain\nlines\n",  # LF
        b"windows\r\nlines\r\nno final newline",  # CRLF, last line unterminated
        codecs.BOM_UTF8 + b"bom first\r\n",  # UTF-8 BOM
        b"bad \xff\xfe bytes \xc3\x28 kept\n",  # invalid UTF-8
        b"mixed\r\nendings\nand a lone \r inside\n",  # mixed endings
        b"<color=red>[Error][SDK]: failed</color>\n\x1b[31mansi\x1b[0m [bold]markup[/bold]\n",  # colors, escapes
        codecs.BOM_UTF16_LE + "utf-16 log\r\nsecond line\r\n".encode("utf-16-le"),  # PowerShell redirect
        b"\n\n\n",  # blank lines only
        b"x" * 3_000_000 + b"\n",  # one long line, longer than a block
    ],
)
def test_text_without_secrets_comes_out_byte_identical(data: bytes) -> None:
    out, run = redact_bytes(data)
    assert out == data
    assert run.report().redactions == 0


def test_only_secret_bytes_change() -> None:
    text = f"before \xe9\r\nX-API-Key: {KEY}\r\nafter \x1b[0m\r\n"
    data = codecs.BOM_UTF8 + text.encode("utf-8") + b"\xff\n"
    out, run = redact_bytes(data)
    assert out == codecs.BOM_UTF8 + text.replace(KEY, "<api-key-1>").encode("utf-8") + b"\xff\n"
    assert run.table.private_map() == {"<api-key-1>": KEY}


def test_utf16_input_is_written_back_as_utf16() -> None:
    text = f"{summary(T1)}\r\nSent user text message: hola\r\n"
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    out, _ = redact_bytes(data)
    assert out.startswith(codecs.BOM_UTF16_LE)
    back = out[2:].decode("utf-16-le")
    assert T1 not in back and "hola" not in back and "<player-text-1>" in back and back.endswith("\r\n")


def test_restoring_the_map_gives_back_the_input() -> None:
    """Plain values: putting each value back where its placeholder is rebuilds the original exactly."""
    text = "\n".join([room_details(T1), summary(T1), f"api_key={KEY}", "C:/Users/jdoe/x.cs", ""])
    out = redact_text(text)
    _, run = redact_bytes(text.encode())
    for placeholder, value in run.table.private_map().items():
        out = out.replace(placeholder, value)
    assert out == text


def test_json_inside_a_line_stays_valid_json_with_its_structure_and_types() -> None:
    out = redact_text(room_details(T1))
    data = json.loads(out.split("received: ", 1)[1])
    assert data["token"] == "<livekit-token-1>"
    assert data["end_user_id"] == "<end-user-id-1>"
    assert data["end_user_metadata"] == {"name": "<end-user-metadata-1>", "level": 3, "vip": True}
    assert data["room_name"] == "lobby-7" and data["characters"] is None  # kept: support needs them


def test_escaped_json_stays_valid() -> None:
    inner = json.dumps(json.loads(room_details(T1).split("received: ", 1)[1]), separators=(",", ":"))
    line = "Room details received: " + json.dumps(inner)[1:-1]
    out = redact_text(line)
    data = json.loads(json.loads('"' + out.split("received: ", 1)[1] + '"'))
    assert data["token"] == "<livekit-token-1>" and data["end_user_metadata"]["name"] == "<end-user-metadata-1>"


# --- placeholders ---------------------------------------------------------------------------------------------


def test_same_value_same_placeholder_next_value_next_number() -> None:
    lines = [room_details(T1), summary(T1), f"invalid token: {T1}, error: x", room_details(T2), summary(T1)]
    out = redact_text("\n".join(lines)).split("\n")
    assert out[0].count("<livekit-token-1>") == 1 and "<livekit-token-1>" in out[1] and "<livekit-token-1>" in out[2]
    assert "<livekit-token-2>" in out[3] and "<livekit-token-1>" in out[4]
    assert all("<end-user-id-1>" in line for line in (out[0], out[1], out[3]))


@pytest.mark.parametrize(
    "form",
    [
        T1.replace(".", "%2E"),  # URL-encoded dots
        T1.rsplit(".", 1)[1],  # the signature alone
        T1[40:80],  # any piece of 16 or more characters
    ],
)
def test_derived_forms_map_to_the_same_placeholder(form: str) -> None:
    out = redact_text(f"{summary(T1)}\nlater: {form} end\n")
    assert out.split("\n")[1] == "later: <livekit-token-1> end"


def test_a_piece_seen_before_its_value_is_caught_by_the_block_pass() -> None:
    """The signature appears a line before the token: still replaced, since the block is looked at again."""
    out = redact_text(f"sig {T1.rsplit('.', 1)[1]}\n{summary(T1)}\n")
    assert out.startswith("sig <livekit-token-1>\n")


def test_a_piece_seen_before_its_value_is_caught_when_the_block_is_cut_short() -> None:
    """The block is written only up to lines of one width that may go on into the next one (a log's last line
    without its newline is a block of its own): the lines before them are still looked at again."""
    wrapped = "Token: " + "abcdefghij" * 4
    out = redact_text(f"sig {T1.rsplit('.', 1)[1]}\n{summary(T1)}\n{wrapped}\n{wrapped}\ntail")
    assert out.startswith("sig <livekit-token-1>\n")


def test_escaped_and_url_encoded_values_match_their_plain_form() -> None:
    assert canonical("livekit-token", T1.replace(".", "%2E")) == T1
    assert canonical("email", "Jordan%40Example.com") == "jordan@example.com"
    assert canonical("end-user-metadata", 'say \\"hi\\"') == 'say "hi"'
    table = PlaceholderTable()
    assert table.assign("email", "a.b@example.com")[0] == table.assign("email", "A.B%40example.com")[0]


def test_a_token_first_seen_cut_short_and_then_whole_keeps_one_placeholder() -> None:
    out = redact_text(f"invalid token: {T1[:120]}\n{summary(T1)}\n")
    assert "<livekit-token-1>" in out and "<livekit-token-2>" not in out


# --- hard-wrapped pastes --------------------------------------------------------------------------------------


def hard_wrap(line: str, width: int) -> list[str]:
    return [line[i : i + width] for i in range(0, len(line), width)]


@pytest.mark.parametrize("width", [40, 64, 76, 80, 100])
def test_wrapped_room_details_and_summary(width: int) -> None:
    lines = ["Hi support,", *hard_wrap(room_details(T1), width), "UnityEngine.Debug:Log (object)", ""]
    lines += [*hard_wrap(summary(T1), width), "UnityEngine.Debug:Log (object)", ""]
    out = redact_text("\n".join(lines))
    flat = out.replace("\n", "")
    for secret in (T1, USER, "Jordan Doe"):
        for i in range(0, len(secret) - 15):
            assert secret[i : i + 16] not in flat
    assert "UnityEngine.Debug:Log (object)" in out and "lobby-7" in out
    assert len(out.split("\n")) == len(lines)  # no line added or removed


@pytest.mark.parametrize("cut", [1, 2, 3, 30, 37, 60, len(T1) - 10])
def test_a_token_broken_over_two_lines_anywhere(cut: int) -> None:
    """Two lines give no width evidence; the token itself must decode for the pieces to be joined."""
    text = f"Token: {T1[:cut]}\n{T1[cut:]}; Room Name: lobby-7\nUnityEngine.Debug:Log (object)\n"
    out = redact_text(text)
    assert T1[cut:] not in out and (cut < 8 or T1[:cut] not in out)
    assert (
        out.split("\n")[1].endswith("; Room Name: lobby-7") and out.split("\n")[2] == "UnityEngine.Debug:Log (object)"
    )


def test_a_token_wrapped_over_more_lines_than_a_screen_holds() -> None:
    """A 1,300-character token wrapped at 20 columns takes 66 lines: every piece gets the placeholder, as `check`
    and the fail-closed pass read it (one limit on how far a wrap goes, `logical.MAX_LINES`)."""
    long = mint_token(identity="guest-long", room="lobby-7", exp=1_935_000_000, nbf=1_750_000_000, metadata="x" * 900)
    lines = ["Hi support,", *hard_wrap(f"Token: {long}; Room Name: lobby-7", 20), "UnityEngine.Debug:Log (object)"]
    assert len(lines) > 64
    out, run = redact_bytes(("\n".join(lines) + "\n").encode())
    flat = out.decode().replace("\n", "")
    assert [i for i in range(36, len(long) - 15) if long[i : i + 16] in flat] == []
    assert run.table.private_map()["<livekit-token-1>"] == long


def test_repeated_lines_of_one_length_are_not_a_wrap() -> None:
    line = "[Debug][SDK]: [ConvaiRoomManager] Sent user text message: aa aa 42"
    once = redact_text("\n".join([line, line, line.replace("aa aa", "bb bb")]))
    assert once.split("\n") == [line.replace("aa aa 42", "<player-text-1>")] * 2 + [
        line.replace("aa aa 42", "<player-text-2>")
    ]
    assert redact_text(once) == once  # and the placeholders, all of one length, are not one either


def test_a_complete_token_at_a_line_end_does_not_swallow_the_next_line() -> None:
    text = f"Token: {T1}\nUnityEngine.Debug:Log (object)\n"
    assert redact_text(text) == "Token: <livekit-token-1>\nUnityEngine.Debug:Log (object)\n"


def test_a_wrapped_line_across_block_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [f"noise {i}" for i in range(50)] + hard_wrap(summary(T1), 50) + ["tail"]
    data = ("\n".join(lines) + "\n").encode()
    for size in (64, 300, 1000):  # tiny blocks: the wrap always crosses one
        run = Redaction(BlockReader(io.BytesIO(data), block_size=size))
        out = b"".join(run).decode()
        assert T1[100:116] not in out.replace("\n", "") and USER[:16] not in out.replace("\n", "")
        assert out.count("\n") == len(lines) and run.report().lines == len(lines)


def test_an_open_value_across_the_end_of_a_block() -> None:
    """Metadata left open takes in the lines after it, also those the next block holds (a log's last line without
    its newline is a block of its own): every block size reads them as one, and a second pass changes nothing."""
    line = '{"room_name":"Jordan Doe","end_user_metadata":[[['
    lines = [line, line + "[Debug][Transport]: Room details received: ", line]
    whole = redact_text("\n".join(lines) + "\n")
    assert whole.count("<end-user-metadata-1>") == 2 and "Jordan Doe" in whole.split("\n")[0]
    for data in ("\n".join(lines), "\n".join(lines) + "\n"):
        for size in (16, 64, 100, 1 << 20):
            out = b"".join(Redaction(BlockReader(io.BytesIO(data.encode()), block_size=size))).decode()
            assert out.rstrip("\n") == whole.rstrip("\n"), size
            assert redact_text(out) == out


def test_a_value_opened_on_the_last_line_of_a_long_group_reaches_the_next_block() -> None:
    """A walk takes at most `logical.MAX_LINES` lines; the last of them opens metadata of its own, and its value is
    on the log's last line, which the reader hands out as a block of its own: that line is read with the rest."""
    lines = ['{"end_user_metadata":[[[', *[f'"Jordan Doe {i:04d}",' for i in range(127)]]
    lines += ['"Jordan Doe 0127","end_user_metadata":[[[', '"Sam Roe"]]]}']
    out = redact_text("\n".join(lines))
    assert "Jordan" not in out and "Sam Roe" not in out
    assert redact_text(out) == out


# --- profiles, claims, rules ----------------------------------------------------------------------------------


def test_default_profile_keeps_identifiers_support_needs() -> None:
    line = summary(T1) + "; Request Trace ID: 3f40ebc4 connecting character b1f11ed0-c431-56b5-a779-66617a0b21de"
    out = redact_text(line + "\nSession error: connection.connect_invalid_api_key\n")
    for kept in ("lobby-7", "s-1", "cs-1", "3f40ebc4", "b1f11ed0-c431-56b5-a779-66617a0b21de",
                 "convai-technologies-lfslae7c.livekit.cloud", "connection.connect_invalid_api_key"):  # fmt: skip
        assert kept in out


def test_public_profile_pseudonymises_identifiers() -> None:
    out = redact_text(summary(T1) + "\n" + room_details(T1), RedactOptions(profile=Profile.PUBLIC))
    assert "Room Name: <room-name-1>" in out and "Session ID: <session-id-1>" in out
    assert "Character Session ID: <character-session-id-1>" in out and "wss://<livekit-host-1>.livekit.cloud" in out
    assert '"room_name":"<room-name-1>"' in out and '"session_id":"<session-id-2>"' in out
    assert "lobby-7" not in out and "lfslae7c" not in out


# The labels of the public profile's identifiers as pastes and other code write them (#8): (how the words are
# joined, the label's form, what closes the value). Any case, a no-break space, doubled blanks, camelCase, a dash,
# a JSON key, an XML element, a Windows-1252 no-break space (byte 0xA0, read as a surrogate escape)
LABEL_FORMS = [
    (" ", "{}: ", ""), ("\u00a0", "{}: ", ""), ("  ", "{}: ", ""), ("", "{}=", ""), ("", '{{"{}": "', '"}}'),
    ("-", "{}: ", ""), ("_", "{}=", ""), ("_", "<{}>", "</{}>"), ("\udca0", "{}: ", ""),
]  # fmt: skip
PUBLIC_LABELS = ["session id", "request trace id", "speaker id", "room name", "character id"]


@pytest.mark.parametrize(("joiner", "form", "closing"), LABEL_FORMS)
@pytest.mark.parametrize("words", PUBLIC_LABELS)
@pytest.mark.parametrize("case", ["lower", "upper", "title"])
def test_public_profile_reads_every_form_of_a_label(
    words: str, joiner: str, form: str, closing: str, case: str
) -> None:
    value = "c0ffee42-6a1b-4d2e-9f3c-8b7a6d5e4f30"
    label = joiner.join(getattr(word, case)() for word in words.split(" "))
    line = f"[Info][SDK]: [SessionMetrics] {form.format(label)}{value}{closing.format(label)} ok\n"
    out = redact_bytes(line.encode("utf-8", "surrogateescape"), RedactOptions(profile=Profile.PUBLIC))[0]
    assert value[:16].encode() not in out and value[-16:].encode() not in out, out


def test_keep_claims_shows_room_expiry_and_identity_placeholder() -> None:
    token = mint_token(identity=USER, room="lobby-7", exp=1_935_000_000, nbf=1_750_000_000)
    out = redact_text(summary(token), RedactOptions(keep_claims=True))
    assert "Token: <livekit-token-1 room=lobby-7 exp=2031-04-26T20:00:00Z identity=end-user-id-1>;" in out
    assert "Resolved End User ID: <end-user-id-1>" in out  # the identity is the end-user id: one placeholder
    public = redact_text(summary(T1), RedactOptions(profile=Profile.PUBLIC, keep_claims=True))
    assert "room=room-name-1" in public and "lobby-7" not in public


def test_also_patterns_literals_and_allow() -> None:
    rules = build_rules(also=[r"ticket-(?P<secret>\d{6})"], literals=["codename-zebra"], allow=["a@example.com"])
    out = redact_text(
        "see ticket-482913 about codename-zebra, cc a@example.com and b@example.com\n", RedactOptions(rules=rules)
    )
    assert out == "see ticket-<custom-1> about <custom-2>, cc a@example.com and <email-1>\n"


def test_redacting_twice_changes_nothing_more() -> None:
    once = redact_text("\n".join([room_details(T1), summary(T1), "Sent user text message: hi", ""]))
    assert redact_text(once) == once


def test_report_counts_kinds_and_never_values() -> None:
    _, run = redact_bytes("\n".join([room_details(T1), summary(T1), room_details(T2), ""]).encode())
    report = run.report("after-writing")
    kinds = {k.kind: (k.occurrences, k.distinct) for k in report.kinds}
    assert kinds["livekit-token"] == (3, 2) and kinds["end-user-id"] == (3, 1)
    dumped = report.model_dump_json()
    assert T1 not in dumped and USER not in dumped and "Jordan" not in dumped
    assert report.lines == 3 and report.lines_changed == 3


# --- fail closed ----------------------------------------------------------------------------------------------


def test_verify_finds_pieces_of_redacted_values_and_strict_shapes() -> None:
    table = PlaceholderTable()
    LineRedactor(RedactOptions(), table).redact(summary(T1))
    output = f"clean\nsig {T1.rsplit('.', 1)[1]}\nshort eyJhbGciOiJI\nkey -> {KEY}\n".encode()
    findings = verify(io.BytesIO(output), table, RedactOptions())
    assert [(f.line, f.label) for f in findings] == [
        (2, "livekit-token (fragment)"),
        (3, "livekit-token"),
        (4, "api-key"),
    ]


def test_checking_each_block_stops_before_the_first_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LineRedactor, "redact", lambda self, text, forced=None, detect=True: text)  # a broken redactor
    head = "".join(f"line {i}\n" for i in range(1, 201))
    data = f"{head}X-API-Key: {KEY}\nline four\n".encode()
    run = Redaction(BlockReader(io.BytesIO(data)), check_each_block=True)
    written: list[bytes] = []
    with pytest.raises(LeakFound) as caught:
        for chunk in run:
            written.append(chunk)
    # the MAX_LINES lines before the leak (a wrap may have begun there) are held back with it
    assert b"".join(written) == head[: head.index("line 73\n")].encode()
    assert "line 201" in caught.value.message and KEY not in caught.value.message


# --- the command ----------------------------------------------------------------------------------------------


def invoke(args: list[str], stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, args, input=stdin, catch_exceptions=False)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "Editor.log"
    path.write_bytes(
        ("\r\n".join([room_details(T1), summary(T1), "Sent user text message: top secret plan", ""])).encode()
    )
    return path


def test_cli_writes_output_atomically_and_reports_to_stderr(log: Path, tmp_path: Path) -> None:
    out = tmp_path / "Editor.redacted.log"
    result = invoke(["redact", str(log), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_bytes().decode("utf-8")
    assert T1 not in text and "top secret plan" not in text and text.count("\r\n") == 3
    assert "redacted" in result.stderr and "livekit-token 2 (1 distinct)" in result.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".loglens-")]  # no temporary file left
    assert stat.S_IMODE(out.stat().st_mode) & 0o600 == 0o600


def test_cli_to_stdout(log: Path) -> None:
    result = invoke(["redact", str(log)])
    assert result.exit_code == 0
    assert "<livekit-token-1>" in result.stdout and T1 not in result.stdout and T1 not in result.stderr


def test_cli_reads_stdin(log: Path) -> None:
    result = invoke(["redact", "-"], stdin=log.read_bytes())
    assert result.exit_code == 0 and "<player-text-1>" in result.stdout


def test_cli_refuses_to_overwrite_its_input(log: Path) -> None:
    before = log.read_bytes()
    result = invoke(["redact", str(log), "-o", str(log)])
    assert result.exit_code == ExitCode.INPUT and "--in-place" in result.stderr
    assert log.read_bytes() == before


def test_cli_in_place_keeps_the_original_outside_the_folder(log: Path, tmp_path: Path) -> None:
    before = log.read_bytes()
    os.chmod(log, 0o640)
    result = invoke(["redact", str(log), "--in-place"])
    assert result.exit_code == 0, result.stderr
    assert T1 not in log.read_text(encoding="utf-8") and stat.S_IMODE(log.stat().st_mode) == 0o640
    assert sorted(p.name for p in log.parent.iterdir()) == ["Editor.log"]  # nothing beside it, no .bak
    (kept,) = backups_of(tmp_path).iterdir()
    assert kept.read_bytes() == before and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert str(kept) in result.stderr.replace("\n", "")
    again = invoke(["redact", str(log), "--in-place"])  # nothing left to redact: no second copy, file untouched
    assert again.exit_code == 0 and "left as it was" in again.stderr
    assert len(list(backups_of(tmp_path).iterdir())) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--in-place"],  # nothing to rewrite
        ["-", "--in-place"],  # stdin cannot be rewritten
        ["{log}", "--in-place", "-o", "x.log"],  # both
        ["{log}", "--map", "{log}"],  # the map would overwrite the input
        # a folder that does not exist, then `..`: the system refuses the path, but read as text it names the input
        ["{log}", "-o", "{dir}/missing/../{name}"],
        ["{log}", "--map", "{dir}/missing/../{name}"],
        ["{log}", "--also", "("],  # a broken pattern
        ["{log}", "--config", "missing.toml"],  # a missing config file
        ["{missing}"],  # a missing input
    ],
)
def test_cli_usage_errors(args: list[str], log: Path, tmp_path: Path) -> None:
    before = log.read_bytes()
    filled = [a.format(log=log, missing=tmp_path / "nope.log", dir=log.parent, name=log.name) for a in args]
    result = CliRunner().invoke(app, ["redact", *filled], input=b"")
    assert result.exit_code == ExitCode.INPUT, result.output
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
    assert log.read_bytes() == before


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01\x02\x03binary\x00\x00" * 100],  # empty, binary
)
def test_cli_unusable_input(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "in.log"
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["redact", str(path), "-o", str(tmp_path / "out.log")])
    assert result.exit_code == ExitCode.INPUT and not (tmp_path / "out.log").exists()


def test_cli_map_is_private_and_never_in_the_output(log: Path, tmp_path: Path) -> None:
    out, mapping = tmp_path / "out.log", tmp_path / "map.json"
    result = invoke(["redact", str(log), "-o", str(out), "--map", str(mapping)])
    assert result.exit_code == 0
    assert stat.S_IMODE(mapping.stat().st_mode) == 0o600
    assert json.loads(mapping.read_text(encoding="utf-8"))["<livekit-token-1>"] == T1
    assert T1 not in out.read_text(encoding="utf-8") and T1 not in result.stderr


def test_cli_output_in_a_missing_folder_is_one_clear_line(log: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["redact", str(log), "-o", str(tmp_path / "no" / "such" / "out.log")])
    assert result.exit_code == ExitCode.INPUT and result.stderr.startswith("loglens: error: cannot write ")


def test_cli_map_keeps_undecodable_bytes_as_valid_json(tmp_path: Path) -> None:
    path, mapping = tmp_path / "in.log", tmp_path / "map.json"
    path.write_bytes(b"Sent user text message: caf\xe9 au lait\n")
    result = invoke(["redact", str(path), "-o", str(tmp_path / "out.log"), "--map", str(mapping)])
    assert result.exit_code == 0
    assert json.loads(mapping.read_text(encoding="utf-8")) == {"<player-text-1>": "caf\udce9 au lait"}
    assert (tmp_path / "out.log").read_bytes() == b"Sent user text message: <player-text-1>\n"


def test_cli_report_file_is_json_with_counts_only(log: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = invoke(["redact", str(log), "-o", str(tmp_path / "o.log"), "--report", str(report)])
    data = json.loads(report.read_text(encoding="utf-8"))
    assert result.exit_code == 0 and data["check"] == "after-writing" and data["redactions"] >= 5
    assert T1 not in report.read_text(encoding="utf-8") and "redacted" not in result.stderr


def test_cli_config_file(log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".loglens.toml").write_text(
        '[redact]\nprofile = "public"\nkeep_claims = true\nliterals = ["top secret"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = invoke(["redact", str(log)])
    assert result.exit_code == 0
    assert "room=room-name-1" in result.stdout and "Room Name: <room-name-1>" in result.stdout


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[redact\n", "not valid TOML"),  # syntax
        ('[redact]\nprofile = "secret"\n', "profile"),  # a value not allowed
        ("[other]\n", "unknown table"),  # a table loglens does not read
        ("[redact]\nunknown = 1\n", "unknown"),  # a key loglens does not read
    ],
)
def test_cli_bad_config(log: Path, tmp_path: Path, config: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(config, encoding="utf-8")
    result = CliRunner().invoke(app, ["redact", str(log), "--config", str(path)])
    assert result.exit_code == ExitCode.INPUT and message in result.stderr


def test_cli_fail_closed_deletes_the_output(log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LineRedactor, "redact", lambda self, text, forced=None, detect=True: text)  # a broken redactor
    out = tmp_path / "out.log"
    result = CliRunner().invoke(app, ["redact", str(log), "-o", str(out)])
    assert result.exit_code == ExitCode.FINDINGS
    assert "self-check failed" in result.stderr and "deleted" in result.stderr and T1 not in result.stderr
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".loglens-")]


def test_cli_in_place_fail_closed_leaves_the_input_alone(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = log.read_bytes()
    monkeypatch.setattr(LineRedactor, "redact", lambda self, text, forced=None, detect=True: text)
    result = CliRunner().invoke(app, ["redact", str(log), "--in-place"])
    assert result.exit_code == ExitCode.FINDINGS and log.read_bytes() == before
    assert not (log.parent / "Editor.log.bak").exists()


def test_cli_second_pass_catches_a_piece_far_before_its_value(tmp_path: Path) -> None:
    """A signature in block 1, its token only in block 3: the re-scan notices, the second pass fixes it."""
    signature = T1.rsplit(".", 1)[1]
    filler = "\n".join(f"Unity noise line {i:07d} with nothing in it" for i in range(60_000))
    path = tmp_path / "big.log"
    path.write_text(f"sig {signature}\n{filler}\n{summary(T1)}\n", encoding="utf-8")
    out = tmp_path / "out.log"
    result = invoke(["redact", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("sig <livekit-token-1>\n")


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.suffix != ".md"))
def test_every_sample_redacts_cleanly_and_keeps_its_line_count(sample: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(["redact", str(SAMPLES / sample), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    original = (SAMPLES / sample).read_bytes()
    assert out.read_bytes().count(b"\n") == original.count(b"\n")
    assert out.read_bytes()[:3] == original[:3] or not original.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE))
