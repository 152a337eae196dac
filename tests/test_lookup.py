"""Lookups that forgive: `explain` takes codes in any case, rule ids, HTTP statuses and categories; near misses
get a suggestion wherever a name is typed, and `analyze` points out a code one typo away from a known one."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from loglens.cli import app
from loglens.errors import ExitCode


def run(args: list[str]) -> Result:
    return CliRunner().invoke(app, args)


@pytest.mark.parametrize(
    ("name", "shows"),
    [
        ("Transport.ICE_FAILED", ["transport.ice_failed", "What it means"]),  # a code, shouted
        ("  connection.timeout ", ["connection.timeout", "Retried by the SDK"]),  # pasted with blanks
        ("webrtc-blocked", ["webrtc-blocked", "severity error", "Fires on", "Fix", "Verify"]),  # a rule id
        ("WEBRTC_BLOCKED", ["webrtc-blocked", "Fires on"]),  # a rule id written like a constant
        ("401", ["HTTP 401", "connection.connect_invalid_api_key"]),  # one code for the status
        ("403", ["connection.connect_realtime_not_allowed", "connection.connect_multi_character_not_allowed"]),
        ("429", ["connection.connect_concurrency_limit_reached", "connection.connect_speaker_limit_reached"]),
        ("418", ["connection.bad_request", "catch-all"]),  # other 4xx
        ("599", ["connection.server_error"]),  # other 5xx
        ("Transport", ["transport.ice_failed", "transport.signal_disconnected"]),  # a category
    ],
)
def test_explain_finds_what_was_meant(name: str, shows: list[str]) -> None:
    result = run(["explain", name, "--no-color"])
    assert result.exit_code == ExitCode.OK, result.output
    for text in shows:
        assert text in result.stdout, text


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("transport.ice_faild", "transport.ice_failed"),  # a typo in a code
        ("ice_failed", "transport.ice_failed"),  # the part after the dot
        ("webrtc-blokced", "webrtc-blocked"),  # a typo in a rule id
        ("tranport", "transport"),  # a typo in a category
    ],
)
def test_explain_suggests_near_misses(name: str, suggestion: str) -> None:
    result = run(["explain", name])
    assert result.exit_code == ExitCode.INPUT
    assert f"did you mean {suggestion}" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("category", "code"),
    [
        ("Transport", ExitCode.OK),  # any case
        ("transport", ExitCode.OK),  # as listed
        ("transprt", ExitCode.INPUT),  # a typo: refused, with a suggestion
    ],
)
def test_codes_category_forgives_case_and_suggests(category: str, code: int) -> None:
    result = run(["codes", "--category", category, "--format", "json"])
    assert result.exit_code == code
    if code == ExitCode.OK:
        assert "transport.ice_failed" in result.stdout and "connection.timeout" not in result.stdout
    else:
        assert "did you mean transport?" in result.stderr


def test_explain_completes_codes_rules_and_categories() -> None:
    from click.shell_completion import ShellComplete

    complete = ShellComplete(app, {}, "loglens", "_LOGLENS_COMPLETE")
    assert "transport.ice_failed" in [c.value for c in complete.get_completions(["explain"], "transport.ice")]
    assert [c.value for c in complete.get_completions(["explain"], "webrtc-")] == ["webrtc-blocked"]


def test_analyze_suggests_the_known_code_one_edit_away(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text(
        "[Warning][SDK]: [SessionMetrics] Session error: connection.timout\n"
        "[Warning][SDK]: [SessionMetrics] Session error: connection.something_new\n",
        encoding="utf-8",
    )
    result = run(["analyze", str(log), "--format", "json"])
    assert result.exit_code == ExitCode.OK
    assert "connection.timout is not a known code; did you mean connection.timeout?" in result.stderr
    assert "something_new is not a known code" not in result.stderr  # nothing near: no guess


@pytest.mark.parametrize(
    ("typed", "family_name"),
    [
        ("transport", "transport"),  # as the catalogue writes it
        (" Transport ", "transport"),  # shouted, pasted with blanks
        ("CONFIG", "config"),  # another family, in capitals
    ],
)
def test_code_list_is_what_codes_json_prints(typed: str, family_name: str) -> None:
    """The library's code list and `codes --format json` are one payload; a family keeps only its own codes."""
    import json

    from loglens.lookup import code_list, family
    from loglens.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    listed = code_list(taxonomy, family(typed, taxonomy))
    assert listed and {c["category"] for c in listed} == {family_name}
    printed = json.loads(run(["codes", "--category", typed, "--format", "json"]).stdout)
    assert json.loads(json.dumps(listed)) == printed
    assert len(code_list(taxonomy)) == len(taxonomy.codes)


def test_an_unknown_family_names_the_near_miss() -> None:
    from loglens.errors import LoglensError
    from loglens.lookup import family
    from loglens.taxonomy import load_taxonomy

    with pytest.raises(LoglensError, match="unknown category 'transprot'; did you mean transport"):
        family("transprot", load_taxonomy())
