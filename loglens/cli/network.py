"""`loglens network`: the firewall allowlist and checklist, with what a log shows for each step."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from loglens.cli import app
from loglens.cli.formats import format_option
from loglens.cli.inputs import open_input
from loglens.errors import LoglensError
from loglens.network import NetworkReport, network_report
from loglens.render import Format
from loglens.render import network as render
from loglens.report import analyze
from loglens.sources import LineReader


@app.command("network")
@click.argument("path", required=False)
@format_option(
    Format.TEXT,
    Format.MARKDOWN,
    Format.CSV,
    Format.JSON,
    help="text for people, markdown for an IT ticket, csv for a spreadsheet, json for programs.",
)
@click.option("--color/--no-color", default=None, help="Force color on or off (default: auto).")
def network_command(path: str | None, fmt: Format, color: bool | None) -> None:
    """Print the outbound allowlist (hosts, ports, protocols) and Convai's firewall checklist.

    With PATH (`-` reads stdin), the room's LiveKit host from the log is filled in and every checklist step says
    what the log shows for it; without one, the general list.

    \b
    Example:
      loglens network Editor.log --format markdown
      loglens network --format csv > allowlist.csv
    """
    if path is None:
        result = network_report()
    else:
        with open_input(path) as (name, stream):
            # the file name only: a path can hold the OS user name, and this output goes to another team
            source = name if name.startswith("<") else Path(name).name
            result = network_report(analyze(LineReader(stream), source=source, collapse=False))
    emit(result, fmt, color)


def emit(result: NetworkReport, fmt: Format, color: bool | None) -> None:
    out = sys.stdout
    if fmt is Format.TEXT:
        render.write_text(result, out, color=color)
    elif fmt is Format.MARKDOWN:
        out.write(render.to_markdown(result))
    elif fmt is Format.CSV:
        out.write(render.to_csv(result))
    elif fmt is Format.JSON:
        out.write(render.to_json(result))
    else:
        raise LoglensError(f"network does not write {fmt.value}")
