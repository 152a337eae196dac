"""Progress of a long read, reported through a callback: the library counts bytes, the caller decides what to show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO


class Counting:
    """A binary stream that calls `report(bytes read so far)` after each read; everything else is the stream's own.

    Readers take it where they take a stream (`LineReader`, `BlockReader`, `check_stream`), so they need no
    progress code of their own.
    """

    def __init__(self, stream: BinaryIO, report: Callable[[int], None]) -> None:
        self._stream = stream
        self._report = report
        self.done = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.done += len(data)
        self._report(self.done)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
