"""`loglens analyze`, `explain`, `codes` and `schema`."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from loglens.cli import app, color_choice, settings
from loglens.cli.formats import format_option
from loglens.cli.inputs import open_input
from loglens.cli.many import JOBS_OPTION, expand, several
from loglens.errors import ExitCode, LoglensError
from loglens.render import Format
from loglens.text import printable

if TYPE_CHECKING:
    from collections.abc import Callable

    from click.shell_completion import CompletionItem

    from loglens.render.summary import Timelines
    from loglens.report import Report

# The renderers, the catalogue and the several-files driver are imported where they are used: a paste's report
# in one format should not pay for the other formats (rich is not even loaded for --format json).

FORMAT_OPTION = format_option(
    Format.TEXT, Format.MARKDOWN, Format.JSON, help="text for people, markdown for a ticket, json for programs."
)
COLOR_OPTION = click.option("--color/--no-color", default=None, help="Force color on or off (default: auto).")


@app.command("analyze")
@click.argument("paths", nargs=-1, metavar="[PATH...]")
@click.option("--clipboard", is_flag=True, help="Read the log from the clipboard (paste workflow).")
@FORMAT_OPTION
@click.option(
    "--sessions",
    "which",
    type=click.Choice(["summary", "all"]),
    default="summary",
    show_default=True,
    help="Timelines in text and markdown: the latest failing and the latest session, or every one kept.",
)
@click.option("--session", "number", type=click.IntRange(min=1), metavar="N", help="Only session N's timeline.")
@COLOR_OPTION
@JOBS_OPTION
@click.pass_context
def analyze_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    clipboard: bool,
    fmt: Format,
    which: str,
    number: int | None,
    color: bool | None,
    jobs: int,
) -> None:
    """Classify every error code in a log and explain what to fix first.

    PATH is an Editor.log, Player.log, logcat dump, WebGL console export or a saved Console copy; `-` or
    nothing reads stdin. Several paths or globs (`attachments/*.log`) give a report per file and a table of them
    all; --jobs reads that many at once.

    \b
    Example:
      loglens analyze ~/Library/Logs/Unity/Editor.log
      loglens analyze --clipboard --format markdown
      loglens analyze 'attachments/*.log' --jobs 2
    """
    files = expand(paths)
    if several(files):
        if clipboard:
            raise LoglensError("give either paths or --clipboard, not both")
        if number is not None:
            raise LoglensError("--session N goes with one log file")
        from loglens.cli.analyze_many import analyze_files

        timelines: Timelines = "all" if which == "all" else "summary"
        quiet = settings().quiet
        ctx.exit(analyze_files(files, fmt, timelines, color_choice(color), jobs, quiet=quiet))
    from loglens.report import analyze
    from loglens.sources import LineReader

    render = renderer(fmt)  # imported before the input opens, which ends start-up (`startup.over`)
    path = files[0] if files else None
    with open_input(path, clipboard=clipboard, progress=True) as (name, stream):
        # only the text view shows collapsed repeats; the other formats skip the work
        report = analyze(LineReader(stream), source=name, collapse=fmt is Format.TEXT)
    timelines = chosen_timelines(report, which, number)
    _notes(report)
    render(report, color_choice(color), timelines)


def chosen_timelines(report: Report, which: str, number: int | None) -> Timelines:
    """`--sessions` or `--session N`; N must be a session the report keeps whole."""
    if number is None:
        return "all" if which == "all" else "summary"
    if which == "all":
        raise LoglensError("give either --sessions all or --session N, not both")
    if any(s.index == number for s in report.sessions):
        return number
    if number > report.summary.sessions:
        raise LoglensError(f"there is no session {number}: the log has {report.summary.sessions}")
    omitted = report.sessions_omitted
    kept = (
        f": the report keeps sessions 1-{omitted.first_index - 1} and {omitted.last_index + 1}-"
        f"{report.summary.sessions} whole"
        if omitted
        else ""
    )
    raise LoglensError(f"session {number} is only counted in the summary{kept}")


def _notes(report: Report) -> None:
    """What the user should know about the input, on stderr (none with --quiet; what was read with --verbose)."""
    given = settings()
    if given.quiet:
        return
    if given.verbose:
        s = report.summary
        click.echo(f"loglens: read {s.lines} line{'s' * (s.lines != 1)} from {printable(report.source)}", err=True)
    for note in report.notes:
        click.echo(f"loglens: note: {printable(note)}", err=True)
    for code in report.codes:
        if code.known:
            continue
        from loglens.lookup import known_code_near
        from loglens.taxonomy import load_taxonomy

        near = known_code_near(code.code, load_taxonomy())
        if near:
            click.echo(f"loglens: note: {code.code} is not a known code; did you mean {near}?", err=True)


def renderer(fmt: Format) -> Callable[[Report, bool | None, Timelines], None]:
    """What writes a report in `fmt` to stdout: (report, color, timelines). Its module is imported here, once the
    format is known, so that a command can load it with the rest of its start-up."""
    if fmt is Format.TEXT:
        from loglens.render.text import write_text

        def text(report: Report, color: bool | None, timelines: Timelines) -> None:
            write_text(report, sys.stdout, color=color, timelines=timelines)

        return text
    if fmt is Format.MARKDOWN:
        from loglens.render.markdown import to_markdown

        def markdown(report: Report, color: bool | None, timelines: Timelines) -> None:
            sys.stdout.write(to_markdown(report, timelines=timelines))

        return markdown
    if fmt is Format.JSON:
        from loglens.cli.streams import write_json
        from loglens.render.jsonout import report_json

        def json_view(report: Report, color: bool | None, timelines: Timelines) -> None:
            write_json(report_json(report))

        return json_view
    raise LoglensError(f"analyze does not write {fmt.value}")


def _explain_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Shell completion for `explain`: codes, rule ids and categories that start with what was typed."""
    from click.shell_completion import CompletionItem

    from loglens.lookup import names
    from loglens.taxonomy import load_taxonomy

    return [CompletionItem(n) for n in names(load_taxonomy()) if n.startswith(incomplete.lower())]


