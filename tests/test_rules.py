"""The rules' words as data: every rule has words and one check in its family's module, the data is validated
when it loads, and no data file spells a host or port that endpoints.py owns.

The cases that make each rule fire and stay quiet are in test_diagnose.py (`tests/cases/diagnose/`).
"""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import pytest

from loglens import endpoints as ep
from loglens.lookup import RuleInfo, resolve
from loglens.render.retry import retried_answer, retry_words
from loglens.report import analyze
from loglens.rules.engine import CHECKS, FAMILIES, all_rules
from loglens.rules.texts import RuleText, load_rule_texts, parse_rule_texts
from loglens.sources import LineReader
from loglens.taxonomy import RETRYABLE, Retry, load_taxonomy, parse_taxonomy, retry_of
from loglens.testguide import explain_test

PACKAGE = Path(__file__).resolve().parent.parent / "loglens"
DATA_FILES = ("rules.toml", "taxonomy.toml", "testguide.toml")

CAUSE = (
    "A paragraph that says why this happens, long enough to count as one: the loader asks for at least a hundred "
    "and twenty characters."
)
GOOD = f"""
[[rule]]
id = "sample-rule"
family = "connection"
severity = "error"
title = "A sample rule for the loader"
meaning = "A line long enough for the README table."
cause = "{CAUSE}"
fix = ["Allow TCP ${{https}} to `${{connect_api_host}}`."]
verify = "It connects."
"""


def test_every_rule_has_words_and_exactly_one_check_in_its_familys_module() -> None:
    rules = all_rules()
    assert [r.id for r in rules] == [t.id for t in load_rule_texts()]
    assert set(CHECKS) == {r.id for r in rules}
    for r in rules:
        assert r.check.__module__ == f"loglens.rules.{r.text.family}", r.id
        assert r.check.__doc__, f"the check of {r.id} says what it looks for"
    assert {r.text.family for r in rules} == set(FAMILIES)


def test_hosts_and_ports_are_filled_in_from_endpoints() -> None:
    (text,) = parse_rule_texts(GOOD)
    assert text.fix == (f"Allow TCP {ep.HTTPS} to `{ep.CONNECT_API_HOST}`.",)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("${https}", "${http}"),  # a host or port endpoints.py does not name
        ('family = "connection"', 'family = "network"'),  # a family without a module
        ('severity = "error"', 'severity = "fatal"'),  # not a severity
        ("to `${connect_api_host}`.", "to `${connect_api_host}`"),  # a fix step that is not a sentence
        ('title = "A sample rule for the loader"', 'title = "A sample rule."'),  # a title ending in a period
        ('verify = "It connects."', 'verify = "It connects."\nseverity_hint = "x"'),  # an unknown key
        ('meaning = "A line long enough for the README table."\n', ""),  # no meaning
        (CAUSE, "Short."),  # a cause of one short sentence, not a paragraph
        ('id = "sample-rule"', 'id = "Sample_Rule"'),  # not a kebab-case slug
    ],
)
def test_bad_rule_data_fails_to_load(old: str, new: str) -> None:
    assert old in GOOD
    with pytest.raises(ValueError):
        parse_rule_texts(GOOD.replace(old, new))


@pytest.mark.parametrize(
    "extra",
    [
        GOOD,  # the same id twice
        GOOD.replace('id = "sample-rule"', 'id = "other-rule"\naliases = ["sample-rule"]'),  # an alias taken by an id
    ],
)
def test_an_id_or_alias_names_one_rule(extra: str) -> None:
    with pytest.raises(ValueError, match="repeats"):
        parse_rule_texts(GOOD + extra)


def test_explain_accepts_a_rules_earlier_id(monkeypatch: pytest.MonkeyPatch) -> None:
    old = RuleInfo("new-id", "error", "t", "m", "c", ("f.",), "v.", aliases=("old-id",))
    monkeypatch.setattr("loglens.lookup.rules", lambda: (old,))
    assert resolve("old_id", load_taxonomy()) is old


def _prose(name: str) -> str:
    """A data file's strings, comments left out (they explain the placeholders by name)."""
    text = (PACKAGE / name).read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


@pytest.mark.parametrize("name", DATA_FILES)
def test_no_data_file_spells_a_host_or_port(name: str) -> None:
    prose = _prose(name)
    tomllib.loads(prose)  # still the whole file
    for host in (ep.CONNECT_API_HOST, ep.REST_HOST, ep.CLOUD_SIGNAL, ep.CLOUD_TURN, ep.CLOUD_TURN_UDP):
        assert host not in prose, f"{name} spells {host}"
    assert not re.search(r"\b(?:TCP|UDP) \d", prose), f"{name} spells a port"


