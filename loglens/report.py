"""The analyze job as a library call: lines in, a `Report` out. No I/O, no printing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import Field

from loglens import models as m
from loglens.classify import ErrorOccurrence, classify
from loglens.parse import MAX_PARSE_CHARS, EntryParser
from loglens.sessions import Session, SessionBuilder
from loglens.sources import RawLine
from loglens.taxonomy import Taxonomy, load_taxonomy

SCHEMA_VERSION = "1"


class CodeSummary(m.Frozen):
    """One distinct error code: how often, where, and what to do about it."""

    code: str
    category: str
    known: bool
    retryable: bool | None
    count: int
    lines: tuple[int, ...]
    title: str | None = None
    meaning: str | None = None
    retry_note: str | None = None
    fix: tuple[str, ...] = ()
    verify: str | None = None


class Summary(m.Frozen):
    lines: int
    entries: int
    convai_entries: int
    sessions: int
    errors: int
    errors_by_category: dict[str, int]
    platforms: dict[str, int] = Field(description="Entries per platform wrapper (unity, logcat, webgl).")


class Report(m.Frozen):
    """Everything `analyze` found. Its JSON form is a documented, versioned API (`loglens schema`)."""

    schema_version: str = SCHEMA_VERSION
    source: str
    summary: Summary
    diagnoses: tuple[m.Diagnosis, ...] = ()
    codes: tuple[CodeSummary, ...] = ()
    errors: tuple[ErrorOccurrence, ...] = ()
    sessions: tuple[Session, ...] = ()
    notes: tuple[str, ...] = Field(default=(), description="Things about the input itself the user should know.")


def _retry_rank(retryable: bool | None) -> int:
    """Codes the SDK will not retry need the user first; retried ones may clear by themselves."""
    return {False: 0, None: 1, True: 2}[retryable]


def summarize_codes(errors: Iterable[ErrorOccurrence], taxonomy: Taxonomy) -> list[CodeSummary]:
    lines: dict[str, list[int]] = {}
    for error in errors:
        lines.setdefault(error.code, []).append(error.line)
    summaries = []
    for code, where in lines.items():
        info = taxonomy.get(code)
        summaries.append(
            CodeSummary(
                code=code,
                category=code.split(".", 1)[0],
                known=info is not None,
                retryable=info.retryable if info else None,
                count=len(where),
                lines=tuple(where),
                title=info.title if info else None,
                meaning=info.meaning if info else None,
                retry_note=info.retry_note or None if info else None,
                fix=info.fix if info else (),
                verify=info.verify if info else None,
            )
        )
    summaries.sort(key=lambda s: (taxonomy.rank(s.category), _retry_rank(s.retryable), s.lines[0]))
    return summaries


def analyze(lines: Iterable[RawLine], *, source: str = "<stdin>", taxonomy: Taxonomy | None = None) -> Report:
    """Parse a log and classify what it holds; streams, so memory does not grow with the log."""
    taxonomy = taxonomy or load_taxonomy()
    parser = EntryParser(lines)
    builder = SessionBuilder()
    errors: list[ErrorOccurrence] = []
    entries = convai = 0
    platforms: Counter[str] = Counter()
    for entry in parser:
        entries += 1
        platforms[entry.platform] += 1
        if isinstance(entry.event, m.UnparsedLine):
            continue
        convai += 1
        builder.add(entry)
        occurrence = classify(entry, taxonomy)
        if occurrence is not None:
            errors.append(occurrence)
    sessions = builder.sessions()
    by_category = Counter(e.category for e in errors)
    summary = Summary(
        lines=parser.lines_read,
        entries=entries,
        convai_entries=convai,
        sessions=len(sessions),
        errors=len(errors),
        errors_by_category=dict(sorted(by_category.items(), key=lambda kv: taxonomy.rank(kv[0]))),
        platforms=dict(platforms),
    )
    notes = []
    if parser.long_lines:
        notes.append(
            f"{parser.long_lines} line(s) longer than {MAX_PARSE_CHARS:,} characters (first: line "
            f"{parser.first_long_line}) were not parsed; a log line is never that long, so this may not be a log"
        )
    if not convai:
        notes.append("no Convai SDK lines were found")
    return Report(
        source=source,
        notes=tuple(notes),
        summary=summary,
        codes=tuple(summarize_codes(errors, taxonomy)),
        errors=tuple(errors),
        sessions=tuple(sessions),
    )
