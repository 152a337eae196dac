"""Shapes several detectors share (labels, separators, identifier values), the ICE detector, and the `spans`
functions that pick several values out of one match (JSON string values, addresses, e-mails)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from loglens.detectors.base import Detector
from loglens.detectors.predicates import (
    is_asset_file,
    is_doc_word,
    is_empty_word,
    is_ip_address,
    is_local_address,
    is_package_version,
    is_placeholder,
    is_version_number,
)
from loglens.lazyre import LazyRegex, lazy
from loglens.shadows import INVISIBLE, MARKUP

# --- shapes shared by several detectors -----------------------------------------------------------------------

# a blank as a paste leaves it: any Unicode space (a no-break space, U+0085 among them) or a byte that is no UTF-8
# (read as a surrogate escape, or shown as U+FFFD: a Windows-1252 no-break space 0xA0, 0x85). Such a byte stands
# for the blank or the separator it was, and is never a value by itself.
BLANK = r"[\s\udc80-\udcff\ufffd]"
# Characters a paste or a ticket system puts inside a token or a key without ending it: the invisible ones
# (`shadows.INVISIBLE`), NUL, combining marks, Cyrillic lookalikes, fullwidth forms (a fullwidth dot among them),
# undecodable bytes (surrogate escapes, or U+FFFD once shown). Inside a run they are part of it, a few in a row too.
FOREIGN = "(?:" + INVISIBLE + "|[\0\u0300-\u036f\u0400-\u04ff\uff01-\uff5e\ufffd\ud800-\udfff])"
# What a run reads through besides: an ANSI code or a rich-text tag that falls inside the token (`shadows.MARKUP`)
INSERTED = "(?:" + FOREIGN + "|" + MARKUP + ")"
_Q = r"""(?:\\*["']|%22)?"""  # an optional quote: plain, escaped (JSON inside JSON) or URL-encoded
# `:` or `=`, plain or URL-encoded (lowercase hex), an arrow (`->`, `=>`), blanks around it once; or a tab alone (a
# tab-separated header list; a tab before a `:` or `=`, or before the quote that ends the label, is only a blank)
_SEP = BLANK + r"*+(?:[:=]|%3[ad]|[-=]>)" + BLANK + r"*+|[ ]*+\t" + BLANK + r"""*+(?!["'\\]*+(?:[:=]|%3[ad]))"""
# the label's closing quote and a parenthesis (`Key(api-auth-token): ...`), the separator, the value's opening quote
_LABEL_END = _Q + r"\)?(?:" + _SEP + ")" + _Q
# the label as the name of a name/value pair (`{"name": "X-API-Key", "value": "..."}` of a HAR export, Postman's
# `"key": ...`, the value on the next line of a pretty-printed one) or the first of two quoted arguments or items
# (`setRequestHeader("X-API-Key", "...")`, `[('api-auth-token', '...')]`): the quote that ends the label, and the one
# that opens the value. `_structured` checks that the label ends the name it is given.
_VALUE_MEMBER = r"""\\*["']value\\*["']\s*:\s*"""
# a few short members a HAR or Postman object may put between its name and its value (`"comment": "",`)
_MEMBERS = r"""(?:\\*["'][\w-]{1,32}\\*["']\s*:\s*(?:\\*["'][^"'\\\r\n]{0,64}\\*["']|[\w.-]{1,16})\s*,\s*){0,4}"""
# the value's opening quote: a JavaScript template literal's backtick too (`headers.set("API-AUTH-TOKEN", `...`)`)
PAIR_REST = r"""\\*["']\s*,\s*(?:""" + _MEMBERS + _VALUE_MEMBER + "|(?!" + _VALUE_MEMBER + r"""))(?:\\*["']|`)"""
_PAIR = lazy(PAIR_REST)
# the label as a table row's first cell (`| X-API-Key | value |`): the cell's border, the value in the next cell
TABLE_CELL = _Q + BLANK + r"*+\|" + BLANK + "*+"
_COUNT = lazy(r"\d+$")
_CELL_END = lazy(BLANK + r"*+(?:\||$)")  # a value fills its cell: blanks, then the cell's border or the line's end
_ID = r"""[^\s"'\\;,&<>(){}\[\]|\udc80-\udcff\ufffd][^\s"'\\;,&<>(){}\[\]|]*+"""  # an identifier: up to a quote,
# separator or bracket, never starting with an undecodable byte
# a name of words (a room named after its player: `Lobby Of Bartholomew Quist`): identifiers that blanks on one line
# join, up to a quote, a separator, the line's end, or the next field (a word that is a label: `session=`, `URL:`);
# an apostrophe between letters is part of its word (`O'Brien Lobby`, `Bart's Lobby`), never the quote that ends it
_NAME_WORD = r"""[^\s"'\\;,&<>(){}\[\]|\udc80-\udcff\ufffd](?:[^\s"'\\;,&<>(){}\[\]|]++|(?<=[^\W\d_])'(?=[^\W\d_]))*+"""
_WORDS = _NAME_WORD + r"""(?:[ \t]++(?![^\s"'\\;,&<>(){}\[\]|:=]++[:=])""" + _NAME_WORD + ")*+"
_OPAQUE = r"""[^\s"'`\\,;&|<>]"""  # an opaque credential character
_B64 = r"[a-z0-9_.~+/%=-]"  # folded: token characters, with the URL-encoded and padded forms
_OCTET = r"(?:25[0-5]|2[0-4]\d|[01]?\d?\d)"  # leading zeros too (`203.000.113.045`)
_IPV4 = r"(?<![\d.])" + _OCTET + r"(?:\." + _OCTET + r"){3}(?!\.?\d)"
_IPV6 = r"(?<![0-9a-f:])(?:[0-9a-f]{0,4}:){2,7}(?:" + _IPV4 + "|[0-9a-f]{0,4})(?![0-9a-f:])"  # `::ffff:1.2.3.4` too
IPV4_SHAPE = r"\.\d{1,3}\.\d{1,3}\.\d"
# an address with `::` before a group or at its end (`2001:db8::`), or with four colons between groups; written to
# start with its colon (the group before `::` looked behind for), so that a search jumps from colon to colon at C
# speed instead of trying every position of a block or line
IPV6_SHAPE = r":(?::[0-9a-f]{1,4}(?![0-9a-z])|(?<=[0-9a-f]:):(?![0-9a-z])|[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:)"
URL_IPV6_SHAPE = r"://\["
# any address by its shape: a dotted quad that no digit or dot continues, an IPv6 address that no word character
# or colon touches (after a label's single colon it may start: `ip:2001:db8::1`), a host name's `ip-a-b-c-d`
ANY_IPV4 = r"(?P<secret>" + _IPV4 + ")"
ANY_IPV6 = r"(?:(?<![\w.:])|(?<=[a-z_]:))(?P<secret>(?:[0-9a-f]{0,4}:){2,7}(?:" + _IPV4 + r"|[0-9a-f]{0,4}))(?![\w:])"
DASHED_IPV4 = r"(?<![a-z0-9-])ip-(?P<secret>" + _OCTET + "(?:-" + _OCTET + r"){3})(?![\w-])"


def fixed_label(text: str) -> str:
    """The pattern of a label the SDK writes as fixed text (`Sent user text message:`), for a folded detector: in
    any case, and each space any run of blanks a paste makes of it (no-break spaces, doubled spaces, a byte that is
    no UTF-8), starting a word (`sent`, not `present`). The one definition of how tolerant a fixed label is."""
    return "(?<![a-z])" + (BLANK + "++").join(re.escape(word) for word in text.lower().split(" "))


def word_label(*words: str) -> str:
    """The pattern of a label made of words, for a folded detector, in every form code and pastes give it:
    `end_user_id`, `endUserId`, `end-user-id`, `End User ID`, `enduserid`, each blank any run of blanks a paste
    makes of it (`BLANK`). The one definition of how the words of a field's name may be joined."""
    return ("(?:[-_]|" + BLANK + "++)?").join(re.escape(word) for word in words)


# ICE credentials authenticate a live media path (LOG-FORMATS.md section 7): `a=ice-ufrag:abcd`, `ice-pwd:...`,
# `Set ICE ufrag: abcd pwd: ...`, and `ufrag abcd` inside candidate dumps. Values are ICE characters (RFC 8445).
_ICE_CHARS = "[a-z0-9+/=_-]"
_ICE_VALUE = r"""[\"']?\s*+(?P<secret>""" + _ICE_CHARS + "{4,256})(?!" + _ICE_CHARS + ")"
# The labels: a ufrag under any name that ends in the word (`iceUfrag`, `remoteUfrag`), the `usernameFragment` of
# RTCIceCandidate.toJSON() and RTCIceParameters (`username_fragment` in native stacks), and `pwd` alone or after
# `ice`, `remote` or `local` (`icePwd`, `RemotePwd`, `remote_ice_pwd`): never another word that ends in the letters
# (`OLDPWD`). A label's end (`_LABEL_END`) is a colon or `=`, quoted, escaped or URL-encoded as JSON gives it.
_ICE_PWD = r"pwd(?:(?<![a-z]pwd)|(?<=icepwd)|(?<=remotepwd)|(?<=localpwd))"
_ICE_LABEL = r"(?:ufrag|" + word_label("username", "fragment") + "|" + _ICE_PWD + ")"
# or, with no colon: a blank after `ufrag` (`ufrag abcd` in a candidate), and after `pwd` when a password's length of
# ICE characters follows (RFC 8445: 22 at least; `ufrag abcd pwd <password>`), never a short word (`pwd then`)
_ICE_BLANK = r"""ufrag[\"']?\s|""" + _ICE_PWD + r"[ \t]++(?=" + _ICE_CHARS + "{22})"


# what follows an ICE label in prose or a shell, not a credential: a word that says what the value is (`Set ICE ufrag
# length to 4`, `ufrag mismatch`), or a path of lowercase folders (`pwd: /opt/unity`, a shell's working directory)
_ICE_WORDS = frozenset({"length", "size", "mismatch", "changed", "missing", "format", "value", "from", "must"})
_ICE_PATH = lazy(r"(?:/[a-z][a-z0-9_-]*+)++/?")


def is_ice_value(value: str) -> bool:
    """An ICE ufrag or password, not a word that only sits where one could (`ufrag: none`, a placeholder, a word
    about the value, a path)."""
    return (
        not is_empty_word(value)
        and not is_placeholder(value)
        and value.lower() not in _ICE_WORDS
        and not _ICE_PATH.fullmatch(value)
    )


ICE_DETECTOR = Detector(
    "ice-credential",
    ("ufrag", "pwd", "fragment"),
    lazy("(?:" + _ICE_LABEL + _LABEL_END + "|" + _ICE_BLANK + r")\s*+" + _ICE_VALUE),
    is_ice_value,
    folded=True,
)


# `key` then up to a dozen separators, quotes, escapes or URL-encoded bytes, then 32 hex: a Convai API key; or `key`
# ending the name of a name/value pair (`"name": "CONVAI-API-KEY",` and on the next line `"value": "<32 hex>"`)
# after `key`: a few separators (`key: `, `key%3d`, `key">`), a YAML block scalar's header (`key: |2`, `key: >-`,
# the key on the next line), or the rest of an XML element whose name is the label, then its text or its `value`
# attribute: PlayerPrefs and Android shared_prefs (`name="convai_api_key" type="string">`), a .NET config file
# (`<add key="ConvaiApiKey" value="...">`), a plist's `<key>apiKey</key><string>`. A `value` attribute before the
# name (`<add value="..." key="ConvaiApiKey">`) is read ahead from the value: the pattern then starts with `key`
# or `value`, a cost only on the lines that the `key` gate opens.
_XML_ATTRS = r"""(?:\s+[\w:.-]+\s*=\s*["'][^"'<>]{0,40}["']){0,4}"""
# the rest of the element: its text (a .NET `<setting ...>`'s text is a `<value>` element), or its `value` attribute
_XML_REST = r"""["']""" + _XML_ATTRS + r"""(?:\s*>\s*(?:<value>\s*)?|\s+value\s*=\s*["'])|</key>\s*<string>"""
_YAML_BLOCK = r"[|>](?:[1-9][+-]?|[+-][1-9]?)?"  # a block scalar's indicator: its indent and chomping marks
# a YAML comment after a label (`apiKey: # the key`, `apiKey: |  # the key`), the value on the next line
YAML_COMMENT = r"(?:" + _YAML_BLOCK + r")?[ \t]+#[^\r\n]{0,80}?"
# the end of a label before a block scalar's header or a comment: its closing quote, if any (`"apiKey": # c`, as
# YAML or JSON with comments writes it), a few blanks, the colon
YAML_LABEL_END = _Q + r"[ \t]*:"
_VALUE_FIRST = (
    r"""value\s*=\s*["'](?=[0-9a-f]{32}["']""" + _XML_ATTRS + r"""\s+[\w:.-]+\s*=\s*["'][^"'<>]{0,40}key["'])"""
)
# the 32 hex, read through what a paste puts inside them: markup, foreign characters, and a blank (a space, a tab, a
# no-break space) where a chat or a word processor split the key in two; never a line break
_KEY_RUN = r"(?:[0-9a-f](?:" + INSERTED + r"|[^\S\r\n]){0,4}){31}[0-9a-f]"
_KEY_CUTS = re.compile(r"[^\S\r\n]+")


def is_key_run(value: str) -> bool:
    """The 32 hex of one key: a blank splits them once at most (more cuts make a list of short hex words)."""
    return len(_KEY_CUTS.findall(value)) <= 1


_KEY_HEX = (
    r"(?:key(?:(?:%[0-9a-f]{2}|\W){0,12}|"
    + YAML_LABEL_END
    + r"\s*"
    + _YAML_BLOCK
    + r"\s*|"
    + YAML_LABEL_END
    + r"[ \t]*"
    + YAML_COMMENT
    + r"\s*"
    + _Q
    + "|"
    + _XML_REST
    + "|"
    + PAIR_REST
    + r")|"
    + _VALUE_FIRST
    + r")(?P<secret>"
    + _KEY_RUN
    + r")(?![0-9a-f])"
)


# A Unix home root: `/home`, or a numbered one (`/home2`, `/home01`), as sites that spread homes over disks name them,
# or `/homes` (a Synology or NFS server's)
HOME_ROOT = r"(?:homes|home\d*+)"
# what may stand before it in an absolute path (folded): nothing, one root folder (`/export/home`, `/usr/home`,
# `/var/home`, `/mnt/home`, `/nfs/homes`), an automounted host's (`/net/<host>/home`), or a path whose last folder is
# `.` or `..` (`/root/../home`, `/./home`); doubled slashes too (`//home//`). A folder named Home deeper in a path
# (`/home/jo/Game/Assets/Home/`) or in a relative one (`Assets/../Home`) holds no home.
_HOME_LEAD = lazy(r"""(?:^|[^\w.-])/*(?:/[a-z]++|/net/+[^/\\\s"'<>|]++/*|(?:/[^/\\\s"'<>|]++)*?/\.\.?)?$""")


def _at_home_root(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The user name after a home root, when the path leads to it from its own start (`_HOME_LEAD`, looked for in a
    bounded stretch before it: a match starts at the root's literal, at C speed)."""
    start = match.start()
    if _HOME_LEAD.search(match.string, max(0, start - 256), start):
        yield match.span("secret")


# one word of a user name in a path: an apostrophe inside it is part of it (`O'Brien`), a quote after it is not
_NAME = r"""[^\\/\s:*?"'<>|;,]++(?:'[^\\/\s:*?"'<>|;,]++)*+"""


# --- multi-value spans ----------------------------------------------------------------------------------------

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


# An e-mail's `@` in any of its written forms, and the markup a terminal or Unity may put on either side of it
AT_SIGN = "(?:" + MARKUP + "){0,2}" + r"(?:@|%40|\\u0040|＠)" + "(?:" + MARKUP + "){0,2}"
# An e-mail's domain: its labels, the longest run of them that ends in a top-level domain's letters, and it ends
# where those letters end: a `-2`, `_x` or digit right after them (`jo@example.com-2`, a file or room name built
# from the address) is not part of the address and does not undo it
DOMAIN = r"[\w-]++(?:\.[\w-]++)*\.[^\W\d_]{2,}+"
MAIL_AT = lazy(AT_SIGN + DOMAIN)
MAIL_DOMAIN = lazy(AT_SIGN + DOMAIN + "$")  # text that ends in an e-mail's domain


# Where only a name can hold a secret (a file name, a room's name): a bare Convai API key (32 hex digits, no label in
# a name, but nothing else in one is that shape), and a home folder wherever it sits in a path
# (`/Volumes/Data/Users/<name>`, `\\srv\share\Users\x`, `Assets/Users/x` in a room's name)
BARE_KEY = lazy(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f])")
HOME_SEGMENT = lazy(r"(?i)[\\/]++(?=(?:users|" + HOME_ROOT + r"|documents and settings)[\\/])")


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


def _routable(value: str) -> bool:
    return is_ip_address(value) and not is_local_address(value)


def _not_empty(value: str) -> bool:
    return not is_empty_word(value) and not is_placeholder(value)


def _folded(pattern: str) -> LazyRegex:
    return lazy(pattern)
