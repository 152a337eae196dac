"""A rich Console bound to a stream, with the settings every text view shares."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from loglens.text import printable


def make_console(file: TextIO, *, color: bool | None = None, width: int | None = None) -> Console:
    """`color=None` lets rich decide from the stream (a terminal gets color, a pipe does not)."""
    return Console(
        file=file,
        force_terminal=color if color else None,
        no_color=color is False,
        color_system="auto" if color is not False else None,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )


def lit(text: str, style: str = "") -> Text:
    """Log-derived text, shown literally."""
    return Text(printable(text), style=style)


def lines_list(lines: tuple[int, ...] | list[int], most: int = 12) -> str:
    shown = ", ".join(str(n) for n in lines[:most])
    more = len(lines) - most
    return f"{shown} (+{more} more)" if more > 0 else shown
