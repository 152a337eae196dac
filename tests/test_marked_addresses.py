"""An IPv4 address with markup, an ANSI code or one blank inside it (`198.51.<b>100.4`, `198.51.\\x1b[1m100.4`,
`198.51. 100.4`): found, hidden and flagged by every command, in every shape a paste gives the line, with one
placeholder for the address however it is marked. A version number, a loopback address and a list of numbers stay.
"""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.detectors import DETECTORS, DetectorSet
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import check_stream, verify
from tests.support.wraps import HEADS

ADDRESS = ("198", "51", "100", "47")
# what lands inside the address
MARKS = {
    "bold": "<b>",
    "bracket": "[b]",
    "colour": "<color=red>",
    "closing": "</color>",
    "ansi": "\x1b[1m",
    "ansi-256": "\x1b[38;5;196m",
    "markdown": "**",
    "soft-hyphen": "\u00ad",
    "space": " ",
    "tab": "\t",
    "nbsp": "\u00a0",
}
# where it lands: after which of the three dots (1 to 3), before one (-1 to -3), or inside the third octet (0)
PLACES = (1, 2, 3, -1, -3, 0)
LINES = {
    "connect": "[Error][Transport]: could not connect to {ip}:443 (timeout)",
    "candidate": "[Debug][Transport]: candidate:842163049 1 udp 1694498815 {ip} 50522 typ srflx raddr 10.0.0.5",
    "forwarded": "[Debug][REST]: X-Forwarded-For: {ip}",
    "url": "[Debug][Transport]: SignalClient connecting with url: wss://{ip}:7880/rtc?sdk=unity",
    "json": '[Debug][REST]: {{"publicIP": "{ip}", "port": 443}}',
}
SHAPES = {
    "plain": "{}",
    "quote": "> {}",
    "nested": "> > {}",
    "indent": "    {}",
    "console": "<color=red>[14:02:11.871]{}</color>",
    "bold-line": "<b>{}</b>",
    **{f"logcat-{index}": head + "{}" for index, head in enumerate(HEADS)},
}


def marked(mark: str, place: int) -> str:
    """The address with `mark` put inside it at `place`."""
    octets = list(ADDRESS)
    if place == 0:
        octets[2] = octets[2][:1] + mark + octets[2][1:]
        return ".".join(octets)
    if place > 0:
        octets[place] = mark + octets[place]
    else:
        octets[-place - 1] += mark
    return ".".join(octets)


def _shown(text: str, mark: str) -> bool:
    """Whether `text` still shows the address or its last two octets, marked or not."""
    return any(piece in text for piece in (".".join(ADDRESS), "100.47", f"100{mark}.47", f"{mark}100.47"))


def _assert_hidden_everywhere(data: bytes, mark: str) -> None:
    out, run = redact_bytes(data)
    text = out.decode("utf-8", "surrogateescape")
    assert not _shown(text, mark) and "<ip-address-1>" in text, text
    assert verify(io.BytesIO(out), run.table, RedactOptions()) == []
    assert list(check_stream(io.BytesIO(data)))
    assert list(check_stream(io.BytesIO(out))) == []
    for form in ("text", "json"):
        result = CliRunner().invoke(app, ["analyze", "--format", form, "--sessions", "all", "-"], input=data)
        assert result.exit_code in (0, 1), result.stderr
        if form == "json":
            json.loads(result.stdout)
        assert not _shown(result.stdout + result.stderr, mark), form


BLANKS = ("space", "tab", "nbsp")  # beside a dot only: a blank between two digits makes two numbers


@pytest.mark.parametrize(
    ("mark", "place"), [(m, p) for m in sorted(MARKS) for p in PLACES if not (p == 0 and m in BLANKS)]
)
def test_an_address_with_markup_or_a_blank_inside_is_found(mark: str, place: int) -> None:
    line = LINES["connect"].format(ip=marked(MARKS[mark], place))
    _assert_hidden_everywhere(f"ok\n{line}\nok\n".encode(), MARKS[mark])


@pytest.mark.parametrize("line", sorted(LINES))
@pytest.mark.parametrize("mark", ["bold", "ansi", "space"])
def test_a_marked_address_is_found_on_every_line_that_carries_one(line: str, mark: str) -> None:
    text = LINES[line].format(ip=marked(MARKS[mark], 2))
    _assert_hidden_everywhere(f"ok\n{text}\nok\n".encode(), MARKS[mark])


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_a_marked_address_is_found_in_every_shape_a_paste_gives(shape: str, ending: str) -> None:
    lines = [SHAPES[shape].format(LINES[name].format(ip=marked("<b>", 2))) for name in ("connect", "candidate")]
    _assert_hidden_everywhere(ending.join(["ok", *lines, "ok", ""]).encode(), "<b>")


def test_one_address_is_one_placeholder_however_it_is_marked() -> None:
    rows = [LINES["connect"].format(ip=ip) for ip in (".".join(ADDRESS), marked("<b>", 2), marked(" ", 1))]
    out, _ = redact_bytes(("\n".join(rows) + "\n").encode())
    assert out.count(b"<ip-address-1>") == 3 and b"<ip-address-2>" not in out


@pytest.mark.parametrize(
    "line",
    [
        "[Info][SDK]: upgraded from version 1.2.<b>3.4 to 1.3",  # a version after its label
        "[Info][SDK]: listening on 127.0.<b>0.1:7880",  # loopback names nobody
        "[Info][SDK]: steps 1. 2. 3. 4 done",  # a list of numbers: more than one blank
        "[Info][SDK]: took <b>12.5</b> ms, <b>3.4</b> ms",  # numbers in markup, two dots apart
        "[14:02:11.871][Debug][Transport]: <color=cyan>0.52</color> ms",  # a console line's time and a number
    ],
)
def test_numbers_with_markup_that_are_no_address_stay(line: str) -> None:
    assert [s for s in DetectorSet(DETECTORS).find(line) if s.kind == "ip-address"] == []
