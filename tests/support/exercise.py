"""One input through every command's library path: the fuzz target's body, and the check of its regression tests.

`exercise(data)` runs analyze (every format), livekit (hand-off, list, the test guide), redact (with its
fail-closed re-scan) and check over `data`. A `LoglensError` is a clean refusal (exit 1 or 2); anything else
escaping is a bug. Every JSON it renders must parse.

`tests/support/fuzz.py` drives it coverage-guided (atheris); `tests/test_fuzz.py` replays the crashes it found
and runs the same body under hypothesis.
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import UTC, datetime

from loglens.errors import LoglensError
from loglens.livekit import all_pairs, handoff, read_log
from loglens.redaction.placeholders import PlaceholderTable
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import LeakFound, check_stream, verify
from loglens.render.jsonout import report_json
from loglens.render.livekit import guide_json, handoff_json, pairs_json, write_guide, write_handoff, write_pairs
from loglens.render.report import to_markdown, write_text
from loglens.report import analyze
from loglens.sources import LineReader
from loglens.testguide import explain_test

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def exercise(data: bytes) -> None:
    """Every command over `data`; only a `LoglensError` may come out."""
    _analyze(data)
    _livekit(data)
    _redact(data)
    with contextlib.suppress(LoglensError):
        list(check_stream(io.BytesIO(data)))


def _analyze(data: bytes) -> None:
    try:
        report = analyze(LineReader(io.BytesIO(data)), collapse=True)
    except LoglensError:
        return
    json.loads(report_json(report))
    write_text(report, io.StringIO(), color=True, width=100)
    to_markdown(report)


def _livekit(data: bytes) -> None:
    try:
        facts = read_log(LineReader(io.BytesIO(data)))
    except LoglensError:
        return
    pairs = all_pairs(facts)
    json.loads(pairs_json(pairs, NOW))
    write_pairs(pairs, NOW, io.StringIO(), color=True, width=100)
    try:
        result = handoff(facts, NOW)
    except LoglensError:
        return
    json.loads(handoff_json(result))
    write_handoff(result, io.StringIO(), color=True, width=100)
    guide = explain_test(pairs[-1].url.get_secret_value() if pairs and pairs[-1].url else None)
    json.loads(guide_json(guide))
    write_guide(guide, io.StringIO(), color=True, width=100)


def _redact(data: bytes) -> None:
    options = RedactOptions()
    try:
        out, run = redact_bytes(data, options)
    except LeakFound:
        return
    except LoglensError:
        return
    table: PlaceholderTable = run.table
    verify(io.BytesIO(out), table, options)
    json.loads(run.report("after-writing").model_dump_json())
