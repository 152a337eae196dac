"""The base of every value loglens hands out: frozen, closed to unknown fields, built on first use.

It has a module of its own, below everything, so that the token reader (which redaction and masking use) can
build its models without importing the event models, which import masking.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict

_set = object.__setattr__
_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {}  # each model's field names, in order, once asked for


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """A model of values that already have their fields' types, built without validating them again.

        For the models a log builds once per line (entries, footers) from values that were validated or masked
        where they were made: validation would only check them a second time. Every field is given by name, in
        the order the model declares them (the order a validated model keeps), none left to a default.
        """
        names = _FIELDS.get(cls)
        if names is None:
            names = _FIELDS[cls] = tuple(cls.__pydantic_fields__)
        if tuple(values) != names:
            raise TypeError(f"{cls.__name__}.trusted takes every field in order: {', '.join(names)}")
        model = cls.__new__(cls)
        _set(model, "__dict__", values)
        _set(model, "__pydantic_fields_set__", set(names))
        _set(model, "__pydantic_extra__", None)
        _set(model, "__pydantic_private__", None)
        return model
