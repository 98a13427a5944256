"""Pre-flight's stream pass part by part and its early vouching, on hand-crafted files: a
sheet whose inflated size differs from its header, an entity declaration cut by a chunk
boundary, a lying dimension on a sheet large enough for the vectorised scan, and a
refusal that comes after a sheet was vouched for (the caller must drop that parse)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from capacity_planner.io.preflight import preflight
from capacity_planner.io.preflight_zip import CHUNK
from capacity_planner.io.reader import check_workbook
from capacity_planner.io.reader_prefetch import Prefetch
from capacity_planner.io.reader_xlsx import VECTOR_BYTES
from test_io_fixtures import minimal_sheets, replace_in_part, write_book


def _patch_central(path: Path, part: str, offset: int, value: int) -> None:
    """Overwrite one 4-byte field (16 CRC, 24 inflated size) of ``part``'s entry in the
    zip's central directory, which is what every reader trusts."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_len] == part.encode():
            struct.pack_into("<I", data, at + offset, value)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{part} not in the central directory")


def _sheet_part(path: Path, name: str) -> str:
    return next(s.part for s in preflight(path).sheets if s.name == name)


def test_a_sheet_that_inflates_past_its_header_is_refused(tmp_path: Path) -> None:
    """The Demand sheet's header says 100 bytes fewer than it inflates to: a bomb's trick;
    100 bytes more: a damaged part. Neither is vouched for."""
    for delta, code in ((-100, "zip_bomb"), (100, "damaged")):
        path = write_book(tmp_path / f"m{delta}.xlsx", minimal_sheets())
        part = _sheet_part(path, "Demand")
        size = zipfile.ZipFile(path).getinfo(part).file_size
        _patch_central(path, part, 24, size + delta)
        vouched: list[str] = []
        checked = preflight(path, None, vouched.append)
        assert not checked.ok and checked.problems[-1].code == code, checked.problems
        assert "Demand" not in vouched and "Units" in vouched


def test_a_failed_checksum_after_a_vouch_withdraws_it(tmp_path: Path) -> None:
    """Units (the first tab) is vouched for before Demand's stream is checked; Demand's
    CRC is wrong, so the file is refused and the prefetch that started Units is closed."""
    path = write_book(tmp_path / "m.xlsx", minimal_sheets())
    part = _sheet_part(path, "Demand")
    _patch_central(path, part, 16, zipfile.ZipFile(path).getinfo(part).CRC ^ 1)
    vouched: list[str] = []
    checked = preflight(path, None, vouched.append)
    assert vouched[:3] == ["Units", "Roles", "Establishment"] and "Demand" not in vouched
    assert not checked.ok and "checksum" in checked.problems[-1].message
    ahead = Prefetch(path)
    assert not check_workbook(path, None, ahead).ok
    assert ahead.started[:1] == ["Units"] and ahead.closed


def _with_part(path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return path


def test_a_declaration_cut_by_a_chunk_boundary_is_refused(tmp_path: Path) -> None:
    """A 1.5 MB part is inflated in 1 MB chunks; ``<!`` ends the first chunk and forty
    spaces and ``DOCTYPE`` begin the second (more than the 32 bytes once carried over),
    or ``<!ENT`` ends it and ``ITY`` begins the next. Both are refused."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><x>'
    for cut, rest in ((b"<!", b" " * 40 + b"DOCTYPE x>"), (b"<!ENT", b'ITY y "z">')):
        body = head + b"a" * (CHUNK - len(head) - len(cut)) + cut + rest + b"b" * 500_000
        path = _with_part(write_book(tmp_path / f"{len(cut)}.xlsx", minimal_sheets()),
                          "docProps/custom.xml", body + b"</x>")
        checked = preflight(path)
        assert not checked.ok and checked.problems[-1].code == "xml_entities"
        assert "docProps/custom.xml" in checked.problems[-1].message


def _large_sheets() -> dict[str, list[list[object]]]:
    sheets = minimal_sheets()
    sheets["Big"] = [[f"r{i}", i, i * 2, "text", 0.5] for i in range(1, 9001)]
    return sheets


def test_a_lying_dimension_on_a_large_sheet_is_refused(tmp_path: Path) -> None:
    """The sheet declares A1:E2, but a cell sits at Z900000 (26 x 900,000 = 23.4 million
    cells from A1): the vectorised scan reads every reference, not the dimension."""
    path = write_book(tmp_path / "m.xlsx", _large_sheets())
    part = _sheet_part(path, "Big")
    assert zipfile.ZipFile(path).getinfo(part).file_size >= VECTOR_BYTES
    replace_in_part(path, part, b'<dimension ref="A1:E9000" />', b'<dimension ref="A1:E2" />')
    replace_in_part(path, part, b'<c r="A4000" t="inlineStr">',
                    b'<c r="Z900000" t="inlineStr">')
    checked = preflight(path)
    assert not checked.ok and checked.problems[-1].code == "dimension"
    assert "A1:Z900000" in checked.problems[-1].message


def test_error_and_formula_cells_of_a_large_sheet_are_marked(tmp_path: Path) -> None:
    """The vectorised scan rules out formulas and errors only when there are none: B10
    holds ``#REF!`` and C20 a formula with no saved value (openpyxl saves none)."""
    sheets = _large_sheets()
    sheets["Big"][9][1] = "#REF!"
    sheets["Big"][19][2] = "=SUM(1,2)"
    path = write_book(tmp_path / "m.xlsx", sheets)
    scan = preflight(path).scans["Big"]
    assert scan.errors == {(10, 1): "#REF!"}
    assert scan.formulas_without_value == {(20, 2)}
    clean = preflight(write_book(tmp_path / "c.xlsx", _large_sheets())).scans["Big"]
    assert not clean.errors and not clean.formulas_without_value
    assert (clean.max_row, clean.max_col) == (9000, 5)
