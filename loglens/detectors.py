"""Secret detectors: one small detector per kind of secret, shared by masking, redaction and `check`.

A detector is a kind name, literal gates (its pattern runs only when one of them occurs in the text, so the
common line without secrets costs one combined gate search), a pattern whose `secret` group is the value (or a
`spans` function that picks several values out of one match), and an optional validity check. False positives
are ruled out by the named `is_*` predicates below, each with rows in the detector tables of the tests.
`mask` hides every value behind `<kind>`; `loglens.redaction` numbers the same spans as placeholders.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from loglens.shadows import BASE64_SHAPE, MIN_RUN, base64_runs, percent_shadow
from loglens.tokens import b64url_json, signature_length


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str

    def value(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Detector:
    """One kind of secret: a kind name, gates, a pattern whose `secret` group is the value (or a `spans` function
    that picks several values out of one match) and an optional validity check.

    `gates` are lowercase literals: the pattern runs only on text whose lowercase form holds one. When whole blocks
    of lines are screened at once, `screen` (coarser literals) or `shapes` (regexes over lowercase text) stand in
    for the gates when given. A `folded` pattern is written in lowercase and runs over the lowercased text (same
    offsets; the value is read from the original), which keeps a literal at its start: CPython's regex engine finds
    a leading literal at C speed, where `(?i)` or a leading alternation makes it try every position. An
    `exclusive` detector's spans
    hold nothing else (a JWT), so the other detectors skip them. `needs` is a cheap regex that every match of the
    pattern implies (searched in the text the pattern runs over, lowercased for a folded detector): a gate that
    opens on a common word (`ip` in `Scripts`, `@` in `com.unity.x@1.2.3`) then costs one fast search, not a
    pattern tried at every position of the line.
    """

    kind: str
    gates: tuple[str, ...]
    pattern: re.Pattern[str]
    valid: Callable[[str], bool] | None = None
    spans: Callable[[re.Match[str]], Iterable[tuple[int, int]]] | None = None
    shapes: tuple[str, ...] = ()
    exclusive: bool = False
    folded: bool = False
    screen: tuple[str, ...] = ()  # coarser literals for whole-block screening, when the gates are very specific
    needs: re.Pattern[str] | None = None  # a shape every match holds, searched before the slower pattern runs
    _anycase: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.folded:
            object.__setattr__(self, "_anycase", re.compile(self.pattern.pattern, self.pattern.flags | re.IGNORECASE))

    def lacks_shape(self, text: str, lowered: str) -> bool:
        """Whether the `needs` shape is missing, so no match can exist (False when the detector has none)."""
        return self.needs is not None and self.needs.search(lowered if self.folded else text) is None

    def scan(self, text: str, pos: int = 0, endpos: int | None = None, lowered: str | None = None) -> Iterator[Span]:
        """Spans of this kind within `text[pos:endpos]`, gates not consulted. `lowered` is `text.lower()`."""
        end = len(text) if endpos is None else endpos
        if not self.folded:
            matches = self.pattern.finditer(text, pos, end)
        elif lowered is not None and len(lowered) == len(text):
            matches = self.pattern.finditer(lowered, pos, end)
        else:  # lowercasing moved offsets (a few non-ASCII letters grow): match case-insensitively instead
            assert self._anycase is not None
            matches = self._anycase.finditer(text, pos, end)
        for match in matches:
            pieces = self.spans(match) if self.spans is not None else (match.span("secret"),)
            for start, stop in pieces:
                if start < stop and (self.valid is None or self.valid(text[start:stop])):
                    yield Span(start, stop, self.kind)


# --- false-positive predicates -------------------------------------------------------------------------------

EMPTY_WORDS = frozenset({"null", "none", "(none)", "nil", "n/a", "unknown", "undefined", "empty", "(empty)", "-"})
ASSET_SUFFIXES = frozenset(
    {"png", "jpg", "jpeg", "tga", "psd", "exr", "gif", "cs", "dll", "so", "asset", "prefab", "unity", "mat",
     "meta", "json", "txt", "log", "wav", "mp3", "ogg", "fbx", "obj", "anim", "controller", "shader", "asmdef"}
)  # fmt: skip
SHARED_PROFILES = frozenset({"shared", "public", "default", "default user", "all users", "defaultapppool"})
BUILD_MACHINE_ACCOUNTS = frozenset({"bokken", "builduser"})
VERSION_WORDS = ("version", "upgrad", "updat", "migrat", "downgrad", "release")
KINDS = (
    "livekit-token", "api-key", "auth-token", "secret", "end-user-id", "end-user-metadata", "player-text",
    "transcript", "email", "user-name", "ip-address", "session-id", "character-session-id", "request-trace-id",
    "speaker-id", "room-name", "character-id", "livekit-host", "custom", "ice-credential",
)  # fmt: skip
# `<kind>` (what `mask` writes) or `<kind-N>` / `<kind-N facts>` (what redaction writes)
PLACEHOLDER = re.compile(r"<(?:" + "|".join(KINDS) + r")(?:-[0-9]+(?: [^<>\r\n]*)?)?>")


def is_empty_word(value: str) -> bool:
    """`null`, `none`, `unknown`...: a field that holds no value at all."""
    return value.strip("\"'").lower() in EMPTY_WORDS


def is_asset_file(value: str) -> bool:
    """`Button@2x.png`: an asset name that only looks like an e-mail address."""
    return value.rsplit(".", 1)[-1].lower() in ASSET_SUFFIXES


def is_shared_profile(name: str) -> bool:
    """`C:/Users/Public`, `/Users/Shared`: profile folders that belong to nobody."""
    return name.lower() in SHARED_PROFILES or name[:1] in "%$<{~" or is_build_machine_account(name)


def is_build_machine_account(name: str) -> bool:
    """`/Users/bokken/buildslave/`, `/home/builduser/buildslave/`: Unity's own build machines, named in the engine
    frames of every install. They name no user of loglens (`C:\\buildslave\\` has no user folder at all)."""
    return name.lower() in BUILD_MACHINE_ACCOUNTS


def is_local_address(value: str) -> bool:
    """Loopback and unspecified addresses (`127.0.0.1`, `::1`, `0.0.0.0`) say nothing about anybody."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_placeholder(value: str) -> bool:
    """A placeholder loglens wrote (`<livekit-token-1>`, `<email>`): already redacted."""
    return PLACEHOLDER.fullmatch(value) is not None


