"""Nothing secret leaves loglens: every command, on every sample, in every format; stdout, stderr and files.

The secrets are taken from the samples here, independently of loglens's detectors: every token (and every
16-character piece of it), the identity inside each token, API keys, end-user ids, e-mail addresses and what
the player typed. `livekit` prints the token on purpose, so only its `--list`, its explanations and its error
output are held to this.
"""

from __future__ import annotations

import base64
import codecs
import json
import re
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglens.cli import COMMANDS, app
from tests.conftest import sample_paths

SAMPLES = sample_paths()
IDS = [p.name for p in SAMPLES]

_JWT = re.compile(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+")
_KEY = re.compile(r"(?i)(?:x-api-key|api[_-]?key|convai-api-key)\W{1,4}([0-9a-f]{32})")
_END_USER = re.compile(r'(?:\\?"end_user_id\\?"\s*:\s*\\?"|End User ID: )([^"\\;\s]+)')
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_TYPED = re.compile(r"Sent user text message: (.+?)(?:</color>)?$", re.M)


def _text(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF16_LE):
        return data[2:].decode("utf-16-le")
    return data.decode("utf-8", "replace")


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    value = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return value if isinstance(value, dict) else {}


@cache
def secrets_of(path: Path) -> tuple[str, ...]:
    """Every secret in a sample, and every 16-character piece of every token."""
    text = _text(path)
    found: set[str] = set()
    for token in set(_JWT.findall(text)):
        found.add(token)
        found.update(token[i : i + 16] for i in range(len(token) - 15))
        identity = _claims(token).get("sub")
        if isinstance(identity, str) and len(identity) >= 6:
            found.add(identity)
    found.update(_KEY.findall(text))
    found.update(v for v in _END_USER.findall(text) if v.lower() not in {"none", "null"})
    found.update(e for e in _EMAIL.findall(text) if not e.endswith((".png", ".cs")))
    found.update(v.strip() for v in _TYPED.findall(text))
    return tuple(sorted(found))


def assert_clean(output: str, path: Path, where: str) -> None:
    leaked = [s for s in secrets_of(path) if s in output]
    assert not leaked, (
        f"{where} on {path.name} shows {len(leaked)} secret value(s), e.g. one of length {len(leaked[0])}"
    )


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def test_the_inventory_finds_secrets_in_the_samples() -> None:
    """The leak checks below mean something only if the samples have secrets to leak."""
    tokens = {s for p in SAMPLES for s in secrets_of(p) if s.startswith("eyJ") and s.count(".") == 2}
    assert len(tokens) >= 5
    everything = [s for p in SAMPLES for s in secrets_of(p)]
    assert any(re.fullmatch(r"[0-9a-f]{32}", s) for s in everything)  # an API key or a device id
    assert any(" " in s for s in everything)  # something a player typed


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_analyze(path: Path, fmt: str) -> None:
    code, out, err = run(["analyze", str(path), "--format", fmt, *(["--no-color"] if fmt == "text" else [])])
    assert code == 0, err
    assert_clean(out + err, path, f"analyze --format {fmt}")


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_explain_every_code_a_sample_holds(path: Path) -> None:
    _, out, _ = run(["analyze", str(path), "--format", "json"])
    codes = {c["code"] for c in json.loads(out)["codes"]}
    for name in sorted(codes) or ["transport.ice_failed"]:
        _, out, err = run(["explain", name])
        assert_clean(out + err, path, f"explain {name}")


@pytest.mark.parametrize("args", [["codes"], ["codes", "--format", "json"], ["schema"]])
def test_catalogue_commands(args: list[str]) -> None:
    code, out, err = run(args)
    assert code == 0
    for path in SAMPLES:
        assert_clean(out + err, path, " ".join(args))


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
@pytest.mark.parametrize(
    "extra",
    [
        [],
        pytest.param(["--keep-claims"], marks=pytest.mark.slow),
        ["--profile", "public"],
        pytest.param(["--profile", "public", "--keep-claims"], marks=pytest.mark.slow),
    ],
    ids=["default", "claims", "public", "public-claims"],
)
def test_redact_to_stdout(path: Path, extra: list[str]) -> None:
    code, out, err = run(["redact", str(path), *extra])
    assert code == 0, err
    assert_clean(out + err, path, f"redact {' '.join(extra)}")


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_redact_files_and_report(path: Path, tmp_path: Path) -> None:
    out, report = tmp_path / "out.log", tmp_path / "report.json"
    code, stdout, stderr = run(["redact", str(path), "-o", str(out), "--report", str(report), "--keep-claims"])
    assert code == 0, stderr
    assert_clean(stdout + stderr + report.read_text(encoding="utf-8"), path, "redact -o --report")
    assert_clean(_text(out), path, "the redacted file")


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_check(path: Path) -> None:
    _, out, err = run(["check", str(path)])
    assert_clean(out + err, path, "check")


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_livekit_list_explanations_and_errors(path: Path) -> None:
    for args in (["--list"], ["--list", "--format", "json"], ["--explain-test"]):
        code, out, err = run(["livekit", str(path), *args])
        # the list names each pair without its token: a "token" key there is the leak this test is for
        assert '"token"' not in out, f"livekit {' '.join(args)} printed a token field"
        assert_clean(out + err, path, f"livekit {' '.join(args)}")
    code, out, err = run(["livekit", str(path)])
    assert_clean(err, path, "livekit (stderr)")
    if code != 0:
        assert_clean(out, path, "livekit (failing)")


def test_every_command_is_covered() -> None:
    """A new command must be added here, so that its output is held to the same rule."""
    # COMMANDS, not `app.commands`: commands load lazily, so that dict holds only the ones a test ran already
    assert set(COMMANDS) | set(app.commands) <= {
        *("analyze", "explain", "codes", "schema", "redact", "check", "livekit", "ticket", "network"),
    }


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_ticket_bundle_and_its_messages(path: Path, tmp_path: Path) -> None:
    out, mapped = tmp_path / "bundle", tmp_path / "map.json"
    code, stdout, stderr = run(["ticket", str(path), "-o", str(out), "--zip", "--map", str(mapped)])
    assert code == 0, stderr
    assert_clean(stdout + stderr, path, "ticket (output)")
    for file in sorted(out.iterdir()):
        assert_clean(_text(file), path, f"ticket: {file.name}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle", "bundle.zip", "map.json"]


NETWORK_FORMATS = ["text", "json", *(pytest.param(f, marks=pytest.mark.slow) for f in ("markdown", "csv"))]


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_network(path: Path, fmt: str) -> None:
    _, out, err = run(["network", str(path), "--format", fmt])
    assert_clean(out + err, path, f"network --format {fmt}")
