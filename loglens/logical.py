"""Logical lines: the one definition of how a paste, a terminal or logcat cuts one log line into several.

A hard wrap (a ticket system, an e-mail client, a narrow terminal) cuts a long line into pieces and decorates each
one (`paste.py`: a quote or indent prefix, a trailing blank, a quoted-printable soft break); Android's logcat cuts a
long message into entries that each carry their own head (`prefixes.py`). `body_bounds` finds the text of one
physical line between those decorations. `extend` decides how many of the following lines continue a line, on the
evidence of what joining them shows: a value that runs over the cut, or a label the cut split so that neither piece
shows it. Spans found in the joined text map back onto every piece they cover, however short (`paste.Joined`).

Two narrower kinds of evidence serve where no detector has spoken yet: the width of a fixed-width hard wrap
(`loglens.fixedwidth`: `wrapped_count`, lines of one width, the last no wider; `piece_start`) and a token cut at a
line's end (`loglens.cuttoken`, rebuilt from the runs of token characters that start the lines after it).
Redaction, its leftover check and the credentials joiner (`loglens.wrap`) all walk by the limits and the stopping
rules here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from loglens import lines as entry_lines
from loglens.detectors.predicates import FREE_TEXT, is_asset_file, token_shown_longer
from loglens.detectors.shapes import _YAML_BLOCK, HOME_ROOT, MAIL_DOMAIN, YAML_COMMENT
from loglens.lazyre import lazy
from loglens.memo import per_line
from loglens.paste import Joined, piece_bounds, tag_end
from loglens.prefixes import unwrap_line
from loglens.shadows import base64_line, decoded_text
from loglens.tokens import is_whole, trimmed

MAX_LINES = 128  # a 1,600-character token wrapped at 20 columns takes 80 lines
MAX_CHARS = 65_536
MIN_WIDTH = 16  # a line a wrap cut is at least this long (shorter ones are ordinary short lines)
MAX_WIDTH = 1_024  # no hard wrap cuts wider pieces: past it, only the paste itself shows a cut (`_witnessed`)
MAX_BLANKS = 1  # blank or prefix-only lines a paste may put into one cut
RUN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-."  # what a token is made of
LOOKAHEAD = 2  # a label cut over three narrow lines shows only once all three are joined
# a HAR's `"cookies": [` ending a line, as a browser pretty-prints it: each cookie's value lies below its name and the
# member lines of the cookie before it (`path`, `domain`, `expires`, `httpOnly`, `secure`, `sameSite`, the braces)
ARRAY_LOOKAHEAD = 12
_OPEN_ARRAY = lazy(r"""(?i:cookies)\\*["'][ \t]*:[ \t]*\[$""")


# kinds of one fixed length (a Convai API key is 32 lowercase hex): whole at that length, whatever follows the cut
FIXED_LENGTH = frozenset({"api-key"})
_HEX = "0123456789abcdef"
_DIGITS = lazy(r"\d+")
_WHOLE_AT_END = frozenset({"email", "ip-address", "user-name", *FREE_TEXT})
Piece = tuple[int, int, int]  # line index, start, end
Find = Callable[[str], Iterable[tuple[int, int, str]]]  # (start, end, kind) of every secret in a text


def random_run(text: str) -> bool:
    """Upper case, lower case and digits together, as in a piece of base64, not a word or an identifier; or, with
    no digit, 20 characters or more with at least a quarter of them in each case: about one 43-character token
    signature in 1,500 holds no digit, and no CamelCase name has that many capitals."""
    upper = sum(1 for c in text if "A" <= c <= "Z")
    lower = sum(1 for c in text if "a" <= c <= "z")
    if not upper or not lower:
        return False
    if any("0" <= c <= "9" for c in text):
        return True
    return len(text) >= 20 and 4 * upper >= len(text) and 4 * lower >= len(text)


@per_line
def body_bounds(line: str) -> tuple[int, int]:
    """Start and end of a line's text: past a paste prefix, a logcat or console head; before blanks, a soft break."""
    start, end = piece_bounds(line)
    text = line[start:end]
    unwrapped = unwrap_line(text)
    if unwrapped.platform == "unity":
        return start, end
    body = unwrapped.text
    at = len(text) - len(body) if text.endswith(body) else text.find(body)
    return start + at, start + at + len(body)


