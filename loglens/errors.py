"""The exception types the library raises for problems a user can act on."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, shared by every command."""

    OK = 0
    FINDINGS = 1  # `check` found a secret, `livekit` found no credentials, redaction self-check failed
    INPUT = 2  # usage error or unusable input
    INTERNAL = 3  # a bug in loglens


class LoglensError(Exception):
    """A problem with the input or the request, reported to the user as one line.

    The message must never contain a secret: callers build it from names and counts only.
    """

    def __init__(self, message: str, code: ExitCode = ExitCode.INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class EmptyInput(LoglensError):
    """The input holds no bytes at all. Readers raise it; a caller for whom an empty log is simply clean (`check`,
    the re-scan of what redaction wrote) catches this type instead of comparing message text."""

    def __init__(self) -> None:
        super().__init__("the input is empty")
