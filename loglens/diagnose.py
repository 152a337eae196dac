"""Diagnoses: an explicit tuple of small rules that turn evidence in a log into what to do first.

Each rule has a stable kebab-case id, a severity, a title, a cause paragraph, fix steps and a verify step, and a
check that looks at the evidence and either stays quiet or fires on the line numbers it saw. The knowledge comes
from Convai's troubleshooting tables (symptom, likely cause, fix, verify) and LiveKit's firewall facts.

Evidence is gathered while the log streams by (`Signals.add`, a few attribute checks per entry and a handful of
substring tests per noise line); the rules run once at the end over the error codes, the sessions and those
signals, so diagnosing costs little next to parsing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from loglens import models as m
from loglens.classify import CodeSeen, ErrorOccurrence
from loglens.detectors import mask
from loglens.endpoints import CONNECT_API_HOST, REST_HOST
from loglens.masking import Masked
from loglens.native import NativeSignals
from loglens.sessions import SUCCESS_EVENTS, Credentials, Session, is_cloud_host
from loglens.taxonomy import category_of

# --- signals ------------------------------------------------------------------------------------------------------

KEEP = 50  # evidence lines kept per signal, and listed per diagnosis; a report shows a dozen
TOKEN_EXPIRED = "token is expired"
TOKEN_NOT_YET_VALID = "token not valid yet"
PC_FAILED = "could not establish pc connection"  # LiveKit's wording for an ICE failure
# Words of a failed certificate check, looked for in Convai failure messages only.
TLS_WORDS = ("certificate", "Certificate", "x509", "X509", "SSL", "TLS handshake", "tls: ")
# UnityWebRequest's verdict on a certificate it does not trust (`Curl error 60: Cert verify failed: UNITYTLS_X509...`).
UNITY_TLS = "UNITYTLS_X509"
WEBGL_TAG = "WebGLRoomController"
FAILURE_LEVELS = ("Error", "Warning", "Exception")
SUCCESS_KINDS = frozenset(cls.model_fields["kind"].default for cls in SUCCESS_EVENTS)


def _mentions_mic(text: str) -> bool:
    """A browser refusing the microphone.

    Over plain HTTP `navigator.mediaDevices` does not exist at all; a bare `NotAllowedError` is not enough, since
    autoplay blocking raises it too. Spelled out rather than `any()` over a tuple: this runs on every noise line.
    """
    return "getUserMedia" in text or "mediaDevices" in text or "NotAllowedError: Permission denied" in text


def _note(where: list[int], line: int) -> None:
    if len(where) < KEEP:
        where.append(line)


class Signals:
    """Facts other than error codes, collected entry by entry as line numbers (a bounded few of each)."""

    def __init__(self) -> None:
        self.api_key_warning: list[int] = []
        self.settings_missing: list[int] = []
        self.http: dict[int, list[int]] = {}
        self.token_expired: list[int] = []
        self.token_not_yet_valid: list[int] = []
        self.tls: list[int] = []
        self.browser_mic: list[int] = []
        self.webgl: list[int] = []
        self.debug_transport: list[int] = []
        self.pc_failed: list[int] = []
        self.native = NativeSignals()

    def add(self, entry: m.Entry) -> None:
        if entry.platform == "webgl":
            _note(self.webgl, entry.line)
        e = entry.event
        for frame in entry.frames:  # an exception line under another message counts at the entry's line
            self.native.add(entry.line, frame)
        if isinstance(e, m.UnparsedLine):
            self._noise(entry.line, entry.message)
            return
        head = entry.head
        if head is not None:
            if head.level == "Debug" and head.category == "Transport":
                _note(self.debug_transport, entry.line)
            if head.tag == WEBGL_TAG:
                _note(self.webgl, entry.line)
        match e:
            case m.Bootstrap(stage="api-key-missing"):
                _note(self.api_key_warning, entry.line)
            case m.Bootstrap(stage="settings-missing"):
                _note(self.settings_missing, entry.line)
            case m.RoomRequestFailed():
                self._status(e.status, entry.line)
            case m.RoomInitFailure(response_code=int() as status):
                self._status(status, entry.line)
            case m.UnclassifiedResponse():
                self._status(e.status, entry.line)
        message = entry.message
        self.native.add(entry.line, message)
        if isinstance(e, m.TransportFailed) and PC_FAILED in e.reason:
            _note(self.pc_failed, entry.line)
        if TOKEN_EXPIRED in message:
            _note(self.token_expired, entry.line)
        if TOKEN_NOT_YET_VALID in message:
            _note(self.token_not_yet_valid, entry.line)
        if _mentions_mic(message):
            _note(self.browser_mic, entry.line)
        failing = isinstance(e, m.TransportFailed | m.RoomRequestFailed | m.RoomInitFailure) or (
            head is not None and head.level in FAILURE_LEVELS
        )
        if failing and any(word in message for word in TLS_WORDS):
            _note(self.tls, entry.line)

    def _noise(self, line: int, text: str) -> None:
        """The few non-Convai lines that carry evidence: LiveKit's JS client, the browser, UnityWebRequest."""
        if TOKEN_EXPIRED in text:
            _note(self.token_expired, line)
        if TOKEN_NOT_YET_VALID in text:
            _note(self.token_not_yet_valid, line)
        if UNITY_TLS in text:
            _note(self.tls, line)
        self.native.add(line, text)
        if _mentions_mic(text):
            _note(self.browser_mic, line)

    def _status(self, status: int, line: int) -> None:
        _note(self.http.setdefault(status, []), line)


# --- what rules look at -------------------------------------------------------------------------------------------


class Evidence:
    """Everything a rule may look at: error codes by line, sessions, and the streamed signals."""

    def __init__(
        self, signals: Signals, errors: Iterable[ErrorOccurrence | CodeSeen], sessions: Sequence[Session]
    ) -> None:
        self.signals = signals
        self.sessions = tuple(sessions)
        self._starts = [s.start_line for s in self.sessions]
        self.codes: dict[str, list[int]] = {}
        self.retryable: dict[str, bool | None] = {}
        for error in errors:
            self.codes.setdefault(error.code, []).append(error.line)
            self.retryable[error.code] = error.retryable

    def lines(self, *codes: str) -> list[int]:
        return [line for code in codes for line in self.codes.get(code, ())]

    def category(self, name: str) -> list[str]:
        return [code for code in self.codes if category_of(code) == name]

    def http(self, *statuses: int) -> list[int]:
        return [line for status in statuses for line in self.signals.http.get(status, ())]

    def session_at(self, line: int) -> Session | None:
        """The session whose lines include `line`."""
        index = bisect_right(self._starts, line) - 1
        if index < 0:
            return None
        session = self.sessions[index]
        return session if line <= session.end_line else None

    def latest_credentials(self, sessions: Iterable[Session] | None = None) -> Credentials | None:
        pool = self.sessions if sessions is None else tuple(sessions)
        for session in reversed(pool):
            if session.credentials:
                return session.credentials[-1]
        return None


