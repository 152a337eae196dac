"""Every pasted shape of every secret (tests/support/variants.py): redaction leaves no 16-character piece of any
secret, its own fail-closed pass accepts the result, and `check` flags the raw paste."""

from __future__ import annotations

import io

import pytest

from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import check_stream, verify
from tests.support.variants import SECRETS, Variant, pieces_of, variants

PIECES = frozenset(p for s in SECRETS for p in pieces_of(s))
# an end-user id whose label a nested-quote wrap cuts (`Resolved End Us` | `er ID: <hex>`, `end_u` | `ser_id`)
# right after the lines of a wrapped token: the widths where that happens
CUT_AFTER_TOKEN = ("details-nested-quote-110", "summary-nested-quote-46")
# room details behind a tab, cut so that a line begins with the tab and the `":"` after `end_user_id`: the tab is a
# blank before the separator, not a tab-separated value (`:` would be read as one)
TAB_BEFORE_SEPARATOR = ("details-tab-23-lf", "details-tab-37-crlf")
FAST = (
    *variants((20, 47, 76, 120)),  # the narrowest, odd, a terminal's and the widest: every width is in the slow set
    *(v for v in variants((46, 110)) if v.name.rsplit("-", 1)[0] in CUT_AFTER_TOKEN),
    *(v for v in variants((23, 37)) if v.name in TAB_BEFORE_SEPARATOR),
)
FULL = tuple(variants(range(20, 121)))


def _leaks(text: str) -> int:
    return sum(1 for p in PIECES if p in text)


def _assert_safe(variant: Variant) -> None:
    raw = variant.text.encode("utf-8")
    assert list(check_stream(io.BytesIO(raw))), f"check says {variant.name} is clean"
    out, run = redact_bytes(raw)
    leaked = _leaks(out.decode("utf-8", "surrogateescape"))
    assert not leaked, f"{variant.name}: {leaked} pieces of a secret survive redaction"
    assert verify(io.BytesIO(out), run.table, RedactOptions()) == [], f"{variant.name}: the re-scan refuses"


@pytest.mark.parametrize("variant", FAST, ids=[v.name for v in FAST])
def test_no_piece_of_a_secret_survives_any_paste_shape(variant: Variant) -> None:
    _assert_safe(variant)


@pytest.mark.slow
def test_every_width_from_20_to_120() -> None:
    for variant in FULL:
        _assert_safe(variant)
