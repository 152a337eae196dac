"""`loglens redact`: a copy of a log that is safe to post."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

import click

from loglens.check import BlockReader, Finding, build_rules
from loglens.cli import app, settings
from loglens.cli.config import CONFIG_NAME, load_config
from loglens.cli.inputs import open_input
from loglens.errors import LoglensError
from loglens.redact import (
    Check,
    LeakFound,
    PlaceholderTable,
    Profile,
    Redaction,
    RedactionReport,
    RedactOptions,
    verify,
)
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


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


@app.command("redact")
@click.argument("path", required=False)
@click.option("-o", "--output", metavar="OUT", help="Write the redacted log to OUT (atomically). Default: stdout.")
@click.option("--in-place", is_flag=True, help="Replace PATH with its redacted copy; the original is kept as PATH.bak.")
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
def redact_command(
    path: str | None,
    output: str | None,
    in_place: bool,
    clipboard: bool,
    profile: str | None,
    keep_claims: bool | None,
    map_file: str | None,
    report_file: str | None,
    also: tuple[str, ...],
    allow: tuple[str, ...],
    config_path: str | None,
) -> None:
    """Write a copy of a log with every secret replaced by a placeholder, ready to attach to a ticket.

    LiveKit tokens, API keys and auth tokens, end-user ids and metadata, e-mail addresses, OS user names in paths,
    IP addresses and what the player typed become `<livekit-token-1>`, `<end-user-id-1>`, ...: the same value is
    the same placeholder everywhere. Every other byte is kept. Before the copy is kept, loglens scans it again
    and deletes it if anything secret is left (exit 1).

    \b
    Example:
      loglens redact Editor.log -o Editor.redacted.log
      loglens redact Player.log --profile public --keep-claims > forum-post.log
    """
    config = load_config(config_path)
    options = RedactOptions(
        profile=Profile(profile or config.profile or Profile.DEFAULT.value),
        keep_claims=bool(keep_claims if keep_claims is not None else config.keep_claims),
        rules=config.rules().merged(build_rules(also=also, allow=allow)),
    )
    target = _target(path, output, in_place, clipboard)
    for extra, what in ((map_file, "--map"), (report_file, "--report")):
        if extra and ((path not in (None, "-") and _same_file(extra, path)) or (target and _same_file(extra, target))):
            raise LoglensError(f"{what} must name a file other than the input and the output")
    with open_input(path, clipboard=clipboard) as (_, stream):
        check: Check
        if target is None:
            run = _to_stdout(stream, options)
            check = "each-block"
        else:
            reopen = path if path not in (None, "-") and not clipboard else None
            run = _to_file(stream, reopen, target, options, backup=in_place)
            check = "after-writing"
    if map_file:
        # ASCII escapes keep undecodable bytes of a value representable (as \udcXX) in valid JSON
        _write_private(map_file, json.dumps(run.table.private_map(), indent=2) + "\n")
        click.echo(
            f"loglens: placeholder map written to {_shown(map_file)}; it holds the secrets, keep it private", err=True
        )
    report = run.report(check)
    if report_file:
        _write_atomic(report_file, (report.model_dump_json(indent=2) + "\n").encode("utf-8"))
    elif not settings().quiet:
        click.echo(f"loglens: {describe(report)}", err=True)


def _target(path: str | None, output: str | None, in_place: bool, clipboard: bool) -> str | None:
    """Where the redacted copy goes (None: stdout), refusing anything that would overwrite the input."""
    if in_place:
        if output:
            raise LoglensError("give either --in-place or -o/--output, not both")
        if path in (None, "-") or clipboard:
            raise LoglensError("--in-place needs a file path to rewrite")
        assert path is not None
        return path
    if output in (None, "-"):
        return None
    assert output is not None
    if path not in (None, "-") and not clipboard and _same_file(path, output):
        raise LoglensError("refusing to overwrite the input with its redacted copy; use --in-place to replace it")
    if Path(output).is_dir():
        raise LoglensError(f"{output} is a directory; give a file name for the redacted copy")
    return output


def _to_stdout(stream: BinaryIO, options: RedactOptions) -> Redaction:
    """Each block is checked before it is written; on a finding the lines before it are written and we stop."""
    run = Redaction(BlockReader(stream), options, check_each_block=True)
    out = sys.stdout.buffer
    terminal = _is_terminal()
    encoding = run.reader.encoding
    for chunk in run:
        if terminal:  # a terminal must not act on escape sequences in the log
            text = chunk.decode(encoding.name, run.reader.errors)
            out.write(printable_lines(text).encode("utf-8", "replace"))
        else:
            out.write(chunk)
    out.flush()
    return run


def _is_terminal() -> bool:
    return sys.stdout.isatty()


def _to_file(stream: BinaryIO, reopen: str | None, target: str, options: RedactOptions, *, backup: bool) -> Redaction:
    """Write to a temporary file beside `target`, scan it, and only then put it in place."""
    handle, temp = _temporary_beside(target)
    try:
        with os.fdopen(handle, "wb") as out:
            run = _write(Redaction(BlockReader(stream), options), out)
        findings = _scan(temp, run.table, options)
        if findings and reopen is not None and any(f.kind.endswith("(fragment)") for f in findings):
            # a value first met late in the log has a piece earlier on: one more pass, knowing every value
            with open(reopen, "rb") as again, open(temp, "wb") as out:
                run = _write(Redaction(BlockReader(again), options, run.table), out)
            findings = _scan(temp, run.table, options)
        if findings:
            raise LeakFound(findings[0], "the output was deleted")
        try:
            _settle(temp, target, backup=backup)
        except OSError as exc:
            raise LoglensError(f"cannot put the redacted copy in place at {_shown(target)}: {exc.strerror}") from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return run


def _temporary_beside(target: str) -> tuple[int, str]:
    """A new file (mode 0600) in the target's folder, so that the final rename is atomic."""
    try:
        return tempfile.mkstemp(dir=Path(target).resolve().parent, prefix=".loglens-", suffix=".tmp")
    except OSError as exc:
        raise LoglensError(f"cannot write next to {_shown(target)}: {exc.strerror or 'unwritable folder'}") from exc


