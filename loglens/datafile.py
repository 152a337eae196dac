"""Reading loglens's own TOML data (the catalogue, the rules' words, the test guide) the same way everywhere.

Two kinds of reference keep each fact in one place: `@name` stands for a text of the file's `[shared]` table
(a step or sentence several entries give), and `${name}` for a host or port of `endpoints.py`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from loglens.endpoints import fill


def fill_all(value: object) -> object:
    """Every string inside a loaded TOML value (tables, arrays) with its `${name}` hosts and ports filled in."""
    if isinstance(value, str):
        return fill(value)
    if isinstance(value, list):
        return [fill_all(item) for item in value]
    if isinstance(value, dict):
        return {key: fill_all(item) for key, item in value.items()}
    return value


def expand(entry: Mapping[str, object], shared: Mapping[str, str], fields: Collection[str]) -> dict[str, object]:
    """`entry` with every `@name` in `fields` (a text, or a list of texts) replaced by its shared text."""
    return {key: _shared(value, shared) if key in fields else value for key, value in entry.items()}


def _shared(value: object, shared: Mapping[str, str]) -> object:
    if isinstance(value, list):
        return [_shared(item, shared) for item in value]
    if not isinstance(value, str) or not value.startswith("@"):
        return value
    if value[1:] not in shared:
        raise ValueError(f"no shared text is called {value[1:]!r}")
    return shared[value[1:]]
