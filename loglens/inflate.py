"""The text a base64 run of gzip data inflates to: a crash reporter's compressed attachment, read as its lines.

Inflating is bounded twice, by `MAX_INFLATED` characters in all and `INFLATED_PER_CHAR` for each character of the
run, so a few kilobytes that inflate to megabytes (a bomb) cost work in proportion to the input.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import zlib
from collections.abc import Iterator

GZIP_RUN = "H4sI"  # how base64 of gzip's magic bytes and its deflate method begins
MAX_INFLATED = 1 << 20  # characters of text one gzip run may inflate to: a bomb costs no more than this
INFLATED_PER_CHAR = 16  # nor more than this many for each character of the run: the work stays linear in the input


def inflated(run: str, *, window: int, overlap: int) -> Iterator[str]:
    """The text a base64 run of gzip data inflates to, in windows of `window` characters that overlap by `overlap`
    (a line one edge cuts is whole in the next), up to `MAX_INFLATED` characters and `INFLATED_PER_CHAR` for each of
    the run's; a byte that is no UTF-8 is kept as a surrogate escape. Each part of the run is decoded once and
    inflated once: work in proportion to the run, whatever the ratio. Where the run stops being gzip, the text
    stops."""
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    utf8 = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    kept, total, limit = "", 0, min(MAX_INFLATED, INFLATED_PER_CHAR * len(run))
    usable = len(run) - len(run) % 4 if len(run) % 4 == 1 else len(run)  # a lone last character encodes no byte
    for begin in range(0, usable, window):
        piece = run[begin : min(begin + window, usable)]
        try:
            data = base64.b64decode(piece + "=" * (-len(piece) % 4), validate=True)
        except (binascii.Error, ValueError):
            return
        while data and total < limit and not inflate.eof:
            try:
                out = inflate.decompress(data, window)
            except zlib.error:
                return
            data = inflate.unconsumed_tail
            if out:
                total += len(out)
                text = kept + utf8.decode(out)
                yield text
                kept = text[-overlap:]
