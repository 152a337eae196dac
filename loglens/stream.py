"""One pass over a log's entries, shared by `analyze` and `livekit`: whose each entry is, what kind of log it is,
and the sessions rebuilt from Convai's entries, handed on one at a time so that no caller has to keep them all."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from loglens import models as m
from loglens.attribution import KindSniffer, LogKind, Owner, owner
from loglens.parse import EntryParser, parse_entries
from loglens.sessions import Session, SessionBuilder
from loglens.sources import RawLine


class EntryStream:
    """Iterate for `(entry, owner)` pairs; Convai's entries feed the sessions, and each finished session goes to
    `on_session` (the last one when the log ends). The counts are complete once the iteration is."""

    def __init__(self, lines: Iterable[RawLine], on_session: Callable[[Session], None]) -> None:
        self.parser: EntryParser = parse_entries(lines)
        self._builder = SessionBuilder(on_session)
        self._sniffer = KindSniffer()
        self.entries = 0
        self.convai = 0
        self.platforms: Counter[str] = Counter()

    def __iter__(self) -> Iterator[tuple[m.Entry, Owner]]:
        for entry in self.parser:
            self.entries += 1
            self.platforms[entry.platform] += 1
            who = owner(entry)
            self._sniffer.add(entry, who)
            if who == "convai":
                self.convai += 1
                self._builder.add(entry)
            yield entry, who
        self._builder.finish()

    @property
    def sessions_started(self) -> int:
        """Sessions begun so far: the latest of them holds the entry just yielded, if any does."""
        return self._builder.started

    @property
    def lines_read(self) -> int:
        return self.parser.lines_read

    def kind(self) -> LogKind:
        return self._sniffer.kind()
