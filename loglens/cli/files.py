"""Where `redact` writes: every path is checked and opened before any work, and written without harming anything.

A regular file (or a new one) is written to a temporary file beside it and renamed over it only at the end, so a
failure leaves nothing new behind. A character device or a FIFO (`/dev/null`, `/dev/stdout`, a named pipe) is
opened and written, never replaced: replacing `/dev/null` with a regular file breaks the whole system. Anything
else (a directory, a socket, a block device) is refused.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from loglens.errors import LoglensError
from loglens.lazyre import lazy

# Names of a descriptor this process already has: written through that descriptor, whatever it is.
_FD_ALIAS = lazy(r"/dev/(?:(?P<std>stdout|stderr)|fd/(?P<fd>\d+))|/proc/self/fd/(?P<proc>\d+)")


@dataclass
class Sink:
    """One place to write: `temp` is set for a file that is renamed into place, `fd` for an opened stream."""

    name: str  # as the user gave it
    target: str  # the real path that is written or replaced
    identity: tuple[int, int] | None  # (device, inode) of what is there now
    fd: int | None = None
    temp: str | None = None
    mode: int | None = None
    done: bool = field(default=False)

    @property
    def replaces(self) -> bool:
        return self.temp is not None

    def stream(self) -> BinaryIO:
        """The binary stream to write; the caller closes it (its descriptor is this sink's own)."""
        if self.temp is not None:
            return open(self.temp, "wb")
        assert self.fd is not None
        return os.fdopen(os.dup(self.fd), "wb")

    def commit(self) -> None:
        """Put the written file in place (rename), or close the stream."""
        if self.temp is not None:
            os.chmod(self.temp, self.mode if self.mode is not None else _default_mode())
            try:
                os.replace(self.temp, self.target)
            except OSError as exc:
                raise LoglensError(f"cannot put {shown(self.name)} in place: {exc.strerror or 'unwritable'}") from exc
        self._close()
        self.done = True

    def discard(self) -> None:
        """Leave nothing behind: the temporary file goes, an opened stream is closed."""
        if self.temp is not None and not self.done:
            Path(self.temp).unlink(missing_ok=True)
        self._close()

    def _close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class FileDestination:
    """A checked redaction's output in a file (a temporary one beside the target): each pass writes it afresh
    and syncs it to disk before it is read back and scanned."""

    def __init__(self, path: str) -> None:
        self.path = path

    @contextmanager
    def writer(self) -> Iterator[BinaryIO]:
        with open(self.path, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())

    def reader(self) -> BinaryIO:
        return open(self.path, "rb")


def reopener(path: str | None) -> Callable[[], BinaryIO] | None:
    """Opens the input file again for a second pass; None for stdin or the clipboard, read once only."""
    if path is None:
        return None
    from loglens.opening import open_log

    return lambda: open_log(path, shown(path))


def shown(name: str) -> str:
    """A file name as it may appear in any message: one line, nothing a terminal would act on, and an e-mail, an
    OS user name or a key in it masked, as `analyze` masks its source (`mask_name`, the one masking of names),
    since what loglens prints to stderr ends up in tickets and CI logs too."""
    from loglens.masking import shown_name

    return shown_name(name)


def shown_home(name: str) -> str:
    """A path of the user's own shown from `~` when it lies in their home folder, so that it stays usable (a
    masked user name would not lead anywhere) and names nobody."""
    home = os.path.expanduser("~")
    if home not in ("", "~", os.sep) and (name == home or name.startswith(home.rstrip(os.sep) + os.sep)):
        return shown("~" + name[len(home.rstrip(os.sep)) :])
    return shown(name)


def prepare(name: str, *, mode: int | None = None) -> Sink:
    """Check `name` and get it ready to write; a `LoglensError` says why it cannot be, before any work is done."""
    alias = _FD_ALIAS.fullmatch(name) if os.name == "posix" else None
    if alias is not None:
        fd = {"stdout": 1, "stderr": 2}.get(alias["std"] or "") or int(alias["fd"] or alias["proc"])
        try:
            return _stream_sink(name, name, os.dup(fd))
        except OSError as exc:
            raise LoglensError(f"cannot write {shown(name)}: {exc.strerror or 'no such descriptor'}") from exc
    try:
        info = os.stat(name)
    except FileNotFoundError:
        return _new_file(name, mode)
    except OSError as exc:
        raise LoglensError(f"cannot write {shown(name)}: {exc.strerror or 'unusable path'}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise LoglensError(f"{shown(name)} is a directory; give a file name")
    if stat.S_ISREG(info.st_mode):
        real = os.path.realpath(name)  # a symbolic link stays a link: the file it points to is replaced
        keep = stat.S_IMODE(info.st_mode) if mode is None else mode
        return Sink(name, real, (info.st_dev, info.st_ino), temp=_temporary_beside(name, real), mode=keep)
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            return _stream_sink(name, name, os.open(name, flags))
        except OSError as exc:
            raise LoglensError(f"cannot write {shown(name)}: {exc.strerror or 'unwritable'}") from exc
    raise LoglensError(f"{shown(name)} is not a regular file, a character device or a FIFO; refusing to replace it")


def _stream_sink(name: str, target: str, fd: int) -> Sink:
    info = os.fstat(fd)
    return Sink(name, target, (info.st_dev, info.st_ino), fd=fd)


def _new_file(name: str, mode: int | None) -> Sink:
    if os.path.lexists(name):
        raise LoglensError(f"{shown(name)} is a symbolic link to nothing; give the file it should point to")
    real = os.path.realpath(name)
    folder = os.path.dirname(real)
    # realpath reads `missing/..` as text: the folder must exist as the system walks the name, or the target
    # can be a file that exists (the input itself)
    given = os.path.dirname(name) or os.curdir
    if not os.path.isdir(given) or not os.path.isdir(folder):
        raise LoglensError(f"cannot write {shown(name)}: no such folder {shown(given)}")
    return Sink(name, real, None, temp=_temporary_beside(name, real), mode=mode)


def _temporary_beside(name: str, real: str) -> str:
    """A new file (mode 0600) in the target's folder, so that the final rename is atomic."""
    import tempfile  # only a command that writes a file pays for it

    try:
        handle, temp = tempfile.mkstemp(dir=os.path.dirname(real), prefix=".loglens-", suffix=".tmp")
    except OSError as exc:
        raise LoglensError(f"cannot write {shown(name)}: {exc.strerror or 'unwritable folder'}") from exc
    os.close(handle)
    return temp


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def same_place(a: Sink, b: Sink) -> bool:
    """True when two sinks would write the same file (the null device excepted: writing it twice is harmless)."""
    if a.identity is not None and a.identity == b.identity:
        return not _is_null(a.identity)
    return a.identity is None and b.identity is None and a.target == b.target


def _is_null(identity: tuple[int, int]) -> bool:
    try:
        info = os.stat(os.devnull)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) == identity
