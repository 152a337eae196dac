"""The `loglens` command line: the only place that does I/O, talks to the clipboard, and sets exit codes."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from loglens import __version__
from loglens.errors import ExitCode, LoglensError


class LoglensGroup(click.Group):
    """Turns every failure into one line on stderr and an exit code; never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LoglensError as exc:
            click.echo(f"loglens: error: {exc.message}", err=True)
            ctx.exit(exc.code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("loglens: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # the reader went away (`loglens analyze x | head`); nothing left to say
            sys.stderr.close()
            ctx.exit(ExitCode.OK)
        except Exception as exc:
            if os.environ.get("LOGLENS_DEBUG"):
                raise
            # the type only: an exception's text could quote a log line, and log lines can hold secrets
            click.echo(
                f"loglens: internal error ({type(exc).__name__}); rerun with LOGLENS_DEBUG=1 and report it",
                err=True,
            )
            ctx.exit(ExitCode.INTERNAL)


@click.group(cls=LoglensGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="loglens")
def app() -> None:
    """Read Convai Unity SDK logs: what failed, why, and what to do first.

    \b
    loglens analyze Editor.log             error codes, diagnoses and sessions
    loglens redact Editor.log -o safe.log  a copy that is safe to post
    loglens check safe.log                 exit 1 if a secret is left
    loglens livekit Editor.log --copy both the connection test's two values
    loglens explain transport.ice_failed   one code's page
    loglens codes                          the whole catalogue
    """


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    app.main(prog_name="loglens")


from loglens.cli import analyze as _analyze  # noqa: E402,F401  (registers its commands)
from loglens.cli import livekit as _livekit  # noqa: E402,F401  (registers its command)
from loglens.cli import redact as _redact  # noqa: E402,F401  (registers redact and check)