@app.command("explain")
@click.argument("name", metavar="NAME", shell_complete=_explain_names)
@COLOR_OPTION
def explain_command(name: str, color: bool | None) -> None:
    """Show the page of an error code, a diagnosis rule, an HTTP status or a code family.

    Codes match in any case; an HTTP status of the Connect API lists the codes the SDK maps it to.

    \b
    Example:
      loglens explain connection.connect_invalid_api_key
      loglens explain webrtc-blocked
      loglens explain 401
    """
    from loglens.lookup import CategoryInfo, RuleInfo, StatusInfo, code_in, names, resolve
    from loglens.render.catalogue import write_code_list, write_explain, write_rule
    from loglens.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    found = resolve(name, taxonomy) or code_in(name, taxonomy)  # a pasted log line: the code it names
    if found is None:
        raise LoglensError(_unknown_name(name, names(taxonomy)))
    if isinstance(found, RuleInfo):
        write_rule(found, sys.stdout, color=color_choice(color))
    elif isinstance(found, StatusInfo):
        how = (
            "No code names this status; the SDK maps it to its catch-all for the status class."
            if found.fallback
            else "The SDK checks the response body where a status leads to more than one code." * (len(found.codes) > 1)
        )
        write_code_list(
            f"HTTP {found.status} from the Connect API", how, found.codes, sys.stdout, color=color_choice(color)
        )
    elif isinstance(found, CategoryInfo):
        title = f"{found.category.name}: {found.category.layer}"
        write_code_list(title, "", found.codes, sys.stdout, color=color_choice(color))
    else:
        write_explain(found, taxonomy, sys.stdout, color=color_choice(color))


def _unknown_name(name: str, known: list[str]) -> str:
    """The error for a name `explain` does not know, the name masked as log text is: users paste the line they
    saw, and that line often carries the token (`invalid token: eyJ...`), a key or an e-mail."""
    from loglens.lookup import did_you_mean
    from loglens.masking import mask_name

    shown = mask_name(name.strip())
    hint = (did_you_mean(name, known) if shown == name.strip() else "") or "; `loglens codes` lists every known code"
    return f"{shown!r} is not a known error code, rule, HTTP status or category{hint}"


@app.command("codes")
@click.option("--category", help="Only this family (config, connection, transport, ...).")
@format_option(Format.TEXT, Format.JSON)
@COLOR_OPTION
def codes_command(category: str | None, fmt: Format, color: bool | None) -> None:
    """List the error-code catalogue: code, retried or not, HTTP status, meaning.

    \b
    Example:
      loglens codes --category transport
    """
    from loglens.lookup import code_list, family
    from loglens.render.catalogue import write_codes
    from loglens.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    if category:
        category = family(category, taxonomy)
    if fmt is Format.JSON:
        sys.stdout.write(json.dumps(code_list(taxonomy, category), indent=2) + "\n")
        return
    write_codes(taxonomy, sys.stdout, color=color_choice(color), category=category)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of `analyze --format json` output.

    \b
    Example:
      loglens schema > loglens-report.schema.json
    """
    from loglens.report import Report

    click.echo(json.dumps(Report.model_json_schema(mode="serialization"), indent=2))


__all__ = ["ExitCode", "analyze_command"]
