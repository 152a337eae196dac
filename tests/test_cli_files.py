"""Where `redact` writes: devices and FIFOs are opened, never replaced; every path is checked before any work;
--in-place follows a link, locks the file and keeps the original outside the project; signals clean up."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import stat
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from loglens.cli import app
from loglens.errors import ExitCode
from tests.conftest import backups_of
from tests.support.process import LOGLENS, run
from tests.support.tokens import mint_token

# devices, FIFOs, signals and concurrent runs: a process per case
pytestmark = pytest.mark.slow

TOKEN = mint_token(identity="player-9", room="room-files", exp=1_950_000_000, nbf=1_700_000_000)
LOG = f"[Debug][Transport]: Token: {TOKEN}; Room Name: room-files; Session ID: s-9\nplain line\n"
root_only = pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(app, args, catch_exceptions=False)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "Editor.log"
    path.parent.mkdir()
    path.write_text(LOG, encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    """Temporary files redact left anywhere under `folder`."""
    return [p.name for p in folder.rglob(".loglens-*")]


# --- 9.7: devices and FIFOs --------------------------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[Path, list[bytes]]]:
    """A FIFO with a reader that collects what is written to it."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as reader:
            got.append(reader.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    yield path, got
    if reader.is_alive():  # nothing opened it: release the reader
        with open(path, "wb"):
            pass
    reader.join(5)


@pytest.mark.parametrize("option", ["-o", "--map", "--report"])  # each output of redact
def test_a_fifo_is_written_through_and_stays_a_fifo(
    option: str, log: Path, tmp_path: Path, fifo: tuple[Path, list[bytes]]
) -> None:
    path, got = fifo
    args = ["redact", str(log), option, str(path)] + (["-o", str(tmp_path / "out.log")] if option != "-o" else [])
    result = invoke(args)
    assert result.exit_code == 0, result.stderr
    time.sleep(0.2)
    assert stat.S_ISFIFO(path.lstat().st_mode)
    written = b"".join(got).decode("utf-8")
    expected = {"-o": "<livekit-token-1>", "--map": TOKEN, "--report": '"redactions"'}[option]
    assert expected in written
    assert TOKEN not in written or option == "--map"


@root_only
@pytest.mark.parametrize("option", ["-o", "--map", "--report"])  # each output of redact
def test_a_character_device_is_written_and_stays_a_device(option: str, log: Path, tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private copy of /dev/null
    args = ["redact", str(log), option, str(null)] + (["-o", str(tmp_path / "out.log")] if option != "-o" else [])
    result = invoke(args)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)  # still the device, not a file of secrets
    assert not leftovers(tmp_path)


def test_dev_stdout_is_stdout(log: Path) -> None:
    # (the real /dev/null is never a target here: a regression would replace it; the private device above stands in)
    done = subprocess.run([*LOGLENS, "redact", str(log), "-o", "/dev/stdout"], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert b"<livekit-token-1>" in done.stdout and TOKEN.encode() not in done.stdout


def test_a_socket_is_refused(log: Path, tmp_path: Path) -> None:
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        result = invoke(["redact", str(log), "-o", str(path)])
    finally:
        server.close()
    assert result.exit_code == ExitCode.INPUT and "refusing" in result.stderr
    assert stat.S_ISSOCK(path.lstat().st_mode)


# --- 9.8: paths checked before any work ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--map", "{tmp}/same.json", "--report", "{tmp}/same.json"], "same file"),  # the report would replace the map
        (["--map", "/proc/x.json"], "cannot write"),  # a folder nobody can write in
        (["--map", "{tmp}"], "directory"),  # a folder
        (["--report", "/nonexistent/r.json"], "no such folder"),  # a folder that does not exist
        (["--map", "{tmp}/out.log"], "same file"),  # the map inside the output
        (["--report", "{log}"], "input"),  # the report over the input
    ],
)
def test_bad_paths_are_refused_before_anything_is_written(
    extra: list[str], message: str, log: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.log"
    args = ["redact", str(log), "-o", str(out), *(a.format(tmp=tmp_path, log=log) for a in extra)]
    result = invoke(args)
    assert result.exit_code == ExitCode.INPUT and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists() and not (tmp_path / "same.json").exists() and not leftovers(tmp_path)
    assert log.read_text(encoding="utf-8") == LOG


def test_the_map_to_stdout_beside_the_output_is_refused(log: Path) -> None:
    done = subprocess.run([*LOGLENS, "redact", str(log), "--map", "/dev/stdout"], capture_output=True, timeout=60)
    assert done.returncode == ExitCode.INPUT and TOKEN.encode() not in done.stdout


def test_in_place_on_a_link_redacts_its_target_and_says_so(log: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.log"
    link.symlink_to(log)
    result = invoke(["redact", str(link), "--in-place"])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and link.resolve() == log.resolve()
    assert TOKEN not in log.read_text(encoding="utf-8") and "symbolic link" in result.stderr


def test_in_place_on_a_file_another_run_holds_is_refused(log: Path, tmp_path: Path) -> None:
    with open(log, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # what a concurrent --in-place run holds
        result = invoke(["redact", str(log), "--in-place"])
    assert result.exit_code == ExitCode.INPUT and "another loglens run" in result.stderr
    assert log.read_text(encoding="utf-8") == LOG and not backups_of(tmp_path).exists()


def test_concurrent_in_place_runs_each_report_their_own_original(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    path.write_text(LOG * 8_000, encoding="utf-8")
    original = path.read_bytes()
    runs = [subprocess.Popen([*LOGLENS, "redact", str(path), "--in-place"], stderr=subprocess.PIPE) for _ in range(3)]
    messages = [r.communicate(timeout=120)[1].decode() for r in runs]
    for message in messages:
        for line in message.splitlines():
            if "is kept at " in line:  # every backup a run names holds what that run read: the original
                kept = line.split("is kept at ", 1)[1].split(", mode")[0]
                assert Path(kept).read_bytes() == original
    assert TOKEN not in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.log"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])  # a terminal closed, a service stopped
def test_a_signal_during_output_leaves_nothing(signum: int, tmp_path: Path) -> None:
    out = tmp_path / "out.log"
    proc = subprocess.Popen(
        [*LOGLENS, "redact", "-", "-o", str(out)], stdin=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    )
    assert proc.stdin is not None
    proc.stdin.write(LOG.encode() * 10_000)  # more than one block: the output is being written
    proc.stdin.flush()
    deadline = time.monotonic() + 30
    while not leftovers(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(tmp_path), "redact did not start writing"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and b"interrupted" in err
    assert not out.exists() and not leftovers(tmp_path)


# --- 8.12: --in-place keeps no copy of the secrets in the working tree ---------------------------------------------


@pytest.mark.parametrize(
    ("prepare", "expected"),
    [
        (lambda p: None, ["Editor.log"]),  # the first run
        (lambda p: (p.parent / "Editor.log.bak").write_text("old"), ["Editor.log", "Editor.log.bak"]),  # no .bak.2
    ],
)
def test_in_place_leaves_nothing_beside_the_file(
    prepare: Callable[[Path], object], expected: list[str], log: Path, tmp_path: Path
) -> None:
    prepare(log)
    result = invoke(["redact", str(log), "--in-place"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in log.parent.iterdir()) == expected
    folder = backups_of(tmp_path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [p.read_text(encoding="utf-8") for p in folder.iterdir()] == [LOG]


def test_in_place_without_backup_keeps_no_copy(log: Path, tmp_path: Path) -> None:
    result = invoke(["redact", str(log), "--in-place", "--no-backup"])
    assert result.exit_code == 0 and "no copy" in result.stderr
    assert not backups_of(tmp_path).exists() and TOKEN not in log.read_text(encoding="utf-8")


def test_in_place_on_a_clean_file_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "clean.log"
    path.write_text("nothing secret here\n", encoding="utf-8")
    before = path.stat()
    result = invoke(["redact", str(path), "--in-place"])
    assert result.exit_code == 0 and "left as it was" in result.stderr
    assert path.stat().st_ino == before.st_ino and not backups_of(tmp_path).exists()


def test_the_default_backup_folder_is_the_users_state_folder(log: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_STATE_HOME": "", "LOGLENS_BACKUP_DIR": ""}
    ran = run(["redact", str(log), "--in-place"], tty=(), env=env)
    assert ran.code == 0, ran.err
    (kept,) = (home / ".local" / "state" / "loglens" / "backups").iterdir()
    assert kept.read_text(encoding="utf-8") == LOG
    assert f"kept at ~/{kept.relative_to(home).as_posix()}, mode 0600".encode() in ran.err  # findable, names no one


@pytest.mark.slow
def test_pre_commit_hook_after_in_place_and_git_add_all_commits_no_secret(tmp_path: Path) -> None:
    """The real pre-commit tool and git: redact --in-place, `git add -A`, the hook passes, the commit is clean."""
    checkout = Path(__file__).resolve().parent.parent
    repo = tmp_path / "game"
    (repo / "Logs").mkdir(parents=True)
    (repo / "Logs" / "Editor.log").write_text(LOG, encoding="utf-8")
    env = {**os.environ, "HOME": str(tmp_path / "home"), "LOGLENS_BACKUP_DIR": "", "XDG_STATE_HOME": ""}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-cache")

    def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=check)

    sh("git", "init", "-q")
    sh("git", "config", "user.email", "dev@example.invalid")
    sh("git", "config", "user.name", "dev")
    sh("git", "add", "-A")
    caught = sh("pre-commit", "try-repo", str(checkout), "loglens-check", check=False)
    assert caught.returncode == 1 and "Editor.log" in caught.stdout  # the hook sees the raw log
    sh(*LOGLENS, "redact", "Logs/Editor.log", "--in-place")
    sh("git", "add", "-A")
    passed = sh("pre-commit", "try-repo", str(checkout), "loglens-check", check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    sh("git", "commit", "-q", "-m", "logs")
    names = sh("git", "ls-tree", "-r", "--name-only", "HEAD").stdout.split()
    assert names == ["Logs/Editor.log"]
    for name in names:
        assert TOKEN not in sh("git", "show", f"HEAD:{name}").stdout
    assert json.dumps(TOKEN)[1:-1] not in sh("git", "log", "-p").stdout