def line_head(line: str, body: tuple[int, int] | None = None) -> str | None:
    """A line's platform head (after any paste prefix; a `-v process` line's tag after its text too); None without
    one. Logcat writes each line of one multi-line message behind the same head, time, pid and tid included.
    `body`: the line's `body_bounds`, when the caller has them."""
    start, end = body or body_bounds(line)
    lead, stop = piece_bounds(line)
    if start == lead:
        return None
    return line[lead:start].rstrip() + line[end:stop]


@per_line
def head_shape(line: str) -> str | None:
    """A line's platform head, digits masked (the pieces of one split message share it); None without a head."""
    head = line_head(line)
    return None if head is None else _DIGITS.sub("0", head)


def stands_alone(body: str) -> bool:
    """A line's text (decorations off) starts an entry (`lines.opens_entry`) or a frame: it continues no line."""
    return entry_lines.opens_entry(body) or entry_lines.starts_like_frame(body)


def cut_lines(
    following: Iterable[str],
    bounds: Callable[[str], tuple[int, int]] = body_bounds,
    stop: Callable[[str], bool] | None = None,
) -> Iterator[tuple[int, str, int, int]]:
    """The lines after a line that may continue it, as (index from 1, line, start, end of its text by `bounds`):
    at most `MAX_LINES`, up to a line that `stop` says opens something of its own (left out, before its bounds
    are looked for), or up to more blank or prefix-only lines in a row (start == end) than one cut may hold."""
    blanks = 0
    for index, line in enumerate(islice(following, MAX_LINES), 1):
        if stop is not None and stop(line):
            return
        start, end = bounds(line)
        blanks = blanks + 1 if start == end else 0
        if blanks > MAX_BLANKS:
            return
        yield index, line, start, end


# a label with nothing after it: `api_key=`, `"X-API-KEY":`, `"api_key" :`, a YAML block scalar's header (`apiKey: |`,
# `apiKey: >-`), either with a YAML comment after it (`apiKey: # the key`), the name of a pretty-printed name/value
# pair (`"key": "apikey",`, its `"value"` next), or a home root with no name after it (`C:\Users\`, `/home/`, escaped)
_OPEN_LABEL = lazy(
    r"""\w(?:\\*["'])?[ \t]*(?:[:=]["']?|:[ \t]*""" + _YAML_BLOCK + "|:[ \t]*" + YAML_COMMENT + ")$"
    r"""|(?i:name|key)\\*["'][ \t]*:[ \t]*\\*["'][\w.-]{1,64}\\*["'][ \t]*,$"""
    r"|[\\/](?i:users|" + HOME_ROOT + r"|documents and settings)(?:\\+|/+)$"
)


def ends_in_label(line: str) -> bool:
    """The text of a line ends in a label with nothing after it (`X-API-KEY:`, `api_key=`, a request dump's header
    on a line of its own): its value may be on the next line, however short this one is."""
    start, end = body_bounds(line)
    return _OPEN_LABEL.search(line, start, end) is not None


def _opens_as_is(line: str) -> bool:
    """`opens_entry` of a whole line as it came, before any prefix is looked for: the common case, cheaply. A line
    whose text starts like this opens an entry whatever a prefix search would find."""
    return entry_lines.opens_record(line) or entry_lines.starts_like_frame(line)


def ends_every_walk(line: str, then: str | None = None) -> bool:
    """A following line that no walk takes: its text starts at its first character (no paste prefix, not blank)
    and opens an entry or a frame as it stands, so `extend` stops before it and `wrapped_count` takes none; or a
    blank (or prefix-only) line, which both step over, before a line `then` that ends every walk. The common cases
    after a Convai line (`UnityEngine.StackTraceUtility:...`) and a frame (a blank, then its footer), told without
    starting either walk."""
    start, end = piece_bounds(line)
    if start == end:
        return then is not None and ends_every_walk(then)
    return start == 0 and _opens_as_is(line)


