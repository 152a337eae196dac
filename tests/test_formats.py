"""`--format` is one option over one `Format` enum: every command spells a format the same way and hands its
code a `Format` member, and a format a command does not write is a usage error."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from loglens.cli import COMMANDS, app
from loglens.errors import ExitCode
from loglens.render import Format


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_format_choice_is_a_format_member(name: str) -> None:
    importlib.import_module(COMMANDS[name].module)
    command = app.commands[name]
    for param in command.params:
        if param.name != "fmt":
            continue
        assert isinstance(param.type, click.Choice)
        assert param.callback is not None
        for choice in param.type.choices:
            assert param.callback(click.Context(command), param, choice) is Format(choice)


@pytest.mark.parametrize(
    ("args", "code", "shows"),
    [
        (["codes", "--format", "json"], ExitCode.OK, "["),  # a JSON list of codes
        (["codes", "--format", "markdown"], ExitCode.INPUT, "'markdown' is not one of 'text', 'json'"),  # not offered
        (["network", "--format", "csv"], ExitCode.OK, ","),  # the allowlist as a spreadsheet
        (["check", "--format", "sarif", "{log}"], ExitCode.OK, '"version": "2.1.0"'),  # code scanning
    ],
)
def test_each_command_writes_the_formats_it_offers(tmp_path: Path, args: list[str], code: int, shows: str) -> None:
    log = tmp_path / "clean.log"
    log.write_text("[Debug] nothing secret here\n", encoding="utf-8")
    result = CliRunner().invoke(app, [a.replace("{log}", str(log)) for a in args])
    assert result.exit_code == code, result.stderr
    assert shows in (result.stdout if code == ExitCode.OK else result.stderr)
    if args[-1] == "json":
        assert isinstance(json.loads(result.stdout), list)
