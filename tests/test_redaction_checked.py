"""The fail-closed "redact into a destination" call that `redact -o`, `ticket` and `api.redact_file` share."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from loglens.redaction.checked import MemoryDestination, redact_checked
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions
from loglens.redaction.verify import LeakFound
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="guest-checked-01", room="lobby-3", exp=1_935_000_000, nbf=1_750_000_000)
SIGNATURE = TOKEN.rsplit(".", 1)[1]
FILLER = "".join(f"Unity noise line {i:05d} with nothing in it\n" for i in range(600))
CREDENTIALS = f"[Debug][Transport]: Token: {TOKEN}; Room Name: lobby-3\n"
# the signature long before its token: a later block teaches the value, the first block already went out
LATE = f"sig {SIGNATURE}\n{FILLER}{CREDENTIALS}".encode()
PLAIN = f"{FILLER}{CREDENTIALS}".encode()


class Trickle(io.BytesIO):
    """A stream that hands out at most 4 KiB per read, so a small log spans many blocks."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(4096 if size is None or size < 0 else min(size, 4096))


def again(data: bytes) -> Callable[[], Trickle]:
    return lambda: Trickle(data)


@pytest.mark.parametrize(
    ("data", "reopen", "start"),
    [
        (LATE, True, b"sig <livekit-token-1>\n"),  # the re-scan finds the piece, the second pass replaces it
        (PLAIN, True, FILLER[:40].encode()),  # nothing left after one pass: the output is the plain rewrite
        (PLAIN, False, FILLER[:40].encode()),  # one pass is enough, so an input read once only is fine
    ],
)
def test_checked_output_is_clean(data: bytes, reopen: bool, start: bytes) -> None:
    out = MemoryDestination()
    run = redact_checked(
        Trickle(data), out, RedactOptions(), reopen=again(data) if reopen else None, what_happened="gone"
    )
    assert out.data.startswith(start)
    assert SIGNATURE.encode() not in out.data and TOKEN.encode() not in out.data
    assert run.report("after-writing").redactions >= 1
    if data is PLAIN:
        assert out.data == redact_bytes(data)[0]


def test_a_piece_left_with_no_second_pass_fails_closed() -> None:
    """An input that cannot be read again keeps the early piece: the call refuses, naming no value."""
    with pytest.raises(LeakFound) as caught:
        redact_checked(Trickle(LATE), MemoryDestination(), RedactOptions(), what_happened="nothing was kept")
    message = caught.value.message
    assert "line 1" in message and "nothing was kept" in message and SIGNATURE not in message
