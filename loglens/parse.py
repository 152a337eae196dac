"""Lines to entries: unwrap platform prefixes, let the grammar read Convai lines, attach frames and footers.

Only lines that can be Convai lines reach the Lark parser: a handful of literal markers decide that, so the
Unity noise around them (usually 95% of an Editor.log) costs a few substring checks per line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError
from pydantic import SecretStr

from loglens import jsonload, masking
from loglens import models as m
from loglens.grammar import build_parser
from loglens.masking import Masked, masked
from loglens.prefixes import unwrap_line
from loglens.sources import RawLine

# A line can be a Convai line only if it holds one of these.
BRACKET_MARKERS = ("[Error]", "[Warning]", "[Info]", "[Debug]", "[Trace]", "[Exception]")
OTHER_MARKERS = ("Session error: ", "ROOM DETAILS RECEIVED", "Exception: ")
MAX_PARSE_CHARS = 200_000  # a longer line is noise however it starts; keep the parser's work bounded
COLOR_CLOSE = "</color>"
FRAME_STARTS = (
    "at ", "UnityEngine.", "System.", "--- End of", "Rethrow as ", "[Stack Trace - ", "Caused by: ", COLOR_CLOSE
)  # fmt: skip


# --- platform prefixes ----------------------------------------------------------------------------------------


def unwrap(text: str) -> tuple[m.Platform, str]:
    """Remove a logcat or browser-console prefix; say which platform it came from (`loglens.prefixes`)."""
    found = unwrap_line(text)
    return found.platform, found.text


def strip_color(text: str) -> tuple[str | None, str]:
    """Split a `<color=X>...</color>` wrapper off a line; the closing tag may be missing (multi-line entry)."""
    color = None
    if text.startswith("<color="):
        close = text.find(">")
        if close != -1:
            color = text[7:close]
            text = text[close + 1 :]
    if text.endswith(COLOR_CLOSE):
        text = text[: -len(COLOR_CLOSE)]
    return color, text


# Frames that no word list catches: Editor.log native callstacks (`0x00007ff6c1c8bdec (Unity) StackWalker::...`,
# `0x0000025933c2fcdb (Mono JIT Code) ...`) and tombstone backtraces (`#00 pc 000000000004f3a8  /data/...`).
_ADDRESS_FRAME = re.compile(r"0x[0-9A-Fa-f]{6,} \(|#\d{2,3} pc [0-9A-Fa-f]{4,} ")


def is_frame(text: str) -> bool:
    """A stack frame, exception line or closing tag that continues the entry above it.

    Unity prints frames in several forms (LOG-FORMATS.md section 7): `Ns.Class:Method (args) (at Assets/X.cs:12)`,
    `Ns.Class.Method (Ns.Type arg) (at Assets/X.cs:344)`, Android's `Ns.Class:Method(Args)`, forum copies that put
    `  at File.cs:57` on a line of its own, `  at Ns.Class.Method () [0x00000] in <mvid>:0`, Java's
    `\tat java.lang...`, and the native callstacks above.
    """
    s = text.strip()
    if not s:
        return False
    if s.startswith(FRAME_STARTS):
        return True
    if s.startswith("[") or s.startswith("<color"):
        return False
    if "Exception: " in s or s.endswith("Exception"):
        return True
    if s[:1] in "0#" and _ADDRESS_FRAME.match(s):
        return True
    if not s.endswith(")"):
        return False
    # a method name: `Ns.Class:Method` or `Ns.Class.Method`, no spaces, before the argument list
    name = s.partition("(")[0].rstrip()
    return (":" in name or "." in name) and " " not in name and (name[:1].isalpha() or name[:1] in "_<")


def _exception_head(text: str) -> bool:
    """`DllNotFoundException: ...` at the start of a line: after Unity noise it opens an entry of its own (only a
    Convai entry carries its exception on the lines below it)."""
    return "Exception: " in text and not text[:1].isspace() and not text.startswith(("Rethrow as ", "Caused by: "))


def parse_footer(text: str) -> m.Footer | None:
    """`(Filename: <path> Line: N)`; the path may contain spaces."""
    s = text.strip()
    if not (s.startswith("(Filename: ") and s.endswith(")")):
        return None
    body = s[11:-1]
    path, sep, number = body.rpartition(" Line: ")
    if sep and number.strip().lstrip("-").isdigit():
        return m.Footer(path=Masked(path.strip()), line=int(number))
    return m.Footer(path=Masked(body.strip()))


# --- the transformer: grammar rules to events -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Body:
    """What one line's body turned into: the event, the inner tag it carried."""

    event: Any
    tag: str | None = None


