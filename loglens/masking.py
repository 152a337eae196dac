"""The one way text read from a log reaches a model field or an output: `Masked`, text whose secrets are hidden.

`Masked(text)` is the only constructor, and it masks: the detectors (`loglens.detectors`, the strict shapes of
the re-scan included) hide every secret they recognise, and a `Masker` hides every 16-character piece of a
secret value it has already met in the same log (a token from a credentials line, an API key, an end-user id,
an e-mail, what the player typed). That is what catches the pieces of a hard-wrapped token, which carry no
`eyJ` and match no detector, and an e-mail used as a room name in one line and echoed bare in another.

Model fields that hold log text are typed `Masked`, so pydantic masks whatever a caller passes (a plain `str`
is masked on validation) and mypy flags a raw `str` where a `Masked` is expected. Each analysis has its own
`Masker` (`active`): its registry and its cache live and die with the analysis. Outside one, text is masked by
the detectors alone and nothing is remembered.
"""

from __future__ import annotations

import contextvars
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeAlias, TypeVar

from pydantic import BaseModel, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from loglens.detectors import BARE_KEY, HOME_SEGMENT, DetectorSet, Span
from loglens.detectors.cut import ANALYZE_DETECTORS
from loglens.lazyre import lazy
from loglens.text import printable, valid_unicode
from loglens.tokens import is_jwt, signature_complete

PIECE = 16  # a piece of a known secret this long is masked like the secret
GRAM = PIECE // 2  # every window of PIECE characters holds one of GRAM characters that starts a GRAM-aligned slot
MAX_PIECES = 200_000  # windows remembered per analysis (about 300 tokens): memory stays bounded
CACHE_SIZE = 8192
FOUND_SIZE = 32_768  # distinct texts whose detected secrets a masker remembers across learning (a few MB of keys)
_ANALYZE_SET = DetectorSet(ANALYZE_DETECTORS)
# values worth remembering: met once, hidden everywhere after (identifiers a report shows are not among them)
SECRET_KINDS = frozenset(
    {"livekit-token", "api-key", "auth-token", "secret", "end-user-id", "end-user-metadata", "player-text",
     "transcript", "email"}
)  # fmt: skip
_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_TAIL = re.compile(r"eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,2}$")  # a token fragment a line ends in
_LEAD = lazy(r"[>\s]*([A-Za-z0-9_.-]+)")  # a wrapped piece after a paste's prefix (`> `, spaces, a tab)


