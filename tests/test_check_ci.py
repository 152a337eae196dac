"""`loglens check` in CI: formats (text, JSON, SARIF 2.1.0), the summary and the advice after the list, allowed
findings (inline mark, baseline), and an exit status that does not depend on the reader of stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from loglens.cli import app
from loglens.errors import ExitCode
from tests.conftest import ROOT, SAMPLES
from tests.support.tokens import mint_token

TOKEN = mint_token(identity="player-ci", room="lobby-ci", exp=1_935_000_000, nbf=1_750_000_000)
KEY = "7d1e9a3c5b2f4e6a8c0d1f2e3a4b5c6d"
SCHEMA = json.loads((ROOT / "tests" / "support" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def run(args: list[str]) -> Result:
    return CliRunner().invoke(app, ["check", *args])


@pytest.fixture
def dirty(tmp_path: Path) -> Path:
    path = tmp_path / "Editor.log"
    path.write_text(
        f"ok\nX-API-Key: {KEY}\nToken: {TOKEN}; Room Name: r\nmail a.b@example.org\nbye\n", encoding="utf-8"
    )
    return path


def test_sarif_is_valid_2_1_0_with_a_rule_per_kind_and_a_location_per_finding(dirty: Path) -> None:
    result = run([str(dirty), str(SAMPLES / "player-ice-failed.log"), "--format", "sarif"])
    assert result.exit_code == ExitCode.FINDINGS
    sarif = json.loads(result.stdout)
    jsonschema.validate(sarif, SCHEMA)
    (only,) = sarif["runs"]
    rules = [r["id"] for r in only["tool"]["driver"]["rules"]]
    results = only["results"]
    assert sorted(rules) == rules and len(set(rules)) == len(rules)  # one rule per kind, no repeats
    assert {r["ruleId"] for r in results} == set(rules)
    for r in results:
        (loc,) = r["locations"]
        assert rules[r["ruleIndex"]] == r["ruleId"] and loc["physicalLocation"]["region"]["startLine"] >= 1
    mine = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == dirty.as_uri()]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in mine] == [
        ("api-key", 2),
        ("livekit-token", 3),
        ("email", 4),
    ]
    assert KEY not in result.stdout and TOKEN not in result.stdout and "a.b@example.org" not in result.stdout


def test_sarif_of_a_clean_file_is_valid_and_empty(tmp_path: Path) -> None:
    clean = tmp_path / "clean.log"
    clean.write_text("nothing\n", encoding="utf-8")
    result = run([str(clean), "--format", "sarif"])
    assert result.exit_code == ExitCode.OK
    sarif = json.loads(result.stdout)
    jsonschema.validate(sarif, SCHEMA)
    assert sarif["runs"][0]["results"] == []


def test_relative_paths_are_relative_uris(dirty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(dirty.parent)
    sarif = json.loads(run(["Editor.log", "--format", "sarif"]).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"Editor.log"}


def test_json_lists_findings_files_and_counts(dirty: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean.log"
    clean.write_text("nothing\n", encoding="utf-8")
    result = run([str(dirty), str(clean), "--format", "json"])
    data = json.loads(result.stdout)
    assert [(f["line"], f["kind"]) for f in data["findings"]] == [(2, "api-key"), (3, "livekit-token"), (4, "email")]
    assert all(len(f["fingerprint"]) == 64 for f in data["findings"])
    assert data["files"] == [
        {"file": str(dirty), "status": "findings", "findings": 3},
        {"file": str(clean), "status": "clean", "findings": 0},
    ]
    assert data["summary"]["by_kind"] == {"api-key": 1, "email": 1, "livekit-token": 1}
    assert KEY not in result.output and TOKEN not in result.output


def test_the_summary_and_the_fix_come_once_after_the_list(dirty: Path, tmp_path: Path) -> None:
    other = tmp_path / "Player.log"
    other.write_text(f"api_key={KEY}\n", encoding="utf-8")
    result = run([str(dirty), str(other)])
    lines = result.stderr.splitlines()
    assert lines[0] == "loglens: 4 secrets in 2 of 2 files: api-key 2, email 1, livekit-token 1"
    assert result.stderr.count("loglens redact FILE --in-place") == 1 and "-o SAFE.log" in lines[1]
    assert len(result.stdout.splitlines()) == 4


def test_quiet_prints_only_the_findings_and_verbose_names_clean_files(dirty: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean.log"
    clean.write_text("nothing\n", encoding="utf-8")
    quiet = run([str(dirty), "--quiet"])
    assert quiet.exit_code == ExitCode.FINDINGS and quiet.stderr == "" and len(quiet.stdout.splitlines()) == 3
    verbose = run([str(clean), str(dirty), "--verbose"])
    assert f"loglens: {clean}: clean" in verbose.stderr.splitlines()
    assert f"loglens: {dirty}: 3 secrets" in verbose.stderr.splitlines()
    assert "clean" not in run([str(clean)]).stderr  # without --verbose a clean run is silent


def test_a_line_marked_allow_is_counted_not_reported(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("support@example.org  # loglens: allow\nreal@example.org\n", encoding="utf-8")
    result = run([str(path)])
    assert result.stdout.splitlines() == [f"{path}:2:email"]
    assert "1 finding allowed (1 by `loglens: allow`)" in result.stderr


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (f"[09:14:03.192][Debug][Transport]: Token: {TOKEN} (loglens: allow)", "livekit-token"),
        (f"X-API-Key: {KEY} loglens: allow", "api-key"),
        (f"X-API-Key: {KEY}  # loglens: allow", "api-key"),
        ("Sent user text message: my locker code is 4471 # loglens: allow", "player-text"),  # the player typed it
        ("Sent user text message: loglens: allow my locker code is 4471", "player-text"),
        ("Sent user text message: write to me at kim@example.org # loglens: allow", "player-text"),
        ('{"note":"reach kim@example.org # loglens: allow"}', "email"),  # inside a quoted value
        ("kim@example.org loglens: allow, said the log", "email"),  # not where an annotation goes
    ],
)
def test_a_mark_in_log_data_never_excuses_credentials_or_player_text(tmp_path: Path, line: str, kind: str) -> None:
    path = tmp_path / "Editor.log"
    path.write_text(f"{line}\n", encoding="utf-8")
    result = run([str(path)])
    assert result.exit_code == ExitCode.FINDINGS, result.stderr
    assert [row.split(":")[-1] for row in result.stdout.splitlines()] == [kind]
    assert "still reported" in result.stderr and "--baseline" in result.stderr
    assert "allowed" not in result.stderr
    baseline = tmp_path / "baseline.json"
    assert run([str(path), "--write-baseline", str(baseline)]).exit_code == ExitCode.OK
    accepted = run([str(path), "--baseline", str(baseline)])  # what a reviewed baseline is for
    assert accepted.exit_code == ExitCode.OK and "still reported" not in accepted.stderr


def test_a_baseline_accepts_known_findings_by_hash_only(dirty: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    written = run([str(dirty), "--write-baseline", str(baseline)])
    assert written.exit_code == ExitCode.OK
    text = baseline.read_text(encoding="utf-8")
    assert KEY not in text and TOKEN not in text and "example.org" not in text and TOKEN[:16] not in text
    again = run([str(dirty), "--baseline", str(baseline)])
    assert again.exit_code == ExitCode.OK and "3 findings allowed (3 by the baseline)" in again.stderr
    # lines added above keep the baseline valid; a new secret is still found
    dirty.write_text("new line\n" + dirty.read_text(encoding="utf-8") + "other@example.net\n", encoding="utf-8")
    moved = run([str(dirty), "--baseline", str(baseline)])
    assert moved.exit_code == ExitCode.FINDINGS and moved.stdout.splitlines() == [f"{dirty}:7:email"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not a loglens baseline"),  # garbage
        ('{"version": 99, "findings": []}', "is not a loglens baseline"),  # a future or foreign format
        ('["a"]', "is not a loglens baseline"),  # JSON, but not an object: an array, a string, a number, null
        ('"x"', "is not a loglens baseline"),
        ("5", "is not a loglens baseline"),
        ("null", "is not a loglens baseline"),
    ],
)
def test_a_bad_baseline_is_one_line(dirty: Path, tmp_path: Path, content: str, message: str) -> None:
    baseline = tmp_path / "b.json"
    baseline.write_text(content, encoding="utf-8")
    result = run([str(dirty), "--baseline", str(baseline)])
    assert result.exit_code == ExitCode.INPUT and message in result.stderr and "Traceback" not in result.output


@pytest.mark.slow
def test_exit_status_survives_a_reader_that_stops_early(tmp_path: Path) -> None:
    """`loglens check FILE | head -1`: the gate still says 1 when the reader left after the first line."""
    path = tmp_path / "many.log"
    path.write_text("".join(f"line {n} api_key={KEY}\n" for n in range(20_000)), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "loglens", "check", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == ExitCode.FINDINGS, err
    assert first.endswith(b":api-key\n") and "Traceback" not in err and "Exception ignored" not in err


def test_findings_of_the_independent_checks_take_a_baseline_never_an_allow_mark(tmp_path: Path) -> None:
    # a piece of a token's payload with no label and no `eyJ`: only the claims check sees it
    piece = TOKEN.split(".")[1][7:90]
    path = tmp_path / "pasted.txt"
    path.write_text(f"ok\npasted: {piece}\nbye\nnoted: {piece}  # loglens: allow\n", encoding="utf-8")
    found = run([str(path)])
    assert found.exit_code == ExitCode.FINDINGS
    # line 4 is marked, and still reported: a mark in the log never excuses a credential
    assert found.stdout.splitlines() == [f"{path}:2:livekit-token (claims)", f"{path}:4:livekit-token (claims)"]
    assert "1 finding on a line marked `loglens: allow` still reported" in found.stderr
    baseline = tmp_path / "baseline.json"
    assert run([str(path), "--write-baseline", str(baseline)]).exit_code == ExitCode.OK
    again = run([str(path), "--baseline", str(baseline)])
    assert again.exit_code == ExitCode.OK, again.stdout


def test_a_baseline_masks_file_names_and_still_matches(tmp_path: Path) -> None:
    folder = tmp_path / "Users" / "Bartholomew"
    folder.mkdir(parents=True)
    log = folder / "bartholomew.q@examplemail.org.log"
    log.write_text("contact bob@examplemail.org from 198.51.100.77\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert run(["--write-baseline", str(baseline), str(log)]).exit_code == ExitCode.OK
    text = baseline.read_text(encoding="utf-8")
    assert "Bartholomew" not in text and "bartholomew.q" not in text and "examplemail" not in text
    assert {e["file"] for e in json.loads(text)["findings"]} == {str(tmp_path / "Users/<user-name>/<email>.log")}
    again = run([str(log), "--baseline", str(baseline)])
    assert again.exit_code == ExitCode.OK and "2 findings allowed (2 by the baseline)" in again.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["b.log", "--write-baseline", "b.log"],  # the log checked
        ["--write-baseline", "a.log", "b.log"],  # the option took the first log's name: a.log is not checked
        ["b.log", "--write-baseline", "./b.log"],  # the same file by another name
    ],
)
def test_write_baseline_never_replaces_a_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    body = "[Error][Connection]: contact bob@examplemail.org\n"
    for name in ("a.log", "b.log"):
        (tmp_path / name).write_text(body, encoding="utf-8")
    result = run(args)
    assert result.exit_code == ExitCode.INPUT and len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.output
    assert [p.read_text(encoding="utf-8") for p in sorted(tmp_path.iterdir())] == [body, body]  # no temporary left


def test_write_baseline_replaces_a_baseline_or_an_empty_file(dirty: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text("", encoding="utf-8")
    assert run([str(dirty), "--write-baseline", str(baseline)]).exit_code == ExitCode.OK
    assert run([str(dirty), "--write-baseline", str(baseline)]).exit_code == ExitCode.OK  # written again
    assert len(json.loads(baseline.read_text(encoding="utf-8"))["findings"]) == 3
