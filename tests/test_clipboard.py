"""`livekit --copy` with the real helpers: they never hold our stdout, a copy counts only when it arrived, and the
messages fit the situation (no display is not "install xclip"; redirected output is not "the output above")."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.support.process import LOGLENS, run

# real clipboard tools and a process per case
pytestmark = pytest.mark.slow

SAMPLE = str(SAMPLES / "editor-connected.log")
# xclip forks a child that keeps serving the selection; this stand-in does the same with whatever streams it got
FAKE_XCLIP = """#!/bin/sh
case " $* " in
  *" -o "*|*" -out "*) cat "$FAKE_CLIP" 2>/dev/null; exit 0;;
esac
cat > "$FAKE_CLIP"
( sleep 30 ) &
exit 0
"""
real_x = pytest.mark.skipif(not (shutil.which("xclip") and shutil.which("Xvfb")), reason="needs xclip and Xvfb")


@pytest.fixture
def fake_xclip(tmp_path: Path) -> dict[str, str]:
    """An environment whose only clipboard tool is the stand-in xclip, with a display set."""
    folder = tmp_path / "bin"
    folder.mkdir()
    tool = folder / "xclip"
    tool.write_text(FAKE_XCLIP)
    tool.chmod(0o755)
    path = f"{folder}:/usr/bin:/bin" if not shutil.which("xclip") else str(folder) + ":/bin"
    return {"PATH": path, "DISPLAY": ":42", "WAYLAND_DISPLAY": "", "FAKE_CLIP": str(tmp_path / "clip")}


def livekit_copy(env: dict[str, str], which: str = "token") -> subprocess.CompletedProcess[bytes]:
    """`loglens livekit SAMPLE --copy token | cat`: stdout is a pipe that must close when loglens ends."""
    return subprocess.run(
        [*LOGLENS, "livekit", SAMPLE, "--copy", which],
        capture_output=True,
        env={**os.environ, **env},
        timeout=20,  # the stand-in would hold the pipe for 30 s
    )


def test_a_helper_that_stays_behind_does_not_hold_our_stdout(fake_xclip: dict[str, str], tmp_path: Path) -> None:
    started = time.monotonic()
    done = livekit_copy(fake_xclip)
    assert time.monotonic() - started < 15
    assert done.returncode == 0 and b"copied the room token" in done.stderr
    assert (tmp_path / "clip").read_bytes() and (tmp_path / "clip").read_bytes() in done.stdout


@pytest.mark.parametrize(
    ("env", "says", "never"),
    [
        ({"DISPLAY": "", "WAYLAND_DISPLAY": ""}, "DISPLAY", "install xclip"),  # xclip there, but no display at all
        ({"DISPLAY": ":97", "WAYLAND_DISPLAY": ""}, "did not receive", "copied the"),  # a display with no server
        ({"DISPLAY": "", "WAYLAND_DISPLAY": "wayland-97"}, "did not receive", "copied the"),  # no compositor
        ({"PATH": "/nonexistent"}, "install xclip", "copied the"),  # no tool at all
    ],
)
def test_a_copy_that_did_not_arrive_says_so(env: dict[str, str], says: str, never: str) -> None:
    if not env.get("PATH") and not (shutil.which("xclip") and shutil.which("wl-copy")):
        pytest.skip("needs xclip and wl-copy installed")
    done = livekit_copy(env)
    assert done.returncode == 0  # the values are printed all the same
    assert says in done.stderr.decode() and never not in done.stderr.decode()
    assert "from the output above" not in done.stderr.decode()  # stdout went into a pipe, not above


def test_on_a_terminal_the_value_is_in_the_output_above() -> None:
    ran = run(["livekit", SAMPLE, "--copy", "token"], tty=("stdout",), env={"PATH": "/nonexistent"})
    assert ran.code == 0 and b"from the output above" in ran.err


@pytest.fixture
def xvfb() -> Iterator[str]:
    display = ":73"
    server = subprocess.Popen(["Xvfb", display, "-nolisten", "tcp"], stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            if (
                subprocess.run(["xclip", "-o"], env={**os.environ, "DISPLAY": display}, capture_output=True).returncode
                in (
                    0,
                    1,
                )
                and Path(f"/tmp/.X11-unix/X{display[1:]}").exists()
            ):
                break
            time.sleep(0.1)
        yield display
    finally:
        server.terminate()
        server.wait(10)


@real_x
@pytest.mark.parametrize("which", ["token", "url"])
def test_real_xclip_under_xvfb(xvfb: str, which: str) -> None:
    env = {"DISPLAY": xvfb, "WAYLAND_DISPLAY": ""}
    started = time.monotonic()
    done = livekit_copy(env, which)
    assert time.monotonic() - started < 15 and done.returncode == 0, done.stderr
    assert b"copied the" in done.stderr
    held = subprocess.run(
        ["xclip", "-selection", "clipboard", "-o"], env={**os.environ, **env}, capture_output=True, timeout=10
    )
    assert held.stdout and held.stdout in done.stdout  # what the clipboard holds is the value printed
