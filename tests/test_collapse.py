"""Unity-Console-style collapse of repeated lines, modulo numbers and ids, and its place in the text report."""

from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loglens.collapse import MAX_SHOWN_CHARS, Collapser, collapse_key, is_error_line
from loglens.parse import parse_entries
from loglens.render.report import write_text
from loglens.report import analyze
from loglens.sources import LineReader
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="u-1", room="room-1", exp=1_900_000_000, nbf=1_899_990_000)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # durations and counts
        (
            "Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.",
            "Refreshing native plugins compatible for Editor in 0.87 ms, found 12 plugins.",
        ),
        # an asset GUID that starts with a letter and one that starts with a digit
        (
            "Start importing Assets/a.fbx using Guid(a25854ce5b71547ec1a7eb95f9463169)",
            "Start importing Assets/a.fbx using Guid(3f2c0012e1b9a84c7d9e0f1a2b3c4d5e)",
        ),
        # a UUID character id
        (
            "Attempt 1 connecting character 6c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f (mode=create)",
            "Attempt 2 connecting character fe1d0c9b-8a7f-4e6d-9c5b-4a3f2e1d0c9b (mode=create)",
        ),
        # an assembly id in an engine frame, and leading or trailing blanks
        ("  at Foo.Bar () [0x00012] in <cc54933d6df84ff08e916a4036d0b6c6>:0", "at Foo.Bar () [0x0003a] in <0b1c>:0 "),
    ],
)
def test_lines_that_differ_only_in_numbers_and_ids_collapse(a: str, b: str) -> None:
    assert collapse_key(a) == collapse_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # different words
        ("Begin MonoManager ReloadAssembly", "End MonoManager ReloadAssembly"),
        # different error codes
        ("Session error: transport.ice_failed", "Session error: transport.signal_disconnected"),
        # a number against a word
        ("found 3 plugins", "found no plugins"),
    ],
)
def test_different_messages_stay_apart(a: str, b: str) -> None:
    assert collapse_key(a) != collapse_key(b)


def test_groups_count_and_keep_their_first_and_last_line() -> None:
    c = Collapser()
    for line, text in [(3, "took 1 ms"), (5, "other"), (8, "took 22 ms"), (9, "took 3 ms")]:
        c.add(line, text)
    view = c.view()
    assert [(g.text, g.count, g.first_line, g.last_line) for g in view.groups] == [
        ("took 1 ms", 3, 3, 9),
        ("other", 1, 5, 5),
    ]
    assert (view.total, view.distinct, view.ungrouped) == (4, 2, 0)


def test_views_order_filter_and_limit() -> None:
    c = Collapser()
    for line, text in enumerate(["a 1", "b", "b", "c 1", "c 2", "c 3", "d", "d"], 1):
        c.add(line, text)
    assert [g.text for g in c.view().groups] == ["a 1", "b", "c 1", "d"]  # first appearance
    assert [g.text for g in c.view(order="count").groups] == ["c 1", "b", "d", "a 1"]  # ties: earlier first
    assert [g.text for g in c.view(order="count", limit=2).groups] == ["c 1", "b"]
    assert [g.text for g in c.view(min_count=2).groups] == ["b", "c 1", "d"]


def test_the_cap_bounds_memory_and_counts_what_it_turned_away() -> None:
    c = Collapser(max_groups=2)
    for line, text in enumerate(["a", "b", "c", "a", "d", "b"], 1):
        c.add(line, text)
    view = c.view()
    assert [(g.text, g.count) for g in view.groups] == [("a", 2), ("b", 2)]
    assert (view.total, view.distinct, view.ungrouped) == (6, 2, 2)


@pytest.mark.parametrize(
    ("raw", "shown_has", "shown_lacks"),
    [
        # a room token in a URL is masked
        (f"GET wss://h/rtc?access_token={TOKEN}&auto_subscribe=1", "<livekit-token>", TOKEN),
        # an API key is masked
        ("X-API-Key: 0123456789abcdef0123456789abcdef", "<api-key>", "0123456789abcdef0123456789abcdef"),
        # terminal escape sequences become visible text
        ("\x1b[2J\x1b[31mred", "\\x1b[2J", "\x1b"),
        # an OS user name in a path is masked
        ("Loading C:/Users/jdoe/Projects/x.asset", "<user-name>", "jdoe"),
    ],
)
def test_shown_text_is_masked_and_printable(raw: str, shown_has: str, shown_lacks: str) -> None:
    c = Collapser()
    c.add(1, raw)
    (group,) = c.view().groups
    assert shown_has in group.text and shown_lacks not in group.text


def test_huge_lines_are_cut_when_shown() -> None:
    c = Collapser()
    c.add(1, "x" * 100_000)
    (group,) = c.view().groups
    assert len(group.text) == MAX_SHOWN_CHARS and group.text.endswith("…")


@given(st.lists(st.tuples(st.sampled_from(["a", "b 1", "b 2", "c"]), st.integers(0, 3)), max_size=60))
def test_counts_add_up(items: list[tuple[str, int]]) -> None:
    c = Collapser(max_groups=2)
    line = 0
    for text, gap in items:
        line += 1 + gap
        c.add(line, text)
    view = c.view()
    assert view.total == len(items) == sum(g.count for g in view.groups) + view.ungrouped
    assert all(g.first_line <= g.last_line for g in view.groups)


