"""The analyze job as a library call: lines in, a `Report` out. No I/O, no printing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import Field

from loglens import masking
from loglens import models as m
from loglens.classify import ErrorOccurrence, classify
from loglens.collapse import CollapsedView, Collapser, is_error_line
from loglens.diagnose import Evidence, Signals, run_rules
from loglens.masking import Masked
from loglens.parse import MAX_PARSE_CHARS
from loglens.sessions import Session, SessionBuilder
from loglens.sources import RawLine
from loglens.taxonomy import Taxonomy, load_taxonomy
from loglens.wrap import entry_parser

SCHEMA_VERSION = "1"
ERROR_GROUPS_SHOWN = 30
NOISE_GROUPS_SHOWN = 10


class CodeSummary(m.Frozen):
    """One distinct error code: how often, where, and what to do about it."""

    code: Masked
    category: Masked
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
    errors_by_category: dict[Masked, int]
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
    # Views for the text report only, kept out of JSON: noise lines are the user's own text, not Convai's.
    error_lines: CollapsedView = Field(default_factory=CollapsedView, exclude=True)
    noise: CollapsedView = Field(default_factory=CollapsedView, exclude=True)
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
                code=Masked(code),
                category=Masked(code.split(".", 1)[0]),
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


def analyze(
    lines: Iterable[RawLine],
    *,
    source: str = "<stdin>",
    taxonomy: Taxonomy | None = None,
    diagnose: bool = True,
    collapse: bool = True,
) -> Report:
    """Parse a log, classify what it holds and diagnose it; streams, so memory does not grow with the log.

    `diagnose=False` skips the rules (and the evidence they need), for comparing what they cost.
    Every string in the report that comes from the log is `Masked` with one `Masker` for the whole log, and
    the finished report is rescanned for pieces of secrets learned after the text holding them was masked.
    `collapse=False` skips the collapsed views, which only the text report shows (about a tenth of the time on a
    noisy Editor.log).
    """
    with masking.active(masking.Masker()) as masker:
        report = _analyze(lines, source, taxonomy or load_taxonomy(), diagnose, collapse)
        return masker.rescan(report)


def _analyze(lines: Iterable[RawLine], source: str, taxonomy: Taxonomy, diagnose: bool, collapse: bool) -> Report:
    parser = entry_parser(lines)
    builder = SessionBuilder()
    signals = Signals() if diagnose else None
    noise, error_lines = (Collapser(), Collapser()) if collapse else (None, None)
    errors: list[ErrorOccurrence] = []
    entries = convai = 0
    platforms: Counter[str] = Counter()
    for entry in parser:
        entries += 1
        platforms[entry.platform] += 1
        if signals is not None:
            signals.add(entry)
        if isinstance(entry.event, m.UnparsedLine):
            if noise is not None:
                noise.add(entry.line, entry.message)
            continue
        convai += 1
        builder.add(entry)
        if error_lines is not None and is_error_line(entry):
            error_lines.add(entry.line, entry.message)
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
        diagnoses=run_rules(Evidence(signals, errors, sessions)) if signals is not None else (),
        codes=tuple(summarize_codes(errors, taxonomy)),
        errors=tuple(errors),
        sessions=tuple(sessions),
        error_lines=error_lines.view(limit=ERROR_GROUPS_SHOWN) if error_lines else CollapsedView(),
        noise=noise.view(order="count", limit=NOISE_GROUPS_SHOWN, min_count=2) if noise else CollapsedView(),
    )
