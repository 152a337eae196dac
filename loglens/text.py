"""Make log text safe to show: no terminal escape sequences, no invalid Unicode."""

from __future__ import annotations

_ESCAPES = {i: f"\\x{i:02x}" for i in (*range(0, 9), *range(11, 32), 127, *range(0x80, 0xA0))}
_ESCAPES[10] = "\\n"
# For text shown as lines (a redacted log on a terminal): line breaks stay line breaks.
_LINE_ESCAPES = {code: shown for code, shown in _ESCAPES.items() if code not in (10, 13)}


def printable(text: str) -> str:
    """Control characters become visible `\\xNN`; undecodable bytes (surrogate escapes) become U+FFFD.

    Terminal escape sequences in a log must not move the cursor or recolor the user's terminal.
    """
    if text.isprintable():
        return text
    return valid_unicode(text.translate(_ESCAPES))


def printable_lines(text: str) -> str:
    """Like `printable`, but newlines and carriage returns are kept, so multi-line text keeps its lines."""
    return valid_unicode(text.translate(_LINE_ESCAPES))


def valid_unicode(text: str) -> str:
    """Replace surrogate escapes with U+FFFD so the text can be encoded as UTF-8 (for JSON)."""
    if not _has_surrogates(text):
        return text
    return "".join(ch if not "\ud800" <= ch <= "\udfff" else "\ufffd" for ch in text)


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)
