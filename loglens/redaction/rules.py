"""What a user adds to redaction: more patterns and literal values to hide, values to let through, the
`[redact]` table of `.loglens.toml`, and the options of one run (profile, claims)."""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import ValidationError

from loglens.detectors import CREDENTIALS, DETECTORS, PUBLIC_DETECTORS, Detector, is_token_shaped
from loglens.errors import LoglensError
from loglens.models import Frozen
from loglens.tokens import is_jwt

CUSTOM_KIND = "custom"


@dataclass(frozen=True, slots=True)
class Rules:
    """What a user adds to the built-in detectors: patterns and literal values to hide, values to let through."""

    extra: tuple[Detector, ...] = ()
    allow_values: frozenset[str] = frozenset()
    allow_patterns: tuple[re.Pattern[str], ...] = ()

    def allows(self, value: str, kind: str) -> bool:
        """Whether a value found as `kind` is a false positive the user named. A credential never is, whatever a
        config says (as a `loglens: allow` mark in the log never excuses one), nor is a token-shaped value."""
        if kind in CREDENTIALS or is_token_shaped(value):
            return False
        return value in self.allow_values or any(p.fullmatch(value) for p in self.allow_patterns)

    def merged(self, other: Rules) -> Rules:
        return Rules(
            self.extra + other.extra,
            self.allow_values | other.allow_values,
            self.allow_patterns + other.allow_patterns,
        )


