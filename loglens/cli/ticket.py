"""`loglens ticket`: from a broken session to a folder (or archive) a support engineer can read in a minute.

The bundle is built in a temporary folder beside its target and moved into place only after every file in it
passed the `check` gate: a refusal leaves nothing behind, not even half a bundle.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import click

from loglens.cli import app, clipboard
from loglens.cli.config import load_config
from loglens.cli.files import FileDestination, reopener, shown
from loglens.cli.inputs import open_input
from loglens.cli.redact import CONFIG_OPTION
from loglens.cli.redact import _write_private as write_private
from loglens.environment import EnvironmentReader, tee
from loglens.errors import ExitCode, LoglensError
from loglens.redaction.checked import redact_checked
from loglens.redaction.placeholders import PlaceholderTable
from loglens.redaction.rewrite import Redaction
from loglens.redaction.rules import Profile, RedactOptions
from loglens.render.jsonout import report_json
from loglens.render.ticket import to_markdown
from loglens.report import analyze
from loglens.sources import LineReader
from loglens.ticket import FINDINGS, REDACTED_LOG, SUMMARY, TicketSummary, check_bundle, summarize

TEMP_PREFIX = ".loglens-ticket-"


@dataclass(frozen=True, slots=True)
class Names:
    log: str
    findings: str


def names_for(index: int, count: int) -> Names:
    """One log: the names the README promises; several: numbered, in the order given."""
    if count == 1:
        return Names(REDACTED_LOG, FINDINGS)
    return Names(f"redacted-{index}.log", f"findings-{index}.json")


@app.command("ticket")
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", "out_dir", metavar="DIR", help="The bundle's folder (must not exist yet).")
@click.option("--zip", "make_zip", is_flag=True, help="Also write the bundle as one archive, DIR.zip.")
@click.option(
    "--profile",
    type=click.Choice([p.value for p in Profile]),
    help="default keeps the ids support needs; public (forums, public trackers) pseudonymises them too.",
)
@click.option("--copy", is_flag=True, help="Put summary.md on the clipboard, ready to paste into a post.")
@click.option("--map", "map_file", metavar="FILE", help="Write the placeholder -> value map to FILE (mode 0600).")
@CONFIG_OPTION
def ticket_command(
    paths: tuple[str, ...],
    out_dir: str | None,
    make_zip: bool,
    profile: str | None,
    copy: bool,
    map_file: str | None,
    config_path: str | None,
) -> None:
    """Write a support bundle: the redacted log, summary.md and findings.json, each checked for secrets.

    PATH is one or more logs (`-` or nothing reads stdin). The bundle goes to a new loglens-ticket-<time>
    folder in the current directory unless -o names one. If any file of it would still hold a secret, nothing
    is written and the exit code is 1.

    \b
    Example:
      loglens ticket Editor.log --zip
      loglens ticket Player.log --profile public --copy
    """
    config = load_config(config_path)
    options = RedactOptions(
        profile=Profile(profile or config.profile or Profile.DEFAULT.value),
        keep_claims=bool(config.keep_claims),
        rules=config.rules(),
    )
    if not paths and sys.stdin.isatty():
        raise LoglensError("no input: give one or more log file paths, or pipe a log in with '-'")
    inputs = paths or ("-",)
    if "-" in inputs and len(inputs) > 1:
        raise LoglensError("read either stdin ('-') or files, not both")
    target = _target(out_dir, make_zip)
    _check_map(map_file, inputs, target)
    table, summaries = _build(inputs, target, options, make_zip)
    if map_file:
        write_private(map_file, _map_json(table))
    _tell(target, make_zip, inputs, map_file)
    if copy:
        _copy(summary_text(summaries))


# --- where the bundle goes -----------------------------------------------------------------------------------------


def _target(out_dir: str | None, make_zip: bool) -> Path:
    if out_dir:
        target = Path(out_dir)
        if target.exists():
            raise LoglensError(f"{shown(out_dir)} already exists; give a new folder name for the bundle")
        if make_zip and target.with_name(target.name + ".zip").exists():
            raise LoglensError(f"{shown(out_dir)}.zip already exists; give a new folder name for the bundle")
        if not target.parent.is_dir():
            raise LoglensError(f"no such folder: {shown(str(target.parent))}")
        return target
    base = f"loglens-ticket-{datetime.now():%Y%m%d-%H%M%S}"
    target, n = Path(base), 1
    while target.exists() or target.with_name(target.name + ".zip").exists():
        n += 1
        target = Path(f"{base}-{n}")
    return target


def _check_map(map_file: str | None, inputs: tuple[str, ...], target: Path) -> None:
    """The map holds every secret: it must never land inside the bundle, nor replace a log."""
    if not map_file:
        return
    where = Path(map_file).resolve()
    bundle = target.resolve()
    if where == bundle or bundle in where.parents or where == bundle.with_name(bundle.name + ".zip"):
        raise LoglensError("--map must name a file outside the bundle: the map holds the secrets")
    if any(p != "-" and Path(p).resolve() == where for p in inputs):
        raise LoglensError("--map must name a file other than the input")


# --- building it -----------------------------------------------------------------------------------------------------


def _build(
    inputs: tuple[str, ...], target: Path, options: RedactOptions, make_zip: bool
) -> tuple[PlaceholderTable, list[TicketSummary]]:
    """Everything happens in a temporary folder beside `target`; only a clean bundle is moved into place."""
    parent = target.resolve().parent
    try:
        temp = Path(tempfile.mkdtemp(dir=parent, prefix=TEMP_PREFIX))
    except OSError as exc:
        raise LoglensError(f"cannot write in {shown(str(parent))}: {exc.strerror or 'unwritable folder'}") from exc
    archive: Path | None = None
    try:
        table = PlaceholderTable()
        summaries = [_one(path, temp, names_for(i, len(inputs)), options, table) for i, path in enumerate(inputs, 1)]
        (temp / SUMMARY).write_bytes(summary_text(summaries).encode("utf-8"))
        _refuse_leftovers(temp, options)
        if make_zip:
            archive = _zip(temp, target.name, parent)
        _settle(temp, target, archive)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        if archive is not None:
            archive.unlink(missing_ok=True)
        raise
    return table, summaries


def summary_text(summaries: list[TicketSummary]) -> str:
    """summary.md: one part per log, in the order given."""
    return "\n---\n\n".join(to_markdown(s) for s in summaries)


def _one(path: str, temp: Path, names: Names, options: RedactOptions, table: PlaceholderTable) -> TicketSummary:
    out = temp / names.log
    with open_input(path, progress=True) as (name, stream):
        reopen = path if path != "-" else None
        run = _redact_into(stream, reopen, out, options, table)
    env = EnvironmentReader()
    with out.open("rb") as written:
        # a path can hold the OS user name: the bundle names a log by its file name only
        report = analyze(tee(LineReader(written), env), source=Path(name).name, collapse=False)
    (temp / names.findings).write_bytes(report_json(report).encode("utf-8"))
    return summarize(report, env.result(), run.report("after-writing"))


def _redact_into(
    stream: BinaryIO, reopen: str | None, out: Path, options: RedactOptions, table: PlaceholderTable
) -> Redaction:
    """`redact -o`'s fail-closed pass, into the bundle's temporary folder."""
    destination = FileDestination(str(out))
    return redact_checked(
        stream, destination, options, reopen=reopener(reopen), table=table, what_happened="nothing was written"
    )


def _refuse_leftovers(temp: Path, options: RedactOptions) -> None:
    """The `check` gate over every file of the bundle, with the user's rules; any finding refuses the bundle."""
    with ExitStack() as stack:
        files = [(p.name, stack.enter_context(p.open("rb"))) for p in sorted(temp.iterdir())]
        leftovers = check_bundle(files, options.rules)
    if leftovers:
        first = leftovers[0]
        raise LoglensError(
            f"refusing to write the ticket: {first.file} line {first.line} would still hold a {first.kind} "
            f"({len(leftovers)} finding{'s' * (len(leftovers) != 1)} in all); nothing was written",
            ExitCode.FINDINGS,
        )