def _text(token: Token | None) -> str | None:
    if token is None:
        return None
    value = str(token).strip()
    return value or None


def _split(children: list[Any]) -> tuple[str | None, list[Any]]:
    """Peel an optional leading inner `[Tag]` off a rule's children."""
    if children and isinstance(children[0], Token) and children[0].type == "TAG":
        return str(children[0])[1:-1], children[1:]
    return None, children


def _mode(token: Token | None) -> Masked | None:
    """`(mode=<x>)` without its brackets."""
    return masked(token[6:-1] if token else None)


def _first(children: list[Any], kind: str) -> Token | None:
    return next((c for c in children if isinstance(c, Token) and c.type == kind), None)


def _plain(value: object) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value)
    return text or None


def _opt(value: object) -> Masked | None:
    return masked(_plain(value))


def _secret(value: object, kind: str | None = None) -> SecretStr | None:
    """A secret value; with a `kind`, the analysis under way learns it, so its pieces are masked anywhere."""
    text = _plain(value)
    if text is None:
        return None
    if kind == "end-user-metadata":
        masking.current().learn_json(text, kind)
    elif kind is not None:
        masking.current().learn(text, kind)
    return SecretStr(text)


def _load_json(blob: str) -> tuple[dict[str, Any], m.RoomDetailsForm] | None:
    """Room details are plain JSON or JSON whose quotes were escaped on the way (`{\\"token\\":...}`)."""
    try:
        value = jsonload.loads(blob)
        if isinstance(value, dict):
            return value, "json"
    except json.JSONDecodeError:
        pass
    if '\\"' in blob:
        try:
            value = jsonload.loads(json.loads('"' + blob + '"'))
            if isinstance(value, dict):
                return value, "escaped-json"
        except json.JSONDecodeError:
            pass
    return None


ROOM_KEYS = {
    "token",
    "room_name",
    "room_url",
    "session_id",
    "character_session_id",
    "request_trace_id",
    "speaker_id",
    "end_user_id",
    "end_user_metadata",
    "transport",
    "characters",
    "room_session_id",
    "active_membership_id",
    "route_epoch",
    "roster_epoch",
    "partial_dispatch",
}

SUMMARY_KEYS = {
    "Room Name": "room_name",
    "Room URL": "room_url",
    "Session ID": "session_id",
    "Character Session ID": "character_session_id",
    "Resolved Speaker ID (diagnostics)": "speaker_id",
    "Resolved Speaker ID": "speaker_id",
    "Request Trace ID": "request_trace_id",
    "Resolved End User ID": "end_user_id",
}


def room_details_event(data: dict[str, Any], form: m.RoomDetailsForm) -> m.RoomDetails:
    token = _secret(data.get("token"), "livekit-token")  # learned before any other field is masked
    end_user_id = _secret(data.get("end_user_id"), "end-user-id")
    end_user_metadata = _secret(data.get("end_user_metadata"), "end-user-metadata")
    characters = tuple(
        m.RoomCharacter(
            character_id=_opt(c.get("character_id")),
            session_id=_opt(c.get("session_id")),
            character_session_id=_opt(c.get("character_session_id")),
        )
        for c in data.get("characters") or ()
        if isinstance(c, dict)
    )
    return m.RoomDetails(
        form=form,
        token=token,
        room_name=_opt(data.get("room_name")),
        room_url=_opt(data.get("room_url")),
        url=_secret(data.get("room_url")),
        session_id=_opt(data.get("session_id")),
        character_session_id=_opt(data.get("character_session_id")),
        request_trace_id=_opt(data.get("request_trace_id")),
        speaker_id=_opt(data.get("speaker_id")),
        end_user_id=end_user_id,
        end_user_metadata=end_user_metadata,
        transport=_opt(data.get("transport")),
        characters=characters,
        other_keys=tuple(sorted(Masked(k) for k in data if k not in ROOM_KEYS)),
    )


