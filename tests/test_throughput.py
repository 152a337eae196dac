"""The gate machinery skips work that cannot find anything, and never skips a value.

A detector's `needs` shape is searched before its pattern runs: the rows below open a gate on a common word (the
`ip` of `Scripts`, the `@` of a package version) and must not run the pattern; the property says every value the
pattern finds holds the shape, so the shortcut cannot hide one.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from loglens.detectors import DETECTORS, STRICT_DETECTORS, Detector, DetectorSet, Span
from tests.support.tokens import mint_token

DEFAULT = DetectorSet(DETECTORS)
FRAME = "Game.PlayerController:Update () (at Assets/Scripts/PlayerController.cs:517)"
USERS_FRAME = "Game.PlayerController:Update () (at C:/Users/Public/Documents/Demo/Assets/Scripts/Player.cs:51)"
PACKAGE = "Convai.Runtime.Room:OnRoomDetails (string) (at Library/PackageCache/com.convai.sdk@4.2.1/Runtime/R.cs:865)"

GATES = sorted({gate for detector in DETECTORS for gate in detector.gates})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(GATES) | st.text("ab%=:/_-. ", max_size=3), max_size=8).map("".join))
def test_a_line_opens_exactly_the_detectors_one_of_whose_gates_it_holds(compact: str) -> None:
    """The gate tests are grouped by the text gates share (`token`, `user`): a grouped test opens the same
    detectors as looking for each detector's own gates."""
    rest = [d for d in DEFAULT.detectors if not d.exclusive]
    expected = sum(1 << i for i, d in enumerate(rest) if not d.gates or any(g in compact for g in d.gates))
    assert DEFAULT.opened(compact) == expected


# (line, the kind whose pattern must not run on it)
SKIPPED = [
    (FRAME, "ip-address"),  # `ip` in `Scripts` opens the gate, no address anywhere
    ("Connecting to the room from the lobby", "ip-address"),  # `connect` and `from`, no address
    (PACKAGE, "email"),  # `@` of a package version, no domain after it
    (PACKAGE, "secret"),  # the same `@` opens the gate of `user:password@` in a URL, no `://` on the line
    ("UnityEngine.Debug:Log (object) at com.unity.ugui@1.0.0/Runtime/UI.cs:42", "email"),  # same, in a Unity package
    (USERS_FRAME, "end-user-id"),  # `user` of a `C:/Users/` path opens the gate, no end-user label
    (USERS_FRAME, "end-user-metadata"),  # same for the metadata, as JSON and as an XML element
]


T = TypeVar("T")


def _spy(monkeypatch: pytest.MonkeyPatch, record: Callable[[Detector], T]) -> list[T]:
    """Record (`record` of) every detector whose pattern runs."""
    ran: list[T] = []
    scan = Detector.scan

    def spying(self: Detector, *args: object, **kwargs: object) -> list[Span]:
        ran.append(record(self))
        return scan(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Detector, "scan", spying)
    return ran


def _kind(detector: Detector) -> str:
    return detector.kind


def _itself(detector: Detector) -> Detector:
    return detector


@pytest.mark.parametrize(("line", "kind"), SKIPPED)
def test_a_gate_without_the_shape_runs_no_pattern(monkeypatch: pytest.MonkeyPatch, line: str, kind: str) -> None:
    ran = _spy(monkeypatch, _kind)
    assert DEFAULT.find(line) == []
    assert kind not in ran


