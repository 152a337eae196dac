"""Golden files per sample: the events the parser produced and the report in every format.

Regenerate with `pytest --update-goldens` after an intended change and review the diff; never edit by hand.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from loglens.parse import parse_entries
from loglens.render.jsonout import report_json
from loglens.render.report import to_markdown, write_text
from loglens.report import analyze
from loglens.sources import LineReader
from tests.conftest import GOLDENS, sample_paths

SAMPLES = sample_paths()


def _reader(path: Path) -> LineReader:
    return LineReader(io.BytesIO(path.read_bytes()))


def events_jsonl(path: Path) -> str:
    """One JSON object per Convai entry (noise is counted, not listed)."""
    out = []
    noise = 0
    for entry in parse_entries(_reader(path)):
        if entry.event.kind == "unparsed":
            noise += 1
            continue
        out.append(entry.model_dump_json(exclude_none=True))
    out.append(json.dumps({"unparsed_entries": noise}))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_events(path: Path, golden: Callable[[str, str], None]) -> None:
    golden(f"{path.name}.events.jsonl", events_jsonl(path))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_reports(path: Path, golden: Callable[[str, str], None]) -> None:
    report = analyze(_reader(path), source=path.name)
    golden(f"{path.name}.report.json", report_json(report))
    text = io.StringIO()
    write_text(report, text, color=False, width=100)
    golden(f"{path.name}.report.txt", text.getvalue())
    golden(f"{path.name}.report.md", to_markdown(report))


def test_there_are_enough_samples() -> None:
    assert len(SAMPLES) >= 8


def test_no_stale_goldens() -> None:
    """A golden whose sample is gone would hide a deleted case."""
    names = {p.name for p in SAMPLES}
    stale = [g.name for g in GOLDENS.glob("*.*") if g.name.split(".events")[0].split(".report")[0] not in names]
    assert stale == []
