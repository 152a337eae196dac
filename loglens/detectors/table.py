"""The detector tables: every kind `redact` replaces by default, the identifiers the `public` profile adds, and the
strict few the fail-closed re-scan trusts without a validity check."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from loglens.detectors.base import Detector
from loglens.detectors.jwt import _STRICT_CHAR, JWT, MIN_RUN, _labelled, _token_label, _value_first
from loglens.detectors.predicates import is_empty_word, is_shared_profile
from loglens.detectors.shapes import (
    _ID,
    _IPV4,
    _KEY_ENDS,
    _KEY_LEADS,
    _LABEL_END,
    _NAME,
    _OPAQUE,
    _WORDS,
    ANY_IPV4,
    ANY_IPV6,
    AT_ON,
    AT_SIGN,
    BLANK,
    DASHED_IPV4,
    DOMAIN,
    HEX_KEY,
    HOME_ROOT,
    ICE_DETECTOR,
    IPV4_SHAPE,
    IPV6_SHAPE,
    MARKED_IP,
    PAIR_REST,
    URL_IPV6_SHAPE,
    USER_ID,
    _at_home_root,
    _folded,
    _not_empty,
    _routable,
    fixed_label,
    word_label,
)
from loglens.detectors.spans import (
    _address_not_asset,
    _assigned,
    _bracketed_folder,
    _candidate_addresses,
    _cookie_members,
    _cookie_values,
    _either,
    _element_content,
    _enough_groups,
    _metadata_values,
    _not_fingerprint,
    _not_version,
    _said,
)
from loglens.lazyre import lazy


def _not_shared(name: str) -> bool:
    """Someone's name: not a profile that belongs to nobody, nor a field that holds none (`username -> empty`)."""
    return not is_shared_profile(name := name.strip()) and not is_empty_word(name)  # blanks too: `<Ana >`


def _user_name(
    gates: tuple[str, ...], pattern: str, spans: Callable[[re.Match[str]], Iterable[tuple[int, int]]] | None = None
) -> Detector:
    """A user name behind a folded pattern, unless it names a profile that belongs to nobody (`is_shared_profile`)."""
    return Detector("user-name", gates, _folded(pattern), _not_shared, spans, folded=True)


_END = lazy("end")  # the first word of every end-user label, in the lowercase text a folded detector reads
# a user name, or two joined by a colon: a TURN REST username (`<expiry>:<user>`), a STUN USERNAME (`<ufrag>:<ufrag>`)
_USER = _NAME + "(?::" + _NAME + ")?"
_CREDENTIAL = r"""[^\s"'\\,;&|<>(){}\[\]]"""  # a credential's character: no bracket of what holds it
_URL_PARAMETERS = tuple(f"{name}{eq}" for name in ("token", "auth", "key", "sig", "signature") for eq in ("=", "%3d"))

