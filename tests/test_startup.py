"""Start-up stays cheap: the command line loads only what the command it runs needs."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pickle
import re
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from loglens.cli import COMMANDS, app
from loglens.grammar import build_parser, cache_dir
from loglens.lazyre import LazyRegex, lazy
from tests.conftest import ROOT

HELP_RUN = (
    "import sys\nsys.argv = ['loglens', '--help']\nfrom loglens.cli import main\ntry: main()\nexcept SystemExit: pass"
)
# dataclasses: a frozen dataclass costs ten times a named tuple to define, and the command line needs neither
HEAVY = ("rich", "lark", "loglens.detectors", "loglens.redaction", "loglens.models", "loglens.rules", "dataclasses")


def python(*args: str) -> subprocess.CompletedProcess[str]:
    """`python ARGS` run from the checkout, with loglens importable from it; fails the test when it fails."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )


def imported_modules(code: str) -> set[str]:
    """The modules `python -X importtime -c CODE` imported, from its own report."""
    done = python("-X", "importtime", "-c", code)
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.mark.parametrize(
    "code",
    [
        "import loglens.cli",  # what every command pays
        HELP_RUN,
    ],
    ids=["import", "help"],
)
def test_command_line_start_up_loads_nothing_heavy(code: str) -> None:
    names = imported_modules(code)
    assert "loglens.cli" in names  # the report was read at all
    for heavy in HEAVY:
        assert heavy not in names, f"{heavy} is imported before any command runs"


def test_every_registered_command_is_in_the_lazy_table() -> None:
    for module in {entry.module for entry in COMMANDS.values()}:
        importlib.import_module(module)
    assert set(app.commands) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_lazy_summary_is_the_commands_own(name: str) -> None:
    importlib.import_module(COMMANDS[name].module)
    command = app.commands[name]
    assert command.help is not None
    first_paragraph = inspect.cleandoc(command.help).split("\n\n")[0].replace("\n", " ")
    assert COMMANDS[name].summary == first_paragraph


def test_help_lists_every_command_whether_loaded_or_not(monkeypatch: pytest.MonkeyPatch) -> None:
    # with nothing loaded, the table speaks; with everything loaded, the commands do: the listing is the same
    for name in COMMANDS:
        assert app.get_command(click.Context(app), name) is not None
    everything = dict(app.commands)
    monkeypatch.setattr(app, "commands", {})
    lazy = CliRunner().invoke(app, ["--help"]).output
    assert not app.commands  # listing did not import anything
    monkeypatch.setattr(app, "commands", everything)
    loaded = CliRunner().invoke(app, ["--help"]).output
    assert lazy == loaded
    for name in COMMANDS:
        assert f"  {name} " in lazy


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["analyse"])
    assert result.exit_code == 2
    assert "No such command" in result.output


# --- the grammar analysis, cached on disk ----------------------------------------------------------------------


def test_grammar_cache_is_written_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from loglens.events import ToEvents

    monkeypatch.setenv("LOGLENS_CACHE_DIR", str(tmp_path / "cache"))
    first = build_parser(ToEvents())
    files = list((tmp_path / "cache").iterdir())
    assert len(files) == 1 and files[0].stat().st_size > 1000
    assert (tmp_path / "cache").stat().st_mode & 0o077 == 0  # nobody else can plant a pickle there
    again = build_parser(ToEvents())  # from the cache
    line = "[Error][Transport]: Transport connection failed: timeout"
    assert type(first.parse(line, start="line")) is type(again.parse(line, start="line"))


