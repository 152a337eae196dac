"""`python -m loglens` runs the command line."""

from loglens.cli import main

main()
