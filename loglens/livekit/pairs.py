"""Choosing the pair to hand over: every URL and token pair of a session, the latest one, and the reason in words
when a log (or the session asked for) holds none."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import SecretStr

from loglens.attribution import describe
from loglens.credentials import Credentials
from loglens.errors import ExitCode, LoglensError
from loglens.livekit.checks import check
from loglens.livekit.model import Handoff, LogFacts, Notice, Pair
from loglens.rules.texts import debug_logging_advice
from loglens.sessions import Session
from loglens.tokens import decode_claims, shape_problem

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


# --- picking ------------------------------------------------------------------------------------------------------


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
