"""The false-positive predicates: the named reasons a matched value is not a secret (an empty word, an asset
file, a shared profile, a local address, a placeholder, a guide's word for a name, a version number)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Collection

from loglens.lazyre import lazy

# --- false-positive predicates -------------------------------------------------------------------------------

EMPTY_WORDS = frozenset({"null", "none", "(none)", "nil", "n/a", "unknown", "undefined", "empty", "(empty)", "-"})
ASSET_SUFFIXES = frozenset(
    {"png", "jpg", "jpeg", "tga", "psd", "exr", "gif", "cs", "dll", "so", "asset", "prefab", "unity", "mat",
     "meta", "json", "txt", "log", "wav", "mp3", "ogg", "fbx", "obj", "anim", "controller", "shader", "asmdef",
     "ttf", "otf", "ttc", "fnt", "fontsettings", "woff", "woff2", "aif", "aiff", "flac", "m4a", "mp4", "webm",
     "bmp", "tif", "tiff", "hdr", "dds", "ktx", "svg", "webp", "glb", "gltf", "blend", "mesh", "mask", "cubemap",
     "playable", "mixer", "overridecontroller", "physicmaterial", "rendertexture", "spriteatlas", "terrainlayer",
     "preset", "uss", "uxml", "inputactions", "shadergraph", "shadervariants", "compute", "hlsl", "cginc", "vfx"}
)  # fmt: skip
SHARED_PROFILES = frozenset({"shared", "public", "default", "default user", "all users", "defaultapppool"})
BUILD_MACHINE_ACCOUNTS = frozenset({"bokken", "builduser"})
VERSION_WORDS = ("version", "upgrad", "updat", "migrat", "downgrad", "release")
KINDS = (
    "livekit-token", "api-key", "auth-token", "secret", "end-user-id", "end-user-metadata", "player-text",
    "transcript", "email", "user-name", "ip-address", "session-id", "character-session-id", "request-trace-id",
    "speaker-id", "room-name", "character-id", "livekit-host", "custom", "ice-credential",
)  # fmt: skip
# the kinds that are credentials (an ICE password grants a live media path too): never a false positive, so neither
# an allow value or pattern nor a mark in the log lets one through
CREDENTIALS = frozenset({"livekit-token", "api-key", "auth-token", "secret", "ice-credential"})
# kinds whose value runs to the end of its line: a following line continues it only when the paste shows it
FREE_TEXT = frozenset({"player-text", "transcript"})
# `<kind>` (what `mask` writes) or `<kind-N>` / `<kind-N facts>` (what redaction writes)
PLACEHOLDER = re.compile(r"<(?:" + "|".join(KINDS) + r")(?:-[0-9]+(?: [^<>\r\n]*)?)?>")


# the words a doc's table writes where a value would stand: what the field is, not what it holds
DOC_WORDS = frozenset(
    {"required", "optional", "string", "text", "integer", "number", "boolean", "bool", "yes", "no", "true", "false",
     "header", "value", "secret", "token", "mandatory", "deprecated"}
)  # fmt: skip


def is_doc_word(value: str, label: str = "") -> bool:
    """`required`, `optional`, `string`, an empty word, or the label's own name (`| password | Password |`): what a
    doc's table or an arrow names where a value would stand."""
    word = value.strip("\"'`*").lower()
    own = label.strip("\"'`*| \t").lower()
    return word in DOC_WORDS or is_empty_word(word) or (own != "" and word.replace("_", "-") == own.replace("_", "-"))


def is_empty_word(value: str) -> bool:
    """`null`, `none`, `unknown`...: a field that holds no value at all."""
    return value.strip("\"'").lower() in EMPTY_WORDS


def is_asset_file(value: str) -> bool:
    """`Button@2x.png`: an asset name that only looks like an e-mail address."""
    return value.rsplit(".", 1)[-1].lower() in ASSET_SUFFIXES


# a package's version after its `@` (`com.unity.x@1.2.3-beta.rc1`): two numbers first, then anything
_PACKAGE_VERSION = lazy(r"(?:@|%40|\\u0040|＠)[0-9]+\.[0-9]+[\w.-]*$")


