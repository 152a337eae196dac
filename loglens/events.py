"""Grammar rules to typed events: the transformer Lark runs while it parses a Convai line.

The grammar (`grammars/convai.lark`) reads the shape, including the optional inner `[Tag]` in one wrapping rule
and every optional part as a placeholder, so each method below receives fixed arguments by position. What the
keys of a room-details JSON or a Token summary mean is `eventdata`'s; `parse_line` and `LineParser` run it all
over one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError
from pydantic import SecretStr

from loglens import masking
from loglens import models as m
from loglens.eventdata import (
    load_room_json,
    room_details_event,
    room_init_failure_event,
    secret_value,
    token_summary_event,
)
from loglens.grammar import START_RULES, build_parser
from loglens.lines import MAX_PARSE_CHARS, clock
from loglens.masking import Masked, masked

Context = dict[Masked, Masked]


@dataclass(frozen=True, slots=True)
class Body:
    """What one line's body turned into: the event, the inner tag it carried, its trailing context block."""

    event: Any
    tag: str | None = None
    context: Context = field(default_factory=dict)


def _text(token: Token | None) -> str | None:
    if token is None:
        return None
    value = str(token).strip()
    return value or None


def _inner(token: Token | None) -> str | None:
    """A bracketed token (`[Tag]`, `(mode=x)`, `(reason)`) without its brackets."""
    return str(token)[1:-1] if token else None


def _mode(token: Token | None) -> Masked | None:
    """`(mode=<x>)` without its brackets."""
    return masked(token[6:-1] if token else None)


def _detail(token: Token | None) -> Masked | None:
    """The message after a session error's code, without the dash or colon in front of it."""
    detail = _text(token)
    return masked(detail.lstrip("—–-: ").strip() or None if detail else None)


BOOTSTRAP_STAGES: dict[str, m.BootstrapStage] = {
    "Initializing": "initializing",
    "Initialization complete": "initialized",
    "API key not configured": "api-key-missing",
    "ConvaiSettings not found": "settings-missing",
}


class NotThisShape(Exception):
    """Raised by a rule whose text matched the grammar but not its meaning (e.g. JSON that does not load)."""


def _source(tag: str | None) -> m.SessionErrorSource:
    return "session-metrics" if tag == "SessionMetrics" else "app" if tag else "sdk"


