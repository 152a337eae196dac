"""loglens: read Convai Unity SDK logs and say what went wrong, safely.

The library API (see `loglens.api`):

    import loglens
    report = loglens.analyze("Editor.log")          # the Report `loglens analyze --format json` prints
    safe = loglens.redact_text(pasted_text)         # placeholders instead of secrets, line breaks kept
    data, counts = loglens.redact_file("Player.log")
    fields = loglens.livekit("Editor.log")          # the connection test's URL and token (SecretStr)

`import loglens` stays cheap: the parser, pydantic models and catalogue load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from loglens.api import analyze as analyze
    from loglens.api import livekit as livekit
    from loglens.api import redact_file as redact_file
    from loglens.api import redact_text as redact_text

__all__ = ["__version__", "analyze", "livekit", "redact_file", "redact_text"]

_API = frozenset({"analyze", "livekit", "redact_file", "redact_text"})


def __getattr__(name: str) -> Any:
    """Load the API on first use. `livekit` is also a submodule, callable as the function (see its end)."""
    if name == "livekit":
        return importlib.import_module("loglens.livekit")
    if name in _API:
        return getattr(importlib.import_module("loglens.api"), name)
    raise AttributeError(f"module 'loglens' has no attribute {name!r}")