# (line, the value that must still be found) for the detectors with a `needs` shape
FOUND = [
    ("Connecting to 203.0.113.7 from Scripts/Net.cs", "203.0.113.7"),  # IPv4 after `connecting to`
    ("peer: 2001:db8::1 (remote)", "2001:db8::1"),  # IPv6 behind a label
    ("remote_ip=FE80::1", "FE80::1"),  # uppercase hex: the shape is searched in lowercase
    ("contact player@example.com at com.unity.ugui@1.0.0/", "player@example.com"),  # e-mail beside a package
    ("mail%40 x: jane.doe%40example.org", "jane.doe%40example.org"),  # URL-encoded `@`
    ("wss://admin:hunter22@relay.example.net/rtc", "admin:hunter22"),  # credentials inside a URL
    ("End User ID: 21bbe299d63a778677e4ded2b57fd66c", "21bbe299d63a778677e4ded2b57fd66c"),  # the label in words
    ('{"endUserId":"player-77"}', "player-77"),  # in camel case
    ('"END_USER_METADATA": {"name": "Ava Stone"}', "Ava Stone"),  # the metadata's values, the label in capitals
    ("<end_user_metadata>Ava</end_user_metadata>", "Ava"),  # as an XML element
    ('{"value": "0123456789abcdef0123456789abcdef", "name": "X-API-Key"}', "0123456789abcdef0123456789abcdef"),
    ('{"VALUE": "rt-8f2kq9zx3m", "NAME": "REFRESH_TOKEN"}', "rt-8f2kq9zx3m"),  # the member in capitals
    ('{\\"value\\": \\"Bearer abcdefgh1234\\", \\"key\\": \\"Authorization\\"}', "abcdefgh1234"),  # escaped
    ('{"value": "hunter2hunter2", "comment": "", "name": "db_password"}', "hunter2hunter2"),  # a member between
    ("at C:\\USERS\\Ann Lee\\Desktop\\Game.cs:12", "Ann Lee"),  # a home folder in capitals, a name of two words
    ("C:\\Documents and Settings\\ana\\x.log", "ana"),  # the old Windows home
    ("\\\\wsl$\\Ubuntu\\home\\jo\\x.log", "jo"),  # a Linux home seen from Windows
    ("\\\\srv\\home$\\kim\\x.log", "kim"),  # a home share
    ("/var/home/ann/x.log", "ann"),
    ("/Volumes/Macintosh HD/Users/lee/x.log", "lee"),
    ("headers: X-API-KEY: 0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"),  # capitals
    ("key0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"),  # the hex right after `key`
    ("apikeyabcdef0123456789abcdef0123456789", "abcdef0123456789abcdef0123456789"),  # a hex letter after `key`
    ("<key>apiKey</key><string>0123456789abcdef0123456789abcdef</string>", "0123456789abcdef0123456789abcdef"),
    ('<add value="0123456789abcdef0123456789abcdef" key="ConvaiApiKey"/>', "0123456789abcdef0123456789abcdef"),
    ("apiKey=ab12cd34ef", "ab12cd34ef"),  # a labelled key of another shape
    ("| api_key | ab12cd34ef |", "ab12cd34ef"),  # a table's cell
]


SHADER = "Compiled shader 'Lit' pass 'Forward' (14 ms) for platform StandaloneWindows64, keywords _MAIN_LIGHT_SHADOWS"


def test_a_pair_written_value_first_is_not_looked_for_without_its_value_member(monkeypatch: pytest.MonkeyPatch) -> None:
    """`keywords` of a shader line opens the `key` gate: the value-first patterns, which start with no literal and
    so are tried at every position, do not run where no `value` member is."""
    value_first = {d for d in DETECTORS if d.pattern.pattern.startswith("""(\\\\*)["']value""")}
    assert len(value_first) == 4  # api-key, auth-token, authorization, secret
    ran = _spy(monkeypatch, _itself)
    assert DetectorSet(DETECTORS).find(SHADER + "; api_key: none") == []
    assert ran and not value_first.intersection(ran)


def test_a_shader_lines_keywords_run_no_api_key_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    """`keywords` opens the `key` gate on every shader compile line: no API-key pattern runs there, since each
    match holds `key` followed by no letter past `f`."""
    keys = {d for d in DETECTORS if d.kind == "api-key"}
    ran = _spy(monkeypatch, _itself)
    assert DetectorSet((*DETECTORS, *STRICT_DETECTORS)).find(SHADER) == []
    assert not keys.intersection(ran)


