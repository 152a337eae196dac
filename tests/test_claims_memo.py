"""The token claims memo (`credentials.TokenClaims`): a token met again is decoded once while the memo still
holds it, the memo holds a bounded number of tokens and lets go of the least recently met, and what it gives is
what decoding the token again gives."""

from __future__ import annotations

import pytest

from loglens import credentials
from loglens.credentials import Granted, TokenClaims, granted
from tests.support.tokens import mint_token


def _tokens(count: int) -> list[str]:
    return [
        mint_token(identity=f"player-{n}", room=f"room-{n}", exp=1_950_000_000, nbf=1_700_000_000) for n in range(count)
    ]


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every token the memo decodes, in order."""
    calls: list[str] = []

    def counting(token: str) -> Granted | None:
        calls.append(token)
        return granted(token)

    monkeypatch.setattr(credentials, "granted", counting)
    return calls


def test_a_log_that_cycles_through_its_tokens_decodes_each_once(decoded: list[str]) -> None:
    """A generated or a long-running log may come back to a token hundreds of credentials lines later."""
    memo, tokens = TokenClaims(size=50), _tokens(40)
    for _ in range(5):
        for token in tokens:
            memo(token)
    assert decoded == tokens


def test_the_memo_is_bounded_and_lets_go_of_the_least_recently_met(decoded: list[str]) -> None:
    memo = TokenClaims(size=3)
    a, b, c, d = _tokens(4)
    for token in (a, b, c, a, d):  # a is met again before d comes: b is the least recently met
        memo(token)
    assert len(memo._seen) == 3
    assert decoded == [a, b, c, d]
    memo(a)
    memo(c)
    assert decoded == [a, b, c, d]  # still held
    memo(b)
    assert decoded == [a, b, c, d, b]  # let go, decoded again


def test_a_remembered_token_gives_what_decoding_it_gives() -> None:
    memo, (token,) = TokenClaims(), _tokens(1)
    first, again = memo(token), memo(token)
    assert first == again == granted(token)
    assert first is not None and first.room == "room-0" and first.expires_at is not None
    assert memo("eyJnot.a.token") is None and memo("eyJnot.a.token") is None
