"""The command line's start-up: the modules, classes and tables it builds live as long as the process.

The cyclic garbage collector walks every new container object; during start-up those are the imports' own
(pydantic models, rich, Lark, click), tens of thousands that never die, walked again each time a generation
fills: about 45M of a paste's 1,200M instructions, and more of its time (the walk misses the cache). `begin`
raises the first generation's threshold so start-up runs almost without collections; the entry point
(`loglens.__main__`) calls it before anything else is imported, which is why this module lives outside
`loglens.cli`: importing it imports no click. `over` (called when the command opens its input, after its imports)
moves what start-up built out of the collector's sight (`gc.freeze`) and restores the threshold, so reading a
long log collects as it always did. Should a command never call `over`, the raised threshold still collects:
memory stays bounded either way. The few cycles start-up left unreachable (about 450 objects for a paste's
analysis) are frozen with the rest and freed at exit.
"""

from __future__ import annotations

import gc

STARTUP_THRESHOLD = 100_000  # new container objects between collections while starting (a paste's analysis: ~60,000)
_saved: tuple[int, int, int] | None = None


def begin() -> None:
    """Start-up begins: collect only when far more objects than start-up makes are waiting."""
    global _saved
    if _saved is None:
        _saved = gc.get_threshold()
        gc.set_threshold(STARTUP_THRESHOLD, *_saved[1:])


def over() -> None:
    """Start-up is over: what it built is left out of every later collection, which runs as before."""
    global _saved
    if _saved is not None:
        gc.freeze()
        gc.set_threshold(*_saved)
        _saved = None
