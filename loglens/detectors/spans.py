"""The `spans` functions that pick several values out of one match, or keep a match's value only where what
stands around it makes it one: JSON string values, an XML element's content, a labelled value's structure, the
addresses of an ICE candidate, a cookie header's values, what was said, an address in a file's name, a
profile folder written in brackets."""

from __future__ import annotations

import re
from collections.abc import Iterator

from loglens.detectors.predicates import (
    is_asset_file,
    is_doc_word,
    is_ip_address,
    is_local_address,
    is_package_version,
    is_placeholder,
    is_template_name,
    is_version_number,
)
from loglens.detectors.shapes import _CELL_END, _COUNT, _PAIR, BLANK, MAIL_AT, _routable, word_label
from loglens.lazyre import lazy

_STRUCTURAL = {'"': lazy(r'["{}\[\]]'), "'\"": lazy(r"""['"{}\[\]]""")}


def _backslashes_before(text: str, index: int, floor: int = 0) -> int:
    count = 0
    while index - count - 1 >= floor and text[index - count - 1] == "\\":
        count += 1
    return count


def json_string_values(text: str, start: int, depth: int = 0, quotes: str = '"') -> Iterator[tuple[int, int]]:
    """Spans of the string values (never the keys) of the JSON value that begins at `start`.

    `quotes` are the characters that open a string: `"` for JSON, `'"` for a Python repr (`{'name': 'x'}`, and
    `"O'Brien"` where the string holds an apostrophe), where a string ends at the quote that opened it.

    `depth` is how many times the JSON was itself escaped into a string: 0 for `{"name":"x"}`, 1 for
    `{\\"name\\":\\"x\\"}`. At depth d a structural quote is preceded by 2**d - 1 backslashes (modulo 2**(d+1)),
    which tells a string's closing quote from an escaped quote inside it. Numbers, booleans, null and the layout
    are not touched, so the JSON keeps its structure and types.
    """
    run, modulo = (1 << depth) - 1, 1 << (depth + 1)
    structural = _STRUCTURAL[quotes]
    limit = len(text)
    nest = 0
    i = start
    while i < limit:
        if nest:  # inside the value only quotes and brackets matter: jump to the next one
            found = structural.search(text, i)
            if found is None:
                return
            i = found.start()
        char = text[i]
        if char in quotes and _backslashes_before(text, i, start) % modulo == run:
            j = i + 1
            while True:
                j = text.find(char, j, limit)
                if j == -1:
                    return
                if _backslashes_before(text, j, i + 1) % modulo == run:
                    break
                j += 1
            after = j + 1
            while after < limit and text[after] in " \t":
                after += 1
            if after >= limit or text[after] != ":":
                yield i + 1, j - run
            i = j + 1
            if nest == 0:
                return
            continue
        if char in "{[":
            nest += 1
        elif char in "}]":
            nest -= 1
            if nest <= 0:
                return
        elif nest == 0 and char not in " \t\\":
            return  # a number, true, false or null: nothing to hide
        i += 1


_DEPTHS = {0: 0, 1: 1, 3: 2, 7: 3}