class Masker:
    """Masks text for one analysis and remembers every secret value it met there.

    Masking runs once per distinct text (a cache), and the search for known pieces runs only over runs of the
    characters the known values are made of, so the Unity noise around them costs one regex scan per distinct line.
    Learning a value clears the cache, as text masked before may hold a piece of it, but for text with no such run.
    """

    def __init__(self, *, learning: bool = True, cache_size: int = CACHE_SIZE) -> None:
        self._learning = learning
        self._cache_size = cache_size
        self._cache: dict[str, str] = {}
        self._found: dict[str, str] = {}  # text -> text with what the detectors found replaced: outlives learning
        self._shown: dict[str, Masked] = {}  # text -> its `Masked`, while `_cache` holds its masked text
        self._steady: dict[str, str] = {}  # `_cache` for masked text that holds no run: learning keeps it
        self._steady_shown: dict[str, Masked] = {}  # `_shown` for the texts `_steady` holds
        self._pieces: dict[str, str] = {}
        self._grams: set[str] = set()  # every GRAM-character piece of a known value: where a window may start
        self._runs: re.Pattern[str] | None = None
        self._alphabet: set[str] = set()
        self._tail = ""  # the token fragment the previous line ended in, while it may continue
        self._stale = False  # a value was learned: text masked earlier may hold a piece of it
        self.generation = 0  # grows with every value learned: caches of masked text compare it
        self._journal: list[tuple[str, str]] | None = None  # (text, masked) of each mask call while recording

    def learn(self, value: str, kind: str) -> None:
        """Remember a secret value: every 16-character piece of it is masked from now on."""
        value = value.strip()
        if not self._learning or len(value) < PIECE or len(self._pieces) >= MAX_PIECES:
            return
        if value[:PIECE] in self._pieces and value[-PIECE:] in self._pieces:
            return  # met before (the common case: one token logged many times)
        new = {value[i : i + PIECE] for i in range(len(value) - PIECE + 1)}.difference(self._pieces)
        self._pieces.update(dict.fromkeys(new, kind))
        self._grams.update({value[i : i + GRAM] for i in range(len(value) - GRAM + 1)})
        letters = len(self._alphabet)
        self._alphabet.update(ch for ch in set(value) if not ch.isspace())  # each distinct character once
        if self._runs is None or len(self._alphabet) != letters:
            self._runs = re.compile("[" + re.escape("".join(sorted(self._alphabet))) + f"]{{{PIECE},}}")
            self._steady, self._steady_shown = {}, {}  # a text may now hold a run where it held none
        self._stale = True  # any text masked so far may hold a piece of it: the finished report is checked again
        self._cache.clear()
        self._shown.clear()
        self.generation += 1

    def _starts(self, text: str) -> Iterator[int]:
        """Where in `text` a piece of a known value may start, in order: in a run of the characters the values are
        made of, near a GRAM-aligned slot that holds a piece of one of them. A window of PIECE characters holds
        the slot that starts at most GRAM - 1 after it, so every window that can be a piece is among these, and
        a line that holds no known value costs a lookup per GRAM characters of its runs instead of one per start.
        """
        assert self._runs is not None
        grams = self._grams
        for run in self._runs.finditer(text):
            start, end = run.span()
            last = end - PIECE  # the last start a whole window fits after
            pos = start  # the first start not yet given
            for slot in range(start, end - GRAM + 1, GRAM):
                if text[slot : slot + GRAM] in grams:
                    stop = min(slot, last)
                    yield from range(max(pos, slot - GRAM + 1), stop + 1)
                    pos = max(pos, stop + 1)

    def learn_json(self, value: str, kind: str) -> None:
        """Remember the string values inside a JSON document (its keys and punctuation are not secret)."""
        try:
            loaded = json.loads(value)
        except ValueError:
            loaded = value
        for leaf in _strings(loaded):
            self.learn(leaf, kind)

    @contextmanager
    def recording(self) -> Iterator[list[tuple[str, str]]]:
        """Record what each `mask` call is given and returns, so a parse that taught this masker a value can be
        checked afterwards (`still_masks`) instead of being run again."""
        outer, journal = self._journal, list[tuple[str, str]]()
        self._journal = journal
        try:
            yield journal
        finally:
            self._journal = outer

    def still_masks(self, journal: list[tuple[str, str]]) -> bool:
        """Whether every recorded text masks now, with the values learned since, to what it masked to then."""
        generation = self.generation
        return all(self.mask(text) == out for text, out in journal) and self.generation == generation

    def mask(self, text: str) -> str:
        """`text` with every detected secret and every piece of a known one replaced by `<kind>`."""
        out = self._mask(text)
        if self._journal is not None:
            self._journal.append((text, out))
        return out

    def _mask(self, text: str) -> str:
        hit = self._cache.get(text)
        if hit is not None or (hit := self._steady.get(text)) is not None:
            return hit
        out = self._detected(text)
        cache, shown = self._cache, self._shown
        if self._runs is None or self._runs.search(out) is None:  # no piece of a value (nor of a later one
            cache, shown = self._steady, self._steady_shown  # of the same characters)
        else:
            out = _replaced(out, self._known_spans(out))
        if self._cache_size:
            if len(cache) >= self._cache_size:
                cache.clear()
                shown.clear()
            cache[text] = cache[out] = out
        return out

    def masked(self, text: str) -> Masked:
        """`text` masked, as `Masked`: one object per distinct text until a value is learned, since frames and noise
        lines repeat (no copy, no second look for undecodable bytes). While a parse is recorded every text goes
        through `mask`, so the journal sees it."""
        if self._journal is None:
            hit = self._shown.get(text)
            if hit is not None or (hit := self._steady_shown.get(text)) is not None:
                return hit
        shown = Masked.trusted(self.mask(text))
        if self._cache_size and self._journal is None and (text in self._cache or text in self._steady):
            (self._shown if text in self._cache else self._steady_shown)[text] = shown
        return shown

    def _detected(self, text: str) -> str:
        """`text` with what the detectors find replaced, the secret values among it learned.

        What the detectors find depends on the text alone, and a value learned once stays learned, so this is
        remembered per distinct text for the whole analysis (bounded), where the masked text must be worked out
        again after every value learned: in a log with many tokens, learning clears `_cache` every few hundred
        lines, and the frames and noise lines it held would go through the detectors again.
        """
        if (hit := self._found.get(text)) is not None:
            return hit
        spans = _ANALYZE_SET.find(text)
        for span in spans:
            if span.kind in SECRET_KINDS:
                self.learn(span.value(text), span.kind)
        out = _replaced(text, spans)
        if "<livekit-token>" in out:  # the rest of a token that a tag cut off from the head masked here
            from loglens.independent import claim_spans  # imported on use: it reads entries, whose models import this

            out = _replaced(out, [Span(start, end, "livekit-token") for start, end in claim_spans(out)])
        if self._cache_size:
            if len(self._found) >= FOUND_SIZE:
                self._found.clear()
            self._found[text] = out
        return out

    def _known_spans(self, text: str) -> list[Span]:
        spans: list[Span] = []
        pieces = self._pieces
        for pos in self._starts(text):
            kind = pieces.get(text[pos : pos + PIECE])
            if kind is None:
                continue
            if spans and spans[-1].end >= pos:
                spans[-1] = Span(spans[-1].start, pos + PIECE, spans[-1].kind)
            else:
                spans.append(Span(pos, pos + PIECE, kind))
        return spans

    def follow(self, line: str) -> None:
        """See each raw line in order: a token cut at the end of one line goes on at the start of the next.

        The continuation (after a paste's `> `, spaces or tab) is learned as part of the token, so every piece
        of a hard-wrapped token is masked, also where a later retry logs it again.
        """
        tail = self._tail
        if tail:
            lead = _LEAD.match(line)
            piece = lead.group(1) if lead else ""
            tail += piece
            if not piece or not tail.startswith("eyJ"):  # nothing goes on, or `e`/`ey` began no token
                self._tail = ""
                if piece:
                    self.follow(line)
                return
            self.learn(tail[-len(piece) - PIECE + 1 :], "livekit-token")  # the pieces that hold the new part
            whole = lead is not None and lead.end() == len(line.rstrip())
            self._tail = tail if whole and not _complete(tail) else ""
        elif "eyJ" in line:
            found = _TAIL.search(line.rstrip())
            self._tail = found.group() if found and not _complete(found.group()) else ""
        elif line.endswith(("e", "ey", "e ", "ey ")):  # a wrap may cut `eyJ` itself
            end = line.rstrip()
            start = end.rfind("e")
            self._tail = end[start:] if start == 0 or end[start - 1] not in _B64 else ""

    def rescan(self, value: _T) -> _T:
        """`value` (a model, tuple or dict of them) with every `Masked` string checked again for known pieces.

        Text masked before a value was learned may hold a piece of it: a report is rescanned once it is built
        whenever a value was learned (one pass over a report of bounded size).
        """
        rescanned: _T = _rescan(value, self._rescanned, {}) if self._stale else value
        return rescanned

    def _rescanned(self, text: Masked, seen: dict[str, Masked | None]) -> Masked:
        if text not in seen:
            spans = self._known_spans(text)
            seen[text] = Masked.trusted(_replaced(text, spans)) if spans else None
        return seen[text] or text