def is_package_version(value: str, after: str) -> bool:
    """`com.unity.x@1.2.3-beta.rc1`: a package's version, which reads like an e-mail up to `rc`. An address's
    domain ends in its top-level domain's letters; a version that stops at letters only to go on (`after` is
    the character right after them: a digit, `_` or `-`) names no domain."""
    goes_on = after != "" and (after.isalnum() or after in "_-")
    return goes_on and _PACKAGE_VERSION.search(value) is not None


def is_shared_profile(name: str) -> bool:
    """`C:/Users/Public`, `/Users/Shared`: profile folders that belong to nobody."""
    return name.lower() in SHARED_PROFILES or name[:1] in "%$<{~" or is_build_machine_account(name)


def is_build_machine_account(name: str) -> bool:
    """`/Users/bokken/buildslave/`, `/home/builduser/buildslave/`: Unity's own build machines, named in the engine
    frames of every install. They name no user of loglens (`C:\\buildslave\\` has no user folder at all)."""
    return name.lower() in BUILD_MACHINE_ACCOUNTS


def plain_address(value: str) -> str:
    """An IPv4 address as `ipaddress` reads it: `203.000.113.045` (leading zeros) and `203-0-113-45` (the form a
    host name like `ip-203-0-113-45` carries) become `203.0.113.45`; anything else is returned as it is."""
    parts = value.split("-" if "-" in value else ".")
    if len(parts) == 4 and all(part.isdigit() and len(part) <= 3 for part in parts):
        return ".".join(str(int(part)) for part in parts)
    return value


def is_local_address(value: str) -> bool:
    """Loopback and unspecified addresses (`127.0.0.1`, `::1`, `0.0.0.0`) say nothing about anybody."""
    try:
        address = ipaddress.ip_address(plain_address(value))
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(plain_address(value))
    except ValueError:
        return False
    return True


# what a guide writes in brackets where a reader's own folder name goes (`C:\\Users\\<username>\\`): no one's name
TEMPLATE_NAMES = frozenset(
    {"user", "username", "user name", "user_name", "user-name", "name", "yourname", "your name", "your_name",
     "your-name", "your username", "yourusername", "your_username", "you", "me", "account", "redacted", "removed"}
)  # fmt: skip


def is_template_name(name: str) -> bool:
    """A guide's word for the reader's own name (`<username>`, `<Your Name>`), not a name."""
    return name.strip().casefold() in TEMPLATE_NAMES


def is_placeholder(value: str) -> bool:
    """A placeholder loglens wrote (`<livekit-token-1>`, `<email>`): already redacted."""
    return PLACEHOLDER.fullmatch(value) is not None


# what makes the dotted quad right after it a version number: a version label (`version 1.2.0.4`, `v1.2.0.4`,
# `SDK 1.2.0.4`, `Version=4.0.0.0`, Unity's `references: 4.0.1.1 Found in project: 4.0.1.2`), or an upgrade's
# `from` (and its `to`). Only what touches the quad counts: a version elsewhere on the line excuses nothing.
_VERSION_BEFORE = lazy(
    r"(?:\bv|\b(?:version|ver|release|build|sdk|rev(?:ision)?|references|found in project)s?[\s:=\"'#(]*"
    r"|\b(?:" + "|".join(VERSION_WORDS) + r")\w*(?:\s+\S+)?\s+from\s+(?:\S+\s+to\s+)?)$"
)


def is_version_number(text: str, start: int) -> bool:
    """`upgraded from 1.2.0.4`, `version 1.2.3.4`: the dotted quad at `start` is a version in an address's
    clothes."""
    return _VERSION_BEFORE.search(text[max(0, start - 64) : start].lower()) is not None


def token_shown_longer(before: Collection[tuple[int, int, str]], start: int, end: int, kind: str) -> bool:
    """A token that a line's own spans (`before`: start, end, kind) show from `start` and further than `end`: where a
    join with the next line shows it shorter, the next line's first letters spoiled the rest of its signature after
    a blank (`eyJ…sig1 sig2` | `ok`), and the join shows nothing the line does not."""
    return kind == "livekit-token" and any(s == start and e > end and k == kind for s, e, k in before)
