"""The analyze job as a library call: lines in, a `Report` out. No I/O, no printing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import Field

from loglens import masking
from loglens import models as m
from loglens.attribution import KindSniffer, LogKind, describe, owner
from loglens.classify import CodeSeen, ErrorOccurrence, classify
from loglens.collapse import CollapsedView, Collapser, is_error_line
from loglens.diagnose import Evidence, Signals, run_rules
from loglens.masking import Masked
from loglens.parse import MAX_PARSE_CHARS, parse_entries
from loglens.sessions import Session, SessionBuilder
from loglens.sources import RawLine
from loglens.taxonomy import Taxonomy, category_of, load_taxonomy
from loglens.unexplained import ErrorTally, Unexplained

SCHEMA_VERSION = "1"
ERROR_GROUPS_SHOWN = 30
NOISE_GROUPS_SHOWN = 10
# What a report keeps of a long log: counts of everything, and a bounded sample with how much was left out.
LINES_KEPT = 50  # line numbers listed per code and per diagnosis
ERRORS_KEPT = 10  # occurrences listed per code (the latest one is listed too)
SESSIONS_HEAD, SESSIONS_TAIL = 10, 40  # sessions kept whole: the first and the latest; the rest are summarised


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


class SessionsOmitted(m.Frozen):
    """The sessions between the first and the latest ones kept whole, summarised."""

    count: int
    first_index: int
    last_index: int
    first_line: int
    last_line: int
    outcomes: dict[str, int] = Field(description="How many of them ended each way.")
    connected: int
    connect_attempts: int
    errors: dict[str, int] = Field(description="Error codes they reported, with how often.")


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
    parser = parse_entries(lines)
    builder = SessionBuilder()
    signals = Signals() if diagnose else None
    noise, error_lines = (Collapser(), Collapser()) if collapse else (None, None)
    errors = _Occurrences()
    entries = convai = 0
    platforms: Counter[str] = Counter()
    sniffer = KindSniffer()
    tally = ErrorTally()
    for entry in parser:
        entries += 1
        platforms[entry.platform] += 1
        if signals is not None:
            signals.add(entry)
        who = owner(entry)
        sniffer.add(entry, who)
        if isinstance(entry.event, m.UnparsedLine):
            if noise is not None:
                noise.add(entry.line, entry.message)
            continue
        if who != "convai":  # a game's or a plugin's exception: shown as an error line, never Convai's
            tally.add(entry)
            if error_lines is not None:
                error_lines.add(entry.line, entry.message)
            continue
        convai += 1
        builder.add(entry)
        if is_error_line(entry):
            tally.add(entry)
            if error_lines is not None:
                error_lines.add(entry.line, entry.message)
        occurrence = classify(entry, taxonomy)
        if occurrence is not None:
            errors.add(occurrence)
    sessions = builder.sessions()
    by_category = Counter(Masked(category_of(e.code)) for e in errors.seen)
    summary = Summary(
        lines=parser.lines_read,
        entries=entries,
        convai_entries=convai,
        sessions=len(sessions),
        errors=len(errors.seen),
        errors_by_category=dict(sorted(by_category.items(), key=lambda kv: taxonomy.rank(kv[0]))),
        platforms=dict(platforms),
        log_kind=sniffer.kind(),
    )
    notes = []
    if parser.long_lines:
        notes.append(
            f"{parser.long_lines} line(s) longer than {MAX_PARSE_CHARS:,} characters (first: line "
            f"{parser.first_long_line}) were not parsed; a log line is never that long, so this may not be a log"
        )
    if not convai:
        notes.append(describe(summary.log_kind, summary.lines))
    diagnoses = run_rules(Evidence(signals, errors.seen, sessions)) if signals is not None else ()
    codes = tuple(summarize_codes(errors.seen, taxonomy))
    cited = {line for d in diagnoses for line in d.lines} | {line for c in codes for line in c.lines}
    return Report(
        source=Masked(source),
        notes=tuple(notes),
        summary=summary,
        diagnoses=diagnoses,
        codes=codes,
        unexplained=tally.unexplained(cited),
        errors=errors.kept(),
        errors_omitted=len(errors.seen) - len(errors.kept()),
        sessions=_kept_sessions(sessions),
        sessions_omitted=_omitted_sessions(sessions),
        error_lines=error_lines.view(limit=ERROR_GROUPS_SHOWN) if error_lines else CollapsedView(),
        noise=noise.view(order="count", limit=NOISE_GROUPS_SHOWN, min_count=2) if noise else CollapsedView(),
    )


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


def _kept_sessions(sessions: list[Session]) -> tuple[Session, ...]:
    if len(sessions) <= SESSIONS_HEAD + SESSIONS_TAIL:
        return tuple(sessions)
    return (*sessions[:SESSIONS_HEAD], *sessions[-SESSIONS_TAIL:])


def _omitted_sessions(sessions: list[Session]) -> SessionsOmitted | None:
    middle = sessions[SESSIONS_HEAD:-SESSIONS_TAIL]
    if len(sessions) <= SESSIONS_HEAD + SESSIONS_TAIL or not middle:
        return None
    errors: Counter[str] = Counter()
    for session in middle:
        errors.update({e.code: e.count or len(e.lines) for e in session.errors})
    return SessionsOmitted(
        count=len(middle),
        first_index=middle[0].index,
        last_index=middle[-1].index,
        first_line=middle[0].start_line,
        last_line=middle[-1].end_line,
        outcomes=dict(Counter(s.outcome for s in middle)),
        connected=sum(1 for s in middle if s.connected),
        connect_attempts=sum(s.connect_attempts for s in middle),
        errors=dict(errors.most_common()),
    )