_T = TypeVar("_T")
Seen: TypeAlias = "dict[str, Masked | None]"  # a rescan's texts, None where unchanged: its model is kept


def _complete(fragment: str) -> bool:
    """A token that needs nothing more (`loglens.tokens` says what a whole one is)."""
    return is_jwt(fragment) and signature_complete(fragment)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _replaced(text: str, spans: list[Span]) -> str:
    if not spans:
        return text
    out, pos = list[str](), 0
    for span in spans:
        out += [text[pos : span.start], f"<{span.kind}>"]
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def _rescan(value: Any, again: Callable[[Masked, Seen], Masked], seen: Seen) -> Any:
    if isinstance(value, Masked):
        return again(value, seen)
    if isinstance(value, BaseModel):
        changed = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _rescan(old, again, seen)
            if new is not old:
                changed[name] = new
        return value.model_copy(update=changed) if changed else value
    if isinstance(value, tuple):
        items = tuple(_rescan(item, again, seen) for item in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, dict):
        pairs = {_rescan(k, again, seen): _rescan(v, again, seen) for k, v in value.items()}
        return pairs if any(a is not b for a, b in zip(pairs, value, strict=True)) or pairs != value else value
    return value


# --- the active masker ------------------------------------------------------------------------------------------

_PLAIN = Masker(learning=False, cache_size=0)  # outside an analysis: the detectors only, nothing remembered
_ACTIVE: contextvars.ContextVar[Masker | None] = contextvars.ContextVar("loglens_masker", default=None)


