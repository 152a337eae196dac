"""The analyze job as a library call: lines in, a `Report` out. No I/O, no printing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import Field

from loglens import masking
from loglens import models as m
from loglens.attribution import LogKind, Owner, describe
from loglens.classify import CodeSeen, ErrorOccurrence, classify
from loglens.collapse import CollapsedView, Collapser, is_error_line
from loglens.diagnose import Evidence, Signals, run_rules
from loglens.masking import Masked, mask_name
from loglens.parse import MAX_PARSE_CHARS, EntryParser
from loglens.sessionpool import RULES_HEAD, RULES_TAIL, SESSIONS_HEAD, SESSIONS_TAIL, SessionPool
from loglens.sessionpool import SessionsOmitted as SessionsOmitted  # where the report's readers import it
from loglens.sessions import Session
from loglens.sources import RawLine
from loglens.stream import EntryStream
from loglens.taxonomy import Taxonomy, category_of, load_taxonomy
from loglens.unexplained import ErrorTally, Unexplained

SCHEMA_VERSION = "1"
ERROR_GROUPS_SHOWN = 30
NOISE_GROUPS_SHOWN = 10
# What a report keeps of a long log: counts of everything, and a bounded sample with how much was left out.
LINES_KEPT = 50  # line numbers listed per code and per diagnosis
ERRORS_KEPT = 10  # occurrences listed per code (the latest one is listed too)


class CodeSummary(m.Frozen):
    """One distinct error code: how often, where, and what to do about it."""

    code: Masked
    category: Masked
    known: bool
    retryable: bool | None
    count: int
    lines: tuple[int, ...] = Field(description=f"The first {LINES_KEPT} lines where it occurred.")
    first_line: int = 0
    last_line: int = 0
    lines_omitted: int = Field(default=0, description="Lines where it occurred that `lines` leaves out.")
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
    log_kind: LogKind = Field(
        default="convai",
        description="What the log is: Convai's Unity SDK, Convai's Unreal plugin, LiveKit only, or something else.",
    )


class Report(m.Frozen):
    """Everything `analyze` found. Its JSON form is a documented, versioned API (`loglens schema`)."""

    schema_version: str = SCHEMA_VERSION
    source: Masked = Field(description="The input as named (a path can hold the OS user name: masked like log text).")
    summary: Summary
    diagnoses: tuple[m.Diagnosis, ...] = ()
    codes: tuple[CodeSummary, ...] = ()
    errors: tuple[ErrorOccurrence, ...] = ()
    errors_omitted: int = Field(
        default=0,
        description=f"Occurrences not listed in `errors` (the first {ERRORS_KEPT} and the latest of each code are).",
    )
    sessions: tuple[Session, ...] = ()
    unexplained: tuple[Unexplained, ...] = Field(
        default=(), description="Error lines that no error code and no diagnosis explains, collapsed."
    )
    sessions_omitted: SessionsOmitted | None = Field(
        default=None,
        description=f"Sessions left out of `sessions` (it keeps the first {SESSIONS_HEAD} and latest {SESSIONS_TAIL}).",
    )
    # Views for the text report only, kept out of JSON: noise lines are the user's own text, not Convai's.
    error_lines: CollapsedView = Field(default_factory=CollapsedView, exclude=True)
    noise: CollapsedView = Field(default_factory=CollapsedView, exclude=True)
    notes: tuple[str, ...] = Field(default=(), description="Things about the input itself the user should know.")


def _retry_rank(retryable: bool | None) -> int:
    """Codes the SDK will not retry need the user first; retried ones may clear by themselves."""
    return {False: 0, None: 1, True: 2}[retryable]


def summarize_codes(errors: Iterable[ErrorOccurrence | CodeSeen], taxonomy: Taxonomy) -> list[CodeSummary]:
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
                lines=tuple(where[:LINES_KEPT]),
                first_line=where[0],
                last_line=where[-1],
                lines_omitted=max(0, len(where) - LINES_KEPT),
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
    pool = SessionPool()
    stream = EntryStream(lines, pool.add)
    gather = _Gathered(diagnose, collapse)
    for entry, who in stream:
        gather.add(entry, who, taxonomy)
    errors = gather.errors
    by_category = Counter(Masked(category_of(e.code)) for e in errors.seen)
    summary = Summary(
        lines=stream.lines_read,
        entries=stream.entries,
        convai_entries=stream.convai,
        sessions=pool.count,
        errors=len(errors.seen),
        errors_by_category=dict(sorted(by_category.items(), key=lambda kv: taxonomy.rank(kv[0]))),
        platforms=dict(stream.platforms),
        log_kind=stream.kind(),
    )
    signals = gather.signals
    diagnoses = run_rules(Evidence(signals, errors.seen, pool.window())) if signals is not None else ()
    codes = tuple(summarize_codes(errors.seen, taxonomy))
    cited = {line for d in diagnoses for line in d.lines} | {line for c in codes for line in c.lines}
    noise, error_lines = gather.noise, gather.error_lines
    return Report(
        source=Masked(mask_name(source)),
        notes=_notes(stream.parser, summary, pool),
        summary=summary,
        diagnoses=diagnoses,
        codes=codes,
        unexplained=gather.tally.unexplained(cited),
        errors=errors.kept(),
        errors_omitted=len(errors.seen) - len(errors.kept()),
        sessions=pool.kept(),
        sessions_omitted=pool.omitted(),
        error_lines=error_lines.view(limit=ERROR_GROUPS_SHOWN) if error_lines else CollapsedView(),
        noise=noise.view(order="count", limit=NOISE_GROUPS_SHOWN, min_count=2) if noise else CollapsedView(),
    )


def _notes(parser: EntryParser, summary: Summary, pool: SessionPool) -> tuple[str, ...]:
    notes = []
    if parser.long_lines:
        notes.append(
            f"{parser.long_lines} line(s) longer than {MAX_PARSE_CHARS:,} characters (first: line "
            f"{parser.first_long_line}) were not parsed; a log line is never that long, so this may not be a log"
        )
    if not summary.convai_entries:
        notes.append(describe(summary.log_kind, summary.lines))
    if pool.dropped:
        notes.append(
            f"the diagnoses looked at the first {RULES_HEAD} and the latest {RULES_TAIL} of {pool.count:,} sessions "
            f"whole ({pool.dropped:,} between them only through their error codes and counts)"
        )
    return tuple(notes)


class _Gathered:
    """What the entries of one log leave behind for the report, each part bounded however long the log."""

    def __init__(self, diagnose: bool, collapse: bool) -> None:
        self.signals = Signals() if diagnose else None
        self.noise: Collapser | None = Collapser() if collapse else None
        self.error_lines: Collapser | None = Collapser() if collapse else None
        self.errors = _Occurrences()
        self.tally = ErrorTally()

    def add(self, entry: m.Entry, who: Owner, taxonomy: Taxonomy) -> None:
        if self.signals is not None:
            self.signals.add(entry)
        if isinstance(entry.event, m.UnparsedLine):
            if self.noise is not None:
                self.noise.add(entry.line, entry.message)
            return
        if who != "convai" or is_error_line(entry):  # a game's or a plugin's exception is never Convai's
            self.tally.add(entry)
            if self.error_lines is not None:
                self.error_lines.add(entry.line, entry.message)
        if who != "convai":
            return
        occurrence = classify(entry, taxonomy)
        if occurrence is not None:
            self.errors.add(occurrence)


class _Occurrences:
    """Every error code seen, as (code, line) pairs for counts and rules; whole occurrences for a bounded few."""

    def __init__(self) -> None:
        self.seen: list[CodeSeen] = []
        self._first: dict[str, list[ErrorOccurrence]] = {}
        self._latest: dict[str, ErrorOccurrence] = {}

    def add(self, occurrence: ErrorOccurrence) -> None:
        self.seen.append(CodeSeen(occurrence.code, occurrence.line, occurrence.retryable))
        first = self._first.setdefault(occurrence.code, [])
        if len(first) < ERRORS_KEPT:
            first.append(occurrence)
        else:
            self._latest[occurrence.code] = occurrence

    def kept(self) -> tuple[ErrorOccurrence, ...]:
        kept = [o for first in self._first.values() for o in first] + list(self._latest.values())
        return tuple(sorted(kept, key=lambda o: o.line))