def test_the_cache_file_changes_with_the_grammar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached analysis of another grammar text is never loaded for this one."""
    from loglens.grammar import _cache_file, grammar_text

    monkeypatch.setenv("LOGLENS_CACHE_DIR", str(tmp_path))
    text = grammar_text()
    assert _cache_file(text) == _cache_file(text)
    assert _cache_file(text) != _cache_file(text + "\n// one more comment\n")


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from loglens.events import ToEvents

    monkeypatch.setenv("LOGLENS_CACHE_DIR", str(tmp_path))
    build_parser(ToEvents())
    (cached,) = tmp_path.iterdir()
    cached.write_bytes(b"not a cache\n" + os.urandom(64))
    parser = build_parser(ToEvents())
    assert parser.parse("[Info][SDK]: hello", start="line") is not None


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_folder_others_can_write_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("LOGLENS_CACHE_DIR", str(shared))
    assert cache_dir() is None


def test_no_cache_folder_still_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from loglens.events import ToEvents

    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("LOGLENS_CACHE_DIR", str(blocker / "sub"))  # cannot be created
    assert cache_dir() is None
    assert build_parser(ToEvents()).parse("[Info][SDK]: hello", start="line") is not None


# --- detector patterns, compiled on first use -------------------------------------------------------------------


def test_every_detector_pattern_waits_for_its_first_use() -> None:
    """Importing the tables compiles nothing: a paste opens a few gates, `--help` none."""
    from loglens.detectors import DETECTORS, PUBLIC_DETECTORS, STRICT_DETECTORS
    from loglens.lazyre import LazyRegex

    for detector in (*DETECTORS, *PUBLIC_DETECTORS, *STRICT_DETECTORS):
        assert isinstance(detector.pattern, LazyRegex), detector.kind
        assert detector.needs is None or isinstance(detector.needs, LazyRegex), detector.kind


# the patterns loglens's own modules compile while a paste's analysis imports them (`re.compile` at module level)
COUNT_COMPILES = """
import re, sys
compile = re.compile
made = []
def counting(pattern, flags=0):
    if sys._getframe(1).f_globals.get("__name__", "").startswith("loglens"):
        made.append(pattern)
    return compile(pattern, flags)
re.compile = counting
import loglens.cli.analyze, loglens.report, loglens.render.text, loglens.render.jsonout, loglens.render.markdown
print(len(made))
"""
COMPILED_AT_IMPORT = 17  # those a paste's lines reach anyway (platform prefixes, quote marks, a few byte patterns)


def test_a_paste_compiles_few_patterns_while_importing() -> None:
    """What a paste may never need (a stack frame's shape, an Unreal head, a YAML label, base64 runs) waits in
    `lazy` until it is used: compiling every pattern at import cost a paste's analysis milliseconds for nothing."""
    done = python("-c", COUNT_COMPILES)
    compiled = int(done.stdout.split()[-1])
    assert 0 < compiled <= COMPILED_AT_IMPORT, f"{compiled} patterns compile at import; make the new ones `lazy`"


# the classes loglens's own modules define as dataclasses, and the models whose schemas are built, while a paste's
# analysis imports them
COUNT_CLASSES = """
import dataclasses, sys
process = dataclasses._process_class
made = []
def counting(cls, *args):
    if cls.__module__.startswith("loglens"):
        made.append(cls.__qualname__)
    return process(cls, *args)
dataclasses._process_class = counting
import loglens.cli.analyze, loglens.report, loglens.render.text, loglens.render.jsonout, loglens.render.markdown
from pydantic import BaseModel
def built(model):
    for sub in model.__subclasses__():
        if sub.__module__.startswith("loglens") and sub.__dict__.get("__pydantic_complete__"):
            yield sub.__qualname__
        yield from built(sub)
print(len(made), *sorted(set(built(BaseModel))))
"""
DATACLASSES_AT_IMPORT = 9  # the mutable ones, and values whose fields default to a fresh dict or need __post_init__
# what importing itself uses: the parser's constant for an unparsed line, the timeline's phrases read at import
BUILT_AT_IMPORT = {"UnparsedLine", "Phrases"}


def test_a_paste_defines_few_dataclasses_and_builds_few_models_while_importing() -> None:
    """A frozen dataclass takes about 0.5 ms to define (its methods are compiled from source), a named tuple a
    seventh of that; a model's schema is built when it is first used, not when its module is imported."""
    done = python("-c", COUNT_CLASSES)
    count, *built = done.stdout.split()
    assert 0 < int(count) <= DATACLASSES_AT_IMPORT, f"{count} dataclasses at import; a frozen value can be a NamedTuple"
    assert set(built) <= BUILT_AT_IMPORT, f"built while importing: {sorted(set(built) - BUILT_AT_IMPORT)}"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda p: p.search("a key=1 b").group(), "key=1"),  # the first method looked up compiles
        (lambda p: [m.span() for m in p.finditer("key=1 key=22", 2)], [(6, 12)]),  # pos, like re.Pattern
        (lambda p: p.sub("<k>", "key=1 key=2"), "<k> <k>"),  # every method of re.Pattern's is there
        (lambda p: p.fullmatch("KEY=9") is not None, True),  # the flags are kept
        (lambda p: pickle.loads(pickle.dumps(p)).findall("key=3"), ["key=3"]),  # --jobs sends detectors
        (lambda p: p == lazy(r"key=\d+", re.IGNORECASE) and hash(p) == hash(lazy(r"key=\d+", re.I)), True),  # eq
    ],
    ids=["search", "finditer-pos", "sub", "flags", "pickle", "equality"],
)
def test_lazy_regex_behaves_as_the_compiled_pattern(call: Callable[[LazyRegex], object], expected: object) -> None:
    assert call(lazy(r"key=\d+", re.IGNORECASE)) == expected