def _metadata_values(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The string values of the metadata: JSON (escaped into a string `depth` times) or a Python repr."""
    if match.group("quote") == "'":
        yield from json_string_values(match.string, match.end(), 0, "'\"")
        return
    depth = _DEPTHS.get(len(match.group("escape")))
    if depth is not None:
        yield from json_string_values(match.string, match.end(), depth)


def _element_content(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """What the metadata's XML element holds, up to its closing tag or the line's end, a CDATA section or nested
    elements included, the blanks around it left: the whole of it is the value (`<end_user_metadata>...`). Over
    several lines, the logical line (`loglens.logical`) joins them: the closing tag ends it."""
    text, start = match.string, match.end()
    close = _CLOSING.search(text, start)
    end = close.start() if close is not None else len(text.rstrip())
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


_CLOSING = lazy("</" + word_label("end", "user", "metadata") + BLANK + "*+>")  # folded


_CELL_NAME = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"
_ENTRY_NAME = lazy(r"""(?:(?:name|key)\s*=\s*["']|<key>)[\w.-]*$""")  # folded: where a settings entry's name starts
_PAIR_NAME = lazy(r"""(?:name|key)\\*["']\s*:\s*\\*["'][\w.-]*$""")  # folded: where a name/value pair's name starts
_FIRST_ARGUMENT = lazy(r"""[(\[]\s*\\*["'][\w.-]*$""")  # where a call's or a tuple's first quoted argument starts


def _structured(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """A labelled value, also where the label is a C# `KeyValuePair`'s key (`[end_user_id, value]`), an XML
    element (`<end_user_id>value</end_user_id>`) or the name of a settings entry (`<string name="password">`,
    `<key>password</key><string>`): the bracket, the tags or the name around it must be there."""
    start, end = match.span("secret")
    text, shape = match.string, match.group("shape")
    if shape is None:
        yield start, end
    elif "|" in shape:
        # a table's first cell names the value in the next one; a number there is a count (a summary's table), and a
        # doc's word (`required`, the label's own name) or words that go on in the cell (`Password of the account`)
        # describe the field
        before = text[max(0, match.start() - 64) : match.start()]
        if (
            before.rstrip(_CELL_NAME).rstrip(" \t\"'").endswith("|")
            and not _COUNT.match(text, start, end)
            and _CELL_END.match(text, end)
            and not is_doc_word(text[start:end], text[match.start() : match.start("shape")])
        ):
            yield start, end
    elif shape == ">":
        if text[match.start() - 1 : match.start()] == "<" and text.startswith("</", end):
            yield start, end
    elif _PAIR.fullmatch(shape):  # a pair's name, or a first argument: the label ends the string it is in
        name = _PAIR_NAME if "value" in shape.lower() else _FIRST_ARGUMENT
        if name.search(text[max(0, match.start() - 64) : match.start()]):
            yield start, end
    elif not shape.startswith(","):  # a settings entry: the label ends the name it is given
        if _ENTRY_NAME.search(text[max(0, match.start() - 64) : match.start()]):
            yield start, end
    elif (
        text[max(0, match.start() - 8) : match.start()].rstrip().endswith("[")
        and text[end : end + 8].lstrip()[:1] == "]"
    ):
        yield start, end  # a few characters either side: a line of many labels costs no more per label


def _candidate_addresses(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The addresses in an ICE candidate (`... udp 1694498815 198.51.100.10 50522 typ srflx raddr ...`)."""
    for word in re.finditer(r"[^\s]+", match.group()):
        value = word.group().strip("[]")
        if is_ip_address(value) and not is_local_address(value):
            start = match.start() + word.start() + word.group().find(value)
            yield start, start + len(value)


def _not_version(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """A dotted quad is an address unless what touches it makes it a version (`predicates.is_version_number`)."""
    if not is_version_number(match.string, match.start("secret")):
        yield match.span("secret")


def _enough_groups(value: str) -> bool:
    """An IPv6 address outside a URL or a candidate: a routable one with two groups and four hex digits written
    out at least (`fe80::1`, not `a::b` of a C++ scope)."""
    groups = [group for group in value.split(":") if group]
    return _routable(value) and len(groups) >= 2 and sum(map(len, groups)) >= 4


_HEX_RUN = frozenset("0123456789abcdef:")
_FINGERPRINT = lazy(r"fingerprint[^\r\n]{0,24}$")  # folded: a DTLS fingerprint's label (`a=fingerprint:sha-256 `)


def _not_fingerprint(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """An IPv6 address, not a stretch of a colon-separated hex fingerprint (an SDP's `a=fingerprint:sha-256
    4A:AD:...`): the run of hex and colons it sits in (looked at no further than an address reaches) holds more
    groups than an address, or is of two-digit groups after a fingerprint's label."""
    text, (start, end) = match.string, match.span("secret")
    low, high = start, end
    while low > max(0, start - 40) and text[low - 1] in _HEX_RUN:
        low -= 1
    while high < min(len(text), end + 40) and text[high] in _HEX_RUN:
        high += 1
    run = text[low:high].strip(":")
    if run.count(":") > 7:
        return
    if _FINGERPRINT.search(text, max(0, low - 40), low) and all(len(group) == 2 for group in run.split(":")):
        return
    yield start, end


# what may follow a value that a bare colon gives: the line's end, a field's or an object's end, the next label
_FIELD_END = lazy(r"[ \t]*+(?:$|[\r\n,;}\])]|[\w.-]++[ \t]*[:=])")
_WORD = lazy(r"[^\W\d_]{1,15}")  # a word of a message, in any script: letters only, shorter than an opaque value


def _assigned(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """A value after a label that JSON or code gives it, not a message's words: a quote around the label or the value,
    or `=` (`"credential":"..."`, `credential: '...'`, `credential=...`); after a bare colon, one opaque token that
    ends its field (`credential: Xy9z...}`, `username: 1700000000:bart credential: ...`, a STUN `USERNAME: a:b`),
    never a word (`credential: the server closed`, `Credential: expired, ...`). The label's end is the pattern's
    `end` group."""
    start, end = match.span("secret")
    if match.group("end").strip() != ":" or (
        _WORD.fullmatch(match.string, start, end) is None and _FIELD_END.match(match.string, end) is not None
    ):
        yield start, end


def _either(match: re.Match[str]) -> tuple[tuple[int, int]]:
    """The span of whichever alternative matched: `secret` or `v`."""
    return (match.span("secret") if match.group("secret") is not None else match.span("v"),)


_COOKIE_VALUE = 8  # shorter cookie values are settings (`theme=dark`), not sessions


def _cookie_values(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The values of a `Cookie:` header's pairs, or of the first pair of a `Set-Cookie:` (its attributes, `Path=/`,
    `Expires=...`, are not secret); a quoted value without its quotes, and nothing past a quote that closes the
    string the header sits in (`"Cookie":"sid=..."}`)."""
    at = match.start("secret")
    pairs = match.group("secret").split(";")
    for pair in pairs[:1] if match.group().startswith("set-") else pairs:
        name, equals, value = pair.partition("=")
        start = at + len(name) + 1 + len(value) - len(value.lstrip())
        core = value.strip()
        if core.startswith('"'):
            start, core = start + 1, core[1:]
        size = core.find('"') if '"' in core else len(core)
        if equals and size >= _COOKIE_VALUE:
            yield start, start + size
        at += len(pair) + 1


# a member of a HAR cookie object (`{"name": "sessionid", "value": "..."}`): its value, plain or escaped JSON
_COOKIE_MEMBER = lazy(r"""(\\*)["']value\1["']\s*:\s*\1["'](?P<v>[^"'\\\r\n]*)|(?P<end>\]|cookies)""")  # folded


def _cookie_members(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The values of the cookie objects in a HAR's `"cookies": [...]` (the names say which cookies a request
    carried and stay), up to the array's end (or the next such array: a line of them costs no more per array);
    shorter values than a session's are settings, as in `Cookie:`."""
    for member in _COOKIE_MEMBER.finditer(match.string, match.end()):
        if member.group("end") is not None:
            return
        if len(member.group("v")) >= _COOKIE_VALUE:
            yield member.span("v")


def _said(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """What was said, without the blanks and the closing color tag after it (trimmed here, not by the pattern:
    a lazy group, then optional blanks, a tag and blanks again backtracks cubically over a run of spaces)."""
    start = match.start("secret")
    value = match.group("secret").rstrip()
    if value.endswith("</color>"):
        value = value[:-8].rstrip()
    if value:
        yield start, start + len(value)


def _address_not_asset(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """`Button@2x.png` is an asset; `Editor-jordan@example.com.log` and `jo@example.com-2.log` are addresses in a
    file name: the address before the file's extension, when what is left still holds a domain (one that is no
    asset's name itself). `pkg@1.2.3-beta.rc1` is a version."""
    start, end = match.span("secret")
    value = match.group("secret")
    if is_package_version(value, match.string[end : end + 1]):
        return
    while is_asset_file(value):
        found = MAIL_AT.search(value, 0, len(value) - len(value.rsplit(".", 1)[1]) - 1)
        if found is None:
            return
        value = value[: found.end()]
    yield start, start + len(value)


def _bracketed_folder(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The name in a bracketed profile folder, unless the brackets hold a placeholder of ours or a guide's word,
    and whatever is glued after the brackets."""
    inner = match.group("inner").strip()
    if not is_placeholder(f"<{inner}>") and not is_template_name(inner):
        yield match.span("inner")
    if match.group("glued") is not None:
        yield match.span("glued")
