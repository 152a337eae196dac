"""An e-mail address that a `-`, a `_` or a digit follows (`alice@example.com-2`, a room, a folder or a file named
after it) is found everywhere (#8): `redact` hides it and the fail-closed verify agrees, `check` flags it,
`analyze` shows it in no format, and the library's masking (`Masked`, `mask_name`) hides it. A package's version
that reads like a domain up to its letters (`@1.2.3-beta.rc1`) stays as it is."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.masking import Masked, mask_name
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import verify

# a name built from an address: the address must go, what follows it (after the `|`) may stay
ADDRESSES = {
    name: tuple(name.split("|"))
    for name in (
        "alice@example.com|-2",
        "bob@mail.example.org|_x",
        "carol@example.com|1",
        "dana.r@studio-mail.net|-lobby",  # a hyphenated domain, a word after it
        "erin%40example.io|_7",  # the `@` URL-encoded
    )
}
# where a log writes such a name: (id, the line with `{}` for the name)
CONTEXTS = {
    "path": "Loading /var/cache/convai/{}/Editor.log",
    "windows-path": "Saved to D:\\Logs\\{}\\session.txt",
    "room-name": "[Debug][Transport]: Token: x; Room Name: {}; Room URL: wss://demo-lfslae7c.livekit.cloud",
    "room-json": '[Debug][Transport]: Room details received: {{"room_name": "{}", "session_id": "8c6b4d1b"}}',
    "user": "login user={} ok",
    "prose": "contact {} today",
}
CASES = [(a, c) for a in ADDRESSES for c in CONTEXTS]
IDS = [f"{a}-{c}" for a, c in CASES]


def _line(address: str, context: str) -> tuple[str, str]:
    value, after = ADDRESSES[address]
    return CONTEXTS[context].format(value + after), value


def _local(value: str) -> str:
    """The part of an address that names the person, with its `@` as written (`%40` too)."""
    at = "%40" if "%40" in value else "@"
    return value.split(at)[0] + at


def _tail(address: str) -> str:
    """The address's top-level domain with what follows it (`.org_x`): gone with the address."""
    value, after = ADDRESSES[address]
    return "." + value.rsplit(".", 1)[1] + after


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(("address", "context"), CASES, ids=IDS)
def test_redact_hides_it_and_the_verify_agrees(address: str, context: str) -> None:
    line, value = _line(address, context)
    out, run = redact_bytes((line + "\n").encode())
    text = out.decode()
    assert value not in text and _local(value) not in text and _tail(address) not in text
    assert verify(io.BytesIO(out), run.table, RedactOptions()) == []


@pytest.mark.parametrize(("address", "context"), CASES, ids=IDS)
def test_check_flags_the_original_and_passes_the_copy(tmp_path: Path, address: str, context: str) -> None:
    line, value = _line(address, context)
    log, out = tmp_path / "Editor.log", tmp_path / "out.log"
    log.write_text(line + "\n", encoding="utf-8")
    assert _run("check", str(log))[0] == 1
    assert _run("redact", str(log), "-o", str(out))[0] == 0
    text = out.read_text(encoding="utf-8")
    assert _local(value) not in text and _tail(address) not in text
    assert _run("check", str(out))[0] == 0


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("address", ADDRESSES, ids=ADDRESSES.keys())
def test_analyze_shows_it_in_no_format(tmp_path: Path, address: str, fmt: str) -> None:
    value, after = ADDRESSES[address]
    name = value + after
    lines = [
        f"NullReferenceException: {CONTEXTS['path'].format(name)}",
        f"[16:20:41.158][Debug][Transport]: Room details received: {json.dumps({'room_name': name})}",
        f"[16:20:41.159][Debug][Transport]: Token: x; Room Name: {name}; Room URL: wss://demo-lfslae7c.livekit.cloud",
        f"[16:21:12.206][Error][Transport]: Transport connection failed: invalid token, error: {name}",
    ]
    log = tmp_path / "Editor.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = _run("analyze", str(log), "--format", fmt)
    assert code == 0
    assert "Transport" in output or "transport" in output  # the failure is reported, masked
    assert _local(value) not in output and _tail(address) not in output


@pytest.mark.parametrize(("address", "context"), CASES, ids=IDS)
def test_the_library_masks_it(address: str, context: str) -> None:
    line, value = _line(address, context)
    shown = [str(Masked(line)), mask_name(f"/tmp/{value}{ADDRESSES[address][1]}/Editor.log")]
    shown.append(mask_name(f"{value}{ADDRESSES[address][1]}.log"))
    assert [text for text in shown if _local(value) in text or _tail(address) in text] == []


@pytest.mark.parametrize(
    "text",
    [
        "Resolved com.unity.netcode@1.2.3-beta.rc1 from the registry",  # a version with letters, then a digit
        "Packages/com.convai.sdk@4.0.0-pre.alpha2/Runtime",  # ... in a package cache path
        "Assets/UI/Button@2x.png_1",  # an asset name and a suffix
        "var x = a@b.c1;",  # no top-level domain of two letters
    ],
)
def test_a_version_or_an_asset_is_no_address(text: str) -> None:
    assert str(Masked(text)) == text
    out, _ = redact_bytes((text + "\n").encode())
    assert out.decode() == text + "\n"
