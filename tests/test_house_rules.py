"""Short modules, short functions: no module of the package over 400 lines and no function over 60, so that each
one keeps a single job and a reader sees it whole. A module that grows past the limit gives a cohesive group of
its definitions a module of its own; a function, a helper with a name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "loglens"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60  # from its `def` to its last line; the decorators (a command's options) do not count

MODULES = sorted(PACKAGE.rglob("*.py"))


def module_lines(source: str) -> int:
    return len(source.splitlines())


def long_functions(source: str) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every function, method or nested function longer than the limit."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append((node.name, node.lineno, length))
    return found


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_every_module_is_looked_at() -> None:
    names = {_name(path) for path in MODULES}
    assert {"loglens/__init__.py", "loglens/cli/check.py", "loglens/redaction/rewrite.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_a_module_is_short(path: Path) -> None:
    lines = module_lines(path.read_text(encoding="utf-8"))
    assert lines <= MAX_MODULE_LINES, f"{_name(path)} has {lines} lines"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_its_functions_are_short(path: Path) -> None:
    assert long_functions(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("body", "long"),
    [
        (MAX_FUNCTION_LINES - 1, False),  # the def line and its body: exactly the limit
        (MAX_FUNCTION_LINES, True),  # one line more
    ],
)
def test_a_function_is_measured_from_its_def_to_its_last_line(body: int, long: bool) -> None:
    source = "@decorated\n@twice\ndef f():\n" + "    x = 1\n" * body
    assert bool(long_functions(source)) == long
    nested = "class C:\n    def m(self):\n        def inner():\n" + "            x = 1\n" * (body - 1)
    assert [name for name, _, _ in long_functions(nested)] == (["m"] if long else [])  # a method, and its nested def
