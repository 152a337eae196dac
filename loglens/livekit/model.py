"""The values `livekit` hands over: a URL and token pair, the facts read from a log, the notices, the handoff.

None of them prints the token: it is a `SecretStr`, and every message is made of names, times and line numbers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, SecretStr

from loglens import endpoints as ep
from loglens import models as m
from loglens.attribution import LogKind
from loglens.credentials import CredentialSource
from loglens.masking import Masked, masked_name
from loglens.sessions import Session
from loglens.tokens import Claims

TEST_PAGE = "https://livekit.com/webrtc/connection-test"
URL_FIELD = "LiveKit URL"
TOKEN_FIELD = "Room token"
CONVAI_CLOUD_URL = ep.CONVAI_LIVEKIT_URL
SOON_SECONDS = 15 * 60  # a token that expires sooner than this gets a reminder to hurry
KEEP_SESSIONS = 50  # of a long log: the latest sessions kept whole, and as many of the latest that logged a token

Level = Literal["error", "warning", "note"]


class Notice(m.Frozen):
    """One thing to know before running the test. `id` is a stable kebab-case slug; `message` never holds the
    token, the identity or any other personal value."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    level: Level
    message: str


class Pair(m.Frozen):
    """One LiveKit URL and room token as the log carries them. A room-details JSON line and the Token summary
    after it usually hold the same token: they make one pair, seen on both lines."""

    session: int = Field(ge=1, description="The session (as `analyze` numbers them) that logged it.")
    lines: tuple[int, ...] = Field(description="Every line that carried this token, in order.")
    sources: tuple[CredentialSource | Literal["signal-url"], ...]
    url: SecretStr | None = Field(
        default=None, description="Kept secret: a URL logged by a LiveKit client can embed the token."
    )
    host: str | None = None
    token: SecretStr
    room_name: str | None = None
    session_id: str | None = None
    character_session_id: str | None = None
    claims: Claims | None = None
    token_problem: str | None = Field(default=None, description="Why the token is not a whole JWT, if it is not.")

    @property
    def line(self) -> int:
        """The latest line that carried this pair."""
        return self.lines[-1]

    def expired(self, now: datetime) -> bool | None:
        return self.claims.expired(now) if self.claims else None

    @property
    def token_room(self) -> Masked | None:
        """The room the token grants, masked as a name (what `--list` shows; the hand-off shows the token)."""
        return masked_name(self.claims.video.room if self.claims and self.claims.video else None)


class LogFacts(m.Frozen):
    """What a log holds that matters here: its sessions, and enough counts to explain an absence."""

    lines: int
    convai_entries: int
    debug_transport_entries: int = Field(description="`[Debug][Transport]` lines: where 4.x logs the token.")
    grpc_entries: int = Field(default=0, description="`[GRPC]` lines: the v3 plugin, which predates LiveKit.")
    tokenless_lines: tuple[int, ...] = Field(default=(), description="Room details that carried no token.")
    log_kind: LogKind = "convai"
    signal_pairs: tuple[Pair, ...] = Field(
        default=(), description="Tokens in LiveKit clients' signal URLs (`...?access_token=`), any client's log."
    )
    sessions: tuple[Session, ...] = Field(
        default=(),
        description=f"Sessions kept whole: the latest {KEEP_SESSIONS}, the latest {KEEP_SESSIONS} that logged a "
        "token, the latest that failed and the one asked for; the others are only counted.",
    )
    session_count: int = 0
    pair_count: int = Field(default=0, description="URL and token pairs in all sessions, kept or not.")


class Handoff(m.Frozen):
    """The two values for the connection test, with the decoded claims and every warning, as of `checked_at`."""

    pair: Pair
    session_count: int
    pair_count: int
    checked_at: datetime
    expired: bool | None
    not_yet_valid: bool | None
    warnings: tuple[Notice, ...] = ()
