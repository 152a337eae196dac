"""The session pool keeps a bounded window and says of the rest exactly what keeping them all would have said."""

from __future__ import annotations

from collections import Counter

import pytest

from loglens import masking
from loglens.sessionpool import SESSIONS_HEAD, SESSIONS_TAIL, SessionPool, SessionsOmitted
from loglens.sessions import Session, SessionCode

HEAD, TAIL = SESSIONS_HEAD + 2, SESSIONS_TAIL + 5  # a small window, just wider than the report's
OUTCOMES = ("connected", "failed", "retries-exhausted", "ended")


def _session(index: int) -> Session:
    code = f"transport.code_{index % 7}"
    return Session(
        index=index,
        start_line=index * 10,
        end_line=index * 10 + 4,
        started_by="connect-attempt",
        connect_attempts=index % 4 + 1,
        connected=index % 3 == 0,
        errors=(SessionCode(code=code, lines=(index * 10 + 1,), count=index % 5 + 1),) if index % 2 else (),
        outcome=OUTCOMES[index % len(OUTCOMES)],
    )


def _expected(sessions: list[Session]) -> SessionsOmitted | None:
    """What the report said when it kept every session: the middle ones summarised in order."""
    middle = sessions[SESSIONS_HEAD:-SESSIONS_TAIL]
    if len(sessions) <= SESSIONS_HEAD + SESSIONS_TAIL or not middle:
        return None
    errors: Counter[str] = Counter()
    for s in middle:
        errors.update({e.code: e.count or len(e.lines) for e in s.errors})
    return SessionsOmitted(
        count=len(middle),
        first_index=middle[0].index,
        last_index=middle[-1].index,
        first_line=middle[0].start_line,
        last_line=middle[-1].end_line,
        outcomes=dict(Counter(s.outcome for s in middle)),
        connected=sum(s.connected for s in middle),
        connect_attempts=sum(s.connect_attempts for s in middle),
        errors=dict(errors.most_common()),
    )


@pytest.mark.parametrize(
    "count",
    [
        0,  # no session at all
        1,  # one: kept whole
        SESSIONS_HEAD + SESSIONS_TAIL,  # the most the report keeps without summarising
        SESSIONS_HEAD + SESSIONS_TAIL + 1,  # one in the report's middle, none dropped from the window
        HEAD + TAIL,  # the window exactly full
        HEAD + TAIL + 1,  # the first session dropped from the window
        HEAD + TAIL + 70,  # many dropped: the summary mixes early, dropped and late sessions
    ],
)
def test_pool_reports_what_keeping_every_session_did(count: int) -> None:
    with masking.active(masking.Masker()):
        sessions = [_session(i) for i in range(1, count + 1)]
        pool = SessionPool(HEAD, TAIL)
        for session in sessions:
            pool.add(session)
        expected_kept = (
            sessions
            if count <= SESSIONS_HEAD + SESSIONS_TAIL
            else [
                *sessions[:SESSIONS_HEAD],
                *sessions[-SESSIONS_TAIL:],
            ]
        )
        assert pool.count == count
        assert [s.index for s in pool.kept()] == [s.index for s in expected_kept]
        assert pool.omitted() == _expected(sessions)
        assert len(pool.window()) == min(count, HEAD + TAIL)
        assert pool.dropped == max(0, count - HEAD - TAIL)
