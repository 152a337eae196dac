"""Shapes of secrets that used to pass redaction and `check` (#8 items 6-11, #9 items 4-5), one row each.

Each row is a line as a paste or a log gives it and the value that must not survive; tokens are minted by
LiveKit's own server SDK (tests/support/variants.py).
"""

from __future__ import annotations

import io
import re
import time

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.detectors import DETECTORS, PUBLIC_DETECTORS, STRICT_DETECTORS
from loglens.redaction.blocks import BlockReader
from loglens.redaction.placeholders import PlaceholderTable
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions, build_rules
from loglens.redaction.verify import Checker, check_stream, verify
from tests.support.tokens import mint_token
from tests.support.variants import TOKEN, USER, pieces_of

HEADER, PAYLOAD, SIGNATURE = TOKEN.split(".")
KEY = "0f3c9a7e21b84d6590ce1a2b3c4d5e6f"
LOOKALIKE_DOTS = ("\u00b7", "\u3002", "\u2024", "\u2027", "\uff0e")  # middle dot, ideographic full stop, ...
FULLWIDTH = "".join(chr(ord(c) + 0xFEE0) for c in TOKEN)
OPAQUE = "Zk9xV2pLbU5QcVJzVHVWd1h5WjAxMjM0"  # a session cookie or URL token with no shape of its own


def redacted(text: str) -> str:
    out, run = redact_bytes(text.encode("utf-8", "surrogateescape"))
    assert verify(io.BytesIO(out), run.table, RedactOptions()) == []
    return out.decode("utf-8", "surrogateescape")


def survives(secret: str, out: str) -> bool:
    return secret in out if len(secret) < 16 else any(p in out for p in pieces_of(secret))


def _wrapped(line: str, width: int) -> str:
    return "\n".join(line[i : i + width] for i in range(0, len(line), width)) + "\nnext line\n"


def _stable_id(value: object) -> str | None:
    """The SDK mints TOKEN from the clock (nbf, exp): a piece of it gets a name as its test id, so the ids are the
    same in every run and in every pytest-xdist worker (pytest's own id otherwise)."""
    if isinstance(value, str) and len(value) >= 16 and (value in TOKEN or value in FULLWIDTH):
        return "token-piece"
    return None


