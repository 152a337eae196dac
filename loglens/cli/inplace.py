"""`redact --in-place`: rewrite one file, keeping its original outside the project (never beside it).

A copy beside the log (`Editor.log.bak`) is what `git add -A` commits, secrets and all. So the original goes to a
private folder of the user's (mode 0700, the copy 0600), under a name no other run can take, and its path is
printed; a folder inside a git working tree is refused. The file is locked while it is rewritten, and it is only
replaced when it is still the file that was read.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from loglens.cli.files import shown
from loglens.errors import LoglensError

BACKUP_ENV = "LOGLENS_BACKUP_DIR"


def backup_folder() -> Path:
    """Where originals are kept: $LOGLENS_BACKUP_DIR, else the user's local state folder, never the project."""
    chosen = os.environ.get(BACKUP_ENV)
    if chosen:
        return Path(chosen)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "loglens" / "backups"
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "loglens" / "backups"


@dataclass(frozen=True)
class Seen:
    """What the file was when it was read: if any of it changed, someone else wrote it meanwhile."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, info: os.stat_result) -> Seen:
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def lock(stream: BinaryIO, name: str) -> Seen:
    """Take the file for this run alone (a second run is refused, not queued) and note what it is."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the change check below still applies
        return Seen.of(os.fstat(stream.fileno()))
    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        raise LoglensError(f"another loglens run is rewriting {shown(name)}; try again when it has finished") from exc
    return Seen.of(os.fstat(stream.fileno()))


def unchanged_since(seen: Seen, real: str, name: str) -> None:
    """Refuse to replace a file that is no longer the one that was read (Unity still writing it, another tool)."""
    try:
        now = Seen.of(os.stat(real))
    except OSError:
        now = None
    if now != seen:
        raise LoglensError(f"{shown(name)} changed while it was being redacted; it was left as it was")


def working_tree(folder: Path) -> Path | None:
    """The git working tree `folder` lies in (the nearest folder above it, or itself, that holds a `.git`), if any:
    what `git add -A` there would pick up. The folder need not exist yet."""
    for place in (folder, *folder.parents):
        try:
            if (place / ".git").exists():
                return place
        except OSError:
            continue
    return None


def keep_original(stream: BinaryIO, name: str) -> str:
    """Copy the bytes that were read (from the open file, not the path) to a new private file; return its path.
    A folder inside a git working tree is refused: the copy would be one `git add -A` away from a commit."""
    folder = Path(os.path.abspath(backup_folder()))
    tree = working_tree(folder)
    if tree is not None:
        raise LoglensError(
            f"will not keep the original in {shown(str(folder))}: it is inside the git working tree {shown(str(tree))}"
            f", where `git add -A` would commit it; set {BACKUP_ENV} to a private folder outside it, or pass "
            "--no-backup"
        )
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        handle, kept = tempfile.mkstemp(dir=folder, prefix=f"{stamp}-", suffix=f"-{Path(name).name}")
        with os.fdopen(handle, "wb") as out:  # mkstemp: mode 0600, and a name no other run can get
            stream.seek(0)
            shutil.copyfileobj(stream, out)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise LoglensError(
            f"cannot keep the original in {shown(str(folder))} ({exc.strerror or 'unwritable'}); set {BACKUP_ENV} "
            "to a private folder, or pass --no-backup"
        ) from exc
    return kept
