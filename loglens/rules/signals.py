"""Facts other than error codes, gathered while the log streams by.

`Signals.add` sees every entry once (a few attribute checks per entry and a handful of substring tests per noise
line), so the rules can run once at the end over the error codes, the sessions and these line numbers, and
diagnosing costs little next to parsing.
"""

from __future__ import annotations

from loglens import models as m
from loglens.native import NativeSignals
from loglens.rules.lines import note

TOKEN_EXPIRED = "token is expired"
TOKEN_NOT_YET_VALID = "token not valid yet"
PC_FAILED = "could not establish pc connection"  # LiveKit's wording for an ICE failure
# Words of a failed certificate check, looked for in Convai failure messages only.
TLS_WORDS = ("certificate", "Certificate", "x509", "X509", "SSL", "TLS handshake", "tls: ")
# UnityWebRequest's verdict on a certificate it does not trust (`Curl error 60: Cert verify failed: UNITYTLS_X509...`).
UNITY_TLS = "UNITYTLS_X509"
WEBGL_TAG = "WebGLRoomController"
FAILURE_LEVELS = ("Error", "Warning", "Exception")


def _mentions_mic(text: str) -> bool:
    """A browser refusing the microphone.

    Over plain HTTP `navigator.mediaDevices` does not exist at all; a bare `NotAllowedError` is not enough, since
    autoplay blocking raises it too. Spelled out rather than `any()` over a tuple: this runs on every noise line.
    """
    return "getUserMedia" in text or "mediaDevices" in text or "NotAllowedError: Permission denied" in text


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
            note(self.webgl, entry.line)
        e = entry.event
        for frame in entry.frames:  # an exception line under another message counts at the entry's line
            self.native.add(entry.line, frame)
        if isinstance(e, m.UnparsedLine):
            self._noise(entry.line, entry.message)
            return
        head = entry.head
        if head is not None:
            if head.level == "Debug" and head.category == "Transport":
                note(self.debug_transport, entry.line)
            if head.tag == WEBGL_TAG:
                note(self.webgl, entry.line)
        match e:
            case m.Bootstrap(stage="api-key-missing"):
                note(self.api_key_warning, entry.line)
            case m.Bootstrap(stage="settings-missing"):
                note(self.settings_missing, entry.line)
            case m.RoomRequestFailed():
                self._status(e.status, entry.line)
            case m.RoomInitFailure(response_code=int() as status):
                self._status(status, entry.line)
            case m.UnclassifiedResponse():
                self._status(e.status, entry.line)
        message = entry.message
        self.native.add(entry.line, message)
        if isinstance(e, m.TransportFailed) and PC_FAILED in e.reason:
            note(self.pc_failed, entry.line)
        if TOKEN_EXPIRED in message:
            note(self.token_expired, entry.line)
        if TOKEN_NOT_YET_VALID in message:
            note(self.token_not_yet_valid, entry.line)
        if _mentions_mic(message):
            note(self.browser_mic, entry.line)
        failing = isinstance(e, m.TransportFailed | m.RoomRequestFailed | m.RoomInitFailure) or (
            head is not None and head.level in FAILURE_LEVELS
        )
        if failing and any(word in message for word in TLS_WORDS):
            note(self.tls, entry.line)

    def _noise(self, line: int, text: str) -> None:
        """The few non-Convai lines that carry evidence: LiveKit's JS client, the browser, UnityWebRequest."""
        if TOKEN_EXPIRED in text:
            note(self.token_expired, line)
        if TOKEN_NOT_YET_VALID in text:
            note(self.token_not_yet_valid, line)
        if UNITY_TLS in text:
            note(self.tls, line)
        self.native.add(line, text)
        if _mentions_mic(text):
            note(self.browser_mic, line)

    def _status(self, status: int, line: int) -> None:
        note(self.http.setdefault(status, []), line)
