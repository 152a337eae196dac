"""The false-positive predicates: the named reasons a matched value is not a secret (an empty word, an asset
file, a shared profile, a local address, a placeholder, a version number)."""

from __future__ import annotations

import ipaddress
import re

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
