"""A progress bar on stderr for a long read: bytes, MB/s and the time left; gone once the read is done."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn
from rich.text import Text

from loglens.text import printable


@contextmanager
def progress_bar(name: str, total: int, file: TextIO) -> Iterator[Callable[[int], None]]:
    """Yield the callback that moves the bar to `bytes read so far`; the bar leaves no line behind (transient)."""
    console = Console(file=file, highlight=False, markup=False, emoji=False)
    columns = (
        "{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True, redirect_stdout=False, redirect_stderr=False) as bar:
        task = bar.add_task(Text(printable(name)).plain, total=total)

        def advance(done: int) -> None:
            bar.update(task, completed=done)

        yield advance