@pytest.mark.parametrize(
    ("url", "signal_rule"),
    [
        ("wss://acme.livekit.cloud", f"allow TCP {ep.HTTPS} to acme.livekit.cloud"),  # LiveKit Cloud
        # a self-hosted server without a port: 443 through a TLS proxy, or its own API port
        (
            "wss://lk.example.com",
            f"allow TCP {ep.HTTPS} to lk.example.com ({ep.SELF_API} if the server is reached directly)",
        ),
        ("wss://lk.example.com:8443", "allow TCP 8443 to lk.example.com"),  # a self-hosted server's own port
        (None, f"allow TCP {ep.HTTPS} to {ep.CONVAI_LIVEKIT_HOST}"),  # no log: Convai's Cloud host
    ],
)
def test_the_test_guide_writes_its_rules_for_the_room(url: str | None, signal_rule: str) -> None:
    guide = explain_test(url)
    assert signal_rule in {f.rule for f in guide.steps[0].failures}
    resume = guide.steps[3].failures[0].rule
    assert (resume is None) == guide.cloud  # only a self-hosted server has something to configure there


# --- the retry verdict: one table of words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("retry", "phrase", "answer"),
    [
        ("yes", "retried by the SDK", "yes"),  # the SDK retries on its own
        ("no", "not retried", "no"),  # it gives up at once
        ("depends", "retry depends on where it was raised", "depends on where it was raised"),  # connection.failed
    ],
)
def test_every_view_reads_the_verdict_from_one_table(retry: Retry, phrase: str, answer: str) -> None:
    retryable = RETRYABLE[retry]
    assert retry_of(retryable) == retry
    assert retry_words(retryable, known=True) == phrase
    assert retried_answer(retryable, known=True) == answer
    assert answer.split()[0] == retry  # the `codes` column's word opens the longer answer
    assert retry_words(retryable, known=False) == retried_answer(retryable, known=False) == "unknown code"


def test_every_catalogue_code_round_trips_its_verdict() -> None:
    for info in load_taxonomy().codes:
        assert retry_of(info.retryable) == info.retry, info.code


def test_the_readme_table_says_what_the_data_says() -> None:
    """The README's `## Diagnosis rules` table carries each rule's `meaning` from rules.toml, word for word."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Diagnosis rules", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| \w+ \| (.*) \|$", section, flags=re.MULTILINE))
    assert rows == {r.id: r.meaning for r in all_rules()}


@pytest.mark.slow
def test_every_variant_of_the_words_is_used_by_a_diagnose_case(monkeypatch: pytest.MonkeyPatch) -> None:
    """A variant no check asks for is dead text; one a check asks for but the data lacks fails at run time. Every
    case file of tests/cases/diagnose runs, and the variants laid over the words must be exactly the data's."""
    used: set[tuple[str, str]] = set()
    varied = RuleText.varied

    def spy(self: RuleText, names: tuple[str, ...]) -> RuleText:
        used.update((self.id, name) for name in names)
        return varied(self, names)

    monkeypatch.setattr(RuleText, "varied", spy)
    for case in sorted((PACKAGE.parent / "tests" / "cases" / "diagnose").glob("*.log")):
        analyze(LineReader(io.BytesIO(case.read_bytes())), source=case.name)
    assert used == {(r.id, name) for r in all_rules() for name in r.text.variants}


# --- the catalogue's shared text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["causes", "fix", "retry_note", "verify"])
def test_the_catalogue_writes_each_text_once(field: str) -> None:
    raw = tomllib.loads((PACKAGE / "taxonomy.toml").read_text(encoding="utf-8"))
    values = [code.get(field, "") for code in raw["code"]]
    written = [t for v in values for t in (v if isinstance(v, list) else [v]) if t and not t.startswith("@")]
    assert len(written) == len(set(written)), f"a {field} text several codes give belongs in [shared]"
    loaded = [getattr(info, field) for info in load_taxonomy().codes]
    texts = [t for v in loaded for t in (v if isinstance(v, tuple) else (v,))]
    assert not any(t.startswith("@") for t in texts)  # every reference resolved


@pytest.mark.parametrize(
    ("steps", "fix"),
    [
        ('[shared]\nretry = "Retry."\n', '["@retry"]'),  # a shared step, resolved
        ("", '["@retry"]'),  # a reference to a step that is not there
    ],
)
def test_a_shared_step_must_exist(steps: str, fix: str) -> None:
    text = f"""{steps}
[[category]]
name = "config"
rank = 0
layer = "Project settings the SDK checks locally."

[[code]]
code = "config.sample"
title = "A sample code"
meaning = "A code for the loader's test only."
retry = "no"
causes = ["None."]
fix = {fix}
verify = "Nothing to verify."
example = "[Error][SDK]: config.sample"
documented = false
"""
    if steps:
        assert parse_taxonomy(text).codes[0].fix == ("Retry.",)
    else:
        with pytest.raises(ValueError, match="no shared text"):
            parse_taxonomy(text)
