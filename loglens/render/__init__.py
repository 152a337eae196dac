"""Turn reports into text for people (rich), Markdown for tickets, and JSON for programs.

The only package that imports rich. Every log-derived string passes through `loglens.text.printable` and is
wrapped in `rich.text.Text`, so markup inside a log message is shown as typed and escape sequences never reach
the terminal.
"""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """Every output format of the command line; each command offers the ones that suit what it writes."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    CSV = "csv"
    SARIF = "sarif"
