"""The generated benchmark logs have the shape the benchmarks claim: sizes, shares of Convai lines and secrets."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from loglens.parse import could_be_convai, unwrap
from tests.support.generate import (
    DENSE_END_USERS,
    DENSE_TOKENS,
    dense_tokens,
    generate_dense_editor_log,
    generate_editor_log,
    write_editor_log,
)
from tests.support.tokens import decode_claims

Generator = Callable[..., bytes]

_END_USER = re.compile(r'(?:end_user_id":"|End User ID: )([0-9a-f]{32})')


@pytest.fixture(scope="module")
def dense() -> list[str]:
    """60,000 dense lines: enough connects to use every one of the 400 tokens."""
    return generate_dense_editor_log(60_000).decode().splitlines()


def _convai(lines: list[str]) -> list[str]:
    return [line for line in lines if could_be_convai(unwrap(line)[1])]


@pytest.mark.parametrize(
    ("generate", "n_lines"),
    [
        (generate_editor_log, 1),  # the smallest log
        (generate_editor_log, 10_000),  # sparse, the benchmarks' small size
        (generate_dense_editor_log, 1),  # the smallest dense log
        (generate_dense_editor_log, 10_000),  # dense, the benchmarks' small size
    ],
)
def test_line_count_is_exact_and_output_deterministic(generate: Generator, n_lines: int) -> None:
    data = generate(n_lines)
    assert data.count(b"\n") == n_lines and data.endswith(b"\n")
    assert generate(n_lines) == data  # the same bytes every time
    assert n_lines < 100 or generate(n_lines, seed=1) != data  # the seed changes them


@pytest.mark.parametrize(
    ("dense", "n_lines"),
    [
        (False, 25_000),  # sparse, across the writer's 10,000-line batches
        (True, 25_000),  # dense, the same
        (True, 7),  # dense, less than one batch
    ],
)
def test_streamed_file_has_the_same_bytes(tmp_path: Path, dense: bool, n_lines: int) -> None:
    path = write_editor_log(tmp_path / "Editor.log", n_lines, dense=dense)
    expected = generate_dense_editor_log(n_lines) if dense else generate_editor_log(n_lines)
    assert path.read_bytes() == expected


def test_dense_log_is_about_five_percent_convai_a_third_with_a_secret(dense: list[str]) -> None:
    convai = _convai(dense)
    with_secret = [line for line in convai if "eyJ" in line or "api-key" in line.lower()]
    assert 0.04 < len(convai) / len(dense) < 0.06
    assert 0.28 < len(with_secret) / len(convai) < 0.38


def test_dense_log_holds_every_token_and_end_user(dense: list[str]) -> None:
    text = "\n".join(dense)
    assert len(set(dense_tokens())) == DENSE_TOKENS
    assert all(token in text for token in dense_tokens())
    assert len(set(_END_USER.findall(text))) == DENSE_END_USERS


def test_dense_tokens_are_fake_hs256_room_tokens() -> None:
    """Signed with the fake secret, as LiveKit signs a room token; nothing real is in the log."""
    for token in dense_tokens()[:20]:
        signing_input, _, signature = token.rpartition(".")
        expected = hmac.new(b"fake-secret-not-real", signing_input.encode(), hashlib.sha256).digest()
        assert signature == base64.urlsafe_b64encode(expected).rstrip(b"=").decode()
        claims = decode_claims(token)
        assert claims["iss"] == "APIfake0000001" and isinstance(claims["video"], dict)


def test_dense_log_has_user_paths_in_about_seven_percent_of_frames(dense: list[str]) -> None:
    frames = [line for line in dense if " (at " in line]
    share = sum("Users/" in line for line in frames) / len(frames)
    assert 0.05 < share < 0.09


def test_dense_log_is_about_82_bytes_a_line(dense: list[str]) -> None:
    """200,000 lines make ~16.5 MB, as a support desk's Editor.log of that length does."""
    size = sum(len(line.encode()) + 1 for line in dense)
    assert 78 < size / len(dense) < 87
