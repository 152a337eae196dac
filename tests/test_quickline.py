"""The quick reader of the credentials, retry and free-text lines (`loglens.quickline`) gives the parser's very
result: the same head and event, and the same values learned, on every line it takes; every other line it leaves
to the parser. Each line below is read both ways, each with a masker of its own."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from lark.exceptions import LarkError

from loglens import masking
from loglens.events import START_RULES, NotThisShape, _parser, _quick, parse_line
from loglens.lines import strip_color
from loglens.prefixes import unwrap_line
from tests.support.tokens import mint_token

ROOT = Path(__file__).resolve().parent.parent
TOKEN = mint_token(identity="player-1", room="room-abc", exp=1_950_000_000, nbf=1_700_000_000)
KEY = "0db0c671d1d94b1c8e2f3a4b5c6d7e8f"

PLAIN = [
    f"[Debug][Transport]: Token: {TOKEN}; Room Name: room-7; Room URL: wss://convai-x.livekit.cloud; "
    "Session ID: s-7; Character Session ID: cs-7; Resolved End User ID: end-user-07",
    f'[Debug][Transport]: Room details received: {{"token":"{TOKEN}","room_name":"room-7","session_id":"s-7",'
    '"room_url":"wss://convai-x.livekit.cloud","end_user_id":"end-user-07","end_user_metadata":{"name":"Ann"},'
    '"characters":[{"character_id":"9f1c2b3a-0007","session_id":"cs-7"}]}',
    "[Debug][SDK]: [SessionMetrics] Reconnection attempt #517",
    "[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 464 connecting character 9f1c2b3a-0464 (mode=create)",
    "[Info][SDK]: [RoomConnectionRuntimeAdapter] Character 9f1c2b3a-0464 connected successfully (mode=create).",
    "[Info][Character]: Character is speaking (utterance 546)",
    f"[Debug][SDK]: [ConvaiRestClient] CONVAI-API-KEY: {KEY} (character 9f1c2b3a-0464)",
    "[Warning][Transport]: ICE candidate gathering took 5003 ms",
    "[00:00:05.043][Debug][Transport]: Token: " + TOKEN + "; Room Name: room-8",
]


def _lark(text: str) -> Any:
    parser = _parser()
    for start in START_RULES:
        try:
            return parser.parse(text, start=start)
        except (LarkError, NotThisShape, ValueError):
            continue
    return None


def _read(read: Any, text: str) -> tuple[Any, dict[str, str], int]:
    with masking.active(masking.Masker()) as masker:
        parsed = read(text)
    return parsed, dict(masker._pieces), masker.generation


def _agrees(text: str) -> bool:
    """Whether the quick reader, if it takes `text`, reads it as the parser does; True when it takes it."""
    quick = _read(_quick(), text)
    if quick[0] is None:
        return False
    assert quick == _read(_lark, text), text
    return True


@pytest.mark.parametrize("line", PLAIN)
def test_each_plain_shape_is_read_quickly_and_as_the_parser_reads_it(line: str) -> None:
    assert _agrees(line)
    assert _read(parse_line, line) == _read(_lark, line)


def _sample_lines() -> list[str]:
    lines: set[str] = set()
    for folder in ("samples", "tests/goldens", "tests/cases"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix not in {".json", ".py", ".md"} and path.stat().st_size < 2_000_000:
                for raw in path.read_text(encoding="utf-8", errors="surrogateescape").splitlines():
                    text = strip_color(unwrap_line(raw).text)[1]
                    lines.add(text)
                    if text.startswith("[0") and "]" in text:
                        lines.add(text[text.find("]") + 1 :])  # the line parser reads it without its time
    return sorted(lines)


def test_every_line_of_the_samples_and_goldens_is_read_as_the_parser_reads_it() -> None:
    taken = sum(_agrees(text) for text in _sample_lines())
    assert taken >= 20  # the samples hold credentials and retry lines: the quick reader took them


_EDITS = [" ", "  ", "\t", ";", "; ", ":", "{", "}", "(", ")", ".", "#", "[X]", "[1]", "x", "\u00ad", "\u3000", "\r"]


def _variants(line: str, rng: random.Random) -> list[str]:
    """`line` cut short at every position, and edited at random ones: a character put in, dropped or doubled."""
    out = [line[:cut] for cut in range(len(line) + 1)]
    for _ in range(300):
        at = rng.randrange(len(line) + 1)
        edit = rng.choice(_EDITS)
        out += [line[:at] + edit + line[at:], line[:at] + line[at + 1 :], line[:at] + line[at:].replace(" ", edit, 1)]
    for tail in ("", " ", " {a=b}", " {a=b, c=d}", "\t", " x", ";", "; Key:", "; Key", ";;"):
        out.append(line + tail)
    return out


@pytest.mark.parametrize("line", PLAIN)
def test_edited_and_cut_lines_are_read_as_the_parser_reads_them_or_left_to_it(line: str) -> None:
    rng = random.Random(line)
    variants = _variants(line, rng)
    taken = sum(_agrees(text) for text in variants)
    assert 0 < taken < len(variants)


def test_a_key_inside_a_retry_line_is_learned_as_the_parser_learns_it() -> None:
    for text in (
        f"[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 3 connecting character {KEY} (mode={KEY})",
        f"[Info][k{KEY}]: Character {KEY} connected successfully.",
        f"[Debug][Transport]: Token: {TOKEN}; X-API-Key: {KEY}; Room Name: {KEY}",
    ):
        assert _agrees(text)
