"""The join test of a logical line (`logical.extend`) reads each side of a cut alone only when the join shows a span
that could be one of that side's: a join that shows nothing is decided from the join alone. Whatever it skips, a
value cut over the line break still gets its placeholder, on both pieces, next to lines decided that way."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner

from loglens.api import redact_text
from loglens.cli import app
from loglens.detectors import DETECTORS, DetectorSet
from loglens.logical import extend
from tests.support.wraps import AFTER, BEFORE, EMAIL, KEY, TOKEN, pieces

_SET = DetectorSet(DETECTORS)
# a line that a screen picks (`keywords` holds the `key` gate) and that holds no secret, as a build log writes it
SHADER = (
    "Shader 'Universal Render Pipeline/Lit': 205 variants compiled for platform StandaloneWindows64, keywords _MAIN"
)
ORDINARY = "[Worker7] Start importing Assets/Art/Props/crate_363.fbx using Guid(3f2c0363e1b9a84c) in 1.2 seconds"


def _spied(read: list[str]) -> Callable[[str], list[tuple[int, int, str]]]:
    """The detectors' spans, with every text they were asked about put in `read`."""

    def find(text: str) -> list[tuple[int, int, str]]:
        read.append(text)
        return [(s.start, s.end, s.kind) for s in _SET.find(text)]

    return find


def test_a_join_that_shows_nothing_is_decided_without_reading_either_side() -> None:
    read: list[str] = []
    walk = extend(SHADER, iter([ORDINARY, AFTER]), _spied(read))
    assert walk.count == 0
    assert ORDINARY not in read  # the line after the cut was never searched on its own
    assert SHADER not in read  # nor the line before it: the join held nothing to compare with


def test_a_span_of_the_join_after_the_cut_is_compared_with_that_side() -> None:
    # the join shows the address in the second line: only that side alone says whether it was there already
    read: list[str] = []
    walk = extend(SHADER, iter([f"[Worker7] signed in as {EMAIL} again", AFTER]), _spied(read))
    assert walk.count == 0
    assert f"[Worker7] signed in as {EMAIL} again" in read


def _check(text: str) -> int:
    return CliRunner().invoke(app, ["check", "-"], input=text.encode("utf-8")).exit_code


# each row: lines a join shows nothing in (or nothing new in) around a value a cut put over two lines
CUT_BESIDE_QUIET = [
    # a key whose label a cut split, right after a line the join decides alone
    (f"{SHADER}\n[Info][SDK]: request header X-API-Ke\ny: {KEY} sent\n{ORDINARY}\n", KEY),
    # an address cut inside its name, after and before lines that show nothing
    (f"{SHADER}\n{ORDINARY}\n[Info][SDK]: signed in as {EMAIL[:9]}\n{EMAIL[9:]} at last\n{AFTER}\n", EMAIL),
    # a token cut at its end, with an address on the line after it that the second side shows on its own
    (f"{BEFORE}\n{SHADER}\nToken: {TOKEN[:70]}\n{TOKEN[70:]}\n{EMAIL} wrote\n{ORDINARY}\n", TOKEN),
]


@pytest.mark.parametrize(("text", "secret"), CUT_BESIDE_QUIET)
def test_a_cut_value_beside_lines_decided_alone_is_hidden(text: str, secret: str) -> None:
    assert _check(text) == 1
    out = redact_text(text)
    assert not {p for p in pieces(secret) if p in out}
    assert _check(out) == 0
    assert SHADER in out and (ORDINARY in out or ORDINARY not in text)  # the quiet lines are written back as they were
