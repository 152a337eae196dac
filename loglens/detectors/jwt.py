"""The JWT detector and the token labels: a LiveKit token stays one run across the foreign characters and blanks a
paste puts inside it, and decodes as a JWT."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from loglens.detectors.base import Detector
from loglens.detectors.shapes import (
    _B64,
    _LABEL_END,
    _MEMBERS,
    _XML_REST,
    BLANK,
    INSERTED,
    PAIR_REST,
    TABLE_CELL,
    _folded,
    _not_empty,
)
from loglens.detectors.spans import _structured
from loglens.lazyre import lazy
from loglens.memo import per_line
from loglens.shadows import SCRIPT_LOOKALIKES
from loglens.tokens import b64url_json, signature_length

# --- the detectors --------------------------------------------------------------------------------------------

# Blanks that may sit inside a pasted token (a no-break space, U+0085, a line separator) but may just as well end it:
# a run goes on across one only when what it joins decodes as the token's parts (`_jwt_spans`).
BLANKS = "[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_LOOKALIKES = str.maketrans(*SCRIPT_LOOKALIKES)
_TOKEN_CHAR = r"(?:[A-Za-z0-9_-]|(?:" + INSERTED + "|" + BLANKS + "){1,4}" + r"(?=[A-Za-z0-9_-]))"  # only inside a run
_STRICT_CHAR = r"(?:[A-Za-z0-9_-]|" + INSERTED + r"{1,4}(?=[A-Za-z0-9_-]))"  # no blanks: nothing to decode there
# the fewest characters after `eyJ` that make a run a token, for the detector and the re-scan's stricter shape alike:
# a run the re-scan takes for a token must be one redaction replaces (`eyJhbGciOi.`, a header cut short)
MIN_RUN = 4
# a signature may come in the standard base64 alphabet (`+`, `/`, `=` padding), as a hand-made token's does
_SIGNATURE_CHAR = r"(?:[A-Za-z0-9_+/-]|(?:" + INSERTED + "|" + BLANKS + "){1,4}" + r"(?=[A-Za-z0-9_+/-]))"
# the rest of a signature after a blank or two (a space, a tab) a paste put inside it, in up to three pieces: bounded
# runs, so a line of words costs a look at a few words after each token; kept only as far as they complete the
# signature to its algorithm's length exactly (`_signature_stop`), never an ordinary word after a whole or a cut one
_SIGNATURE_REST = (
    r"(?:(?:[ \t]|" + BLANKS + r"){1,3}(?=[A-Za-z0-9_+/-])" + _SIGNATURE_CHAR + r"{1,85}(?![A-Za-z0-9_+/-])={0,2}){0,3}"
)
# a dot, URL-encoded or fullwidth, with a few blanks before or after it as a word processor or a chat puts them
# (kept only where the part after them decodes: `_jwt_spans`), and markup or invisible characters beside it
_DOT_SIDE = r"(?:[ \t]|" + BLANKS + "|" + INSERTED + "){0,4}"
_TOKEN_DOT = r"(?:" + _DOT_SIDE + r"(?:\.|%2[Ee]|\uff0e)" + _DOT_SIDE + ")"
_FOREIGN = lazy(INSERTED)
_DOT = lazy(r"\.|%2[Ee]|\uff0e")
_BLANK = lazy(BLANKS + r"|[ \t]")


def clean_token(value: str) -> str:
    """A token as it was before a paste touched it: lookalikes and fullwidth forms back to ASCII, other foreign
    characters and blanks dropped (decomposed first, so that a combining mark is dropped, not joined to the
    letter before it)."""
    if value.isascii() and not any(char in value for char in "\0\x1b<[*` \t"):
        return value
    folded = unicodedata.normalize("NFKD", _BLANK.sub("", value).translate(_LOOKALIKES))
    return _FOREIGN.sub("", folded)


def _jwt_spans(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The token, across a blank inside it (or beside a dot) only when the cleaned token's part that holds the
    blank decodes (a header naming an algorithm, a JSON payload, a signature as long as its algorithm says):
    otherwise the token ends before the blank, and what follows it is left as text; so does markup after a whole
    signature (`_signature_end`)."""
    start = match.start("secret")
    yield start, start + _token_length(match.group("secret"))


def _kept_length(value: str) -> int:
    """How much of a run `_jwt_spans` keeps as the token: up to a blank in its header or payload that joins no
    parts (`_blank_inside`), and up to where a signature with blanks inside it is whole (`_signature_stop`)."""
    value = value[: _signature_end(value)]
    cuts: list[int] = []  # the blanks in the signature: where it may end
    for blank in _BLANK.finditer(value):
        at = blank.start()
        if _part_of(value, at) == 2:
            cuts.append(at)
        elif not _blank_inside(value, at):
            return at
    return _signature_stop(value, cuts) if cuts else len(value)


# a log repeats its tokens (and a hostile line one run thousands of times): each run is decoded once
_token_length = per_line(_kept_length)


