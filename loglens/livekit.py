"""Find the LiveKit URL and room token for LiveKit's connection test, decode the token, and say what would fail.

The library side of `loglens livekit`: lines in, data out. The token is the one thing loglens hands over in
plain text, on purpose; everything else this module builds (warnings, listings, the reasons why no token was
found) is made from names, times and line numbers only, so it can be shown or pasted without the token.
"""

from __future__ import annotations

import ipaddress
import re
import sys
import types
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr

from loglens import endpoints as ep
from loglens import models as m
from loglens.attribution import LogKind, describe
from loglens.errors import ExitCode, LoglensError
from loglens.rules.texts import debug_logging_advice
from loglens.sessions import Credentials, CredentialSource, Session, is_cloud_host
from loglens.sources import RawLine
from loglens.stream import EntryStream
from loglens.tokens import Claims, decode_claims, shape_problem

if TYPE_CHECKING:
    from loglens.api import LogSource

TEST_PAGE = "https://livekit.com/webrtc/connection-test"
URL_FIELD = "LiveKit URL"
TOKEN_FIELD = "Room token"
CONVAI_CLOUD_URL = ep.CONVAI_LIVEKIT_URL
SOON_SECONDS = 15 * 60  # a token that expires sooner than this gets a reminder to hurry
KEEP_SESSIONS = 50  # of a long log: the latest sessions kept whole, and as many of the latest that logged a token

Level = Literal["error", "warning", "note"]


class Notice(m.Frozen):
    """One thing to know before running the test. `id` is a stable kebab-case slug; `message` never holds the
    token, the identity or any other personal value."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    level: Level
    message: str


class Pair(m.Frozen):
    """One LiveKit URL and room token as the log carries them. A room-details JSON line and the Token summary
    after it usually hold the same token: they make one pair, seen on both lines."""

    session: int = Field(ge=1, description="The session (as `analyze` numbers them) that logged it.")
    lines: tuple[int, ...] = Field(description="Every line that carried this token, in order.")
    sources: tuple[CredentialSource | Literal["signal-url"], ...]
    url: SecretStr | None = Field(
        default=None, description="Kept secret: a URL logged by a LiveKit client can embed the token."
    )
    host: str | None = None
    token: SecretStr
    room_name: str | None = None
    session_id: str | None = None
    character_session_id: str | None = None
    claims: Claims | None = None
    token_problem: str | None = Field(default=None, description="Why the token is not a whole JWT, if it is not.")

    @property
    def line(self) -> int:
        """The latest line that carried this pair."""
        return self.lines[-1]

    def expired(self, now: datetime) -> bool | None:
        return self.claims.expired(now) if self.claims else None


class LogFacts(m.Frozen):
    """What a log holds that matters here: its sessions, and enough counts to explain an absence."""

    lines: int
    convai_entries: int
    debug_transport_entries: int = Field(description="`[Debug][Transport]` lines: where 4.x logs the token.")
    grpc_entries: int = Field(default=0, description="`[GRPC]` lines: the v3 plugin, which predates LiveKit.")
    tokenless_lines: tuple[int, ...] = Field(default=(), description="Room details that carried no token.")
    log_kind: LogKind = "convai"
    signal_pairs: tuple[Pair, ...] = Field(
        default=(), description="Tokens in LiveKit clients' signal URLs (`...?access_token=`), any client's log."
    )
    sessions: tuple[Session, ...] = Field(
        default=(),
        description=f"Sessions kept whole: the latest {KEEP_SESSIONS}, the latest {KEEP_SESSIONS} that logged a "
        "token, the latest that failed and the one asked for; the others are only counted.",
    )
    session_count: int = 0
    pair_count: int = Field(default=0, description="URL and token pairs in all sessions, kept or not.")


class Handoff(m.Frozen):
    """The two values for the connection test, with the decoded claims and every warning, as of `checked_at`."""

    pair: Pair
    session_count: int
    pair_count: int
    checked_at: datetime
    expired: bool | None
    not_yet_valid: bool | None
    warnings: tuple[Notice, ...] = ()


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


# --- pairs --------------------------------------------------------------------------------------------------------


def _latest(values: Iterable[str | None]) -> str | None:
    found = None
    for value in values:
        if value:
            found = value
    return found


def _pair(session: int, creds: list[Credentials], token: SecretStr) -> Pair:
    url = _latest(c.url.get_secret_value() if c.url else None for c in creds)
    plain = token.get_secret_value()
    return Pair(
        session=session,
        lines=tuple(c.line for c in creds),
        sources=tuple(c.source for c in creds),
        url=SecretStr(url) if url else None,
        host=_latest(c.livekit_host for c in creds),
        token=token,
        room_name=_latest(c.room_name for c in creds),
        session_id=_latest(c.session_id for c in creds),
        character_session_id=_latest(c.character_session_id for c in creds),
        claims=decode_claims(plain),
        token_problem=shape_problem(plain),
    )


def session_pairs(session: Session) -> list[Pair]:
    """The session's URL and token pairs, ordered by the line that last carried each."""
    groups: dict[str, list[Credentials]] = {}
    tokens: dict[str, SecretStr] = {}
    for creds in session.credentials:
        if creds.token is None:
            continue
        key = creds.token.get_secret_value()
        groups.setdefault(key, []).append(creds)
        tokens[key] = creds.token
    pairs = [_pair(session.index, group, tokens[key]) for key, group in groups.items()]
    return sorted(pairs, key=lambda p: p.line)


