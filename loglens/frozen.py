"""The base of every value loglens hands out: frozen, closed to unknown fields, built on first use.

It has a module of its own, below everything, so that the token reader (which redaction and masking use) can
build its models without importing the event models, which import masking.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