DETECTORS: tuple[Detector, ...] = (
    JWT,
    # Convai API keys, auth tokens, other credentials behind their labels
    replace(
        _labelled(
            "api-key",
            ("key",),
            r"api[-_]?key",
            r"[a-z0-9_-]{8,}(?![a-z0-9_-])",
            # not a longer word ending in api_key, but `%3fapi_key` (a URL-encoded `?` before it) is the label
            r"(?<!(?<!%[0-9a-f])[a-z]api[-_]key)(?<!(?<!%[0-9a-f])[a-z]apikey)",
        ),
        needs=_KEY_ENDS,
        leads=_KEY_LEADS,
    ),
    HEX_KEY,
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
    _labelled(
        "auth-token",
        ("authorization",),
        r"authorization",
        r"[a-z0-9._~+/=-]{8,}",
        lead=r"\s*+(?:(?:bearer|basic|token)\s+)?",
    ),
    Detector("auth-token", ("bearer",), _folded(r"bearer\s+(?P<secret>[a-z0-9._~+/=-]{8,})"), _not_empty, folded=True),
    # credentials in a URL's query or fragment (`?token=`, `&sig=`, `#auth=`, plain or URL-encoded) and in cookies
    Detector(
        "auth-token",
        _URL_PARAMETERS,
        _folded(
            r"(?:[?&#;]|%26|%3f)(?:access_|auth_)?(?:token|auth|key|sig(?:nature)?)(?:=|%3d)"
            r"(?P<secret>[^\s\"'\\&#<>|;,]{8,})"
        ),
        _not_empty,
        folded=True,
        leads=_KEY_LEADS,  # its `key=` and `key%3d` gates hold the screen's `key`
    ),
    Detector(
        "auth-token",
        ("cookie",),
        _folded(
            r"(?:(?<![a-z-])set-|(?<![a-z-]))cookie(?:" + _LABEL_END + "|" + PAIR_REST + r")(?P<secret>[^\r\n\\]*)"
        ),
        spans=_cookie_values,
        folded=True,
    ),
    # a HAR's cookies, as objects of their own: `"cookies": [{"name": "sessionid", "value": "..."}]`
    Detector(
        "auth-token",
        ("cookies",),
        _folded(r"""cookies(\\*)["']\s*:\s*\["""),
        spans=_cookie_members,
        folded=True,
    ),
    _labelled("secret", ("secret",), r"secret(?:[-_]?key)?", _OPAQUE + "{4,}"),
    _labelled("secret", ("passw",), r"passw(?:or)?d", _OPAQUE + "{4,}"),
    # the same credentials in a name/value pair written value first (`{"value": "...", "name": "X-API-Key"}`)
    replace(_value_first("api-key", ("key",), r"api[-_]?key", r"[a-z0-9_-]{8,}"), leads=_KEY_LEADS),
    _value_first("auth-token", ("token",), r"(?:auth|refresh|access|session)[-_]?token", _OPAQUE + "{8,}"),
    _value_first(
        "auth-token", ("authorization",), "authorization", r"[a-z0-9._~+/=-]{8,}", r"(?:(?:bearer|basic|token)\s+)?"
    ),
    _value_first("secret", ("secret", "passw"), r"(?:secret(?:[-_]?key)?|passw(?:or)?d)", _OPAQUE + "{4,}"),
    # a TURN server's credential (RTCIceServer's `credential`, `credential=` in a dump): quoted (up to its closing
    # quote, a few words too), after `=`, or one opaque token after a bare colon (`credential: Xy9z...`, in a
    # JavaScript object or a dump), so `credential: the server closed` and `Credential: expired, ...` stay
    Detector(
        "secret",
        ("credential",),
        _folded(
            r"credential(?P<end>"
            + _LABEL_END
            + r""")(?P<secret>(?<=")[^"\\\r\n]{4,256}(?=\\*")|(?<=')[^'\\\r\n]{4,256}(?=\\*')|"""
            + _CREDENTIAL
            + "{4,})"
        ),
        _not_empty,
        _assigned,
        folded=True,
    ),
    # user and password inside a URL (`wss://user:pass@host`, a TURN URI's `turn:user:pass@host`): both go, and the
    # host is not taken for an e-mail; the password is bounded, so a line of `turn:a:` repeats is not quadratic
    Detector(
        "secret",
        ("@",),
        lazy(r"(?:://|(?<![\w.+-])[Tt][Uu][Rr][Nn][Ss]?:)(?P<secret>[^/\s:@\"'<>]+:[^@/\s\"'<>]{1,512})@"),
        needs=lazy(r"://|(?i:turns?:)"),
        # the scheme on this line (or escaped), or an `@` near its start: the line before may hold the rest (the
        # reach of the block screen's first label, `redaction.scan.LABEL_REACH`). Two shapes, each quick to search:
        # the first is tried at the line's start only, and every branch of the second starts with a rare character
        # (`turn:` is found at its colon), which lets the search skip from one to the next
        leads=(("@", lazy(r"^[ \t>]*[^\r]{0,40}@")), ("@", lazy(r"(?i):(?:/|\\|(?<=turn:)|(?<=turns:))|%3a|\\u|&#"))),
    ),
    # the end user's id and metadata (strings only); `needs`: the label's first word (`user` opens on `C:/Users/`)
    replace(_labelled("end-user-id", ("user",), word_label("end", "user", "id"), USER_ID), needs=_END),
    Detector(
        "end-user-metadata",
        ("user",),
        _folded(rf"end_?user_?metadata(?P<escape>\\*)(?P<quote>[\"']){BLANK}*+:{BLANK}*+"),
        _not_empty,
        _metadata_values,
        folded=True,
        needs=_END,
    ),
    # the metadata as an XML element (`<end_user_metadata kind="json"><![CDATA[...]]></end_user_metadata>`)
    Detector(
        "end-user-metadata",
        ("user",),
        _folded("<" + word_label("end", "user", "metadata") + rf"(?:{BLANK}[^<>]*)?>"),
        spans=_element_content,
        folded=True,
        needs=_END,
    ),
    # what people said
    Detector(
        "player-text",
        ("sent user text message",),
        _folded(fixed_label("sent user text message:") + BLANK + r"?(?P<secret>.*)"),
        spans=_said,
        folded=True,
    ),
    # what the player typed, under the Convai REST API's own field and only in its shapes: a quoted value up to the
    # quote that opened it (escapes read through, `"userText": "..."`, `userText='...'`), a form's value up to the
    # next field (`userText=...&`). A bare `userText:` (a doc's field list, a table cell) names the field, no text.
    USER_TEXT := Detector(
        "player-text",
        ("usertext", "user_text", "user-text"),
        _folded(
            r"user[-_]?text(?:\\*[\"']?" + BLANK + r"*+(?:[:=]|%3[ad])" + BLANK + r"*+(?P<e>\\*)(?P<q>[\"'])"
            r"(?P<secret>(?:(?!(?P=e)(?P=q))(?:[^\\\r\n]|\\.))+)|(?:=|%3d)(?P<v>[^\"'\\\r\n&]+))"
        ),
        _not_empty,
        _either,
        folded=True,
    ),
    Detector(
        "transcript",
        ("[transcript]",),
        # keep the speaker's label (`Librarian Ava: `), hide what was said
        _folded(r"\[transcript\](?:\[[0-9a-z]+\])?: ?(?:\[[a-z]+\] )?(?:[^:\[\]<>]{1,40}: )?(?P<secret>.*)"),
        spans=_said,
        folded=True,
    ),
    # personal data anywhere
    Detector(
        "email",
        ("@", "%40", "\\u0040", "＠"),
        lazy(
            # a local part (any script, or quoted), an `@` in any of its written forms, a domain in any script
            r"(?<![\w.%+-])(?P<secret>(?:\"[^\"\r\n\\]{1,64}\"|[\w.%+-]{1,64})" + AT_SIGN + DOMAIN + ")"
        ),
        spans=_address_not_asset,
        screen=("@", "%", "\\u0040", "＠", "﹫", "&#"),  # one byte is the fastest thing to look for in a whole block
        # an `@` followed by a domain's run with a dot and two letters (not `com.unity.ugui@1.0.0/`)
        needs=lazy(AT_ON + r"[\w.-]*\.[^\W\d_]{2}"),
        # a domain, or a run of one that a cut (the line's end, a bare CR, a break tag) or an escape or a character
        # outside ASCII (a format character a shadow reads through) may continue
        leads=(("@", lazy(r"@[\w.-]*(?:\.[^\W\d_]{2}|=?[ \t]*$|[^\x00-\x7f]|[\\%&<\r])")),),
    ),
    _user_name(
        ("users",),
        r"users(?:(?<=[a-z]:\\users)|(?<=[a-z]:/users)|(?<=:\\\\users)|(?<=[a-z]://users))(?:\\+|/+)"
        r"(?P<secret>" + _NAME + r"(?:[^\S\r\n]" + _NAME + r")*+(?=[\\/])|" + _NAME + ")",
    ),
    _user_name(("users",), r"/users/(?<![\w.-]/users/)(?P<secret>" + _NAME + ")"),
    _user_name(("/home",), r"/" + HOME_ROOT + r"/++(?P<secret>" + _NAME + ")", _at_home_root),
    Detector(
        "user-name",
        ("users", "home/", "home\\", "home$", "documents and settings"),
        # every path starts with a drive's `X:` and a separator, or with a separator: the lookahead turns every
        # other start away at once (without it each character of a long base64 run tried all eight branches)
        lazy(
            r"(?=[A-Za-z]:[\\/]|[\\/])"
            # a share's host and share, in the long form too (`\\\\?\\UNC\\host`, `//?/UNC/host`), a `file:` URL's host
            r"(?i:(?:(?:[a-z]:|(?:\\{2,}(?:[?.]\\+unc\\+)?|//[?.]/+unc/+)[^\\/\s\"'<>|]+(?:[\\/][^\\/\s\"'<>|]+)?"
            r"|(?<=file:)//(?:/{0,2}[^\\/\s\"'<>|]+)?|/mnt/[a-z]|/cygdrive/[a-z]"
            # a macOS volume, its name a few words (`/Volumes/Macintosh HD/Users/`)
            r"|/volumes/[^/\s\"'<>|]+(?: [^/\s\"'<>|]+){0,3}"
            r"|(?<![\w.:/\\-])/[a-z]|(?<![\w.:\\-]))(?:\\+|/+)(?:users|documents and settings)|/var/home"
            # a Linux home seen from Windows (`\\\\wsl$\\Ubuntu\\home\\`), a home share (`\\\\server\\home$\\`)
            r"|\\{2,}wsl(?:\$|\.localhost)(?:\\+|/)[^\\/\s\"'<>|]+(?:\\+|/)home|\\{2,}[^\\/\s\"'<>|]+(?:\\+|/)home\$)"
            r"(?:\\+|/+))"
            rf"(?P<secret>{_NAME}(?:[^\S\r\n]{_NAME}){{0,3}}(?=[\\/])|{_NAME}(?: [A-Z](?:{_NAME})?){{0,2}})"
        ),
        _not_shared,
        # every match is a separator after `users`, `settings` or `home` (`home$`), then a name: the pattern above
        # tries every position of a line, this starts at a separator only, and a path whose name a placeholder took
        # (`C:/Users/<user-name-1>/`, the re-scan of a redacted copy) holds no such name
        needs=lazy(
            r"[\\/](?:(?<=(?i:users)[\\/])|(?<=(?i:settings)[\\/])|(?<=(?i:home)[\\/])|(?<=(?i:home\$)[\\/]))"
            r"[\\/]*(?=" + _NAME + ")"
        ),
    ),
    # a profile folder written in angle brackets, which no Windows or macOS folder name holds: text someone edited
    # by hand, a name inside the brackets (`C:\\Users\\<Ana>\\`) or glued after them up to the next separator or
    # tag (`C:\\Users\\<user-name-1>Ana\\`, `/Users/<b>Ana</b>/`); a placeholder and the word that starts the
    # next row, where the re-scan reads a cut line, have none: `C:/Users/<user-name-1>` and `Loading scene`
    Detector(
        "user-name",
        ("users",),
        _folded(r"users(?:\\+|/+)<(?P<inner>[^<>\\/\r\n]{1,64})>(?:(?P<glued>[^\\/\s<>:*?\"|;,]+)(?=[\\/<]))?"),
        _not_shared,
        _bracketed_folder,
        folded=True,
        needs=lazy(r"users[\\/]+<"),
    ),
    _user_name(("licenseclient-",), r"licenseclient-(?P<secret>" + _NAME + ")"),
    # a shell's `~name/` (that user's home) and the variables that hold the account's name
    Detector(
        "user-name",
        ("~",),
        lazy(r"(?<![\w~\\/])~(?P<secret>[A-Za-z][\w.'-]++)(?=[\\/])"),  # `~_www/`, `~a/`: no one's name
        _not_shared,
    ),
    _user_name(("user=", "username=", "logname="), r"(?<![\w-])(?:user(?:name)?|logname)=(?P<secret>" + _USER + ")"),
    # a username as JSON or a JavaScript object gives it (RTCIceServer's `"username":"<expiry>:<user>"`); a quoted
    # one up to its closing quote, a few words too (`"username":"Bart Quist"`)
    _user_name(
        ("username",),
        r"(?<![\w-])username(?P<end>"
        + _LABEL_END
        + r")(?P<secret>"
        + _USER
        + r"(?:(?: "
        + _NAME
        + r"){1,3}(?=\\*[\"']))?)",
        _assigned,
    ),
    # IP addresses: every word of an ICE candidate, a URL's host (IPv6 in brackets), any other address
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
    # every other address, wherever it stands, plain or with markup inside (`1.2.0.4` after a version label stays)
    Detector(
        "ip-address",
        (".",),
        lazy(ANY_IPV4),
        _routable,
        _not_version,
        shapes=(IPV4_SHAPE,),
        needs=lazy(IPV4_SHAPE),  # a dot is on most lines: one fast search for three dots between digits first
    ),
    Detector(
        "ip-address",
        (":",),
        _folded(ANY_IPV6),
        _enough_groups,
        _not_fingerprint,
        shapes=(IPV6_SHAPE,),
        folded=True,
        needs=lazy(IPV6_SHAPE),  # a colon is on every timestamped line
    ),
    Detector("ip-address", ("ip-",), _folded(DASHED_IPV4), _routable, folded=True),
    MARKED_IP,
    ICE_DETECTOR,
)

