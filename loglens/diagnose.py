"""Diagnoses: the rules of `loglens.rules` run over a log's evidence, to say why something failed and what to do.

The words of each rule are data (`loglens/rules.toml`), its check a small function in `loglens/rules/`; this
module is the face the report builds on: gather `Signals` while streaming, wrap them with the codes and sessions
in `Evidence`, and `run_rules` once at the end. `RULES` is every rule, read on first use.
"""

from __future__ import annotations

from loglens.rules.engine import Hit, Rule, all_rules, hit, run_rules
from loglens.rules.evidence import Evidence
from loglens.rules.signals import Signals

__all__ = ["Evidence", "Hit", "Rule", "Signals", "hit", "run_rules"]


def __getattr__(name: str) -> tuple[Rule, ...]:
    """`RULES`, loaded lazily so that importing this module reads no data file."""
    if name == "RULES":
        return all_rules()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