def extend(first_line: str, following: Iterable[str], find: Find, first: Sequence[Piece] | None = None) -> Joining:
    """How many of the `following` lines continue `first_line`, and the pieces to join (`first`: the first line's
    own). The lines are read one at a time, as far as the walk goes.

    A following line is taken when joining it shows something neither side shows alone; up to `LOOKAHEAD` lines
    are tried together before giving up. A blank or prefix-only line inside a cut is stepped over; a line that
    opens an entry ends the logical line, and so does a stack frame after a frame.
    """
    array = _OPEN_ARRAY.search(first_line, *body_bounds(first_line)) is not None
    if len(first_line.rstrip()) < MIN_WIDTH and not array and not ends_in_label(first_line):
        # no wrap leaves so short a line before another, but a dump may put a label's value on the next line
        return Joining([first_line], 0, [])
    lines = [first_line]
    pieces: list[Piece] = list(first) if first else [(0, 0, body_bounds(first_line)[1])]
    taken, pending, size = 0, list[Piece](), 0
    own, looked = None, False  # the first line's head, looked for once a line needs it
    # a line whose text opens an entry as it came is the common case, decided before any prefix is looked for
    for index, line, start, end in cut_lines(following, stop=_opens_as_is):
        lines.append(line)
        if start == end:
            continue
        size += end - start
        if not looked:
            own, looked = head_shape(first_line), True
        if breaks(lines[index - 1], line, start, end, own) or size > MAX_CHARS:
            break
        if array and line.startswith("]", start):
            break  # the cookies end
        # in the cookies, only a cookie's `value` member can show one: the lines between are stepped over unread
        read = not array or "value" in line[start:end].lower()
        for tried in _readings(lines, [*pieces, *pending], (index, start, end)) if read else ():
            if _reveals(lines, tried[: len(pieces)], tried[len(pieces) :], find):
                pieces = tried
                taken, pending = index, []
                break
        else:
            pending.append((index, start, end))
            if len(pending) >= (ARRAY_LOOKAHEAD if array else LOOKAHEAD):
                break
    return Joining(lines[: taken + 1], taken, pieces)


@dataclass(frozen=True, slots=True)
class Joining:
    """The physical lines of one logical line (the first included), how many follow the first, and the pieces."""

    lines: list[str]
    count: int
    pieces: list[Piece]

    def joined(self) -> Joined:
        return Joined.of(self.lines, self.pieces)


# an SDP attribute line (`a=ice-pwd:...`, `a=candidate:...`, `a=sendrecv`): a line of an SDP block of its own
_SDP_ATTRIBUTE = lazy(r"a=[a-z][a-z0-9-]*+(?::|$)")
# any SDP line (`m=audio 9 ...`, `c=IN IP4 ...`, `v=0`): a type letter, `=`, a value
_SDP_LINE = lazy(r"[a-z]=[^\s=]")


def sdp_line(before: str, body: str) -> bool:
    """`body` is a line of an SDP block of its own: an attribute line, or any SDP line after one (Firefox writes the
    session's `a=ice-ufrag:...` right before the first `m=audio ...`): no wrap leaves `x=` at the start of a piece
    where the line before is SDP too."""
    if _SDP_ATTRIBUTE.match(body):
        return True
    start, end = body_bounds(before)
    return _SDP_LINE.match(body) is not None and _SDP_LINE.match(before, start, end) is not None


def breaks(before: str, line: str, start: int, end: int, own: str | None) -> bool:
    """`line` (its text at `start:end`) cannot continue `before`: it opens an entry, it opens the field `before`
    opened (`same_field`), it is a line of an SDP block (`sdp_line`: `a=ice-ufrag:Xq3z` then `a=ice-pwd:...`, or
    `m=audio ...` after one; a value whole at the line's end must not take the next SDP line in), it is an entry
    of another head than `own` (the first line's `head_shape`, or a head after a headless line), or both are
    stack frames. The one decision of where a logical line ends: `extend` and the credentials joiner stop here."""
    body = line[start:end]
    if stands_alone(body) or same_field(before, body) or sdp_line(before, body):
        return True
    other = head_shape(line)
    if other is not None and other != own:
        return True
    return _framed(body) and _framed(before.rstrip())


# a field's label where a line's text begins: `Token:`, `Room Name =`, `api_key=`, `"token":`
_FIELD = lazy(r"""(["']?)[A-Za-z][\w.-]{0,63}(?:[ \t][A-Za-z][\w.-]{0,63}){0,3}\1[ \t]*[:=]""")


