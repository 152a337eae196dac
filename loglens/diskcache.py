"""The per-user cache folder, and the shipped TOML data files read from it as JSON.

`tomllib` is pure Python: the catalogue and the rule words took a paste's analysis 20 ms to parse on every run.
The parsed data of a shipped file is kept as JSON (which loads in C), named by a hash of the TOML text, so an
edited or upgraded file is parsed again; a file that is damaged, or holds anything but the same data, is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any


def cache_dir() -> Path | None:
    """A folder only this user can write, for the analysed grammar; None when there is none to be had.

    Not the shared temporary folder Lark uses by default: its cache is a pickle, and a file another user
    planted there would run as code in ours.
    """
    if override := os.environ.get("LOGLENS_CACHE_DIR"):
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "loglens" / "Cache"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "loglens"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "loglens"
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        if sys.platform != "win32" and (base.stat().st_uid != os.getuid() or base.stat().st_mode & 0o022):
            return None
    except (OSError, RuntimeError):
        return None
    return base


def toml_data(text: str, *, keep: bool = True) -> dict[str, Any]:
    """`tomllib.loads(text)`; for a shipped data file (`keep`), from the JSON kept in the cache folder when there
    is one. Text given by a user or a test is only parsed, never kept."""
    folder = cache_dir() if keep else None
    cached = folder / f"data-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.json" if folder else None
    if cached is not None:
        try:
            data = json.loads(cached.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
        except (OSError, ValueError):
            pass  # missing or damaged: parse the TOML and write it again
    import tomllib

    data = tomllib.loads(text)
    if cached is not None:
        _keep(cached, data)
    return data


def _keep(path: Path, data: dict[str, Any]) -> None:
    """Write `data` as JSON beside the others, atomically; only when JSON gives back the very same data."""
    try:
        written = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError):
        return  # a TOML date or time has no JSON form: parse this file every time
    if json.loads(written) != data:
        return
    import tempfile

    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(written)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
