"""A rule is its words (rules.toml) and one check; `all_rules` pairs them, `run_rules` runs them over a log.

A check is a small function registered with `@rule("rule-id")` in the module of its family. It returns None, or
a `Hit`: the lines it saw, the values its words need (`{code}`, `{room}`), and the variants of its words that
this log calls for. Values are masked before they reach the text, and never used as a template themselves.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import NamedTuple

from loglens import models as m
from loglens.detectors import mask
from loglens.masking import Masked
from loglens.rules.evidence import Evidence
from loglens.rules.lines import KEEP
from loglens.rules.texts import RuleText, filled, load_rule_texts

FAMILIES = ("config", "connection", "transport", "session", "platform")


class Hit(NamedTuple):
    """A rule fired: the lines it saw, the values of its text, and which of its variants apply (made by `hit`)."""

    lines: tuple[int, ...]
    values: Mapping[str, str]
    variants: tuple[str, ...] = ()


def hit(lines: Iterable[int], *variants: str, values: Mapping[str, str] | None = None) -> Hit | None:
    """A `Hit` on `lines`, or None when there is no evidence: a rule never fires on nothing."""
    found = tuple(sorted(set(lines)))
    if not found:
        return None
    return Hit(found, dict(values or {}), variants)


Check = Callable[[Evidence], Hit | None]
CHECKS: dict[str, Check] = {}


def rule(rule_id: str) -> Callable[[Check], Check]:
    """Register the decorated function as the check of `rule_id`, whose words are in rules.toml."""

    def register(check: Check) -> Check:
        if rule_id in CHECKS:
            raise ValueError(f"rule {rule_id} has two checks")
        CHECKS[rule_id] = check
        return check

    return register


Pick = Callable[[Evidence], Iterable[int]]


def register_lines(module: str, table: Mapping[str, tuple[str, Pick]]) -> None:
    """Register the rules whose whole evidence is one list of lines (codes, or a signal gathered while
    streaming): for each id, why those lines count and how to read them. Each check belongs to `module`, the
    table's, and says its why as its docstring."""
    for rule_id, (why, pick) in table.items():
        rule(rule_id)(_lines_check(module, why, pick))


def _lines_check(module: str, why: str, pick: Pick) -> Check:
    def check(ev: Evidence) -> Hit | None:
        return hit(pick(ev))

    check.__module__, check.__doc__ = module, why
    return check


class Rule(NamedTuple):
    """One diagnosis: its words and its check. The text attributes are the words before a log fills them in."""

    text: RuleText
    check: Check

    @property
    def id(self) -> str:
        return self.text.id

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.text.aliases

    @property
    def severity(self) -> m.Severity:
        return self.text.severity

    @property
    def title(self) -> str:
        return filled(self.text.title, self.text.defaults)

    @property
    def meaning(self) -> str:
        return self.text.meaning

    @property
    def cause(self) -> str:
        return filled(self.text.cause, self.text.defaults)

    @property
    def fix(self) -> tuple[str, ...]:
        return tuple(filled(step, self.text.defaults) for step in self.text.fix)

    @property
    def verify(self) -> str:
        return filled(self.text.verify, self.text.defaults)

    def run(self, evidence: Evidence) -> m.Diagnosis | None:
        found = self.check(evidence)
        if found is None:
            return None
        words = self.text.varied(found.variants)
        values = {key: mask(value) for key, value in {**words.defaults, **found.values}.items()}

        def fill(text: str) -> Masked:
            return Masked(text.format_map(values))

        return m.Diagnosis(
            rule=self.id,
            severity=words.severity,
            title=fill(words.title),
            cause=fill(words.cause),
            fix=tuple(fill(step) for step in words.fix),
            verify=fill(words.verify),
            lines=found.lines[:KEEP],
            lines_omitted=max(0, len(found.lines) - KEEP),
        )


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, in the data file's order (it breaks ties within a severity); each text has exactly one check
    in the module of its family."""
    for family in FAMILIES:
        importlib.import_module(f"loglens.rules.{family}")
    texts = load_rule_texts()
    missing = {t.id for t in texts} ^ set(CHECKS)
    if missing:
        raise ValueError(f"rules without both words and a check: {sorted(missing)}")
    for text in texts:
        module = CHECKS[text.id].__module__
        if module != f"loglens.rules.{text.family}":
            raise ValueError(f"rule {text.id} is of family {text.family} but checked in {module}")
    return tuple(Rule(text, CHECKS[text.id]) for text in texts)


def run_rules(evidence: Evidence, rules: Sequence[Rule] | None = None) -> tuple[m.Diagnosis, ...]:
    """Every rule that fires, most blocking first (ties keep the rules' order)."""
    pool = all_rules() if rules is None else rules
    found = [(m.SEVERITY_ORDER[d.severity], index, d) for index, r in enumerate(pool) if (d := r.run(evidence))]
    found.sort(key=lambda item: item[:2])
    return tuple(d for _, _, d in found)