def all_pairs(facts: LogFacts, session: int | None = None) -> list[Pair]:
    """Every pair in the log (or in one session), oldest first."""
    return [p for s in facts.sessions if session is None or s.index == session for p in session_pairs(s)]


# --- when there is nothing to hand over ---------------------------------------------------------------------------


def _codes(session: Session) -> str:
    return ", ".join(f"{c.code} (line {c.lines[0]})" for c in session.errors[:3])


def why_no_credentials(facts: LogFacts) -> str:
    """One paragraph on why the log holds no token, and what to change so the next one does."""
    if facts.convai_entries == 0:
        return "no LiveKit credentials: " + describe(facts.log_kind, facts.lines)
    if facts.grpc_entries and facts.debug_transport_entries == 0:
        return (
            "no LiveKit credentials: this log looks like the Convai v3 plugin's (it has [GRPC] lines); that plugin "
            "talks to Convai over gRPC and logs no LiveKit room, so there is no token for LiveKit's connection test."
        )
    if facts.tokenless_lines:
        where = ", ".join(str(n) for n in facts.tokenless_lines[:5])
        return f"no LiveKit credentials: the room details on line {where} carry no token."
    failed = [s for s in facts.sessions if s.errors]
    if failed:
        last = failed[-1]
        return (
            f"no LiveKit credentials: the Connect API never handed out a room; session {last.index} failed with "
            f"{_codes(last)}. Fix that first (`loglens analyze` explains it), then test the network."
        )
    if facts.debug_transport_entries == 0:
        return (
            "no LiveKit credentials: Transport logging is below Debug, so the SDK did not log the room details. "
            + debug_logging_advice()
        )
    return (
        "no LiveKit credentials: Transport logs at Debug, but no room details were logged. The log may start "
        "after the connection was made or end before it; enter Play mode again and copy the whole log."
    )


def _no_credentials(facts: LogFacts) -> LoglensError:
    return LoglensError(why_no_credentials(facts), ExitCode.FINDINGS)


def _session_without(facts: LogFacts, index: int) -> LoglensError:
    session = next((s for s in facts.sessions if s.index == index), None)
    if session is None:  # read without asking for it: only counted
        return LoglensError(f"session {index} logged no LiveKit credentials", ExitCode.FINDINGS)
    having = [str(s.index) for s in facts.sessions if session_pairs(s)]
    failed = f"; it failed with {_codes(session)}" if session.errors else ""
    others = f"; sessions with credentials: {', '.join(having)}" if having else ""
    return LoglensError(
        f"session {index} (lines {session.start_line}-{session.end_line}) logged no LiveKit credentials"
        f"{failed}{others}",
        ExitCode.FINDINGS,
    )