def _with(char: str, at: int = 120) -> str:
    return TOKEN[:at] + char + TOKEN[at:]


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        # 8.6: wraps narrower than 40 columns still keep an end-user id hidden
        (_wrapped('[Debug][Transport]: {"end_user_id":"' + USER + '","x":1}', 20), USER),
        (_wrapped('[Debug][Transport]: {"end_user_id":"' + USER + '","x":1}', 33), USER),
        # 8.6: an ICE candidate wrapped before `raddr` keeps no address
        (
            "a=candidate:842163049 1 udp 1677729535 198.51.100.20 50522 typ srflx\n raddr 198.51.100.21 rport 5\n",
            "198.51.100.21",
        ),
        # 8.6: a two-line wrap that cuts an end-user id after its first characters
        (
            '[Debug][Transport]: Room details received: {"room_name":"lobby","end_user_id":"c8f0\n' + USER[4:] + '"}\n',
            USER,
        ),
        # 8.7: one foreign character inside a token does not end it
        (f"Token: {_with(chr(0xAD))}; Room Name: r\n", TOKEN),  # a soft hyphen, as ticket systems insert
        (f"Token: {_with(chr(0x200B))}; Room Name: r\n", TOKEN),  # a zero-width space
        (f"Token: {_with('а', 60)}; Room Name: r\n", TOKEN),  # a Cyrillic lookalike in the payload
        (f"Token: {HEADER}.{PAYLOAD}．{SIGNATURE}; Room Name: r\n", PAYLOAD),  # a fullwidth dot
        (f"Token: {HEADER}.{PAYLOAD}．{SIGNATURE}; Room Name: r\n", SIGNATURE),  # ... and what follows it
        (f"Token: {_with(chr(0xDC80))}; Room Name: r\n", TOKEN),  # an undecodable byte
        # 8.8: API keys and opaque tokens in every encoding
        (f"GET /v1?x=1%3Fapi_key%3D{KEY}&y=2\n", KEY),  # URL-encoded after a URL-encoded `?`
        (f'{{\\\\\\"key\\\\\\": \\\\\\"{KEY}\\\\\\"}}\n', KEY),  # JSON escaped twice
        ('{"access_token": "opaqueAbc123def456ghi"}\n', "opaqueAbc123def456ghi"),
        ('{"accessToken":"opaqueAbc123def456ghi"}\n', "opaqueAbc123def456ghi"),
        ('{"session_token":"opaqueAbc123def456ghi"}\n', "opaqueAbc123def456ghi"),
        # 8.9: e-mail addresses in any script and written form
        ("contact jörg.müller@exämple.de\n", "jörg.müller"),
        ('{"email":"jordan\\u0040example.com"}\n', "jordan"),
        ("mail: jordan＠example.com\n", "jordan"),
        ("mail: jordan\ufe6bexample.com\n", "jordan"),  # the small `@` of CJK compatibility forms
        ("mail: jordan\x1b[0m@example.com\n", "jordan"),  # a colour code before the `@`
        ("mail: jordan<b>@</b>example.com\n", "jordan"),  # a rich-text tag around it
        ('from "jordan doe"@example.com\n', "jordan doe"),
        # 8.9: user names in every path shape
        ("at C:\\Users\\Alice Smith\n", "Smith"),
        ('"path":"C:\\\\\\\\Users\\\\\\\\alicia\\\\\\\\Desktop"\n', "alicia"),
        ("\\\\fileserver\\Users\\bobby\\logs\\x.log\n", "bobby"),
        ("in \\Users\\carla\\AppData\\x.log\n", "carla"),
        ("/mnt/c/Users/david/Project/x.cs\n", "david"),
        ("/c/Users/erinn/Project/x.cs\n", "erinn"),
        ("/cygdrive/c/Users/frank/Project/x.cs\n", "frank"),
        ("/Volumes/Data/Users/ginny/Project/x.cs\n", "ginny"),
        ("/var/home/harry/Project/x.cs\n", "harry"),
        ("C:\\Documents and Settings\\ivana\\x.log\n", "ivana"),
        # 8.9: addresses in every context
        ("connecting to 198.51.100.10:443\n", "198.51.100.10"),
        ("X-Forwarded-For: 198.51.100.11\n", "198.51.100.11"),
        ('{"publicIP": "198.51.100.12"}\n', "198.51.100.12"),
        ('{"ip": "::ffff:198.51.100.13"}\n', ".51.100.13"),  # IPv4-mapped IPv6 keeps no piece
        ("selected pair: local 192.0.2.7:50522 remote 198.51.100.14:3478\n", "198.51.100.14"),
        ("after the update the server address: 198.51.100.15\n", "198.51.100.15"),
        # 8.9: end_user_metadata values past 64 KiB into the object
        ('"end_user_metadata":{"pad":"' + "x" * 70_000 + '","name":"Jordan Farrow"}\n', "Jordan Farrow"),
        # a token whose dots became another dot-like character, or written in fullwidth forms
        *((f"[Debug][Transport]: Token: {TOKEN.replace('.', dot)}\n", SIGNATURE) for dot in LOOKALIKE_DOTS),
        (f"[Debug][Transport]: Token: {FULLWIDTH}\n", FULLWIDTH[-43:]),
        (f"pasted {FULLWIDTH} here\n", FULLWIDTH[:60]),
        # a quoted-printable soft break that cut the `end_user_id` label
        ('[09:14:03.192][Debug][Transport]: {"end_user_=\nid":"' + USER + '"}\nnext line\n', USER),
        # opaque credentials in URL parameters and cookies
        ("connecting wss://convai-x.livekit.cloud/rtc?token=" + OPAQUE + "&sdk=unity\n", OPAQUE),
        ("GET /v1/rooms?sdk=unity&token=" + OPAQUE + "\n", OPAQUE),
        ("https://convai.example/cb#access_token=" + OPAQUE[:20] + "\n", OPAQUE[:20]),
        ("https://cdn.example/a.png?se=2026&sig=" + OPAQUE + "%3D\n", OPAQUE),
        ("https://maps.example/api?signature=" + OPAQUE + "&x=1\n", OPAQUE),
        ("GET /x?auth=" + OPAQUE + " HTTP/1.1\n", OPAQUE),
        ("GET /x?key=" + OPAQUE + "\n", OPAQUE),
        ("url=https%3A%2F%2Fh%2Frtc%3Ftoken%3D" + OPAQUE + "\n", OPAQUE),  # URL-encoded inside another URL
        ("Cookie: session=" + OPAQUE + "; theme=dark\n", OPAQUE),
        ('Cookie: theme=dark; sid="' + OPAQUE + '"\n', OPAQUE),
        ("Set-Cookie: sid=" + OPAQUE + "; Path=/; HttpOnly\n", OPAQUE),
        ('{"headers":{"Cookie":"session=' + OPAQUE + '"}}\n', OPAQUE),
    ],
    ids=_stable_id,
)
def test_shape_is_redacted(line: str, secret: str) -> None:
    assert survives(secret, line)
    assert not survives(secret, redacted(line))


