"""The diagnosis rules: a table of small logs per rule (where it must fire and near misses where it must not),
the rule catalogue's own completeness, and how diagnoses reach the text, Markdown and JSON output.

Each file in tests/cases/diagnose/ starts with a header:

    # about: one line saying what the case shows (the table's comment for that row)
    # fires: rule-id [(severity)] @ line, line, ...     one per rule that must fire, with its evidence lines
    # quiet: rule-id, rule-id, ...   (or *)               rules that must stay quiet: the near misses

Line numbers count the header, so they are the file's own line numbers; the header itself is read as blank
lines, so that its words cannot count as evidence. The rules that fire must be exactly the
ones listed, so a case also catches a rule firing where nobody expected it.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loglens import models as m
from loglens.diagnose import RULES, Evidence, Signals, run_rules
from loglens.errors import LoglensError
from loglens.render.report import to_markdown, verdict, write_text
from loglens.report import Report, analyze
from loglens.sessions import SessionBuilder
from loglens.sources import LineReader
from tests.conftest import ROOT
from tests.support.tokens import mint_token

CASES = Path(__file__).resolve().parent / "cases" / "diagnose"
RULE_IDS = [r.id for r in RULES]


@dataclass(frozen=True)
class Case:
    name: str
    about: str
    fires: dict[str, tuple[int, ...]]
    severities: dict[str, str]
    quiet: frozenset[str]
    data: bytes


_FIRES = re.compile(r"^(?P<rule>[a-z0-9-]+)(?: \((?P<severity>[a-z]+)\))? @ (?P<lines>\d+(?:, \d+)*)$")


def load_case(path: Path) -> Case:
    text = path.read_text(encoding="utf-8")
    about, fires, severities, quiet = "", {}, {}, frozenset[str]()
    header = 0
    for line in text.splitlines():
        if not line.startswith("# "):
            break
        header += 1
        key, _, value = line[2:].partition(": ")
        if key == "about":
            about = value
        elif key == "fires":
            match = _FIRES.match(value)
            assert match, f"{path.name}: bad fires line {value!r}"
            fires[match["rule"]] = tuple(int(n) for n in match["lines"].split(", "))
            if match["severity"]:
                severities[match["rule"]] = match["severity"]
        elif key == "quiet":
            quiet = frozenset(RULE_IDS) - set(fires) if value == "*" else frozenset(value.split(", "))
        else:
            raise AssertionError(f"{path.name}: unknown header {key!r}")
    assert about, f"{path.name} has no '# about:' line"
    # the header becomes blank lines, so that its words cannot count as evidence and line numbers stay put
    body = text.split("\n", header)[header]
    return Case(path.stem, about, fires, severities, quiet, ("\n" * header + body).encode("utf-8"))


ALL_CASES = [load_case(p) for p in sorted(CASES.glob("*.log"))]


def report_of(data: bytes, **kwargs: object) -> Report:
    return analyze(LineReader(io.BytesIO(data)), source="case", **kwargs)  # type: ignore[arg-type]


# --- the table ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ALL_CASES, ids=[f"{c.name}: {c.about}" for c in ALL_CASES])
def test_case(case: Case) -> None:
    """Each row is one file in tests/cases/diagnose; its `# about:` line is the row's comment."""
    diagnoses = {d.rule: d for d in report_of(case.data).diagnoses}
    assert set(diagnoses) == set(case.fires), f"{case.name}: fired {sorted(diagnoses)}"
    for rule, lines in case.fires.items():
        assert diagnoses[rule].lines == lines, f"{case.name}: {rule} evidence"
        if rule in case.severities:
            assert diagnoses[rule].severity == case.severities[rule]
        else:
            assert diagnoses[rule].severity == next(r.severity for r in RULES if r.id == rule)
    assert not case.quiet & set(diagnoses), f"{case.name}: a near-miss rule fired"


def test_case_headers_name_real_rules() -> None:
    for case in ALL_CASES:
        unknown = (set(case.fires) | case.quiet) - set(RULE_IDS)
        assert not unknown, f"{case.name} names unknown rules {unknown}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_a_positive_and_a_near_miss_case(rule_id: str) -> None:
    assert any(rule_id in c.fires for c in ALL_CASES), f"no case where {rule_id} fires"
    assert any(rule_id in c.quiet for c in ALL_CASES if c.quiet != frozenset(RULE_IDS)), (
        f"no near-miss case that names {rule_id} as quiet"
    )


