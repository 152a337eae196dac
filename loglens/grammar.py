"""Find the Lark grammar (inside the wheel or in a checkout) and build its parser once."""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark, Transformer

from loglens.diskcache import cache_dir
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


def _cache_file(text: str) -> str | bool:
    folder = cache_dir()
    if folder is None:
        return False
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return str(folder / f"grammar-{digest}-py{sys.version_info[0]}{sys.version_info[1]}.lark")


def build_parser(transformer: Transformer[Any, Any]) -> Lark:
    """An LALR parser that runs `transformer` while parsing, so no parse tree is ever built.

    The grammar analysis (about 100 ms) is cached on disk per grammar text, Lark and Python version; Lark
    checks the cached file against a hash of the grammar and its options, and rebuilds when they differ.
    """
    text = grammar_text()
    return Lark(
        text,
        cache=_cache_file(text),
        parser="lalr",
        lexer="contextual",
        start=START_RULES,
        transformer=transformer,
        maybe_placeholders=True,  # `[x]` gives None when x is absent: every rule has fixed arguments
        propagate_positions=False,
    )