def test_a_home_folder_a_placeholder_took_runs_no_path_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    """The re-scan of a redacted copy reads `C:/Users/<user-name-1>/` on every frame: the path pattern that tries
    every position of a line does not run where no name follows a home folder."""
    paths = {d for d in DETECTORS if "documents and settings" in d.gates}
    assert len(paths) == 1
    ran = _spy(monkeypatch, _itself)
    line = "Game.PlayerController:Update () (at C:/Users/<user-name-1>/Projects/Demo/Assets/Scripts/Player.cs:51)"
    assert DetectorSet(DETECTORS).find(line) == []
    assert ran and not paths.intersection(ran)


@pytest.mark.parametrize(("line", "value"), FOUND)
def test_a_value_with_the_shape_is_still_found(line: str, value: str) -> None:
    assert value in [span.value(line) for span in DEFAULT.find(line)]


PIECES = st.sampled_from(
    ["203.0.113.7", "::1", "fe80::", "a:b:c", "@", "%40", "\\u0040", "＠", "x.io", "ü.de", "1.2.3", "İ", "from ",
     "ip=", "host: ", "connect to ", "user", "@4.2.1/", ".", ":", " ", "-", "Scripts", "jane", "ex.COM", "END",
     "end", "_user_", "User ", "ID", "=", '"', "metadata", "<", ">", "a1b2c3d4e5", "C:/Users/", '{"value": "',
     '", "name": "api_key"}', "VALUE", "keywords", "\\", "/", "Users", "USERS", "home", "home$", "settings",
     "\\\\wsl$\\", "/var", "<user-name-1>", "ſ", "Documents and Settings", "Ann", "api_key", "KEY", "Key",
     ": ", "0123456789abcdef0123456789abcdef", "%3d", "</key><string>", "K"]
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
@example("203.0.113.7connect to 203.0.113.7ü.defrom ＠%40:fe80::@4.2.1/fe80:::")  # an address ending in `::`
@example('{"value": "a1b2c3d4e5a1b2c3d4e5", "name": "api_key"}')  # a pair written value first
@example("X-API-KEY%3d0123456789abcdef0123456789abcdef and key0123456789abcdef0123456789abcdef")  # `key` then hex
def test_every_value_found_holds_the_needed_shape(text: str) -> None:
    for detector in (d for d in DETECTORS if d.needs is not None):
        assert detector.needs is not None
        lowered = text.lower()
        for _ in detector.scan(text, 0, len(text), lowered):
            assert detector.needs.search(lowered if detector.folded else text) is not None, (detector.kind, text)


# --- a credentials line is parsed once: the wrap check and the entry builder share the parse -------------------

TOKENS = [mint_token(identity=f"player-{n}", room=f"room-{n}", exp=1_935_000_000, nbf=1_750_000_000) for n in range(3)]
FRAMES = ["UnityEngine.Debug:Log (object)", "Game.PlayerController:Update () (at Assets/Scripts/PlayerController.cs:7)"]
CREDENTIAL_LINES = [
    # a Token summary, then the frames of its entry
    "[00:00:05.043][Debug][Transport]: Token: {token}; Room Name: room-1; Room URL: wss://x.livekit.cloud; "
    "Session ID: s-1",
    # Room details JSON, then the frames of its entry
    '[00:00:13.035][Debug][Transport]: Room details received: {{"token":"{token}","room_name":"room-2",'
    '"room_url":"wss://x.livekit.cloud","end_user_id":"21bbe299d63a778677e4ded2b57fd66c"}}',
]


def _analyzed(lines: list[str], monkeypatch: pytest.MonkeyPatch, *, reuse: bool) -> tuple[str, int]:
    """The report's JSON and how many times the grammar ran (`reuse=False`: every call parses again)."""
    from loglens import api, events

    runs = [0]
    real = events.parse_line

    def counting(text: str) -> events.Parsed | None:
        runs[0] += 1
        return real(text)

    monkeypatch.setattr(events, "parse_line", counting)
    if not reuse:
        call = events.LineParser.__call__

        def forgetful(self: events.LineParser, text: str) -> events.Parsed | None:
            self._last = None
            return call(self, text)

        monkeypatch.setattr(events.LineParser, "__call__", forgetful)
    return api.analyze(lines).model_dump_json(), runs[0]


@pytest.mark.parametrize("template", CREDENTIAL_LINES)
def test_a_credentials_line_is_parsed_once(monkeypatch: pytest.MonkeyPatch, template: str) -> None:
    lines = [template.format(token=token) for token in TOKENS]
    log = [row for line in lines for row in (line, *FRAMES, "")]
    report, runs = _analyzed(log, monkeypatch, reuse=True)
    assert runs == len(lines)
    assert all(token not in report for token in TOKENS)


STATUS = "[00:00:{second:02d}.100][Debug][Transport]: Connecting to Room..."


def test_a_repeated_line_is_parsed_once_while_new_tokens_are_learned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each new token teaches the masker a secret; a cached parse that holds none of it is used again."""
    credentials = [CREDENTIAL_LINES[0].format(token=token) for token in TOKENS]
    log = [row for second, line in enumerate(credentials) for row in (STATUS.format(second=second), line, "")]
    _, runs = _analyzed(log, monkeypatch, reuse=True)
    assert runs == len(credentials) + 1  # every credentials line, and the status line once


def test_a_cached_parse_holding_a_later_secret_is_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Token summary whose room field holds a piece of a token learned after it was cached: parsed again."""
    piece = TOKENS[0].split(".")[2][:24]  # of its signature: the payloads of TOKENS share pieces
    summary = "[00:00:0{n}.100][Debug][Transport]: Token: " + TOKENS[1] + "; Room Name: " + piece
    log = [summary.format(n=1), f"[00:00:02.000][Debug][Transport]: Token: {TOKENS[0]}; Room Name: r"]
    report, runs = _analyzed([*log, summary.format(n=3)], monkeypatch, reuse=True)
    assert runs == 3
    assert piece not in report


# (log lines) where a field masked before the line's token was learned holds a piece of that token: parsed again
PIECE_FIRST = [
    "[00:00:05.043][Debug][Transport]: Token: {token}; Room Name: {piece}; Session ID: s-1",  # piece after the token
    "[00:00:05.043][Debug][Transport]: Room Name: {piece}; Token: {token}; Session ID: s-1",  # piece before it
]


@pytest.mark.parametrize("template", PIECE_FIRST)
def test_a_reused_parse_equals_a_fresh_one(monkeypatch: pytest.MonkeyPatch, template: str) -> None:
    token = TOKENS[0]
    log = [template.format(token=token, piece=token.split(".")[1][20:44]), *FRAMES, ""]
    reused, _ = _analyzed(log, monkeypatch, reuse=True)
    monkeypatch.undo()
    fresh, _ = _analyzed(log, monkeypatch, reuse=False)
    assert reused == fresh
    assert token.split(".")[1][20:44] not in reused


# (text masked before the token is learned, whether it still masks the same once the token is known)
JOURNAL = [
    ("Room Name: lobby-7", True),  # holds nothing of the token
    ("Room Name: {piece}", False),  # holds a 24-character piece of it
]


@pytest.mark.parametrize(("text", "same"), JOURNAL)
def test_still_masks_tells_a_field_that_holds_a_later_secret(text: str, same: bool) -> None:
    from loglens.masking import Masker

    masker = Masker()
    token = TOKENS[1]
    with masker.recording() as journal:
        masker.mask(text.format(piece=token.split(".")[1][20:44]))
        masker.mask(f"Token: {token}")
    assert masker.still_masks(journal) is same


# --- a line asked about again is not scanned again ------------------------------------------------------------

TOKEN_LINE = f"[Debug]: Token: {TOKENS[0]}; Room Name: r"
# (line, how many times its patterns run over two calls of `find`)
REPEATED = [
    (TOKEN_LINE, 1),  # a short line: found once, remembered
    ("Game.Net:Send () (at C:/Users/jane.doe/Game/Assets/Net.cs:12)", 1),  # a frame with a user path: the same
    (TOKEN_LINE + " " + "x" * 3000, 2),  # longer than any line kept: found afresh each time, memory stays bounded
]


@pytest.mark.parametrize(("line", "runs"), REPEATED)
def test_a_repeated_line_is_scanned_once(monkeypatch: pytest.MonkeyPatch, line: str, runs: int) -> None:
    fresh = DetectorSet(DETECTORS)
    ran = _spy(monkeypatch, _kind)
    first = fresh.find(line)
    once = len(ran)
    first.clear()  # what a caller does with its list does not change the next answer
    again = fresh.find(line)
    assert once > 0 and len(ran) == once * runs
    assert again == DetectorSet(DETECTORS).find(line) != []


# --- base64url runs for the claims check: found with bytes.find, the same runs as the regex ---------------------

RUN = re.compile(rb"[A-Za-z0-9_-]{24,}")
# (bytes) whose runs of 24 or more base64url characters must come out exactly as the regex finds them
RUN_ROWS = [
    b"",  # nothing
    b"a" * 23,  # one short of a run
    b"a" * 24,  # exactly one run, the whole input
    b"x" * 30 + b" " + b"y" * 10 + b"." + b"z" * 24 + b"\n",  # two runs around a short one
    b"UnityEngine.StackTraceUtility:ExtractStackTrace ()\n" + b"eyJ" + b"Q" * 40 + b".sig\n",  # frame, then a run
    b"\xff\xfe" + b"A-_9" * 8 + b"\x00" + b"b" * 25,  # runs beside undecodable and NUL bytes
]


@pytest.mark.parametrize("data", RUN_ROWS)
def test_runs_are_the_regex_runs(data: bytes) -> None:
    from loglens.independent import _FLAT, _SEED
    from loglens.shadows import flat_runs

    assert list(flat_runs(data, _FLAT, _SEED)) == [match.span() for match in RUN.finditer(data)]


STANDARD = re.compile(rb"[A-Za-z0-9+/]{64,}")
# (bytes) whose standard base64 runs of 64 or more (the inline attachments `encoded_runs` decodes) must come out
# exactly as the regex finds them
STANDARD_ROWS = [
    b"A+/9" * 15 + b"abc",  # one short of a run: 63 characters
    b"A+/9" * 16,  # exactly one run, with both of the characters base64url lacks
    b"x" * 70 + b"-" + b"y" * 70 + b"_" + b"z" * 10,  # `-` and `_` end a standard run: two runs, then a short one
    b"Content: " + b"QUJD" * 20 + b"==\r\n" + b"\xff" + b"b/" * 40,  # padding and CRLF end one, an invalid byte another
]


@pytest.mark.parametrize("data", STANDARD_ROWS)
def test_standard_runs_are_the_regex_runs(data: bytes) -> None:
    from loglens.independent import _FLAT_BASE64, _SEED_BASE64
    from loglens.shadows import flat_runs

    assert list(flat_runs(data, _FLAT_BASE64, _SEED_BASE64)) == [match.span() for match in STANDARD.finditer(data)]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [b"a" * 5, b"Z9", b"-", b"_", b" ", b".", b"\n", b"\xff", b"eyJ" + b"x" * 20, b"+/" * 20, b"Q" * 30]
        ),
        max_size=20,
    )
)
def test_runs_are_the_regex_runs_for_any_bytes(pieces: list[bytes]) -> None:
    from loglens.independent import _FLAT, _FLAT_BASE64, _SEED, _SEED_BASE64
    from loglens.shadows import flat_runs

    data = b"".join(pieces)
    assert list(flat_runs(data, _FLAT, _SEED)) == [match.span() for match in RUN.finditer(data)]
    assert list(flat_runs(data, _FLAT_BASE64, _SEED_BASE64)) == [match.span() for match in STANDARD.finditer(data)]


