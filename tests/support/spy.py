"""A function replaced, for one test, by one that notes its first argument and then calls it."""

from __future__ import annotations

from typing import Any

import pytest


def first_arguments(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[Any]:
    """The first argument of every call of `owner.name` from now on, in order; the calls go on as before."""
    seen: list[Any] = []
    real = getattr(owner, name)

    def noting(first: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(first)
        return real(first, *args, **kwargs)

    monkeypatch.setattr(owner, name, noting)
    return seen
