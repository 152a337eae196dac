"""Several inputs in one run: a support engineer's folder of attachments.

Globs are expanded here, not left to the shell: cmd.exe and PowerShell pass `logs\\*.log` through as typed.
`--jobs N` spreads the files over N processes; results always come back in the order the files were given.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import click

from loglens.errors import LoglensError

T = TypeVar("T")
R = TypeVar("R")

JOBS_OPTION = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="With several files: how many to read at once, each in its own process.",
)
_MAGIC = frozenset("*?[")


def expand(patterns: Iterable[str], skip: Callable[[str], bool] | None = None) -> list[str]:
    """Every path a pattern names, sorted, each once; a pattern that names no file is kept, to be reported as missing.

    A path that exists as typed is taken literally, even when its name holds `[` or `*`; `skip` drops files a glob
    found (never one named as typed).
    """
    paths: list[str] = []
    for pattern in patterns:
        if os.path.lexists(pattern) or not _MAGIC & set(pattern):
            paths.append(pattern)
            continue
        import glob  # only a pattern pays for it

        found = sorted(p for p in glob.glob(os.path.expanduser(pattern), recursive=True) if not os.path.isdir(p))
        found = [p for p in found if skip is None or not skip(p)]
        paths += found or [pattern]
    return list(dict.fromkeys(paths))


def several(paths: list[str]) -> bool:
    """Whether a run reads several inputs; a run of one behaves as it always did."""
    if len(paths) <= 1:
        return False
    if "-" in paths:
        raise LoglensError("'-' (stdin) cannot be read together with other files")
    return True


REDACTED = ".redacted"


def redacted_name(path: str) -> str:
    """`Editor.log` -> `Editor.redacted.log`: `check` and the pre-commit hook (`*.log`) still see the copy."""
    head, name = os.path.split(path)
    stem, dot, suffix = name.rpartition(".")
    new = f"{stem}{REDACTED}.{suffix}" if dot and stem else f"{name}{REDACTED}"
    return os.path.join(head, new)


def is_redacted_name(path: str) -> bool:
    """A copy `redact` wrote (`x.redacted.log`, `x.redacted`): a glob over a folder does not redact it again."""
    name = os.path.basename(path)
    return name.endswith(REDACTED) or f"{REDACTED}." in name


def run_each(work: Callable[[T], R], items: list[T], jobs: int) -> Iterator[R]:
    """`work` on each item, in `jobs` processes when asked; results in the items' order, as they become ready."""
    if jobs <= 1 or len(items) <= 1:
        yield from map(work, items)
        return
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing costs start-up time; one file needs none

    with ProcessPoolExecutor(max_workers=min(jobs, len(items))) as pool:
        yield from pool.map(work, items)
