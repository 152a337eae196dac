"""Lines that each open the same field (`Token: eyJ…` after `Token: eyJ…`) are records of their own.

Each one ends in what looks like a token cut short, so the wrap walk could take the next line's label as the rest of
it. It must not: the label stays, every value is hidden on its own line, and the walk does no join work per line
(a megabyte of such lines once took over half a minute to redact).
"""

from __future__ import annotations

import io
import random
import time

import pytest

from loglens import logical
from loglens.redaction.rewrite import Redaction, redact_bytes
from loglens.redaction.verify import verify
from tests.support.tokens import mint_token

_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _runs(count: int, label: str = "Token: ", seed: int = 1) -> list[str]:
    pick = random.Random(seed)
    return [label + "eyJ" + "".join(pick.choice(_CHARS) for _ in range(66)) for _ in range(count)]


def _redact(text: str) -> tuple[str, Redaction]:
    out, run = redact_bytes(text.encode())
    assert verify(io.BytesIO(out), run.table, run.options) == []
    return out.decode(), run


@pytest.mark.parametrize("label", ["Token: ", "token=", "Room Token: ", "  Token: "])
@pytest.mark.parametrize("count", [2, 3, 6])
def test_each_line_of_one_field_keeps_its_label_and_hides_its_value(label: str, count: int) -> None:
    lines = _runs(count, label)
    out, _ = _redact("\n".join(lines) + "\n")
    written = out.splitlines()
    assert len(written) == count
    for n, (line, row) in enumerate(zip(lines, written, strict=True), 1):
        assert row == f"{label}<livekit-token-{n}>"
        value = line[len(label) :]
        assert not any(value[k : k + 8] in out for k in range(len(value) - 8))


def test_lines_of_one_field_are_not_joined_or_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[int] = []
    reveals = logical._reveals

    def counted(*args: object, **kwargs: object) -> bool:
        tried.append(1)
        return reveals(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(logical, "_reveals", counted)
    _redact("\n".join(_runs(200)) + "\n")
    assert tried == []


def test_a_token_cut_after_its_label_still_joins_the_next_line() -> None:
    token = mint_token(identity="repeat-user", room="repeat-room", exp=1_950_000_000, nbf=1_700_000_000)
    cut = 70
    text = f"Token: {token[:cut]}\n{token[cut:]}\nToken: {token}\n"
    out, run = _redact(text)
    assert out == "Token: <livekit-token-1>\n<livekit-token-1>\nToken: <livekit-token-1>\n"
    assert run.table.distinct()["livekit-token"] == 1


@pytest.mark.slow
def test_a_megabyte_of_one_field_redacts_in_seconds() -> None:
    data = ("\n".join(_runs(12_000)) + "\n").encode()
    start = time.process_time()
    out, run = redact_bytes(data)
    assert verify(io.BytesIO(out), run.table, run.options) == []
    assert time.process_time() - start < 8


def test_a_cut_token_behind_a_repeated_label_takes_a_bounded_number_of_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line is a token cut short behind the label the line before has too: the walk that would take the next
    lines as the rest of it gives up once the run is longer than any header without its dot, instead of reading on
    to its limit of lines from every line (a megabyte of such lines took over ten seconds)."""
    from loglens import cuttoken

    looked = 0
    real = cuttoken.repeated_lead

    def counting(*args: object) -> int:
        nonlocal looked
        looked += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(cuttoken, "repeated_lead", counting)
    lines = _runs(400)
    out, _ = _redact("\n".join(lines) + "\n")
    assert out.count("<livekit-token-") == 400
    assert looked < 400 * (cuttoken.MAX_HEADER // 66 + 3), looked
