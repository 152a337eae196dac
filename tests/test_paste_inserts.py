"""What a paste puts inside a token, and how it may cut one apart (#8): analyze, the library and redact hide it all.

An ANSI colour code, a Unity rich-text tag or an invisible character (a variation selector, a Hangul filler, a tag
character) inside a token, and a token whose dots a word processor spaced out (`h. p. s`) or whose signature is in
the standard base64 alphabet. Tokens are minted by LiveKit's own server SDK (tests/support/variants.py).
"""

from __future__ import annotations

import io
import json
import re
import sys
import unicodedata

import pytest

from loglens import api
from loglens.masking import Masked
from loglens.redaction.verify import check_stream
from loglens.render.report import to_markdown
from loglens.shadows import INVISIBLE
from tests.support.variants import TOKEN, pieces_of

HEADER, PAYLOAD, SIGNATURE = TOKEN.split(".")
BASE = "[14:02:10.000][Info][SDK]: [SessionMetrics] Session started\n"
# a variation selector, a Hangul filler, the Mongolian vowel separator, tag and variation characters of plane 14,
# the combining grapheme joiner, the Arabic letter mark, a bidi isolate and its end
INVISIBLES = "\ufe0f\u3164\u180e\U000e0041\U000e0100\u034f\u061c"
INSERTS = {
    "ansi": ("\x1b[31m", "\x1b[0m"),
    "ansi-256": ("\x1b[38;5;196m", "\x1b[0m"),
    "ansi-truecolour-colons": ("\x1b[38:2::255:0:0m", "\x1b[39m"),
    "ansi-erase": ("\x1b[2K", "\x1b[1G"),
    "bold": ("<b>", "</b>"),
    "size": ("<size=12>", "</size>"),
    "combining": ("\u0301", "\u0300\u036f"),
    "color": ("<color=red>", "</color>"),
    "color-hex": ("<color=#ff0000ff>", "</color>"),
    "U+2066": ("\u2066", "\u2069"),
    **{f"U+{ord(char):04X}": (char, char) for char in INVISIBLES},
}
# the standard base64 form of the signature, with its padding (a `/` and a `+` inside, wherever the bytes put them)
STANDARD = SIGNATURE.replace("-", "+").replace("_", "/")
DETACHED = {
    "space after each dot": f"{HEADER}. {PAYLOAD}. {SIGNATURE}",
    "space before each dot": f"{HEADER} .{PAYLOAD} .{SIGNATURE}",
    "space around each dot": f"{HEADER} . {PAYLOAD} . {SIGNATURE}",
    "tab after each dot": f"{HEADER}.\t{PAYLOAD}.\t{SIGNATURE}",
    "standard base64 signature": f"{HEADER}.{PAYLOAD}.{STANDARD}=",
    "spaced, standard base64": f"{HEADER}. {PAYLOAD}. /{STANDARD[1:]}",
    "two blanks after each dot": f"{HEADER} .  {PAYLOAD} .  {SIGNATURE}",
    "no-break spaces around each dot": f"{HEADER}\u00a0.\u00a0{PAYLOAD}\u00a0.\u00a0{SIGNATURE}",
    "narrow no-break space and U+0085": f"{HEADER}\u202f. {PAYLOAD}.\u0085{SIGNATURE}",
    "U+0085 inside the payload": f"{HEADER}.{PAYLOAD[:40]}\u0085{PAYLOAD[40:]}.{SIGNATURE}",
    "a tag closing before each dot": f"<b>{HEADER}</b>.<b>{PAYLOAD}</b>.{SIGNATURE}",
    "a tag across the payload's end": f"{HEADER}.{PAYLOAD[:40]}<size=12>{PAYLOAD[40:]}</size>.{SIGNATURE}",
    "an ANSI code on each side of a dot": f"{HEADER}\x1b[38;5;196m.\x1b[0m{PAYLOAD}\x1b[0m.{SIGNATURE}",
}
KEY = "3f9a0c1e5b7d2468ace0f13579bdf024"  # fake, shaped like a Convai API key


def _line(token: str) -> str:
    return (
        "[14:02:12.000][Error][Transport]: Transport connection failed: connect failed, error: invalid token: "
        f"{token}, error: token is expired (exp)\n"
    )


def _split(before: str, after: str) -> str:
    return TOKEN[:50] + before + TOKEN[50:150] + after + TOKEN[150:]


def _leaks(text: str, secrets: tuple[str, ...] = (TOKEN, STANDARD)) -> bool:
    return any(piece in text for secret in secrets for piece in pieces_of(secret))


