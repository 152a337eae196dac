"""One line before the grammar reads it: its platform prefix and color tag, and whether it opens an entry,
continues one as a stack frame, or closes one as a `(Filename: ...)` footer.

Only lines that can be Convai lines reach the Lark parser: a handful of literal markers decide that, so the
Unity noise around them (usually 95% of an Editor.log) costs a few substring checks per line.
"""

from __future__ import annotations

import re

from loglens import models as m
from loglens.lazyre import lazy
from loglens.masking import Masked
from loglens.prefixes import has_prefix, unwrap_line

# A line can be a Convai line only if it holds one of these.
BRACKET_MARKERS = ("[Error]", "[Warning]", "[Info]", "[Debug]", "[Trace]", "[Exception]")
OTHER_MARKERS = ("Session error: ", "ROOM DETAILS RECEIVED", "Exception: ")
MAX_PARSE_CHARS = 200_000  # a longer line is noise however it starts; keep the parser's work bounded
COLOR_CLOSE = "</color>"
FOOTER_START = "(Filename: "
FRAME_STARTS = (
    "at ", "UnityEngine.", "System.", "--- End of", "Rethrow as ", "[Stack Trace - ", "Caused by: ", COLOR_CLOSE
)  # fmt: skip


def unwrap(text: str) -> tuple[m.Platform, str]:
    """Remove a logcat or browser-console prefix; say which platform it came from (`loglens.prefixes`)."""
    found = unwrap_line(text)
    return found.platform, found.text


def strip_color(text: str) -> tuple[str | None, str]:
    """Split a `<color=X>...</color>` wrapper off a line; the closing tag may be missing (multi-line entry)."""
    color = None
    if text.startswith("<color="):
        close = text.find(">")
        if close != -1:
            color = text[7:close]
            text = text[close + 1 :]
    if text.endswith(COLOR_CLOSE):
        text = text[: -len(COLOR_CLOSE)]
    return color, text


def could_be_convai(text: str) -> bool:
    """The literal gate in front of the parser."""
    if "]" in text:
        for marker in BRACKET_MARKERS:
            if marker in text:
                return True
    return any(marker in text for marker in OTHER_MARKERS)


def opens_entry(text: str) -> bool:
    """A line that surely begins a record of its own: a platform prefix, a Convai head, a footer.

    The one definition of where a hard-wrapped line cannot go on: `wrap` (rejoining credentials for analyze and
    livekit) and redaction's wrap check both stop there. A stack frame is not on this list: a piece of a wrapped
    Token summary can look like one (`...; Resolved Speaker ID (diagnostics)`), so each caller judges frames in
    its own context.
    """
    return has_prefix(text) or opens_record(text)


def opens_record(text: str) -> bool:
    """`opens_entry` short of the platform prefix: a footer or a Convai head where the text begins. What a line
    whose text is its own (no prefix to take off) is judged by, without looking for a prefix."""
    if text.lstrip().startswith(FOOTER_START):
        return True
    return text.startswith(("[", "<color=")) and could_be_convai(text)


def starts_like_frame(text: str) -> bool:
    """The first words of the frames Unity and .NET print (`UnityEngine.`, `System.`, an indented `at `), told
    apart without reading the rest of the line: what redaction's wrap check may not take as a wrapped piece."""
    return text.startswith(("UnityEngine.", "System.")) or (text[:1].isspace() and text.lstrip().startswith("at "))


# Frames that no word list catches: Editor.log native callstacks (`0x00007ff6c1c8bdec (Unity) StackWalker::...`,
# `0x0000025933c2fcdb (Mono JIT Code) ...`) and tombstone backtraces (`#00 pc 000000000004f3a8  /data/...`).
_ADDRESS_FRAME = lazy(r"0x[0-9A-Fa-f]{6,} \(|#\d{2,3} pc [0-9A-Fa-f]{4,} ")


