"""Make text safe to show on a terminal: log text, file names, JSON. The one escaping path for all of them.

A terminal acts on more than ESC: C1 controls (U+009B is a one-character CSI on some terminals), a lone carriage
return (overprints what came before), and the bidirectional overrides (U+202E makes `gol.exe` read `exe.log`).
Everything printed to a terminal goes through one of the functions here, file names included.
"""

from __future__ import annotations

from loglens.lazyre import lazy

# Bidirectional controls and the Unicode line separators: invisible, yet they reorder or break what is shown.
_INVISIBLE = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)
_ESCAPES = {i: f"\\x{i:02x}" for i in (*range(0, 9), *range(11, 32), 127, *range(0x80, 0xA0))}
_ESCAPES.update({i: f"\\u{i:04x}" for i in _INVISIBLE})
_ESCAPES[10] = "\\n"
# For text shown as lines (a redacted log on a terminal): line breaks stay line breaks; a lone CR is escaped below.
_LINE_ESCAPES = {code: shown for code, shown in _ESCAPES.items() if code not in (10, 13)}
_LONE_CR = lazy(r"\r(?!\n)")
# Inside JSON text these can only occur in strings; `\uXXXX` is the same JSON value, so the data stays exact.
_JSON_UNSAFE = lazy("[\x80-\x9f" + "".join(f"\\u{i:04x}" for i in _INVISIBLE) + "]")


def printable(text: str) -> str:
    """One line, safe for a terminal: controls and bidi overrides become visible escapes (`\\x1b`, `\\n`, `\\u202e`).

    Undecodable bytes (surrogate escapes) become U+FFFD. Use it for log text and for file names alike: a newline
    in a file name must not start a fake line of output.
    """
    if text.isprintable():
        return text
    return valid_unicode(text.translate(_ESCAPES))


def printable_lines(text: str) -> str:
    """Like `printable`, but line endings (LF, CRLF) are kept, so multi-line text keeps its lines.

    A carriage return that ends no line would move the cursor back and let the next text overprint: it is escaped.
    """
    return valid_unicode(_LONE_CR.sub("\\\\x0d", text.translate(_LINE_ESCAPES)))


def terminal_json(text: str) -> str:
    """JSON text for a terminal: C1 controls and bidi overrides inside strings become `\\uXXXX` (the same value)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def valid_unicode(text: str) -> str:
    """Replace surrogate escapes with U+FFFD so the text can be encoded as UTF-8 (for JSON)."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")  # C speed: most text has nothing to replace
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


_SURROGATE = lazy("[\ud800-\udfff]")


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)
