"""The report's words for values the library hands over as enum members (the JSON keeps the members' values)."""

from __future__ import annotations

from loglens.sessions import SessionStart

# What opened a session.
STARTED_BY = {
    SessionStart.BOOTSTRAP: "Bootstrapper initialized",
    SessionStart.SESSION_STARTED: "SessionMetrics session started",
    SessionStart.CONNECT_ATTEMPT: "connect attempt",
    SessionStart.CONNECT_AGAIN: "connect attempt 1",
    SessionStart.FIRST_ACTIVITY: "first Convai activity",
}
