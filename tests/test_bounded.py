"""A long log gives a report of bounded size: counts of everything, a bounded sample, and how much was left out."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from loglens.render.jsonout import report_json
from loglens.render.report import to_markdown, write_text
from loglens.report import ERRORS_KEPT, LINES_KEPT, SESSIONS_HEAD, SESSIONS_TAIL, Report, analyze
from loglens.sessions import TIMELINE_HEAD, TIMELINE_TAIL
from loglens.sources import LineReader

ATTEMPT = "[Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt {n} connecting character abc (mode=create)\n"
ICE = "[Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed\n"


def many_sessions(sessions: int) -> bytes:
    """`sessions` connect loops of four attempts, each attempt failing with an ICE error."""
    loop = "".join(ATTEMPT.format(n=n) + ICE for n in range(1, 5))
    return (loop * sessions).encode()


def report_of(data: bytes) -> Report:
    return analyze(LineReader(io.BytesIO(data)), source="long.log")


def test_many_sessions_are_summarised() -> None:
    count = 300
    report = report_of(many_sessions(count))
    assert report.summary.sessions == count
    assert [s.index for s in report.sessions] == [
        *range(1, SESSIONS_HEAD + 1),
        *range(count - SESSIONS_TAIL + 1, count + 1),
    ]
    omitted = report.sessions_omitted
    assert omitted is not None
    assert omitted.count == count - SESSIONS_HEAD - SESSIONS_TAIL
    assert (omitted.first_index, omitted.last_index) == (SESSIONS_HEAD + 1, count - SESSIONS_TAIL)
    assert omitted.outcomes == {"retries-exhausted": omitted.count}
    assert omitted.errors == {"transport.ice_failed": 4 * omitted.count}
    assert omitted.connect_attempts == 4 * omitted.count
    # the counts stay exact, the samples stay bounded
    ice = report.codes[0]
    assert ice.count == 4 * count and len(ice.lines) == LINES_KEPT
    assert ice.lines_omitted == 4 * count - LINES_KEPT and ice.first_line == 2 and ice.last_line == 8 * count
    assert len(report.errors) == ERRORS_KEPT + 1 and report.errors[-1].line == 8 * count
    assert report.errors_omitted == 4 * count - ERRORS_KEPT - 1
    for diagnosis in report.diagnoses:
        assert len(diagnosis.lines) <= 50


def test_the_views_say_what_was_left_out() -> None:
    report = report_of(many_sessions(120))
    text = io.StringIO()
    write_text(report, text, color=False, width=200)
    line = "… 70 more sessions not shown (sessions 11-80, lines 81-640): 70 retries-exhausted; 280 connect attempts"
    assert line in text.getvalue()
    assert line in to_markdown(report)
    assert f"+{480 - 12} more" in text.getvalue()  # the ICE code's lines: 12 shown of 480
    data = json.loads(report_json(report))
    assert data["sessions_omitted"]["count"] == 70 and len(data["sessions"]) == SESSIONS_HEAD + SESSIONS_TAIL


def test_one_long_session_keeps_its_first_and_latest_timeline() -> None:
    """A session that reconnects for ever: the timeline keeps its start and its end, and counts the rest."""
    data = ATTEMPT.format(n=1) + "[Debug][SDK]: [SessionMetrics] Reconnection attempt #1\n" * 1000
    report = report_of(data.encode())
    (session,) = report.sessions
    assert len(session.timeline) == TIMELINE_HEAD + TIMELINE_TAIL
    assert session.timeline_omitted == 1001 - TIMELINE_HEAD - TIMELINE_TAIL
    assert session.timeline[0].line == 1 and session.timeline[-1].line == 1001
    text = io.StringIO()
    write_text(report, text, color=False, width=200)
    assert f"{session.timeline_omitted} more timeline items not shown" in text.getvalue()


def test_schema_describes_the_bounds() -> None:
    schema = Report.model_json_schema(mode="serialization")
    assert {"errors_omitted", "sessions_omitted"} <= set(schema["properties"])
    assert {"first_line", "last_line", "lines_omitted"} <= set(schema["$defs"]["CodeSummary"]["properties"])
    assert "timeline_omitted" in schema["$defs"]["Session"]["properties"]


@pytest.mark.slow
def test_connect_attempt_flood_gives_a_small_report(tmp_path: pytest.TempPathFactory) -> None:
    """196k connect-attempt lines (20 MB): the JSON was 150 MB on main; now it stays under 200 KB."""
    path = tmp_path / "flood.log"  # type: ignore[operator]
    line = "[12:00:00.000][Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt {n} connecting character abc\n"
    path.write_text("".join(line.format(n=i % 4 + 1) for i in range(196_000)))
    done = subprocess.run(
        [sys.executable, "-m", "loglens", "analyze", str(path), "--format", "json"],
        capture_output=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0
    assert len(done.stdout) < 200_000
    assert json.loads(done.stdout)["summary"]["sessions"] == 49_000