@v_args(inline=True)
class ToEvents(Transformer[Token, Any]):
    """One method per grammar rule, its arguments the rule's parts in order (None for a part left out)."""

    def head(self, time: Token | None, level: Token, category: Token, corr: Token | None) -> m.LineHead:
        """The head, of values masked here: built without validating them again (a Convai line has one)."""
        return m.LineHead.trusted(
            time=masked(_inner(time)),
            level=Masked(level[1:-1]),
            category=Masked(category[1:-1]),
            correlation_id=masked(_inner(corr)),
            tag=None,
            color=None,
            context={},
        )

    def convai_line(self, head: m.LineHead, body: Body) -> tuple[m.LineHead, Body]:
        return head, body

    def bare_line(self, event: Any) -> tuple[None, Body]:
        return None, Body(event)

    def message(self, tag: Token | None, event: Any) -> Body:
        tag_name = _inner(tag)
        if isinstance(event, m.SessionError):  # who raised it follows from the tag in front of it
            event = event.model_copy(update={"source": _source(tag_name)})
        return Body(event, tag_name)

    def text_message(self, tag: Token | None, _message: Token | None) -> Body:
        return Body(m.LogMessage(), _inner(tag))

    def text_with_context(self, tag: Token | None, _message: Token, context: Context) -> Body:
        return Body(m.LogMessage(), _inner(tag), context)

    def context(self, *pairs: tuple[Masked, Masked]) -> Context:
        return dict(pairs)

    def context_pair(self, key: Token, value: Token | None) -> tuple[Masked, Masked]:
        return Masked(key), Masked(_text(value) or "")

    # credentials
    def room_details(self, blob: Token) -> m.RoomDetails:
        loaded = load_room_json(str(blob))
        if loaded is None:
            raise NotThisShape
        return room_details_event(*loaded)

    def legacy_room_details(self, blob: Token) -> m.RoomDetails:
        loaded = load_room_json(str(blob))
        if loaded is None:
            raise NotThisShape
        data, form = loaded
        return room_details_event(data, "legacy" if form == "json" else form)

    def summary_field(self, key: Token, value: Token | None) -> tuple[str, str | None]:
        return key[:-1].strip(), _text(value)

    def token_summary(self, token: Token | None, *pairs: tuple[str, str | None]) -> m.TokenSummary:
        value = _text(token)
        if value is None:
            raise NotThisShape
        return token_summary_event(value, pairs)

    # error codes
    def session_error(self, code: Token, detail: Token | None) -> m.SessionError:
        return m.SessionError(code=Masked(code), source="sdk", detail=_detail(detail))

    def app_session_error(self, code: Token, detail: Token | None) -> m.SessionError:
        return m.SessionError(code=Masked(code), source="app", detail=_detail(detail))

    def reconnection_failed(self, code: Token) -> m.ReconnectionFailed:
        return m.ReconnectionFailed(code=Masked(code))

    def kv_pair(self, key: Token, value: Token | None) -> tuple[str, str | None]:
        return str(key), _text(value)

    def room_init_failure(self, *pairs: tuple[str, str | None]) -> m.RoomInitFailure:
        return room_init_failure_event(dict(pairs))

    def raw_response(self, text: Token | None) -> str | None:
        return _text(text)

    def unclassified_response(self, status: Token, code: Token, body: str | None) -> m.UnclassifiedResponse:
        return m.UnclassifiedResponse(status=int(status), code=Masked(code[1:-1]), body=masked(body))

    # connecting
    def connect_attempt(self, attempt: Token, character: Token, mode: Token | None) -> m.ConnectAttempt:
        return m.ConnectAttempt(attempt=int(attempt), character_id=Masked(character), mode=_mode(mode))

    def connect_succeeded(self, character: Token, mode: Token | None) -> m.ConnectSucceeded:
        return m.ConnectSucceeded(character_id=Masked(character), mode=_mode(mode))

    def connect_exhausted(self, character: Token) -> m.ConnectExhausted:
        return m.ConnectExhausted(character_id=Masked(character))

    def service_response(self, text: Token | None) -> str | None:
        return _text(text)

    def room_request_failed(self, status: Token, reason: Token | None, body: str | None) -> m.RoomRequestFailed:
        return m.RoomRequestFailed(status=int(status), reason=masked(_text(reason)), body=masked(body))

    def transport_connecting(self) -> m.Milestone:
        return m.Milestone(kind=m.EventKind.TRANSPORT_CONNECTING)

    def transport_connected(self) -> m.Milestone:
        return m.Milestone(kind=m.EventKind.TRANSPORT_CONNECTED)

    def transport_failed(self, reason: Token | None) -> m.TransportFailed:
        return m.TransportFailed(reason=Masked(_text(reason) or ""))

    def token_rejected(self, rejected: Token, problem: Token | None) -> m.TransportFailed:
        """LiveKit refused the token; what it found wrong with it follows `, error: `."""
        why = _text(problem)
        reason = f"{str(rejected).strip()}, error:" + (f" {why}" if why else "")
        return m.TransportFailed(reason=Masked(reason), token_problem=masked(why))

    # SessionMetrics
    def session_started(self) -> m.Milestone:
        return m.Milestone(kind=m.EventKind.SESSION_STARTED)

    def session_connected(self) -> m.Milestone:
        return m.Milestone(kind=m.EventKind.SESSION_CONNECTED)

    def reconnect_attempt(self, attempt: Token) -> m.ReconnectAttempt:
        return m.ReconnectAttempt(attempt=int(attempt))

    def reconnect_succeeded(self, attempt: Token, rate: Token | None) -> m.ReconnectSucceeded:
        return m.ReconnectSucceeded(attempt=int(attempt), success_rate=masked(rate))

    def session_ended(self, reason: Token | None, _snapshot: Token | None) -> m.SessionEnded:
        return m.SessionEnded(reason=masked(str(reason)[1:-1].strip() if reason else None))

    # lifecycle
    def bootstrap(self, stage: Token | None, _rest: Token | None) -> m.Bootstrap:
        return m.Bootstrap(stage=BOOTSTRAP_STAGES.get(str(stage), "other") if stage else "other")

    def invalid_stored_session(self, _rest: Token | None) -> m.InvalidStoredSession:
        return m.InvalidStoredSession()

    def user_text(self, text: Token | None) -> m.UserText:
        return m.UserText(text=secret_value(_text(text), "player-text") or SecretStr(""))

    def exception(self, kind: Token, _message: Token | None) -> m.ExceptionRaised:
        return m.ExceptionRaised(type=Masked(kind.rstrip(": ")))


# --- one line to its head and body ------------------------------------------------------------------------------


