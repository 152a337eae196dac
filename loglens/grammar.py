"""Find the Lark grammar (inside the wheel or in a checkout) and build its parser once."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark, Transformer

from loglens.errors import ExitCode, LoglensError

GRAMMAR = "convai.lark"
START_RULES = ["line", "generic"]


def grammar_path(name: str = GRAMMAR) -> Path:
    """The installed copy (`loglens/grammars/`) wins; a source checkout falls back to `grammars/`."""
    here = Path(__file__).resolve().parent
    for folder in (here / "grammars", here.parent / "grammars"):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise LoglensError(f"grammar file {name} is missing from the installation", ExitCode.INTERNAL)


@cache
def grammar_text(name: str = GRAMMAR) -> str:
    return grammar_path(name).read_text(encoding="utf-8")


def build_parser(transformer: Transformer[Any, Any]) -> Lark:
    """An LALR parser that runs `transformer` while parsing, so no parse tree is ever built."""
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        start=START_RULES,
        transformer=transformer,
        maybe_placeholders=False,
        propagate_positions=False,
    )