def last_success(session: Session) -> int:
    """The line where the session last connected or reconnected; 0 when it never did."""
    return max((item.line for item in session.timeline if item.event in SUCCESS_KINDS), default=0)


def first_success(session: Session) -> int | None:
    return next((item.line for item in session.timeline if item.event in SUCCESS_KINDS), None)


# --- rules --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule fired: the lines it saw, and whatever of its text this log changes."""

    lines: tuple[int, ...]
    values: Mapping[str, str] = field(default_factory=dict)
    severity: m.Severity | None = None
    title: str | None = None
    cause: str | None = None
    fix: tuple[str, ...] | None = None
    verify: str | None = None


def hit(
    lines: Iterable[int],
    *,
    values: Mapping[str, str] | None = None,
    severity: m.Severity | None = None,
    title: str | None = None,
    cause: str | None = None,
    fix: tuple[str, ...] | None = None,
    verify: str | None = None,
) -> Hit | None:
    """A `Hit` on `lines`, or None when there is no evidence: a rule never fires on nothing."""
    found = tuple(sorted(set(lines)))
    if not found:
        return None
    return Hit(found, dict(values or {}), severity, title, cause, fix, verify)


Check = Callable[[Evidence], Hit | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """One diagnosis. `meaning` is the one-line summary the README table carries."""

    id: str
    severity: m.Severity
    title: str
    meaning: str
    cause: str
    fix: tuple[str, ...]
    verify: str
    check: Check

    def run(self, evidence: Evidence) -> m.Diagnosis | None:
        found = self.check(evidence)
        if found is None:
            return None
        values = {key: mask(value) for key, value in found.values.items()}

        def fill(text: str) -> Masked:
            return Masked(text.format_map(values))

        return m.Diagnosis(
            rule=self.id,
            severity=found.severity or self.severity,
            title=fill(found.title or self.title),
            cause=fill(found.cause or self.cause),
            fix=tuple(fill(step) for step in (found.fix or self.fix)),
            verify=fill(found.verify or self.verify),
            lines=found.lines[:KEEP],
            lines_omitted=max(0, len(found.lines) - KEEP),
        )


# configuration ---------------------------------------------------------------------------------------------------


def _api_key_missing(ev: Evidence) -> Hit | None:
    return hit(ev.lines("config.api_key_missing") + ev.signals.api_key_warning)


API_KEY_MISSING = Rule(
    id="api-key-missing",
    severity="blocker",
    title="No API key is configured",
    meaning="`config.api_key_missing` or the Bootstrapper's 'API key not configured' warning: the key field is empty.",
    cause=(
        "The Convai settings of this project hold no API key, so the SDK stops before it sends anything to Convai. "
        "The Bootstrapper warns about this as soon as Play mode starts, and every connect fails the same way until "
        "a key is entered."
    ),
    fix=(
        "Copy the API key from your Convai dashboard.",
        "Open Edit > Project Settings > Convai SDK and paste it into the API key field, with no spaces around it.",
        "Save the project and enter Play mode again.",
    ),
    verify="The 'API key not configured' warning is gone on the next Play and no config.api_key_missing is logged.",
    check=_api_key_missing,
)


def _settings_missing(ev: Evidence) -> Hit | None:
    return hit(ev.signals.settings_missing)


SETTINGS_MISSING = Rule(
    id="convai-settings-missing",
    severity="blocker",
    title="The ConvaiSettings asset is missing",
    meaning="The Bootstrapper found no ConvaiSettings asset, so there is no API key or any other setting.",
    cause=(
        "The Bootstrapper looked for the project's ConvaiSettings asset and did not find it. Without it the SDK "
        "has no API key and none of its other settings, so no character can connect. This happens after a fresh "
        "checkout that left the asset out of version control, or after the SDK was reinstalled."
    ),
    fix=(
        "Open Edit > Project Settings > Convai SDK; opening the page creates the settings asset.",
        "Paste your API key there and adjust the other settings you rely on.",
        "Commit the settings asset so that other checkouts get it too.",
    ),
    verify="The Bootstrapper logs 'Initialization complete.' and no longer reports that ConvaiSettings is missing.",
    check=_settings_missing,
)


def _character_id_missing(ev: Evidence) -> Hit | None:
    return hit(ev.lines("config.character_id_missing"))


CHARACTER_ID_MISSING = Rule(
    id="character-id-missing",
    severity="blocker",
    title="A character has no Character ID",
    meaning="`config.character_id_missing`: the Character ID field is empty (not wrong).",
    cause=(
        "A ConvaiCharacter component has an empty Character ID field, so the SDK has no character to ask Convai "
        "for and gives up before any request. The field is blank, not mistyped: a wrong ID would reach Convai and "
        "come back as 'character not found'."
    ),
    fix=(
        "Copy the character's ID from the Convai dashboard.",
        "Select the GameObject with the ConvaiCharacter component and paste the ID into its Character ID field.",
        "Check prefab instances and scene overrides too, so that none of them blanks the field again.",
    ),
    verify="Entering Play mode starts a connect attempt for the character and config.character_id_missing is gone.",
    check=_character_id_missing,
)


# Convai's answer to the connect request -------------------------------------------------------------------------


def _invalid_api_key(ev: Evidence) -> Hit | None:
    codes = ev.lines("connection.connect_invalid_api_key", "connection.auth_failed")
    return hit(codes + ev.http(401) + ev.signals.native.status("Unauthenticated"))


INVALID_API_KEY = Rule(
    id="invalid-api-key",
    severity="blocker",
    title="Convai rejected the API key",
    meaning=(
        "`connection.connect_invalid_api_key`, `connection.auth_failed` or the v3 plugin's gRPC `Unauthenticated`: "
        "the key is wrong or revoked."
    ),
    cause=(
        "Convai answered the connect request with an authentication failure: the API key in the project settings "
        "is not valid. It may be mistyped, carry a stray space from copying, belong to another account, or have "
        "been revoked or rotated. The SDK does not retry this, because the same key fails every time."
    ),
    fix=(
        "Copy a fresh API key from the Convai dashboard.",
        "Paste it into Edit > Project Settings > Convai SDK, checking for spaces before or after it.",
        "If the key was rotated, update every project and build that still carries the old one.",
    ),
    verify="The next connect reaches the Connected state without an authentication error.",
    check=_invalid_api_key,
)


def _character_not_found(ev: Evidence) -> Hit | None:
    codes = ev.lines("connection.connect_character_not_found", "connection.not_found")
    return hit(codes + ev.http(404))


CHARACTER_NOT_FOUND = Rule(
    id="character-not-found",
    severity="blocker",
    title="Convai does not know this Character ID",
    meaning="`connection.connect_character_not_found`, `connection.not_found` or a Connect API HTTP 404.",
    cause=(
        "Convai found no character with the ID this project asked for. The ID is set but wrong: a typo, a "
        "copied space, a character that was deleted, or a character that belongs to a different account than the "
        "API key in the project settings."
    ),
    fix=(
        "Open the character in the Convai dashboard and copy its ID again.",
        "Paste it into the Character ID field of the ConvaiCharacter component, with nothing around it.",
        "Make sure the API key in Edit > Project Settings > Convai SDK comes from the account that owns the character.",
    ),
    verify="The connect for this character reaches the Connected state.",
    check=_character_not_found,
)


def _realtime_not_allowed(ev: Evidence) -> Hit | None:
    return hit(ev.lines("connection.connect_realtime_not_allowed"))


REALTIME_NOT_ALLOWED = Rule(
    id="realtime-not-allowed",
    severity="blocker",
    title="Realtime sessions are not enabled for this account",
    meaning="`connection.connect_realtime_not_allowed`: the plan does not include realtime access.",
    cause=(
        "Convai refused to start a realtime session (HTTP 403) because realtime access is not enabled for the "
        "account that owns the API key. Nothing in the project can change that; the account's plan has to."
    ),
    fix=(
        "Check the account's plan in the Convai dashboard.",
        "Upgrade the plan, or ask Convai support to enable realtime access for the account.",
    ),
    verify="The next connect reaches the Connected state.",
    check=_realtime_not_allowed,
)


def _usage_limit(ev: Evidence) -> Hit | None:
    return hit(ev.lines("server.usage_limit_reached"))


USAGE_LIMIT = Rule(
    id="usage-limit",
    severity="blocker",
    title="The account's usage quota is used up",
    meaning="`server.usage_limit_reached`: the daily or monthly quota is exhausted.",
    cause=(
        "Convai stopped serving this account because its daily or monthly usage quota is exhausted. Sessions "
        "will keep failing until the quota resets or the plan allows more."
    ),
    fix=(
        "Open the usage page of the Convai dashboard to see what was used and when the quota resets.",
        "Wait for the reset, or upgrade the plan.",
    ),
    verify="A session connects again after the reset or the upgrade.",
    check=_usage_limit,
)


def _concurrency_limit(ev: Evidence) -> Hit | None:
    return hit(ev.lines("connection.connect_concurrency_limit_reached", "connection.connect_speaker_limit_reached"))


CONCURRENCY_LIMIT = Rule(
    id="concurrency-limit",
    severity="error",
    title="Too many sessions or speakers at once for the plan",
    meaning="`connection.connect_concurrency_limit_reached` or `connection.connect_speaker_limit_reached`.",
    cause=(
        "Convai refused the connect because the account already has as many simultaneous sessions, or active "
        "speakers, as its plan allows (HTTP 429). Sessions that other people, other builds or a forgotten Play "
        "session keep open on the same API key count too. The SDK retries the session limit by itself, but not "
        "the speaker limit."
    ),
    fix=(
        "Disconnect characters that are idle (DisconnectAsync) instead of leaving their sessions open.",
        "Close other running sessions that use this API key, and connect fewer characters at the same time.",
        "If the limit is simply too low for the project, upgrade the plan.",
    ),
    verify="The connect succeeds and neither limit code is logged again.",
    check=_concurrency_limit,
)


def _rate_limited(ev: Evidence) -> Hit | None:
    return hit(ev.lines("connection.rate_limited"))


RATE_LIMITED = Rule(
    id="rate-limited",
    severity="warning",
    title="Connect requests came too fast",
    meaning="`connection.rate_limited`: too many connect requests in a short window.",
    cause=(
        "Convai turned connect requests away because too many arrived in a short time. The SDK backs off and "
        "tries again by itself, but app code that calls ConnectAsync in a loop, on every failure, or for many "
        "characters at the same moment keeps running into the limit."
    ),
    fix=(
        "Leave a minimum delay between connect calls in your code, and do not reconnect immediately after a failure.",
        "Connect characters one after another instead of all at once.",
    ),
    verify="connection.rate_limited no longer appears in the log.",
    check=_rate_limited,
)


# the network ----------------------------------------------------------------------------------------------------


def _recovery(ev: Evidence, lines: Sequence[int]) -> tuple[list[Session], bool]:
    """The sessions these failure lines fall in, and whether each of them connected after its last failure."""
    last: dict[int, tuple[Session, int]] = {}
    recovered = True
    for line in lines:
        session = ev.session_at(line)
        if session is None:  # nothing around the line says it recovered
            recovered = False
        elif session.index not in last or last[session.index][1] < line:
            last[session.index] = (session, line)
    recovered = recovered and all(last_success(s) > line for s, line in last.values())
    return [s for s, _ in last.values()], recovered


ENDPOINT_CODES = ("connection.timeout", "connection.network_error")
GRPC_UNAVAILABLE = (
    "The v3 plugin's gRPC call failed with `Unavailable`: it could not reach Convai's gRPC endpoint at all. A "
    "firewall or proxy that blocks outbound TLS on TCP 443, no network, or a DNS failure on the machine are the "
    f"usual reasons; the REST calls go to `{REST_HOST}`, which the same block tends to stop."
)


def _endpoint_blocked(ev: Evidence) -> Hit | None:
    grpc = ev.signals.native.status("Unavailable")
    lines = ev.lines(*ENDPOINT_CODES)
    if grpc and not lines:
        return hit(grpc, cause=GRPC_UNAVAILABLE)
    lines += grpc
    _, recovered = _recovery(ev, lines)
    if not recovered:
        return hit(lines)
    return hit(
        lines,
        severity="warning",
        title="Convai's endpoints were unreachable for a while",
        cause=(
            "Some connect requests to Convai timed out or failed at the network level, but a later attempt in the "
            "same session got through. The path to Convai works, just not reliably: an unstable connection, a "
            f"slow DNS server, or a proxy that drops some HTTPS requests to `{CONNECT_API_HOST}` or `{REST_HOST}`."
        ),
    )


ENDPOINT_BLOCKED = Rule(
    id="convai-endpoint-blocked",
    severity="error",
    title="Convai's endpoints are unreachable",
    meaning=(
        f"`connection.timeout`, `connection.network_error` or gRPC `Unavailable`: `{CONNECT_API_HOST}` or "
        f"`{REST_HOST}` unreachable on TCP 443 (a warning when a later attempt connected)."
    ),
    cause=(
        "The connect request never got an answer from Convai: it timed out or failed at the network level, so no "
        "room credentials came back. The usual reason is a firewall or proxy that blocks outbound HTTPS (TCP 443) "
        f"to the Connect API host `{CONNECT_API_HOST}` or to `{REST_HOST}`, or a DNS problem on the machine."
    ),
    fix=(
        f"Allow outbound TCP 443 to `{CONNECT_API_HOST}` (Connect API: session setup and room credentials) and to "
        f"`{REST_HOST}` (REST: character metadata, and the WebGL emotion preflight).",
        "If a proxy decrypts HTTPS, exclude both hosts from TLS inspection.",
        "Check DNS and general connectivity on the machine running Unity, or try another network to confirm that "
        "the block is local.",
        "If the network is slow rather than blocked, raise Connection Timeout in the Convai settings "
        "(30 s by default, at most 120 s).",
    ),
    verify="The session reaches the Connected state within the timeout window.",
    check=_endpoint_blocked,
)


def _tls_inspection(ev: Evidence) -> Hit | None:
    return hit(ev.signals.tls)


TLS_INSPECTION = Rule(
    id="tls-inspection",
    severity="error",
    title="A certificate check failed: a TLS-inspecting proxy is likely",
    meaning="A connection failed on certificate verification, the mark of a proxy that decrypts HTTPS and WSS.",
    cause=(
        "A connection failed because a certificate was not trusted. On a corporate network this usually means a "
        "proxy decrypts HTTPS and WSS traffic and re-signs it with its own certificate, which Unity or LiveKit "
        "does not accept; Connect API calls or LiveKit signaling then fail."
    ),
    fix=(
        f"Ask the network team to exclude `{CONNECT_API_HOST}`, `{REST_HOST}`, `*.livekit.cloud` and "
        "`*.turn.livekit.cloud` from TLS inspection.",
        "To confirm, run the same scene on a network without the proxy.",
    ),
    verify="The certificate error no longer appears and the session reaches the Connected state.",
    check=_tls_inspection,
)


WEBRTC_CODES = ("transport.ice_failed", "transport.peer_connection_failed")


UNKNOWN_ROOM_HOST = "your room's LiveKit host (the Room URL of the SDK's 'Token:' line)"
WEBRTC_TEST_STEP = (
    "Run the LiveKit connection test with the Room URL and token from the newest 'Token:' line "
    "(`loglens livekit` prints both) while Play mode is stopped: the test joins as the same participant and "
    "would push the running session out."
)
CLOUD_FIX = (
    "Allow outbound TCP 443 to {room}, to `*.livekit.cloud` (signaling) and to `*.turn.livekit.cloud` (TURN over "
    "TLS, the fallback when UDP is blocked).",
    "Where UDP is allowed, allow UDP 3478 to `*.host.livekit.cloud` (TURN over UDP).",
    "Allow UDP 50000-60000 (direct WebRTC media) and TCP 7881 (its TCP fallback) to {room} and the other LiveKit "
    "hosts.",
    "Exclude Convai and LiveKit hosts from TLS inspection.",
    WEBRTC_TEST_STEP,
)
SELF_HOSTED_FIX = (
    "{room} is a self-hosted LiveKit server: allow TCP 7880 (API and WebSocket) to it, or TCP 443 if it sits "
    "behind a TLS proxy.",
    "Allow TCP 7881 (ICE over TCP), UDP 7882 (ICE over UDP, multiplexed), TCP 5349 (TURN over TLS), UDP 3478 "
    "(TURN over UDP) and UDP 50000-60000 (ICE over UDP) to {room}.",
    "Exclude the server from TLS inspection.",
    WEBRTC_TEST_STEP,
)


def _webrtc_blocked(ev: Evidence) -> Hit | None:
    lines = ev.lines(*WEBRTC_CODES) + ev.signals.pc_failed
    if not lines:
        return None
    sessions, recovered = _recovery(ev, lines)
    credentials = ev.latest_credentials(sessions) or ev.latest_credentials()
    host = credentials.livekit_host if credentials else None
    # the host goes in as a value, never into the template, so that braces in a log cannot break formatting
    values = {"room": f"`{host}`" if host else UNKNOWN_ROOM_HOST}
    fix = SELF_HOSTED_FIX if host and not is_cloud_host(host) else CLOUD_FIX
    if not recovered:
        return hit(lines, values=values, fix=fix)
    return hit(
        lines,
        values=values,
        fix=fix,
        severity="warning",
        title="WebRTC to LiveKit failed, then recovered",
        cause=(
            "The WebRTC link to the LiveKit room failed (ICE or the peer connection), and the session connected "
            "again later. Media paths work some of the time: UDP may be throttled or cut, or only the TURN "
            "fallback gets through. Opening the direct media paths makes the link steadier."
        ),
    )


WEBRTC_BLOCKED = Rule(
    id="webrtc-blocked",
    severity="error",
    title="WebRTC to the LiveKit room is blocked",
    meaning=(
        "`transport.ice_failed`, `transport.peer_connection_failed` or LiveKit's 'could not establish pc "
        "connection': LiveKit UDP or TURN paths blocked (a warning when the session connected again)."
    ),
    cause=(
        "Convai accepted the connect request and returned a LiveKit room, but WebRTC found no network path to it: "
        "ICE or the peer connection failed. A firewall most likely blocks UDP to LiveKit and the TURN fallback "
        "over TCP 443 as well, or a TLS-inspecting proxy interferes with it."
    ),
    fix=tuple(step.replace("{room}", UNKNOWN_ROOM_HOST) for step in CLOUD_FIX),
    verify=(
        "The LiveKit connection test passes its WebRTC and TURN steps, and the character reaches Connected and "
        "answers in Play mode."
    ),
    check=_webrtc_blocked,
)


def _token_expired(ev: Evidence) -> Hit | None:
    lines = ev.lines("session.token_expired") + ev.signals.token_expired
    if not lines:
        return None
    first = min(lines)
    before = [c for s in ev.sessions for c in s.credentials if c.line < first]
    credentials = before[-1] if before else None
    if credentials is None or credentials.expires_at is None:
        return hit(lines)
    expiry = f"{credentials.expires_at:%Y-%m-%d %H:%M} UTC"
    note = (
        f" The last token received before the failure (line {credentials.line}) says it expires at {expiry}; "
        "loglens does not compare that with the log's own times, which carry no date."
    )
    return hit(lines, cause=TOKEN_EXPIRED_CAUSE + note)


TOKEN_EXPIRED_CAUSE = (
    "LiveKit refused the room token because its expiry time (exp) had passed; the server allows only about a "
    "minute of clock skew. Convai's room tokens are short-lived and meant to be used at once, so an expired one "
    "usually means credentials from an earlier connect were reused (after a long pause, a suspended app, or a "
    "token copied by hand), or the device's clock is far off."
)

TOKEN_EXPIRED_RULE = Rule(
    id="token-expired",
    severity="error",
    title="The LiveKit room token had expired",
    meaning="`session.token_expired` or LiveKit's 'token is expired' error.",
    cause=TOKEN_EXPIRED_CAUSE,
    fix=(
        "Start a fresh connect (DisconnectAsync, then ConnectAsync) so that the SDK fetches new credentials; do not "
        "keep a room token for later.",
        "Make sure the device sets its date, time and time zone automatically.",
        "For the LiveKit connection test, take the token from the newest 'Token:' line and run the test right away.",
    ),
    verify="The next connect joins the room without an 'invalid token' error.",
    check=_token_expired,
)


def _token_not_yet_valid(ev: Evidence) -> Hit | None:
    return hit(ev.signals.token_not_yet_valid)


TOKEN_NOT_YET_VALID_RULE = Rule(
    id="token-not-yet-valid",
    severity="error",
    title="LiveKit says the room token is not valid yet",
    meaning="LiveKit's 'token not valid yet (nbf)' error: a clock is off, usually the device's.",
    cause=(
        "LiveKit refused the room token because its not-before time (nbf) lies in the future by LiveKit's clock. "
        "Convai mints the token the moment it answers the connect request, so a fresh token is valid at once; "
        "this error almost always means the clock of the machine running Unity (or of a self-hosted LiveKit "
        "server) is wrong by more than the minute of skew LiveKit allows, or a token was edited by hand."
    ),
    fix=(
        "Set the device to take its date, time and time zone from the network, then restart Play mode.",
        "On a self-hosted LiveKit server, check that NTP keeps the server's clock right.",
        "For the LiveKit connection test, use the newest token from the log and an accurate clock.",
    ),
    verify="The next connect joins the room without an 'invalid token' error.",
    check=_token_not_yet_valid,
)


def _sdk_version_mismatch(ev: Evidence) -> Hit | None:
    return hit(ev.lines(*ev.category("protocol")))


SDK_VERSION_MISMATCH = Rule(
    id="sdk-version-mismatch",
    severity="error",
    title="The SDK and Convai's backend disagree on the protocol",
    meaning="`protocol.*`: a message from Convai the SDK could not read, usually an outdated SDK.",
    cause=(
        "The SDK received a message from Convai that it could not parse or considered invalid. That usually "
        "means the installed SDK is older (or newer) than the protocol Convai's backend speaks."
    ),
    fix=(
        "Update the Convai Unity SDK to its latest release in the Package Manager.",
        "If it is already current, send the log with the protocol code to Convai support.",
    ),
    verify="No protocol.* code is logged during a full conversation.",
    check=_sdk_version_mismatch,
)


MIC_CODES = ("audio.mic_unavailable", "audio.mic_permission_denied")


def _webgl_mic_insecure(ev: Evidence) -> Hit | None:
    mic = ev.lines(*MIC_CODES) + ev.signals.browser_mic
    browser = ev.signals.webgl or ev.signals.browser_mic
    if not (mic and browser):
        return None
    return hit(mic + browser[:1])


WEBGL_MIC_INSECURE = Rule(
    id="webgl-mic-insecure",
    severity="error",
    title="A WebGL build cannot use the microphone",
    meaning="A WebGL build whose microphone is unavailable or denied: serve it over HTTPS or from localhost.",
    cause=(
        "This log comes from a WebGL build and the microphone could not be opened. Browsers give a page the "
        "microphone only in a secure context, meaning HTTPS or localhost; a build served over plain HTTP has no "
        "access at all, so the player's voice never reaches the character."
    ),
    fix=(
        "Serve the build over HTTPS, or from localhost while testing.",
        "Reload the page and allow the microphone when the browser asks.",
        "If the page is already on HTTPS, check the site's microphone permission in the browser settings.",
    ),
    verify="The browser shows its microphone permission prompt and the character hears the player.",
    check=_webgl_mic_insecure,
)


# how sessions went ------------------------------------------------------------------------------------------------


def _retries_exhausted(ev: Evidence) -> Hit | None:
    lines: list[int] = []
    final = None
    for session in ev.sessions:
        if session.outcome != "retries-exhausted":
            continue
        gave_up = [i.line for i in session.timeline if i.event == "connect-exhausted"]
        until = gave_up[0] if gave_up else session.end_line
        lines += [i.line for i in session.timeline if i.event == "connect-attempt" and i.line <= until] + gave_up
        failures = [i for i in session.timeline if i.code and i.line <= until]
        if failures:
            lines.append(failures[-1].line)
        final = failures[-1].code if failures else final
    return hit(lines, values={"code": final or "the last error before it gave up"})


RETRIES_EXHAUSTED = Rule(
    id="retries-exhausted",
    severity="error",
    title="The SDK gave up connecting after its retries",
    meaning="The connect retry loop gave up: four attempts, or 'after retry exhaustion'.",
    cause=(
        "The connect loop used all of its attempts (four: at once, then after 1 s, 2 s and 4 s) without "
        "connecting, then stopped and reported its final error, {code}. Retrying only helps with passing "
        "failures; one that repeats on every attempt has a cause that needs fixing."
    ),
    fix=(
        "Fix the final error first: {code} (see its diagnosis here, or `loglens explain {code}`).",
        "Then call ConnectAsync again, or re-enter Play mode: the SDK does not try again by itself.",
    ),
    verify="A new connect reaches the Connected state within its four attempts.",
    check=_retries_exhausted,
)


def _reconnect_exhausted(ev: Evidence) -> Hit | None:
    lines: list[int] = []
    final = None
    for session in ev.sessions:
        if session.outcome != "reconnect-exhausted":
            continue
        after = last_success(session)
        lines += [
            i.line
            for i in session.timeline
            if i.line > after and i.event in ("reconnect-attempt", "reconnection-failed", "session-error")
        ]
        final = session.last_error or final
    return hit(lines, values={"code": final or "the error that dropped the connection"})


RECONNECT_EXHAUSTED = Rule(
    id="reconnect-exhausted",
    severity="error",
    title="Reconnecting failed and the SDK stopped trying",
    meaning="Reconnection attempts reached the default maximum of 3 and failed; the session is left in Error.",
    cause=(
        "The session had connected, then lost its connection. The SDK tried to reconnect up to MaxReconnectAttempts "
        "(3 by default), every attempt failed, and the session is now in the Error state, where it stays until the "
        "app connects again. Last error: {code}."
    ),
    fix=(
        "Fix what broke the connection: {code} (see its diagnosis here, or `loglens explain {code}`).",
        "Call DisconnectAsync() and then ConnectAsync() to start over; the SDK does not retry past its limit.",
        "If drops are frequent, make the network path to LiveKit steadier (see webrtc-blocked for the hosts and "
        "ports).",
    ),
    verify="ConnectAsync succeeds and the character is connected again.",
    check=_reconnect_exhausted,
)


DROPS_FOR_A_STORM = 3


def _reconnect_storm(ev: Evidence) -> Hit | None:
    lines: list[int] = []
    worst = 0
    for session in ev.sessions:
        if session.reconnect_sequences < DROPS_FOR_A_STORM:
            continue
        worst = max(worst, session.reconnect_sequences)
        reconnecting = False
        for item in session.timeline:
            if item.event == "reconnect-attempt" and not reconnecting:
                lines.append(item.line)
            if item.event == "reconnect-attempt":
                reconnecting = True
            elif item.event in SUCCESS_KINDS:
                reconnecting = False
    return hit(lines, values={"drops": str(worst)})


RECONNECT_STORM = Rule(
    id="reconnect-storm",
    severity="warning",
    title="The connection keeps dropping",
    meaning=f"A session lost its connection and began reconnecting {DROPS_FOR_A_STORM} or more times.",
    cause=(
        "A session lost its connection to the LiveKit room and had to reconnect {drops} times. Each drop cuts into "
        "the conversation. Frequent drops point to an unsteady path to LiveKit: weak Wi-Fi, a VPN, or a firewall "
        "that lets signaling through but cuts long-lived UDP flows."
    ),
    fix=(
        "Try a wired connection or another network to see whether the drops follow the network.",
        "Allow UDP 50000-60000 and TCP 7881 to the LiveKit hosts and TCP 443 to `*.turn.livekit.cloud`, so that "
        "media keeps a path when one is cut.",
        "Run the LiveKit connection test with the logged Room URL and token and look at its 'Resuming connection "
        "after interruption' step.",
    ),
    verify="A session of the same length reconnects rarely, if at all.",
    check=_reconnect_storm,
)


# Codes whose repetition is expected: the SDK itself retries without the stored session, and cancelling is the
# app's own decision.
EXPECTED_REPEATS = frozenset({"connection.connect_invalid_session_id", "session.cancelled"})


def _play_runs(sessions: Sequence[Session]) -> list[list[Session]]:
    """Sessions grouped by Play run: a run begins whenever the Bootstrapper initializes."""
    runs: list[list[Session]] = []
    for session in sessions:
        if not runs or session.started_by == "bootstrap":
            runs.append([])
        runs[-1].append(session)
    return runs


def _non_retryable_retried(ev: Evidence) -> Hit | None:
    """A code the SDK never retries, seen again after a new connect began within the same Play run."""
    final = {code for code, retry in ev.retryable.items() if retry is False} - EXPECTED_REPEATS
    if not final:
        return None
    lines: list[int] = []
    repeated: list[str] = []
    for run in _play_runs(ev.sessions):
        seen: dict[str, dict[int, list[int]]] = {}  # code -> which connect of the run -> lines
        connects = 0
        for item in (item for session in run for item in session.timeline):
            if item.event in ("connect-attempt", "session-started"):
                connects += 1
            elif item.code in final:
                seen.setdefault(item.code, {}).setdefault(connects, []).append(item.line)
        for code, by_connect in seen.items():
            if len(by_connect) > 1:
                lines += [line for where in by_connect.values() for line in where]
                repeated += [code] if code not in repeated else []
    return hit(lines, values={"codes": ", ".join(repeated)})


NON_RETRYABLE_RETRIED = Rule(
    id="non-retryable-retried",
    severity="warning",
    title="An error that retrying cannot fix is being retried",
    meaning="A code the SDK never retries comes back after new connect attempts in the same Play run.",
    cause=(
        "{codes} cannot clear by trying again, so the SDK reports it at once and stops. The log still shows it "
        "again after new connects in the same Play run, which means something, usually app code that calls "
        "ConnectAsync on every failure, keeps retrying. Each try costs a request and can run into rate limits."
    ),
    fix=(
        "Fix the cause of {codes} first (its diagnosis here, or `loglens explain`).",
        "In app code, retry only after errors that can pass by themselves (timeouts, network and server errors), "
        "and stop on configuration, key, character and plan errors.",
    ),
    verify="Each of these codes appears at most once per Play run.",
    check=_non_retryable_retried,
)


# logging ----------------------------------------------------------------------------------------------------------


LOGGING_OFF_FIX = (
    "Open Edit > Project Settings > Convai SDK > Diagnostics.",
    "Set Global Log Level to Debug, or add a Category Override with Category Transport and Level Debug.",
    "In a player build, make it a Development Build or define CONVAI_DEBUG_LOGGING: other builds compile Debug "
    "lines out.",
    "Enter Play mode, let the character connect, and copy the log again.",
)


def _transport_logging_off(ev: Evidence) -> Hit | None:
    blind = [s for s in ev.sessions if s.connected and not s.credentials]
    if not blind:
        return None
    lines = [line for s in blind if (line := first_success(s)) is not None]
    names = ", ".join(str(s.index) for s in blind[:10]) + (" and more" if len(blind) > 10 else "")
    plural = "s" if len(blind) > 1 else ""
    values = {"sessions": f"Session{plural} {names}"}
    debug = ev.signals.debug_transport
    if not debug:
        return hit(lines, values=values)
    return hit(
        lines + debug[:3],
        values={**values, "debug": str(debug[0])},
        title="The log is missing the room-details lines",
        cause=(
            "{sessions} connected, so Convai sent LiveKit room credentials, yet the 'Room details received' and "
            "'Token:' lines are missing. Other Debug lines of the Transport category are present (line {debug}), "
            "so Transport logging is already at Debug: the log given to loglens is incomplete. The Console may "
            "have been filtered, collapsed or cleared, or only part of it was copied."
        ),
        fix=(
            "Read the whole Editor.log or Player.log instead of a Console selection.",
            "If you copy from the Console, clear its search filter and turn Collapse off first.",
            "Include everything from the 'Attempt 1 connecting character' line to 'connected successfully'.",
        ),
        verify="The new copy has a 'Token:' line between the connect attempt and the connected line.",
    )


TRANSPORT_LOGGING_OFF = Rule(
    id="transport-logging-off",
    severity="info",
    title="No room details in the log: Transport logging is below Debug",
    meaning=(
        "A session connected but the log has no 'Room details received' or 'Token:' line (or, when other Debug "
        "Transport lines are there, the paste is incomplete)."
    ),
    cause=(
        "{sessions} connected, so Convai sent LiveKit room credentials, but the log has no 'Room details received' "
        "or 'Token:' line. The SDK writes both at Debug level in the Transport category, and no Debug Transport "
        "line is here at all: Transport logging is set above Debug, or this is a release player build, where "
        "Debug lines are compiled out. Without those lines there is no Room URL and token for the LiveKit "
        "connection test, and support cannot find the session."
    ),
    fix=LOGGING_OFF_FIX,
    verify="A 'Token:' line (Debug, Transport) with a wss:// Room URL appears when the character connects.",
    check=_transport_logging_off,
)


# the native layer (LiveKit's livekit_ffi) and the v3 plugin's gRPC ----------------------------------------------

REIMPORT = (
    "Reimport the Convai SDK package (right-click it in the Project window > Reimport, or remove it and add it "
    "again in the Package Manager) so that its native plugins match its C# code."
)


def _ffi_missing(ev: Evidence) -> Hit | None:
    return hit(ev.signals.native.ffi_missing)


FFI_MISSING = Rule(
    id="livekit-native-missing",
    severity="blocker",
    title="LiveKit's native library is missing for this platform",
    meaning="`DllNotFoundException` or 'Failed to load native plugin' for `livekit_ffi`: no native plugin for this "
    "platform or CPU architecture in the build.",
    cause=(
        "Convai 4.x joins its rooms through the LiveKit Unity SDK, and that SDK could not load its native library "
        "(`livekit_ffi`). The plugin file for this platform or CPU architecture is not in the build, or Unity is "
        "told not to use it here: on Android typically because ARM64 is not a target architecture or the .so "
        "was stripped from the package; on desktop because the plugin's platform settings leave out the Editor "
        "or this operating system and CPU."
    ),
    fix=(
        "Select the livekit_ffi plugin files in the Project window (under the LiveKit package's Plugins folder) "
        "and check in the Inspector that the one for this platform is enabled for it, for the Editor, and for "
        "this CPU.",
        "Android: in Player Settings > Other Settings use the IL2CPP scripting backend and tick ARM64 under "
        "Target Architectures.",
        REIMPORT,
    ),
    verify="The next run logs no DllNotFoundException for livekit_ffi (on Android, the APK holds "
    "lib/arm64-v8a/liblivekit_ffi.so) and the character joins its room.",
    check=_ffi_missing,
)


def _ffi_symbol(ev: Evidence) -> Hit | None:
    return hit(ev.signals.native.ffi_symbol)


FFI_ANDROID_API = Rule(
    id="livekit-native-android-api",
    severity="blocker",
    title="LiveKit's native library needs a newer Android than this device",
    meaning="`dlopen failed: cannot locate symbol ... liblivekit_ffi.so`: the library was built for a newer "
    "Android API level than the device has.",
    cause=(
        "Android found liblivekit_ffi.so but could not link it: a function the library expects from the system "
        "does not exist on this device. The library was built against a newer Android API level (or NDK) than "
        "the device runs, so it cannot load there however the project is set up."
    ),
    fix=(
        "Compare the device's Android version with the minimum the LiveKit SDK in this Convai release supports, "
        "and set Minimum API Level (Player Settings > Other Settings) to at least that.",
        "Test on a device that meets that level, or use the SDK release that still supports the older one.",
        REIMPORT,
    ),
    verify="On the device the log shows no 'cannot locate symbol' for liblivekit_ffi.so and the character connects.",
    check=_ffi_symbol,
)


def _ffi_version(ev: Evidence) -> Hit | None:
    return hit(ev.signals.native.ffi_version)


FFI_VERSION_MISMATCH = Rule(
    id="livekit-native-version-mismatch",
    severity="error",
    title="LiveKit's C# code and native library come from different versions",
    meaning="`Unknown request type: LiveKit.Proto.*Request`: the C# bindings send a request the native library "
    "does not know.",
    cause=(
        "The LiveKit C# code sent the native library a request it has never heard of. The two halves come from "
        "different LiveKit releases: usually a second copy of the LiveKit SDK in the project, an old native "
        "library left behind by an upgrade, or an Editor that still has the previous library loaded."
    ),
    fix=(
        "Search the project for livekit_ffi files and remove every copy that does not belong to the Convai SDK "
        "(a separate LiveKit package, files left in Assets/Plugins).",
        REIMPORT,
        "Restart the Unity Editor: it keeps a native library loaded until it quits.",
    ),
    verify="'Unknown request type' no longer appears and the room connects.",
    check=_ffi_version,
)


def _ffi_crash(ev: Evidence) -> Hit | None:
    return hit(ev.signals.native.ffi_crash)


FFI_CRASH = Rule(
    id="livekit-native-crash",
    severity="error",
    title="LiveKit's native library crashed",
    meaning="A native crash in `liblivekit_ffi.so`: `Fatal signal` on a `tokio-runtime-w` thread, or tombstone "
    "frames in the library.",
    cause=(
        "The app died on a native signal inside LiveKit's library (its tokio-runtime worker threads or tombstone "
        "frames in liblivekit_ffi.so). This is a crash in native code, not a setting Convai reports, and it is "
        "most often a native library that does not match the SDK around it."
    ),
    fix=(
        REIMPORT,
        "Update the Convai Unity SDK to its latest release.",
        "If it still crashes, save the whole tombstone (`adb logcat -b crash` or a bug report) and send it with "
        "the Convai SDK, Unity and Android versions to Convai support.",
    ),
    verify="A full conversation runs on the device with no 'Fatal signal' in liblivekit_ffi.so.",
    check=_ffi_crash,
)


def _grpc_timeout(ev: Evidence) -> Hit | None:
    return hit(ev.signals.native.status("DeadlineExceeded"))


GRPC_TIMEOUT = Rule(
    id="grpc-timeout",
    severity="error",
    title="The v3 plugin's gRPC calls timed out",
    meaning="gRPC `DeadlineExceeded`: a call to Convai's gRPC endpoint got no answer in time.",
    cause=(
        "A call of the v3 plugin to Convai's gRPC service ran out of time before an answer came back. The "
        "network is slow or drops the long-lived gRPC stream (a proxy that buffers or cuts HTTP/2), or the "
        "endpoint is hard to reach from this machine."
    ),
    fix=(
        "Try another network, or take the machine off VPN and proxy, to see whether the path is the problem.",
        "Let outbound TLS on TCP 443 pass without inspection or buffering, since gRPC needs HTTP/2 end to end.",
        "If it happens only now and then, retry: a single timeout does not mean a misconfiguration.",
    ),
    verify="A full conversation runs with no DeadlineExceeded status in the log.",
    check=_grpc_timeout,
)


def _grpc_quota(ev: Evidence) -> Hit | None:
    return hit(ev.signals.native.status("ResourceExhausted"))


GRPC_QUOTA = Rule(
    id="grpc-quota",
    severity="error",
    title="Convai's quota or rate limit stopped the v3 plugin's calls",
    meaning="gRPC `ResourceExhausted`: the account's quota is used up or too many calls came too fast.",
    cause=(
        "Convai's gRPC service refused the call with `ResourceExhausted`: the account has used up its quota, "
        "or the plugin sent more calls than the account may send in a short time (several characters or "
        "instances talking at once)."
    ),
    fix=(
        "Check the usage and plan of the account in the Convai dashboard.",
        "Avoid starting many conversations at the same moment, and wait a little before retrying.",
    ),
    verify="Calls succeed again without a ResourceExhausted status.",
    check=_grpc_quota,
)


def _grpc_assembly(ev: Evidence) -> Hit | None:
    return hit(ev.signals.native.grpc_assembly)


GRPC_ASSEMBLY = Rule(
    id="grpc-assembly-conflict",
    severity="blocker",
    title="Unity will not load the v3 plugin's gRPC assemblies",
    meaning="`Grpc.Core.Api ... will not be loaded due to errors`: an assembly version conflict (Assembly "
    "Version Validation).",
    cause=(
        "Unity refused to load the gRPC assemblies that ship with the Convai v3 plugin, because an assembly "
        "they depend on (System.Memory and its kin) is present in another version: another plugin brings its "
        "own copy, and Unity's Assembly Version Validation rejects the mismatch. Without gRPC the plugin "
        "cannot talk to Convai."
    ),
    fix=(
        "Open Edit > Project Settings > Player > Other Settings and turn off Assembly Version Validation "
        "(Convai's documented fix).",
        "Restart the Editor so the assemblies load again.",
        "If the error stays, remove the duplicate System.* DLLs that another plugin added, keeping one copy.",
    ),
    verify="After a domain reload the Console shows no 'will not be loaded due to errors' for Grpc.Core.Api.",
    check=_grpc_assembly,
)


# --- the engine ---------------------------------------------------------------------------------------------------

# The order breaks ties within a severity: configuration before the account, the network before what follows
# from it.
RULES: tuple[Rule, ...] = (
    SETTINGS_MISSING,
    API_KEY_MISSING,
    CHARACTER_ID_MISSING,
    INVALID_API_KEY,
    CHARACTER_NOT_FOUND,
    REALTIME_NOT_ALLOWED,
    USAGE_LIMIT,
    FFI_MISSING,
    FFI_ANDROID_API,
    GRPC_ASSEMBLY,
    ENDPOINT_BLOCKED,
    TLS_INSPECTION,
    WEBRTC_BLOCKED,
    TOKEN_EXPIRED_RULE,
    TOKEN_NOT_YET_VALID_RULE,
    CONCURRENCY_LIMIT,
    SDK_VERSION_MISMATCH,
    FFI_VERSION_MISMATCH,
    FFI_CRASH,
    GRPC_TIMEOUT,
    GRPC_QUOTA,
    WEBGL_MIC_INSECURE,
    RETRIES_EXHAUSTED,
    RECONNECT_EXHAUSTED,
    RATE_LIMITED,
    RECONNECT_STORM,
    NON_RETRYABLE_RETRIED,
    TRANSPORT_LOGGING_OFF,
)


def run_rules(evidence: Evidence, rules: Sequence[Rule] = RULES) -> tuple[m.Diagnosis, ...]:
    """Every rule that fires, most blocking first (ties keep the rules' order)."""
    found = [(m.SEVERITY_ORDER[d.severity], index, d) for index, r in enumerate(rules) if (d := r.run(evidence))]
    found.sort(key=lambda item: item[:2])
    return tuple(d for _, _, d in found)