def _entry(text: str):  # type: ignore[no-untyped-def]
    return next(iter(parse_entries(LineReader(io.BytesIO(text.encode() + b"\n")))))


@pytest.mark.parametrize(
    ("line", "error"),
    [
        # an Error-level Convai line
        ("[Error][Transport]: Transport connection failed: could not establish pc connection", True),
        # a code at Warning level is still an error line
        ("[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed", True),
        # an app's own session-error line
        ("[MyApp] Session error: connection.timeout — Connect did not complete", True),
        # an exception
        ("NullReferenceException: Object reference not set to an instance of an object", True),
        # a Warning without a code
        ("[Warning][Transport]: Invalid stored character_session_id. Clearing and retrying without session.", False),
        # Unity noise
        ("Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.", False),
    ],
)
def test_which_lines_the_errors_view_collapses(line: str, error: bool) -> None:
    assert is_error_line(_entry(line)) is error


def _log(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


REPEATED = _log(
    "[10:00:00.000][Info][Bootstrap]: Convai Bootstrapper: Initializing...",
    "Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.",
    "[10:00:30.000][Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed",
    "Refreshing native plugins compatible for Editor in 0.83 ms, found 3 plugins.",
    "[10:00:45.000][Error][Transport]: Transport connection failed: could not establish pc connection (after 15000 ms)",
    "[10:01:00.000][Error][Transport]: Transport connection failed: could not establish pc connection (after 15002 ms)",
    "Refreshing native plugins compatible for Editor in 1.10 ms, found 4 plugins.",
    "A line seen only once, with [bold]markup[/bold] in it",
    "[10:01:30.000][Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed",
)


def test_analyze_collapses_errors_and_noise() -> None:
    report = analyze(LineReader(io.BytesIO(REPEATED)))
    assert [(g.count, g.first_line, g.last_line) for g in report.error_lines.groups] == [(2, 3, 9), (2, 5, 6)]
    # the noise view shows lines that repeat, most repeated first
    assert [(g.text, g.count, g.first_line, g.last_line) for g in report.noise.groups] == [
        ("Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.", 3, 2, 7),
    ]
    assert report.noise.total == 4


def test_collapsed_views_stay_out_of_json() -> None:
    payload = json.loads(analyze(LineReader(io.BytesIO(REPEATED))).model_dump_json())
    assert "noise" not in payload and "error_lines" not in payload
    assert "Refreshing native plugins" not in json.dumps(payload)


def test_the_text_report_shows_collapsed_sections_like_the_console() -> None:
    out = io.StringIO()
    write_text(analyze(LineReader(io.BytesIO(REPEATED))), out, color=False, width=200)
    text = out.getvalue()
    assert "Error lines, collapsed" in text and "Most repeated other lines, collapsed" in text
    assert text.index("Sessions") < text.index("Error lines, collapsed")
    assert "×2  [SessionMetrics] Session error: transport.ice_failed  (lines 3-9)" in text
    assert "×3  Refreshing native plugins compatible for Editor in 2.41 ms, found 3 plugins.  (lines 2-7)" in text
    # the line seen once is counted but not shown in the noise view
    assert "seen only once" not in text
    assert "… 1 more other lines not shown (2 distinct in all)" in text


def test_rich_markup_in_an_error_line_is_shown_as_typed() -> None:
    data = _log("[10:00:00.000][Error][SDK]: [bold red]boom[/bold red] in [link=http://x]here[/link]")
    out = io.StringIO()
    write_text(analyze(LineReader(io.BytesIO(data))), out, color=False, width=200)
    assert "×1  [bold red]boom[/bold red] in [link=http://x]here[/link]  (line 1)" in out.getvalue()


def test_markdown_carries_the_collapsed_error_lines_but_not_the_noise() -> None:
    from loglens.render.report import to_markdown

    text = to_markdown(analyze(LineReader(io.BytesIO(REPEATED))))
    assert "### Error lines (collapsed)" in text
    assert "| 2 | 3-9 | `[SessionMetrics] Session error: transport.ice_failed` |" in text
    assert "Refreshing native plugins" not in text


def test_undecodable_bytes_are_shown_as_replacement_characters() -> None:
    data = b"caf\xe9 au lait 1\r\ncaf\xe9 au lait 2\r\n"
    report = analyze(LineReader(io.BytesIO(data)))
    (group,) = report.noise.groups
    assert group.text == "caf\ufffd au lait 1" and group.count == 2
    group.text.encode("utf-8")  # no lone surrogate left to trip an encoder


# The obvious pattern, quadratic on long runs of letters: the reference the linear one must agree with.
_REFERENCE = re.compile(r"[0-9A-Fa-f]*[0-9][0-9A-Fa-f]*")


@given(st.text(alphabet="0123456789abcdefABCDEFxyz .:-_", max_size=60))
def test_collapse_key_agrees_with_the_plain_pattern(text: str) -> None:
    assert collapse_key(text) == _REFERENCE.sub("#", text.strip())


def test_collapse_key_of_a_long_line_of_letters() -> None:
    """Five million base64 letters (a cut-off token) are keyed, not stalled on."""
    key = collapse_key("[Debug][Transport]: Token: eyJ" + "A" * 5_000_000)
    assert key.startswith("[Debug][Transport]: Token: eyJAAAA") and len(key) <= 4096
