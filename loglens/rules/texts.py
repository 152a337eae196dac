"""The words of every diagnosis rule, as data: `loglens/rules.toml`, validated by pydantic at first use.

The checks in this package decide whether a rule fires; everything a user reads (title, cause, fix steps, verify
step, severity, the README's one-line meaning) is in the data file, beside the error-code catalogue. Hosts and
ports are written there as `${name}` and filled in from `endpoints.py`, their one home.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import Field, field_validator

from loglens import models as m
from loglens.datafile import expand, fill_all
from loglens.diskcache import toml_data

Family = Literal["config", "connection", "transport", "session", "platform"]
RULE_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _steps(steps: tuple[str, ...]) -> tuple[str, ...]:
    for step in steps:
        if not step.endswith((".", ")")):
            raise ValueError(f"a fix step is a sentence: {step!r}")
    return steps


class Variant(m.Frozen):
    """What a rule says instead when its check finds a particular case (recovered later, self-hosted, ...)."""

    severity: m.Severity | None = None
    title: str | None = None
    cause: str | None = None
    note: str | None = Field(default=None, description="Appended to the cause.")
    fix: tuple[str, ...] | None = None
    verify: str | None = None

    @field_validator("fix")
    @classmethod
    def _sentences(cls, fix: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if fix is None else _steps(fix)


class RuleText(m.Frozen):
    """One rule's words. `{name}` marks a value the check fills from the log; `defaults` stands in otherwise."""

    id: str = Field(pattern=RULE_ID)
    family: Family
    severity: m.Severity
    title: str = Field(min_length=10, pattern=r"[^.]$")
    meaning: str = Field(min_length=20, max_length=220, description="The README table's one line.")
    cause: str = Field(min_length=120, description="A paragraph.")
    fix: tuple[str, ...] = Field(min_length=1)
    verify: str = Field(pattern=r"\.$")
    aliases: tuple[str, ...] = Field(default=(), description="Earlier ids that still name this rule.")
    defaults: dict[str, str] = Field(default_factory=dict)
    variants: dict[str, Variant] = Field(default_factory=dict)

    @field_validator("fix")
    @classmethod
    def _sentences(cls, fix: tuple[str, ...]) -> tuple[str, ...]:
        return _steps(fix)

    def varied(self, names: tuple[str, ...]) -> RuleText:
        """These words with the named variants laid over them, in order."""
        text = self
        for name in names:
            variant = self.variants[name]
            changes = {k: v for k, v in variant.model_dump(exclude={"note"}).items() if v is not None}
            text = text.model_copy(update=changes)
            if variant.note:
                text = text.model_copy(update={"cause": f"{text.cause} {variant.note}"})
        return text


class _Keep(dict[str, str]):
    """A format mapping that leaves a value nobody gave as its `{name}`."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def filled(text: str, values: Mapping[str, str]) -> str:
    """`text` with the values known so far; braces inside a value stay as they are (it is never a template)."""
    return text.format_map(_Keep(values))


SHARED_FIELDS = ("cause", "note", "fix", "verify")


def _expanded(entry: dict[str, object], shared: dict[str, str]) -> dict[str, object]:
    """A rule's entry with `@name` references resolved, in its own words and in every variant's."""
    variants = entry.get("variants", {})
    assert isinstance(variants, dict)
    return {
        **expand(entry, shared, SHARED_FIELDS),
        "variants": {name: expand(v, shared, SHARED_FIELDS) for name, v in variants.items()},
    }


def parse_rule_texts(text: str, *, shipped: bool = False) -> tuple[RuleText, ...]:
    """Validate rule data (TOML with `[[rule]]` tables and `[shared]` text), references resolved; ids must be
    unique. The `shipped` data's parsed TOML is kept in the cache folder."""
    data = toml_data(text, keep=shipped)
    shared = data.get("shared", {})
    raw = fill_all([_expanded(entry, shared) for entry in data.get("rule", [])])
    assert isinstance(raw, list)
    texts = tuple(RuleText.model_validate(entry) for entry in raw)
    names = [name for t in texts for name in (t.id, *t.aliases)]
    if len(names) != len(set(names)):
        raise ValueError("rules data repeats a rule id or alias")
    return texts


@cache
def load_rule_texts() -> tuple[RuleText, ...]:
    """The rule data shipped with the package, read once on first use."""
    text = resources.files("loglens").joinpath("rules.toml").read_text(encoding="utf-8")
    return parse_rule_texts(text, shipped=True)


DEBUG_LOGGING_RULE = "transport-logging-off"


def debug_logging_advice() -> str:
    """How to turn Transport logging up to Debug, as one paragraph: the fix steps of the rule that asks for it,
    so that every command giving this advice says the same."""
    return " ".join(next(t.fix for t in load_rule_texts() if t.id == DEBUG_LOGGING_RULE))
