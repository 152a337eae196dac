"""`loglens network`: the allowlist from Convai's network page, the checklist marked from the log, every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from loglens import endpoints as ep
from loglens.cli import app
from loglens.network import NetworkReport, network_report
from loglens.report import analyze
from loglens.sources import LineReader
from tests.conftest import ROOT, SAMPLES
from tests.support.tokens import mint_token

CASES = ROOT / "tests" / "cases" / "diagnose"
TOKEN = mint_token(identity="net-user", room="room-net", exp=1_950_000_000, nbf=1_700_000_000)


def run(args: list[str], stdin: str | bytes | None = None) -> click.testing.Result:
    return CliRunner().invoke(app, args, input=stdin, catch_exceptions=False)


def report_of(path: Path) -> NetworkReport:
    with path.open("rb") as stream:
        return network_report(analyze(LineReader(stream), source=path.name))


def log_with_url(url: str) -> str:
    return (
        "[Info][Bootstrap]: Convai Bootstrapper: Initializing...\n"
        "[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character abc (mode=create)\n"
        f"[Debug][Transport]: Token: {TOKEN}; Room Name: room-net; Room URL: {url}; Session ID: s-1; "
        "Character Session ID: cs-1\n"
        "[Info][SDK]: [RoomConnectionRuntimeAdapter] Character abc connected successfully (mode=create).\n"
    )


# --- the allowlist carries Convai's and LiveKit's facts exactly ---------------------------------------------------

GENERAL_ROWS = [
    ("live.convai.com", "443", "TCP", "required"),  # Connect API
    ("api.convai.com", "443", "TCP", "required"),  # REST API
    ("convai-technologies-lfslae7c.livekit.cloud", "443", "TCP", "required"),  # Convai's LiveKit host stands in
    ("*.livekit.cloud", "443", "TCP", "required"),  # signaling
    ("*.turn.livekit.cloud", "443", "TCP", "required"),  # TURN/TLS fallback
    ("*.host.livekit.cloud", "3478", "UDP", "optional"),  # TURN/UDP
    ("all LiveKit hosts", "50000-60000", "UDP", "optional"),  # media
    ("all LiveKit hosts", "7881", "TCP", "optional"),  # WebRTC over TCP
]


def test_the_general_allowlist_is_convais_table() -> None:
    report = network_report()
    assert [(r.host, r.port, r.protocol, r.tier) for r in report.rules] == GENERAL_ROWS
    assert not any(r.seen_in_log for r in report.rules)
    assert [s.status for s in report.checklist] == ["unknown"] * 6


@pytest.mark.parametrize(
    ("url", "host", "self_rows"),
    [
        ("wss://acme-ab12cd34.livekit.cloud", "acme-ab12cd34.livekit.cloud", []),  # another Cloud project
        ("wss://convai-technologies-lfslae7c.livekit.cloud", "convai-technologies-lfslae7c.livekit.cloud", []),
        (  # a self-hosted server: its own media ports, on its own host
            "wss://rtc.example.org",
            "rtc.example.org",
            [("7881", "TCP"), ("7882", "UDP"), ("50000-60000", "UDP"), ("5349", "TCP"), ("3478", "UDP")],
        ),
    ],
)
def test_the_logs_livekit_host_is_filled_in(tmp_path: Path, url: str, host: str, self_rows: list[object]) -> None:
    path = tmp_path / "x.log"
    path.write_text(log_with_url(url), encoding="utf-8")
    report = report_of(path)
    assert report.livekit_host == host
    seen = [r for r in report.rules if r.seen_in_log]
    assert [(r.host, r.port, r.protocol) for r in seen] == [(host, "443", "TCP")]
    assert [(r.port, r.protocol) for r in report.rules if r.host == host and not r.seen_in_log] == self_rows
    assert report.self_hosted == bool(self_rows)


# --- each checklist step marked from the log ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("log", "marks"),
    [
        # ICE failed four times after connecting: step 3 failed on those lines, steps 5 and 6 seen
        (SAMPLES / "player-ice-failed.log", {3: ("failed", (83, 115, 147, 179)), 5: ("ok", None), 6: ("ok", None)}),
        # Connect API unreachable: step 1 failed, no credentials line, never connected
        (SAMPLES / "logcat-timeout.txt", {1: ("failed", None), 5: ("not-seen", ()), 6: ("failed", ())}),
        # an untrusted certificate on the signal connection: step 4 shows TLS inspection on line 8
        (CASES / "tls-x509.log", {4: ("failed", (8,)), 5: ("ok", (7,))}),
        # a healthy session: nothing failed, no sign of TLS inspection
        (SAMPLES / "editor-connected.log", {1: ("ok", None), 3: ("ok", ()), 4: ("not-seen", ()), 6: ("ok", ())}),
    ],
)
def test_checklist_marks(log: Path, marks: dict[int, tuple[str, tuple[int, ...] | None]]) -> None:
    steps = {s.number: s for s in report_of(log).checklist}
    for number, (status, lines) in marks.items():
        assert steps[number].status == status, (number, steps[number])
        if lines is not None:
            assert steps[number].lines == lines, number


def test_signal_disconnected_marks_step_two_with_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.log"
    path.write_text(
        log_with_url("wss://acme-ab12cd34.livekit.cloud")
        + "[Warning][SDK]: [SessionMetrics] Session error: transport.signal_disconnected\n",
        encoding="utf-8",
    )
    steps = report_of(path).checklist
    assert (steps[1].status, steps[1].lines) == ("failed", (5,))
    assert steps[5].status == "ok" and steps[5].lines == (5,)  # connected, but the drop is shown


# --- the command, in every format, with and without a log ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [],  # the general list
        [str(SAMPLES / "player-ice-failed.log")],  # a LiveKit host in the log
        [str(SAMPLES / "logcat-timeout.txt")],  # no LiveKit host in the log
    ],
)
def test_csv_parses_and_json_loads(args: list[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(run(["network", *args, "--format", "csv"]).stdout)))
    assert [r["section"] for r in rows] == ["allowlist"] * 8 + ["checklist"] * 6
    assert {(r["host"], r["port"], r["protocol"]) for r in rows[:8]} >= {
        (h, p, proto) for h, p, proto, _ in GENERAL_ROWS if h != ep.CONVAI_LIVEKIT_HOST
    }
    data = json.loads(run(["network", *args, "--format", "json"]).stdout)
    assert data["schema"] == "loglens.network/1" and len(data["rules"]) == 8 and len(data["checklist"]) == 6
    assert [r["status"] for r in rows[8:]] == [s["status"] for s in data["checklist"]]


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "json"])
@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("general", []),
        ("host-in-log", [str(SAMPLES / "player-ice-failed.log")]),
        ("no-host-in-log", [str(SAMPLES / "logcat-timeout.txt")]),
    ],
)
def test_network_goldens(golden: object, name: str, args: list[str], fmt: str) -> None:
    result = run(["network", *args, "--format", fmt])
    assert result.exit_code == 0
    golden(f"network/{name}.{fmt}", result.stdout)  # type: ignore[operator]


def test_a_hostile_host_is_shown_inert(tmp_path: Path) -> None:
    path = tmp_path / "x.log"
    path.write_text(log_with_url("wss://[bold]x\x1b[31m.livekit.cloud"), encoding="utf-8")
    text = run(["network", str(path), "--color"]).stdout
    assert "\x1b[31m" not in text
    markdown = run(["network", str(path), "--format", "markdown"]).stdout
    assert "\x1b" not in markdown


def test_bad_input_is_one_line() -> None:
    result = CliRunner().invoke(app, ["network", "no-such-file.log"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "loglens: error: no such file: no-such-file.log"


def test_every_mention_of_the_connection_test_names_its_page() -> None:
    """Convai's network page links livekit.com/webrtc/connection-test; the older address must not come back."""
    texts = [ROOT / "README.md", *sorted((ROOT / "loglens").rglob("*.py")), *sorted((ROOT / "loglens").rglob("*.toml"))]
    for path in texts:
        assert "livekit.io/connection-test" not in path.read_text(encoding="utf-8"), path
    assert "https://livekit.com/webrtc/connection-test" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert run(["livekit", "--explain-test"]).stdout.count("https://livekit.com/webrtc/connection-test") == 1
