"""`python -m loglens` and the `loglens` command: start-up begins before the command line is imported.

Importing click, pydantic, rich and loglens's modules makes tens of thousands of objects that live as long as the
process; `startup.begin` keeps the collector from walking them while they are made (about 4% of a paste's
analysis when it began only inside `loglens.cli.main`, after those imports). `loglens.cli.main` begins too, for
a caller that runs it directly.
"""

from loglens import startup


def main() -> None:
    """Console-script entry point."""
    startup.begin()
    from loglens.cli import main as command_line

    command_line()


if __name__ == "__main__":
    main()