def follows_version_word(text: str, start: int) -> bool:
    """`upgraded from 1.2.0.4`: a version number in an address's clothes."""
    before = text[max(0, start - 48) : start].lower()
    return any(word in before for word in VERSION_WORDS)


# --- shapes shared by several detectors -----------------------------------------------------------------------

_Q = r"""(?:\\*["']|%22)?"""  # an optional quote: plain, escaped (JSON inside JSON) or URL-encoded
_SEP = r"""\s*+(?:[:=]|%3[ad])\s*+"""  # `:` or `=`, plain or URL-encoded (lowercase hex); blanks read once
_LABEL_END = _Q + _SEP + _Q
_ID = r"""[^\s"'\\;,&<>(){}\[\]|]+"""  # an identifier value: up to a quote, separator or bracket
_OPAQUE = r"""[^\s"'\\,;&|<>]"""  # an opaque credential character
_B64 = r"[a-z0-9_.~+/%=-]"  # folded: token characters, with the URL-encoded and padded forms
_IPV4 = r"(?<![\d.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?!\.?\d)"
_IPV6 = r"(?<![0-9a-f:])(?:[0-9a-f]{0,4}:){2,7}(?:" + _IPV4 + "|[0-9a-f]{0,4})(?![0-9a-f:])"  # `::ffff:1.2.3.4` too
IPV4_SHAPE = r"\.\d{1,3}\.\d{1,3}\.\d"
IPV6_SHAPE = r"::[0-9a-f]{1,4}(?![0-9a-z])|:[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:"
URL_IPV6_SHAPE = r"://\["
# what any IPv4 (three dots between digits) or IPv6 address (two colons at most four hex digits apart) holds
ADDRESS_SHAPE = r"\.\d{1,3}\.\d{1,3}\.\d|:[0-9a-f]{0,4}:"