def test_lazy_regex_has_no_other_attributes() -> None:
    with pytest.raises(AttributeError):
        lazy("x").groupindex_of  # noqa: B018 - a name re.Pattern lacks is not made up


# --- the shipped TOML data, kept as JSON in the cache folder ----------------------------------------------------

SHIPPED = ["taxonomy.toml", "rules.toml", "timeline.toml", "testguide.toml"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_data_from_the_cache_is_the_parsed_toml(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomllib

    from loglens.diskcache import toml_data

    monkeypatch.setenv("LOGLENS_CACHE_DIR", str(tmp_path))
    text = (ROOT / "loglens" / name).read_text(encoding="utf-8")
    assert toml_data(text) == tomllib.loads(text)  # parsed, and kept
    (kept,) = tmp_path.glob("data-*.json")
    monkeypatch.setattr(tomllib, "loads", lambda _: pytest.fail("parsed again"))
    assert toml_data(text) == json.loads(kept.read_text(encoding="utf-8"))  # read back, not parsed


@pytest.mark.parametrize(
    ("text", "cached"),
    [
        ('a = "x"\n[[b]]\nc = [1, 2.5, true]\n', True),  # strings, numbers, booleans, tables: kept
        ("when = 2026-01-02\n", False),  # a TOML date has no JSON form: parsed every time
        ('[t]\nat = 07:32:00\nname = "x"\n', False),  # a time of day inside a table: parsed every time
    ],
    ids=["plain", "date", "time-in-table"],
)
def test_only_data_json_gives_back_unchanged_is_kept(
    text: str, cached: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomllib

    from loglens.diskcache import toml_data

    monkeypatch.setenv("LOGLENS_CACHE_DIR", str(tmp_path))
    assert toml_data(text) == toml_data(text) == tomllib.loads(text)
    assert len(list(tmp_path.glob("data-*.json"))) == cached
    assert not list(tmp_path.glob("*.tmp"))  # nothing half-written left beside it


def test_a_damaged_data_file_is_parsed_and_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from loglens.diskcache import toml_data

    monkeypatch.setenv("LOGLENS_CACHE_DIR", str(tmp_path))
    toml_data('a = "x"\n')
    (kept,) = tmp_path.glob("data-*.json")
    for damage in (b'{"a": "x"', b"[1, 2]", b"\xff\xfe"):  # cut short, not a table, not UTF-8
        kept.write_bytes(damage)
        assert toml_data('a = "x"\n') == {"a": "x"}
        assert json.loads(kept.read_text(encoding="utf-8")) == {"a": "x"}


def test_text_from_elsewhere_is_never_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's or a test's catalogue text is parsed, and leaves nothing in the cache folder."""
    from loglens.diskcache import toml_data
    from loglens.taxonomy import parse_taxonomy

    monkeypatch.setenv("LOGLENS_CACHE_DIR", str(tmp_path))
    assert toml_data('a = "x"\n', keep=False) == {"a": "x"}
    parse_taxonomy((ROOT / "loglens" / "taxonomy.toml").read_text(encoding="utf-8"))
    assert not list(tmp_path.iterdir())


def test_data_without_a_cache_folder_is_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from loglens.diskcache import toml_data

    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("LOGLENS_CACHE_DIR", str(blocker / "sub"))
    assert toml_data('a = "x"\n') == {"a": "x"}


# --- a paste's analysis loads what its format needs, and --help stays near Python's own start-up ----------------


def _paste(tmp_path: Path) -> Path:
    """Thirty lines of a Console copy: a connect attempt, an API key in a request, the 401 it got."""
    lines = (ROOT / "samples" / "console-invalid-api-key.txt").read_text(encoding="utf-8").splitlines()[18:48]
    paste = tmp_path / "paste.txt"
    paste.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paste


def _run(argv: list[str]) -> str:
    """The code that runs `loglens ARGV...` in a fresh interpreter, as HELP_RUN does `--help`."""
    return HELP_RUN.replace("['loglens', '--help']", repr(["loglens", *argv]))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fmt", "absent"),
    [
        # JSON needs no rich at all, nor the other views, the catalogue pages, redaction or the TOML parser
        ("json", ("rich", "loglens.render.text", "loglens.render.markdown", "loglens.render.catalogue", "tomllib")),
        ("text", ("loglens.render.markdown", "loglens.render.jsonout", "loglens.render.catalogue", "tomllib")),
        ("markdown", ("loglens.render.text", "loglens.render.jsonout", "loglens.render.catalogue", "tomllib")),
    ],
)
def test_a_paste_loads_only_its_formats_renderer(fmt: str, absent: tuple[str, ...], tmp_path: Path) -> None:
    paste = _paste(tmp_path)
    imported_modules(_run(["analyze", "--format", fmt, str(paste)]))  # fills the data cache, if it was empty
    names = imported_modules(_run(["analyze", "--format", fmt, str(paste)]))
    assert "loglens.report" in names  # the analysis did run
    for name in (*absent, "loglens.redaction", "loglens.livekit", "loglens.cli.analyze_many"):
        assert name not in names, f"analyze --format {fmt} imported {name}"


# what only some runs need: the clipboard's subprocesses, glob patterns, --jobs workers, the other commands
NOT_FOR_ONE_FILE = (
    "loglens.cli.clipboard",
    "subprocess",
    "glob",
    "concurrent.futures",
    "multiprocessing",
    "loglens.cli.analyze_many",
    "loglens.redaction",
    "loglens.livekit",
    "html",  # an HTML entity's unescaping, which a paste without one never reaches
)


def test_a_paste_read_from_a_file_loads_nothing_another_run_needs(tmp_path: Path) -> None:
    names = imported_modules(_run(["analyze", str(_paste(tmp_path))]))
    assert "loglens.report" in names and "loglens.render.text" in names  # the analysis ran and was shown
    for name in NOT_FOR_ONE_FILE:
        assert name not in names, f"analyze of one file imported {name}"


def _cpu(code: str) -> float:
    """User and system CPU seconds of `python -c CODE` (CPU, not wall time: the machine is shared)."""
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, _, usage = os.wait4(child.pid, 0)
    return usage.ru_utime + usage.ru_stime


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "wait4"), reason="child CPU times need wait4")
def test_help_costs_no_more_than_importing_the_stack() -> None:
    """`loglens --help` within 1.2x of `import pydantic, rich, lark` (medians of runs taken in turn)."""
    baseline, helped = [], []
    for _ in range(9):
        baseline.append(_cpu("import pydantic, rich, lark"))
        helped.append(_cpu(HELP_RUN))
    ratio = statistics.median(helped) / statistics.median(baseline)
    assert ratio < 1.2, f"loglens --help costs {ratio:.2f}x the import baseline"


# --- what the command line's process does before the command runs -----------------------------------------------

PLUGIN = """\
import sys
sys.stderr.write("pydantic plugin loaded\\n")


class Plugin:
    def new_schema_validator(self, *args, **kwargs):
        return None, None, None


plugin = Plugin()
"""


@pytest.mark.slow
def test_the_command_line_loads_no_pydantic_plugin(tmp_path: Path) -> None:
    """An installed pydantic plugin would see every value a model validates, tokens included; finding one reads
    every distribution's metadata. The same plugin loads in a library caller's process."""
    site = tmp_path / "site"
    (site / "spy-1.0.dist-info").mkdir(parents=True)
    (site / "spy-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: spy\nVersion: 1.0\n")
    (site / "spy-1.0.dist-info" / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n")
    (site / "spy_plugin.py").write_text(PLUGIN)
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(site)])
    paste = _paste(tmp_path)

    def stderr(code: str) -> str:
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
        assert run.returncode == 0, run.stderr
        return run.stderr

    library = "import loglens\nloglens.analyze(" + repr(str(paste)) + ")"
    assert "pydantic plugin loaded" in stderr(library)  # the spy is found where nothing turns plugins off
    assert "pydantic plugin loaded" not in stderr(_run(["analyze", str(paste)]))


@pytest.mark.slow
def test_start_up_collects_rarely_and_reading_the_log_as_always() -> None:
    """While a command starts, the collector waits; once it opens its input, start-up's objects are out of every
    collection and the thresholds are Python's again."""
    code = _run(["analyze", "-"]) + "\nimport gc\nprint(gc.get_threshold(), gc.get_freeze_count() > 10_000)"
    before = subprocess.run(
        [sys.executable, "-c", "import gc\nprint(gc.get_threshold())"], capture_output=True, text=True, check=True
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=(ROOT / "samples" / "editor-connected.log").read_bytes()[:4000],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    assert done.stdout.decode().splitlines()[-1] == f"{before.stdout.strip()} True"


# what the collector's threshold is when a module is first looked for, and whether importing the entry point did
FIRST_IMPORT = """
import gc, sys
seen = []
class Spy:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r} and not seen:
            seen.append(gc.get_threshold()[0])
        return None
sys.meta_path.insert(0, Spy())
from loglens.__main__ import main
print("click" in sys.modules)
sys.argv = ["loglens", *{argv!r}]
try:
    main()
except SystemExit:
    pass
print(*seen)
"""


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["--help"], "click"),  # the command line's first import
        (["analyze", "PASTE"], "rich.console"),  # a paste's renderer, imported before the input opens
    ],
    ids=["click", "renderer"],
)
def test_start_up_begins_before_the_first_import_and_ends_after_the_last(
    argv: list[str], module: str, tmp_path: Path
) -> None:
    """The console script and `python -m loglens` raise the threshold before click, pydantic and rich build their
    objects (begun inside `loglens.cli.main`, their imports were walked at every collection), and a command
    imports what it renders with before it opens its input, which ends start-up."""
    from loglens import startup

    argv = [str(_paste(tmp_path)) if arg == "PASTE" else arg for arg in argv]
    done = python("-c", FIRST_IMPORT.format(module=module, argv=argv))
    lines = done.stdout.splitlines()  # the command's own output comes between the two
    assert lines[0] == "False"  # the entry point's own module imports no click
    assert int(lines[-1]) == startup.STARTUP_THRESHOLD


def test_start_up_threshold_is_set_and_given_back() -> None:
    import gc

    from loglens import startup

    defaults = gc.get_threshold()
    frozen = gc.get_freeze_count()
    try:
        startup.begin()
        startup.begin()  # a second call keeps the first one's saved thresholds
        assert gc.isenabled() and gc.get_threshold() == (startup.STARTUP_THRESHOLD, *defaults[1:])
    finally:
        startup.over()
    assert gc.get_threshold() == defaults
    assert gc.get_freeze_count() >= frozen
    gc.unfreeze()  # the test process keeps collecting what it made
    startup.over()  # nothing to give back: a no-op
    assert gc.get_threshold() == defaults
