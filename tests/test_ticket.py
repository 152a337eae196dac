"""`loglens ticket`: the bundle's contents for every sample, the refusal that leaves nothing behind, --zip, stdin,
--map, --copy, and the environment facts summary.md opens with."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from loglens.cli import app
from loglens.environment import read_environment
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import build_rules
from loglens.redaction.verify import check_stream
from loglens.report import Report, analyze
from loglens.sources import LineReader
from loglens.ticket import check_bundle
from tests.conftest import ROOT, SAMPLES, sample_paths
from tests.support.tokens import mint_token

ALL = sample_paths()
IDS = [p.name for p in ALL]
BUNDLE = {"redacted.log", "summary.md", "findings.json"}


def run(args: list[str], stdin: str | bytes | None = None) -> click.testing.Result:
    return CliRunner().invoke(app, args, input=stdin, catch_exceptions=False)


def leftovers(folder: Path) -> list[str]:
    """Everything in a folder, hidden temporary files included."""
    return sorted(p.name for p in folder.iterdir())


# --- the bundle, for every sample ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_bundle_contents(path: Path, tmp_path: Path, golden: object) -> None:
    out = tmp_path / "bundle"
    result = run(["ticket", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert set(leftovers(out)) == BUNDLE and leftovers(tmp_path) == ["bundle"]
    for name in BUNDLE:  # the check gate passes every file
        with (out / name).open("rb") as stream:
            assert list(check_stream(stream)) == [], name
    # redacted.log is exactly what `redact` writes
    assert (out / "redacted.log").read_bytes() == redact_bytes(path.read_bytes())[0]
    # findings.json is the analyze JSON of the redacted log, and validates against the analyze model
    findings = Report.model_validate_json((out / "findings.json").read_text(encoding="utf-8"))
    with (out / "redacted.log").open("rb") as stream:
        expected = analyze(LineReader(stream), source=path.name, collapse=False)
    assert findings.model_dump(mode="json") == expected.model_dump(mode="json")
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith(f"# Convai Unity SDK support bundle: `{path.name}`\n")
    wanted = {
        "## Diagnoses (most blocking first)": bool(findings.diagnoses),
        "## Error codes": bool(findings.codes),
        "## Failing session timeline": bool(findings.sessions),
        "## Redaction": True,
    }
    for heading, present in wanted.items():
        assert (f"\n{heading}\n" in summary) == present, heading
    golden(f"ticket/{path.name}.summary.md", summary)  # type: ignore[operator]


def test_diagnoses_come_most_blocking_first(tmp_path: Path) -> None:
    out = tmp_path / "b"
    assert run(["ticket", str(SAMPLES / "app-errors-multi-session.txt"), "-o", str(out)]).exit_code == 0
    summary = (out / "summary.md").read_text(encoding="utf-8")
    order = ["blocker", "error", "warning", "info"]
    ranks = [order.index(line.split("**[", 1)[1].split("]", 1)[0]) for line in summary.splitlines() if "**[" in line]
    assert ranks == sorted(ranks) and len(set(ranks)) >= 2


def test_summary_holds_no_path_and_the_timeline_of_the_failing_session(tmp_path: Path) -> None:
    out = tmp_path / "b"
    assert run(["ticket", str(SAMPLES / "player-ice-failed.log"), "-o", str(out)]).exit_code == 0
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert str(SAMPLES) not in summary and str(SAMPLES) not in (out / "findings.json").read_text(encoding="utf-8")
    timeline = summary.split("## Failing session timeline", 1)[1]
    assert "outcome: reconnect-exhausted" in timeline and "reconnection failed: transport.ice_failed" in timeline


# --- refusing to finish, leaving nothing behind -------------------------------------------------------------------


def test_refuses_when_a_file_of_the_bundle_would_hold_a_secret(tmp_path: Path) -> None:
    """A company rule hides the Convai host; the log is redacted, but the diagnoses name the host: refused."""
    config = tmp_path / "rules.toml"
    config.write_text("[redact]\nalso = ['live\\.convai\\.com']\n", encoding="utf-8")
    log = tmp_path / "in.txt"
    log.write_bytes((SAMPLES / "logcat-timeout.txt").read_bytes())
    mapped = tmp_path / "map.json"
    before = leftovers(tmp_path)
    result = CliRunner().invoke(
        app, ["ticket", str(log), "-o", str(tmp_path / "b"), "--zip", "--map", str(mapped), "--config", str(config)]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("loglens: error: refusing to write the ticket: ")
    assert "would still hold a custom" in result.stderr and "nothing was written" in result.stderr
    assert "live.convai.com" not in result.stderr
    assert leftovers(tmp_path) == before  # no bundle, no archive, no map, no temporary folder
    assert result.stdout == ""


def test_the_same_rules_without_the_host_in_the_diagnoses_pass(tmp_path: Path) -> None:
    """The counterpart of the refusal: the rule alone does not refuse a bundle whose files are clean."""
    config = tmp_path / "rules.toml"
    config.write_text("[redact]\nalso = ['live\\.convai\\.com']\n", encoding="utf-8")
    result = run(["ticket", str(SAMPLES / "editor-connected.log"), "-o", str(tmp_path / "b"), "--config", str(config)])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("files", "rule", "found"),
    [
        ({"a.md": b"clean\n"}, "codename-77", []),  # nothing to find
        ({"a.md": b"x\nthe codename-77 build\n"}, "codename-77", [("a.md", 2, "custom")]),  # a literal the check knows
        ({"a.md": b"ok\n", "b.json": b'{"k": "codename-77"}\n'}, "codename-77", [("b.json", 1, "custom")]),
    ],
)
def test_check_bundle_reports_file_line_and_kind(
    files: dict[str, bytes], rule: str, found: list[tuple[str, int, str]]
) -> None:
    rules = build_rules(literals=[rule])
    got = check_bundle([(name, io.BytesIO(data)) for name, data in files.items()], rules)
    assert [(g.file, g.line, g.kind) for g in got] == found


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02\xff" * 4096, "binary data"),  # not a text log
        (b"", "the input is empty"),  # nothing to read
    ],
)
def test_unusable_input_leaves_nothing(tmp_path: Path, data: bytes, message: str) -> None:
    log = tmp_path / "in.log"
    log.write_bytes(data)
    result = CliRunner().invoke(app, ["ticket", str(log), "-o", str(tmp_path / "b"), "--zip"])
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1
    assert leftovers(tmp_path) == ["in.log"]


def test_public_profile(tmp_path: Path) -> None:
    out = tmp_path / "b"
    path = SAMPLES / "player-ice-failed.log"
    assert run(["ticket", str(path), "-o", str(out), "--profile", "public"]).exit_code == 0
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "(profile `public`)" in summary
    assert "convai-c324b52b-f373-5b31-ab8c-18069c6e413b" in path.read_text(encoding="utf-8")
    assert "convai-c324b52b-f373-5b31-ab8c-18069c6e413b" not in summary  # room names are pseudonymised
    for name in BUNDLE:
        with (out / name).open("rb") as stream:
            assert list(check_stream(stream)) == [], name


def test_an_existing_output_folder_is_never_touched(tmp_path: Path) -> None:
    out = tmp_path / "b"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(app, ["ticket", str(SAMPLES / "editor-connected.log"), "-o", str(out)])
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert leftovers(out) == ["keep.txt"] and leftovers(tmp_path) == ["b"]


def test_an_existing_archive_is_never_touched(tmp_path: Path) -> None:
    (tmp_path / "b.zip").write_bytes(b"mine")
    args = ["ticket", str(SAMPLES / "editor-connected.log"), "-o", str(tmp_path / "b"), "--zip"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "b.zip already exists" in result.stderr
    assert leftovers(tmp_path) == ["b.zip"] and (tmp_path / "b.zip").read_bytes() == b"mine"


def test_the_default_folder_is_new_each_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        assert run(["ticket", str(SAMPLES / "editor-connected.log")]).exit_code == 0
    folders = leftovers(tmp_path)
    assert len(folders) == 2 and all(f.startswith("loglens-ticket-") for f in folders)
    assert all(set(leftovers(tmp_path / f)) == BUNDLE for f in folders)


# --- --zip, stdin, several logs, --map ----------------------------------------------------------------------------


def test_zip_holds_the_same_files(tmp_path: Path) -> None:
    out = tmp_path / "b"
    result = run(["ticket", str(SAMPLES / "webgl-console.txt"), "-o", str(out), "--zip"])
    assert result.exit_code == 0
    assert leftovers(tmp_path) == ["b", "b.zip"]
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert sorted(archive.namelist()) == sorted(f"b/{n}" for n in BUNDLE)
        for name in BUNDLE:
            assert archive.read(f"b/{name}") == (out / name).read_bytes()
    assert "b.zip" in result.stdout


def test_stdin(tmp_path: Path) -> None:
    data = (SAMPLES / "windows-crlf-bom.log").read_bytes()
    out = tmp_path / "b"
    result = run(["ticket", "-", "-o", str(out)], stdin=data)
    assert result.exit_code == 0, result.stderr
    assert (out / "redacted.log").read_bytes() == redact_bytes(data)[0]
    assert (out / "summary.md").read_text(encoding="utf-8").startswith("# Convai Unity SDK support bundle: `<stdin>`")
    assert "the log read from stdin" in result.stdout


def test_several_logs_share_placeholders(tmp_path: Path) -> None:
    out = tmp_path / "b"
    logs = [SAMPLES / "player-ice-failed.log", SAMPLES / "player-ice-failed.log"]
    assert run(["ticket", *map(str, logs), "-o", str(out)]).exit_code == 0
    expected = {"redacted-1.log", "redacted-2.log", "findings-1.json", "findings-2.json", "summary.md"}
    assert set(leftovers(out)) == expected
    assert (out / "redacted-1.log").read_bytes() == (out / "redacted-2.log").read_bytes()
    assert (out / "summary.md").read_text(encoding="utf-8").count("# Convai Unity SDK support bundle") == 2


def test_map_is_private_and_outside_the_bundle(tmp_path: Path) -> None:
    out, mapped = tmp_path / "b", tmp_path / "private" / "map.json"
    mapped.parent.mkdir()
    result = run(["ticket", str(SAMPLES / "player-ice-failed.log"), "-o", str(out), "--map", str(mapped)])
    assert result.exit_code == 0
    assert stat.S_IMODE(mapped.stat().st_mode) == 0o600
    table = json.loads(mapped.read_text(encoding="utf-8"))
    assert any(key.startswith("<livekit-token-") for key in table)
    assert set(leftovers(out)) == BUNDLE
    keep = result.stdout.split("Keep private", 1)[1]
    assert str(mapped) in keep and "summary.md" not in keep


@pytest.mark.parametrize(
    "where",
    [
        "b/map.json",  # inside the bundle
        "b",  # the bundle itself
        "b.zip",  # the archive
    ],
)
def test_map_inside_the_bundle_is_refused(tmp_path: Path, where: str) -> None:
    args = ["ticket", str(SAMPLES / "editor-connected.log"), "-o", str(tmp_path / "b"), "--zip"]
    result = CliRunner().invoke(app, [*args, "--map", str(tmp_path / where)])
    assert result.exit_code == 2 and "--map must name a file outside the bundle" in result.stderr
    assert leftovers(tmp_path) == []


def test_without_map_nothing_private_is_written(tmp_path: Path) -> None:
    result = run(["ticket", str(SAMPLES / "player-ice-failed.log"), "-o", str(tmp_path / "b")])
    assert leftovers(tmp_path) == ["b"] and "placeholder map" not in result.stdout


# --- --copy: the clipboard helper must not hold the pipe; a missing clipboard only warns --------------------------

FAKE_XCLIP = """#!/bin/sh
case "$*" in *-o*) cat "$CLIP_FILE"; exit 0;; esac
cat > "$CLIP_FILE"
# like the real helper: a child stays behind to serve the selection, keeping whatever stdout it was given
(sleep 30) &
"""


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 helpers are a Linux matter")
def test_copy_puts_summary_on_the_clipboard_without_holding_stdout(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    helper = bin_dir / "xclip"
    helper.write_text(FAKE_XCLIP, encoding="utf-8")
    helper.chmod(0o755)
    clip = tmp_path / "clip.txt"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "DISPLAY": ":99", "CLIP_FILE": str(clip)}
    env.pop("WAYLAND_DISPLAY", None)
    out = tmp_path / "b"
    command = [sys.executable, "-m", "loglens", "ticket", str(SAMPLES / "editor-connected.log"), "-o", str(out)]
    done = subprocess.run([*command, "--copy"], env=env, capture_output=True, timeout=20, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert clip.read_bytes() == (out / "summary.md").read_bytes()
    assert b"summary.md is on the clipboard" in done.stderr


def test_copy_without_a_clipboard_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from loglens.cli import clipboard

    def refuse(text: str) -> str:
        raise clipboard.ClipboardError("no clipboard tool found")

    monkeypatch.setattr(clipboard, "copy", refuse)
    result = run(["ticket", str(SAMPLES / "editor-connected.log"), "-o", str(tmp_path / "b"), "--copy"])
    assert result.exit_code == 0 and "summary.md was not copied: no clipboard tool found" in result.stderr
    assert set(leftovers(tmp_path / "b")) == BUNDLE


# --- the environment facts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        (  # Editor.log header
            [
                "Built from '2022.3/staging' branch; Version is '2022.3.45f1 (a13dfa44d684) revision 1'; "
                "Using compiler version '1'; Build Type 'Release'",
                "OS: 'Windows 11  (10.0.22631) 64bit Professional' Language: 'en' Physical Memory: 32534 MB",
            ],
            {"Unity": "2022.3.45f1", "Platform": "Unity Editor", "OS": "Windows 11  (10.0.22631) 64bit Professional"},
        ),
        (  # Android logcat: Unity's player header with its build type, backend and CPU
            [
                "10-02 11:27:52.283 21877 21921 I Unity   : Built from '2022.3/staging' branch, Version "
                "'2022.3.10f1 (ff3792e53c62)', Build type 'Development', Scripting Backend 'il2cpp', "
                "CPU 'arm64-v8a', Stripping 'Enabled'"
            ],
            {
                "Unity": "2022.3.10f1",
                "Platform": "Android (logcat)",
                "Build type": "Development",
                "Scripting backend": "il2cpp",
                "CPU": "arm64-v8a",
            },
        ),
        (  # a WebGL console export
            ["Build.framework.js:3 Initialize engine version: 2022.3.45f1 (a13dfa44d684)"],
            {"Unity": "2022.3.45f1", "Platform": "WebGL (browser console)"},
        ),
        (  # a standalone Player.log with Debug Convai lines: a development build (or the define)
            [
                "Initialize engine version: 6000.0.23f1 (1c4764c07fb4)",
                "[Debug][Transport]: Connecting to Room...",
            ],
            {
                "Unity": "6000.0.23f1",
                "Platform": "standalone player",
                "Convai SDK": "4.x",
                "Build type": "development build, or CONVAI_DEBUG_LOGGING defined (Debug lines are logged)",
            },
        ),
        (  # the Package Manager's list names the SDK package and its version
            [
                "    com.convai.convai-sdk-for-unity@4.1.2 (location: /p)",
                "[Info][SDK]: [SessionMetrics] Session started",
            ],
            {"SDK version": "4.1.2 (com.convai.convai-sdk-for-unity)", "Convai SDK": "4.x"},
        ),
        (  # the v3 plugin wins over 4.x-looking words
            ["[Info][Bootstrap]: Convai Bootstrapper: Initializing...", "<color=grey>[Info][GRPC]: channel</color>"],
            {"Convai SDK": "v3 plugin (gRPC)"},
        ),
        (  # the pre-4.0 beta's room details
            ["🔑 ROOM DETAILS RECEIVED: {}"],
            {"Convai SDK": "pre-4.0 beta"},
        ),
        (  # a message that quotes a header line is not a header
            ["[Info][SDK]: user said Initialize engine version: 1.2.3"],
            {},
        ),
        (  # nothing to say: nothing is said
            ["just some text", "Loading settings"],
            {},
        ),
    ],
)
def test_environment_facts(lines: list[str], facts: dict[str, str]) -> None:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    env = read_environment(LineReader(io.BytesIO(data)))
    assert {f.name: f.value for f in env.facts} == facts


def test_a_log_without_environment_lines_has_no_environment_section(tmp_path: Path) -> None:
    out = tmp_path / "b"
    assert run(["ticket", "-", "-o", str(out)], stdin="Loading settings\nsome game text\n").exit_code == 0
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "## Environment" not in summary and "No Convai SDK lines found" in summary


def test_log_text_cannot_break_the_summary_tables(tmp_path: Path) -> None:
    """A room name with a pipe in it stays inside its cell: every row of a table has its header's columns."""
    token = mint_token(identity="t-user", room="room|x", exp=1_950_000_000, nbf=1_700_000_000)
    log = (
        "[Info][Bootstrap]: Convai Bootstrapper: Initializing...\n"
        "[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character abc (mode=create)\n"
        f"[Debug][Transport]: Token: {token}; Room Name: room|x; Room URL: wss://a-b1c2d3e4.livekit.cloud; "
        "Session ID: s-1; Character Session ID: cs-1\n"
        "[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\n"
    )
    out = tmp_path / "b"
    assert run(["ticket", "-", "-o", str(out)], stdin=log).exit_code == 0
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "room\\|x" in summary
    tables = [block.splitlines() for block in summary.split("\n\n") if block.startswith("| ")]
    assert len(tables) == 3  # the codes, the timeline, the redaction counts
    for rows in tables:
        assert len({row.replace("\\|", "").count("|") for row in rows}) == 1, rows
