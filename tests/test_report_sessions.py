"""The sessions of a long log read as one table; only the sessions that matter show their timeline."""

from __future__ import annotations

import functools
import io
from unittest import mock

import pytest
from click.testing import CliRunner
from rich.console import Console

from loglens.cli import app
from loglens.render.report import duration, shown_sessions, to_markdown, write_text
from loglens.report import SESSIONS_HEAD, SESSIONS_TAIL, Report, Summary
from loglens.sessions import Outcome, Session, TimelineItem
from tests.conftest import SAMPLES
from tests.test_bounded import many_sessions, report_of


def session(index: int, outcome: Outcome, *, errors: bool = False, times: tuple[str | None, ...] = ()) -> Session:
    from loglens.sessions import SessionCode

    timeline = tuple(
        TimelineItem(line=index * 10 + n, time=t, event="session-started", text="x") for n, t in enumerate(times)
    )
    codes = (SessionCode(code="transport.ice_failed", lines=(index * 10,), count=1),) if errors else ()
    return Session(
        index=index,
        start_line=index * 10,
        end_line=index * 10 + 9,
        started_by="session-started",
        outcome=outcome,
        errors=codes,
        timeline=timeline,
    )


def report_with(*sessions: Session) -> Report:
    summary = Summary(
        lines=1, entries=1, convai_entries=1, sessions=len(sessions), errors=0, errors_by_category={}, platforms={}
    )
    return Report(source="x.log", summary=summary, sessions=sessions)


@pytest.mark.parametrize(
    ("sessions", "which", "expected"),
    [
        # the latest failing one and the latest one
        ((session(1, "failed"), session(2, "failed"), session(3, "connected")), "summary", [2, 3]),
        # the latest is itself the latest failing one: shown once
        ((session(1, "retries-exhausted"), session(2, "reconnect-exhausted")), "summary", [2]),
        # no session failed: the latest that reported an error stands in for it
        ((session(1, "ended", errors=True), session(2, "ended"), session(3, "connected")), "summary", [1, 3]),
        # nothing went wrong anywhere: the latest only
        ((session(1, "connected"), session(2, "connected")), "summary", [2]),
        # one session is always shown
        ((session(1, "connected"),), "summary", [1]),
        # every kept session
        ((session(1, "connected"), session(2, "failed"), session(3, "ended")), "all", [1, 2, 3]),
        # one by its number
        ((session(1, "connected"), session(2, "failed"), session(3, "ended")), 1, [1]),
    ],
)
def test_which_sessions_show_their_timeline(
    sessions: tuple[Session, ...], which: str | int, expected: list[int]
) -> None:
    report = report_with(*sessions)
    assert [s.index for s in shown_sessions(report, which)] == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        (("16:20:04.312", "16:20:07.126"), "2.8s"),  # Unity's times
        (("16:20:04.312", "16:21:09.999"), "1m05s"),  # over a minute
        (("10:00:00", "12:05:30"), "2h05m"),  # hours, no fraction
        (("23:59:50.000", "00:00:05.000"), "15.0s"),  # past midnight
        (("05-29 16:20:04.312", "05-29 16:20:06.312"), "2.0s"),  # logcat: a date before the time
        ((None, "16:20:04.312"), "-"),  # one timed item: no duration
        ((), "-"),  # no timeline
    ],
)
def test_duration(times: tuple[str | None, ...], expected: str) -> None:
    assert duration(session(1, "ended", times=times)) == expected


def _text(report: Report, **kwargs: object) -> str:
    out = io.StringIO()
    write_text(report, out, color=False, width=100, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


COUNT = 55  # more than the report keeps whole: 5 are only counted


@functools.cache
def long_report() -> Report:
    return report_of(many_sessions(COUNT))


def test_a_long_log_shows_a_table_and_two_timelines() -> None:
    count = COUNT
    report = long_report()
    text = _text(report)
    kept = SESSIONS_HEAD + SESSIONS_TAIL
    # every session kept has a row; only the latest (failing) one has its heading and timeline
    rows = [
        line
        for line in text.splitlines()
        if line.rstrip().endswith("retries-exhausted         4          0      4        -")
    ]
    assert len(rows) == kept
    assert text.count(f"Session {count}: lines") == 1 and f"Session {count - 1}: lines" not in text
    assert f"… {count - kept} more sessions not shown (sessions 11-{count - SESSIONS_TAIL}" in text
    assert len(text.splitlines()) < kept + 80  # it was over 500 with every timeline
    markdown = to_markdown(report)
    assert markdown.count("| retries-exhausted | 4 | 0 | 4 | - |") == kept
    assert markdown.count("**Session ") == 1


def test_the_text_view_prints_a_block_at_a_time() -> None:
    """rich's cost is per `print`: a report's rows go out a block at a time, not one call per row."""
    report = report_of((SAMPLES / "app-errors-multi-session.txt").read_bytes())
    with mock.patch.object(Console, "print", autospec=True, side_effect=Console.print) as printed:
        text = _text(report, timelines="all")
    assert len(text.splitlines()) > 200 and all(f"Session {n}: lines" in text for n in (1, 2, 3))
    assert printed.call_count < 50  # a call per row was over 200


MULTI = (SAMPLES / "app-errors-multi-session.txt").read_text(encoding="utf-8")  # three sessions


@pytest.mark.parametrize(
    ("log", "args", "code", "wanted", "unwanted"),
    [
        # one session by number (markdown takes the same options as text)
        (MULTI, ["--session", "2", "--format", "markdown"], 0, "**Session 2: lines", "**Session 3"),
        # no such session: one line and exit 2
        (MULTI, ["--session", "500"], 2, "there is no session 500: the log has 3", "Traceback"),
        # the two options exclude each other
        (MULTI, ["--session", "2", "--sessions", "all"], 2, "not both", "Traceback"),
        # a summarised session cannot be shown
        pytest.param(
            many_sessions(COUNT).decode(),
            ["--session", "12"],
            2,
            "session 12 is only counted in the summary",
            "Traceback",
            marks=pytest.mark.slow,
        ),
    ],
)
def test_session_options(log: str, args: list[str], code: int, wanted: str, unwanted: str) -> None:
    result = CliRunner().invoke(app, ["analyze", "-", "--no-color", *args], input=log)
    assert result.exit_code == code, result.output
    assert wanted in result.output and unwanted not in result.output
    if code:
        assert len(result.output.strip().splitlines()) == 1
