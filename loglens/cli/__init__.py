"""The `loglens` command line: the only place that does I/O, talks to the clipboard, and sets exit codes."""

from __future__ import annotations

import errno
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any, NamedTuple

import click

from loglens import __version__, startup
from loglens.cli import streams
from loglens.errors import ExitCode, LoglensError
from loglens.text import printable

# what a write gets when the place it writes to is full or failing, whatever loglens did
_WRITE_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})


class Lazy(NamedTuple):
    """A command whose module is imported only when it runs (or its own help is asked for)."""

    module: str
    summary: str  # the first paragraph of the command's docstring, for `loglens --help` (a test keeps them equal)


# `loglens --help` and `loglens analyze` must not pay for the redaction engine, the LiveKit decoder or rich
# tables they do not use: each module registers its commands on `app` when it is first imported.
COMMANDS: dict[str, Lazy] = {
    "analyze": Lazy("loglens.cli.analyze", "Classify every error code in a log and explain what to fix first."),
    "check": Lazy(
        "loglens.cli.check",
        "Fail (exit 1) when a log still holds a secret; list file:line:kind for each, never the value.",
    ),
    "codes": Lazy("loglens.cli.analyze", "List the error-code catalogue: code, retried or not, HTTP status, meaning."),
    "explain": Lazy(
        "loglens.cli.analyze", "Show the page of an error code, a diagnosis rule, an HTTP status or a code family."
    ),
    "livekit": Lazy("loglens.cli.livekit", "Find the LiveKit URL and room token for LiveKit's connection test."),
    "network": Lazy(
        "loglens.cli.network",
        "Print the outbound allowlist (hosts, ports, protocols) and Convai's firewall checklist.",
    ),
    "redact": Lazy(
        "loglens.cli.redact",
        "Write a copy of a log with every secret replaced by a placeholder, ready to attach to a ticket.",
    ),
    "schema": Lazy("loglens.cli.analyze", "Print the JSON Schema of `analyze --format json` output."),
    "ticket": Lazy(
        "loglens.cli.ticket",
        "Write a support bundle: the redacted log, summary.md and findings.json, each checked for secrets.",
    ),
}


class Settings(NamedTuple):
    """The options every command takes, before or after its name: `loglens -q check x` = `loglens check x -q`.

    A named tuple rather than a frozen dataclass: every command builds this class at start-up, and a frozen
    dataclass costs ten times as much to define.
    """

    quiet: bool = False
    verbose: bool = False
    color: bool | None = None


# flags that may follow the command name although the group owns them (a command's own option of that name wins)
GLOBAL_FLAGS = frozenset({"-q", "--quiet", "-v", "--verbose", "--color", "--no-color"})


def settings() -> Settings:
    """The running command's global settings (defaults outside a command, as in library use)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj if isinstance(obj, Settings) else Settings()


def color_choice(color: bool | None) -> bool | None:
    """A command's own --color/--no-color, else the one given before the command name."""
    return color if color is not None else settings().color