def same_field(before: str, body: str) -> bool:
    """`body` opens the field the line before opened too (`Token: eyJ…` after `Token: eyJ…`): a record of its own,
    however the line before ends. What a cut leaves of a value never starts with its own line's label."""
    field = _FIELD.match(body)
    if field is None:
        return False
    start, end = body_bounds(before)
    return before.startswith(field.group(), start) and field.end() <= end - start


def _framed(text: str) -> bool:
    """Shaped like a stack frame: `Ns.Class:Method (args) (at Assets/X.cs:12)`, `... [0x00000] in <mvid>:0`."""
    return (text.endswith(")") and " (" in text) or text.endswith(":0")


def _readings(lines: list[str], chain: list[Piece], piece: Piece) -> list[list[Piece]]:
    """The ways to glue `piece` after `chain`: a blank at either side of the cut may be the text's own (a wrap
    that cut at a space) rather than what the paste added (a logcat head's never is, a quote's only a second)."""
    index, start, end = piece
    line, out = lines[index], [[*chain, piece]]
    quoted = ">" in line[:start] and line[start - 2] not in " \t"  # `>  user`: the quote's blank, then the text's
    if start and line[start - 1] in " \t" and not quoted and line_head(line) is None:
        out.append([*chain, (index, start - 1, end)])
    k, s, e = chain[-1]
    if e < len(lines[k]) and lines[k][e] in " \t":
        out.append([*chain[:-1], (k, s, e + 1), piece])
    return out


def _witnessed(lines: list[str], index: int) -> bool:
    """The paste shows that line `index` continues the one before: a prefix on it, a trailing blank or soft break
    on the line before, the width of a wrap (this line or the one before as wide as the line before it, a line of a
    base64 attachment before it: `shadows.base64_line`). A logcat head is no witness: every entry has one."""
    line, before = lines[index], lines[index - 1]
    widths = len(line) == len(before) or (index > 1 and len(before) == len(lines[index - 2])) or base64_line(before)
    # a trailing break tag is how HTML writes every line's end (`<br>`), not a cut: only a blank or a soft break is
    return widths or piece_bounds(line)[0] > 0 or piece_bounds(before)[1] < tag_end(before)


def is_complete(kind: str, value: str, headed: bool = False) -> bool:
    """A value that looks whole where the line ends: a whole token, a 32-hex key or id, an e-mail with its domain
    (also as an end-user id), an address, a path's user name, what was said (free text never shows its own end). An
    opaque value of no fixed length may go on, unless the next line has a logcat head (consecutive entries of one
    tag are common)."""
    if kind == "livekit-token":
        return is_whole(decoded_text(value))  # read as the shadow reads it: lookalike dots, fullwidth forms
    if kind in ("api-key", "end-user-id"):
        value = decoded_text(value)  # a format character or an escape a shadow read through is no hex digit
        if kind == "end-user-id" and MAIL_DOMAIN.search(value):
            return True
        return len(value) >= 32 and not value.lower().strip(_HEX)
    return headed or kind in _WHOLE_AT_END  # the entries of one tag follow each other: a head asks for more


def _wide_end(kind: str, value: str, wide: bool) -> bool:
    """A value at the end of a line wider than any wrap makes: whole there, unless it is the start of a LiveKit
    token (`eyJ`), which shows for itself whether it is whole (`_complete`)."""
    return wide and not (kind == "livekit-token" and value.startswith("eyJ"))


def _path_goes_on(kind: str, text: str, cut: int, end: int) -> bool:
    """A user name that the join carries on, in one word, up to a path separator (`C:/Users/alex` |
    `andra/Projects/`): the cut fell inside the name, whatever the paste shows (a log line of its own starts with
    a word and a blank, not with the rest of a path)."""
    return kind == "user-name" and text[end : end + 1] in ("\\", "/") and not any(c.isspace() for c in text[cut:end])


# a word (at most its first letter upper case), a blank, and more: the line goes on in words of its own
_PROSE = lazy(r"[A-Za-z][a-z]*[ \t]+\S")


