"""`loglens check`: the gate for CI and pre-commit that proves a log holds no secret.

Findings go to stdout (one `file:line:kind` line each, or JSON, or SARIF for code scanning); counts, the config
applied and what to do next go to stderr. The exit status depends only on what was found, never on whether the
reader of stdout (`| head -1`) stayed to the end.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import click

from loglens.cli import app, settings
from loglens.cli.config import resolve_config
from loglens.cli.files import Sink, prepare, shown
from loglens.cli.formats import format_option
from loglens.cli.inputs import open_input
from loglens.cli.many import JOBS_OPTION, expand, run_each
from loglens.cli.redact import ALLOW_OPTION, ALSO_OPTION, CONFIG_OPTION, put
from loglens.cli.sarif import to_sarif
from loglens.errors import ExitCode, LoglensError
from loglens.redaction.fingerprints import Fingerprints, frame_of
from loglens.redaction.rules import Rules, build_rules
from loglens.redaction.verify import Finding, check_stream
from loglens.render import Format
from loglens.text import printable

BASELINE_VERSION = 4  # 1 kept a fast hash of each line; 2 a scrypt of each value with one salt for every frame;
# 3 a scrypt salted with each frame (one per finding: minutes on a long log); 4 a scrypt salted with the kind
MAX_BASELINE = 256 * 1024 * 1024  # a larger file is not a baseline that --write-baseline may replace


@dataclass
class Outcome:
    """What one run of `check` found, file by file, before anything is printed."""

    findings: list[tuple[str, Finding]] = field(default_factory=list)
    files: dict[str, int | None] = field(default_factory=dict)  # None: the file could not be read
    allowed_inline: int = 0
    allowed_baseline: int = 0
    mark_refused: int = 0  # findings on a line that says `loglens: allow` which the mark may not excuse

    @property
    def unusable(self) -> bool:
        return any(count is None for count in self.files.values())

    def status(self) -> ExitCode:
        return ExitCode.INPUT if self.unusable else ExitCode.FINDINGS if self.findings else ExitCode.OK


# findings written to stdout at once: a write and a flush for each one took a tenth of a dense log's check
WRITE_LINES = 1024


class Stdout:
    """Writes to stdout until its reader goes away, then stays quiet: the scan and its exit status go on."""

    def __init__(self) -> None:
        self.closed = False

    def write(self, text: str) -> None:
        if self.closed:
            return
        try:
            click.echo(text, nl=False)
            sys.stdout.flush()
        except BrokenPipeError:
            self.closed = True
            # point fd 1 at the null device so the interpreter's final flush cannot fail again
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)


@app.command("check")
@click.argument("paths", nargs=-1, required=True)
@format_option(Format.TEXT, Format.JSON, Format.SARIF, help="sarif for code scanning.")
@click.option("--baseline", metavar="FILE", help="Accept the findings listed in FILE (known false positives).")
@click.option("--write-baseline", metavar="FILE", help="Write today's findings to FILE as a baseline and exit 0.")
@click.option("-v", "--verbose", is_flag=True, help="Also say which files are clean.")
@click.option("-q", "--quiet", is_flag=True, help="Only the findings: no counts or advice on stderr.")
@ALSO_OPTION
@ALLOW_OPTION
@CONFIG_OPTION
@JOBS_OPTION
@click.pass_context
def check_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    baseline: str | None,
    write_baseline: str | None,
    verbose: bool,
    quiet: bool,
    also: tuple[str, ...],
    allow: tuple[str, ...],
    config_path: str | None,
    jobs: int,
) -> None:
    """Fail (exit 1) when a log still holds a secret; list file:line:kind for each, never the value.

    Exit 0 when every file is clean, 2 when a file cannot be read (the others are still checked). Globs are
    expanded by loglens too (for shells that pass them through); --jobs checks that many files at once.
    Meant for CI and pre-commit. A line that ends in `# loglens: allow` is not reported, except for tokens,
    keys, secrets and player text (a mark in the log never excuses those), nor is a finding listed in
    --baseline (fingerprints, never values).

    \b
    Example:
      loglens check Editor.redacted.log
      loglens check logs/*.log --format sarif > loglens.sarif
    """
    quiet, verbose = quiet or settings().quiet, (verbose or settings().verbose) and not quiet
    config, config_name = resolve_config(config_path, quiet=quiet)
    rules = config.rules().merged(build_rules(also=also, allow=allow))
    accepted = _read_baseline(baseline) if baseline else frozenset()
    files = expand(paths)
    # ids cost about 10 ms per distinct short value: worked out only where they are shown or written, and for
    # --baseline alone only on findings whose frame (the first half) the baseline lists
    prints = (
        Fingerprints()
        if write_baseline or fmt != "text"
        else Fingerprints(frozenset(map(frame_of, accepted)))
        if accepted
        else None
    )
    if write_baseline:
        sink = _baseline_sink(write_baseline, files)  # refused before any work, never one of the logs
        try:
            outcome = _check_all(files, rules, accepted, prints, quiet=quiet, verbose=verbose, jobs=jobs)
            _write_baseline(sink, outcome)
        finally:
            sink.discard()
        ctx.exit(ExitCode.INPUT if outcome.unusable else ExitCode.OK)
    outcome = _check_all(files, rules, accepted, prints, quiet=quiet, verbose=verbose, jobs=jobs)
    _write_findings(outcome, fmt, config_name)
    if not quiet:
        for line in _summary(outcome):
            click.echo(f"loglens: {line}", err=True)
    ctx.exit(outcome.status())


def _write_findings(outcome: Outcome, fmt: str, config_name: str | None) -> None:
    """The findings on stdout, in the format asked for: a `file:line:kind` line each, JSON or SARIF."""
    out = Stdout()
    if fmt == "text":
        names: dict[str, str] = {}  # each file's name masked once, not once per finding
        lines: list[str] = []
        for name, finding in outcome.findings:
            if name not in names:
                names[name] = shown(name)
            lines.append(f"{names[name]}:{finding.line}:{finding.label}\n")
            if len(lines) == WRITE_LINES:
                out.write("".join(lines))
                lines.clear()
        if lines:
            out.write("".join(lines))
    elif fmt == "json":
        out.write(json.dumps(_as_json(outcome, config_name), indent=2) + "\n")
    else:
        out.write(json.dumps(to_sarif(outcome.findings), indent=2) + "\n")


def _check_all(
    files: list[str],
    rules: Rules,
    accepted: frozenset[str],
    prints: Fingerprints | None,
    *,
    quiet: bool,
    verbose: bool,
    jobs: int = 1,
) -> Outcome:
    outcome = Outcome()
    scan = functools.partial(scan_file, rules=rules, progress=jobs == 1 and not quiet, prints=prints)
    for path, result in zip(
        files,
        run_each(scan, files, jobs),
        strict=True,
    ):
        if isinstance(result, str):
            click.echo(f"loglens: error: {shown(path)}: {shown(result)}", err=True)
            outcome.files[path] = None
            continue
        name, found = result
        kept = []
        for finding in found:
            outcome.mark_refused += finding.mark_refused and finding.fingerprint not in accepted
            if finding.marked:
                outcome.allowed_inline += 1
            elif finding.fingerprint in accepted:
                outcome.allowed_baseline += 1
            else:
                kept.append((name, finding))
        outcome.findings += kept
        outcome.files[name] = len(kept)
        if verbose and not quiet:
            state = "clean" if not kept else plural(len(kept), "secret")
            click.echo(f"loglens: {shown(name)}: {state}", err=True)
    return outcome


def scan_file(
    path: str, rules: Rules, progress: bool = False, prints: Fingerprints | None = None
) -> tuple[str, list[Finding]] | str:
    """One file's findings under its display name, or the one-line reason it could not be read (--jobs: in a worker)."""
    try:
        with open_input(path, progress=progress) as (name, stream):
            return name, list(check_stream(stream, rules, prints))
    except LoglensError as exc:
        return exc.message


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _summary(outcome: Outcome) -> list[str]:
    """Counts by kind after the list, then (once) what to run; allowed findings are counted, never hidden."""
    lines = []
    allowed = outcome.allowed_inline + outcome.allowed_baseline
    if allowed:
        how = [f"{outcome.allowed_inline} by `loglens: allow`"] * bool(outcome.allowed_inline)
        how += [f"{outcome.allowed_baseline} by the baseline"] * bool(outcome.allowed_baseline)
        lines.append(f"{plural(allowed, 'finding')} allowed ({', '.join(how)})")
    if outcome.mark_refused:
        lines.append(
            f"{plural(outcome.mark_refused, 'finding')} on a line marked `loglens: allow` still reported: the mark"
            " never excuses a token, key, secret or player text, nor counts inside a value; accept known ones"
            " with --baseline"
        )
    if not outcome.findings:
        return lines
    kinds = Counter(f.kind for _, f in outcome.findings)
    dirty = sum(1 for count in outcome.files.values() if count)
    by_kind = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    where = "1 file" if len(outcome.files) == 1 else f"{dirty} of {len(outcome.files)} files"
    lines.append(f"{plural(len(outcome.findings), 'secret')} in {where}: {by_kind}")
    lines.append(_fix_advice([name for name, count in outcome.files.items() if count]))
    return lines


def _fix_advice(dirty: list[str]) -> str:
    """One sentence, once: the command that fixes it, with the file's own name when there is only one."""
    one = len(dirty) == 1 and not dirty[0].startswith("<") and shown(dirty[0]) == printable(dirty[0])
    target = shown(dirty[0]) if one else "FILE"  # a name that had to be masked would not run as given
    each = "" if target != "FILE" else " on each file listed"
    return (
        f"to fix: run `loglens redact {target} --in-place`{each} (or `loglens redact {target} -o SAFE.log` to keep"
        " the original), then add the redacted file again"
    )


def _as_json(outcome: Outcome, config_name: str | None) -> dict[str, object]:
    from loglens.masking import mask_name  # file names masked as everywhere else, JSON escapes the rest

    kinds = Counter(f.kind for _, f in outcome.findings)
    return {
        "version": 1,
        "config": config_name,
        "findings": [
            {"file": mask_name(name), "line": f.line, "kind": f.label, "fingerprint": f.fingerprint}
            for name, f in outcome.findings
        ],
        "files": [
            {
                "file": mask_name(name),
                "status": "unreadable" if n is None else "clean" if n == 0 else "findings",
                "findings": n,
            }
            for name, n in outcome.files.items()
        ],
        "summary": {
            "findings": len(outcome.findings),
            "by_kind": dict(sorted(kinds.items())),
            "allowed_inline": outcome.allowed_inline,
            "allowed_baseline": outcome.allowed_baseline,
        },
    }


def _read_baseline(path: str) -> frozenset[str]:
    try:
        data = _baseline_data(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LoglensError(f"no such baseline file: {shown(path)}") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise LoglensError(f"{shown(path)} is not a loglens baseline (JSON from --write-baseline)") from exc
    if data is not None and 0 < data[0] < BASELINE_VERSION:
        raise LoglensError(f"{shown(path)} is a baseline of an older loglens: write it again with --write-baseline")
    if data is None or data[0] != BASELINE_VERSION:
        raise LoglensError(f"{shown(path)} is not a loglens baseline (JSON from --write-baseline)")
    entries = data[1]
    return frozenset(str(e["fingerprint"]) for e in entries if isinstance(e, dict) and "fingerprint" in e)


def _baseline_data(text: str) -> tuple[int, list[object]] | None:
    """The version and the findings of a baseline of any version, or None for other JSON."""
    data = json.loads(text)
    if not isinstance(data, dict):
        return None
    version, entries = data.get("version"), data.get("findings")
    return (version, entries) if isinstance(version, int) and isinstance(entries, list) else None


def _baseline_sink(path: str, files: Iterable[str]) -> Sink:
    """Where --write-baseline writes (atomically), checked before the scan: never one of the logs checked, and
    never an existing file that is not a baseline already (`--write-baseline a.log b.log` reads b.log only)."""
    sink = prepare(path)
    try:
        for each in files:
            try:
                info = os.stat(each)
            except OSError:
                continue
            if sink.identity == (info.st_dev, info.st_ino):
                raise LoglensError("--write-baseline must name a file other than the logs checked")
        if sink.replaces and sink.identity is not None and not _is_baseline(sink.target):
            raise LoglensError(
                f"{shown(path)} exists and is not a loglens baseline; refusing to replace it (give a new file name)"
            )
    except BaseException:
        sink.discard()
        raise
    return sink


def _is_baseline(path: str) -> bool:
    try:
        size = os.path.getsize(path)
        if size == 0 or size > MAX_BASELINE:
            return size == 0  # an empty file holds nothing to lose
        return _baseline_data(Path(path).read_text(encoding="utf-8")) is not None
    except (OSError, UnicodeDecodeError, ValueError):
        return False


def _write_baseline(sink: Sink, outcome: Outcome) -> None:
    from loglens.masking import mask_name  # file names masked as in every other output; matching uses fingerprints

    entries = [
        {"file": mask_name(name), "line": f.line, "kind": f.label, "fingerprint": f.fingerprint}
        for name, f in outcome.findings
    ]
    payload = {"version": BASELINE_VERSION, "findings": entries}
    put(sink, json.dumps(payload, indent=2) + "\n")
    click.echo(f"loglens: {plural(len(entries), 'finding')} written to the baseline {shown(sink.name)}", err=True)