class LoglensGroup(click.Group):
    """Turns every failure into one line on stderr and an exit code; never a traceback.

    Commands are loaded on first use from `COMMANDS`, so starting up costs only what the command needs.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(COMMANDS[cmd_name].module)
        return super().get_command(ctx, cmd_name)

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        """The group's own options and the command name are read here, before `invoke`: what click says about
        them (`No such option '--<what was typed>'`) is masked the same way."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as exc:
            _mask_click_error(exc)
            raise

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._hoist(ctx, args))

    def _hoist(self, ctx: click.Context, args: Sequence[str]) -> list[str]:
        """Move global flags found after the command name in front of it, unless the command has its own."""
        at = next((n for n, arg in enumerate(args) if not arg.startswith("-")), None)
        command = self.get_command(ctx, args[at]) if at is not None else None
        if at is None or command is None:
            return list(args)
        own = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
        moved: list[str] = []
        kept: list[str] = []
        for n, arg in enumerate(args[at + 1 :]):
            if arg == "--":
                kept += args[at + 1 + n :]
                break
            (moved if arg in GLOBAL_FLAGS and arg not in own else kept).append(arg)
        return [*args[:at], *moved, args[at], *kept]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list without importing any command: loaded ones speak for themselves."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names), default=0)
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is not None:
                if not command.hidden:
                    rows.append((name, command.get_short_help_str(limit)))
            else:
                # the same shortening a loaded command applies to its own help
                rows.append((name, click.Command(name, help=COMMANDS[name].summary).get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with streams.signals_interrupt():
                return super().invoke(ctx)
        except LoglensError as exc:
            # messages name files, and a file name can hold escape sequences or a newline
            click.echo(f"loglens: error: {printable(exc.message)}", err=True)
            ctx.exit(exc.code)
        except click.ClickException as exc:
            _mask_click_error(exc)
            raise
        except (click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("loglens: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # the reader went away (`loglens analyze x | head`); nothing left to say
            sys.stderr.close()
            ctx.exit(ExitCode.OK)
        except OSError as exc:
            if exc.errno not in _WRITE_FAILURES or os.environ.get("LOGLENS_DEBUG"):
                raise
            # the output cannot take more (a full disk, a quota): a problem of the place, not of loglens
            streams.drop_output()
            click.echo(f"loglens: error: cannot write the output: {os.strerror(exc.errno)}", err=True)
            ctx.exit(ExitCode.INPUT)
        except Exception as exc:
            if os.environ.get("LOGLENS_DEBUG"):
                raise
            # the type only: an exception's text could quote a log line, and log lines can hold secrets
            click.echo(
                f"loglens: internal error ({type(exc).__name__}); rerun with LOGLENS_DEBUG=1 and report it",
                err=True,
            )
            ctx.exit(ExitCode.INTERNAL)


def _mask_click_error(exc: click.ClickException) -> None:
    """What click quotes back of what was typed (`Invalid value for '--format': '<value>'`, `No such option
    '--<name>'`, `No such command '<name>'`), masked as every name a user gives is (`mask_name`)."""
    from loglens.masking import mask_name

    # click's stubs declare `message` Final, but it is a plain attribute that `show` reads when it prints
    setattr(exc, "message", mask_name(exc.message))  # noqa: B010


@click.group(cls=LoglensGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="loglens")
@click.option("-q", "--quiet", is_flag=True, help="No report or notes on stderr, only the result and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also say what was read and which config applied.")
@click.option("--color/--no-color", default=None, help="Force color on or off (default: auto).")
@click.pass_context
def app(ctx: click.Context, quiet: bool, verbose: bool, color: bool | None) -> None:
    """Read Convai Unity SDK logs: what failed, why, and what to do first.

    \b
    loglens analyze Editor.log             error codes, diagnoses and sessions
    loglens redact Editor.log -o safe.log  a copy that is safe to post
    loglens check safe.log                 exit 1 if a secret is left
    loglens livekit Editor.log --copy both the connection test's two values
    loglens ticket Editor.log --zip        a checked bundle for support
    loglens network Editor.log             the firewall allowlist and checklist
    loglens explain transport.ice_failed   one code's page
    loglens codes                          the whole catalogue

    -q/--quiet, -v/--verbose and --no-color go before or after the command name.
    """
    ctx.obj = Settings(quiet=quiet, verbose=verbose and not quiet, color=color)


def main() -> None:
    """Console-script entry point."""
    # A pydantic plugin sees every value a model validates, tokens included, and finding the installed ones reads
    # the metadata of every installed distribution (about 20M of a paste's 1,200M instructions).
    # The command line runs none; a library caller's process keeps its own choice.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    startup.begin()
    streams.install()
    try:
        app.main(prog_name="loglens")
    except SystemExit:
        failed = streams.flush_output()  # the last of the output is written here, after the command returned
        if failed is None:
            raise
        click.echo(f"loglens: error: cannot write the output: {failed}", err=True)
        raise SystemExit(ExitCode.INPUT) from None
