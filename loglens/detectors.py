"""Secret detectors: one small detector per kind of secret, shared by masking and redaction.

A detector is a kind name, literal gates (the regex runs only when one of them occurs in the text, which keeps
the common case of a line without secrets cheap), a pattern whose `secret` group is the value, and an optional
validity check. `mask` hides every value behind `<kind>`; `redact` builds numbered placeholders on the same spans.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str

    def value(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Detector:
    kind: str
    gates: tuple[str, ...]
    pattern: re.Pattern[str]
    valid: Callable[[str], bool] | None = None

    def find(self, text: str) -> Iterator[Span]:
        if not any(gate in text for gate in self.gates):
            return
        for match in self.pattern.finditer(text):
            start, end = match.span("secret")
            if start == end:
                continue
            if self.valid is None or self.valid(text[start:end]):
                yield Span(start, end, self.kind)


def b64url_json(part: str) -> object:
    """Decode one base64url JWT segment into JSON; raise ValueError when it is not one."""
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return json.loads(raw)
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not a base64url JSON segment") from exc


def is_jwt(value: str) -> bool:
    """A JWT's header decodes to a JSON object naming an algorithm."""
    header = value.split(".", 1)[0]
    try:
        decoded = b64url_json(header)
    except ValueError:
        return False
    return isinstance(decoded, dict) and "alg" in decoded


_LABEL_VALUE = r"""["']?\s*[:=]\s*["']?"""

DETECTORS: tuple[Detector, ...] = (
    Detector(
        "livekit-token",
        ("eyJ",),
        re.compile(r"(?P<secret>eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{10,})"),
        is_jwt,
    ),
    Detector(
        "api-key",
        ("api", "API", "Api"),
        re.compile(r"(?i)(?:x-api-key|convai-api-key|api[_-]?key)" + _LABEL_VALUE + r"(?P<secret>[A-Za-z0-9_\-]{8,})"),
    ),
    Detector(
        "auth-token",
        ("auth", "AUTH", "Auth"),
        re.compile(
            r"(?i)(?:api-auth-token|apiauthtoken|auth[_-]?token)" + _LABEL_VALUE + r"(?P<secret>[^\s\"',;]{8,})"
        ),
    ),
    Detector(
        "bearer-token",
        ("earer",),
        re.compile(r"(?i)\bbearer\s+(?P<secret>[A-Za-z0-9._~+/=-]{8,})"),
    ),
    Detector(
        "end-user-id",
        ("end_user_id", "End User ID"),
        re.compile(r"(?:\"end_user_id\\?\"\s*:\s*\\?\"|End User ID: )(?P<secret>[^\"\\;]+)"),
    ),
    Detector(
        "player-text",
        ("Sent user text message:",),
        re.compile(r"Sent user text message: ?(?P<secret>.+)"),
    ),
    Detector(
        "email",
        ("@",),
        re.compile(r"(?P<secret>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"),
    ),
    Detector(
        "user-name",
        ("Users", "home/"),
        re.compile(r"(?:\b[A-Za-z]:[\\/]+Users[\\/]+|/Users/|/home/)(?P<secret>[^\\/\s:\"'<>|]+)"),
    ),
)


def find_secrets(text: str, detectors: tuple[Detector, ...] = DETECTORS) -> list[Span]:
    """Every secret span in `text`, earliest first; where spans overlap the earlier (then longer) one wins."""
    spans = sorted(
        (span for detector in detectors for span in detector.find(text)),
        key=lambda s: (s.start, -s.end),
    )
    kept: list[Span] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def mask(text: str) -> str:
    """`text` with every secret replaced by `<kind>`: safe to show in a report."""
    spans = find_secrets(text)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for span in spans:
        out.append(text[pos : span.start])
        out.append(f"<{span.kind}>")
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
