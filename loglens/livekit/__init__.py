"""Find the LiveKit URL and room token for LiveKit's connection test, decode the token, and say what would fail.

The library side of `loglens livekit`: lines in, data out. The token is the one thing loglens hands over in
plain text, on purpose; everything else this package builds (warnings, listings, the reasons why no token was
found) is made from names, times and line numbers only, so it can be shown or pasted without the token.

By job: `model` (the values handed over), `reading` (one streaming pass over the log), `pairs` (choosing the
pair, or saying why there is none), `checks` (what would fail besides the network). Their public names are
importable from here.
"""

from __future__ import annotations

import sys
import types
from datetime import datetime
from typing import TYPE_CHECKING

from loglens.livekit.checks import check, is_local_host, span, utc
from loglens.livekit.model import (
    CONVAI_CLOUD_URL,
    KEEP_SESSIONS,
    SOON_SECONDS,
    TEST_PAGE,
    TOKEN_FIELD,
    URL_FIELD,
    Handoff,
    Level,
    LogFacts,
    Notice,
    Pair,
)
from loglens.livekit.pairs import all_pairs, handoff, pick, session_pairs, why_no_credentials
from loglens.livekit.reading import ACCESS_TOKEN, MAX_SIGNAL_LINES, MAX_SIGNAL_PAIRS, read_log, signal_pair

if TYPE_CHECKING:
    from loglens.api import LogSource

__all__ = [
    "ACCESS_TOKEN",
    "CONVAI_CLOUD_URL",
    "KEEP_SESSIONS",
    "MAX_SIGNAL_LINES",
    "MAX_SIGNAL_PAIRS",
    "SOON_SECONDS",
    "TEST_PAGE",
    "TOKEN_FIELD",
    "URL_FIELD",
    "Handoff",
    "Level",
    "LogFacts",
    "Notice",
    "Pair",
    "all_pairs",
    "check",
    "handoff",
    "is_local_host",
    "pick",
    "read_log",
    "session_pairs",
    "signal_pair",
    "span",
    "utc",
    "why_no_credentials",
]


# --- `from loglens import livekit` -------------------------------------------------------------------------------


class _CallableModule(types.ModuleType):
    """`loglens.livekit` is this package and also the library function of that name (`loglens.api.livekit`):
    Python binds a package's submodule over any attribute of the same name, so the package itself answers calls."""

    def __call__(self, source: LogSource, *, session: int | None = None, now: datetime | None = None) -> Handoff:
        from loglens.api import livekit

        return livekit(source, session=session, now=now)


sys.modules[__name__].__class__ = _CallableModule
