"""The block screen's leads for `key` and `@` drop only rows no detector can open: a shader line's `keywords`, a
package version's `sdk@4.2.1`. Proved the strong way: with the lead and without it, the screen picks the same rows
but those, and redaction, `check` and the re-scan of the copy give the same result, for every label spelling the
API-key detectors accept cut at every offset, quoted, indented, with CRLF endings and with bytes that are no UTF-8.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from loglens.detectors import DETECTORS, DetectorSet
from loglens.redaction import scan
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions, build_rules
from loglens.redaction.scan import BlockScreen
from loglens.redaction.verify import Finding, check_stream

HEX = "0123456789abcdef0123456789abcdef"
OPAQUE = "My-Custom-Key_001"
SHADER = (
    "Shader 'Universal Render Pipeline/Lit': 205 variants compiled, 34 variants skipped (prepass 34.205 ms, compile "
    "205.34 ms) for platform StandaloneWindows64, keywords _MAIN_LIGHT_SHADOWS _ADDITIONAL_LIGHTS"
)

# every label spelling and separator the API-key detectors take (`api[-_]?key` behind its label ends, 32 hex a few
# symbols after any `key`, a URL's `key=`, a name/value pair either way round), each line with one key
KEY_LINES = [
    f"[Error][REST]: 401 X-API-Key: {HEX}",
    f"[Error][REST]: 401 x-api-key:{HEX}",
    f"[Debug][SDK]: [ConvaiRestClient] CONVAI-API-KEY: {HEX} (character 1-2)",
    f"[Debug][REST]: CONVAI_API_KEY={HEX}",
    f"[Debug][REST]: API_KEY\t{HEX}",
    f"[Debug][REST]: apikey -> {OPAQUE}",
    f"[Debug][REST]: x-api-key: {OPAQUE}",
    f'[Debug][REST]: {{"apiKey":"{HEX}"}}',
    f'[Debug][REST]: {{\\"api_key\\":\\"{HEX}\\"}}',
    f"[Debug][REST]: <apiKey>{HEX}</apiKey>",
    f"[Debug][REST]: [api_key, {OPAQUE}]",
    f"[Debug][REST]: | Api-Key | {OPAQUE} |",
    f"[Debug][REST]: q=1%26api_key%3D{HEX}",
    f"[Debug][REST]: GET /v1?api_key={HEX}&sdk=unity",
    f"[Debug][REST]: GET /v1?key={OPAQUE}&sdk=unity",
    f"[Debug][REST]: GET /v1?KEY%3D{OPAQUE}",
    f'[Debug][REST]: {{"value":"{OPAQUE}","key":"X-API-Key"}}',
    f'[Debug][REST]: {{"name":"CONVAI-API-KEY","value":"{HEX}"}}',
    f"[Debug][REST]: KEYWORDS none; KEY: {HEX}",
    f"[Debug][REST]: using key -> {HEX}",
    f"[Debug][REST]: key%3A{HEX}",
    f"[Debug][REST]: key{HEX}",
    f"[Debug][REST]: X-API-\u212aey: {HEX}",  # a Kelvin sign, `k` once lowercased
    f"{SHADER} api_key={HEX}",
]
# the same keys behind a label only a line's shadow or markup shows: the lead must not stand in their way either
HIDDEN_LINES = [
    f"[Debug][REST]: X-API-K\u00adey: {HEX}",
    f"[Debug][REST]: X-API-Ke\\u0079: {HEX}",
    f"[Debug][REST]: X-API-<b>Key</b>: {HEX}",
    f"[Debug][REST]: X-API-Key<br>: {HEX}",
    f"[Debug][REST]: {SHADER} X-API-Ke%79: {HEX}",
]


def _without(literal: bytes) -> Callable[[DetectorSet], dict[bytes, tuple[object, ...]]]:
    leads = scan._leads

    def found(detectors: DetectorSet) -> dict[bytes, tuple[object, ...]]:
        return {gate: shapes for gate, shapes in leads(detectors).items() if gate != literal}

    return found


@contextmanager
def _no_lead(monkeypatch: pytest.MonkeyPatch, literal: bytes) -> Iterator[None]:
    with monkeypatch.context() as patch:
        patch.setattr(scan, "_leads", _without(literal))
        yield


def _cut_everywhere(line: str, row: Callable[[str], str], ending: str, between: str = SHADER) -> bytes:
    """The line cut in two at every offset, each cut between two `between` lines, every row decorated by `row`."""
    rows = [between]
    for cut in range(1, len(line)):
        rows += [line[:cut], line[cut:], between]
    return "".join(row(text) + ending for text in rows).encode("utf-8", "surrogateescape")


def _results(log: bytes) -> tuple[dict[int, int], bytes, list[Finding], list[Finding]]:
    picked = BlockScreen(DetectorSet(DETECTORS), "surrogateescape").lines(log)
    out, _ = redact_bytes(log)
    return picked, out, list(check_stream(io.BytesIO(log))), list(check_stream(io.BytesIO(out)))


def _same_but_noise(monkeypatch: pytest.MonkeyPatch, log: bytes, literal: bytes, noise: bytes) -> None:
    """With the lead and without it, everything agrees but the rows the lead drops, which are all `noise`."""
    picked, out, found, left = _results(log)
    with _no_lead(monkeypatch, literal):
        every, out_without, found_without, left_without = _results(log)
    assert picked.items() <= every.items()
    dropped = {log.count(b"\n", 0, start) + 1: log[start:end] for start, end in every.items() if start not in picked}
    assert all(noise in row for row in dropped.values()), dropped
    assert out == out_without
    assert left == left_without
    # `check` finds the same, but for a dropped row joined with the next one (`wrapped`): the value it showed is
    # all on that next row, which is found on its own
    assert set(found) <= set(found_without)
    for finding in set(found_without) - set(found):
        assert finding.detail == "wrapped" and finding.line in dropped, finding
        assert Finding(finding.line + 1, finding.kind) in found, finding


DECORATIONS: dict[str, Callable[[str], str]] = {
    "plain": lambda text: text,
    "quoted": lambda text: "> " + text,
    "indented": lambda text: "    " + text,
    "not-utf8": lambda text: text.replace("skipped", "skipp\udcffed").replace("Runtime/", "Runtime\udcfe/"),
}
SHAPES = [
    pytest.param(name, ending, marks=() if (name, ending) == ("plain", "\n") else pytest.mark.slow, id=f"{name}-{tag}")
    for name in DECORATIONS
    for ending, tag in (("\n", "lf"), ("\r\n", "crlf"))
]


def test_every_key_line_holds_a_key_the_detectors_find() -> None:
    """The table above is what it says: each line alone gives its key."""
    for line in KEY_LINES:
        out, _ = redact_bytes((line + "\n").encode())
        assert HEX.encode() not in out and OPAQUE.encode() not in out, line


@pytest.mark.parametrize(("name", "ending"), SHAPES)
@pytest.mark.parametrize("line", KEY_LINES + HIDDEN_LINES)
def test_the_key_lead_drops_shader_rows_only(
    monkeypatch: pytest.MonkeyPatch, line: str, name: str, ending: str
) -> None:
    log = _cut_everywhere(line, DECORATIONS[name], ending)
    _same_but_noise(monkeypatch, log, b"key", b"keyw")  # `keywords`, or its start where a cut ends a row


def test_the_key_lead_drops_the_shader_lines_and_other_words() -> None:
    screen = BlockScreen(DetectorSet(DETECTORS), "surrogateescape")
    words = "Keys pressed; keystore loaded; MonkeyPatch; hotkeys; KEYWORD\n"
    assert screen.lines(((SHADER + "\n") * 3 + words + "[Error] Keyword\r\n").encode()) == {}
    # a hex digit after `key` may be a key's first (`key0123...`), a separator or the row's end a label's end
    for kept in ("KeyCode.Space", "Keyframe", "turnkey_setup", "Monkey", "api_KEY"):
        assert screen.lines(f"{SHADER}\n{kept}\n".encode()), kept


def test_without_the_lead_the_shader_lines_are_picked(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the lead saves: the shader lines open the `key` gate."""
    with _no_lead(monkeypatch, b"key"):
        assert BlockScreen(DetectorSet(DETECTORS), "surrogateescape").lines((SHADER + "\n").encode())