# A stray byte that is no UTF-8 (0x81, 0xFF) or a Windows-1252 letter (0x92, 0xE9) inside a value (#8): the value
# goes on past it. {} is where the byte sits; each row's words either side of it must not survive.
STRAY_BYTE_ROWS = [
    ("contact maria.gon{}zalez@example.com today", ("maria.gon", "zalez@example")),
    ("contact maria@exa{}mple-studio.com today", ("maria@exa", "mple-studio")),
    ('{{"email":"maria.go{}nzalez@example.com"}}', ("maria.go", "nzalez@example")),
    ('{{"end_user_id": "u-acct-77310{}maria-gonzalez"}}', ("u-acct-77310", "maria-gonzalez")),
    ("Resolved End User ID: u-acct{}-77310-maria", ("u-acct", "-77310-maria")),
    ('{{"end_user_metadata":{{"name":"Maria{} Gonzalez"}}}}', ("Maria", " Gonzalez")),
    ("loading C:\\Users\\Mar{}ia Gonzalez\\AppData\\Local\\x.dll", ("Mar", "ia Gonzalez")),
    ("loading /home/mar{}iag/project/x.cs", ("mar", "iag/")),
]


@pytest.mark.parametrize("byte", [b"\x81", b"\xff", b"\x92", b"\xe9"], ids=["81", "ff", "92", "e9"])
@pytest.mark.parametrize(("line", "words"), STRAY_BYTE_ROWS, ids=[str(i) for i in range(len(STRAY_BYTE_ROWS))])
def test_a_stray_byte_inside_a_value_does_not_end_it(line: str, words: tuple[str, str], byte: bytes) -> None:
    head, tail = line.split("{}")
    data = head.format().encode() + byte + tail.format().encode() + b"\nnext line\n"
    out = redact_bytes(data)[0]
    assert words[0].encode() + byte not in out and byte + words[1].encode() not in out, out
    assert not any(word.encode() in out for word in words if len(word) > 4), out
    assert list(check_stream(io.BytesIO(data))) and list(check_stream(io.BytesIO(out))) == []


@pytest.mark.parametrize(
    "line",
    [
        "Set-Cookie: sid=<auth-token-1>; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/Assets/StreamingAssets\n",
        "Cookie: theme=dark; lang=en-GB\n",  # settings, not sessions
        "MyCookieJar: name=abcdefghijkl\n",  # not a cookie header
        "https://docs.example/search?q=token&page=2&keywords=abcdefghijkl\n",  # other parameters stay
        "monkey=abcdefghijkl; donkey%3dabcdefghijkl\n",  # `key=` inside a word, not after `?` or `&`
    ],
)
def test_what_is_not_a_credential_in_urls_and_cookies_is_kept(line: str) -> None:
    assert redacted(line) == line


