"""`loglens redact` over several files: each copy beside its input (or in one folder), each checked on its own."""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass

import click

from loglens.cli.files import shown
from loglens.cli.many import redacted_name, run_each
from loglens.errors import ExitCode, LoglensError
from loglens.redaction.rules import RedactOptions


@dataclass(frozen=True, slots=True)
class Job:
    path: str
    output: str | None  # None: --in-place
    options: RedactOptions
    backup: bool


@dataclass(frozen=True, slots=True)
class Done:
    path: str
    said: tuple[str, ...]  # what the single-file run wrote on stderr, without its `loglens: ` prefix
    code: ExitCode = ExitCode.OK


def redact_job(job: Job) -> Done:
    """One file, as `loglens redact PATH -o OUT` does it (in a worker process with --jobs); never raises."""
    from loglens.cli.redact import redact_one

    said = io.StringIO()
    code = ExitCode.OK
    with contextlib.redirect_stderr(said):
        try:
            redact_one(job.path, job.output, job.output is None, False, None, None, job.options, backup=job.backup)
        except LoglensError as exc:
            click.echo(f"loglens: error: {exc.message}", err=True)
            code = ExitCode(exc.code)
    lines = tuple(line.removeprefix("loglens: ") for line in said.getvalue().splitlines())
    return Done(job.path, lines, code)


def outputs(files: list[str], folder: str | None, in_place: bool) -> list[str | None]:
    """Where each copy goes: beside its input, or into `folder`; two inputs may not share one output."""
    if in_place:
        if folder:
            raise LoglensError("give either --in-place or -o/--output, not both")
        return [None] * len(files)
    if folder is not None:
        if os.path.exists(folder) and not os.path.isdir(folder):
            raise LoglensError(f"with several files, -o names a folder, and {shown(folder)} is a file")
        os.makedirs(folder, exist_ok=True)
    named = [os.path.join(folder, os.path.basename(redacted_name(f))) if folder else redacted_name(f) for f in files]
    taken: dict[str, str] = {}
    for source, target in zip(files, named, strict=True):
        if os.path.normpath(target) in taken:
            raise LoglensError(
                f"{shown(taken[os.path.normpath(target)])} and {shown(source)} would both be written to {shown(target)}"
            )
        taken[os.path.normpath(target)] = source
    return list(named)


def redact_files(
    files: list[str],
    folder: str | None,
    in_place: bool,
    options: RedactOptions,
    jobs: int,
    *,
    backup: bool,
    quiet: bool,
) -> ExitCode:
    """Every file, in the order given; one that fails says so in one line, and the others still run."""
    jobs_list = [Job(f, out, options, backup) for f, out in zip(files, outputs(files, folder, in_place), strict=True)]
    worst = ExitCode.OK
    for done in run_each(redact_job, jobs_list, jobs):
        for line in done.said:
            error = line.startswith("error: ")
            # --quiet drops the counts, as for one file; where a backup went is always said
            if not quiet or not line.startswith(("redacted ", "nothing to redact")):
                what = line.removeprefix("error: ")
                click.echo(f"loglens: {'error: ' * error}{shown(done.path)}: {what}", err=True)
        if done.code == ExitCode.INPUT or (done.code != ExitCode.OK and worst == ExitCode.OK):
            worst = done.code
    return worst