# Identifiers that are kept by default (support needs them) and pseudonymised by the `public` profile.
PUBLIC_DETECTORS: tuple[Detector, ...] = (
    # `session_id=`, `"sessionId":`, `Session ID:`, `<session_id>`, in any case and with a paste's blanks
    _labelled("session-id", ("session",), r"(?<![a-z_])(?<!character.)(?:room_)?" + word_label("session", "id"), _ID),
    _labelled("character-session-id", ("session",), word_label("character", "session", "id"), _ID),
    _labelled("request-trace-id", ("trace",), word_label("request", "trace", "id"), _ID),
    _labelled("speaker-id", ("speaker",), word_label("speaker", "id") + rf"(?:{BLANK}++\(diagnostics\))?", _ID),
    _labelled("room-name", ("room",), word_label("room", "name"), _WORDS),
    _labelled("character-id", ("character",), word_label("character", "id"), _ID),
    Detector(
        "character-id",
        ("character",),
        lazy(r"\b[Cc]haracter (?P<secret>[0-9A-Fa-f]{8}(?:-?[0-9A-Fa-f]{4}){3}-?[0-9A-Fa-f]{12})\b"),
    ),
    Detector(
        "livekit-host",
        (".livekit.",),
        # A run start only: a match tried from inside a run of host characters would rescan it (quadratic on base64).
        lazy(r"(?<![A-Za-z0-9-])-*(?P<secret>[A-Za-z0-9][A-Za-z0-9-]*+)\.livekit\.cloud"),
    ),
)

# Shapes the fail-closed re-scan and `check` add on top of the detectors: stricter, no validity checks.
STRICT_DETECTORS: tuple[Detector, ...] = (
    Detector("livekit-token", ("eyj",), lazy(r"(?P<secret>eyJ" + _STRICT_CHAR + f"{{{MIN_RUN},}})"), exclusive=True),
    HEX_KEY,
)


def is_token_shaped(value: str) -> bool:
    """Whether a value holds a run the re-scan takes for a LiveKit token (`eyJ` and more): never a false positive,
    so no allow value or pattern may let it through."""
    return "eyJ" in value and any(True for _ in STRICT_DETECTORS[0].scan(value))