def is_frame(text: str) -> bool:
    """A stack frame, exception line or closing tag that continues the entry above it.

    Unity prints frames in several forms (LOG-FORMATS.md section 7): `Ns.Class:Method (args) (at Assets/X.cs:12)`,
    `Ns.Class.Method (Ns.Type arg) (at Assets/X.cs:344)`, Android's `Ns.Class:Method(Args)`, forum copies that put
    `  at File.cs:57` on a line of its own, `  at Ns.Class.Method () [0x00000] in <mvid>:0`, Java's
    `\\tat java.lang...`, and the native callstacks above.
    """
    s = text.strip()
    if not s:
        return False
    if s.startswith(FRAME_STARTS):
        return True
    if s.startswith("[") or s.startswith("<color"):
        return False
    if "Exception: " in s or s.endswith("Exception"):
        return True
    if s[:1] in "0#" and _ADDRESS_FRAME.match(s):
        return True
    return s.endswith(")") and _method_call(s)


# `at Ns.Class.Method () [0x0] in <mvid>:0`, `at java.lang.X.y(X.java:12)`, `at File.cs:57`: `at`, a dotted name
_AT_FRAME = lazy(r"at [A-Za-z_<][^\s(]*[.:][^\s(]*(?: ?\(.*|:\d+)$")
_TRACE_MARKS = ("--- End of", "[Stack Trace - ", COLOR_CLOSE)


def trace_frame(text: str) -> bool:
    """A frame of a shape only a stack trace writes: a method with its arguments (`Ns.Class:Method (args)`), `at`
    before a dotted name, a native address, a trace's own marker. Not what a player can type as well: an
    exception's header (`FooException: my words`, `Rethrow as ...`), `at` before words, `System.` before words;
    those are frames (`is_frame`, `starts_like_frame`) only where a trace frame follows them."""
    s = text.strip()
    if s.startswith(_TRACE_MARKS) or _AT_FRAME.match(s):
        return True
    if s[:1] in "0#" and _ADDRESS_FRAME.match(s):
        return True
    return s.endswith(")") and not s.startswith(("[", "<color")) and _method_call(s)


def _method_call(s: str) -> bool:
    """`Ns.Class:Method (args)` or `Ns.Class.Method(args)`: a name without spaces before the argument list."""
    name = s.partition("(")[0].rstrip()
    return (":" in name or "." in name) and " " not in name and (name[:1].isalpha() or name[:1] in "_<")


def exception_head(text: str) -> bool:
    """`DllNotFoundException: ...` at the start of a line: after Unity noise it opens an entry of its own (only a
    Convai entry carries its exception on the lines below it)."""
    return "Exception: " in text and not text[:1].isspace() and not text.startswith(("Rethrow as ", "Caused by: "))


def parse_footer(text: str) -> m.Footer | None:
    """`(Filename: <path> Line: N)`; the path may contain spaces."""
    s = text.strip()
    if not (s.startswith(FOOTER_START) and s.endswith(")")):
        return None
    body = s[len(FOOTER_START) : -1]
    path, sep, number = body.rpartition(" Line: ")
    if sep and number.strip().lstrip("-").isdigit():
        return m.Footer.trusted(path=Masked(path.strip()), line=int(number))
    return m.Footer.trusted(path=Masked(body.strip()), line=None)


# a head's time of day (`16:20:43.400`): ASCII digits and separators, at most 15 characters
_CLOCK = lazy(r"\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,6})?", re.ASCII)


def clock(text: str) -> Masked:
    """A line head's time of day as `Masked`. A time holds no secret: it is shorter than a piece of a known value
    (`masking.PIECE`), and none of the detectors finds anything in one (a test runs them over every shape of it),
    so it is taken as it is, where masking it cost a detector run per line (times seldom repeat). Any other text
    is masked."""
    return Masked.trusted(text) if _CLOCK.fullmatch(text) else Masked(text)


def body_text(text: str) -> str:
    """The message after the bracketed head (`[time][Level][Category][corr]:`), inner tag included."""
    pos = 0
    while text.startswith("[", pos):
        close = text.find("]", pos)
        if close == -1 or " " in text[pos:close]:
            break
        pos = close + 1
        if text.startswith(":", pos) or text.startswith(" ", pos):
            break
    return text[pos:].lstrip(": ").strip()
