"""Pieces of values already redacted: a run of 16 characters of a secret is still that secret.

The index is what makes a signature or an id seen on its own get its value's placeholder, and what the
fail-closed pass uses to find any piece of a redacted value left in the output.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from itertools import chain

from loglens.detectors.predicates import FREE_TEXT

NATIVE = sys.byteorder
MIN_FRAGMENT = 16  # a piece of a redacted value this long is still that value
MAX_INDEXED = 65_536  # bytes of each written form of a value whose pieces are indexed: bounded work per value
# a word of free text that reads like a secret: no blank, a letter and a digit, no path or frame punctuation
_SECRET_WORD = re.compile(rb"[^\s/\\:()]{%d,}" % MIN_FRAGMENT)


def indexed_runs(kind: str, form: bytes) -> list[tuple[int, int]]:
    """The parts of a value's written form whose pieces stand for it elsewhere. A secret's, the whole form; what a
    player said or a transcript heard, only its words that read like a secret (`Xk29fjQ0aLm3pQ7z`): a piece of
    ordinary words (`Assets/Convai/Scripts`) is no secret, and a frame or a later line may well hold it. Where a
    detector finds the message again (its label repeated), it gets its placeholder again."""
    if kind not in FREE_TEXT:
        return [(0, len(form))]
    return [m.span() for m in _SECRET_WORD.finditer(form) if _mixed(m[0])]


def _mixed(word: bytes) -> bool:
    return any(c.isalpha() for c in word.decode("utf-8", "replace")) and any(48 <= c <= 57 for c in word)


def _words(data: bytes) -> memoryview:
    """`data` as 8-byte integers at offsets 0, 8, 16, ... (the last partial word is left out)."""
    return memoryview(data)[: len(data) & ~7].cast("Q")


class FragmentIndex:
    """Every 8-byte window of every redacted value (in each of its written forms), by value id.

    A run of 16 bytes of a value, wherever it sits, contains one whole 8-byte word at an offset that is a
    multiple of 8 of the text that holds it; looking up those words, a set operation at C speed, finds every
    text that may hold a fragment. `spans` then confirms and measures each candidate.
    """

    def __init__(self) -> None:
        self._grams: dict[int, int] = {}
        self._forms: dict[int, list[bytes]] = {}
        self.kinds: dict[int, str] = {}

    def __bool__(self) -> bool:
        return bool(self._grams)

    def add(self, ident: int, kind: str, form: bytes) -> None:
        if len(form) < MIN_FRAGMENT:
            return
        forms = self._forms.setdefault(ident, [])
        if form in forms:
            return
        forms.append(form)
        self.kinds[ident] = kind
        grams = self._grams
        # no real secret is this long; past it, a value's pieces are not looked for (its whole form still is)
        head = form[:MAX_INDEXED]
        view = memoryview(head)
        for low, high in indexed_runs(kind, head):
            for shift in range(min(8, high - low - 7)):  # the windows at offsets low + shift + 8k, a cast apiece
                start = low + shift
                grams.update(dict.fromkeys(view[start : start + (high - start) // 8 * 8].cast("Q"), ident))

    def is_form(self, ident: int, data: bytes) -> bool:
        """`data` is one whole written form of value `ident`."""
        return data in self._forms.get(ident, ())

    def may_hold(self, data: bytes) -> bool:
        return bool(self._grams) and not self._grams.keys().isdisjoint(_words(data))

    def hit_offsets(self, data: bytes) -> Iterator[int]:
        grams = self._grams
        for index, word in enumerate(_words(data)):
            if word in grams:
                yield index * 8

    def spans(self, data: bytes) -> list[tuple[int, int, int]]:
        """(start, end, value id) of every run of `MIN_FRAGMENT` or more bytes of a known value in `data`."""
        found: list[tuple[int, int, int]] = []
        if not self.may_hold(data):
            return found
        covered = 0
        for pos in self.hit_offsets(data):
            if pos < covered:
                continue
            best = self._extend(data, pos)
            if best is not None and best[1] - best[0] >= MIN_FRAGMENT:
                found.append(best)
                covered = best[1]
        return found

    def _extend(self, data: bytes, pos: int) -> tuple[int, int, int] | None:
        gram = data[pos : pos + 8]
        first = self._grams[int.from_bytes(gram, NATIVE)]
        best: tuple[int, int, int] | None = None
        # the value the word was indexed for first; the others only if it holds no run long enough (read lazily:
        # a log of hundreds of values asks this for every new one)
        for ident in chain((first,), (i for i in self._forms if i != first)):
            for form in self._forms[ident]:
                q = form.find(gram)
                while q != -1:
                    left = _common(data, pos, form, q, -1)
                    right = _common(data, pos + 8, form, q + 8, 1)
                    if best is None or left + 8 + right > best[1] - best[0]:
                        best = (pos - left, pos + 8 + right, ident)
                    q = form.find(gram, q + 1)
            if best is not None and best[1] - best[0] >= MIN_FRAGMENT:
                return best
        return best


def _common(a: bytes, i: int, b: bytes, j: int, step: int) -> int:
    """How many bytes `a` and `b` share going right from `a[i]`/`b[j]` (step 1) or left of them (step -1)."""
    most = min(len(a) - i, len(b) - j) if step > 0 else min(i, j)
    low, high = 0, most
    while low < high:  # the longest shared run, by halving: slices compare at C speed
        mid = (low + high + 1) // 2
        same = a[i : i + mid] == b[j : j + mid] if step > 0 else a[i - mid : i] == b[j - mid : j]
        if same:
            low = mid
        else:
            high = mid - 1
    return low


def text_fragments(index: FragmentIndex, text: str, errors: str) -> list[tuple[int, int, int]]:
    """`FragmentIndex.spans` for a line of text, with character offsets."""
    data = text.encode("utf-8", errors)
    spans = index.spans(data)
    if not spans or len(data) == len(text):
        return spans
    return [(len(data[:s].decode("utf-8", errors)), len(data[:e].decode("utf-8", errors)), i) for s, e, i in spans]
