"""When to show a progress bar: a big file, stderr on a terminal, and no --quiet."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO, cast

from loglens.cli.files import shown

BIG = 5 << 20  # under ~5 MB a read takes a second or two: no bar


def size_of(stream: BinaryIO) -> int | None:
    """The size of a regular file; None for pipes, terminals and anything else without one."""
    try:
        info = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def wants_bar(size: int | None, *, quiet: bool, terminal: bool) -> bool:
    return terminal and not quiet and size is not None and size >= BIG


@contextmanager
def watched(name: str, stream: BinaryIO, *, quiet: bool) -> Iterator[BinaryIO]:
    """`stream`, wrapped to move a bar on stderr while it is read, when `wants_bar` says so."""
    size = size_of(stream)
    if not wants_bar(size, quiet=quiet, terminal=sys.stderr.isatty()):
        yield stream
        return
    assert size is not None
    from loglens.progress import Counting
    from loglens.render.progress import progress_bar

    # the file's own name: a long path would crowd out the figures
    with progress_bar(shown(os.path.basename(name)), size, sys.stderr) as advance:
        yield cast(BinaryIO, Counting(stream, advance))