def current() -> Masker:
    """The masker of the analysis under way, or the plain one."""
    return _ACTIVE.get() or _PLAIN


def active_or_new() -> Masker:
    """The masker of the analysis under way, or a new one for an analysis that begins here."""
    return _ACTIVE.get() or Masker()


@contextmanager
def active(masker: Masker) -> Iterator[Masker]:
    """Make `masker` the one every `Masked` built in this block uses."""
    reset = _ACTIVE.set(masker)
    try:
        yield masker
    finally:
        _ACTIVE.reset(reset)


def context_of(masker: Masker) -> contextvars.Context:
    """A context in which `masker` is active, for a generator that builds models between its yields."""
    context = contextvars.copy_context()
    context.run(_ACTIVE.set, masker)
    return context


# --- the type ------------------------------------------------------------------------------------------------


class Masked(str):
    """Text from a log, secrets masked, undecodable bytes shown as U+FFFD (so it always encodes, JSON too).

    `Masked(text)` masks; a model field of this type masks what it is given.
    """

    __slots__ = ()

    def __new__(cls, text: str = "") -> Masked:
        if type(text) is cls:
            return text
        return current().masked(str(text))

    @classmethod
    def trusted(cls, masked: str) -> Masked:
        """Wrap text that a `Masker` has just masked (no second pass)."""
        return str.__new__(cls, valid_unicode(masked))

    @classmethod
    def _validate(cls, value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Masked:
        """Masked text passes as it is (masked once is enough); anything else must be a str, and is masked."""
        if type(value) is cls:
            return value
        return cls(handler(value))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_wrap_validator_function(cls._validate, core_schema.str_schema())


def masked(text: str | None) -> Masked | None:
    """`Masked(text)`, None and empty text staying None."""
    return Masked(text) if text else None


def masked_name(name: str | None) -> Masked | None:
    """`masked`, for a name that no log line labels (a token's room claim): `mask_name` first, so a bare 32-hex
    key or a home folder anywhere in it is hidden too."""
    return Masked(mask_name(name)) if name else None


def mask_name(name: str) -> str:
    """A name a user gave (a path, an argument), masked like log text, and also where only a name can hold a
    secret: a 32-hex key without its `key` label, a user folder at any depth of the path.

    A home folder is found by the log-text user-path detector itself, shown the path from that folder on, as if
    it began there; log text needs the root (a relative `Assets/Users/x` is not a profile), a path named as an
    input does not (`/Volumes/Data/Users/<name>/Library/...` is one).
    """
    text = str(Masked(BARE_KEY.sub("<api-key>", name)))
    starts = [match.start() for match in HOME_SEGMENT.finditer(text)]
    for start in reversed(starts):
        text = text[:start] + str(Masked(text[start:]))
    return text


def shown_name(name: str) -> str:
    """`mask_name`, as one printable line: a name as an error message or a table of files shows it."""
    return printable(mask_name(name))
