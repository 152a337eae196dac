"""`loglens redact`: a copy of a log that is safe to post."""

from __future__ import annotations

import codecs
import io
import json
import os
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import click

from loglens.cli import app, settings
from loglens.cli.config import CONFIG_NAME, resolve_config
from loglens.cli.files import FileDestination, Sink, prepare, reopener, same_place, shown, shown_home
from loglens.cli.inplace import Seen, keep_original, lock, unchanged_since
from loglens.cli.inputs import open_input
from loglens.cli.many import JOBS_OPTION, expand, is_redacted_name, several
from loglens.cli.redact_many import redact_files
from loglens.errors import LoglensError
from loglens.redaction.blocks import BlockReader
from loglens.redaction.checked import redact_checked
from loglens.redaction.placeholders import PlaceholderTable
from loglens.redaction.rewrite import Redaction, RedactionReport
from loglens.redaction.rules import Profile, RedactOptions, build_rules
from loglens.text import printable_lines

ALSO_OPTION = click.option(
    "--also",
    multiple=True,
    metavar="PATTERN",
    help="Also treat what this regex matches as secret (a `secret` group narrows it). Repeatable.",
)
ALLOW_OPTION = click.option(
    "--allow", multiple=True, metavar="VALUE", help="Never treat this exact value as secret (a known false positive)."
)
CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    metavar="FILE",
    help=f"Read the [redact] table of this TOML file (default: the nearest {CONFIG_NAME} or pyproject.toml"
    " [tool.loglens], up to the repository root).",
)


@app.command("redact")
@click.argument("paths", nargs=-1, metavar="[PATH...]")
@click.option(
    "-o",
    "--output",
    metavar="OUT",
    help="Write the redacted log to OUT (atomically). Default: stdout. With several files: a folder for the copies.",
)
@click.option(
    "--in-place",
    is_flag=True,
    help="Replace PATH with its redacted copy; the original goes to a private folder outside the project.",
)
@click.option("--no-backup", is_flag=True, help="With --in-place: keep no copy of the original at all.")
@click.option("--clipboard", is_flag=True, help="Read the log from the clipboard.")
@click.option(
    "--profile",
    type=click.Choice([p.value for p in Profile]),
    help="default keeps the ids support needs; public (forums, public trackers) pseudonymises them too.",
)
@click.option(
    "--keep-claims", is_flag=True, default=None, help="Show each token's room, expiry and identity placeholder."
)
@click.option("--map", "map_file", metavar="FILE", help="Write the placeholder -> value map to FILE (mode 0600).")
@click.option("--report", "report_file", metavar="FILE", help="Write the redaction report (counts, JSON) to FILE.")
@ALSO_OPTION
@ALLOW_OPTION
@CONFIG_OPTION
@JOBS_OPTION
@click.pass_context
def redact_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    output: str | None,
    in_place: bool,
    no_backup: bool,
    clipboard: bool,
    profile: str | None,
    keep_claims: bool | None,
    map_file: str | None,
    report_file: str | None,
    also: tuple[str, ...],
    allow: tuple[str, ...],
    config_path: str | None,
    jobs: int,
) -> None:
    """Write a copy of a log with every secret replaced by a placeholder, ready to attach to a ticket.

    LiveKit tokens, API keys and auth tokens, end-user ids and metadata, e-mail addresses, OS user names in paths,
    IP addresses and what the player typed become `<livekit-token-1>`, `<end-user-id-1>`, ...: the same value is
    the same placeholder everywhere. Every other byte is kept. Before the copy is kept, loglens scans it again
    and deletes it if anything secret is left (exit 1). --in-place keeps the original outside the project, in
    $LOGLENS_BACKUP_DIR or ~/.local/state/loglens/backups (mode 0600; the path is printed), so `git add -A`
    cannot commit it. Several paths or globs: each copy is written beside its input as NAME.redacted.log (or
    into the folder -o names), and files already named so are skipped.

    \b
    Example:
      loglens redact Editor.log -o Editor.redacted.log
      loglens redact 'attachments/*.log' -o safe/ --jobs 2
      loglens redact Player.log --profile public --keep-claims > forum-post.log
      loglens redact Logs/Editor.log --in-place
    """
    config, config_name = resolve_config(config_path)
    options = RedactOptions(
        profile=Profile(profile or config.profile or Profile.DEFAULT.value),
        keep_claims=bool(keep_claims if keep_claims is not None else config.keep_claims),
        rules=config.rules().merged(build_rules(also=also, allow=allow)),
    )
    if no_backup and not in_place:
        raise LoglensError("--no-backup goes with --in-place")
    files = expand(paths, skip=is_redacted_name)
    if several(files):
        if clipboard or map_file or report_file:
            raise LoglensError("--clipboard, --map and --report go with one log file")
        quiet = settings().quiet
        ctx.exit(redact_files(files, output, in_place, options, jobs, backup=not no_backup, quiet=quiet))
    path = files[0] if files else None
    redact_one(
        path, output, in_place, clipboard, map_file, report_file, options, backup=not no_backup, config=config_name
    )