def _analyzed(log: str) -> str:
    report = api.analyze(log.encode("utf-8"))
    return report.model_dump_json() + repr(report) + to_markdown(report)


@pytest.mark.parametrize("name", sorted(INSERTS))
def test_analyze_and_the_library_hide_a_token_a_paste_put_something_inside(name: str) -> None:
    log = BASE + _line(_split(*INSERTS[name]))
    assert not _leaks(_analyzed(log))
    redacted = api.redact_text(log)  # redacts, where it used to refuse (fail closed) on the ANSI code
    assert not _leaks(redacted)
    assert redacted.endswith(", error: token is expired (exp)\n")


@pytest.mark.parametrize("name", sorted(DETACHED))
def test_a_token_cut_apart_at_its_dots_or_in_standard_base64_is_hidden_whole(name: str) -> None:
    log = BASE + _line(DETACHED[name])
    redacted = api.redact_text(log)
    assert not _leaks(redacted)
    assert "<livekit-token-1>, error: token is expired (exp)" in redacted
    assert [finding.line for finding in check_stream(io.BytesIO(log.encode()))] == [2]
    assert not _leaks(_analyzed(log))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"invalid token: {HEADER}. Retrying in 5 s\n", " Retrying in 5 s\n"),  # a cut token, then a sentence
        (f"invalid token: {HEADER}.{PAYLOAD}. Then the room closed\n", " Then the room closed\n"),
        (f"invalid token: {HEADER} .Net runtime\n", " .Net runtime\n"),
        (f"invalid token: {TOKEN}</b> next\n", "</b> next\n"),  # a closing tag after the token stays text
        (f"invalid token: {HEADER}.  Retrying in 5 s\n", "  Retrying in 5 s\n"),
        (f"invalid token: {HEADER}.{PAYLOAD}.\u00a0\u00a0Then the room closed\n", "\u00a0\u00a0Then the room closed\n"),
        (f"invalid token: {HEADER}\x1b[0m. Retrying\n", " Retrying\n"),
    ],
)
def test_what_follows_a_token_after_a_blank_stays(text: str, kept: str) -> None:
    redacted = api.redact_text(text)
    assert redacted == "invalid token: <livekit-token-1>" + kept


@pytest.mark.parametrize("name", sorted(INSERTS))
def test_an_api_key_a_paste_put_something_inside_is_hidden_whole(name: str) -> None:
    before, after = INSERTS[name]
    log = BASE + f"[14:02:11.000][Debug][SDK]: X-API-KEY: {KEY[:10]}{before}{KEY[10:20]}{after}{KEY[20:]}\n"
    redacted = api.redact_text(log)
    assert KEY[20:] not in redacted and KEY[10:20] not in redacted
    assert redacted.endswith("X-API-KEY: <api-key-1>\n")
    assert [finding.line for finding in check_stream(io.BytesIO(log.encode()))] == [2]
    assert KEY[20:] not in _analyzed(log)


@pytest.mark.slow
def test_every_format_character_inside_a_token_is_read_through() -> None:
    invisible = re.compile(INVISIBLE)
    chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert all(invisible.fullmatch(char) for char in chars)
    for char in chars:
        line = _line(_split(char, char))
        assert not _leaks(Masked(line)), hex(ord(char))


@pytest.mark.parametrize(
    "token",
    [
        DETACHED["space after each dot"],
        DETACHED["space before each dot"],
        DETACHED["tab after each dot"],
        _split(*INSERTS["ansi"]),
        _split(*INSERTS["color"]),
        _split(*INSERTS["U+FE0F"]),
        _split(*INSERTS["combining"]),
        DETACHED["no-break spaces around each dot"],
        DETACHED["a tag closing before each dot"],
    ],
)
@pytest.mark.parametrize(
    "line",
    [
        "[14:02:11.872][Debug][Transport]: Token: {token}; Room Name: r1; Room URL: wss://x.livekit.cloud\n",
        '[14:02:11.872][Debug][Transport]: Room details received: {{"token":"{token}","room_url":"wss://x.livekit.cloud"}}\n',
    ],
)
def test_livekit_decodes_the_token_a_paste_touched_as_it_was(line: str, token: str) -> None:
    log = line.format(token=json.dumps(token)[1:-1] if "{{" in line else token)
    pair = api.livekit(log.encode("utf-8")).pair
    assert pair is not None and pair.token.get_secret_value() == TOKEN
    assert pair.claims is not None and pair.token_problem is None
    assert not _leaks(_analyzed(log))