# --- the catalogue of rules -----------------------------------------------------------------------------------------

REQUIRED = {
    "api-key-missing",
    "invalid-api-key",
    "character-not-found",
    "character-id-missing",
    "realtime-not-allowed",
    "convai-endpoint-blocked",
    "webrtc-blocked",
    "transport-logging-off",
    "token-expired",
    "retries-exhausted",
    "reconnect-exhausted",
    "rate-limited",
    "usage-limit",
    "concurrency-limit",
    "sdk-version-mismatch",
    "webgl-mic-insecure",
}


def test_the_issue_rules_all_exist() -> None:
    assert set(RULE_IDS) >= REQUIRED


def test_rule_ids_are_unique_kebab_case_slugs() -> None:
    assert len(RULE_IDS) == len(set(RULE_IDS))
    for rule_id in RULE_IDS:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule_id), rule_id


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_every_rule_is_complete(rule: object) -> None:
    from loglens.diagnose import Rule

    assert isinstance(rule, Rule)
    assert rule.severity in m.SEVERITY_ORDER
    assert len(rule.title) >= 10 and not rule.title.endswith(".")
    assert len(rule.cause) >= 120, "a cause is a paragraph"
    assert rule.fix and all(step.endswith((".", ")")) for step in rule.fix)
    assert rule.verify.endswith(".")
    assert 20 <= len(rule.meaning) <= 220