# ICE credentials authenticate a live media path (LOG-FORMATS.md section 7): `a=ice-ufrag:abcd`, `ice-pwd:...`,
# `Set ICE ufrag: abcd pwd: ...`, and `ufrag abcd` inside candidate dumps. Values are ICE characters (RFC 8445).
_ICE_VALUE = r"""[\"']?\s*+(?P<secret>[a-z0-9+/=_-]{4,256})(?![a-z0-9+/=_-])"""


def is_ice_value(value: str) -> bool:
    """An ICE ufrag or password, not a word that only sits where one could (`ufrag: none`, a placeholder)."""
    return not is_empty_word(value) and not is_placeholder(value)


ICE_DETECTOR = Detector(
    "ice-credential",
    ("ufrag", "pwd"),
    re.compile(r"(?:ufrag[\"']?(?:\s*+[:=]|\s)|pwd(?<![a-z]pwd)[\"']?\s*+[:=])\s*+" + _ICE_VALUE),
    is_ice_value,
    folded=True,
)


# `key` then up to a dozen separators, quotes, escapes or URL-encoded bytes, then 32 hex: a Convai API key
_KEY_HEX = r"key(?:%[0-9a-f]{2}|\W){0,12}(?P<secret>[0-9a-f]{32})(?![0-9a-f])"


_NAME = r"""[^\\/\s:*?"'<>|;,]++"""  # one word of a user name in a path


# --- multi-value spans ----------------------------------------------------------------------------------------

_STRUCTURAL = re.compile(r'["{}\[\]]')


def _backslashes_before(text: str, index: int, floor: int = 0) -> int:
    count = 0
    while index - count - 1 >= floor and text[index - count - 1] == "\\":
        count += 1
    return count


def json_string_values(text: str, start: int, depth: int = 0) -> Iterator[tuple[int, int]]:
    """Spans of the string values (never the keys) of the JSON value that begins at `start`.

    `depth` is how many times the JSON was itself escaped into a string: 0 for `{"name":"x"}`, 1 for
    `{\\"name\\":\\"x\\"}`. At depth d a structural quote is preceded by 2**d - 1 backslashes (modulo 2**(d+1)),
    which tells a string's closing quote from an escaped quote inside it. Numbers, booleans, null and the layout
    are not touched, so the JSON keeps its structure and types.
    """
    run, modulo = (1 << depth) - 1, 1 << (depth + 1)
    limit = len(text)
    nest = 0
    i = start
    while i < limit:
        if nest:  # inside the value only quotes and brackets matter: jump to the next one
            found = _STRUCTURAL.search(text, i)
            if found is None:
                return
            i = found.start()
        char = text[i]
        if char == '"' and _backslashes_before(text, i, start) % modulo == run:
            j = i + 1
            while True:
                j = text.find('"', j, limit)
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
    depth = _DEPTHS.get(len(match.group("escape")))
    if depth is not None:
        yield from json_string_values(match.string, match.end(), depth)


