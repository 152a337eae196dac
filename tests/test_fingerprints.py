"""The ids `check` gives findings (baseline, JSON, SARIF): stable across runs and machines, and no way back to a value
by trying short ones in turn (a fast hash of the line gave a 4-character ICE ufrag or an IP back in a second)."""

from __future__ import annotations

import hashlib
import itertools
import json
import string
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from loglens.cli import app
from loglens.detectors import DETECTORS, STRICT_DETECTORS, DetectorSet
from loglens.errors import ExitCode
from loglens.redaction import fingerprints
from loglens.redaction.fingerprints import HALF, Fingerprints
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-fp", room="lobby-fp", exp=1_935_000_000, nbf=1_750_000_000)
FIND = DetectorSet((*DETECTORS, *STRICT_DETECTORS)).find


def run(args: list[str]) -> Result:
    return CliRunner().invoke(app, ["check", *args])


def id_of(text: str) -> str:
    spans = FIND(text)
    return Fingerprints().of(spans[0].kind, text, spans)


@pytest.fixture
def tried(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """The values scrypt is asked to hash, in order."""
    calls: list[bytes] = []
    real: Callable[..., bytes] = hashlib.scrypt

    def counting(password: bytes, **kwargs: int | bytes) -> bytes:
        calls.append(password)
        return real(password, **kwargs)

    monkeypatch.setattr(fingerprints.hashlib, "scrypt", counting)
    yield calls


def test_an_id_is_the_same_on_every_machine_and_run() -> None:
    # pinned: a change of scheme is a new baseline version, never a silent change of every id
    assert id_of("a=ice-ufrag:q7zk") == "b5bd136bb7e70c49e9cdd229595a38deb9ccb1d2f29f21c14fbaeaa96ef2fff1"
    assert id_of("mail a.b@example.org") == "617f4595c1e465ffbf78710e22813f333e1966a4827877416cd9b544634601f9"
    assert id_of("  mail a.b@example.org ") == id_of("mail a.b@example.org")  # the line's ends do not count


def test_the_frame_names_the_line_and_the_rest_the_value() -> None:
    one, other = id_of("mail a.b@example.org"), id_of("mail c.d@example.org")
    assert one[:HALF] == other[:HALF] and one != other  # a baseline entry never accepts another value
    assert id_of("write a.b@example.org")[:HALF] != one[:HALF]


def test_short_values_cost_scrypt_once_each_and_random_ones_do_not(tried: list[bytes]) -> None:
    prints = Fingerprints()
    for line in ("a=ice-ufrag:q7zk", "a=ice-ufrag:q7zk", "ufrag q7zk again", f"Token: {TOKEN}", f"Token: {TOKEN}!"):
        spans = FIND(line)
        prints.of(spans[0].kind, line, spans)
    assert tried == [b"q7zk"]  # once per distinct short value, whatever its frame; a whole JWT is beyond trying


def test_a_long_log_of_few_values_costs_a_scrypt_per_value_not_per_finding(tried: list[bytes]) -> None:
    """Thousands of findings in as many frames (a line number, a time of day) hold a few values: each value is
    tried once, so `check --format json` on a long log costs seconds, not a scrypt per finding."""
    prints = Fingerprints()
    for n in range(300):
        line = f"[12:00:{n % 60:02d}.{n:03d}] at Game.Net:Join () (at C:/Users/bart{n % 3}/Game/Net.cs:{n})"
        spans = FIND(line)
        assert spans, line
        prints.of(spans[0].kind, line, spans)
    assert sorted(tried) == [b"bart0", b"bart1", b"bart2"]


@pytest.mark.parametrize(
    "line",
    [
        '"end_user_id": "player_bartholomew_quist_19900101"',
        '"end_user_id": "5f2b8c1e9a7d4e3f8b6c2a1d9e8f7a6b"',  # even a hex one: a hash of who the player is
        "mail bartholomew.quist.19900101@examplemail.org",
    ],
)
def test_what_a_person_is_always_takes_scrypt(line: str, tried: list[bytes]) -> None:
    spans = FIND(line)
    Fingerprints().of(spans[0].kind, line, spans)
    assert tried == [line[spans[0].start : spans[0].end].encode()]


def test_a_log_line_in_a_known_frame_is_not_found_by_trying_values(tmp_path: Path) -> None:
    path = tmp_path / "x.log"
    path.write_text("a=ice-ufrag:q7zk\n[Debug][Transport]: connecting to 10.20.31.77\n", encoding="utf-8")
    result = run([str(path), "--format", "json"])
    ids = {f["fingerprint"] for f in json.loads(result.stdout)["findings"]}
    assert len(ids) == 2

    def fast(kind: str, text: str) -> str:  # what the ids were: one SHA-256 of the kind and the line
        return hashlib.sha256(f"loglens-1\0{kind}\0{text}".encode()).hexdigest()

    assert fast("ice-credential", "a=ice-ufrag:q7zk") not in ids  # the guess that would succeed
    guesses = ("a=ice-ufrag:" + "".join(c) for c in itertools.product(string.ascii_lowercase + string.digits, repeat=4))
    assert not ids & {fast("ice-credential", g) for g in itertools.islice(guesses, 1_000)}
    assert not ids & {fast("ip-address", f"[Debug][Transport]: connecting to 10.20.31.{n}") for n in range(256)}
    # knowing the frame does not help: the value half needs scrypt of the value, whatever the rest
    value_half = {i[HALF:] for i in ids}
    for guess in ("q7zk", "10.20.31.77"):
        assert hashlib.sha256(guess.encode()).hexdigest()[:HALF] not in value_half


def test_json_sarif_and_the_baseline_give_one_id(tmp_path: Path) -> None:
    path = tmp_path / "x.log"
    path.write_text("a=ice-ufrag:q7zk\nmail a.b@example.org\n", encoding="utf-8")
    shown = [f["fingerprint"] for f in json.loads(run([str(path), "--format", "json"]).stdout)["findings"]]
    sarif = json.loads(run([str(path), "--format", "sarif"]).stdout)
    assert [r["partialFingerprints"]["loglensFinding/v4"] for r in sarif["runs"][0]["results"]] == shown
    baseline = tmp_path / "baseline.json"
    assert run([str(path), "--write-baseline", str(baseline)]).exit_code == ExitCode.OK
    kept = json.loads(baseline.read_text(encoding="utf-8"))
    assert kept["version"] == 4 and [e["fingerprint"] for e in kept["findings"]] == shown


def test_a_baseline_works_out_the_slow_half_only_where_its_frame_matches(tmp_path: Path, tried: list[bytes]) -> None:
    path = tmp_path / "x.log"
    path.write_text("mail a.b@example.org\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert run([str(path), "--write-baseline", str(baseline)]).exit_code == ExitCode.OK
    path.write_text("mail a.b@example.org\n" + "".join(f"to u{n}@example.org\n" for n in range(20)), encoding="utf-8")
    tried.clear()
    result = run([str(path), "--baseline", str(baseline)])
    assert result.exit_code == ExitCode.FINDINGS and len(result.stdout.splitlines()) == 20
    assert tried == [b"a.b@example.org"]
    tried.clear()
    assert run([str(path)]).exit_code == ExitCode.FINDINGS and tried == []  # no ids at all without a use for them


def test_redaction_works_out_no_ids(tmp_path: Path, tried: list[bytes]) -> None:
    path = tmp_path / "x.log"
    path.write_text("a=ice-ufrag:q7zk\nmail a.b@example.org\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["redact", str(path), "-o", str(tmp_path / "out.log")])
    assert result.exit_code == ExitCode.OK and tried == []


@pytest.mark.parametrize("version", [1, 2, 3])  # 1: a fast hash of the line; 2, 3: scrypt salted otherwise
def test_a_baseline_of_the_older_fast_ids_must_be_written_again(tmp_path: Path, version: int) -> None:
    path = tmp_path / "x.log"
    path.write_text("mail a.b@example.org\n", encoding="utf-8")
    old = tmp_path / "baseline.json"
    old.write_text(json.dumps({"version": version, "findings": [{"fingerprint": "0" * 64}]}), encoding="utf-8")
    result = run([str(path), "--baseline", str(old)])
    assert result.exit_code == ExitCode.INPUT
    assert result.stderr.splitlines() == [
        f"loglens: error: {old} is a baseline of an older loglens: write it again with --write-baseline"
    ]
    assert run([str(path), "--write-baseline", str(old)]).exit_code == ExitCode.OK  # and it may be replaced
