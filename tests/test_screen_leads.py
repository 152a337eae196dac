"""The block screen's leads (`Detector.leads`): an `@` that no e-mail or URL credential can hang on (a package
version in every stack frame) is not picked, and every `@` that can still is, cut, escaped or wrapped."""

from __future__ import annotations

import io

import pytest

from loglens.detectors import DetectorSet
from loglens.redaction.rewrite import redact_bytes
from loglens.redaction.rules import RedactOptions, build_rules
from loglens.redaction.scan import BlockScreen
from loglens.redaction.verify import check_stream

FRAME = b"Convai.Runtime.Room.ConvaiRoomManager:OnRoomDetails (string) (at Library/PackageCache/com.convai.sdk@4.2.1/Runtime/Room/ConvaiRoomManager.cs:31)\n"  # noqa: E501


def _screen(options: RedactOptions | None = None) -> BlockScreen:
    return BlockScreen(DetectorSet((options or RedactOptions()).detectors()), "surrogateescape")


def test_a_package_version_after_an_at_sign_is_not_picked() -> None:
    assert _screen().lines(FRAME * 3) == {}


# each holds a value behind an `@` that only a lead keeps in view: the rest is on the next line, escaped, behind a
# format character or a break tag, or the scheme is on the line before
HIDDEN = [
    b"[00:01:02.003][Info][SDK]: contact support at jane.doe.support@exam\nple.org for help\n",
    b"mail: jane.doe.support@example\\u002eorg\n",
    b"mail: jane.doe.support@example%2Eorg\n",
    b"mail: jane.doe.support@example\xe2\x80\x8b.org now\n",
    b"mail jane.doe.support@example<br>.org x\n",
    b"mail jane.doe.support@exa<br>mple.o<br>rg x\n",  # HTML pasted as one line, the domain cut twice
    b"mail jane.doe.support@exa<BR>mple.or\n",
    b"mail jane.doe.support@example.org\r\n",
    b"connect wss://player:hunter22\n@rooms.example.net/ws now\n",
    b"url wss:\\/\\/player:hunter22@rooms.example.net\\/ws now\n",
]


@pytest.mark.parametrize("log", HIDDEN)
def test_every_at_sign_a_value_may_hang_on_is_still_redacted_and_checked(log: bytes) -> None:
    out, _ = redact_bytes(FRAME + log + FRAME)
    assert b"jane.doe" not in out and b"hunter22" not in out
    assert list(check_stream(io.BytesIO(FRAME + log + FRAME)))


def test_a_users_own_literal_with_an_at_sign_keeps_every_at_line_in_view() -> None:
    options = RedactOptions(rules=build_rules(literals=["sdk@4.2.1"]))
    assert _screen(options).lines(FRAME)
    out, _ = redact_bytes(FRAME, options)
    assert b"sdk@4.2.1" not in out
