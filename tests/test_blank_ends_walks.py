"""A blank (or prefix-only) line before a line that ends every walk (`logical.ends_every_walk` with the line after
it): redaction and `check` start neither walk there, and what they write and find is what the walks would give."""

from __future__ import annotations

import io
import itertools

import pytest

from loglens.fixedwidth import wrapped_counts
from loglens.lines import opens_record, starts_like_frame
from loglens.logical import ends_every_walk, extend
from loglens.paste import piece_bounds
from loglens.redaction import rewrite, unwrap, verify
from loglens.redaction.verify import check_stream
from tests.support.battery import small_cases
from tests.support.spy import first_arguments
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-7", room="lobby-7", exp=1_935_000_000, nbf=1_750_000_000)
KEY = "5e2b7c9d10a84f3691bd0e2f3a4b5c6d"
BLANKS = ["", " ", "\t", "   ", "> ", ">", "> > ", "\u00ad", "\u200b"]
ENDS = [
    "[00:00:06.000][Debug][SDK]: next entry",
    "UnityEngine.Debug:Log (object)",
    "(Filename: Assets/Scripts/PlayerController.cs Line: 990)",
    "System.Threading.Tasks.Task:Run ()",
]
GOES_ON = ["> [00:00:06.000][Debug][SDK]: next entry", "Convai.Runtime.Room:OnRoomDetails ()", "", "Player moved"]
# a line a value runs out of, and what the value goes on with
CUTS = [
    ("[00:00:05.043][Debug][Transport]: Token: " + TOKEN[:40], TOKEN[40:]),
    ("[00:00:05.043][Debug][Transport]: Token:", TOKEN),
    ("[Error][REST]: 401 X-API-Key: " + KEY[:14], KEY[14:]),
    ("X-API-Key:", KEY),
    ('{"api_key": "' + KEY[:10], KEY[10:] + '"}'),
    ("(Filename: C:/Users/", "alexandra/Projects/Game/Assets/X.cs Line: 4)"),
    ("Game.PlayerController:Update () (at C:/Users/alex", "andra/Projects/Game/Assets/X.cs:4)"),
    ("[00:00:05.043][Debug][SDK]: end_user_id=jordan@exam", "ple.com"),
    ("x" * 36, "y" * 36),
]


@pytest.mark.parametrize(("blank", "end"), list(itertools.product(BLANKS, ENDS)))
def test_a_blank_then_a_line_that_ends_every_walk_is_taken_by_neither(blank: str, end: str) -> None:
    # evidence for every walk (a secret in every join, a width that wrapped before), which they take where the
    # line after the blank may go on, but not past a line that ends every walk
    def find(text: str) -> list[tuple[int, int, str]]:
        return [(0, len(text), "secret")]

    for first, rest in CUTS:
        if blank.strip(" \t>") == "":  # prefix-only lines are blank to both walks
            assert ends_every_walk(blank, end)
        if ends_every_walk(blank, end):
            assert extend(first, iter([blank, GOES_ON[1], rest]), find).count
            assert extend(first, iter([blank, end, rest, rest]), find).count == 0
            assert wrapped_counts(first, iter([blank, end, "z" * len(first), rest]), {len(first)}) == (0, 0)


@pytest.mark.parametrize("then", [*GOES_ON, None])
def test_a_blank_before_a_line_that_may_go_on_is_walked(then: str | None) -> None:
    assert not ends_every_walk("", then)
    assert not ends_every_walk("> ", then)


def _one_line(line: str, then: str | None = None) -> bool:
    """What ends every walk judged by the next line alone (a blank never does): the walks start after every blank."""
    start, end = piece_bounds(line)
    return start == 0 < end and (opens_record(line) or starts_like_frame(line))


def _outputs(logs: list[bytes]) -> list[tuple[bytes, list[tuple[int, str, object]]]]:
    out: list[tuple[bytes, list[tuple[int, str, object]]]] = []
    for data in logs:
        written, _ = rewrite.redact_bytes(data)
        found = [(f.line, f.kind, f.detail) for f in check_stream(io.BytesIO(data))]
        out.append((written, found))
    return out


def _hostile() -> list[bytes]:
    """Each cut value, a blank (or a prefix, or a soft hyphen alone), a line that ends every walk (or one that does
    not, or none), the value's rest: bare with LF, quoted with CRLF."""
    logs: list[bytes] = []
    for (first, rest), blank, end in itertools.product(CUTS, ["", "\t", "> ", "\u00ad"], [*ENDS[:2], GOES_ON[1], None]):
        for quote, newline in [("", "\n"), ("> ", "\r\n")]:
            shown = [] if end is None else [end]  # none: the rest of the value right after the blank
            lines = [quote + first, blank, *shown, quote + rest, "", "Player moved to (1.0, 0.0, 2.0)"]
            logs.append(newline.join(lines).encode() + newline.encode())
    return logs


def _agree(logs: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _outputs(logs)
    monkeypatch.setattr(unwrap, "ends_every_walk", _one_line)
    monkeypatch.setattr(verify, "ends_every_walk", _one_line)
    full = _outputs(logs)
    for data, got, expected in zip(logs, fast, full, strict=True):
        assert got == expected, data[:200]


def test_redaction_and_check_give_what_the_walks_give(monkeypatch: pytest.MonkeyPatch) -> None:
    _agree(_hostile(), monkeypatch)


@pytest.mark.parametrize("blank", ["", "> ", "\t"])
def test_a_walk_steps_over_a_blank_before_the_rest_of_a_value(blank: str) -> None:
    for first, rest in [("X-API-Key:", KEY), ("[00:00:05.043][Debug][Transport]: Token:", TOKEN)]:
        out, _ = rewrite.redact_bytes(f"{first}\n{blank}\n{rest}\n".encode())
        assert rest[:12].encode() not in out
        assert list(check_stream(io.BytesIO(f"{first}\n{blank}\n{rest}\n".encode())))


@pytest.mark.slow
def test_the_battery_gives_what_the_walks_give(monkeypatch: pytest.MonkeyPatch) -> None:
    _agree([case.data for case in small_cases()], monkeypatch)


def test_redaction_starts_no_walk_before_a_blank_and_a_footer(monkeypatch: pytest.MonkeyPatch) -> None:
    written = first_arguments(monkeypatch, unwrap, "extend")
    checked = first_arguments(monkeypatch, verify, "extend")
    frame = "Game.PlayerController:Update () (at C:/Users/jordan/Projects/Game/Assets/X.cs:4)"
    log = f"{frame}\n\n(Filename: C:/Users/jordan/Projects/Game/Assets/X.cs Line: 4)\n\n[00:00:06.000][Debug][SDK]: x\n"
    out, _ = rewrite.redact_bytes(log.encode())
    assert b"jordan" not in out
    assert not list(check_stream(io.BytesIO(out)))
    assert written == [] and checked == []


@pytest.mark.parametrize("after", ["[{key}]", "<color=red>{key}</color>", "[{key}] sent"])
def test_check_joins_a_label_with_the_bracketed_value_after_it_as_redaction_does(after: str) -> None:
    # a line that starts like a Convai head but is none ends no walk: the key behind the label is one value
    data = f"[Error][REST]: 401 X-API-Key:\n{after.format(key=KEY)}\n".encode()
    out, _ = rewrite.redact_bytes(data)
    assert KEY.encode() not in out
    assert [f.kind for f in check_stream(io.BytesIO(data))] == ["api-key"]
    assert not list(check_stream(io.BytesIO(out)))
