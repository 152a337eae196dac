"""`--format`, one option for every command: each names the `Format` members it can write, and gets a member.

A shared enum keeps the spelling of a format in one place (`json` is `json` in every command) and lets mypy see
which formats a command handles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from loglens.render import Format

F = TypeVar("F", bound=Callable[..., object])


def format_option(*formats: Format, help: str | None = None) -> Callable[[F], F]:
    """`--format` offering `formats` (the first is the default), handed to the command as a `Format`."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice([f.value for f in formats]),
        default=formats[0].value,
        show_default=True,
        callback=_as_format,
        help=help,
    )


def _as_format(_ctx: click.Context, _param: click.Parameter, value: str) -> Format:
    return Format(value)
