"""`loglens check`: the gate for CI and pre-commit that proves a log holds no secret."""

from __future__ import annotations

from collections.abc import Iterable

import click

from loglens.check import Rules, build_rules, check_stream
from loglens.cli import app
from loglens.cli.inputs import open_input
from loglens.cli.redact import ALLOW_OPTION, ALSO_OPTION, CONFIG_OPTION, load_config
from loglens.errors import ExitCode, LoglensError
from loglens.text import printable_lines


def _shown(name: str) -> str:
    return printable_lines(name)


@app.command("check")
@click.argument("paths", nargs=-1, required=True)
@ALSO_OPTION
@ALLOW_OPTION
@CONFIG_OPTION
@click.pass_context
def check_command(
    ctx: click.Context, paths: tuple[str, ...], also: tuple[str, ...], allow: tuple[str, ...], config_path: str | None
) -> None:
    """Fail (exit 1) when a log still holds a secret; list file:line:kind for each, never the value.

    Exit 0 when every file is clean, 2 when a file cannot be read. Meant for CI and pre-commit.

    \b
    Example:
      loglens check Editor.redacted.log
      loglens check logs/*.log
    """
    rules = load_config(config_path).rules().merged(build_rules(also=also, allow=allow))
    found, dirty, unusable = _check_all(paths, rules)
    if found:
        click.echo(f"loglens: {found} secret{'s' * (found != 1)} in {dirty} of {len(paths)} files", err=True)
    ctx.exit(ExitCode.INPUT if unusable else ExitCode.FINDINGS if found else ExitCode.OK)


def _check_all(paths: Iterable[str], rules: Rules) -> tuple[int, int, bool]:
    found = dirty = 0
    unusable = False
    for path in paths:
        try:
            with open_input(path) as (name, stream):
                count = 0
                for finding in check_stream(stream, rules):
                    click.echo(f"{_shown(name)}:{finding.line}:{finding.kind}")
                    count += 1
        except LoglensError as exc:
            click.echo(f"loglens: error: {_shown(path)}: {exc.message}", err=True)
            unusable = True
            continue
        found += count
        dirty += bool(count)
    return found, dirty, unusable
