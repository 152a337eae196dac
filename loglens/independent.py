"""Checks of the fail-closed pass that do not trust the detectors: shapes a secret keeps whatever wraps it.

The detectors find a secret by its label and its shape; a paste the detectors did not foresee hides both. These
checks look at the bytes instead: a base64url run that decodes to LiveKit claims (a token's payload, or a piece
of it, found at any alignment), a dense run that continues a redacted token on the next line after a quote or
indent prefix, and a standard base64 run (an inline attachment) whose decoded text holds an `eyJ` run. They
only flag, never redact: a hit makes the pass fail closed.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from functools import lru_cache

from loglens.lazyre import lazy
from loglens.logical import random_run
from loglens.paste import piece_bounds, repeated_lead
from loglens.shadows import FLAT_BASE64 as _FLAT_BASE64
from loglens.shadows import SEED_BASE64 as _SEED_BASE64
from loglens.shadows import flat_runs, window_starts
from loglens.tokens import PERMISSIONS

# base64url runs of 24 characters or more, found as runs of `a` in a copy where each run character is an `a`
# and every other byte a blank: `bytes.find` skips the Unity noise far faster than a regex tried at each position
_RUN_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_FLAT = bytes(0x61 if byte in _RUN_CHARS else 0x20 for byte in range(256))
_SEED = b"a" * 24
# the same for standard base64 runs of 64 or more (`encoded_runs`) is `shadows.FLAT_BASE64`: a regex would retry
# each short run at every one of its positions
# a token's claims, and the names of its `video` grant (the tail of a payload cut short holds only those)
_CLAIMS = (b'"exp"', b'"video"', b'"iss"', b'"nbf"', b'"sub"', b'"room"', *(f'"{p}"'.encode() for p in PERMISSIONS))
_HEX = b"0123456789abcdefABCDEF"
_DECODED_TOKEN = re.compile(rb"eyJ[A-Za-z0-9_-]{16,}")
MAX_DECODED = 1 << 16  # characters of one base64 run decoded at once (a line of 48 KiB)
# a line that ends in a token placeholder, then a line whose text (after a quote or indent prefix) is a dense run
# ASCII secrets in the raw bytes of a UTF-16 input: a token's `eyJ` run, or a labelled 32-hex value. Text that
# really is UTF-16 never holds either (each ASCII character is two bytes wide there); UTF-8 lines appended to a
# UTF-16 log (`>>`, a joined attachment) do, and read as UTF-16 they turn into CJK-looking text no detector sees.
_NARROW = re.compile(
    rb"(eyJ[A-Za-z0-9_-]{16,})|(?i:(key|id|token|secret)(?:%[0-9a-f]{2}|\W){0,12}[0-9a-f]{32}(?![0-9a-f]))"
)
NARROW_OVERLAP = 64  # bytes of the previous raw chunk scanned again, so a value cut by a chunk's end is seen
_CONTINUED = re.compile(rb"<livekit-token-[0-9]+[^>\n]*>[ \t=]*\r?\n(?:[ \t]*>)*[ \t]*([A-Za-z0-9_-]{16,})")


MEMO_RUNS = 2048  # distinct runs whose decoding is remembered: a log repeats its tokens (and every header)
MEMO_RUN_BYTES = 1024  # longer runs are decoded each time, so the memo holds at most 2 MiB


def _claims_in(run: bytes) -> bool:
    """`_decodes_to_claims`, worked out once per distinct run of up to `MEMO_RUN_BYTES`."""
    return _remembered_claims(run) if len(run) <= MEMO_RUN_BYTES else _decodes_to_claims(run)


def _decodes_to_claims(run: bytes) -> bool:
    for shift in range(4):
        part = run[shift:]
        part = part[: len(part) & ~3]
        try:
            raw = base64.urlsafe_b64decode(part)
        except (binascii.Error, ValueError):
            continue
        if any(claim in raw for claim in _CLAIMS):
            return True
    return False


_remembered_claims = lru_cache(maxsize=MEMO_RUNS)(_decodes_to_claims)


def claim_runs(data: bytes) -> Iterator[int]:
    """Offsets of base64url runs that decode to JSON naming LiveKit claims (`exp`, `video`, `iss`, ...)."""
    for start, end in flat_runs(data, _FLAT, _SEED):
        run = data[start:end]
        if run.strip(_HEX) and _claims_in(run):
            yield start


_CLAIM_RUN = lazy(r"[A-Za-z0-9_-]{24,}")  # `claim_runs`'s runs, in text
_SIGNATURE = lazy(r"\.[A-Za-z0-9_-]+")


def claim_spans(text: str) -> Iterator[tuple[int, int]]:
    """`claim_runs` over text: the start and end of each base64url run that decodes to a token's claims. What is
    left of a token that something inside it cut off from its `eyJ` head (a forum's `[b]` tag, which no detector
    reads through) has no label and no shape of its own left but this."""
    for match in _CLAIM_RUN.finditer(text):
        run = match.group().encode("ascii")
        if run.strip(_HEX) and _claims_in(run):
            signature = _SIGNATURE.match(text, match.end())  # the signature after the payload goes with it
            yield match.start(), signature.end() if signature else match.end()


def _dense(run: bytes) -> bool:
    """The mix of cases and digits of base64 (`logical.random_run`), not a word or an identifier."""
    return random_run(run.decode("latin-1"))


def continued_runs(data: bytes) -> Iterator[int]:
    """Offsets of dense runs that carry on, on the next line, a token that was redacted at the end of a line:
    after a quote or indent prefix, or behind the head or label the line before wrote in front of the placeholder
    (`paste.repeated_lead`: a logger that cuts a long message repeats it on each piece)."""
    if b"<livekit-token-" not in data:
        return
    for match in _CONTINUED.finditer(data):
        if _dense(match.group(1)):
            yield match.start(1)
    for match in _ENDS_IN_TOKEN.finditer(data):
        begin = data.rfind(b"\n", 0, match.start()) + 1
        stop = data.find(b"\n", match.end())
        first = data[begin : match.start()].decode("latin-1")
        line = data[match.end() : len(data) if stop == -1 else stop].decode("latin-1")
        start = piece_bounds(line)[0]
        shared = repeated_lead(first, len(first), line, start)
        run = _RUN.match(line, start + shared) if shared else None
        if run is not None and _dense(run.group().encode()):
            yield match.end() + run.start()


_ENDS_IN_TOKEN = re.compile(rb"<livekit-token-[0-9]+[^>\n]*>[ \t]*\r?\n")
_RUN = re.compile(r"[A-Za-z0-9_-]{16,}")


# a line that ends in any placeholder, then a line whose text (after a quote or indent prefix) starts with a run
_AFTER_PLACEHOLDER = re.compile(
    rb"<[a-z]+(?:-[a-z]+)*-[0-9]+[^>\n]*>[ \t=]*\r?\n(?:[ \t]*>)*[ \t]*(?!0x)([A-Za-z0-9_-]{8,})(?![A-Za-z0-9_-])"
)


def _mixed(run: bytes) -> bool:
    """Letters and digits together: the rest of a key, an id or a token, not a word or a number."""
    return any(48 <= c <= 57 for c in run) and any(65 <= c <= 90 or 97 <= c <= 122 for c in run)


def placeholder_runs(data: bytes) -> Iterator[int]:
    """Offsets of runs of 8 or more letters and digits that start the line after a line ending in a placeholder:
    the piece a wrap cut from a value that was redacted up to the cut."""
    if b"<" not in data:
        return
    for match in _AFTER_PLACEHOLDER.finditer(data):
        if _mixed(match.group(1)):
            yield match.start(1)


def encoded_runs(data: bytes) -> Iterator[int]:
    """Offsets of standard base64 runs of 64 or more characters whose decoded bytes hold an `eyJ` run: a line
    that carries a token in an inline attachment. A long run is decoded `MAX_DECODED` characters at a time, in
    overlapping windows (`shadows.window_starts`)."""
    for start, end in flat_runs(data, _FLAT_BASE64, _SEED_BASE64):
        run = data[start:end]
        if run.strip(_HEX) and any(_DECODED_TOKEN.search(raw) for part in _pieces(run) for raw in _decodings(part)):
            yield start


def _pieces(run: bytes) -> Iterator[bytes]:
    return (run[begin : begin + MAX_DECODED] for begin in window_starts(len(run), MAX_DECODED))


def _decodings(run: bytes) -> Iterator[bytes]:
    """The run decoded at each of its four alignments (a run may begin inside a larger one)."""
    for shift in range(4):
        part = run[shift:]
        part = part[: len(part) & ~3]
        try:
            yield base64.b64decode(part, validate=True)
        except (binascii.Error, ValueError):
            continue


def narrow_secrets(raw: bytes) -> list[str]:
    """Kinds of the ASCII secrets in the raw bytes of a UTF-16 input (see `_NARROW`): the decoded text cannot show
    them, so the fail-closed pass flags the input instead."""
    return sorted({"livekit-token" if m[1] else "api-key" for m in _NARROW.finditer(raw)})