@pytest.mark.parametrize("dot", LOOKALIKE_DOTS)
def test_check_finds_a_token_with_lookalike_dots_and_keeps_the_next_line(dot: str) -> None:
    text = f"x {TOKEN.replace('.', dot)}\nsee you later\n"
    assert [f.line for f in check_stream(io.BytesIO(text.encode()))] == [1]
    assert redacted(text) == "x <livekit-token-1>\nsee you later\n"  # the token ended there: nothing joined


@pytest.mark.parametrize(
    "line",
    [
        "你好。这是一个测试。\n",
        "Unity · Convai · LiveKit\n",
        "ＦＵＬＬ ｗｉｄｔｈ ｔｅｘｔ：ｏｋ\n",
        "Chapter 1 ․ 2 ‧ 3\n",
    ],
)
def test_text_with_lookalike_dots_and_fullwidth_forms_is_kept(line: str) -> None:
    assert redacted(line) == line


def test_the_independent_pass_fires_where_the_detectors_miss() -> None:
    """8.10: a payload piece with neither label nor `eyJ`, and runs that continue a redacted token after a quote or
    an indent: the detectors see nothing, the fail-closed pass refuses."""
    for text in (
        f"pasted: {PAYLOAD[7:90]}\n",
        f"Token: <livekit-token-1>\n> {PAYLOAD[40:80]}\n",
        f"Token: <livekit-token-1>\n    {SIGNATURE}\n",
    ):
        data = text.encode()
        if "pasted" in text or not re.search("[0-9]", SIGNATURE):  # letters and digits glued on: the detectors too
            assert list(Checker(independent=False).scan(BlockReader(io.BytesIO(data)))) == []
        assert verify(io.BytesIO(data), PlaceholderTable(), RedactOptions())
        assert list(check_stream(io.BytesIO(data)))


# signatures with no digit in them (about one HS256 signature in 1,500): a clock-minted token gives one now and then
DIGITLESS = ("EUo_OIYWbfDANHDgXubmyHLvFNqKuciaztAiKyoZZCg", "qPzRkWxTbNvLcYaHgFdSjEuKiOmQwZxCvBnMlKjHgFd")
# what a Unity log writes on the line after a token's: names of one word or CamelCase, never a quarter capitals
AFTER_TOKEN = ("UnityEngine.Debug:Log (object)", "ConvaiTransportManagerInstance:Connect ()", "ConnectionEstablished")


@pytest.mark.parametrize("signature", DIGITLESS)
@pytest.mark.parametrize("prefix", ["    ", "> ", "\t", ""])
def test_a_signature_with_no_digit_that_continues_a_redacted_token_fails_closed(signature: str, prefix: str) -> None:
    data = f"Token: <livekit-token-1>\n{prefix}{signature}\n".encode()
    assert verify(io.BytesIO(data), PlaceholderTable(), RedactOptions())
    assert list(check_stream(io.BytesIO(data)))


@pytest.mark.parametrize("after", AFTER_TOKEN)
def test_a_frame_after_a_redacted_token_is_not_taken_for_its_rest(after: str) -> None:
    data = f"Token: <livekit-token-1>\n{after}\n".encode()
    assert verify(io.BytesIO(data), PlaceholderTable(), RedactOptions()) == []


def test_new_values_are_numbered_past_placeholders_already_there() -> None:
    """8.11: a redacted log with a raw one appended: the new token is not called `<livekit-token-1>` too."""
    other = mint_token(identity="guest-1", room="r", exp=1_935_000_000, nbf=1_750_000_000)
    out = redacted(f"Token: <livekit-token-1>; x\nToken: {other}; y\n")
    assert out == "Token: <livekit-token-1>; x\nToken: <livekit-token-2>; y\n"


