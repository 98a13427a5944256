"""Fuzz the import entry point by hand, for as long as you like (issue 8).

    .venv/bin/pip install atheris          # the 'fuzz' extra; wheels exist for 3.13
    .venv/bin/python bench/fuzz_import.py -atheris_runs=100000
    .venv/bin/python bench/fuzz_import.py --hypothesis 5000   # without atheris

With atheris (coverage-guided, libFuzzer), each input chooses a seed file (xlsx, ods or
CSV) and either splices bytes into one part of a well-formed zip or overwrites raw bytes.
Without it, the suite's hypothesis strategies run with as many examples as asked. Either
way the property is tests/fuzzing.py's: ``load_model`` returns problems and never raises;
a crash or an exception is a bug, and the input that caused it is saved by the fuzzer.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

SUFFIXES = (".xlsx", ".ods", ".csv", ".utf16.csv")


def one_input(data: bytes) -> None:
    import atheris

    from fuzzing import TOKENS, check_import, rezip, seeds

    fdp = atheris.FuzzedDataProvider(data)
    suffix = SUFFIXES[fdp.ConsumeIntInRange(0, len(SUFFIXES) - 1)]
    seed = seeds()[suffix]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if suffix in (".xlsx", ".ods") and fdp.ConsumeBool():
            insert = (TOKENS[fdp.ConsumeIntInRange(0, len(TOKENS) - 1)] if fdp.ConsumeBool()
                      else fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 64)))
            body = rezip(seed, fdp.ConsumeIntInRange(0, 40), fdp.ConsumeIntInRange(0, 10**6),
                         fdp.ConsumeIntInRange(0, 200), insert, folder)
        else:
            body = bytearray(seed)
            for _ in range(fdp.ConsumeIntInRange(1, 8)):
                at = fdp.ConsumeIntInRange(0, len(body) - 1)
                new = fdp.ConsumeBytes(fdp.ConsumeIntInRange(1, 16))
                body[at:at + len(new)] = new
            body = bytes(body)
        check_import(body, ".csv" if suffix.endswith(".csv") else suffix, folder)


def with_hypothesis(examples: int) -> int:
    from hypothesis import HealthCheck, given, settings

    import test_hardening_fuzz as suite

    wide = settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
    for name in ("test_mutated_parts_of_a_workbook", "test_flipped_and_cut_bytes",
                 "test_random_csv"):
        test = getattr(suite, name).hypothesis
        wide(given(**test._given_kwargs)(test.inner_test))()
        print(f"{name}: {examples} examples, no failure", flush=True)
    return 0


def main() -> int:
    if "--hypothesis" in sys.argv:
        at = sys.argv.index("--hypothesis")
        return with_hypothesis(int(sys.argv[at + 1]) if len(sys.argv) > at + 1 else 1000)
    try:
        import atheris
    except ImportError:
        print("atheris is not installed (pip install atheris); running the hypothesis "
              "fallback", file=sys.stderr)
        return with_hypothesis(1000)
    with atheris.instrument_imports():
        import capacity_planner.io  # noqa: F401 - instrument the readers for coverage
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":  # a spawned reader child must not start the fuzzer again
    sys.exit(main())
