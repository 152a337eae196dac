"""The floor for redaction speed: the minimal redactor anyone would write first, timed next to loglens.

Line by line: literal gates, one regex alternation (JWTs, labelled API keys, e-mails, user paths), a dict of
placeholders. It knows none of the other shapes and does no re-scan, so loglens can only approach it; the
benchmarks report loglens's speed as a ratio to it, measured on the same file in the same run.
`python -m tests.support.minimal_redactor SRC OUT` runs it as a whole command, as the command benchmarks do.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_BASELINE = re.compile(
    r"(?P<jwt>eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)"
    r"|(?i:x-api-key|api[_-]?key)[\"']?\s*[:=]\s*[\"']?(?P<key>[0-9a-f]{32})"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?:[A-Za-z]:[\\/]+Users[\\/]+|/Users/|/home/)(?P<user>[^\\/\s]+)"
)


def baseline_redact(source: Path, target: Path) -> int:
    """Redact `source` into `target` line by line; returns the number of values replaced."""
    table: dict[str, str] = {}
    counts: dict[str, int] = {}
    replaced = 0

    def placeholder(match: re.Match[str]) -> str:
        nonlocal replaced
        kind = match.lastgroup or "secret"
        value = match.group(kind)
        if value not in table:
            counts[kind] = counts.get(kind, 0) + 1
            table[value] = f"<{kind}-{counts[kind]}>"
        replaced += 1
        start, end = match.span(kind)
        whole = match.group()
        return whole[: start - match.start()] + table[value] + whole[end - match.start() :]

    with source.open("rb") as src, target.open("wb") as out:
        for raw in src:
            line = raw.decode("utf-8", "surrogateescape")
            if "eyJ" in line or "@" in line or "api" in line or "API" in line or "Users" in line or "home/" in line:
                line = _BASELINE.sub(placeholder, line)
            out.write(line.encode("utf-8", "surrogateescape"))
    return replaced


if __name__ == "__main__":
    print(baseline_redact(Path(sys.argv[1]), Path(sys.argv[2])))
