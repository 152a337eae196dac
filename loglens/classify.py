"""Error codes found in entries, classified against the taxonomy."""

from __future__ import annotations

from typing import Literal, NamedTuple

from pydantic import Field

from loglens import models as m
from loglens.masking import Masked
from loglens.taxonomy import Taxonomy, category_of

CodeContext = Literal[
    m.EventKind.SESSION_ERROR,
    m.EventKind.RECONNECTION_FAILED,
    m.EventKind.ROOM_INIT_FAILURE,
    m.EventKind.UNCLASSIFIED_RESPONSE,
]


class ErrorOccurrence(m.Frozen):
    """One appearance of an error code in the log."""

    code: Masked
    category: Masked
    known: bool
    retryable: bool | None = Field(description="Retried by the SDK itself; null when it depends or is unknown.")
    line: int
    message: Masked = Field(description="The message text, line head and color tags stripped, secrets masked.")
    context: CodeContext
    level: Masked | None = None


class CodeSeen(NamedTuple):
    """An error code and its line, without the rest of the occurrence: what counts and rules need of every one."""

    code: str
    line: int
    retryable: bool | None


def code_of(event: object) -> str | None:
    """The error code an event carries, if it is one of the code contexts."""
    if isinstance(event, m.CODE_EVENTS):
        return event.code
    return None


def _context(event: object) -> CodeContext:
    assert isinstance(event, m.CODE_EVENTS)
    return event.kind


def classify(entry: m.Entry, taxonomy: Taxonomy) -> ErrorOccurrence | None:
    event = entry.event
    code = code_of(event)
    if code is None:
        return None
    info = taxonomy.get(code)
    return ErrorOccurrence(
        code=Masked(code),
        category=Masked(category_of(code)),
        known=info is not None,
        retryable=info.retryable if info else None,
        line=entry.line,
        message=entry.message,
        context=_context(event),
        level=entry.head.level if entry.head else None,
    )
