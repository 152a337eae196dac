"""Shapes several detectors share (labels, separators, identifier values, addresses, e-mails) and the ICE
detector; the `spans` functions that pick several values out of one match are in `spans`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from loglens.detectors.base import Detector
from loglens.detectors.predicates import (
    is_empty_word,
    is_ip_address,
    is_local_address,
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
# an IPv4 address with what a paste, a terminal or Unity put inside it: markup (`198.51.<b>100.4`, `[b]`), an ANSI
# code (`198.51.\x1b[1m100.4`), foreign characters, or one blank (a space, a tab, a no-break space): read through as
# a key's run is (`INSERTED`), between its digits and beside its dots. A plain address is `ANY_IPV4`'s.
_MARKS = "(?:" + INSERTED + "){0,3}"
_IP_GAP = _MARKS + r"(?:[^\S\r\n]" + _MARKS + ")?"
_IP_DIGITS = r"\d(?:" + _MARKS + r"\d){0,2}"
# (no digit or dot before the first digit: looked behind from it, so that a search skips to each digit at C speed)
MARKED_IPV4 = (
    r"(?P<secret>\d(?<![\d.]\d)(?:"
    + _MARKS
    + r"\d){0,2}(?:"
    + _IP_GAP
    + r"\."
    + _IP_GAP
    + _IP_DIGITS
    + r"){3})(?!\.?\d)"
)
# where a mark may start (an escape, a tag, a bracket tag, Markdown, a NUL, a character past ASCII: `INSERTED`), and
# what may follow a dot of a marked address: each shape below looks ahead for one of them first, so that most dots
# (`UnityEngine.Debug`) cost one test of the character after them
_MARK = r"(?:\x1b|<|\[|\*\*|``|\x00|[^\x00-\x7f])"
# (written as the ASCII characters that start none of them, so that it reads a line and a block's bytes alike)
_AFTER_DOT = r"(?![\x01-\x08\x0a-\x1a\x1c-\x1f\x21-\x29\x2b-\x2f\x3a\x3b\x3d-\x5a\x5c-\x5f\x61-\x7f])"
# what every such address holds, in a line, written to start with a dot (a search skips to each dot at C speed): a
# dot, a few digits and a mark, a blank and a digit or a mark after a dot, a blank after the digits after a dot and
# then a dot or a mark; a mark in the first number or before the first dot leaves the rest a dotted quad's tail
# (`IPV4_SHAPE`)
_BLANK_AFTER_DIGITS = r"\d{1,3}[ \t](?:\.|" + _MARK + ")"
_MARKED_NEEDS = lazy(
    r"\."
    + _AFTER_DOT
    + r"(?:\d{1,3}\.\d{1,3}\.\d|\d{0,3}"
    + _MARK
    + r"|[ \t](?:\d|"
    + _MARK
    + ")|"
    + _BLANK_AFTER_DIGITS
    + ")"
)
# the same for a block's lowercase bytes: a dot, a few digits and a mark, a blank and a digit or mark after a dot, or
# a blank after the digits and then a dot or a mark; the dotted quad's tail is `IPV4_SHAPE`, which a block is
# searched for too
MARKED_IPV4_SHAPE = (
    r"\." + _AFTER_DOT + r"(?:\d{0,3}" + _MARK + r"|[ \t](?:[\d*`]|" + _MARK + ")|" + _BLANK_AFTER_DIGITS + ")"
)
_MARK_OR_BLANK = lazy(INSERTED + r"|[^\S\r\n]")
_ONE_BLANK = lazy(r"[^\S\r\n]")


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


# `key` then up to a dozen separators, quotes, escapes or URL-encoded bytes (or a sentence's `is`, `was`: `my API key
# is <32 hex>`), then 32 hex: a Convai API key; or `key`
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
# the 32 hex, read through what a paste puts inside them: markup (a forum's or a console's bracket tag among it),
# foreign characters, and a blank (a space, a tab, a no-break space) where a chat or a word processor split the key
# in two; never a line break
_KEY_RUN = r"(?:[0-9a-f](?:" + INSERTED + r"|[^\S\r\n]){0,4}){31}[0-9a-f]"
_KEY_CUTS = lazy(r"[^\S\r\n]+")
# an end user's id (folded): a device's 32 hex read through what a paste puts inside them, as a key's are, or cut in
# two by one blank (a space, a no-break space), else an identifier; markup before it too (`\x1b[31m`, `<b>`)
_ID_HEX = r"(?:[0-9a-f](?:" + INSERTED + "){0,4})"
_SPLIT_HEX = "|".join(f"[0-9a-f]{{{k}}}[^\\S\\r\\n]{{1,3}}[0-9a-f]{{{32 - k}}}" for k in range(1, 32))
USER_ID = "(?:" + INSERTED + "){0,4}(?:(?:" + _ID_HEX + "{31}[0-9a-f]|" + _SPLIT_HEX + r")(?![0-9a-f])|" + _ID + ")"


def is_key_run(value: str) -> bool:
    """The 32 hex of one key: a blank splits them once at most (more cuts make a list of short hex words)."""
    return len(_KEY_CUTS.findall(value)) <= 1


_KEY_HEX = (
    r"(?:key(?:(?:%[0-9a-f]{2}|\W){0,12}|[^\S\r\n]++(?:is|was)\W{0,12}|"
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


# one word of a user name in a path: an apostrophe inside it is part of it (`O'Brien`), a quote after it is not;
# markup inside it too (`Vexm<span>or`, `Ana**bel**`, `<color=red>`), which no folder name holds
_NAME_CHARS = r"""[^\\/\s:*?"'<>|;,]++"""
_NAME = _NAME_CHARS + "(?:(?:'|" + MARKUP + ")" + _NAME_CHARS + ")*+"


# An e-mail's `@` in any of its written forms, and the markup a terminal or Unity may put on either side of it
# `AT_ON` is the same from the `@` on: where `AT_SIGN` and what follows it match, it matches from the `@` itself, and
# a search for it starts at C speed at one of four first characters (markup first is tried at every position)
AT_ON = r"(?:@|%40|\\u0040|＠)" + "(?:" + MARKUP + "){0,2}"
AT_SIGN = "(?:" + MARKUP + "){0,2}" + AT_ON
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


def _routable(value: str) -> bool:
    return is_ip_address(value) and not is_local_address(value)


def _marked_address(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """A dotted quad with something inside it (`MARKED_IPV4`): an address once that is out, as `ANY_IPV4` reads one
    (routable, no version label before it); one blank at most, since more make a list of numbers."""
    value = match.group("secret")
    plain = _MARK_OR_BLANK.sub("", value)
    start, end = match.span("secret")
    one_blank = len(_ONE_BLANK.findall(value)) <= 1
    if plain != value and one_blank and _routable(plain) and not is_version_number(match.string, start):
        yield start, end


MARKED_IP = Detector(
    "ip-address",
    (".",),
    lazy(MARKED_IPV4),
    spans=_marked_address,
    shapes=(MARKED_IPV4_SHAPE, IPV4_SHAPE),
    needs=_MARKED_NEEDS,
)


def _not_empty(value: str) -> bool:
    return not is_empty_word(value) and not is_placeholder(value)


def _folded(pattern: str) -> LazyRegex:
    return lazy(pattern)


# every match of the API-key patterns holds `key` followed by no letter past `f` (a separator, a quote, the end, the
# key's first hex digit), in the lowercase text they run over: `keywords` in each shader compile line opens their
# gate and holds none
_KEY_END = "(?![g-zG-Z])"  # no ASCII letter past `f` after `key`
_KEY_ENDS = lazy("key" + _KEY_END)
# the same for a block's screen, in the row as read (`Detector.leads`): `key` in any case (a Kelvin sign too), so a
# shader line's `keywords` is not picked while `X-API-KEY:` at a row's end is
_KEY_LEADS = (("key", lazy("(?i:key)" + _KEY_END)),)
# 32 hex a few symbols after any `key` label (a default detector, and one the re-scan trusts without more checks)
HEX_KEY = Detector("api-key", ("key",), _folded(_KEY_HEX), is_key_run, folded=True, needs=_KEY_ENDS, leads=_KEY_LEADS)
