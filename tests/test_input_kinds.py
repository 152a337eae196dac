"""What loglens reads from: a path that is a pipe with a writer is read (`loglens check <(cat Editor.log)`); a FIFO
nothing writes to, a device or a directory is refused at once in one line, never waited on."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from loglens.cli import app
from loglens.errors import ExitCode
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-in", room="room-in", exp=1_950_000_000, nbf=1_700_000_000)
LOG = f"[Debug][Transport]: Token: {TOKEN}; Room Name: room-in; Session ID: s-9\nplain line\n"
pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/fd are POSIX")


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(app, args, catch_exceptions=False)


def invoke_unblocked(args: list[str], fifo: Path) -> Result:
    """`invoke`, failing (not hanging) if it waits on `fifo`: a writer is opened to release it."""
    done: list[Result] = []
    worker = threading.Thread(target=lambda: done.append(invoke(args)), daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():
        with open(fifo, "wb"):
            pass
        worker.join(5)
        pytest.fail(f"{args[0]} waited on a FIFO nothing writes to")
    return done[0]


@pytest.mark.parametrize("command", [["check"], ["analyze"], ["redact", "-o", "-"], ["livekit"]])
def test_a_fifo_nothing_writes_to_is_refused_at_once(command: list[str], tmp_path: Path) -> None:
    path = tmp_path / "Editor.log"
    os.mkfifo(path)
    result = invoke_unblocked([*command, str(path)], path)
    assert result.exit_code == ExitCode.INPUT and "nothing writes to" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("late", [False, True])  # `<(cat log)` after cat has ended, and while it still writes
def test_a_pipe_with_a_writer_is_read(late: bool) -> None:
    """`loglens check <(cat Editor.log)` reads /dev/fd/N, a pipe: whether its writer is done or not yet."""
    read_end, write_end = os.pipe()

    def write() -> None:
        time.sleep(0.3)
        os.write(write_end, LOG.encode())
        os.close(write_end)

    writer = threading.Thread(target=write)
    if late:
        writer.start()
    else:
        write()
    try:
        result = invoke_unblocked(["check", f"/dev/fd/{read_end}"], Path(f"/dev/fd/{read_end}"))
    finally:
        writer.join(5) if late else None
        os.close(read_end)
    assert result.exit_code == ExitCode.FINDINGS and "livekit-token" in result.stdout + result.stderr


@pytest.mark.parametrize("command", [["check"], ["analyze"], ["redact", "-o", "-"]])
@pytest.mark.parametrize(("target", "kind"), [("/dev/null", "a device"), ("{tmp}", "a directory")])
def test_a_device_or_directory_is_refused_as_input(command: list[str], target: str, kind: str, tmp_path: Path) -> None:
    result = invoke([*command, target.format(tmp=tmp_path)])
    assert result.exit_code == ExitCode.INPUT and kind in result.stderr