def _write(run: Redaction, out: BinaryIO) -> Redaction:
    for chunk in run:
        out.write(chunk)
    out.flush()
    os.fsync(out.fileno())
    return run


def _scan(temp: str, table: PlaceholderTable, options: RedactOptions) -> list[Finding]:
    with open(temp, "rb") as written:
        return list(verify(written, table, options))


def _settle(temp: str, target: str, *, backup: bool) -> None:
    """Give the new file the mode the old one had (or the usual one), keep a backup if asked, swap it in."""
    if os.path.exists(target):
        os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
    if backup:
        kept = _free_name(target + ".bak")
        try:
            os.link(target, kept)
        except OSError:
            shutil.copy2(target, kept)
        click.echo(f"loglens: the original is kept as {_shown(kept)} (it still holds the secrets)", err=True)
    os.replace(temp, target)


def _free_name(base: str) -> str:
    candidate, n = base, 1
    while os.path.exists(candidate):
        n += 1
        candidate = f"{base}.{n}"
    return candidate


def _write_private(path: str, text: str) -> None:
    """Atomically write a file only its owner can read (mkstemp creates it with mode 0600)."""
    _write_atomic(path, text.encode("utf-8"), mode=0o600)


def _write_atomic(path: str, data: bytes, mode: int | None = None) -> None:
    target = Path(path)
    if target.is_dir():
        raise LoglensError(f"{_shown(path)} is a directory")
    handle, temp = _temporary_beside(path)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise LoglensError(f"cannot write {_shown(path)}: {exc.strerror or 'unwritable'}") from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _shown(name: str) -> str:
    return printable_lines(name)


def describe(report: RedactionReport) -> str:
    """One line for stderr: counts by kind, never a value."""
    if not report.redactions:
        head = f"nothing to redact in {report.lines} lines"
    else:
        kinds = ", ".join(f"{k.kind} {k.occurrences} ({k.distinct} distinct)" for k in report.kinds)
        head = f"redacted {report.redactions} values on {report.lines_changed} of {report.lines} lines: {kinds}"
    checked = {"each-block": "each block checked before writing", "after-writing": "output re-scanned: clean"}
    return f"{head}; {checked.get(report.check, 'not checked')}"
