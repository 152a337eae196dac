"""Redaction that fails closed: write, read back, scan, and keep nothing that still holds a secret.

`loglens redact -o`, `loglens ticket` and the library's `redact_file` share this one policy, so they cannot
disagree about when a copy is safe. Where the bytes go is the caller's: a `Destination` hands out a fresh output
for each pass and reads back what was written (a temporary file beside the target, or memory). Putting the
checked copy in place is the caller's too: only the command line touches files.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import BinaryIO, Protocol

from loglens.redaction.blocks import BlockReader
from loglens.redaction.placeholders import PlaceholderTable
from loglens.redaction.rewrite import Redaction
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import Finding, LeakFound, verify

Reopen = Callable[[], AbstractContextManager[BinaryIO]]
"""Opens the input again from its start, for the second pass (None when it cannot be read twice, like stdin)."""


class Destination(Protocol):
    """Where a checked redaction writes its output."""

    def writer(self) -> AbstractContextManager[BinaryIO]:
        """An empty output to write one pass into (a second pass replaces the first)."""
        ...

    def reader(self) -> AbstractContextManager[BinaryIO]:
        """What the last pass wrote, from its start."""
        ...


class MemoryDestination:
    """Output held in memory: for the library, whose callers decide where the bytes go."""

    def __init__(self) -> None:
        self.data = b""

    @contextmanager
    def writer(self) -> Iterator[BinaryIO]:
        buffer = io.BytesIO()
        yield buffer
        self.data = buffer.getvalue()

    @contextmanager
    def reader(self) -> Iterator[BinaryIO]:
        yield io.BytesIO(self.data)


def redact_checked(
    source: BinaryIO,
    destination: Destination,
    options: RedactOptions,
    *,
    reopen: Reopen | None = None,
    table: PlaceholderTable | None = None,
    what_happened: str,
) -> Redaction:
    """Redact `source` into `destination` and scan what was written; raise `LeakFound` (saying `what_happened`
    to the output) if anything secret is left.

    A value first met late in a log can have a piece earlier on, written before the value was known: when the
    scan finds such a fragment and the input can be read again, one more pass runs knowing every value.
    """
    run = _write(Redaction(BlockReader(source), options, table), destination)
    findings = _scan(destination, run, options)
    if findings and reopen is not None and any(f.detail == "fragment" for f in findings):
        with reopen() as again:
            run = _write(Redaction(BlockReader(again), options, run.table), destination)
        findings = _scan(destination, run, options)
    if findings:
        raise LeakFound(findings[0], what_happened)
    return run


def _write(run: Redaction, destination: Destination) -> Redaction:
    with destination.writer() as out:
        for chunk in run:
            out.write(chunk)
    return run


def _scan(destination: Destination, run: Redaction, options: RedactOptions) -> list[Finding]:
    with destination.reader() as written:
        return verify(written, run.table, options, known=run.screen.known)
