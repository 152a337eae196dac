"""The report formats agree: every line number the text view cites is in the Markdown and in the JSON.

Run through the CLI as a user would, where Markdown and JSON are built without the collapsed views: over every
sample and every diagnosis case. The one text section left out is "Most repeated other lines": it shows the
user's own non-Convai text, which the JSON deliberately never carries.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import app
from tests.conftest import ROOT, sample_paths

CASES = sorted((ROOT / "tests" / "cases" / "diagnose").glob("*.log"))
LOGS = [*sample_paths(), *CASES]
OTHER_LINES = "Most repeated other lines"
_CITED = re.compile(r"\blines? (\d+(?:(?:, |-| \(\+\d+ more\))\d*)*)")


def run(*args: str) -> str:
    result = CliRunner().invoke(app, ["analyze", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def cited(text: str) -> set[int]:
    """Line numbers the text report names: `line 7`, `lines 3-9`, `line 4, 5, 6 (+2 more)`."""
    text = text.split(OTHER_LINES, 1)[0]
    found: set[int] = set()
    for match in _CITED.finditer(text):
        body = re.sub(r" \(\+\d+ more\)", "", match.group(1))
        found |= {int(n) for n in re.findall(r"\d+", body)}
    return found


def json_numbers(value: object) -> set[int]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, dict):
        return {n for v in value.values() for n in json_numbers(v)}
    if isinstance(value, list):
        return {n for v in value for n in json_numbers(v)}
    return set()


@pytest.mark.parametrize("path", LOGS, ids=[p.name for p in LOGS])
def test_every_line_the_text_cites_is_in_markdown_and_json(path: Path) -> None:
    text = run(str(path))
    lines = cited(text)
    markdown = run("--format", "markdown", str(path))
    in_markdown = {int(n) for n in re.findall(r"\d+", markdown)}
    in_json = json_numbers(json.loads(run("--format", "json", str(path))))
    assert lines - in_markdown == set(), "cited in text, missing from Markdown"
    assert lines - in_json == set(), "cited in text, missing from JSON"


def test_an_error_nothing_explains_is_in_every_format(tmp_path: Path) -> None:
    path = tmp_path / "Editor.log"
    path.write_text("[Info][Bootstrap]: Convai Bootstrapper: Initializing...\n[Error][Transport]: LiveKit: closed\n")
    report = json.loads(run("--format", "json", str(path)))
    assert report["unexplained"] == [{"line": 2, "level": "Error", "message": "LiveKit: closed", "count": 1}]
    markdown = run("--format", "markdown", str(path))
    assert "No problems found" not in markdown and "| 2 | `Error` | 1 | `LiveKit: closed` |" in markdown
