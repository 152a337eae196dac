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

    Callers build the message from names and counts, never from a value; the names are a user's (a path, a config
    key, an option value) and can hold a key or an e-mail address, so the message is kept only as `mask_name`
    shows text to a user: no message of this type, printed or in a traceback, carries what that masking hides.
    """

    def __init__(self, message: str, code: ExitCode = ExitCode.INPUT) -> None:
        from loglens.masking import mask_name  # lazy: masking needs the detectors, which raise this type

        shown = mask_name(message)
        super().__init__(shown)
        self.message = shown
        self.code = code


class EmptyInput(LoglensError):
    """The input holds no bytes at all. Readers raise it; a caller for whom an empty log is simply clean (`check`,
    the re-scan of what redaction wrote) catches this type instead of comparing message text."""

    MESSAGE = "the input is empty"

    def __init__(self) -> None:
        # fixed text, nothing to mask: an empty log, which `check` takes for a clean one, costs no detectors
        Exception.__init__(self, self.MESSAGE)
        self.message = self.MESSAGE
        self.code = ExitCode.INPUT