def _readme_rules() -> dict[str, str]:
    """The `## Diagnosis rules` table of the README: rule id -> severity."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Diagnosis rules", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (\w+) \|", section, flags=re.MULTILINE)
    return dict(rows)


def test_readme_has_the_section_just_before_architecture() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", readme, flags=re.MULTILINE)
    # the user's part ends before Development, which holds the Architecture section
    assert headings.index("Diagnosis rules") < headings.index("Development") == len(headings) - 1
    assert readme.index("## Diagnosis rules") < readme.index("### Architecture")


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_every_rule_is_in_the_readme_with_its_severity(rule: object) -> None:
    from loglens.diagnose import Rule

    assert isinstance(rule, Rule)
    assert _readme_rules().get(rule.id) == rule.severity


def test_readme_lists_no_rule_that_does_not_exist() -> None:
    assert set(_readme_rules()) == set(RULE_IDS)


# --- what the rules say ---------------------------------------------------------------------------------------------

CHAR = "6c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"
ATTEMPT_1 = (
    f"[10:00:01.000][Info][SDK]: [RoomConnectionRuntimeAdapter] Attempt 1 connecting character {CHAR} (mode=create)"
)


def _ice_log(room_url: str | None) -> bytes:
    lines = [
        "[10:00:00.000][Info][Bootstrap]: Convai Bootstrapper: Initializing...",
        ATTEMPT_1,
    ]
    if room_url:
        token = mint_token(identity="u-1", room="room-a", exp=1_950_000_000, nbf=1_700_000_000)
        lines.append(f"[10:00:01.500][Debug][Transport]: Token: {token}; Room Name: room-a; Room URL: {room_url}")
    lines.append("[10:00:30.000][Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed")
    return ("\n".join(lines) + "\n").encode()


def _case_data(name: str) -> bytes:
    return next(c.data for c in ALL_CASES if c.name == name)


def _diagnosis(data: bytes, rule_id: str) -> m.Diagnosis:
    found = [d for d in report_of(data).diagnoses if d.rule == rule_id]
    assert len(found) == 1, [d.rule for d in report_of(data).diagnoses]
    return found[0]


@pytest.mark.parametrize(
    ("room_url", "present", "absent"),
    [
        # a Convai LiveKit Cloud room: its own host is named next to the wildcard rules
        (
            "wss://convai-technologies-lfslae7c.livekit.cloud",
            ["TCP 443 to `convai-technologies-lfslae7c.livekit.cloud`", "UDP 3478 to `*.host.livekit.cloud`", "7881"],
            ["your room's LiveKit host", "7880"],
        ),
        # another Cloud project: still Cloud rules, with that project's host
        ("wss://acme-ab12cd34.livekit.cloud", ["`acme-ab12cd34.livekit.cloud`", "`*.turn.livekit.cloud`"], ["7880"]),
        # a self-hosted server: LiveKit's self-hosted ports, not the Cloud wildcards
        ("wss://rtc.example.org", ["`rtc.example.org`", "7880", "7882", "5349", "50000-60000"], ["*.livekit.cloud"]),
        # braces in a host name are shown as they are and break nothing
        ("wss://we{ird}.example.org", ["`we{ird}.example.org` is a self-hosted"], []),
        # no credentials in the log: the rules say where to find the host
        (None, ["your room's LiveKit host", "`*.turn.livekit.cloud`", "UDP 50000-60000"], []),
    ],
)
def test_webrtc_blocked_fills_in_the_rooms_own_host(
    room_url: str | None, present: list[str], absent: list[str]
) -> None:
    fix = " ".join(_diagnosis(_ice_log(room_url), "webrtc-blocked").fix)
    for text in present:
        assert text in fix
    for text in absent:
        assert text not in fix


def test_transport_logging_off_names_the_exact_setting() -> None:
    d = _diagnosis(_case_data("transport-logging-off"), "transport-logging-off")
    fix = " ".join(d.fix)
    assert "Edit > Project Settings > Convai SDK > Diagnostics" in fix
    assert "Global Log Level to Debug" in fix and "Category Transport and Level Debug" in fix
    assert "below Debug" in d.title


def test_transport_logging_off_says_the_paste_is_incomplete_when_debug_lines_are_there() -> None:
    d = _diagnosis(_case_data("transport-paste-incomplete"), "transport-logging-off")
    assert "incomplete" in d.cause and "missing" in d.title
    assert "Diagnostics" not in " ".join(d.fix)


def test_retries_exhausted_names_the_final_error() -> None:
    d = _diagnosis(_case_data("retries-four-attempts"), "retries-exhausted")
    assert "connection.service_unavailable" in d.cause
    assert "loglens explain connection.service_unavailable" in d.fix[0]


def test_token_expired_quotes_the_tokens_expiry_without_judging_it() -> None:
    d = _diagnosis(_case_data("token-expired-livekit"), "token-expired")
    assert "2001-09-09 01:46 UTC" in d.cause  # exp=1_000_000_000 of the token on line 7
    assert "(line 7)" in d.cause


def test_no_placeholder_is_left_unfilled() -> None:
    for case in ALL_CASES:
        for d in report_of(case.data).diagnoses:
            for text in (d.title, d.cause, d.verify, *d.fix):
                assert "{" not in text and "}" not in text, (case.name, d.rule, text)


def test_most_blocking_first() -> None:
    data = _case_data("endpoint-timeout-every-attempt") + (
        b"[10:03:00.000][Warning][Bootstrap]: Convai Bootstrapper: API key not configured. Please set it.\n"
    )
    diagnoses = report_of(data).diagnoses
    ranks = [m.SEVERITY_ORDER[d.severity] for d in diagnoses]
    assert ranks == sorted(ranks)
    assert diagnoses[0].rule == "api-key-missing"  # a blocker, though its line comes last


def test_diagnose_false_skips_the_rules_and_nothing_else() -> None:
    data = _case_data("endpoint-timeout-every-attempt")
    with_rules, without = report_of(data), report_of(data, diagnose=False)
    assert with_rules.diagnoses and not without.diagnoses
    # what no diagnosis cites is unexplained: without rules, that is every error line
    assert with_rules.model_copy(update={"diagnoses": (), "unexplained": ()}) == without.model_copy(
        update={"unexplained": ()}
    )


def test_the_engine_works_on_its_inputs_directly() -> None:
    """No entries, no sessions, no errors: no rule fires on nothing."""
    assert run_rules(Evidence(Signals(), [], SessionBuilder().sessions())) == ()


# --- output ---------------------------------------------------------------------------------------------------------

SECRET_KEY = "0123456789abcdef0123456789abcdef"


def _secret_log() -> tuple[bytes, list[str]]:
    token = mint_token(identity="player-jane", room="room-s", exp=1_000_000_000, nbf=999_990_000, name="Jane Doe")
    lines = [
        "[10:00:00.000][Info][Bootstrap]: Convai Bootstrapper: Initializing...",
        ATTEMPT_1,
        f"[10:00:01.100][Debug][Transport]: Request headers: X-API-Key: {SECRET_KEY}",
        f'[10:00:01.500][Debug][Transport]: Room details received: {{"token":"{token}","room_name":"room-s",'
        '"room_url":"wss://rtc.example.org","end_user_id":"jane.doe@example.com","end_user_metadata":{"name":"Jane"}}',
        f"[10:00:02.000][Error][Transport]: Transport connection failed: could not establish signal connection: "
        f"invalid token: {token}, error: token is expired (exp)",
        "[10:00:02.100][Debug][SDK]: [ConvaiRoomManager] Sent user text message: my card number is 4111",
        "[10:00:30.000][Warning][SDK]: [SessionMetrics] Session error: transport.ice_failed",
        f"livekit-client.umd.min.js:1 GET wss://rtc.example.org/rtc?access_token={token}&auto_subscribe=1 failed",
        f"livekit-client.umd.min.js:1 GET wss://rtc.example.org/rtc?access_token={token}&auto_subscribe=1 failed",
    ]
    return ("\n".join(lines) + "\n").encode(), [token, SECRET_KEY, "jane.doe@example.com", "card number", "Jane"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_no_secret_reaches_any_output(fmt: str) -> None:
    data, secrets = _secret_log()
    report = report_of(data)
    assert {"token-expired", "webrtc-blocked"} <= {d.rule for d in report.diagnoses}
    if fmt == "text":
        out = io.StringIO()
        write_text(report, out, color=False, width=120)
        text = out.getvalue()
        assert "Most repeated other lines" in text  # the access_token lines are shown, masked
    elif fmt == "markdown":
        text = to_markdown(report)
    else:
        text = report.model_dump_json()
    for secret in secrets:
        assert secret not in text


def test_json_diagnoses_carry_the_documented_fields() -> None:
    report = report_of(_case_data("webrtc-ice-failed"))
    payload = json.loads(report.model_dump_json())
    (item,) = payload["diagnoses"]
    assert {"rule", "severity", "title", "cause", "fix", "verify", "lines"} <= set(item)
    assert item["rule"] == "webrtc-blocked" and item["lines"] == [13] and len(item["fix"]) >= 3


def _text(report: Report) -> str:
    out = io.StringIO()
    write_text(report, out, color=False, width=200)
    return out.getvalue()


def test_text_shows_diagnoses_then_codes_then_timelines() -> None:
    text = _text(report_of(_case_data("endpoint-timeout-every-attempt")))
    order = [text.index(h) for h in ("Diagnoses, most blocking first", "Error codes", "Sessions")]
    assert order == sorted(order)
    assert "Fix:" in text and "Verify:" in text
    assert "Evidence: line 8, 10, 12, 14" in text
    assert "     1. Allow outbound TCP 443 to `live.convai.com`" in text


def test_markdown_shows_diagnoses_first_with_numbered_steps() -> None:
    text = to_markdown(report_of(_case_data("endpoint-timeout-every-attempt")))
    assert text.index("### Diagnoses") < text.index("### Error codes") < text.index("### Sessions")
    assert "**[error] Convai's endpoints are unreachable** (`convai-endpoint-blocked`)" in text
    assert "     1. Allow outbound TCP 443 to `live.convai.com`" in text
    assert "   - Evidence: line 8, 10, 12, 14" in text


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # nothing wrong at all
        ("clean-connected", "No problems found (1 session, 1 connected): no error codes"),
        # only an info note: still no problem, and the note is pointed at
        ("transport-logging-off", "no diagnosis rule found anything to fix; 1 note below."),
        # a real problem: no verdict
        ("webrtc-ice-failed", None),
        # no code and no rule, but an exception: not called clean
        ("exception-only", "but 1 error line that loglens cannot explain: see 'Unexplained error lines' below."),
    ],
)
def test_a_clean_log_says_so_plainly(case: str, expected: str | None) -> None:
    exception_only = b"[10:00:00.000][Info][Bootstrap]: Convai Bootstrapper: Initializing...\n\nRpcException: boom\n"
    report = report_of(exception_only if case == "exception-only" else _case_data(case))
    plain = verdict(report)
    if expected is None:
        assert plain is None
        return
    assert plain is not None and expected in plain
    assert expected in _text(report)
    assert expected in to_markdown(report)


CASE_LINES = sorted({line for c in ALL_CASES for line in c.data.decode().splitlines() if line})
JUNK = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(CASE_LINES), JUNK), max_size=40))
def test_any_mix_of_lines_diagnoses_without_error(lines: list[str]) -> None:
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    if not data.strip():
        return
    try:
        report = report_of(data)
    except LoglensError:
        return  # refused as binary: not this test's business
    ranks = [m.SEVERITY_ORDER[d.severity] for d in report.diagnoses]
    assert ranks == sorted(ranks)
    assert len({d.rule for d in report.diagnoses}) == len(report.diagnoses)
    for d in report.diagnoses:
        assert d.lines and all(1 <= n <= report.summary.lines for n in d.lines)
