"""What an IT team needs to open the firewall: the allowlist, and Convai's validation checklist marked with what a
log shows for each step.

The library side of `loglens network`: an analyze `Report` in (or none), a `NetworkReport` out. Every mark is
made from codes, line numbers, hosts and the diagnoses; nothing secret reaches it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from loglens import endpoints as ep
from loglens.credentials import Credentials, is_cloud_host
from loglens.models import Frozen
from loglens.report import Report

Status = Literal["ok", "failed", "not-seen", "unknown"]

ICE_FAILED = "transport.ice_failed"
SIGNAL_DISCONNECTED = "transport.signal_disconnected"
CONVAI_UNREACHABLE = ("connection.timeout", "connection.network_error")
TLS_RULE = "tls-inspection"  # the diagnosis rule that reads certificate failures


class Step(Frozen):
    """One step of the checklist: what to confirm, and what this log says about it."""

    number: int = Field(ge=1)
    action: str
    status: Status
    evidence: str = Field(description="What the log shows for this step, in one sentence; empty without a log.")
    lines: tuple[int, ...] = ()


class NetworkReport(Frozen):
    """The allowlist with the room's LiveKit host filled in, and the checklist with the log's evidence."""

    source: str | None = Field(default=None, description="The log this was read from; None for the general list.")
    livekit_host: str | None = Field(default=None, description="The LiveKit host the log's latest room URL names.")
    self_hosted: bool = False
    rules: tuple[ep.Rule, ...]
    checklist: tuple[Step, ...]


ACTIONS = (
    f"Confirm outbound TCP {ep.HTTPS} to {ep.CONNECT_API_HOST} and {ep.REST_HOST}.",
    f"Confirm outbound TCP {ep.HTTPS} to the room's LiveKit host, {ep.CLOUD_SIGNAL} and {ep.CLOUD_TURN}.",
    f"Where UDP is permitted, allow UDP {ep.TURN_UDP} to {ep.CLOUD_TURN_UDP} and outbound UDP {ep.MEDIA_UDP}.",
    "Keep the Convai and LiveKit hosts out of TLS inspection when a proxy decrypts HTTPS or WSS traffic.",
    "In Play mode with Transport logging at Debug, a 'Room details received' or 'Token:' line appears with a "
    "wss:// room URL.",
    "The character reaches Connected and answers voice or text input.",
)


def network_report(report: Report | None = None) -> NetworkReport:
    """The general allowlist and checklist (no report), or both filled in from what `report` saw."""
    if report is None:
        steps = tuple(Step(number=i, action=a, status="unknown", evidence="") for i, a in enumerate(ACTIONS, 1))
        return NetworkReport(rules=ep.allowlist(), checklist=steps)
    credentials = [c for s in report.sessions for c in s.credentials]
    host = next((c.livekit_host for c in reversed(credentials) if c.livekit_host), None)
    marks = (
        _convai_step(report, credentials),
        _signal_step(report),
        _media_step(report),
        _tls_step(report),
        _credentials_step(credentials),
        _connected_step(report),
    )
    steps = tuple(
        Step(number=i, action=a, status=status, evidence=evidence, lines=lines)
        for i, (a, (status, evidence, lines)) in enumerate(zip(ACTIONS, marks, strict=True), 1)
    )
    return NetworkReport(
        source=report.source,
        livekit_host=host,
        self_hosted=host is not None and not is_cloud_host(host),
        rules=ep.allowlist(host),
        checklist=steps,
    )


Mark = tuple[Status, str, tuple[int, ...]]


def code_lines(report: Report, codes: Iterable[str]) -> tuple[int, ...]:
    wanted = set(codes)
    return tuple(sorted({e.line for e in report.errors if e.code in wanted}))


def _convai_step(report: Report, credentials: list[Credentials]) -> Mark:
    failed = code_lines(report, CONVAI_UNREACHABLE)
    if failed and not credentials:
        return "failed", "The Connect API could not be reached (connection.timeout / connection.network_error).", failed
    if credentials:
        extra = " (after failed attempts)" if failed else ""
        return "ok", f"The Connect API answered with room credentials{extra}.", (credentials[0].line, *failed)
    return "unknown", "No Connect API answer and no network error in the log.", ()


def _signal_step(report: Report) -> Mark:
    lines = code_lines(report, (SIGNAL_DISCONNECTED,))
    if lines:
        return "failed", f"{SIGNAL_DISCONNECTED} was logged: the signaling WebSocket dropped.", lines
    if any(s.connected for s in report.sessions):
        return "ok", "A session connected, so signaling over TCP 443 got through.", ()
    return "unknown", f"No session connected and no {SIGNAL_DISCONNECTED} in the log.", ()


def _media_step(report: Report) -> Mark:
    lines = code_lines(report, (ICE_FAILED,))
    if lines:
        return "failed", f"{ICE_FAILED} was logged: no WebRTC media path (UDP or TURN) got through.", lines
    if any(s.connected for s in report.sessions):
        return "ok", f"A session connected with no {ICE_FAILED}: some media path (UDP or TURN) works.", ()
    return "unknown", f"No session connected and no {ICE_FAILED} in the log.", ()


def _tls_step(report: Report) -> Mark:
    hit = next((d for d in report.diagnoses if d.rule == TLS_RULE), None)
    if hit is not None:
        return "failed", "A connection failed on certificate verification: the mark of TLS inspection.", hit.lines
    return "not-seen", "No certificate or TLS handshake failure in the log.", ()


def _credentials_step(credentials: list[Credentials]) -> Mark:
    secure = [c for c in credentials if (c.room_url or "").startswith("wss://")]
    if secure:
        return "ok", f"{len(secure)} room-details or Token: line(s) with a wss:// room URL.", _lines(secure)
    if credentials:
        return "failed", "Room details were logged, but without a wss:// room URL.", _lines(credentials)
    return "not-seen", "No 'Room details received' or 'Token:' line: Transport logging may be below Debug.", ()


def _connected_step(report: Report) -> Mark:
    failing = code_lines(report, (ICE_FAILED, SIGNAL_DISCONNECTED))
    connected = [s for s in report.sessions if s.connected]
    if connected:
        where = ", ".join(str(s.index) for s in connected)
        note = f"; {ICE_FAILED} or {SIGNAL_DISCONNECTED} also logged" if failing else ""
        return "ok", f"Session {where} reached Connected{note}.", failing
    if report.sessions:
        return "failed", "No session reached Connected.", failing
    return "not-seen", "The log holds no Convai session.", ()


def _lines(credentials: list[Credentials]) -> tuple[int, ...]:
    return tuple(sorted({c.line for c in credentials}))
