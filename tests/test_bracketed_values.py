"""A value behind a `<`: glued to a placeholder-like text, or a name or id in angle brackets that is no
placeholder of ours. The patterns stop at a `<` (markup, placeholders), so the line's bracket shadow reads them."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.detectors import DETECTORS, DetectorSet
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.verify import check_stream
from loglens.shadows import bracket_shadow

KEY = "175fe2b6acc08f738936a8573f611298"
USER_ID = "a6f69a0fefcbd4f641b31702a63d37f4"
NAME = "Vexmorgxia"

# (line, the value in it)
LINES = [
    (f"[Debug][Transport]: Resolved End User ID: <end-user-id-1>{USER_ID}", USER_ID),
    (f"[Error][REST]: 401 X-API-Key: <api-key-1>{KEY}", KEY),
    (f'{{"end_user_id":"<end-user-id-1>{USER_ID}"}}', USER_ID),
    (f"[Debug][Transport]: Resolved End User ID: <end-user-id-{USER_ID}>", USER_ID),
    (f"[Error][REST]: 401 X-API-Key: <b>{KEY}</b>", KEY),
]
SHAPES = {"plain": "{}", "quoted": "> {}", "indented": "    {}"}


@pytest.mark.parametrize(("line", "value"), LINES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_value_behind_angle_brackets_is_redacted_checked_and_never_shown(
    line: str, value: str, shape: str, ending: str
) -> None:
    data = ("ok" + ending + SHAPES[shape].format(line) + ending + "ok" + ending).encode()
    out, _ = redact_bytes(data)
    assert value.encode() not in out
    assert list(check_stream(io.BytesIO(data)))
    assert not list(check_stream(io.BytesIO(out)))
    result = CliRunner().invoke(app, ["analyze", "--format", "json", "-"], input=data)
    assert result.exit_code == 0 and value not in result.stdout
    json.loads(result.stdout)


@pytest.mark.parametrize(
    "line",
    [
        "Token: <livekit-token-1>; Room Name: <room-name-2>",
        "C:/Users/<user-name-1>/Projects/Demo/Assets/Scripts/Player.cs:51",
        "<color=red>Connection failed</color> after <b>3</b> tries",
    ],
)
def test_placeholders_of_ours_and_markup_find_nothing_new(line: str) -> None:
    assert DetectorSet(DETECTORS).find(line) == []


def test_the_shadow_takes_a_glued_placeholder_out_and_opens_other_brackets() -> None:
    ours = "<api-key-1>".__eq__
    shadow = bracket_shadow(f"key: <api-key-1>{KEY} <id-{KEY[:9]}> <b><api-key-1>;", ours)
    assert shadow is not None and shadow.text == f"key: {KEY} id-{KEY[:9]} <b><api-key-1>;"
    start = shadow.text.index(KEY)
    assert shadow.span(start, start + len(KEY)) == (16, 16 + len(KEY))
    assert bracket_shadow("key: <api-key-1>; done", ours) is None


@pytest.mark.parametrize("path", [f"C:\\Users\\<user-name-1>{NAME}\\AppData", f"C:\\Users\\<{NAME}>\\AppData"])
def test_a_name_glued_to_a_placeholder_or_in_brackets_is_redacted(path: str) -> None:
    out, _ = redact_bytes(f"could not write {path}\\x.json\n".encode())
    assert NAME.encode() not in out


def test_brackets_nested_deep_cost_bounded_work() -> None:
    """The shadow is read once, never again for the brackets it still holds: no recursion per pair."""
    assert DetectorSet(DETECTORS).find("<" * 50_000 + "a" + ">" * 50_000) == []


@pytest.mark.parametrize("width", [17, 19, 20, 24])
def test_a_wrapped_keys_lone_piece_is_hidden_among_the_repeated_lines(width: int) -> None:
    """A key hard-wrapped so that a row holds nothing but hex: the report's most repeated lines show `<secret>`
    there, never 16 characters of the key (the policy for pieces a wrap cut off, SECURITY.md)."""
    line = f"[Error][REST]: POST https://api.convai.com/character/getResponse 401 X-API-Key: {KEY} X-Key: {KEY}"
    wrapped = "\n".join(line[i : i + width] for i in range(0, len(line), width)) + "\n"
    result = CliRunner().invoke(app, ["analyze", "-"], input=wrapped.encode())
    assert result.exit_code == 0
    assert not any(KEY[i : i + 16] in result.stdout for i in range(len(KEY) - 15))