# --- the block screen finds base64 runs by bytes.find: the same lines as the shape's regex -----------------------

SHAPE_ROWS = [
    b"",  # nothing
    b"a" * 63 + b"\n" + b"b" * 63,  # one short of a run on each line
    b"a" * 64,  # exactly one run, no newline after it
    b"frame\n" + b"q+/9" * 16 + b" tail " + b"z" * 70 + b"\nnext " + b"k" * 64 + b"\n",  # two lines, two runs on one
    b"x" * 40 + b"-" + b"y" * 40 + b"\n" + b"eyj" + b"a_b" * 30,  # `-`, `_` and `.` end a run
]


@pytest.mark.parametrize("low", SHAPE_ROWS)
def test_base64_lines_are_the_shape_regex_lines(low: bytes) -> None:
    from loglens.redaction.scan import _row_at, _runs_at
    from loglens.shadows import BASE64_SHAPE

    shape = re.compile(BASE64_SHAPE.encode())
    expected = {_row_at(low, match.start()) for match in shape.finditer(low)}
    assert {_row_at(low, pos) for pos in _runs_at(low)} == expected


# --- a line's base64 runs (its shadows) are found by bytes.find in ASCII text: the same runs as the regex ----------

BASE64_TEXTS = [
    "A+/9" * 15 + "abc",  # one short of a run
    "Content: " + "QUJD" * 20 + "==\r\n" + "b/" * 40 + "=== x",  # padding (at most two) ends one, a blank another
    "x" * 70 + "-" + "y" * 70 + "_" + "z" * 10 + "=",  # `-` and `_` end a standard run
    "é " + "QUJD" * 20 + "= " + "Q" * 63,  # outside ASCII: the regex, on the same offsets
]


