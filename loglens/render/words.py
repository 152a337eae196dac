"""The report's words for values the library hands over as names (the JSON keeps the names)."""

from __future__ import annotations

from loglens.sessions import SessionStart

# What opened a session.
STARTED_BY: dict[SessionStart, str] = {
    "bootstrap": "Bootstrapper initialized",
    "session-started": "SessionMetrics session started",
    "connect-attempt": "connect attempt",
    "connect-again": "connect attempt 1",
    "first-activity": "first Convai activity",
}