def _candidate_addresses(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The addresses in an ICE candidate (`... udp 1694498815 198.51.100.10 50522 typ srflx raddr ...`)."""
    for word in re.finditer(r"[^\s]+", match.group()):
        value = word.group().strip("[]")
        if is_ip_address(value) and not is_local_address(value):
            start = match.start() + word.start() + word.group().find(value)
            yield start, start + len(value)


def _address_not_version(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """`upgraded from 1.2.0.4` is a version; a labelled address (`update server ip: ...`) is an address."""
    unlabelled = match.group().startswith("from")
    if not (unlabelled and follows_version_word(match.string, match.start())):
        yield match.span("secret")


def _either(match: re.Match[str]) -> tuple[tuple[int, int]]:
    """The span of whichever alternative matched: `secret` or `v`."""
    return (match.span("secret") if match.group("secret") is not None else match.span("v"),)


def _said(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """What was said, without the blanks and the closing color tag after it (trimmed here, not by the pattern:
    a lazy group, then optional blanks, a tag and blanks again backtracks cubically over a run of spaces)."""
    start = match.start("secret")
    value = match.group("secret").rstrip()
    if value.endswith("</color>"):
        value = value[:-8].rstrip()
    if value:
        yield start, start + len(value)


_MAIL_DOMAIN = re.compile(r"(?:@|%40|\\u0040|＠)[\w-]++(?:\.[\w-]++)*\.[^\W\d_]{2,}$")


def _address_not_asset(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """`Button@2x.png` is an asset; `Editor-jordan@example.com.log` is an address in a file name: the address
    without the file's extension, when what is left still ends in a domain."""
    start, end = match.span("secret")
    value = match.group("secret")
    if is_asset_file(value):
        end -= len(value.rsplit(".", 1)[1]) + 1
        if not _MAIL_DOMAIN.search(value[: end - start]):
            return
    yield start, end


def _routable(value: str) -> bool:
    return is_ip_address(value) and not is_local_address(value)


def _not_empty(value: str) -> bool:
    return not is_empty_word(value) and not is_placeholder(value)


def _folded(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# --- the detectors --------------------------------------------------------------------------------------------

# Characters a paste or a ticket system puts inside a token without ending it: a soft hyphen, zero-width and other
# format characters, NUL, Cyrillic lookalikes, fullwidth forms (a fullwidth dot among them), undecodable bytes
# (surrogate escapes, or U+FFFD once shown). Inside a run they are part of it, a few in a row too.
FOREIGN = (
    "[\0\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff"  # invisible and format
    "\u0400-\u04ff\uff01-\uff5e\ufffd\ud800-\udfff]"  # lookalikes, fullwidth forms, undecodable bytes
)
# Blanks that may sit inside a pasted token (a no-break space, a line separator) but may just as well end it: a run
# goes on across one only when what it joins decodes as the token's parts (`_jwt_spans`).
BLANKS = "[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_LOOKALIKES = str.maketrans("аеорсухАВЕКМНОРСТХ", "aeopcyxABEKMHOPCTX")
_TOKEN_CHAR = r"(?:[A-Za-z0-9_-]|(?:" + FOREIGN + "|" + BLANKS + "){1,4}" + r"(?=[A-Za-z0-9_-]))"  # only inside a run
_STRICT_CHAR = r"(?:[A-Za-z0-9_-]|" + FOREIGN + r"{1,4}(?=[A-Za-z0-9_-]))"  # no blanks: nothing to decode there
_TOKEN_DOT = r"(?:\.|%2[Ee]|\uff0e)"  # a dot, URL-encoded or fullwidth
_FOREIGN = re.compile(FOREIGN)
_BLANK = re.compile(BLANKS)


def clean_token(value: str) -> str:
    """A token as it was before a paste touched it: lookalikes and fullwidth forms back to ASCII, other foreign
    characters and blanks dropped."""
    if value.isascii() and "\0" not in value:
        return value
    folded = unicodedata.normalize("NFKC", _BLANK.sub("", value).translate(_LOOKALIKES))
    return _FOREIGN.sub("", folded)


def _jwt_spans(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The token, across a blank inside it only when the cleaned token's part that holds the blank decodes (a
    header naming an algorithm, a JSON payload, a signature as long as its algorithm says): otherwise the token
    ends before the blank, and what follows it is left as text."""
    start, end = match.span("secret")
    value = match.group("secret")
    blank = _BLANK.search(value)
    if blank is not None and not _blank_inside(value, blank.start()):
        end = start + blank.start()
    yield start, end


def _blank_inside(value: str, at: int) -> bool:
    parts = clean_token(value).split(".")
    index = min(clean_token(value[:at]).count("."), len(parts) - 1)
    if index == 2:
        expected = signature_length(clean_token(value))
        return expected is not None and len(parts[2]) == expected
    try:
        decoded = b64url_json(parts[index])
    except ValueError:
        return False
    return isinstance(decoded, dict) and (index == 1 or "alg" in decoded)


JWT = Detector(
    "livekit-token",
    ("eyj",),
    # a whole JWT, or what is left of one that was cut short; dots may arrive URL-encoded
    re.compile(r"(?P<secret>eyJ" + _TOKEN_CHAR + "{8,}(?:" + _TOKEN_DOT + _TOKEN_CHAR + "*){0,2})"),
    spans=_jwt_spans,
    exclusive=True,
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
    kind: str, gates: tuple[str, ...], label: str, value: str, lookbehind: str = "", screen: tuple[str, ...] = ()
) -> Detector:
    """`label: value`, `label=value`, `"label":"value"`, `\\"label\\":\\"value\\"`, `label%3Dvalue` (folded)."""
    pattern = _folded(label + lookbehind + _LABEL_END + rf"(?P<secret>{value})")
    return Detector(kind, gates, pattern, _not_empty, folded=True, screen=screen)


DETECTORS: tuple[Detector, ...] = (
    JWT,
    # Convai API keys, auth tokens, other credentials behind their labels
    _labelled(
        "api-key",
        ("key",),
        r"api[-_]?key",
        r"[a-z0-9_-]{8,}(?![a-z0-9_-])",
        # not a longer word ending in api_key, but `%3fapi_key` (a URL-encoded `?` before it) is the label
        r"(?<!(?<!%[0-9a-f])[a-z]api[-_]key)(?<!(?<!%[0-9a-f])[a-z]apikey)",
    ),
    Detector("api-key", ("key",), _folded(_KEY_HEX), folded=True),
    _labelled(
        "auth-token", ("auth_token", "auth-token", "authtoken"), r"auth[-_]?token", _OPAQUE + "{8,}", "", ("token",)
    ),
    _labelled("auth-token", ("refresh_token", "refresh-token"), r"refresh[-_]?token", _OPAQUE + "{8,}", "", ("token",)),
    # LiveKit tokens behind the labels that carry them (cut-short or opaque values that are not whole JWTs)
    _token_label("access_token", r"access_token(?:=|%3d)"),
    _token_label("invalid token: ", r"invalid token: "),
    _token_label("token: ", r"token: (?<![a-z]token: )"),
    _token_label('"token', r"token(?<=\"token)(\\*)\"\s*:\s*\1\""),
    # opaque values behind the same labels (after the token labels: a value both can take is a token)
    _labelled(
        "auth-token",
        ("access_token", "accesstoken", "access-token", "session_token", "sessiontoken", "session-token"),
        r"(?:access|session)[-_]?token",
        _OPAQUE + "{8,}",
        "",
        ("token",),
    ),
    Detector(
        "auth-token",
        ("authorization",),
        _folded(r"authorization" + _LABEL_END + r"\s*+(?:(?:bearer|basic|token)\s+)?(?P<secret>[a-z0-9._~+/=-]{8,})"),
        _not_empty,
        folded=True,
    ),
    Detector("auth-token", ("bearer",), _folded(r"bearer\s+(?P<secret>[a-z0-9._~+/=-]{8,})"), _not_empty, folded=True),
    _labelled("secret", ("secret",), r"secret(?:[-_]?key)?", _OPAQUE + "{4,}"),
    _labelled("secret", ("passw",), r"passw(?:or)?d", _OPAQUE + "{4,}"),
    # user and password inside a URL (`wss://user:pass@host`): both go, and the host is not taken for an e-mail
    Detector("secret", ("@",), re.compile(r"://(?P<secret>[^/\s:@\"'<>]+:[^@/\s\"'<>]+)@"), needs=re.compile("://")),
    # the end user: id and metadata (string values only, the JSON keeps its shape and types)
    _labelled("end-user-id", ("user",), r"end[-_ ]?user[-_ ]?id", _ID),
    Detector(
        "end-user-metadata",
        ("user",),
        _folded(r"end_?user_?metadata(?P<escape>\\*)\"\s*:\s*"),
        _not_empty,
        _metadata_values,
        folded=True,
    ),
    # what people said
    Detector(
        "player-text",
        ("sent user text message",),
        re.compile(r"Sent user text message: ?(?P<secret>.*)"),
        spans=_said,
    ),
    Detector(
        "transcript",
        ("[transcript]",),
        # keep the speaker's label (`Librarian Ava: `), hide what was said
        re.compile(
            r"\[Transcript\](?:\[[0-9A-Za-z]+\])?: ?(?:\[[A-Za-z]+\] )?(?:[^:\[\]<>]{1,40}: )?"
            r"(?P<secret>.*)"
        ),
        spans=_said,
    ),
    # personal data anywhere
    Detector(
        "email",
        ("@", "%40", "\\u0040", "＠"),
        re.compile(
            # a local part (any script, or quoted), an `@` in any of its written forms, a domain in any script
            r"(?<![\w.%+-])(?P<secret>(?:\"[^\"\r\n\\]{1,64}\"|[\w.%+-]{1,64})(?:@|%40|\\u0040|＠)"
            r"[\w-]++(?:\.[\w-]++)*\.[^\W\d_]{2,}+)(?![\w-])"
        ),
        spans=_address_not_asset,
        screen=("@", "%", "\\u0040", "＠"),  # one byte is the fastest thing to look for in a whole block
        # an `@` followed by a domain's run with a dot and two letters (not `com.unity.ugui@1.0.0/`)
        needs=re.compile(r"(?:@|%40|\\u0040|＠)[\w.-]*\.[^\W\d_]{2}"),
    ),
    Detector(
        "user-name",
        ("users",),
        _folded(
            r"users(?:(?<=[a-z]:\\users)|(?<=[a-z]:/users)|(?<=:\\\\users))(?:\\+|/)"
            r"(?P<secret>[^\\/\s:*?\"'<>|;,]++(?: [^\\/\s:*?\"'<>|;,]++)*+(?=[\\/])|[^\\/\s:*?\"'<>|;,]++)"
        ),
        lambda name: not is_shared_profile(name),
        folded=True,
    ),
    Detector(
        "user-name",
        ("users", "home/"),
        _folded(r"/(?:users|home)/(?<![\w.-]/users/)(?<![\w.-]/home/)(?P<secret>[^\\/\s:*?\"'<>|;,]+)"),
        lambda name: not is_shared_profile(name),
        folded=True,
    ),
    Detector(
        "user-name",
        ("users", "home/", "documents and settings"),
        re.compile(
            r"(?i:(?:(?:[a-z]:|\\{2,}[^\\/\s\"'<>|]+|/mnt/[a-z]|/cygdrive/[a-z]|/volumes/[^/\s\"'<>|]+"
            r"|(?<![\w.:/\\-])/[a-z]|(?<![\w.:\\-]))(?:\\+|/)(?:users|documents and settings)|/var/home)(?:\\+|/))"
            r"(?P<secret>"
            + _NAME
            + r"(?: "
            + _NAME
            + r"){0,3}(?=[\\/])|"
            + _NAME
            + r"(?: [A-Z](?:"
            + _NAME
            + ")?){0,2})"
        ),
        lambda name: not is_shared_profile(name),
    ),
    Detector(
        "user-name",
        ("licenseclient-",),
        _folded(r"licenseclient-(?P<secret>[^\\/\s:*?\"'<>|;,]+)"),
        lambda name: not is_shared_profile(name),
        folded=True,
    ),
    # IP addresses where they are network addresses: ICE candidates, URLs, `from <ip>`, address labels
    # the related address of a candidate, also on a line a wrap cut from its `candidate:` head
    Detector(
        "ip-address",
        ("raddr",),
        _folded(r"raddr\s+(?P<secret>" + _IPV4 + "|" + _IPV6 + ")"),
        _routable,
        shapes=(IPV4_SHAPE, IPV6_SHAPE),
        folded=True,
    ),
    Detector("ip-address", ("candidate",), _folded(r"candidate:[^\"\r\n\\]*"), spans=_candidate_addresses, folded=True),
    Detector(
        "ip-address",
        ("://",),
        _folded(r"://(?:[^/@\s\"'<>]*@)?(?:\[(?P<v>[0-9a-f:.]+)\]|(?P<secret>" + _IPV4 + "))"),
        _routable,
        _either,
        shapes=(IPV4_SHAPE, URL_IPV6_SHAPE),
        folded=True,
    ),
    Detector(
        "ip-address",
        ("turn:", "stun:", "turns:", "stuns:"),
        _folded(r"(?:turn|stun)s?:(?P<secret>" + _IPV4 + ")"),
        _routable,
        shapes=(IPV4_SHAPE,),
        folded=True,
    ),
    Detector(
        "ip-address",
        ("from", "ip", "addr", "host", "peer", "connect", "forwarded", "local ", "remote "),
        _folded(
            r"(?:\bfrom\s+|\bconnect(?:ing|ed)?\s+to\s+|\b(?:local|remote)\s+(?:candidate\s+)?"
            r"|\bx-forwarded-for"
            + _LABEL_END
            + r"|\b(?:(?:client|remote|local|peer|public)?[_ -]?ip(?:[_ -]?addr(?:ess)?)?|(?:remote|local|peer)?"
            r"[_ -]?addr(?:ess)?|host|peer)" + _LABEL_END + r")(?P<secret>" + _IPV4 + "|" + _IPV6 + ")"
        ),
        _routable,
        _address_not_version,
        shapes=(IPV4_SHAPE, IPV6_SHAPE),
        folded=True,
        needs=re.compile(ADDRESS_SHAPE),  # its gates are common words (`ip` in `Scripts`, `connect`, `from`)
    ),
    ICE_DETECTOR,
)

# Identifiers that are kept by default (support needs them) and pseudonymised by the `public` profile.
PUBLIC_DETECTORS: tuple[Detector, ...] = (
    Detector(
        "session-id",
        ("session",),
        re.compile(
            r"(?:(?<![A-Za-z_])(?:room_)?(?:session_id|sessionId)"
            + _LABEL_END.replace("%3[ad]", "%3[AaDd]")
            + r"(?P<secret>"
            + _ID
            + r")|(?<!Character )(?<![A-Za-z])Session ID: (?P<v>"
            + _ID
            + "))"
        ),
        _not_empty,
        _either,
    ),
    Detector(
        "character-session-id",
        ("session",),
        re.compile(
            r"(?:(?:character_session_id|characterSessionId)"
            + _LABEL_END.replace("%3[ad]", "%3[AaDd]")
            + r"(?P<secret>"
            + _ID
            + r")|Character Session ID: (?P<v>"
            + _ID
            + "))"
        ),
        _not_empty,
        _either,
    ),
    Detector(
        "request-trace-id",
        ("trace",),
        re.compile(
            r"(?:(?:request_trace_id|requestTraceId)"
            + _LABEL_END.replace("%3[ad]", "%3[AaDd]")
            + r"(?P<secret>"
            + _ID
            + r")|Request Trace ID: (?P<v>"
            + _ID
            + "))"
        ),
        _not_empty,
        _either,
    ),
    Detector(
        "speaker-id",
        ("speaker",),
        re.compile(
            r"(?:(?:speaker_id|speakerId)"
            + _LABEL_END.replace("%3[ad]", "%3[AaDd]")
            + r"(?P<secret>"
            + _ID
            + r")|Speaker ID(?: \(diagnostics\))?: (?P<v>"
            + _ID
            + "))"
        ),
        _not_empty,
        _either,
    ),
    Detector(
        "room-name",
        ("room",),
        re.compile(
            r"(?:(?:room_name|roomName)"
            + _LABEL_END.replace("%3[ad]", "%3[AaDd]")
            + r"(?P<secret>"
            + _ID
            + r")|Room Name: (?P<v>"
            + _ID
            + "))"
        ),
        _not_empty,
        _either,
    ),
    Detector(
        "character-id",
        ("character",),
        re.compile(
            r"(?:(?:character_id|characterId)"
            + _LABEL_END.replace("%3[ad]", "%3[AaDd]")
            + r"(?P<secret>"
            + _ID
            + r")|\b[Cc]haracter (?P<v>[0-9A-Fa-f]{8}(?:-?[0-9A-Fa-f]{4}){3}-?[0-9A-Fa-f]{12})\b)"
        ),
        _not_empty,
        _either,
    ),
    Detector(
        "livekit-host",
        (".livekit.",),
        re.compile(r"(?P<secret>[A-Za-z0-9][A-Za-z0-9-]*)\.livekit\.cloud"),
    ),
)

# Shapes the fail-closed re-scan and `check` add on top of the detectors: stricter, no validity checks.
STRICT_DETECTORS: tuple[Detector, ...] = (
    Detector("livekit-token", ("eyj",), re.compile(r"(?P<secret>eyJ" + _STRICT_CHAR + "{4,})"), exclusive=True),
    Detector("api-key", ("key",), _folded(_KEY_HEX), folded=True),
)


def is_token_shaped(value: str) -> bool:
    """Whether a value holds a run the re-scan takes for a LiveKit token (`eyJ` and more): never a false positive,
    so no allow value or pattern may let it through."""
    return "eyJ" in value and any(True for _ in STRICT_DETECTORS[0].scan(value))


class DetectorSet:
    """Detectors compiled together. Per line, each runs only if one of its gates is in the lowercased text
    (exclusive ones first; the rest look only between their spans). `literal_gates` and `shapes` screen whole
    blocks of lines before any line is looked at."""

    def __init__(self, detectors: Iterable[Detector]) -> None:
        self.detectors = tuple(detectors)
        self.always = any(not d.gates for d in self.detectors)
        screens = {gate for d in self.detectors if not d.shapes for gate in d.screen or d.gates}
        # a gate that contains another gate adds nothing to a screen: any text holding it holds the other
        self.literal_gates = tuple(sorted(g for g in screens if not any(o != g and o in g for o in screens)))
        self.shapes = tuple(sorted({shape for d in self.detectors for shape in d.shapes}))
        self._first = tuple(d for d in self.detectors if d.exclusive)
        self._rest = tuple(d for d in self.detectors if not d.exclusive)
        self._gates = tuple(sorted({gate for d in self._rest for gate in d.gates}))
        # the sets that redact, check and mask with (they find tokens) also read a line's encoded shadows
        self.decodes = any(d is JWT for d in self.detectors)
        if self.decodes:
            self.shapes = (*self.shapes, BASE64_SHAPE)

    def find(self, text: str) -> list[Span]:
        """Every span, earliest first; where spans overlap the earlier (then longer) one wins. A set that finds
        tokens also reads the line's shadows (`loglens.shadows`): percent-decoded, and its base64 runs decoded."""
        spans = self._plain(text)
        if self.decodes and ("%" in text or len(text) >= MIN_RUN):
            extra = [s for s in self._shadowed(text, spans) if not _overlaps(s, spans)]
            if extra:
                spans = _first_wins(spans + extra)
        return spans

    def _plain(self, text: str) -> list[Span]:
        lowered = text.lower()
        spans: list[Span] = []
        for detector in self._first:
            if not detector.gates or any(gate in lowered for gate in detector.gates):
                spans += detector.scan(text, 0, len(text), lowered)
        if spans:  # blank out what the exclusive detectors took, keeping every offset
            text, lowered = _blanked(text, spans), _blanked(lowered, spans)
            compact = lowered.replace("\0" * 8, "")
        else:
            compact = lowered
        present = {gate for gate in self._gates if gate in compact}
        if present or self.always:
            for detector in self._rest:
                opened = not detector.gates or not present.isdisjoint(detector.gates)
                if opened and not detector.lacks_shape(text, lowered):
                    spans += detector.scan(text, 0, len(text), lowered)
        return _first_wins(spans)

    def _shadowed(self, text: str, spans: list[Span] | None = None) -> Iterator[Span]:
        """Spans of what the line's shadows hold, in the line's offsets: a percent-decoded value where its
        escapes are, a base64 run whole (its kind the first secret in it) unless a span in `spans` touches it."""
        shadow = percent_shadow(text)
        if shadow is not None:
            for span in self._plain(shadow.text):
                yield Span(*shadow.span(span.start, span.end), span.kind)
        for start, end, decoded in base64_runs(text, [(s.start, s.end) for s in spans or ()]):
            inner = self._plain(decoded)
            inner += self._shadowed(decoded) if not inner and "%" in decoded else ()
            if inner:
                yield Span(start, end, inner[0].kind)


def _overlaps(span: Span, spans: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in spans)


def _first_wins(spans: list[Span]) -> list[Span]:
    """Spans earliest first; where spans overlap the earlier (then longer) one wins."""
    if len(spans) < 2:
        return spans
    spans.sort(key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def _blanked(text: str, spans: list[Span]) -> str:
    """`text` with every span overwritten by NUL characters (nothing matches them, offsets stay put)."""
    out: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.end <= pos:
            continue
        start = max(span.start, pos)
        out += [text[pos:start], "\0" * (span.end - start)]
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


_DEFAULT_SET = DetectorSet(DETECTORS)


def mask(text: str) -> str:
    """`text` with every secret replaced by `<kind>`: safe to show in a report."""
    spans = _DEFAULT_SET.find(text)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for span in spans:
        out.append(text[pos : span.start])
        out.append(f"<{span.kind}>")
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