@pytest.mark.parametrize("text", BASE64_TEXTS)
def test_base64_runs_are_the_regex_runs_and_ascii_text_runs_no_regex(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    from loglens import shadows

    regex = shadows._BASE64
    expected = [(m.start(), m.end(), m.group().rstrip("=")) for m in regex.finditer(text)]
    used: list[str] = []

    class Spy:
        def finditer(self, text: str) -> Iterator[re.Match[str]]:
            used.append(text)
            return regex.finditer(text)

    monkeypatch.setattr(shadows, "_BASE64", Spy())
    runs = [(start, end, text[start:end].rstrip("=")) for start, end, _ in shadows.base64_runs(text)]
    assert runs == expected
    assert used == ([] if text.isascii() else [text])


# --- the shapes a whole block is screened with start with a literal, so a search jumps between its occurrences ------

# `IPV6_SHAPE` as it was first written, a branch at every position: the lines it matches on are the reference
IPV6_BRANCHES = r"::[0-9a-f]{1,4}(?![0-9a-z])|[0-9a-f]::(?![0-9a-z])|:[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:"
IPV6_ROWS = [
    "peer 2001:db8::1 up",  # `::` before a group
    "fe80:: end",  # `::` at the end, after a group
    "[00:00:05.043][Debug]: a:b:c:d: four colons",  # four colons between groups
    ":: alone",  # `::` with neither a group before nor after
    "x::ffff:1.2.3.4",  # `::` then a group, an IPv4 tail
    "std::vector::g1",  # `::` then a letter outside hex: no address
    "ab::cd\nef:",  # two lines
    ":" * 9 + "0",  # a run of colons
]


def _shape_rows(shape: str, text: str) -> set[int]:
    """The lines of `text` a shape matches on, as the block screen takes them (the line of each match's start)."""
    return {text.count("\n", 0, m.start()) for m in re.finditer(shape, text)}


def test_every_block_shape_starts_with_a_literal() -> None:
    from loglens.redaction.scan import BlockScreen

    for detectors in (DEFAULT, DetectorSet((*DETECTORS, *STRICT_DETECTORS))):
        for shape in BlockScreen(detectors, "surrogateescape").shapes:
            first = re._parser.parse(shape.pattern.decode())[0][0]  # type: ignore[attr-defined]
            assert first == re._constants.LITERAL, shape.pattern  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", IPV6_ROWS)
def test_the_ipv6_shape_matches_on_the_lines_its_branches_do(text: str) -> None:
    from loglens.detectors.shapes import IPV6_SHAPE

    assert _shape_rows(IPV6_SHAPE, text) == _shape_rows(IPV6_BRANCHES, text)


@settings(max_examples=300, deadline=None)
@given(st.text("0af9gz:.\n ", max_size=40))
def test_the_ipv6_shape_matches_on_the_lines_its_branches_do_for_any_text(text: str) -> None:
    from loglens.detectors.shapes import IPV6_SHAPE

    assert _shape_rows(IPV6_SHAPE, text) == _shape_rows(IPV6_BRANCHES, text)


# --- the seams a block's straddle check looks across: the lines joined as `_BREAK` joins them -----------------------

SEAM_ROWS = [
    b"c:\\us\ners\\name\n",  # a gate cut by a plain newline
    b"x-api-ke\n> y: 0123\n&gt; &gt; more\n",  # quote prefixes, plain and HTML-escaped
    b"the head\n01-02 12:00:00.000  123  456 i unity   : rest of it\n",  # a logcat head after the break
    b"\n\n\n\t \n&amp;\n2024\n",  # blank lines, a tab, an `&` that is no prefix, digits that are no head
    b"a\n01-02 12:00:00.000 1\n2 3 i t: b",  # a head whose blanks run over the next newline
]


def _joined_as_break_joins(low: bytes) -> bytes:
    from loglens.redaction.scan import _BREAK

    return _BREAK.sub(b"", low)


@pytest.mark.parametrize("low", SEAM_ROWS)
def test_a_block_is_squeezed_as_break_squeezes_it(low: bytes) -> None:
    from loglens.redaction.scan import _squeezed

    assert _squeezed(low) == _joined_as_break_joins(low)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"\n", b" ", b"\t", b">", b"&gt;", b"&", b"0", b"01-02 12:00:00.000", b"i", b"x"])))
