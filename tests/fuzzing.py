"""What the fuzzers share: seed files, structure-aware mutations, and the one property.

The property: whatever bytes a file holds, ``load_model`` returns a ``ReadResult``. Any
exception escaping it is a bug, and so is a result with no model and no error. Used by
``tests/test_hardening_fuzz.py`` (hypothesis, in the suite) and ``bench/fuzz_import.py``
(atheris, by hand).
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from capacity_planner.io import ReadResult, load_model
from corpus import csv_variant, ods_book, parts_of, write_zip, xlsx_book

# Fragments that have broken spreadsheet readers before: far cells, huge counts, entities,
# error and formula cells, odd encodings and numbers.
TOKENS = (b'r="XFD1048576"', b'r="A99999999999"', b"r='ZZZZ9'", b'uniqueCount="99999999"',
          b'<dimension ref="A1:XFD1048576"/>', b"<!DOCTYPE x []>", b"&lol;", b"&#0;",
          b'<c r="A2" t="e"><v>#REF!</v></c>', b"<f>1/0</f>", b'<c r="B2" t="s"><v>999999</v>',
          b'number-columns-repeated="999999999"', b'number-rows-repeated="1048576"',
          b"\x00", b"\xff\xfe", b"1e308", b"-0", b"NaN", b"inf", b"\xe2\x80\xae", b"=cmd|'/c'!A1",
          b'<row r="0">', b'<c r="A0">', b"</sheetData>", b"<sheetData/>", b'count="-1"')


@cache
def seeds() -> dict[str, bytes]:
    """Valid files to mutate: an xlsx (xlsxwriter), an ods (odfpy) and two CSVs."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = {".xlsx": xlsx_book(folder / "seed.xlsx").read_bytes(),
               ".ods": ods_book(folder).read_bytes(),
               ".csv": csv_variant("semicolon decimal comma")(folder).read_bytes()}
        out[".utf16.csv"] = csv_variant("utf-16 tab")(folder).read_bytes()
    return out


def rezip(data: bytes, part_index: int, at: int, cut: int, insert: bytes, folder: Path) -> bytes:
    """``data`` (a zip) with one part's bytes changed at a fraction ``at`` of its length:
    ``cut`` bytes removed and ``insert`` put in; the zip itself stays well formed, so the
    change reaches the XML parsers rather than stopping at the zip layer."""
    seed = folder / "seed.zip"
    seed.write_bytes(data)
    parts = parts_of(seed)
    names = sorted(parts)
    name = names[part_index % len(names)]
    body = parts[name]
    pos = at % (len(body) + 1)
    parts[name] = body[:pos] + insert + body[pos + cut:]
    return write_zip(folder / "mutated.zip", parts).read_bytes()


def check_import(data: bytes, suffix: str, folder: Path) -> ReadResult:
    """Write ``data`` as a file with ``suffix``, import it, and check the property."""
    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    result = load_model(path)  # an exception here is the bug the fuzzer looks for
    assert isinstance(result, ReadResult)
    if result.model is None:
        assert result.errors, "no model and no error"
    for problem in result.problems:
        str(problem)  # every problem can be shown
    assert path.read_bytes() == data  # the input is only read
    return result