def _signature_end(value: str) -> int:
    """Where the token ends: before markup that follows a whole signature (`<token><br>Retrying`: the tag and
    the word after it are text, not more of the signature), else at the end of `value`."""
    parts = clean_token(value).split(".")
    expected = signature_length(clean_token(value)) if len(parts) == 3 else None
    if expected is None or len(parts[2].rstrip("=")) <= expected:
        return len(value)
    for inserted in _FOREIGN.finditer(value):
        head = clean_token(value[: inserted.start()]).split(".")
        if len(head) == 3 and len(head[2]) >= expected:
            return inserted.start()
    return len(value)


def _part_of(value: str, at: int) -> int:
    """Which part of the token (0 the header, 1 the payload, 2 the signature) the blank at `at` is in: a blank before
    a dot belongs to the part after it."""
    before_dot = _DOT.match(value, at + 1) is not None
    return min(clean_token(value[:at]).count(".") + before_dot, clean_token(value).count("."), 2)


def _signature_stop(value: str, cuts: list[int]) -> int:
    """Where a token whose signature holds blanks (at `cuts`) ends: before the first blank, or at the run's end,
    where the signature is as long as its algorithm makes one (`sig1 sig2`: the rest after a blank; `sig1 sig2
    words`: the words are text); before the first blank when it never is (a cut signature, then a word)."""
    expected = signature_length(clean_token(value))
    for end in (*cuts, len(value)) if expected is not None else ():
        parts = clean_token(value[:end]).split(".")
        if len(parts) == 3 and len(parts[2].rstrip("=")) == expected:
            return end
    return cuts[0]


def _blank_inside(value: str, at: int) -> bool:
    """A blank in the header or the payload is inside the token when the cleaned part that holds it decodes."""
    parts = clean_token(value).split(".")
    index = _part_of(value, at)
    try:
        decoded = b64url_json(parts[index])
    except ValueError:
        return False
    return isinstance(decoded, dict) and (index == 1 or "alg" in decoded)


JWT = Detector(
    "livekit-token",
    # `eyJ` in fullwidth forms too: the decoded shadow reads such a token as ASCII (`shadows.LOOKALIKE`), and the
    # line must reach it (a block's bytes are lowercased as ASCII only, so its screen looks for the `ｅｙ`)
    ("eyj", "ｅｙｊ"),
    # a whole JWT, or what is left of one that was cut short; dots may arrive URL-encoded
    lazy(
        r"(?P<secret>eyJ" + _TOKEN_CHAR + f"{{{MIN_RUN},}}(?:" + _TOKEN_DOT + _TOKEN_CHAR + "*"
        r"(?:" + _TOKEN_DOT + _SIGNATURE_CHAR + "*={0,2}" + _SIGNATURE_REST + ")?)?)"
    ),
    spans=_jwt_spans,
    exclusive=True,
    screen=("eyj", "ｅｙ"),
)


def _token_label(gate: str, pattern: str) -> Detector:
    return Detector(
        "livekit-token",
        (gate,),
        _folded(pattern + rf"(?P<secret>{_B64}{{8,}})"),
        _not_empty,
        folded=True,
        screen=("token",),
    )


def _labelled(
    kind: str,
    gates: tuple[str, ...],
    label: str,
    value: str,
    lookbehind: str = "",
    screen: tuple[str, ...] = (),
    lead: str = "",
) -> Detector:
    """`label: value`, `label=value`, `"label":"value"`, `\\"label\\":\\"value\\"`, `label%3Dvalue` (folded),
    `label -> value`, `| label | value |`, `label<TAB>value`, and the label as a `KeyValuePair`'s key or an XML
    element (`[label, value]`, `<label>value</label>`), as the name of a settings entry (`<string name="label">value`,
    `<key>label</key><string>value`: `_XML_REST`), or as the name of a name/value pair or the first quoted argument
    (`{"name": "label", "value": "value"}`, `("label", "value")`: `PAIR_REST`). `lead`: what may stand between the
    label's end and the value without being part of it (`Bearer `)."""
    end = rf"(?:{_LABEL_END}|(?P<shape>>|,{BLANK}*+|{_XML_REST}|{PAIR_REST}|{TABLE_CELL}))"
    pattern = _folded(label + lookbehind + end + lead + rf"(?P<secret>{value})")
    return Detector(kind, gates, pattern, _not_empty, _structured, folded=True, screen=screen)


_VALUE = lazy("value")  # the member a pair written value first names, in the lowercase text a folded pattern reads


def _value_first(kind: str, gates: tuple[str, ...], label: str, value: str, lead: str = "") -> Detector:
    """A name/value pair written value first (`{"value": "...", "name": "X-API-Key"}`, Postman's `"key"`, a few
    short members between them, pretty-printed over a few lines): the pair's name, within the same object, must end
    in the label, as `_structured` asks of a pair written name first."""
    name = rf"""(?=\s*,\s*{_MEMBERS}\1["'](?:name|key)\1["']\s*:\s*\1["'][\w.-]{{0,32}}?{label}\1["'])"""
    pattern = rf"""(\\*)["']value\1["']\s*:\s*\1["']{lead}(?P<secret>{value})\1["']""" + name
    # the pattern starts with no literal, so the regex engine tries it at every position of a line the gate opened
    # (`keywords` in a shader line opens `key`): every match holds the member's name, one fast search first
    return Detector(kind, gates, _folded(pattern), _not_empty, folded=True, needs=_VALUE)
