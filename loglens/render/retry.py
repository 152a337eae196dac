"""How the SDK's retry verdict reads, in every view: one table, so the text report, Markdown, tickets and the
catalogue cannot drift apart. The terse column of `loglens codes` prints the catalogue's own word (yes, no,
depends); everything longer is here."""

from __future__ import annotations

from loglens.taxonomy import Retry, retry_of

# (the verdict on its own, after a code; the answer under a "Retried" header, which already asks the question)
WORDS: dict[Retry, tuple[str, str]] = {
    "yes": ("retried by the SDK", "yes"),
    "no": ("not retried", "no"),
    "depends": ("retry depends on where it was raised", "depends on where it was raised"),
}
UNKNOWN = "unknown code"  # a code the catalogue does not know has no verdict


def retry_words(retryable: bool | None, known: bool) -> str:
    """The verdict as a phrase of its own."""
    return WORDS[retry_of(retryable)][0] if known else UNKNOWN


def retried_answer(retryable: bool | None, known: bool) -> str:
    """The verdict as the answer to "retried?"."""
    return WORDS[retry_of(retryable)][1] if known else UNKNOWN