def test_a_block_is_squeezed_as_break_squeezes_it_for_any_pieces(pieces: list[bytes]) -> None:
    from loglens.redaction.scan import _squeezed

    low = b"".join(pieces)
    assert _squeezed(low) == _joined_as_break_joins(low)


def test_a_detector_given_twice_runs_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The re-scan adds its strict shapes to the defaults, and one of them (a 32-hex API key) is a default too."""
    ran = _spy(monkeypatch, _kind)
    line = "CONVAI-API-KEY: d47390fe8c27699bfa864ed8b1dbcd51"
    both = DetectorSet((*DETECTORS, *STRICT_DETECTORS))
    assert [span.value(line) for span in both.find(line)] == ["d47390fe8c27699bfa864ed8b1dbcd51"]
    strict = ran.count("api-key")
    ran.clear()
    assert [span.value(line) for span in DetectorSet(DETECTORS).find(line)] == ["d47390fe8c27699bfa864ed8b1dbcd51"]
    assert strict == ran.count("api-key")  # the strict set's own shape was a default one already


# --- the re-scan's own checks decode each distinct base64 run once: a log repeats its tokens, and every header -----


def test_a_repeated_run_is_decoded_once_and_a_long_one_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    from loglens import independent

    token = mint_token(identity="player-memo", room="room-memo", exp=1_935_000_000, nbf=1_750_000_000)
    payload = token.split(".")[1].encode()
    long_run = b"QUJD" * (independent.MEMO_RUN_BYTES // 4 + 1)
    decoded: list[bytes] = []
    real = base64.urlsafe_b64decode

    def counting(data: bytes) -> bytes:
        decoded.append(data)
        return real(data)

    monkeypatch.setattr(independent.base64, "urlsafe_b64decode", counting)
    independent._remembered_claims.cache_clear()
    block = b"".join(b"line %d: %s and %s\n" % (n, payload, long_run) for n in range(5))
    assert len(list(independent.claim_runs(block))) == 5  # every line is still flagged
    assert sum(1 for data in decoded if data in payload) == 1  # the payload: one decoding that finds claims
    assert sum(1 for data in decoded if len(data) > independent.MEMO_RUN_BYTES - 4) == 5 * 4  # each time, 4 shifts


# --- a value's pieces are indexed a cast at a time: the same 8-byte windows as one per offset --------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=80), st.sampled_from(["livekit-token", "player-text"]))
@example(b"Xk29fjQ0aLm3pQ7z and more words Yk29fjQ0aLm3pQ7zz", "player-text")
def test_a_value_is_indexed_by_every_8_byte_window_of_its_runs(form: bytes, kind: str) -> None:
    from loglens.redaction.fragments import MIN_FRAGMENT, FragmentIndex, indexed_runs

    index = FragmentIndex()
    index.add(7, kind, form)
    windows = (
        {form[i : i + 8] for low, high in indexed_runs(kind, form) for i in range(low, high - 7)}
        if len(form) >= MIN_FRAGMENT
        else set()
    )
    assert {gram.to_bytes(8, sys.byteorder) for gram in index._grams} == windows
    assert set(index._grams.values()) <= {7}


def test_a_piece_found_in_the_first_value_its_word_names_looks_at_no_other() -> None:
    from loglens.redaction.fragments import FragmentIndex

    class Counted(dict[int, list[bytes]]):
        walked = 0

        def __iter__(self) -> Iterator[int]:
            for key in super().__iter__():
                Counted.walked += 1
                yield key

    index = FragmentIndex()
    index._forms = Counted()
    for n in range(500):
        index.add(n, "auth-token", b"value-%04d-" % n + b"Xk29fjQ0aLm3pQ7z" * 2)
    assert index.spans(b"seen: value-0042-Xk29fjQ0aLm3pQ7zXk29") == [(6, 37, 42)]
    assert Counted.walked == 0


# --- a row's first label is looked for with one search: the same rows as a test per literal ---------------------


def _byte_texts(pieces: list[bytes], most: int) -> st.SearchStrategy[bytes]:
    """Texts made of up to `most` of `pieces`."""
    return st.lists(st.sampled_from(pieces), max_size=most).map(b"".join)


ROW_PIECES = [b"> ", b"  ", b"01-02 12:00:00.000  1  2 I Unity   : ", b"x", b"End ", b"User ID:", b"key", b"Bearer",
              b"@", b"~", b"%", b"[", b"(Filename: ", b"\xc2\xa0", b"token"]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(_byte_texts(ROW_PIECES, 12))
def test_a_row_s_first_label_is_any_literal_near_its_start(row: bytes) -> None:
    from loglens.redaction.scan import LABEL_REACH, BlockScreen, _text_start

    screen = BlockScreen(DEFAULT, "surrogateescape")
    start = _text_start(row)
    head = row[start : start + LABEL_REACH].lower()
    opens = row.startswith((b"[", b"<color", b"UnityEngine.", b"(Filename: "))
    assert screen._label_first(row) == (not opens and any(gate in head for gate in screen.literals))


# --- a gate with a byte that is no letter or digit is looked for only in a block that holds that byte ------------


MARK_PIECES = [b"\n", b"home$", b"home", b"$", b"&#", b"&", b"sig=", b"=", b"\\u0040", b"\\", b"\xef\xbc\xa0", b"\xef",
               b"user", b"ab", b"@x.io", b" "]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(_byte_texts(MARK_PIECES, 16))
def test_a_block_screened_with_marks_picks_the_rows_a_test_per_gate_picks(joined: bytes) -> None:
    from loglens.redaction.scan import BlockScreen

    screen = BlockScreen(DEFAULT, "surrogateescape")
    plain = BlockScreen(DEFAULT, "surrogateescape")
    plain._marks = dict.fromkeys(plain._marks)
    assert screen._gated(joined) == plain._gated(joined)