# --- `@`: a package version is no address --------------------------------------------------------------------

FRAMES = [
    "Convai.Runtime.Transport.LiveKitTransport:ConnectAsync (Convai.Runtime.Room.RoomDetails) (at "
    "Library/PackageCache/com.convai.sdk@4.2.1/Runtime/Transport/LiveKitTransport.cs:18)",
    "UnityEngine.UI.Graphic:Rebuild (at ./Library/PackageCache/com.unity.foo@1.2.3-preview/Runtime/UI/Graphic.cs:9)",
    "Resolving com.unity.render-pipelines.universal@14.0.8 from the registry",
]
MAILS = [
    "[Error][SDK]: login failed for a.b@studio.io, retrying",
    "[Error][SDK]: login failed for jo.doe@mail.example.co.uk",
    "[Error][SDK]: mail x@[192.0.2.1] or ops@203.0.113.9.example",
    "[Error][SDK]: contact Ana@Studio.IO",
    '{"email":"a.b\\u0040studio.io"}',
]


def test_a_package_version_is_not_picked() -> None:
    screen = BlockScreen(DetectorSet(DETECTORS), "surrogateescape")
    assert screen.lines("".join(frame + "\n" for frame in FRAMES).encode()) == {}


@pytest.mark.parametrize("line", MAILS)
def test_an_address_is_picked_and_redacted(line: str) -> None:
    screen = BlockScreen(DetectorSet(DETECTORS), "surrogateescape")
    log = (FRAMES[0] + "\n" + line + "\n").encode()
    assert len(FRAMES[0]) + 1 in screen.lines(log)
    out, _ = redact_bytes(log)
    assert b"a.b" not in out and b"jo.doe" not in out and b"Ana@" not in out and b"ops@" not in out


@pytest.mark.parametrize(("name", "ending"), SHAPES)
@pytest.mark.parametrize("line", MAILS)
def test_the_at_sign_lead_drops_package_versions_only(
    monkeypatch: pytest.MonkeyPatch, line: str, name: str, ending: str
) -> None:
    log = _cut_everywhere(line, DECORATIONS[name], ending, FRAMES[0])
    _same_but_noise(monkeypatch, log, b"@", b"sdk@4.2.1")


def test_a_users_own_literal_with_key_in_it_keeps_every_key_row_in_view() -> None:
    options = RedactOptions(rules=build_rules(literals=["keywords _MAIN_LIGHT"]))
    log = (SHADER + "\n").encode()
    assert BlockScreen(DetectorSet(options.detectors()), "surrogateescape").lines(log)
    out, _ = redact_bytes(log, options)
    assert b"keywords _MAIN_LIGHT" not in out
