"""`loglens analyze` over several files: one report per file, then a table that compares them."""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass

import click

from loglens.cli.files import shown
from loglens.cli.inputs import open_input
from loglens.cli.many import run_each
from loglens.cli.streams import write_json
from loglens.errors import ExitCode, LoglensError
from loglens.render import Format
from loglens.render.report import FileRow, Timelines, files_table, render_report
from loglens.text import printable


@dataclass(frozen=True, slots=True)
class Job:
    """One file's work, as sent to a worker process: everything it needs, decided by the parent."""

    path: str
    fmt: Format
    timelines: Timelines
    color: bool
    width: int | None
    progress: bool  # a bar per file, one file at a time: never from several processes at once


@dataclass(frozen=True, slots=True)
class Done:
    """One file's result: its rendered report and notes, its row of the table, or the one-line error."""

    path: str
    output: str = ""
    notes: tuple[str, ...] = ()
    row: FileRow | None = None
    error: str | None = None


def analyze_one(job: Job) -> Done:
    """Read, analyze and render one file (in a worker process with --jobs); never raises for a bad file."""
    from loglens.report import analyze
    from loglens.sources import LineReader

    try:
        with open_input(job.path, progress=job.progress) as (name, stream):
            report = analyze(LineReader(stream), source=name, collapse=job.fmt is Format.TEXT)
    except LoglensError as exc:
        return Done(job.path, error=exc.message)
    output = render_report(report, job.fmt, color=job.color, width=job.width, timelines=job.timelines)
    top = report.diagnoses[0] if report.diagnoses else None
    row = FileRow(
        report.source,
        report.summary.sessions,
        len(report.codes),
        report.summary.errors,
        f"[{top.severity}] {top.rule}" if top else "-",
    )
    return Done(job.path, output, report.notes, row)


def analyze_files(
    paths: list[str], fmt: Format, timelines: Timelines, color: bool | None, jobs: int, *, quiet: bool
) -> ExitCode:
    """Every file in the order given; a file that cannot be read gives one line, and the others still run."""
    terminal = sys.stdout.isatty()
    colored = color if color is not None else terminal and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size().columns if terminal else None
    done: list[Done] = []
    payload: list[object] = []
    for number, result in enumerate(
        run_each(analyze_one, [Job(p, fmt, timelines, colored, width, jobs == 1) for p in paths], jobs)
    ):
        done.append(result)
        if result.error is not None:
            click.echo(f"loglens: error: {shown(result.path)}: {shown(result.error)}", err=True)
            payload.append({"file": shown(result.path), "error": shown(result.error)})
            continue
        if not quiet:
            for note in result.notes:
                click.echo(f"loglens: note: {shown(result.path)}: {printable(note)}", err=True)
        if fmt is Format.JSON:
            payload.append({"file": result.row.file if result.row else "", "report": json.loads(result.output)})
            continue
        if number:
            sys.stdout.write("\n---\n\n" if fmt is Format.MARKDOWN else "\n")
        sys.stdout.write(result.output)
        sys.stdout.flush()
    if fmt is Format.JSON:
        write_json(json.dumps({"files": payload}, indent=2, ensure_ascii=False) + "\n")
    else:
        rows = [d.row for d in done if d.row is not None]
        failed = [shown(d.path) for d in done if d.error is not None]
        sys.stdout.write(files_table(rows, failed, markdown=fmt is Format.MARKDOWN))
    return ExitCode.INPUT if any(d.error is not None for d in done) else ExitCode.OK
