"""A session's timeline: one short phrase per lifecycle line, and the bounded list that keeps them.

The phrases are part of the JSON report (a reader sees what happened without the log); they never hold a
secret, only kinds, numbers, codes and names the parser masked.
"""

from __future__ import annotations

from collections import deque
from importlib import resources
from typing import Generic, Literal, TypeVar

from pydantic import Field

from loglens import models as m
from loglens.diskcache import toml_data
from loglens.masking import Masked

Mark = Literal["ok", "failed", "warning", "info"]
T = TypeVar("T")


class TimelineItem(m.Frozen):
    line: int
    time: Masked | None = None
    event: m.EventKind = Field(description="The event kind, as in the parser's models.")
    text: Masked = Field(description="One short phrase; never a secret.")
    mark: Mark = "info"
    code: Masked | None = Field(default=None, description="The error code this line reported, if any.")


class Kept(Generic[T]):
    """The first `head` and the latest `tail` items of a stream, and how many fell between them."""

    def __init__(self, head: int, tail: int) -> None:
        self.head: list[T] = []
        self.tail: deque[T] = deque(maxlen=tail)
        self._head_size = head
        self.omitted = 0

    def append(self, item: T) -> None:
        if len(self.head) < self._head_size:
            self.head.append(item)
            return
        if len(self.tail) == self.tail.maxlen:
            self.omitted += 1
        self.tail.append(item)

    def last(self) -> T | None:
        return self.tail[-1] if self.tail else (self.head[-1] if self.head else None)

    def items(self) -> tuple[T, ...]:
        return (*self.head, *self.tail)

    def __bool__(self) -> bool:
        return bool(self.head)


class Phrase(m.Frozen):
    text: str
    mark: Mark


class Phrases(m.Frozen):
    """`timeline.toml`: the phrase of each lifecycle event, and of each Bootstrapper stage."""

    phrases: dict[m.EventKind, Phrase]
    bootstrap: dict[m.BootstrapStage, Phrase]


def _load() -> Phrases:
    return Phrases.model_validate(
        toml_data(resources.files("loglens").joinpath("timeline.toml").read_text(encoding="utf-8"))
    )


_WORDS = _load()
# The timeline phrase of each event kind (a template over its model's own fields) and its mark, from `timeline.toml`.
PHRASES: dict[m.EventKind, tuple[str, Mark]] = {kind: (p.text, p.mark) for kind, p in _WORDS.phrases.items()}
_BOOTSTRAP_PHRASES: dict[m.BootstrapStage, tuple[str, Mark]] = {
    stage: (p.text, p.mark) for stage, p in _WORDS.bootstrap.items()
}


def describe(event: m.Event) -> tuple[str, Mark] | None:
    """The timeline phrase for an event, or None when it does not belong on a timeline."""
    phrase = PHRASES.get(event.kind)
    if phrase is not None:
        template, mark = phrase
        return template.format_map(vars(event)), mark
    match event:
        case m.Bootstrap():
            return _BOOTSTRAP_PHRASES.get(event.stage)
        case m.ConnectAttempt():
            return f"connect attempt {event.attempt}" + (f" (mode={event.mode})" if event.mode else ""), "info"
        case m.RoomDetails() | m.TokenSummary():
            return f"credentials received for room {event.room_name or '?'}", "ok"
        case m.RoomInitFailure():
            return f"room init failed ({event.code or event.failure_category or 'no code'})", "failed"
        case m.TransportFailed():
            return "LiveKit connection failed" + (f": {event.token_problem}" if event.token_problem else ""), "failed"
        case m.SessionEnded():
            return "session ended" + (f" ({event.reason})" if event.reason else ""), "info"
    return None