# --- picking and checking -----------------------------------------------------------------------------------------


def pick(facts: LogFacts, session: int | None = None) -> Pair:
    """The latest pair of the log, or of session `session`. Raises `LoglensError` when there is none."""
    if session is not None:
        if not 1 <= session <= facts.session_count:
            count = facts.session_count
            if count == 0:
                raise _no_credentials(facts)
            raise LoglensError(f"the log has {count} session{'s' if count != 1 else ''}; --session takes 1 to {count}")
        pairs = all_pairs(facts, session)
        if not pairs:
            raise _session_without(facts, session)
        return pairs[-1]
    pairs = all_pairs(facts)
    if not pairs and facts.signal_pairs:  # no Convai room details: a LiveKit client's signal URL will do
        return facts.signal_pairs[-1]
    if not pairs:
        raise _no_credentials(facts)
    return pairs[-1]


def handoff(facts: LogFacts, now: datetime, session: int | None = None) -> Handoff:
    """Everything `loglens livekit` prints: the chosen pair, checked against `now` (an aware datetime)."""
    pair = pick(facts, session)
    notes = list(check(pair, now))
    latest = facts.sessions[-1] if facts.sessions else None
    if session is None and latest is not None and latest.index != pair.session:
        failed = f" (it failed with {_codes(latest)})" if latest.errors else ""
        notes.append(
            Notice(
                id="older-session",
                level="note",
                message=f"the latest session, {latest.index}, logged no credentials{failed}; "
                f"these are from session {pair.session}.",
            )
        )
    return Handoff(
        pair=pair,
        session_count=max(facts.session_count, pair.session),
        pair_count=facts.pair_count or len(facts.signal_pairs),
        checked_at=now,
        expired=pair.expired(now),
        not_yet_valid=pair.claims.not_yet_valid(now) if pair.claims else None,
        warnings=tuple(sorted(notes, key=lambda n: ("error", "warning", "note").index(n.level))),
    )


