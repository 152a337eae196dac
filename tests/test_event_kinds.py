"""Modules tell events apart by `EventKind` members, which mypy checks, never by the words those members carry.

A `StrEnum` compares equal to its value, so `item.event == "conect-attempt"` type-checks and is silently
never true; a member name with a typo does not type-check. This test finds the string form wherever a
module compares an event's kind.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import loglens
from loglens.models import EventKind

PACKAGE = Path(loglens.__file__).parent
KIND_VALUES = frozenset(kind.value for kind in EventKind)
# The attributes that carry an EventKind: an event's own `kind`, a timeline item's `event`.
KIND_ATTRIBUTES = frozenset({"kind", "event"})


def _kind_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, value) of every string literal compared with `x.kind` or `x.event` that names an event kind."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        if not any(isinstance(side, ast.Attribute) and side.attr in KIND_ATTRIBUTES for side in sides):
            continue
        for side in sides:
            items = side.elts if isinstance(side, ast.Tuple | ast.Set | ast.List) else [side]
            found += [(node.lineno, i.value) for i in items if isinstance(i, ast.Constant) and i.value in KIND_VALUES]
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a bare string against a timeline item's event: caught
        ('x = item.event == "connect-attempt"', [(1, "connect-attempt")]),
        # a tuple of strings against an event's kind: every one caught
        ('x = e.kind in ("session-error", "bootstrap")', [(1, "session-error"), (1, "bootstrap")]),
        # the member itself: fine
        ("x = item.event is EventKind.CONNECT_ATTEMPT", []),
        # a string that is no event kind (a session outcome): not this test's business
        ('x = s.outcome == "retries-exhausted"', []),
    ],
)
def test_the_finder_sees_string_kinds(source: str, expected: list[tuple[int, str]]) -> None:
    assert _kind_strings(ast.parse(source)) == expected


def _quotes_a_kind(source: str) -> bool:
    """Cheap text screen: only a module that spells some kind in quotes can compare against one."""
    return any(f'"{value}"' in source or f"'{value}'" in source for value in KIND_VALUES)


def test_no_module_compares_an_event_kind_with_a_string() -> None:
    sources = {path: path.read_text(encoding="utf-8") for path in sorted(PACKAGE.rglob("*.py"))}
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}: {value!r}"
        for path, source in sources.items()
        if _quotes_a_kind(source)
        for line, value in _kind_strings(ast.parse(source))
    ]
    assert offenders == []