def redact_one(
    path: str | None,
    output: str | None,
    in_place: bool,
    clipboard: bool,
    map_file: str | None,
    report_file: str | None,
    options: RedactOptions,
    *,
    backup: bool,
    config: str | None = None,
) -> None:
    """One input to one output, checked fail-closed; the unit a multi-file run repeats for each file. `config`
    names the config file applied, for the report."""
    plan = _plan(path, output, in_place, clipboard, map_file, report_file)
    try:
        report = _run(plan, options, clipboard, backup=backup)
        if plan.map is not None:
            # ASCII escapes keep undecodable bytes of a value representable (as \udcXX) in valid JSON
            put(plan.map, json.dumps(report[1].private_map(), indent=2) + "\n")
            click.echo(f"loglens: placeholder map written to {shown(plan.map.name)}; it holds the secrets", err=True)
        if plan.report is not None:
            # the config applied is part of what happened: a config can add patterns or let values through
            put(plan.report, json.dumps({**report[0].model_dump(mode="json"), "config": config}, indent=2) + "\n")
        else:
            if not settings().quiet:
                click.echo(f"loglens: {describe(report[0])}", err=True)
    finally:
        plan.discard()


@dataclass
class Plan:
    """Every path of one `redact` run, checked and opened before the input is read."""

    source: str | None  # the file to read (None: stdin or the clipboard)
    given: str | None  # the input as given (None or `-`: stdin)
    out: Sink | None  # None: stdout
    map: Sink | None
    report: Sink | None
    in_place: bool

    def sinks(self) -> list[Sink]:
        return [s for s in (self.out, self.map, self.report) if s is not None]

    def discard(self) -> None:
        for sink in self.sinks():
            sink.discard()


def _plan(
    path: str | None, output: str | None, in_place: bool, clipboard: bool, map_file: str | None, report_file: str | None
) -> Plan:
    source = _source(path, in_place, clipboard)
    plan = Plan(source, path, None, None, None, in_place)
    try:
        plan.out = _output(source, output, in_place)
        plan.map = prepare(map_file, mode=0o600) if map_file else None
        plan.report = prepare(report_file) if report_file else None
        _all_distinct(plan)
    except BaseException:
        plan.discard()
        raise
    return plan


def _source(path: str | None, in_place: bool, clipboard: bool) -> str | None:
    """The file to read; with --in-place, the file a symbolic link points to (and say so)."""
    if clipboard and path not in (None, "-"):
        raise LoglensError("give either a path or --clipboard, not both")
    if path in (None, "-") or clipboard:
        if in_place:
            raise LoglensError("--in-place needs a file path to rewrite")
        return None
    assert path is not None
    if not in_place:
        return path
    real = os.path.realpath(path)
    if not os.path.isfile(real):
        if not os.path.exists(real):
            raise LoglensError(f"no such file: {path}")
        raise LoglensError(f"--in-place rewrites regular files only, and {path} is not one")
    if os.path.islink(path):
        click.echo(f"loglens: {shown(path)} is a symbolic link: redacting its target, {shown(real)}", err=True)
    return real


def _output(source: str | None, output: str | None, in_place: bool) -> Sink | None:
    if in_place:
        if output:
            raise LoglensError("give either --in-place or -o/--output, not both")
        assert source is not None
        return prepare(source)
    return None if output in (None, "-") else prepare(str(output))


def _all_distinct(plan: Plan) -> None:
    """No two outputs may be one file, and none may be the input (the map inside the output would leak it)."""
    named = [("the output", plan.out), ("--map", plan.map), ("--report", plan.report)]
    if plan.out is None:
        named[0] = ("the output", _stdout_sink())
    if plan.source is not None and not plan.in_place:
        info = os.stat(plan.source) if os.path.exists(plan.source) else None
        for what, sink in named:
            if sink is not None and info is not None and sink.identity == (info.st_dev, info.st_ino):
                if what == "the output":
                    raise LoglensError("refusing to overwrite the input with its redacted copy; use --in-place")
                raise LoglensError(f"{what} must name a file other than the input")
    present = [(what, sink) for what, sink in named if sink is not None]
    for index, (what, sink) in enumerate(present):
        for other, second in present[index + 1 :]:
            if same_place(sink, second):
                raise LoglensError(f"{what} and {other} name the same file; give each its own")


