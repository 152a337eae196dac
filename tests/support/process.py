"""Run the real `loglens` console script with its streams on terminals (ptys), pipes, or a pipe already closed.

The CLI runner replaces the streams with buffers, so it cannot show what a terminal or a closed pipe does.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

LOGLENS = [sys.executable, "-c", "from loglens.cli import main; main()"]


@dataclass
class Ran:
    code: int | None  # None: still running when the time was up (it was killed)
    out: bytes
    err: bytes


def _drain(fds: dict[str, int], got: dict[str, bytearray], until: float, proc: subprocess.Popen[bytes]) -> None:
    open_fds = dict(fds)
    while open_fds and time.monotonic() < until:
        ready, _, _ = select.select(list(open_fds.values()), [], [], 0.1)
        for name, fd in list(open_fds.items()):
            if fd not in ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # a pty's reading end says EIO once the child closed it
                chunk = b""
            if not chunk:
                del open_fds[name]
            got[name] += chunk
        if proc.poll() is not None and not ready:
            break


def run(
    args: list[str],
    *,
    tty: tuple[str, ...] = ("stdout",),
    stdin: bytes | None = None,
    keys: list[bytes] | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 30,
) -> Ran:
    """Run loglens with the named streams ("stdin", "stdout", "stderr") on terminals of their own.

    `stdin` is piped in whole; `keys` are typed on a terminal stdin one after another, 0.3 s apart.
    """
    ends: dict[str, int] = {}
    parent: dict[str, int] = {}
    for name in ("stdin", "stdout", "stderr"):
        if name in tty:
            master, slave = pty.openpty()
            attrs = termios.tcgetattr(slave)
            attrs[1] &= ~termios.OPOST  # show the bytes as written: no LF -> CRLF on the way out
            termios.tcsetattr(slave, termios.TCSANOW, attrs)
        elif name == "stdin":
            slave, master = os.pipe()
        else:
            master, slave = os.pipe()
        ends[name], parent[name] = slave, master
    full_env = {**os.environ, "COLUMNS": "100", **(env or {})}
    proc = subprocess.Popen(
        [*LOGLENS, *args], stdin=ends["stdin"], stdout=ends["stdout"], stderr=ends["stderr"], env=full_env, cwd=cwd
    )
    for fd in ends.values():
        os.close(fd)
    if stdin is not None:
        os.write(parent["stdin"], stdin)
    for key in keys or []:
        time.sleep(0.3)
        os.write(parent["stdin"], key)
    if "stdin" not in tty:
        os.close(parent["stdin"])
    got = {"stdout": bytearray(), "stderr": bytearray()}
    until = time.monotonic() + timeout
    _drain({k: parent[k] for k in ("stdout", "stderr")}, got, until, proc)
    try:
        code: int | None = proc.wait(max(0.1, until - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        code = None
    for name in ("stdout", "stderr", *(("stdin",) if "stdin" in tty else ())):
        os.close(parent[name])
    return Ran(code, bytes(got["stdout"]), bytes(got["stderr"]))


def run_into_closed_pipe(args: list[str], *, cwd: Path | None = None, timeout: float = 60) -> Ran:
    """Run loglens with stdout on a pipe whose reader is already gone (`loglens ... | head` at its worst)."""
    read_end, write_end = os.pipe()
    proc = subprocess.Popen([*LOGLENS, *args], stdout=write_end, stderr=subprocess.PIPE, cwd=cwd)
    os.close(write_end)
    os.close(read_end)
    _, err = proc.communicate(timeout=timeout)
    return Ran(proc.returncode, b"", err)
