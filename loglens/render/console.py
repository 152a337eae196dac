"""A rich Console bound to a stream, with the settings every text view shares."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from loglens.text import printable


def make_console(file: TextIO, *, color: bool | None = None, width: int | None = None) -> Console:
    """`color=None` lets rich decide: NO_COLOR and FORCE_COLOR first, then the stream (a terminal gets color).

    `--color`/`--no-color` (True/False) override both variables.
    """
    return Console(
        file=file,
        force_terminal=True if color else None,
        no_color=None if color is None else not color,  # None: rich reads NO_COLOR itself
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


def print_indented(console: Console, text: Text, indent: int) -> None:
    """Print `text` wrapped to the console and indented, without trailing blanks.

    A numbered step (`2. Open ...`) gets a hanging indent, so its wrapped lines line up under its words.
    """
    for line in indented_lines(console, text, indent):
        console.print(line, soft_wrap=True)


def indented_lines(console: Console, text: Text, indent: int) -> list[Text]:
    """The lines `print_indented` prints, for a caller that prints many rows in one call (a call per row is slow)."""
    plain = text.plain
    dot = plain.find(". ", 0, 5)
    hang = dot + 2 if dot > 0 and plain[:dot].isdigit() else 0
    width = max(20, console.width - indent - hang)
    lines = []
    for number, line in enumerate(text.wrap(console, width)):
        line.rstrip()
        pad = indent if number == 0 else indent + hang
        lines.append(Text(" " * pad).append_text(line))
    return lines


def lines_list(lines: tuple[int, ...] | list[int], most: int = 12, total: int | None = None) -> str:
    """The first `most` line numbers, and how many more there are (`total`, when `lines` is itself a sample)."""
    shown = ", ".join(str(n) for n in lines[:most])
    more = (len(lines) if total is None else total) - min(most, len(lines))
    return f"{shown} (+{more} more)" if more > 0 else shown
