"""Placeholders: the same value is the same `<kind-N>` everywhere, whatever form it is written in.

Also the one place that recognises loglens's own placeholders in a text, so that neither the rewrite nor the
leftover check mistakes them (or a user pattern touching them) for a secret.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, unquote

from loglens.detectors import KINDS, PLACEHOLDER, Span, clean_token
from loglens.redaction.fragments import MAX_INDEXED, MIN_FRAGMENT, FragmentIndex
from loglens.redaction.rules import CUSTOM_KIND
from loglens.shadows import MARKUP

_MARKUP = re.compile(MARKUP)


def canonical(kind: str, value: str) -> str:
    """The value behind its encodings: URL-decoded, JSON-unescaped (up to three levels), e-mails lowercased, a token,
    a key or an address without the blanks and markup a paste put inside it (one value, one placeholder)."""
    text = value
    if "%" in text:
        with contextlib.suppress(UnicodeDecodeError):
            text = unquote(text, errors="strict")
    for _ in range(3):
        if "\\" not in text:
            break
        try:
            unescaped = json.loads(f'"{text}"')
        except ValueError:
            break
        if not isinstance(unescaped, str) or unescaped == text or not _writable(unescaped):
            break
        text = unescaped
    if kind in ("livekit-token", "api-key", "ip-address"):
        return clean_token(text)
    return text.lower() if kind == "email" else text


def _writable(text: str) -> bool:
    """A JSON escape can spell a lone surrogate (`\\ud800`) that no output encoding can hold: keep it escaped."""
    try:
        text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


def derived_forms(value: str) -> set[str]:
    """How one value can be written in a log: as is, JSON-escaped once or twice, URL-encoded, `/` escaped."""
    once = json.dumps(value, ensure_ascii=False)[1:-1]
    forms = {value, once, json.dumps(value)[1:-1], json.dumps(once, ensure_ascii=False)[1:-1]}
    forms.add(value.replace("/", "\\/"))
    with contextlib.suppress(UnicodeEncodeError):  # undecodable bytes have no URL form
        forms |= {quote(value, safe=""), quote_plus(value, safe="")}
    return forms


@dataclass(slots=True)
class _Entry:
    kind: str
    number: int
    value: str
    label: str


class PlaceholderTable:
    """Values to placeholders, consistent within a run: the first LiveKit token is `<livekit-token-1>`, the next
    distinct one `<livekit-token-2>`. It holds plaintext only to recognise values again and for `private_map`."""

    def __init__(self, errors: str = "surrogateescape") -> None:
        self.errors = errors
        self._entries: list[_Entry] = []
        self._by_value: dict[str, int] = {}
        self._numbers: Counter[str] = Counter()
        self._taken: set[tuple[str, int]] = set()  # placeholders the input already holds
        self.fragments = FragmentIndex()

    def __len__(self) -> int:
        return len(self._entries)

    def assign(self, kind: str, value: str) -> tuple[int, bool]:
        """The id of `value`'s placeholder, and whether it is new."""
        ident = self._by_value.get(value)
        if ident is not None:
            return ident, False
        plain = canonical(kind, value)
        ident = self._by_value.get(plain)
        if ident is None and len(plain) >= MIN_FRAGMENT:
            ident = self._related(kind, plain)
        created = ident is None
        if ident is None:
            self._numbers[kind] += 1
            while (kind, self._numbers[kind]) in self._taken:
                self._numbers[kind] += 1
            ident = len(self._entries)
            number = self._numbers[kind]
            self._entries.append(_Entry(kind, number, plain, f"<{kind}-{number}>"))
        entry_kind = self._entries[ident].kind
        self._by_value[value] = self._by_value[plain] = ident
        for form in derived_forms(plain) | {value}:
            # markup a detector read through inside the value (a colour tag, `<span class="x">`) is no part of
            # it: only the runs between such markup are the value's pieces, so the same tag elsewhere stays text
            for piece in _MARKUP.split(form):
                self.fragments.add(ident, entry_kind, piece.encode("utf-8", self.errors))
        return ident, created

    def _related(self, kind: str, plain: str) -> int | None:
        """An entry of the same kind that `plain` is a piece of, or that is itself a piece of `plain` (a token
        first seen cut short, then whole)."""
        data = plain.encode("utf-8", self.errors)[:MAX_INDEXED]
        for start, end, ident in self.fragments.spans(data):
            if self._entries[ident].kind != kind:
                continue
            if end - start == len(data) or self.fragments.is_form(ident, data[start:end]):
                return ident
        return None

    def reserve(self, data: bytes) -> None:
        """Note the numbered placeholders already in `data` (a redacted log with a raw one appended), so that a
        new value never gets a number the input already uses for another."""
        if b"<" in data:
            self._taken.update((m[1].decode(), int(m[2])) for m in _NUMBERED.finditer(data))

    def value(self, ident: int) -> str:
        return self._entries[ident].value

    def label(self, ident: int) -> str:
        return self._entries[ident].label

    def kind(self, ident: int) -> str:
        return self._entries[ident].kind

    def short(self, ident: int) -> str:
        """`kind-N`, for naming one placeholder inside another's facts."""
        entry = self._entries[ident]
        return f"{entry.kind}-{entry.number}"

    def set_label(self, ident: int, label: str) -> None:
        self._entries[ident].label = label

    def distinct(self) -> Counter[str]:
        return Counter(entry.kind for entry in self._entries)

    def private_map(self) -> dict[str, str]:
        """Placeholder -> original value. The one place redaction hands plaintext back, for `--map` only."""
        return {f"<{e.kind}-{e.number}>": e.value for e in self._entries}


_NUMBERED = re.compile(rb"<(" + "|".join(KINDS).encode() + rb")-([0-9]{1,9})[ >]")


# --- loglens's own placeholders in a text ---------------------------------------------------------------


def placeholder_residue(value: str) -> str:
    """What is left of a value once loglens's placeholders are taken out: empty means already redacted."""
    return PLACEHOLDER.sub("", value).strip(" \t,;:|=")  # `=`: a quoted-printable soft break after one


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Where loglens's own placeholders sit in a line (`<livekit-token-1>`, `<email>`)."""
    if "<" not in text:
        return []
    return [m.span() for m in PLACEHOLDER.finditer(text)]


def inside_placeholder(span: Span, placeholders: list[tuple[int, int]]) -> bool:
    """A span within one placeholder (`token-1` of `<livekit-token-1>`), or a user's pattern touching one: it
    found loglens's own writing, not a secret. `placeholders` is `placeholder_spans`'s list, in order and apart,
    so one look-up finds the only candidate: a line of thousands of spans stays linear."""
    at = _last_from(span, placeholders)
    if at >= 0 and span.end <= placeholders[at][1]:
        return True
    if span.kind != CUSTOM_KIND:
        return False
    after = at + 1  # a user's pattern that reaches into the next placeholder, or ends inside the one before
    touches = after < len(placeholders) and placeholders[after][0] < span.end
    return touches or (at >= 0 and span.start < placeholders[at][1])


def redacted_before(span: Span, placeholders: list[tuple[int, int]]) -> bool:
    """A span `inside_placeholder`, or one that begins with a placeholder: a value redacted before (this is a
    second pass), which ended there."""
    at = _last_from(span, placeholders)
    return (at >= 0 and placeholders[at][0] == span.start) or inside_placeholder(span, placeholders)


def _last_from(span: Span, placeholders: list[tuple[int, int]]) -> int:
    """The index of the last placeholder starting at or before `span`, or -1: they are in order and apart."""
    return bisect_right(placeholders, (span.start, sys.maxsize)) - 1
