"""Output as people read it: count grammar, `codes` in a narrow terminal and in a pipe, a summary line that a pipe
gets whole, and Markdown that renders as meant (checked by rendering every sample's report to HTML)."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from loglens import analyze
from loglens.cli import app
from tests.conftest import sample_paths

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    ("text", "summary"),
    [
        ("plain\n", "1 line · 1 entry (0 Convai) · 0 sessions"),  # one of each: singular
        ("a\nb\n", "2 lines · 2 entries (0 Convai) · 0 sessions"),  # plural
        (
            "[Warning][SDK]: [SessionMetrics] Session error: connection.timeout\n",
            "1 line · 1 entry (1 Convai) · 1 session · 1 error (connection 1)",
        ),
    ],
)
def test_counts_agree_with_their_nouns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, summary: str
) -> None:
    monkeypatch.chdir(tmp_path)  # a short relative name: the header line must not wrap, however deep tmp_path is
    log = Path("x.log")
    log.write_text(text, encoding="utf-8")
    assert summary in run(["analyze", str(log), "--no-color"]).splitlines()[1]
    assert summary in run(["analyze", str(log), "--format", "markdown"])


def test_the_summary_line_is_never_wrapped_in_a_pipe(tmp_path: Path) -> None:
    from loglens.render.report import summary_line, write_text

    report = analyze(str(sample_paths()[0]))
    out = io.StringIO()
    write_text(report, out, color=False, width=40)  # a StringIO is no terminal, like a pipe
    assert summary_line(report) in out.getvalue().splitlines()


def test_codes_in_a_pipe_is_one_line_per_code() -> None:
    lines = run(["codes"]).splitlines()
    assert lines[0].split() == ["code", "retried", "what", "it", "means", "(HTTP", "status)"]
    assert not any(ch in "".join(lines) for ch in "┃│━─")
    ice = next(line for line in lines if line.startswith("transport.ice_failed "))
    assert ice.split()[1] == "yes" and "ICE" in ice
    assert next(line for line in lines if line.startswith("connection.connect_invalid_api_key ")).endswith("(HTTP 401)")


def test_codes_at_60_columns_puts_the_meaning_under_the_code() -> None:
    from loglens.render.catalogue import write_codes
    from loglens.taxonomy import load_taxonomy

    out = io.StringIO()
    write_codes(load_taxonomy(), out, color=True, width=60)  # a terminal 60 columns wide
    lines = ANSI.sub("", out.getvalue()).splitlines()
    assert all(len(line) <= 60 for line in lines)
    at = lines.index("transport.ice_failed  retried: yes")
    assert lines[at + 1].startswith("    ") and "ICE" in lines[at + 1]


class Html(HTMLParser):
    """The parts of rendered HTML the checks need: list items of ordered lists, tables, tags seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.ol_items: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.stack.append(tag)
        if tag == "li" and "ol" in self.stack[:-1] and self.stack[-2] == "ol":
            self._item = []
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self.tables[-1].append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass
        if tag == "li" and self._item is not None:
            self.ol_items.append("".join(self._item))
            self._item = None
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._item):
            if part is not None:
                part.append(data)


@pytest.mark.parametrize("sample", sample_paths(), ids=lambda p: p.name)
def test_markdown_of_every_sample_renders_as_meant(sample: Path) -> None:
    markdown = run(["analyze", str(sample), "--format", "markdown"])
    page = Html()
    page.feed(MarkdownIt("commonmark").enable("table").render(markdown))
    assert "em" not in page.tags  # no stray emphasis from `*.livekit.cloud` or `_` in a code name
    assert not {"script", "img", "a", "b", "color"} & set(page.tags)  # log or catalogue text never becomes HTML
    for item in page.ol_items:
        assert "Verify:" not in item, item  # the verify step is not glued to the last fix step
    for table in page.tables:
        header, *rows = table
        for row in rows:
            assert len(row) == len(header), row  # a `|` in log text does not add a column
            for title, value in zip(header, row, strict=True):
                assert value != title and not value.startswith(title), (title, value)


def test_a_pipe_in_log_text_stays_in_its_cell(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text(
        "[Error][SDK]: [AudioManager] device a|b failed\n",
        encoding="utf-8",
    )
    page = Html()
    page.feed(MarkdownIt("commonmark").enable("table").render(run(["analyze", str(log), "--format", "markdown"])))
    cells = [cell for table in page.tables for row in table for cell in row]
    assert any("a|b" in cell for cell in cells) or not any(c == "a" for c in cells)
