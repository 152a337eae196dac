"""Reading a log for `livekit`: one streaming pass that keeps the few sessions it can hand over or explain from,
and the tokens LiveKit clients logged in their signal URLs."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from pydantic import SecretStr

from loglens import models as m
from loglens.livekit.model import KEEP_SESSIONS, LogFacts, Pair
from loglens.sessions import Session
from loglens.sources import RawLine
from loglens.stream import EntryStream
from loglens.tokens import decode_claims, shape_problem

# --- LiveKit clients' signal URLs ---------------------------------------------------------------------------------

ACCESS_TOKEN = "access_token="
MAX_SIGNAL_PAIRS = 20
# `SignalClient connecting with url: wss://<project>.livekit.cloud/rtc?access_token=eyJ...&auto_subscribe=1`
_SIGNAL_URL = re.compile(r"(?P<url>wss?://[^\s/?#\"'<>]+)[^\s\"'<>]*?[?&]access_token=(?P<token>[A-Za-z0-9_.-]+)")


def signal_pair(line: int, text: str) -> Pair | None:
    """The LiveKit URL (scheme and host of the signal URL) and the token a LiveKit client logged on one line."""
    found = _SIGNAL_URL.search(text)
    if found is None:
        return None
    parts = urlsplit(found["url"])
    host = parts.hostname
    if not host:
        return None
    token = found["token"]
    base = f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
    return Pair(
        session=1,
        lines=(line,),
        sources=("signal-url",),
        url=SecretStr(base),
        host=host,
        token=SecretStr(token),
        claims=decode_claims(token),
        token_problem=shape_problem(token),
    )


# --- reading the log ----------------------------------------------------------------------------------------------


def _with_signal_lines(lines: Iterable[RawLine], seen: dict[int, str]) -> Iterator[RawLine]:
    """Pass the lines on, keeping the raw text of the few that hold a signal URL's token.

    Entries carry masked text only, so the token a LiveKit client logged is read here, before masking; only
    lines not yet claimed are kept, a bounded few.
    """
    for raw in lines:
        if ACCESS_TOKEN in raw.text:
            seen[raw.number] = raw.text
            if len(seen) > MAX_SIGNAL_LINES:
                seen.pop(next(iter(seen)))
        yield raw


MAX_SIGNAL_LINES = 64


class _Kept:
    """The few sessions `livekit` can hand over or explain from, picked as they finish; the rest only counted."""

    def __init__(self, wanted: int | None) -> None:
        self.wanted = wanted
        self.count = self.pairs = 0
        self.latest: deque[Session] = deque(maxlen=KEEP_SESSIONS)
        self.with_token: deque[Session] = deque(maxlen=KEEP_SESSIONS)
        self.chosen: Session | None = None
        self.failed: Session | None = None

    def add(self, session: Session) -> None:
        self.count += 1
        tokens = {c.token.get_secret_value() for c in session.credentials if c.token is not None}
        self.pairs += len(tokens)
        self.latest.append(session)
        if tokens:
            self.with_token.append(session)
        if session.errors:
            self.failed = session
        if session.index == self.wanted:
            self.chosen = session

    def sessions(self) -> tuple[Session, ...]:
        found = {s.index: s for s in (*self.with_token, *self.latest, self.chosen, self.failed) if s is not None}
        return tuple(found[i] for i in sorted(found))


def read_log(lines: Iterable[RawLine], session: int | None = None) -> LogFacts:
    """Parse a log (streaming) into the facts `livekit` works from, keeping session `session` whole if given."""
    raw_signal: dict[int, str] = {}
    kept = _Kept(session)
    stream = EntryStream(_with_signal_lines(lines, raw_signal), kept.add)
    debug_transport = grpc = 0
    tokenless: list[int] = []
    signal: deque[Pair] = deque(maxlen=MAX_SIGNAL_PAIRS)
    for entry, who in stream:
        if who != "convai":
            text = raw_signal.pop(entry.line, None)
            if text is not None and (found := signal_pair(entry.line, text)) is not None:
                signal.append(found.model_copy(update={"session": max(stream.sessions_started, 1)}))
            continue
        head = entry.head
        if head is not None and head.level == "Debug" and head.category == "Transport":
            debug_transport += 1
        elif head is not None and head.category == "GRPC":
            grpc += 1
        if isinstance(entry.event, m.RoomDetails) and entry.event.token is None and len(tokenless) < KEEP_SESSIONS:
            tokenless.append(entry.line)
    return LogFacts(
        lines=stream.lines_read,
        convai_entries=stream.convai,
        debug_transport_entries=debug_transport,
        grpc_entries=grpc,
        tokenless_lines=tuple(tokenless),
        log_kind=stream.kind(),
        signal_pairs=tuple(signal),
        sessions=kept.sessions(),
        session_count=kept.count,
        pair_count=kept.pairs,
    )