def reads_as_prose(text: str, start: int) -> bool:
    """The piece of a following line at `start` is a word and then more words (`The player then retried`): a
    sentence of its own, not the rest of a value the line before was cut in. What a cut leaves of a token or an
    id runs on to the end of its line (or to the wrap width, which `_witnessed` sees)."""
    return _PROSE.match(text, start) is not None


def fits_exactly(kind: str, value: str) -> bool:
    """`value` is whole (`is_complete`) and, for a token, not one character longer than its signature: the one
    case where a word the cut put on the next line is still taken as the value's end."""
    if kind == "livekit-token":
        plain = decoded_text(value)
        return is_whole(plain) and trimmed(plain) == plain
    return is_complete(kind, value)


def value_end(kind: str, text: str, start: int, end: int, cuts: Sequence[int]) -> int:
    """Where a value found in pieces joined over `cuts` (their offsets in `text`) ends: at the first cut where the
    part before it is whole (a 32-hex key, a token to the last character of its signature, an e-mail with its
    domain, an address, a path's user name), since what the next piece starts with is not part of it (`_reveals`
    stops there too where the paste shows no cut); else at `end`. `cuts` are in order: only those inside the value
    are looked at, so a line cut in many pieces costs no more per value than it has cuts inside."""
    exact = kind in FIXED_LENGTH or kind == "livekit-token"  # no character can follow a whole one
    whole_at_end = kind in _WHOLE_AT_END and kind not in FREE_TEXT  # may go on: a sentence after it ends it
    if exact or whole_at_end:
        for at in range(bisect_right(cuts, start), len(cuts)):
            cut = cuts[at]
            if cut >= end:
                break
            if not fits_exactly(kind, text[start:cut]):
                continue
            if exact or reads_as_prose(text, cut):
                return cut
    return end


def _reveals(lines: list[str], pieces: list[Piece], pending: list[Piece], find: Find) -> bool:
    """Whether joining `pending` to `pieces` shows a secret that neither side shows alone: a value that runs over
    the cut, one behind a label that only the join makes whole, or one that needs what follows the cut (a quote).

    A value the first side already shows whole up to the cut (a 32-hex key, what a player said) is carried on
    only when the paste itself shows the cut (`_witnessed`): a log line after it may begin with a letter too. So is
    an asset's file name with an `@` in it (`hero@idle.anim`), which the join would turn into an address.
    """
    joined = Joined.of(lines, [*pieces, *pending])
    found = list(find(joined.text))
    if not found:
        return False  # the join shows nothing at all (a line of no secret before an ordinary line)
    cut = joined.offsets[len(pieces)]
    head = joined.text[:cut]
    # what each side shows alone. No span is empty, so a span of the join that ends by the cut can only be one the first
    # side shows, one that starts at it or later one the second side shows: the second is read only when one does
    before = set(find(head))
    after: set[tuple[int, int, str]] | None = None
    headed = head_shape(lines[pending[0][0]]) is not None
    wide = pieces[-1][2] - pieces[-1][1] > MAX_WIDTH
    whole = {
        k for s, e, k in before if e == cut and (is_complete(k, head[s:e], headed) or _wide_end(k, head[s:e], wide))
    }
    for start, end, kind in found:
        if end <= cut and ((start, end, kind) in before or token_shown_longer(before, start, end, kind)):
            continue
        if start >= cut:
            if after is None:
                after = {(s + cut, e + cut, k) for s, e, k in find(joined.text[cut:])}
            if (start, end, kind) in after:
                continue
        if start < cut and (kind in whole and kind in FIXED_LENGTH):
            continue  # a whole key: what the next line starts with is not part of it
        unseen = start < cut < end and not _witnessed(lines, pending[0][0])
        if unseen and reads_as_prose(joined.text, cut) and not fits_exactly(kind, joined.text[start:end]):
            continue  # `invalid token: eyJ…` then `The player then retried`: that line is a sentence of its own
        ends = kind in whole or kind in FREE_TEXT or (kind == "email" and is_asset_file(joined.text[start:cut]))
        if (
            ends
            and start < cut
            and not _witnessed(lines, pending[0][0])
            and not _path_goes_on(kind, joined.text, cut, end)
        ):
            continue  # `hero@idle.anim` is a whole file name where the line ends
        return True
    return False
