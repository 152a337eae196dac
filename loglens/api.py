"""The library API: `analyze`, `redact_text`, `redact_file` and `livekit` for scripts, editor tools and CI.

Every function takes a log as a path (`str` or `os.PathLike`), `bytes`, or an iterable of lines (a list of
strings, an open text file, `io.StringIO(text)`), and returns data: pydantic models or plain values. A `str` is
always a path: one holding a line break (the log's text itself) is refused with a `LoglensError` that shows none of
it, as is a path that cannot be opened or is not a file (the name masked). Nothing here prints; secrets inside
the models are `SecretStr` or already masked.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, BinaryIO, Literal

if TYPE_CHECKING:
    from loglens.livekit import Handoff
    from loglens.redaction.rewrite import RedactionReport
    from loglens.report import Report

LogSource = str | os.PathLike[str] | bytes | Iterable[str]
"""A path, the log's bytes, or its lines (with or without their endings)."""


class _LineStream(io.RawIOBase):
    """Lines of text as a UTF-8 byte stream, read lazily, so an iterable of lines streams like a file."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines: Iterator[str] = iter(lines)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            line = next(self._lines, None)
            if line is None:
                return 0
            ended = line.endswith(("\n", "\r"))
            self._pending = (line if ended else line + "\n").encode("utf-8", "surrogateescape")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


@contextmanager
def _open(source: LogSource) -> Iterator[tuple[str, BinaryIO]]:
    """(name, binary stream) for any accepted source; a path is opened and closed here."""
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        with _open_path(path) as stream:
            yield path, stream
    elif isinstance(source, bytes | bytearray):
        yield "<bytes>", io.BytesIO(bytes(source))
    else:
        yield "<lines>", io.BufferedReader(_LineStream(source))


_LONGEST_PATH = 4096


def _open_path(path: str) -> BinaryIO:
    """A path opened by the one opener; a `str` that cannot be a path (a line break in it, or too long) is log
    text given by mistake: refused with a short message that shows none of it, and no `OSError` chained."""
    from loglens.errors import LoglensError
    from loglens.masking import shown_name
    from loglens.opening import open_log

    if "\n" in path or "\r" in path or len(path) > _LONGEST_PATH:
        raise LoglensError(
            "a str source is a path, and this one looks like log text: pass io.StringIO(text), its lines, or bytes"
        )
    return open_log(path, shown_name(path))


def analyze(source: LogSource, *, diagnose: bool = True) -> Report:
    """Read a log and return the `Report`: error codes, diagnoses, sessions (the JSON of `loglens analyze`)."""
    from loglens.report import analyze as build
    from loglens.sources import LineReader

    with _open(source) as (name, stream):
        return build(LineReader(stream), source=name, diagnose=diagnose, collapse=False)


Profile = Literal["default", "public"]


def redact_text(text: str, *, profile: Profile = "default", keep_claims: bool = False) -> str:
    """`text` with every secret replaced by a placeholder; line breaks and every other character kept.

    Fails closed: raises `loglens.errors.LoglensError` (never showing the value) if the result still holds one."""
    data, _ = _redact(text.encode("utf-8", "surrogateescape"), profile, keep_claims)
    return data.decode("utf-8", "surrogateescape")


def redact_file(
    source: LogSource, *, profile: Profile = "default", keep_claims: bool = False
) -> tuple[bytes, RedactionReport]:
    """The redacted bytes of a log (same encoding, BOM and line endings) and the report (counts, no values).

    The caller decides where the bytes go; they were scanned again and hold no secret loglens can recognise."""
    with _open(source) as (_, stream):
        return _redact(stream.read(), profile, keep_claims)


def _redact(data: bytes, profile: Profile, keep_claims: bool) -> tuple[bytes, RedactionReport]:
    """Redact, scan the result again, and (as `loglens redact -o` does) take one more pass knowing every value
    when a piece of a value shows up before the value itself."""
    from loglens.redaction.checked import MemoryDestination, redact_checked
    from loglens.redaction.rewrite import RedactionReport
    from loglens.redaction.rules import Profile as Choice
    from loglens.redaction.rules import RedactOptions

    if not data:
        return b"", RedactionReport(profile=profile, lines=0, lines_changed=0, redactions=0, kinds=(), check="none")
    options = RedactOptions(profile=Choice(profile), keep_claims=keep_claims)
    out = MemoryDestination()
    run = redact_checked(
        io.BytesIO(data), out, options, reopen=lambda: io.BytesIO(data), what_happened="nothing was returned"
    )
    return out.data, run.report("after-writing")


def livekit(source: LogSource, *, session: int | None = None, now: datetime | None = None) -> Handoff:
    """The LiveKit connection test's two fields from the latest session (or `session`): `.pair.url` and
    `.pair.token` (both `SecretStr`: call `get_secret_value()`), with decoded claims and warnings.

    Raises `loglens.errors.LoglensError` saying why when the log holds no credentials."""
    from loglens.livekit import handoff, read_log
    from loglens.sources import LineReader

    with _open(source) as (_, stream):
        facts = read_log(LineReader(stream), session)
    return handoff(facts, now or datetime.now(UTC), session)


__all__ = ["LogSource", "analyze", "livekit", "redact_file", "redact_text"]