@cache
def _parser() -> Lark:
    return build_parser(ToEvents())


@cache
def _quick() -> Callable[[str], Parsed | None]:
    """The plain credentials lines' reader (`loglens.quickline`), imported on use: it reads this module's rules."""
    from loglens.quickline import QuickLines

    return QuickLines(_parser(), ToEvents())


Parsed = tuple[m.LineHead | None, Body]
CACHE_LINE_CHARS = 2000
SHORT_LINE_CHARS = 256  # the short tier of the parse cache (`LineParser`)
LONG_SHARE = 16  # the long tier holds this many times fewer lines


def parse_line(text: str) -> Parsed | None:
    """Parse one unwrapped line (color tag already removed); None when it is not a Convai line."""
    if len(text) > MAX_PARSE_CHARS:
        return None
    quick = _quick()(text)
    if quick is not None:
        return quick
    parser = _parser()
    for start in START_RULES:
        try:
            result: Parsed = parser.parse(text, start=start)  # type: ignore[assignment]
            return result
        except (LarkError, NotThisShape, ValueError):
            continue
    return None


class LineParser:
    """Parse unwrapped lines (color tag already removed); None for a line that is not a Convai line.

    Convai lines repeat a lot once their time of day is set aside (status lines, retries, reconnects), so each
    instance caches the parse of the rest of the line and puts the time back on the head. The cache lives and
    dies with the instance: nothing read from one log stays in memory after it. Each parse keeps what its fields
    were masked from and to: once the masker has learned a secret since, a cached parse is used again only if
    every one of them still masks the same (`Masker.still_masks`), else the line is parsed again.

    The cache has two tiers, like `loglens.memo`: `cache_size` lines of up to `SHORT_LINE_CHARS` (the status, retry
    and connect lines that make up most of the parses), and a sixteenth as many longer ones (credentials lines,
    whose token is seldom logged twice), so the long lines cannot push out the many short ones, and the cache
    holds no more than the one tier of `cache_size` lines it replaced.
    """

    def __init__(self, cache_size: int = 2048) -> None:
        self._size = cache_size
        self._parsed: dict[str, _CachedParse] = {}
        self._long: dict[str, _CachedParse] = {}
        self._masker: masking.Masker | None = None
        self._generation = 0
        self._last: tuple[str, Parsed | None] | None = None  # the line parsed last: the wrap check asks first

    def __call__(self, text: str) -> Parsed | None:
        masker = masking.current()
        last = self._last
        if last is not None and last[0] == text and masker is self._masker and masker.generation == self._generation:
            return last[1]
        if masker is not self._masker:
            self._parsed.clear()
            self._long.clear()
        self._masker, self._generation = masker, masker.generation
        with masker.recording() as journal:
            parsed = self._parse(text, masker, journal)
        self._last = (text, parsed)
        if masker.generation != self._generation:  # this line taught the masker a secret (a credentials line)
            self._generation = masker.generation
            if not masker.still_masks(journal):  # a field masked before the secret was known holds a piece of it
                self._last = None
        return parsed

    def _parse(self, text: str, masker: masking.Masker, journal: Journal) -> Parsed | None:
        if len(text) >= CACHE_LINE_CHARS:
            return parse_line(text)
        if text[:1] == "[" and text[3:4] == ":" and text[6:7] == ":":
            close = text.find("]", 8, 24)
            if close != -1:
                parsed = self._cached(text[close + 1 :], masker, journal)
                head = parsed[0] if parsed is not None else None
                if parsed is None or head is None:
                    return parse_line(text)
                return head.model_copy(update={"time": clock(text[1:close])}), parsed[1]
        return self._cached(text, masker, journal)

    def _cached(self, text: str, masker: masking.Masker, journal: Journal) -> Parsed | None:
        short = len(text) <= SHORT_LINE_CHARS
        tier, size = (self._parsed, self._size) if short else (self._long, max(1, self._size // LONG_SHARE))
        hit = tier.get(text)
        if hit is not None:
            parsed, masks, generation = hit
            if generation == masker.generation:
                return parsed
            if masker.still_masks(masks):
                tier[text] = (parsed, masks, masker.generation)
                return parsed
        generation, start = masker.generation, len(journal)
        parsed = parse_line(text)
        if len(tier) >= size:
            del tier[next(iter(tier))]
        tier[text] = (parsed, journal[start:], generation)
        return parsed


Journal = list[tuple[str, str]]
_CachedParse = tuple[Parsed | None, Journal, int]  # the parse, what it masked (text, masked), the generation then
