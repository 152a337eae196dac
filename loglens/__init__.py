"""loglens: read Convai Unity SDK logs and say what went wrong, safely."""

__version__ = "0.1.0"