def _zip(temp: Path, name: str, parent: Path) -> Path:
    handle, raw = tempfile.mkstemp(dir=parent, prefix=TEMP_PREFIX, suffix=".zip")
    archive = Path(raw)
    with os.fdopen(handle, "wb") as sink, zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(temp.iterdir()):
            bundle.write(path, f"{name}/{path.name}")
    os.chmod(archive, 0o666 & ~_umask())
    return archive


def _settle(temp: Path, target: Path, archive: Path | None) -> None:
    """Put the archive and the folder in place without replacing anything that appeared meanwhile."""
    final_zip = target.with_name(target.name + ".zip")
    try:
        if archive is not None:
            os.link(archive, final_zip)  # fails rather than replace an existing file
            archive.unlink()
        if target.exists():
            raise FileExistsError(17, "exists")
        temp.rename(target)
        os.chmod(target, 0o777 & ~_umask())
    except OSError as exc:
        if archive is not None and not archive.exists():
            final_zip.unlink(missing_ok=True)
        raise LoglensError(f"cannot put the bundle in place at {shown(str(target))}: {exc.strerror}") from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _map_json(table: PlaceholderTable) -> str:
    return json.dumps(table.private_map(), indent=2) + "\n"


# --- telling the user -------------------------------------------------------------------------------------------------


def _tell(target: Path, make_zip: bool, inputs: tuple[str, ...], map_file: str | None) -> None:
    click.echo(f"Ticket bundle written to {shown(str(target))}{os.sep}")
    click.echo("Attach (every file passed `loglens check`):")
    if make_zip:
        click.echo(f"  {shown(str(target))}.zip  (the whole bundle)")
    for path in sorted(target.iterdir()):
        note = "  (paste it as the post's text)" if path.name == SUMMARY else ""
        click.echo(f"  {shown(str(path))}{note}")
    click.echo("Keep private (they hold the secrets):")
    for item in inputs:
        click.echo(f"  {'the log read from stdin' if item == '-' else shown(item)}  (the original log)")
    if map_file:
        click.echo(f"  {shown(map_file)}  (the placeholder map: which placeholder stands for which value)")


def _copy(text: str) -> None:
    try:
        clipboard.copy(text)
    except clipboard.ClipboardError as exc:
        click.echo(f"loglens: summary.md was not copied: {shown(str(exc))}; open summary.md instead", err=True)
        return
    click.echo("loglens: summary.md is on the clipboard", err=True)
