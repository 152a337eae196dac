"""Coverage-guided fuzzing of parse + redact (atheris, libFuzzer) over `tests.support.exercise`.

`python -m tests.support.fuzz` fuzzes for 10 minutes from a corpus of sample heads and past crashes in
`.fuzz/corpus`; libFuzzer flags pass through (`-max_total_time=60`, `-runs=1000`). A crash is written to
`.fuzz/crash-*`: copy it into `tests/cases/fuzz/` and `tests/test_fuzz.py` replays it from then on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".fuzz"
SEED_BYTES = 4096

with atheris.instrument_imports(include=["loglens"]):
    from tests.support.exercise import exercise


def _seed_corpus(corpus: Path) -> None:
    """The head of every sample, so the fuzzer starts from real log shapes."""
    corpus.mkdir(parents=True, exist_ok=True)
    for sample in sorted((ROOT / "samples").iterdir()):
        if sample.suffix != ".md":
            (corpus / sample.name).write_bytes(sample.read_bytes()[:SEED_BYTES])
    for case in sorted((ROOT / "tests" / "cases" / "fuzz").glob("*")):
        (corpus / f"case-{case.name}").write_bytes(case.read_bytes())


def main() -> None:
    corpus = WORK / "corpus"
    _seed_corpus(corpus)
    flags = [a for a in sys.argv[1:] if a.startswith("-")]
    if not any(f.startswith(("-max_total_time", "-runs")) for f in flags):
        flags.append("-max_total_time=600")
    args = [sys.argv[0], *flags, f"-artifact_prefix={WORK}/", f"-max_len={SEED_BYTES}", "-timeout=30"]
    args += [a for a in sys.argv[1:] if not a.startswith("-")] or [str(corpus)]
    atheris.Setup(args, exercise)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
