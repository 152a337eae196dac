"""The rewrite of one line: forced spans (pieces of a wrapped line), detector spans, then pieces of known
values, each replaced by its value's placeholder."""

from __future__ import annotations

import re
from collections import Counter

from loglens.detectors import BARE_KEY, HOME_SEGMENT, STRICT_DETECTORS, DetectorSet
from loglens.logical import value_end
from loglens.paste import Joined, split_bare_cr
from loglens.redaction.fragments import text_fragments
from loglens.redaction.placeholders import PlaceholderTable, inside_placeholder, placeholder_residue, placeholder_spans
from loglens.redaction.rules import Profile, RedactOptions
from loglens.tokens import decode_claims

Span3 = tuple[int, int, int]  # start, end, placeholder id


_ROOM_SAFE = re.compile(r"[^A-Za-z0-9_.:-]")
# what a claim's text may not hold once its secrets are placeholders: an `@` or an escape in any form, which the cut
# to `_ROOM_SAFE` would turn into text no re-scan reads as a secret any more (`jo_example.com`)
_DISGUISED = re.compile(r"[@＠﹫%&]|\\u")


class LineRedactor:
    """Rewrites one line: forced spans (pieces of a wrapped line), detector spans, then pieces of known values."""

    def __init__(self, options: RedactOptions, table: PlaceholderTable) -> None:
        self.options = options
        self.table = table
        self.detectors = DetectorSet(options.detectors())
        self.occurrences: Counter[str] = Counter()
        self._claims: DetectorSet | None = None  # what `_claim` reads a token's claims with (with --keep-claims)

    def ident(self, kind: str, value: str) -> int:
        ident, created = self.table.assign(kind, value)
        if created and kind == "livekit-token" and self.options.keep_claims:
            self.table.set_label(ident, self._with_claims(ident))
        return ident

    def _with_claims(self, ident: int) -> str:
        """`<livekit-token-1 room=lobby exp=2031-04-26T18:40:00Z identity=end-user-id-1>`: what a support
        engineer reads from a token, none of which lets anybody join the room."""
        label = self.table.label(ident)
        claims = decode_claims(self.table.value(ident))
        if claims is None:
            return label
        facts: list[str] = []
        # the identity first: a room claim that holds it names its placeholder
        identity = self.table.assign("end-user-id", claims.identity)[0] if claims.identity else None
        room = claims.video.room if claims.video else None
        if room:
            if self.options.profile is Profile.PUBLIC:
                facts.append("room=" + self.table.short(self.table.assign("room-name", room)[0]))
            elif (shown := self._claim(room)) is not None:
                facts.append("room=" + shown)
        if claims.expires_at is not None:
            facts.append("exp=" + claims.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        if identity is not None:
            facts.append("identity=" + self.table.short(identity))
        return f"{label[:-1]} {' '.join(facts)}>" if facts else label

    def _claim(self, text: str) -> str | None:
        """A claim's text as a placeholder's facts may show it (the fail-closed re-scan reads no placeholder): every
        secret in it named by its own placeholder (`room=email-1_lobby`): what the detectors and the re-scan's
        strict shapes find, from each home folder on too, a bare 32-hex key (a name holds no label), a piece of a
        value redacted before; the rest cut to the characters of a room name. None (the claim is left out) when
        what is left still holds an `@` or an escape."""
        if self._claims is None:
            self._claims = DetectorSet((*self.options.detectors(), *STRICT_DETECTORS))
        spans = self._detect(text, detectors=self._claims)
        for home in HOME_SEGMENT.finditer(text):
            spans += [
                (s + home.start(), e + home.start(), i)
                for s, e, i in self._detect(text[home.start() :], detectors=self._claims)
            ]
        spans += [(m.start(), m.end(), self.ident("api-key", m.group())) for m in BARE_KEY.finditer(text)]
        if self.table.fragments:
            spans += text_fragments(self.table.fragments, text, self.table.errors)
        parts: list[str] = []
        pos = 0
        for start, end, ident in [*sorted(spans, key=lambda s: (s[0], -s[1])), (len(text), len(text), -1)]:
            if start < pos:  # inside the span before it
                continue
            if _DISGUISED.search(text, pos, start):
                return None
            parts.append(_ROOM_SAFE.sub("_", text[pos:start]))
            if ident >= 0:
                parts.append(self.table.short(ident))
            pos = end
        return "".join(parts)[:80]

    def detect(self, text: str, skip: list[Span3] | None = None) -> list[Span3]:
        """Detector spans with their placeholder ids; spans that overlap `skip` are left to it. A line that a bare
        carriage return cut is also read with its pieces joined, so a value split there is still found."""
        found = self._detect(text, skip)
        pieces = split_bare_cr(text)
        if pieces:
            joined = Joined.of([text], pieces)
            taken = skip or []
            for s, e, ident in self._detect(joined.text, cuts=joined.offsets[1:]):
                parts = [(low, high, ident) for _, low, high in joined.split(s, e)]
                if len(parts) > 1 and not any(a < e2 and s2 < b for a, b, _ in parts for s2, e2, _ in taken):
                    found += parts
        return found

    def _detect(
        self,
        text: str,
        skip: list[Span3] | None = None,
        detectors: DetectorSet | None = None,
        cuts: tuple[int, ...] = (),
    ) -> list[Span3]:
        """Detector spans with their placeholder ids; `cuts`: where the pieces of a cut line were joined (a value
        whole at one ends there, `logical.value_end`)."""
        found: list[Span3] = []
        own = placeholder_spans(text)
        for span in (self.detectors if detectors is None else detectors).find(text):
            if skip and any(span.start < e and s < span.end for s, e, _ in skip):
                continue
            if own and inside_placeholder(span, own):
                continue
            end = value_end(span.kind, text, span.start, span.end, cuts) if cuts else span.end
            value = text[span.start : end]
            if self.options.rules.allows(value, span.kind) or ("<" in value and not placeholder_residue(value)):
                continue
            found.append((span.start, end, self.ident(span.kind, value)))
        return found

    def redact(self, text: str, forced: list[Span3] | None = None, *, detect: bool = True) -> str:
        """`text` with its secrets replaced: `forced` spans and detector spans first, then, in what is left, pieces
        of values already known, so a signature or an id seen on its own still gets its value's placeholder."""
        spans = list(forced or ())
        if detect:
            spans += self.detect(text, spans)
        if spans:
            text = self._apply(text, spans)
        if self.table.fragments:
            pieces = text_fragments(self.table.fragments, text, self.table.errors)
            if pieces:
                text = self._apply(text, pieces)
        return text

    def _apply(self, text: str, spans: list[Span3]) -> str:
        spans.sort(key=lambda s: (s[0], -s[1]))
        out: list[str] = []
        pos = 0
        for start, end, ident in spans:
            if start < pos:  # overlaps the span before it, which already covers it
                continue
            out.append(text[pos:start])
            out.append(self.table.label(ident))
            self.occurrences[self.table.kind(ident)] += 1
            pos = end
        out.append(text[pos:])
        return "".join(out)