class _NotThisShape(Exception):
    """Raised by a rule whose text matched the grammar but not its meaning (e.g. JSON that does not load)."""


class ToEvents(Transformer[Token, Any]):
    """One method per grammar rule; each returns a `Body` (or a piece of one)."""

    # heads
    def head(self, children: list[Token]) -> m.LineHead:
        time = _first(children, "TIME")
        corr = _first(children, "CORRELATION")
        level = _first(children, "LEVEL")
        category = _first(children, "CATEGORY")
        assert level is not None and category is not None
        return m.LineHead(
            time=masked(str(time)[1:-1] if time else None),
            level=Masked(str(level)[1:-1]),
            category=Masked(str(category)[1:-1]),
            correlation_id=masked(str(corr)[1:-1] if corr else None),
        )

    def convai_line(self, children: list[Any]) -> tuple[m.LineHead, Body]:
        head = children[0]
        body = children[1] if len(children) > 1 else Body(m.LogMessage())
        return head, body

    def generic(self, children: list[Any]) -> tuple[m.LineHead, Body]:
        return self.convai_line(children)

    def line(self, children: list[Any]) -> tuple[None, Body]:
        return None, children[0]

    def tagged_text(self, children: list[Token]) -> Body:
        tag, _ = _split(children)
        return Body(m.LogMessage(), tag)

    # credentials
    def room_details(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        loaded = _load_json(str(rest[-1]))
        if loaded is None:
            raise _NotThisShape
        return Body(room_details_event(*loaded), tag)

    def legacy_room_details(self, children: list[Token]) -> Body:
        loaded = _load_json(str(children[-1]))
        if loaded is None:
            raise _NotThisShape
        data, form = loaded
        return Body(room_details_event(data, "legacy" if form == "json" else form))

    def summary_field(self, children: list[Token]) -> tuple[str, str | None]:
        key = str(children[0])[:-1].strip()
        return key, _text(children[1]) if len(children) > 1 else None

    def token_summary(self, children: list[Any]) -> Body:
        tag, rest = _split(children)
        token = _text(rest[0]) if rest and isinstance(rest[0], Token) else None
        if token is None:
            raise _NotThisShape
        fields: dict[str, Any] = {}
        other: list[str] = []
        for key, value in rest[1:] if isinstance(rest[0], Token) else rest:
            name = SUMMARY_KEYS.get(key)
            if name is None:
                other.append(key)
            elif name not in fields or fields[name] is None:
                fields[name] = value
        secret = SecretStr(token)
        masking.current().learn(token, "livekit-token")
        end_user = _secret(fields.pop("end_user_id", None), "end-user-id")
        url = _secret(fields.get("room_url"))
        shown: dict[str, Any] = {name: masked(value) for name, value in fields.items()}
        others = tuple(Masked(key) for key in other)
        return Body(m.TokenSummary(token=secret, end_user_id=end_user, url=url, other_keys=others, **shown), tag)

    # error codes
    def session_error(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        detail = _text(_first(rest, "TEXT"))
        if detail:
            detail = detail.lstrip("—–-: ").strip() or None
        source: m.SessionErrorSource = "session-metrics" if tag == "SessionMetrics" else "app" if tag else "sdk"
        return Body(m.SessionError(code=Masked(rest[0]), source=source, detail=masked(detail)), tag)

    def app_session_error(self, children: list[Token]) -> Body:
        detail = _text(_first(children, "TEXT"))
        if detail:
            detail = detail.lstrip("—–-: ").strip() or None
        return Body(m.SessionError(code=Masked(children[1]), source="app", detail=masked(detail)))

    def reconnection_failed(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        return Body(m.ReconnectionFailed(code=Masked(rest[0])), tag)

    def kv_pair(self, children: list[Token]) -> tuple[str, str | None]:
        return str(children[0]), _text(children[1]) if len(children) > 1 else None

    def room_init_failure(self, children: list[Any]) -> Body:
        tag, rest = _split(children)
        pairs = dict(rest)
        code = pairs.get("sessionErrorCode")
        status = pairs.get("responseCode")
        recoverable = pairs.get("sessionErrorRecoverable")
        message = pairs.get("sessionErrorMessage")
        return Body(
            m.RoomInitFailure(
                code=code if code and "." in code else None,
                failure_category=pairs.get("category"),
                response_code=int(status) if status and status.lstrip("-").isdigit() else None,
                recoverable={"true": True, "false": False}.get((recoverable or "").lower()),
                error_message=masked(message),
            ),
            tag,
        )

    def raw_response(self, children: list[Token]) -> str | None:
        return _text(children[0]) if children else None

    def unclassified_response(self, children: list[Any]) -> Body:
        tag, rest = _split(children)
        body = rest[2] if len(rest) > 2 else None
        return Body(
            m.UnclassifiedResponse(status=int(rest[0]), code=Masked(rest[1][1:-1]), body=masked(body)),
            tag,
        )

    # connecting
    def connect_attempt(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        mode = _first(rest, "MODE")
        return Body(
            m.ConnectAttempt(attempt=int(rest[0]), character_id=Masked(rest[1]), mode=_mode(mode)),
            tag,
        )

    def connect_succeeded(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        mode = _first(rest, "MODE")
        return Body(m.ConnectSucceeded(character_id=Masked(rest[0]), mode=_mode(mode)), tag)

    def connect_exhausted(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        return Body(m.ConnectExhausted(character_id=Masked(rest[0])), tag)

    def service_response(self, children: list[Token]) -> str | None:
        return _text(_first(children, "TEXT"))

    def room_request_failed(self, children: list[Any]) -> Body:
        tag, rest = _split(children)
        reason = _text(_first(rest, "REASON"))
        body = next((c for c in rest if isinstance(c, str) and not isinstance(c, Token)), None)
        return Body(
            m.RoomRequestFailed(status=int(rest[0]), reason=masked(reason), body=masked(body)),
            tag,
        )

    def transport_connecting(self, children: list[Token]) -> Body:
        return Body(m.TransportConnecting(), _split(children)[0])

    def transport_connected(self, children: list[Token]) -> Body:
        return Body(m.TransportConnected(), _split(children)[0])

    def transport_failed(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        reason = _text(_first(rest, "TEXT")) or ""
        problem = None
        _, found, after = reason.partition(", error: ")
        if found and "invalid token" in reason:
            problem = after.strip() or None
        return Body(m.TransportFailed(reason=Masked(reason), token_problem=masked(problem)), tag)

    # SessionMetrics
    def session_started(self, children: list[Token]) -> Body:
        return Body(m.SessionStarted(), _split(children)[0])

    def session_connected(self, children: list[Token]) -> Body:
        return Body(m.SessionConnected(), _split(children)[0])

    def reconnect_attempt(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        return Body(m.ReconnectAttempt(attempt=int(rest[0])), tag)

    def reconnect_succeeded(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        rate = _first(rest, "PERCENT")
        return Body(m.ReconnectSucceeded(attempt=int(rest[0]), success_rate=masked(rate)), tag)

    def session_ended(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        reason = _first(rest, "PAREN")
        return Body(m.SessionEnded(reason=masked(reason[1:-1].strip() if reason else None)), tag)

    # lifecycle
    def bootstrap(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        text = _text(_first(rest, "TEXT")) or ""
        stage: m.BootstrapStage = "other"
        if text.startswith("Initializing"):
            stage = "initializing"
        elif text.startswith("Initialization complete"):
            stage = "initialized"
        elif text.startswith("API key not configured"):
            stage = "api-key-missing"
        elif text.startswith("ConvaiSettings not found"):
            stage = "settings-missing"
        return Body(m.Bootstrap(stage=stage), tag)

    def invalid_stored_session(self, children: list[Token]) -> Body:
        return Body(m.InvalidStoredSession(), _split(children)[0])

    def user_text(self, children: list[Token]) -> Body:
        tag, rest = _split(children)
        text = _secret(_text(_first(rest, "TEXT")), "player-text")
        return Body(m.UserText(text=text or SecretStr("")), tag)

    def exception(self, children: list[Token]) -> Body:
        return Body(m.ExceptionRaised(type=Masked(children[0].rstrip(": "))))


# --- lines to entries -------------------------------------------------------------------------------------------


@cache
def _parser() -> Lark:
    return build_parser(ToEvents())


Parsed = tuple[m.LineHead | None, Body]
CACHE_LINE_CHARS = 2000


class LineParser:
    """Parse unwrapped lines (color tag already removed); None for a line that is not a Convai line.

    Convai lines repeat a lot once their time of day is set aside (status lines, retries, reconnects), so each
    instance caches the parse of the rest of the line and puts the time back on the head. The cache lives and
    dies with the instance: nothing read from one log stays in memory after it.
    """

    def __init__(self, cache_size: int = 2048) -> None:
        self._cached = lru_cache(maxsize=cache_size)(parse_line)
        self._masker: masking.Masker | None = None
        self._generation = 0

    def __call__(self, text: str) -> Parsed | None:
        masker = masking.current()
        if masker is not self._masker or masker.generation != self._generation:
            # a parse cached before a secret was learned may hold a piece of it in a masked field
            self._cached.cache_clear()
            self._masker, self._generation = masker, masker.generation
        if len(text) >= CACHE_LINE_CHARS:
            return parse_line(text)
        if text[:1] == "[" and text[3:4] == ":" and text[6:7] == ":":
            close = text.find("]", 8, 24)
            if close != -1:
                parsed = self._cached(text[close + 1 :])
                head = parsed[0] if parsed is not None else None
                if parsed is None or head is None:
                    return parse_line(text)
                return head.model_copy(update={"time": Masked(text[1:close])}), parsed[1]
        return self._cached(text)


def parse_line(text: str) -> Parsed | None:
    """Parse one unwrapped line (color tag already removed); None when it is not a Convai line."""
    if len(text) > MAX_PARSE_CHARS:
        return None
    parser = _parser()
    for start in ("line", "generic"):
        try:
            result: Parsed = parser.parse(text, start=start)  # type: ignore[assignment]
            return result
        except (LarkError, _NotThisShape, ValueError):
            continue
    return None


def could_be_convai(text: str) -> bool:
    """The literal gate in front of the parser."""
    if "]" in text:
        for marker in BRACKET_MARKERS:
            if marker in text:
                return True
    return any(marker in text for marker in OTHER_MARKERS)


def _summary(event: Any) -> str | None:
    """A display message for events whose text is mostly secret."""
    if isinstance(event, m.RoomDetails):
        return f"Room details received (room {event.room_name or '?'}, session {event.session_id or '?'})"
    if isinstance(event, m.TokenSummary):
        return f"Token summary (room {event.room_name or '?'}, session {event.session_id or '?'})"
    if isinstance(event, m.UserText):
        return "Sent user text message: <player-text>"
    return None


def body_text(text: str) -> str:
    """The message after the bracketed head (`[time][Level][Category][corr]:`), inner tag included."""
    pos = 0
    while text.startswith("[", pos):
        close = text.find("]", pos)
        if close == -1 or " " in text[pos:close]:
            break
        pos = close + 1
        if text.startswith(":", pos) or text.startswith(" ", pos):
            break
    return text[pos:].lstrip(": ").strip()


def split_context(message: str) -> tuple[str, dict[Masked, Masked]]:
    """Split a trailing ` {k=v, k2=v2}` context block off a message; JSON bodies are left alone."""
    if not message.endswith("}"):
        return message, {}
    start = message.rfind(" {")
    inner = message[start + 2 : -1] if start != -1 else ""
    if not inner or '"' in inner or "{" in inner or "=" not in inner:
        return message, {}
    context: dict[Masked, Masked] = {}
    for pair in inner.split(", "):
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or " " in key.strip():
            return message, {}
        context[Masked(key.strip())] = Masked(value.strip())
    return message[:start].rstrip(), context


@dataclass(slots=True)
class _Open:
    """The entry being assembled."""

    line: int
    end_line: int
    platform: m.Platform
    head: m.LineHead | None
    event: Any
    message: Masked
    frames: list[Masked] = field(default_factory=list)
    footer: m.Footer | None = None
    after_blank: bool = False

    def close(self) -> m.Entry:
        return m.Entry.model_construct(
            line=self.line,
            end_line=self.end_line,
            platform=self.platform,
            head=self.head,
            event=self.event,
            message=self.message,
            frames=tuple(self.frames),
            footer=self.footer,
        )


_UNPARSED = m.UnparsedLine()


class EntryParser:
    """Group raw lines into entries. Streaming: holds one open entry at a time.

    Hard-wrapped credentials lines are rejoined before this step (`loglens.wrap.WrapJoiner`). Every entry is
    built with `masker` active (the analysis's own, or a new one), which sees each raw line in order.
    """

    def __init__(
        self, lines: Iterable[RawLine], parse: LineParser | None = None, masker: masking.Masker | None = None
    ) -> None:
        self._lines = iter(lines)
        self.masker = masker or masking.active_or_new()
        self._parse = parse or LineParser()
        self.lines_read = 0
        self.long_lines = 0  # lines too long to be log lines: kept as unparsed entries, never parsed
        self.first_long_line = 0

    def _next(self) -> RawLine | None:
        line = next(self._lines, None)
        if line is not None:
            self.lines_read = line.number + line.joined
            self.masker.follow(line.text)
        return line

    def __iter__(self) -> Iterator[m.Entry]:
        context = masking.context_of(self.masker)
        entries = self._entries()
        while True:
            try:
                entry = context.run(next, entries)
            except StopIteration:
                return
            yield entry

    def _entries(self) -> Iterator[m.Entry]:
        current: _Open | None = None
        held: list[m.Entry] = []  # other apps' logcat lines that interleave with an open Unity entry
        while (raw := self._next()) is not None:
            unwrapped = unwrap_line(raw.text)
            platform, text = unwrapped.platform, unwrapped.text
            if not text or text.isspace():
                if current is not None:
                    current.after_blank = True
                continue
            if current is not None:
                if current.after_blank:
                    footer = parse_footer(text)
                    if footer is not None:
                        current.footer = footer
                        current.end_line = raw.number
                        yield current.close()
                        yield from held
                        held.clear()
                        current = None
                        continue
                elif unwrapped.foreign:
                    held.append(_Open(raw.number, raw.number, platform, None, _UNPARSED, self._masked(text)).close())
                    continue
                elif is_frame(text) and not (current.event is _UNPARSED and _exception_head(text)):
                    current.frames.append(self._masked(text.removesuffix(COLOR_CLOSE).strip()))
                    current.end_line = raw.number
                    continue
                yield current.close()
                yield from held
                held.clear()
            current = self._start(raw, platform, text)
        if current is not None:
            yield current.close()
        yield from held

    def _start(self, raw: RawLine, platform: m.Platform, text: str) -> _Open:
        if len(text) > MAX_PARSE_CHARS:
            self.long_lines += 1
            self.first_long_line = self.first_long_line or raw.number
        elif could_be_convai(text):
            color, inner = strip_color(text)
            parsed = self._parse(inner)
            if parsed is not None:
                head, body = parsed
                end = raw.number + raw.joined
                message = body_text(inner) if head is not None else inner.strip()
                context: dict[Masked, Masked] = {}
                if isinstance(body.event, m.LogMessage):
                    message, context = split_context(message)
                if head is not None and (body.tag or color or context):
                    update = {"tag": masked(body.tag), "color": masked(color), "context": context}
                    head = head.model_copy(update=update)
                shown = Masked(_summary(body.event) or message)
                return _Open(raw.number, end, platform, head, body.event, shown)
        return _Open(raw.number, raw.number + raw.joined, platform, None, _UNPARSED, self._masked(text))

    def _masked(self, text: str) -> Masked:
        """`Masked(text)` without looking the masker up: frames and noise lines are most of a log."""
        return Masked.trusted(self.masker.mask(text))


def parse_entries(lines: Iterable[RawLine]) -> Iterator[m.Entry]:
    """Entries of a log, in order, streaming."""
    return iter(EntryParser(lines))