def span(seconds: float) -> str:
    """A duration in its two largest units: `2 years 40 days`, `3 days 2 h`, `2 h 5 min`, `4 min`, `30 s`."""
    s = int(abs(seconds))
    years, rest = divmod(s, 365 * 86_400)
    if years:
        days = rest // 86_400
        return f"{years} year{'s' if years != 1 else ''}" + (f" {days} day{'s' if days != 1 else ''}" if days else "")
    days, rest = divmod(rest, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


def utc(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def check(pair: Pair, now: datetime) -> Iterator[Notice]:
    """Everything that would make the connection test fail for a reason other than the network."""
    yield from _check_token(pair, now)
    yield from _check_url(pair)
    yield Notice(
        id="same-identity",
        level="note",
        message="this token joins as the Unity client's own participant, and LiveKit disconnects the earlier "
        "participant when the same identity joins again: stop Play mode (or quit the player) before running "
        "the test.",
    )


def _check_token(pair: Pair, now: datetime) -> Iterator[Notice]:
    where = f"line {pair.line}"
    if pair.token_problem is not None:
        yield Notice(
            id="token-cut-off",
            level="error",
            message=f"the token on {where} is not whole: {pair.token_problem}. The log was probably cut or "
            "wrapped; copy the line again from the Console or from Editor.log.",
        )
    claims = pair.claims
    if claims is None:
        return
    if claims.expires_at is None:
        yield Notice(
            id="token-no-expiry",
            level="error",
            message="the token has no expiry (exp); LiveKit servers refuse such tokens.",
        )
    elif claims.expired(now):
        ago = span((now - claims.expires_at).total_seconds())
        yield Notice(
            id="token-expired",
            level="error",
            message=f"the token expired at {utc(claims.expires_at)}, {ago} ago: the test would fail on the token "
            "(`token is expired`), not on the network. Enter Play mode again so the SDK fetches a fresh token, "
            "then rerun loglens on the new log.",
        )
    elif (claims.expires_at - now).total_seconds() < SOON_SECONDS:
        left = span((claims.expires_at - now).total_seconds())
        yield Notice(
            id="token-expires-soon",
            level="warning",
            message=f"the token expires in {left} (at {utc(claims.expires_at)}): run the test now.",
        )
    if claims.not_yet_valid(now) and claims.not_before is not None:
        wait = span((claims.not_before - now).total_seconds())
        yield Notice(
            id="token-not-yet-valid",
            level="error",
            message=f"the token is valid only from {utc(claims.not_before)}, {wait} from now by this computer's "
            "clock: LiveKit would refuse it (`token not valid yet`). Check this computer's date and time, or "
            "wait.",
        )
    yield from _check_grant(pair, claims)


def _check_grant(pair: Pair, claims: Claims) -> Iterator[Notice]:
    video = claims.video
    if video is None or video.room_join is not True:
        state = "has no video grant" if video is None else "does not grant roomJoin"
        yield Notice(
            id="room-join-missing",
            level="error",
            message=f"the token {state}, so it cannot join a room: the test would fail on the token.",
        )
    token_room = video.room if video else None
    if token_room and pair.room_name and token_room != pair.room_name:
        yield Notice(
            id="room-mismatch",
            level="warning",
            message=f"the token grants room {token_room!r} but the log names room {pair.room_name!r} beside it; "
            "the test joins the token's room.",
        )


def is_local_host(host: str) -> bool:
    """A host that only a development LiveKit server would use: loopback, a private network, `*.local`."""
    if host == "localhost" or host.endswith((".localhost", ".local", ".lan", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified


def _check_url(pair: Pair) -> Iterator[Notice]:
    if pair.url is None:
        yield Notice(
            id="url-missing",
            level="error",
            message=f"no Room URL was logged with this token (older SDKs leave it out of the room details). "
            f"Convai's LiveKit Cloud URL is {CONVAI_CLOUD_URL}.",
        )
        return
    try:
        parts = urlsplit(pair.url.get_secret_value())
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        host = None
    if not host:
        yield Notice(id="url-invalid", level="error", message="the logged Room URL is not a URL with a host.")
        return
    scheme = parts.scheme.lower()
    local = is_local_host(host)
    if scheme in ("http", "https"):
        yield Notice(
            id="url-scheme",
            level="warning",
            message=f"the Room URL starts {scheme}://; LiveKit clients turn it into ws(s)://, but give the test "
            f"{'ws' if scheme == 'http' else 'wss'}://{host} to be sure.",
        )
    elif scheme == "ws" and not local:
        yield Notice(
            id="url-scheme",
            level="error",
            message=f"the Room URL uses ws:// (unencrypted) for {host}: only a local development server accepts "
            "that; LiveKit Cloud and production servers need wss://.",
        )
    elif scheme not in ("ws", "wss"):
        yield Notice(
            id="url-scheme",
            level="error",
            message=f"the Room URL's scheme is {scheme or 'missing'}; the test needs wss:// (ws:// for a local "
            "server).",
        )
    if (parts.path not in ("", "/")) or parts.query:
        yield Notice(
            id="url-path",
            level="warning",
            message=f"the Room URL has a path or query after the host; the test wants only the server: wss://{host}.",
        )
    if host.endswith(("convai.com", "convai.ai")):
        yield Notice(
            id="url-not-livekit",
            level="error",
            message=f"{host} is a Convai API host, not a LiveKit server: the test cannot connect to it.",
        )
    elif not local and not is_cloud_host(host):
        yield Notice(
            id="url-not-livekit",
            level="warning",
            message=f"{host} is not a LiveKit Cloud host (*.livekit.cloud, *.livekit.run); that is right only "
            "if you run your own LiveKit server there.",
        )


# --- `from loglens import livekit` -------------------------------------------------------------------------------


class _CallableModule(types.ModuleType):
    """`loglens.livekit` is this module and also the library function of that name (`loglens.api.livekit`):
    Python binds a package's submodule over any attribute of the same name, so the module itself answers calls."""

    def __call__(self, source: LogSource, *, session: int | None = None, now: datetime | None = None) -> Handoff:
        from loglens.api import livekit

        return livekit(source, session=session, now=now)


sys.modules[__name__].__class__ = _CallableModule
