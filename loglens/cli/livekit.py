"""`loglens livekit`: hand LiveKit's connection test its URL and room token, and put them on the clipboard."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click

from loglens.cli import app, clipboard, color_choice
from loglens.cli.formats import format_option
from loglens.cli.inputs import open_input
from loglens.cli.streams import write_json
from loglens.errors import LoglensError
from loglens.livekit import TOKEN_FIELD, URL_FIELD, LogFacts, Pair, all_pairs, handoff, pick, read_log
from loglens.render import Format
from loglens.render.livekit import guide_json, handoff_json, pairs_json, write_guide, write_handoff, write_pairs
from loglens.sources import LineReader
from loglens.testguide import explain_test
from loglens.text import printable


def now() -> datetime:
    """The moment tokens are checked against (a function, so tests can fix it)."""
    return datetime.now(UTC)


@app.command("livekit")
@click.argument("path", required=False)
@click.option("--clipboard", is_flag=True, help="Read the log from the clipboard (paste workflow).")
@click.option(
    "--session", type=click.IntRange(min=1), metavar="N", help="Use session N (as --list numbers them), not the latest."
)
@click.option("--list", "list_all", is_flag=True, help="List every token found (line, room, expiry); tokens hidden.")
@click.option(
    "--copy",
    type=click.Choice(["url", "token", "both"]),
    help="Put the value(s) on the clipboard; both: the URL, then the token after a keypress.",
)
@format_option(Format.TEXT, Format.JSON, help="text for people, json for programs (it holds the token).")
@click.option("--explain-test", is_flag=True, help="Explain each step of the connection test and what to open.")
@click.option("--color/--no-color", default=None, help="Force color on or off (default: auto).")
def livekit_command(
    path: str | None,
    clipboard: bool,
    session: int | None,
    list_all: bool,
    copy: str | None,
    fmt: str,
    explain_test: bool,
    color: bool | None,
) -> None:
    """Find the LiveKit URL and room token for LiveKit's connection test.

    Reads the log like `analyze` does (PATH, `-` for stdin, or --clipboard), takes the latest session's
    credentials, decodes the token locally (it is never sent anywhere) and warns about what would make the
    test fail for a reason other than the network: an expired token, a room or URL that does not fit.
    The room details need Transport logging at Debug (Edit > Project Settings > Convai SDK > Diagnostics).

    \b
    Example:
      loglens livekit ~/Library/Logs/Unity/Editor.log --copy both
      loglens livekit --clipboard --format json
      loglens livekit Editor.log --explain-test
    """
    color = color_choice(color)  # `loglens --no-color livekit ...`
    if (list_all or explain_test) and copy:
        raise LoglensError("--copy goes with the plain command, not with --list or --explain-test")
    if list_all and explain_test:
        raise LoglensError("give either --list or --explain-test, not both")
    if explain_test:
        _explain(path, clipboard, session, fmt, color)
        return
    facts = _read(path, clipboard)
    checked = now()
    if list_all:
        pairs = all_pairs(facts, session)
        if not pairs:
            pick(facts, session)  # raises the explanation of why there is nothing
        out = sys.stdout
        if fmt == "json":
            write_json(pairs_json(pairs, checked))
        else:
            write_pairs(pairs, checked, out, color=color)
        return
    result = handoff(facts, checked, session)
    if fmt == "json":
        write_json(handoff_json(result))
    else:
        write_handoff(result, sys.stdout, color=color)
    sys.stdout.flush()
    if copy:
        _copy(result.pair, copy)


def _read(path: str | None, clipboard: bool) -> LogFacts:
    with open_input(path, clipboard=clipboard) as (_, stream):
        return read_log(LineReader(stream))


def _explain(path: str | None, clipboard: bool, session: int | None, fmt: str, color: bool | None) -> None:
    """Explain the test; with a log (a PATH, `-` or --clipboard), fill in its LiveKit host."""
    url = None
    if clipboard or path is not None:
        facts = _read(path, clipboard)
        pairs = all_pairs(facts, session)
        if pairs:
            url = pairs[-1].url
    guide = explain_test(url.get_secret_value() if url else None)
    if fmt == "json":
        write_json(guide_json(guide))
    else:
        write_guide(guide, sys.stdout, color=color)


# --- the clipboard: a side effect that may fail; it warns and never crashes ---------------------------------------


def say(message: str) -> None:
    click.echo(f"loglens: {printable(message)}", err=True)


def put_on_clipboard(value: str, label: str) -> bool:
    try:
        clipboard.copy(value)
    except clipboard.ClipboardError as exc:
        where = "from the output above" if sys.stdout.isatty() else "from where the output went (stdout)"
        say(f"nothing was copied: {exc}; copy the {label} {where}")
        return False
    return True


def wait_for_key() -> bool:
    """Wait for one keypress on the terminal; False when there is no terminal to read one from."""
    try:
        click.getchar()
    except (OSError, RuntimeError, EOFError):
        return False
    return True


def _copy(pair: Pair, which: str) -> None:
    url = pair.url.get_secret_value() if pair.url else None
    token = pair.token.get_secret_value()
    if which in ("url", "both"):
        if url is None:
            say(f"the log has no Room URL for this token, so nothing was copied for {URL_FIELD}")
        elif not put_on_clipboard(url, URL_FIELD):
            return
        else:
            say(f'copied the {URL_FIELD}: paste it into the test\'s "{URL_FIELD}" field')
    if which == "url":
        return
    if which == "both" and url is not None:
        say(f"press any key to copy the {TOKEN_FIELD.lower()}...")
        if not wait_for_key():
            say(f"no terminal to wait on; run again with --copy token to copy the {TOKEN_FIELD.lower()}")
            return
    if put_on_clipboard(token, TOKEN_FIELD):
        say(f'copied the {TOKEN_FIELD.lower()}: paste it into the test\'s "{TOKEN_FIELD}" field')
