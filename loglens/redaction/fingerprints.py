"""Stable ids of `check`'s findings (baseline, JSON, SARIF) that cannot be turned back into the values they cover.

An id must name the same finding next run and on another machine (a committed baseline, code scanning's
`partialFingerprints`), so it is a hash with no secret key; and it is published, so a plain hash of the line would
give a short value back to anyone who tries each one in a known frame (a 4-character ICE ufrag, an IP of a known
network: a second of work). An id is therefore two halves of 32 hex digits:

- the frame: SHA-256 of the kind and the line with every detected value replaced by its kind, which is what the
  redacted line shows and names no value; `--baseline` compares it first and works out the rest only on a match;
- the values: SHA-256 of the frame and of each value's scrypt (memory-hard, about 10 ms a try) salted with the
  value's kind, worked out once per distinct value: a log's thousands of findings of a few hundred values cost a
  few seconds, not one scrypt each (salting with each frame made `check --format json` on a 200,000-line log take
  minutes). A table of scrypt over every value short enough to try serves every id of its kind; building it is the
  cost (all 4-character ICE ufrags, which expire with their session: about 46 core-hours). Only a value random by
  construction (a whole JWT, a 32-hex key) takes SHA-256 alone, so a log full of tokens costs no more than before;
  what people are or choose (an end-user id, an e-mail, a name, a password) always takes scrypt, however long and
  mixed it looks.

A finding seen only by joining lines or by the independent checks has no value of its own on the line: the whole
line is its value, and its frame is its kind alone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from loglens.detectors import Span

SCHEME = "loglens-4"
HALF = 32  # hex digits of each half
# scrypt's cost: N * r * 128 bytes (4 MiB) of memory and 7 to 10 ms of one core per value tried
COST = {"n": 2**12, "r": 8, "p": 1}
CACHED = 65_536  # distinct values remembered (a digest of each, never the value)
# a value random by construction: a whole JWT (its signature alone is beyond trying) or a key of 32 hex digits; a
# shape that merely looks mixed (`player_bartholomew_quist_19900101`) is not, and is tried like any other
_RANDOM = re.compile(r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{32,}|[0-9a-fA-F]{32,}", re.ASCII)
_DISTINCT = 10  # characters, at least: not a long run of a few ("1111...", "abab...")
# kinds whose values a machine issues at random; an end-user id, a name, text or a password is always tried
ISSUED = frozenset({"livekit-token", "api-key", "auth-token"})


@dataclass
class Fingerprints:
    """Works out the ids of one run's findings. With `frames`, an id whose frame is not among them stops at its
    frame: it cannot match a listed id, and the slow half is not worked out for nothing."""

    frames: frozenset[str] | None = None
    _slow: dict[tuple[str | None, bytes], bytes] = field(default_factory=dict, repr=False)

    def of(self, kind: str, text: str, spans: Sequence[Span] | None) -> str:
        """The id of a finding of `kind` on line `text`, whose values are `spans` (None: the whole line)."""
        values: list[tuple[str, str | None]]
        if spans is None:
            frame, values = _hex(f"{SCHEME}\0frame\0{kind}\0"), [(text.strip(), None)]
        else:
            skeleton, values = _skeleton(text, spans)
            frame = _hex(f"{SCHEME}\0frame\0{kind}\0{skeleton.strip()}")
        if self.frames is not None and frame not in self.frames:
            return frame
        digest = hashlib.sha256(f"{SCHEME}\0values\0{frame}".encode())
        for value, of in values:
            digest.update(b"\0" + self._value(value, of))
        return frame + digest.hexdigest()[:HALF]

    def _value(self, value: str, kind: str | None) -> bytes:
        raw = value.encode("utf-8", "surrogatepass")
        plain = hashlib.sha256(raw).digest()
        if kind in ISSUED and _RANDOM.fullmatch(value) and len(set(value)) >= _DISTINCT:
            return plain
        slow = self._slow.get((kind, plain))
        if slow is None:
            if len(self._slow) >= CACHED:
                self._slow.clear()
            salt = f"{SCHEME}\0salt\0{kind or 'line'}".encode()  # the kind: one scrypt per distinct value
            slow = self._slow[kind, plain] = hashlib.scrypt(raw, salt=salt, dklen=16, **COST)
        return slow


def frame_of(fingerprint: str) -> str:
    return fingerprint[:HALF]


def _skeleton(text: str, spans: Sequence[Span]) -> tuple[str, list[tuple[str, str | None]]]:
    """The line with each span replaced by `<kind>`, and the spans' values (with their kinds) in order; spans that
    overlap are one value, of no kind when neither holds the other."""
    merged: list[tuple[int, int, str | None]] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1][1]:
            start, end, kind = merged[-1]
            merged[-1] = (start, max(end, span.end), kind if span.end <= end else None)
        else:
            merged.append((span.start, span.end, span.kind))
    parts: list[str] = []
    at = 0
    for start, end, kind in merged:
        parts += [text[at:start], f"<{kind or 'secret'}>"]
        at = end
    parts.append(text[at:])
    return "".join(parts), [(text[start:end], kind) for start, end, kind in merged]


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HALF]