def _compile(pattern: str, what: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        # the position and reason only: the pattern itself may hold a value the user wants hidden
        raise LoglensError(f"{what} is not a valid regular expression ({exc.msg} at position {exc.pos})") from exc


def pattern_detector(pattern: str) -> Detector:
    """A user's regex; a `secret` group, when the pattern has one, narrows what is hidden."""
    compiled = _compile(pattern, "an --also pattern")
    if "secret" not in compiled.groupindex:
        compiled = _compile(f"(?P<secret>{pattern})", "an --also pattern")
    if compiled.fullmatch(""):
        raise LoglensError("an --also pattern matches empty text; it would match everywhere")
    return Detector(CUSTOM_KIND, (), compiled)


def literal_detector(value: str) -> Detector:
    if len(value) < 4:
        raise LoglensError("a literal value to hide must be at least 4 characters long")
    return Detector(CUSTOM_KIND, (value.lower(),), re.compile(f"(?P<secret>{re.escape(value)})"))


def build_rules(
    also: Iterable[str] = (),
    literals: Iterable[str] = (),
    allow: Iterable[str] = (),
    allow_patterns: Iterable[str] = (),
) -> Rules:
    extra = tuple(pattern_detector(p) for p in also) + tuple(literal_detector(v) for v in literals)
    patterns = tuple(allow_pattern(p) for p in allow_patterns)
    allow = tuple(allow)
    if any(is_jwt(value) for value in allow):
        # a signed token is never a false positive; allowing it would keep it in every redacted copy
        raise LoglensError("an allow value is a whole LiveKit token; only false positives can be allowed")
    return Rules(extra, frozenset(allow), patterns)


def _canaries() -> tuple[tuple[str, str], ...]:
    """Ordinary samples of every class of secret: an allow pattern that lets one through would let the whole class
    through. Built here so that no secret-shaped literal sits in the source."""
    jwt = ".".join(("eyJ" + "hbGciOiJIUzI1NiJ9", "eyJ" + "zdWIiOiJwbGF5ZXIifQ", "c2lnbmF0dXJlLW9mLWEtdG9rZW4"))
    at = "@"
    return (
        ("empty text", ""),
        ("a whole LiveKit token", jwt),
        ("a whole API key", "0123456789abcdef" * 2),
        ("any e-mail address", f"jane.doe{at}studio-mail.net"),
        ("any e-mail address", f"player1{at}gmail.com"),
        ("any user name", "mgonzalez"),
        ("any user name", "Maria Gonzalez"),
        ("any user name", "J.Doe-2"),
        ("any IP address", ".".join(("203", "0", "113", "45"))),
        ("any IP address", ".".join(("192", "168", "1", "20"))),
        ("any IP address", "2001:db8::7"),
        ("any end-user id", "-".join(("8ba0d128", "6655", "41e9", "9fc1", "b7bb52a5735c"))),
        ("any player text", "my locker code is 4471"),
        ("any player text", "hello"),
    )


def allow_pattern(pattern: str) -> re.Pattern[str]:
    """An allow pattern lets known false positives through, so it must name specific values; one that matches an
    ordinary sample of a class of secret (any e-mail, user name, IP, ...) would switch that class off and is
    refused, so a config file from an unpacked bundle cannot switch redaction off."""
    compiled = _compile(pattern, "an allow pattern")
    for what, sample in _canaries():
        if compiled.fullmatch(sample):
            raise LoglensError(
                f"an allow pattern matches {what}; it would let real secrets through (allow specific values only)"
            )
    return compiled


def _check_allow_patterns(config: Config, text: str, name: str) -> None:
    """Refuse a broad or broken allow pattern with the file and line it is written on."""
    for pattern in config.allow_patterns:
        try:
            allow_pattern(pattern)
        except LoglensError as exc:
            raise LoglensError(f"{_pattern_line(text, pattern, name)}: {exc.message}") from exc


def _pattern_line(text: str, pattern: str, name: str) -> str:
    """`file:line` of the line that writes `pattern` (as a literal or a basic TOML string) after its key."""
    first = _key_line(text, "allow_patterns")
    forms = (pattern, json.dumps(pattern)[1:-1])
    for number, line in enumerate(text.splitlines()[(first or 1) - 1 :], first or 1):
        if any(form in line for form in forms):
            return f"{name}:{number}"
    return f"{name}:{first}" if first else name


class Config(Frozen):
    """The `[redact]` table of a `.loglens.toml` file."""

    profile: Literal["default", "public"] | None = None
    keep_claims: bool | None = None
    also: tuple[str, ...] = ()
    literals: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    allow_patterns: tuple[str, ...] = ()

    def rules(self) -> Rules:
        return build_rules(self.also, self.literals, self.allow, self.allow_patterns)


CONFIG_TABLES = ("redact",)


def parse_config(text: str, name: str, table: tuple[str, ...] = ()) -> Config:
    """Read a config file's text (`table` is where loglens's tables sit, `("tool", "loglens")` in pyproject.toml).

    Errors name the file, the line and the problem (for an unknown key, the closest valid one), never a value."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        where = f"{name}:{found.group(1)}" if found else name
        raise LoglensError(f"{where}: not valid TOML ({str(exc).split('(', 1)[0].strip()})") from exc
    for key in table:
        data = data.get(key, {})
    unknown = sorted(set(data) - set(CONFIG_TABLES))
    if unknown:
        prefix = ".".join(table)
        shown = f"{prefix}.{unknown[0]}" if prefix else unknown[0]
        raise LoglensError(
            f"{_line_of(text, unknown[0], name)}: unknown table [{shown}]{_closest(unknown[0], CONFIG_TABLES)}"
        )
    try:
        config = Config.model_validate(data.get("redact", {}))
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0]) if error["loc"] else ""
        where = _line_of(text, key, name) if key else name
        if error["type"] == "extra_forbidden":
            raise LoglensError(f"{where}: unknown key {key!r} in [redact]{_closest(key, Config.model_fields)}") from exc
        raise LoglensError(f"{where}: [redact] {key or 'table'}: {error['msg']}") from exc
    _check_allow_patterns(config, text, name)
    return config


def _closest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else f"; valid: {', '.join(sorted(choices))}"


def _line_of(text: str, key: str, name: str) -> str:
    """`file:line` of the first line that defines `key` (as a key or a table name), or just the file."""
    number = _key_line(text, key)
    return f"{name}:{number}" if number else name


def _key_line(text: str, key: str) -> int | None:
    """The number of the first line that defines `key` (as a key or a table name), None if none does."""
    pattern = re.compile(rf"^\s*(?:\[+\s*(?:[\w.-]+\.)?{re.escape(key)}\s*\]|[\"']?{re.escape(key)}[\"']?\s*=)", re.M)
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


# --- the options of one run ------------------------------------------------------------------------------


class Profile(StrEnum):
    """`default` keeps the identifiers support needs; `public` (forums, public trackers) pseudonymises them too."""

    DEFAULT = "default"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class RedactOptions:
    profile: Profile = Profile.DEFAULT
    keep_claims: bool = False
    rules: Rules = field(default_factory=Rules)

    def detectors(self) -> tuple[Detector, ...]:
        public = PUBLIC_DETECTORS if self.profile is Profile.PUBLIC else ()
        return (*DETECTORS, *public, *self.rules.extra)
