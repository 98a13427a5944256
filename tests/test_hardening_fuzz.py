"""Fuzzing the import entry point with hypothesis: mutated workbooks (byte flips, cuts and
splices of known-dangerous fragments into any part of a well-formed zip) and mutated CSVs.
Whatever the bytes, ``load_model`` returns problems; it never raises (tests/fuzzing.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import TOKENS, check_import, rezip, seeds

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
inserts = st.one_of(st.sampled_from(TOKENS), st.binary(max_size=40))


@SETTINGS
@given(suffix=st.sampled_from([".xlsx", ".ods"]), part=st.integers(0, 40),
       at=st.integers(0, 10**6), cut=st.integers(0, 200), insert=inserts)
def test_mutated_parts_of_a_workbook(suffix: str, part: int, at: int, cut: int,
                                     insert: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = rezip(seeds()[suffix], part, at, cut, insert, Path(tmp))
        check_import(data, suffix, Path(tmp))


@SETTINGS
@given(suffix=st.sampled_from([".xlsx", ".ods", ".csv", ".utf16.csv"]),
       edits=st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8)),
                      min_size=1, max_size=6),
       keep=st.floats(0.0, 1.0))
def test_flipped_and_cut_bytes(suffix: str, edits: list[tuple[int, bytes]],
                               keep: float) -> None:
    data = bytearray(seeds()[suffix])
    for at, new in edits:
        pos = at % len(data)
        data[pos:pos + len(new)] = new
    data = data[:max(1, int(len(data) * keep))] if keep < 0.98 else data
    with tempfile.TemporaryDirectory() as tmp:
        check_import(bytes(data), ".csv" if suffix.endswith(".csv") else suffix, Path(tmp))


@SETTINGS
@given(text=st.text(alphabet=st.sampled_from(list(";,\t\"'\n\r %£€.0123456789-=+@#ABCé\u00a0")),
                    max_size=400),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_random_csv(text: str, encoding: str) -> None:
    header = "unit_id;stream_id;period;hours\n"
    with tempfile.TemporaryDirectory() as tmp:
        check_import((header + text).encode(encoding, errors="replace"), ".csv", Path(tmp))
