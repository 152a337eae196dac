"""`loglens analyze`, `explain`, `codes` and `schema`."""

from __future__ import annotations

import difflib
import json
import sys
from typing import assert_never

import click

from loglens.cli import app
from loglens.cli.inputs import open_input
from loglens.errors import ExitCode, LoglensError
from loglens.render import Format
from loglens.render.catalogue import write_codes, write_explain
from loglens.render.jsonout import report_json
from loglens.render.report import to_markdown, write_text
from loglens.report import Report, analyze
from loglens.sources import LineReader
from loglens.taxonomy import load_taxonomy

FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in Format]),
    default=Format.TEXT.value,
    show_default=True,
    help="text for people, markdown for a ticket, json for programs.",
)
COLOR_OPTION = click.option("--color/--no-color", default=None, help="Force color on or off (default: auto).")


@app.command("analyze")
@click.argument("path", required=False)
@click.option("--clipboard", is_flag=True, help="Read the log from the clipboard (paste workflow).")
@FORMAT_OPTION
@COLOR_OPTION
def analyze_command(path: str | None, clipboard: bool, fmt: str, color: bool | None) -> None:
    """Classify every error code in a log and explain what to fix first.

    PATH is an Editor.log, Player.log, logcat dump, WebGL console export or a saved Console copy; `-` or
    nothing reads stdin.

    \b
    Example:
      loglens analyze ~/Library/Logs/Unity/Editor.log
      loglens analyze --clipboard --format markdown
    """
    with open_input(path, clipboard=clipboard) as (name, stream):
        # only the text view shows collapsed repeats; the other formats skip the work
        report = analyze(LineReader(stream), source=name, collapse=Format(fmt) is Format.TEXT)
    for note in report.notes:
        click.echo(f"loglens: note: {note}", err=True)
    emit_report(report, Format(fmt), color)


def emit_report(report: Report, fmt: Format, color: bool | None) -> None:
    out = sys.stdout
    if fmt is Format.TEXT:
        write_text(report, out, color=color)
    elif fmt is Format.MARKDOWN:
        out.write(to_markdown(report))
    elif fmt is Format.JSON:
        out.write(report_json(report))
    else:
        assert_never(fmt)


@app.command("explain")
@click.argument("code")
@COLOR_OPTION
def explain_command(code: str, color: bool | None) -> None:
    """Show one error code's page: meaning, retry behaviour, causes, fix, verify, example.

    \b
    Example:
      loglens explain connection.connect_invalid_api_key
    """
    taxonomy = load_taxonomy()
    info = taxonomy.get(code.strip())
    if info is None:
        close = difflib.get_close_matches(code, [i.code for i in taxonomy.codes], n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `loglens codes` lists every known code"
        raise LoglensError(f"unknown error code {code!r}{hint}")
    write_explain(info, taxonomy, sys.stdout, color=color)


@app.command("codes")
@click.option("--category", help="Only this family (config, connection, transport, ...).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@COLOR_OPTION
def codes_command(category: str | None, fmt: str, color: bool | None) -> None:
    """List the error-code catalogue: code, retried or not, HTTP status, meaning.

    \b
    Example:
      loglens codes --category transport
    """
    taxonomy = load_taxonomy()
    if category and taxonomy.category(category) is None:
        names = ", ".join(c.name for c in taxonomy.categories)
        raise LoglensError(f"unknown category {category!r}; known: {names}")
    if fmt == "json":
        codes = [i for i in taxonomy.codes if not category or i.category == category]
        payload = [{**i.model_dump(), "category": i.category, "retryable": i.retryable} for i in codes]
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    write_codes(taxonomy, sys.stdout, color=color, category=category)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of `analyze --format json` output.

    \b
    Example:
      loglens schema > loglens-report.schema.json
    """
    click.echo(json.dumps(Report.model_json_schema(mode="serialization"), indent=2))


__all__ = ["ExitCode", "analyze_command"]