def _stdout_sink() -> Sink | None:
    try:
        info = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    return Sink("<stdout>", "<stdout>", (info.st_dev, info.st_ino))


def _run(
    plan: Plan, options: RedactOptions, clipboard: bool, *, backup: bool
) -> tuple[RedactionReport, PlaceholderTable]:
    """Redact the input into the output; with --in-place, keep the original and swap the file."""
    with open_input(plan.source or plan.given, clipboard=clipboard, progress=True) as (name, stream):
        seen = lock(stream, name) if plan.in_place else None
        out = plan.out
        if out is None or not out.replaces:
            with out.stream() if out else nullcontext(sys.stdout.buffer) as sink:
                run = _to_stream(stream, options, sink)
            report = run.report("each-block")
            if out is not None:
                out.commit()
            return report, run.table
        run = _to_file(stream, plan.source, out, options)
        report = run.report("after-writing")
        if seen is not None:
            _swap(out, stream, seen, report, backup=backup)
        else:
            out.commit()
        return report, run.table


def _to_stream(stream: BinaryIO, options: RedactOptions, out: BinaryIO) -> Redaction:
    """Each block is checked before it is written; on a finding the lines before it are written and we stop.

    Through a pipe or into a file the bytes go out in each run's own encoding; a terminal is shown text, every run
    decoded, in the terminal's encoding, with nothing in it that a terminal would act on.
    """
    terminal = out.isatty()
    run = Redaction(BlockReader(stream), options, check_each_block=True, text=terminal)
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    shown = getattr(sys.stdout, "encoding", None) or "utf-8"
    for chunk in run:
        if terminal:
            out.write(printable_lines(decoder.decode(chunk)).encode(shown, "replace"))
        else:
            out.write(chunk)
    out.flush()
    return run


def _to_file(stream: BinaryIO, reopen: str | None, out: Sink, options: RedactOptions) -> Redaction:
    """Write the temporary file beside the target and scan it; the caller puts it in place."""
    assert out.temp is not None
    return redact_checked(
        stream, FileDestination(out.temp), options, reopen=reopener(reopen), what_happened="the output was deleted"
    )


def _swap(out: Sink, stream: BinaryIO, seen: Seen, report: RedactionReport, *, backup: bool) -> None:
    """--in-place: nothing changed, nothing to do; else keep the original privately and put the copy in place."""
    if not report.redactions:
        click.echo(f"loglens: {shown(out.name)} holds nothing to redact; it was left as it was", err=True)
        return
    unchanged_since(seen, out.target, out.name)
    others = os.fstat(stream.fileno()).st_nlink - 1  # hard links: names the rename leaves on the original
    kept = keep_original(stream, out.name) if backup else None
    try:
        out.commit()
    except BaseException:
        if kept:
            Path(kept).unlink(missing_ok=True)
        raise
    if others > 0:
        click.echo(
            f"loglens: {shown(out.name)} has {others} more hard link{'s' * (others > 1)}: only this name was replaced,"
            " and the other names still hold the original, secrets and all",
            err=True,
        )
    if kept:
        click.echo(f"loglens: the original (with its secrets) is kept at {shown_home(kept)}, mode 0600", err=True)
    else:
        click.echo("loglens: no copy of the original was kept (--no-backup)", err=True)


def put(sink: Sink, text: str) -> None:
    """Write a whole small text to a prepared sink and put it in place."""
    with sink.stream() as out:
        out.write(text.encode("utf-8"))
    sink.commit()


def write_file(path: str, text: str, *, mode: int | None = None) -> None:
    """Write a whole small file (a map, a report, a baseline) with the same checks as every other output."""
    sink = prepare(path, mode=mode)
    try:
        put(sink, text)
    finally:
        sink.discard()


def _write_private(path: str, text: str) -> None:
    """Write a file only its owner can read (mode 0600)."""
    write_file(path, text, mode=0o600)


def describe(report: RedactionReport) -> str:
    """One line for stderr: counts by kind, never a value."""
    if not report.redactions:
        head = f"nothing to redact in {report.lines} lines"
    else:
        kinds = ", ".join(f"{k.kind} {k.occurrences} ({k.distinct} distinct)" for k in report.kinds)
        head = f"redacted {report.redactions} values on {report.lines_changed} of {report.lines} lines: {kinds}"
    checked = {"each-block": "each block checked before writing", "after-writing": "output re-scanned: clean"}
    return f"{head}; {checked.get(report.check, 'not checked')}"