def test_user_patterns_never_match_placeholders(tmp_path: object) -> None:
    """8.11: `--also '[a-z]+-\\d+'` would match `token-1` inside `<livekit-token-1>`; redact must accept its output."""
    options = RedactOptions(rules=build_rules(also=[r"[a-z]+-\d+"]))
    first, _ = redact_bytes(f"Token: {TOKEN}\nbuild ab-12\n".encode(), options)
    assert first == b"Token: <livekit-token-1>\nbuild <custom-1>\n"
    again, run = redact_bytes(first, options)
    assert again == first and verify(io.BytesIO(again), run.table, options) == []
    result = CliRunner().invoke(app, ["check", "--also", r"[a-z]+-\d+", "-"], input=first)
    assert result.exit_code == 0, result.stderr


@pytest.mark.slow
def test_a_huge_value_costs_bounded_work() -> None:
    """9.4: a 20 MB line of token characters after a label: seconds, not tens of seconds and gigabytes."""
    data = b"[Debug][Transport]: Token: " + b"A" * (20 << 20) + b"\nnext\n"
    start = time.process_time()  # CPU time: another process on the machine does not count
    out, _ = redact_bytes(data)
    assert out == b"[Debug][Transport]: Token: <livekit-token-1>\nnext\n"
    assert time.process_time() - start < 30


# 9.5: lines that make a backtracking pattern explode; every detector must stay linear on them
ADVERSARIAL = {
    "spaces": "Sent user text message: hi" + " " * 20_000 + "there",
    "transcript-spaces": "[Transcript]: hi" + " " * 20_000 + "x",
    "labels": "authorization: " * 4_000 + " " * 4_000,
    "users-base64": "C:\\Users\\" + "A" * 200_000,
    "label-spaces": "authorization:" + " " * 20_000,
    "base64": "eyJ" + "A" * 200_000,
    "at-signs": "@" * 200_000,
    "mail-runs": "a@b." * 50_000,
    "users": "C:\\Users\\" + "a " * 50_000,
    "colons": ":" * 100_000 + "1",
    "keys": "key=" * 50_000,
    "cookies": "Cookie: " + "a=b;" * 50_000,
    "url-parameters": "?token=" * 30_000 + "&sig%3d" * 20_000,
    # a long run of token characters that is not at the end of its line: finding "a run at the end" must not
    # retry from every start of it (the wrap check did, and a 70 KB metadata value took most of a minute)
    "metadata-pad": '"end_user_metadata":{"pad":"' + "x" * 200_000 + '","name":"Jordan Farrow"}',
}
ALL_DETECTORS = (*DETECTORS, *PUBLIC_DETECTORS, *STRICT_DETECTORS)


def _time(fn: object, *args: object) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        fn(*args)  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_every_detector_is_linear_on_adversarial_lines(name: str) -> None:
    """Each detector on the line, against a plain regex scan of the same line (a generous ratio, not seconds): a
    pattern that backtracks quadratically is thousands of times slower on these."""
    line = ADVERSARIAL[name]
    plain = _time(lambda: sum(1 for _ in re.finditer(r"\w+|\W", line)))  # a scan that visits every character
    for detector in ALL_DETECTORS:
        spent = _time(lambda d=detector: list(d.scan(line, 0, len(line), line.lower())))
        assert spent < 20 * plain + 0.05, f"{detector.kind} {detector.pattern.pattern[:40]!r} on {name}"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_whole_redaction_is_linear_on_adversarial_lines(name: str) -> None:
    """Not only the detectors: the screen, the wrap check, placeholders and the re-scan, on the same lines."""
    line = ADVERSARIAL[name]
    data = (line + "\n").encode("utf-8")
    plain = _time(lambda: sum(1 for _ in re.finditer(r"\w+|\W", line)))

    def redact_and_verify() -> None:
        out, run = redact_bytes(data)
        verify(io.BytesIO(out), run.table, RedactOptions())

    assert _time(redact_and_verify) < 200 * plain + 0.2, name
